//! One check per kind of value, shared by strategy files, sweeps and command-line overrides, so
//! that a value is accepted or refused the same way wherever it is written.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::error::Problem;
use super::{Sizing, file::SizingFile};
use crate::domain::{Leverage, Rate, TimestampMs, Usd};

/// A number as read from TOML, kept as the decimal it prints as (0.0005 stays 0.0005).
pub(crate) fn decimal(v: f64) -> Result<Decimal, Problem> {
    if !v.is_finite() {
        return Err(Problem::new(
            "not a finite number",
            "write a plain number such as 0.02",
        ));
    }
    Decimal::from_str(&v.to_string()).map_err(|_| {
        Problem::new(
            "too large or too precise for a decimal",
            "write a smaller number",
        )
    })
}

/// A number typed on the command line.
pub(crate) fn parse_decimal(s: &str) -> Result<Decimal, Problem> {
    let t = s.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| Problem::new("not a number", "write a plain number such as 10 or 0.02"))
}

pub(crate) fn positive_usd(d: Decimal) -> Result<Usd, Problem> {
    if d <= Decimal::ZERO {
        return Err(Problem::new(
            "must be greater than zero",
            "write an amount in USDT such as 10000",
        ));
    }
    Ok(Usd(d))
}

pub(crate) fn non_negative_usd(d: Decimal) -> Result<Usd, Problem> {
    if d < Decimal::ZERO {
        return Err(Problem::new(
            "must not be negative",
            "write an amount in USDT such as 100, or 0",
        ));
    }
    Ok(Usd(d))
}

pub(crate) fn leverage(d: Decimal) -> Result<Leverage, Problem> {
    Leverage::new_checked(d).map_err(|_| {
        Problem::new(
            "leverage must be at least 1",
            "write 1 for an unleveraged position, 10 for 10x",
        )
    })
}

/// Stop-loss and trailing-stop distances: strictly between 0 and 1 of the price.
pub(crate) fn stop_fraction(d: Decimal) -> Result<Rate, Problem> {
    if d <= Decimal::ZERO || d >= Decimal::ONE {
        return Err(Problem::new(
            "a stop distance is a fraction of the price, strictly between 0 and 1",
            "write 0.02 for 2%, or leave the key out for no stop",
        ));
    }
    Ok(Rate(d))
}

/// Take-profit distance: above 0 (it may exceed 1: +150% is 1.5).
pub(crate) fn take_profit_fraction(d: Decimal) -> Result<Rate, Problem> {
    if d <= Decimal::ZERO {
        return Err(Problem::new(
            "a take-profit distance is a positive fraction of the price",
            "write 0.05 for 5%, or leave the key out for no take-profit",
        ));
    }
    Ok(Rate(d))
}

/// Fee rates: a maker fee may be a small rebate (negative); neither reaches 1%.
pub(crate) fn fee(d: Decimal, rebate_allowed: bool) -> Result<Rate, Problem> {
    let low = if rebate_allowed {
        Decimal::new(-1, 2)
    } else {
        Decimal::ZERO
    };
    if d < low || d >= Decimal::new(1, 2) {
        return Err(Problem::new(
            "a fee rate is a fraction of the fill notional below 0.01 (1%)",
            "write 0.0005 for 0.05% (Binance VIP0 taker)",
        ));
    }
    Ok(Rate(d))
}

pub(crate) fn slippage_bps(d: Decimal) -> Result<Rate, Problem> {
    if d < Decimal::ZERO || d >= Decimal::from(1000) {
        return Err(Problem::new(
            "slippage is in basis points, from 0 to below 1000",
            "write 2 for 0.02% against you on each taker fill",
        ));
    }
    Ok(Rate::from_bps(d))
}

pub(crate) fn clearance_rate(d: Decimal) -> Result<Rate, Problem> {
    if d < Decimal::ZERO || d >= Decimal::new(1, 1) {
        return Err(Problem::new(
            "the clearance rate is a fraction of the liquidated notional, from 0 to below 0.1",
            "write 0.015 for 1.5%",
        ));
    }
    Ok(Rate(d))
}

pub(crate) fn sizing(s: SizingFile) -> Result<Sizing, Problem> {
    match s {
        SizingFile::MarginFraction(v) => {
            let d = decimal(v)?;
            if d <= Decimal::ZERO || d > Decimal::ONE {
                return Err(Problem::new(
                    "margin_fraction is the share of equity posted as margin, above 0 and at most 1",
                    "write { margin_fraction = 0.5 } to post half of the equity",
                ));
            }
            Ok(Sizing::MarginFraction(d))
        }
        SizingFile::NotionalFraction(v) => {
            let d = decimal(v)?;
            if d <= Decimal::ZERO {
                return Err(Problem::new(
                    "notional_fraction is the position's notional as a share of equity, above 0",
                    "write { notional_fraction = 1.0 } for a notional equal to the equity",
                ));
            }
            Ok(Sizing::NotionalFraction(d))
        }
    }
}

/// A time as written in `[range]` or on the command line.
pub(crate) fn time(v: &toml::Value) -> Result<TimestampMs, Problem> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Integer(ms) => ms.to_string(),
        _ => return Err(time_problem()),
    };
    TimestampMs::parse_user(&text).map_err(|_| time_problem())
}

pub(crate) fn time_problem() -> Problem {
    Problem::new(
        "not a UTC time",
        "write 2021-01-01, \"2021-01-01T08:00:00Z\" or milliseconds since 1970",
    )
}

/// How a value appears in a message: strings quoted, dates bare.
pub(crate) fn show(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}
