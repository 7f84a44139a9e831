//! Validated, typed run settings: what one `wick run` needs besides the market data itself.
//! Every default lives in the one `impl Default for RunSettings` below.

use std::path::PathBuf;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::SweepSpec;
use crate::domain::{Leverage, Rate, TimestampMs, Usd};
use crate::strategy::{BuyAndHoldParams, StrategySpec};

/// The exchange whose rules apply (exchange-rules §1 Binance, §4.1 Bybit, §4.2 OKX).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Venue {
    Binance,
    Bybit,
    Okx,
}

/// Isolated: each position has its own wallet (its initial margin). Cross: the whole wallet backs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarginMode {
    Isolated,
    Cross,
}

/// Who pays for a gap through the bankruptcy price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativeBalance {
    /// The insurance fund absorbs it: the trader loses at most the margin.
    InsuranceFund,
    /// The trader bears it; equity may fall below zero and the run stops trading (ruin).
    TraderLiable,
}

/// Which of a favourable and an adverse level inside one bar is taken first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntrabarPolicy {
    /// The adverse level first.
    Pessimistic,
    /// The favourable level first.
    Optimistic,
    /// The path open → nearer extreme → farther extreme → close.
    Ohlc,
    /// Replay the bar on the `[data] detail` candles; where they are missing, pessimistic.
    Detail,
}

/// How big a new position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sizing {
    /// Margin = fraction × equity at entry; notional = margin × leverage (exposure grows with leverage).
    MarginFraction(Decimal),
    /// Notional = fraction × equity at entry; leverage only sets the margin posted, and so the
    /// distance to liquidation.
    NotionalFraction(Decimal),
}

/// Market-data files, already resolved against the strategy file's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPaths {
    /// Last-price candles (required).
    pub candles: PathBuf,
    /// Mark-price candles; without them liquidation is checked on the last price.
    pub mark: Option<PathBuf>,
    /// Funding settlements; without them no funding is paid or received.
    pub funding: Option<PathBuf>,
    /// Lower-timeframe candles for `intrabar = "detail"`.
    pub detail: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub initial_capital: Usd,
    pub leverage: Leverage,
    pub sizing: Sizing,
    pub margin_mode: MarginMode,
    pub venue: Venue,
    /// Orders below this notional are rejected (Binance BTCUSDT: 100 USDT).
    pub min_order_notional: Usd,
    pub negative_balance: NegativeBalance,
    /// Cross-margin clearance fee, as a rate of the liquidated notional.
    pub cross_clearance_rate: Rate,
}

/// Exit orders, as fractions of price; `None` = no such order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSettings {
    /// Distance from the entry fill price (slippage included).
    pub stop_loss: Option<Rate>,
    /// Distance from the entry fill price.
    pub take_profit: Option<Rate>,
    /// Callback from the best price reached, as a fraction of that price.
    pub trailing_stop: Option<Rate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionSettings {
    pub maker_fee: Rate,
    pub taker_fee: Rate,
    /// Against the trader on every taker fill; liquidations get none. 1 bp = `Rate(0.0001)`.
    pub slippage: Rate,
    pub intrabar: IntrabarPolicy,
}

/// The replayed time range: trading starts at the first bar opening at or after `from` and stops
/// before the first bar opening at or after `to` (exclusive). `None` = the data's own edge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub from: Option<TimestampMs>,
    pub to: Option<TimestampMs>,
}

/// Everything one run needs besides the market data, validated. It serialises as the strategy
/// file it amounts to (see `RunSettings::to_file`).
#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    /// Names the run and its report folder (`reports/<name>/`).
    pub name: String,
    /// The strategy file these settings came from (empty for settings built in code).
    pub source: PathBuf,
    pub data: DataPaths,
    pub strategy: StrategySpec,
    pub account: AccountSettings,
    pub risk: RiskSettings,
    pub execution: ExecutionSettings,
    pub range: TimeRange,
    /// The `[sweep]` table, validated; `None` when the file has none.
    pub sweep: Option<SweepSpec>,
}

impl Default for RunSettings {
    /// The defaults of every key a strategy file may leave out.
    fn default() -> Self {
        RunSettings {
            name: "run".to_string(),
            source: PathBuf::new(),
            data: DataPaths::default(),
            strategy: StrategySpec::BuyAndHold(BuyAndHoldParams::default()),
            account: AccountSettings {
                initial_capital: Usd(dec!(10000)),
                leverage: Leverage(Decimal::ONE),
                // The whole equity backs each position, so `leverage` is the account's exposure.
                sizing: Sizing::MarginFraction(Decimal::ONE),
                margin_mode: MarginMode::Isolated,
                venue: Venue::Binance,
                min_order_notional: Usd(dec!(100)),
                negative_balance: NegativeBalance::InsuranceFund,
                cross_clearance_rate: Rate(dec!(0.015)),
            },
            risk: RiskSettings::default(),
            execution: ExecutionSettings {
                // Binance USDⓈ-M VIP0 (exchange-rules §1.5).
                maker_fee: Rate(dec!(0.0002)),
                taker_fee: Rate(dec!(0.0005)),
                slippage: Rate(Decimal::ZERO),
                intrabar: IntrabarPolicy::Pessimistic,
            },
            range: TimeRange::default(),
            sweep: None,
        }
    }
}
