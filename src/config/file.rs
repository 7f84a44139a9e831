//! A strategy file exactly as the user writes it (TOML). Every table denies unknown keys, so a
//! misspelt key is an error that names it instead of a setting silently left at its default.
//! Numbers stay as written here; `validate` turns them into typed [`super::RunSettings`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{IntrabarPolicy, MarginMode, NegativeBalance, Venue};

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyFile {
    /// Names the run and its report folder; defaults to the file name without `.toml`.
    pub name: Option<String>,
    pub data: DataFile,
    /// `kind` and that strategy's parameters (read by `strategy_table`, so that errors name the
    /// parameter).
    pub strategy: toml::Table,
    #[serde(default)]
    pub account: AccountFile,
    #[serde(default)]
    pub risk: RiskFile,
    #[serde(default)]
    pub execution: ExecutionFile,
    #[serde(default)]
    pub range: RangeFile,
    pub sweep: Option<SweepFile>,
}

/// `[data]`: paths relative to the strategy file's folder (or absolute).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    pub candles: String,
    pub mark: Option<String>,
    pub funding: Option<String>,
    pub detail: Option<String>,
}

/// `[account]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    pub initial_capital: Option<f64>,
    pub leverage: Option<f64>,
    pub sizing: Option<SizingFile>,
    pub margin_mode: Option<MarginMode>,
    pub venue: Option<Venue>,
    pub min_order_notional: Option<f64>,
    pub negative_balance: Option<NegativeBalance>,
    pub cross_clearance_rate: Option<f64>,
}

/// `sizing = { margin_fraction = 0.5 }` or `sizing = { notional_fraction = 1.0 }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SizingFile {
    MarginFraction(f64),
    NotionalFraction(f64),
}

/// `[risk]`: distances as fractions of price (0.02 = 2%); absent = no such order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFile {
    pub stop_loss: Option<f64>,
    pub take_profit: Option<f64>,
    pub trailing_stop: Option<f64>,
}

/// `[execution]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionFile {
    pub maker_fee: Option<f64>,
    pub taker_fee: Option<f64>,
    pub slippage_bps: Option<f64>,
    pub intrabar: Option<IntrabarPolicy>,
}

/// `[range]`: `from` inclusive, `to` exclusive; a quoted string (`"2021-01-01"`,
/// `"2021-01-01T08:00:00Z"`), a bare TOML date or date-time, or milliseconds since 1970.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeFile {
    pub from: Option<toml::Value>,
    pub to: Option<toml::Value>,
}

/// `[sweep]`: lists of values to try. A key left out is not swept (the run's value is used).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepFile {
    pub leverage: Option<Vec<f64>>,
    pub stop_loss: Option<Vec<OptionalFraction>>,
    pub take_profit: Option<Vec<OptionalFraction>>,
    pub trailing_stop: Option<Vec<OptionalFraction>>,
    pub margin_mode: Option<Vec<MarginMode>>,
    pub sizing: Option<Vec<SizingFile>>,
    pub intrabar: Option<Vec<IntrabarPolicy>>,
    /// `[sweep.params]`: strategy parameter → values, e.g. `fast = [10, 20]`.
    pub params: Option<BTreeMap<String, Vec<toml::Value>>>,
}

/// A stop distance in a sweep list: a fraction, or `"none"` for no such order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OptionalFraction {
    Fraction(f64),
    Word(String),
}
