//! How grid values are spelt: every axis value is held as the word a user writes (`10`, `none`,
//! `cross`, `margin:0.5`), one spelling per value, and turned into settings through the same
//! overrides `wick run`'s flags use.

use rust_decimal::Decimal;

use super::grid::{Axis, AxisKey};
use crate::config::{IntrabarPolicy, MarginMode, Overrides, RunSettings, Sizing, SweepSpec};
use crate::domain::Rate;
use crate::strategy::StrategySpec;

/// The `[sweep]` table of the strategy file, as axes of words.
pub(super) fn file_axes(base: &RunSettings) -> Vec<Axis> {
    let Some(spec) = &base.sweep else {
        return Vec::new();
    };
    let mut axes = Vec::new();
    let mut push = |key: AxisKey, values: Option<Vec<String>>| {
        if let Some(values) = values {
            axes.push(Axis { key, values });
        }
    };
    let SweepSpec {
        leverage,
        stop_loss,
        take_profit,
        trailing_stop,
        margin_mode,
        sizing,
        intrabar,
        params,
    } = spec;
    push(
        AxisKey::Leverage,
        leverage
            .as_ref()
            .map(|v| v.iter().map(|l| decimal_word(l.get())).collect()),
    );
    push(
        AxisKey::StopLoss,
        stop_loss
            .as_ref()
            .map(|v| v.iter().map(|r| rate_word(*r)).collect()),
    );
    push(
        AxisKey::TakeProfit,
        take_profit
            .as_ref()
            .map(|v| v.iter().map(|r| rate_word(*r)).collect()),
    );
    push(
        AxisKey::TrailingStop,
        trailing_stop
            .as_ref()
            .map(|v| v.iter().map(|r| rate_word(*r)).collect()),
    );
    push(
        AxisKey::MarginMode,
        margin_mode
            .as_ref()
            .map(|v| v.iter().map(|&m| margin_word(m)).collect()),
    );
    push(
        AxisKey::Sizing,
        sizing
            .as_ref()
            .map(|v| v.iter().map(|&s| sizing_word(s)).collect()),
    );
    push(
        AxisKey::Intrabar,
        intrabar
            .as_ref()
            .map(|v| v.iter().map(|&p| intrabar_word(p)).collect()),
    );
    for (name, values) in params {
        push(
            AxisKey::Param(name.clone()),
            Some(values.iter().map(toml::Value::to_string).collect()),
        );
    }
    axes
}

/// The word for the run's own value of an account axis.
pub(super) fn base_word(base: &RunSettings, key: &AxisKey) -> String {
    match key {
        AxisKey::Leverage => decimal_word(base.account.leverage.get()),
        AxisKey::StopLoss => rate_word(base.risk.stop_loss),
        AxisKey::TakeProfit => rate_word(base.risk.take_profit),
        AxisKey::TrailingStop => rate_word(base.risk.trailing_stop),
        AxisKey::MarginMode => margin_word(base.account.margin_mode),
        AxisKey::Sizing => sizing_word(base.account.sizing),
        AxisKey::Intrabar => intrabar_word(base.execution.intrabar),
        AxisKey::Param(_) => String::new(),
    }
}

/// The strategy's own value of parameter `name`, as a word.
pub(super) fn param_word(strategy: &StrategySpec, name: &str) -> Option<String> {
    match toml::Value::try_from(strategy).ok()? {
        toml::Value::Table(t) => t.get(name).map(toml::Value::to_string),
        _ => None,
    }
}

/// One spelling per value, so that `10x`, `10` and `10.0` are the same leverage, and `margin`
/// (with the file's fraction) is written out as `margin:1`.
pub(super) fn normalise(base: &RunSettings, key: &AxisKey, word: &str) -> String {
    let w = word.trim();
    let number = |s: &str| {
        s.parse::<Decimal>()
            .map(decimal_word)
            .unwrap_or_else(|_| s.to_string())
    };
    match key {
        AxisKey::Leverage => number(w.strip_suffix(['x', 'X']).unwrap_or(w)),
        AxisKey::StopLoss | AxisKey::TakeProfit | AxisKey::TrailingStop
            if w.eq_ignore_ascii_case("none") =>
        {
            "none".to_string()
        }
        AxisKey::StopLoss | AxisKey::TakeProfit | AxisKey::TrailingStop => number(w),
        AxisKey::Sizing => {
            let fraction = match base.account.sizing {
                Sizing::MarginFraction(f) | Sizing::NotionalFraction(f) => f,
            };
            match w.split_once(':') {
                Some((kind, f)) => {
                    format!("{}:{}", kind.trim().to_ascii_lowercase(), number(f.trim()))
                }
                None => format!("{}:{}", w.to_ascii_lowercase(), decimal_word(fraction)),
            }
        }
        AxisKey::MarginMode | AxisKey::Intrabar => w.to_ascii_lowercase(),
        AxisKey::Param(_) => w.to_string(),
    }
}

/// Put one axis value into the overrides, exactly as the matching `wick run` flag would.
pub(super) fn set_override(o: &mut Overrides, key: &AxisKey, word: &str) {
    let w = Some(word.to_string());
    match key {
        AxisKey::Leverage => o.leverage = w,
        AxisKey::StopLoss => o.stop_loss = w,
        AxisKey::TakeProfit => o.take_profit = w,
        AxisKey::TrailingStop => o.trailing_stop = w,
        AxisKey::MarginMode => o.margin_mode = w,
        AxisKey::Intrabar => o.intrabar = w,
        AxisKey::Sizing => match word.split_once(':') {
            Some(("notional", f)) => o.notional_fraction = Some(f.to_string()),
            Some(("margin", f)) => o.margin_fraction = Some(f.to_string()),
            // Not a sizing word: hand it on as given so the override check names the value.
            _ => o.margin_fraction = w,
        },
        AxisKey::Param(_) => {}
    }
}

/// A command-line word as a TOML value: `20` an integer, `0.5` a float, `true` a boolean, anything
/// else (e.g. `long`) a string.
pub(super) fn toml_value(word: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {word}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(word.to_string()))
}

pub(super) fn decimal_word(d: Decimal) -> String {
    d.normalize().to_string()
}

pub(super) fn rate_word(r: Option<Rate>) -> String {
    r.map_or_else(|| "none".to_string(), |r| decimal_word(r.get()))
}

pub(super) fn margin_word(m: MarginMode) -> String {
    match m {
        MarginMode::Isolated => "isolated",
        MarginMode::Cross => "cross",
    }
    .to_string()
}

pub(super) fn sizing_word(s: Sizing) -> String {
    match s {
        Sizing::MarginFraction(f) => format!("margin:{}", decimal_word(f)),
        Sizing::NotionalFraction(f) => format!("notional:{}", decimal_word(f)),
    }
}

pub(super) fn intrabar_word(p: IntrabarPolicy) -> String {
    match p {
        IntrabarPolicy::Pessimistic => "pessimistic",
        IntrabarPolicy::Optimistic => "optimistic",
        IntrabarPolicy::Ohlc => "ohlc",
        IntrabarPolicy::Detail => "detail",
    }
    .to_string()
}
