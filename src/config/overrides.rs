//! Command-line overrides (`wick run FILE --leverage 10 --from 2021-01-01 …`), applied after the
//! file is validated and checked by the same rules; messages name the flag.

use serde::de::{DeserializeOwned, IntoDeserializer};

use super::checks::{self, parse_decimal};
use super::error::{ConfigError, Problem};
use super::file::SizingFile;
use super::validate::check_range;
use super::{IntrabarPolicy, RunSettings};
use crate::domain::{Rate, TimestampMs};

/// Overrides as the user typed them; `None` = keep the file's value. The text is parsed here so
/// that a flag and a file key accept exactly the same values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--leverage 10`
    pub leverage: Option<String>,
    /// `--initial-capital 5000`
    pub initial_capital: Option<String>,
    /// `--margin-mode isolated|cross`
    pub margin_mode: Option<String>,
    /// `--margin-fraction 0.5` (replaces any sizing of the file)
    pub margin_fraction: Option<String>,
    /// `--notional-fraction 1.0` (replaces any sizing of the file)
    pub notional_fraction: Option<String>,
    /// `--venue binance|bybit|okx`
    pub venue: Option<String>,
    /// `--stop-loss 0.02`, or `none` to remove the file's stop
    pub stop_loss: Option<String>,
    /// `--take-profit 0.05` or `none`
    pub take_profit: Option<String>,
    /// `--trailing-stop 0.03` or `none`
    pub trailing_stop: Option<String>,
    /// `--slippage-bps 2`
    pub slippage_bps: Option<String>,
    /// `--intrabar pessimistic|optimistic|ohlc|detail`
    pub intrabar: Option<String>,
    /// `--from 2021-01-01`
    pub from: Option<String>,
    /// `--to 2022-01-01` (exclusive)
    pub to: Option<String>,
}

const ORIGIN: &str = "command line";

impl RunSettings {
    /// These settings with the command-line overrides applied and checked.
    pub fn apply_overrides(mut self, o: &Overrides) -> Result<RunSettings, ConfigError> {
        let a = &mut self.account;
        set(
            &o.leverage,
            "--leverage",
            |s| parse_decimal(s).and_then(checks::leverage),
            &mut a.leverage,
        )?;
        set(
            &o.initial_capital,
            "--initial-capital",
            |s| parse_decimal(s).and_then(checks::positive_usd),
            &mut a.initial_capital,
        )?;
        set(&o.margin_mode, "--margin-mode", word, &mut a.margin_mode)?;
        set(&o.venue, "--venue", word, &mut a.venue)?;
        if o.margin_fraction.is_some() && o.notional_fraction.is_some() {
            return Err(Problem::new(
                "only one sizing can apply",
                "give --margin-fraction or --notional-fraction, not both",
            )
            .at(
                ORIGIN,
                "--notional-fraction",
                o.notional_fraction.as_deref().unwrap_or_default(),
            ));
        }
        let fraction = |make: fn(f64) -> SizingFile| {
            move |s: &str| {
                let v: f64 = s
                    .trim()
                    .parse()
                    .map_err(|_| Problem::new("not a number", "write e.g. 0.5"))?;
                checks::sizing(make(v))
            }
        };
        set(
            &o.margin_fraction,
            "--margin-fraction",
            fraction(SizingFile::MarginFraction),
            &mut a.sizing,
        )?;
        set(
            &o.notional_fraction,
            "--notional-fraction",
            fraction(SizingFile::NotionalFraction),
            &mut a.sizing,
        )?;

        let r = &mut self.risk;
        set(
            &o.stop_loss,
            "--stop-loss",
            |s| optional(s, checks::stop_fraction),
            &mut r.stop_loss,
        )?;
        set(
            &o.take_profit,
            "--take-profit",
            |s| optional(s, checks::take_profit_fraction),
            &mut r.take_profit,
        )?;
        set(
            &o.trailing_stop,
            "--trailing-stop",
            |s| optional(s, checks::stop_fraction),
            &mut r.trailing_stop,
        )?;

        let e = &mut self.execution;
        set(
            &o.slippage_bps,
            "--slippage-bps",
            |s| parse_decimal(s).and_then(checks::slippage_bps),
            &mut e.slippage,
        )?;
        set(&o.intrabar, "--intrabar", word, &mut e.intrabar)?;
        if e.intrabar == IntrabarPolicy::Detail && self.data.detail.is_none() {
            return Err(Problem::new(
                "detail replays ambiguous bars on lower-timeframe candles, and the strategy file has no detail file",
                "add detail = \"path/to/1m.csv\" under [data], or choose pessimistic, optimistic or ohlc",
            )
            .at(ORIGIN, "--intrabar", "detail"));
        }

        let time = |s: &str| {
            TimestampMs::parse_user(s)
                .map(Some)
                .map_err(|_| checks::time_problem())
        };
        set(&o.from, "--from", time, &mut self.range.from)?;
        set(&o.to, "--to", time, &mut self.range.to)?;
        let shown = |t: Option<TimestampMs>| t.map_or("(none)".to_string(), |t| t.to_human());
        check_range(self.range).map_err(|p| {
            let value = format!("{} / {}", shown(self.range.from), shown(self.range.to));
            p.at(ORIGIN, "--from/--to", value)
        })?;
        Ok(self)
    }
}

/// Parse the flag's text with `parse` into `slot`, or leave `slot` alone when the flag is absent.
fn set<T>(
    raw: &Option<String>,
    flag: &str,
    parse: impl Fn(&str) -> Result<T, Problem>,
    slot: &mut T,
) -> Result<(), ConfigError> {
    if let Some(text) = raw {
        *slot = parse(text).map_err(|p| p.at(ORIGIN, flag, text))?;
    }
    Ok(())
}

/// A word naming an enum value, spelt as in strategy files (`isolated`, `trader_liable`…).
fn word<T: DeserializeOwned>(s: &str) -> Result<T, Problem> {
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        s.trim().into_deserializer();
    T::deserialize(de).map_err(|e| Problem::new(e.to_string(), "write one of the values listed"))
}

/// A fraction, or `none` for no such order.
fn optional(
    s: &str,
    check: fn(rust_decimal::Decimal) -> Result<Rate, Problem>,
) -> Result<Option<Rate>, Problem> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_decimal(s).and_then(check).map(Some)
}
