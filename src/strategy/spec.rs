//! A strategy as the user chooses it: kind and parameters, plain data. `build()` makes a fresh,
//! stateful [`BuiltinStrategy`] from it; `signals()` runs that once over the market data.
//!
//! The serde form is the `[strategy]` table of a strategy file: `kind = "sma_crossover"` plus the
//! parameters of that kind; an unknown parameter is an error.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{BuiltinStrategy, Signals, compute_signals};
use crate::domain::Side;
use crate::market::MarketData;

/// Which built-in strategy, with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StrategySpec {
    /// Hold one side from the first bar in range; re-enter at the next open after any exit.
    BuyAndHold(BuyAndHoldParams),
    /// Fast SMA above slow SMA → long, below → short.
    SmaCrossover(CrossoverParams),
    /// Fast EMA above slow EMA → long, below → short.
    EmaCrossover(CrossoverParams),
    /// Close above the highest high of the last `entry_period` bars → long (below the lowest low →
    /// short); exit on the opposite `exit_period` channel.
    DonchianBreakout(DonchianParams),
    /// RSI below `oversold` → long, above `overbought` → short; exit when RSI crosses `exit`.
    RsiMeanReversion(RsiParams),
    /// Average funding above `short_above` → short (collect funding); below `long_below` → long.
    FundingCarry(FundingCarryParams),
}

/// Which directions a strategy may trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[serde(alias = "long-only")]
    LongOnly,
    #[serde(alias = "short-only")]
    ShortOnly,
    #[default]
    Both,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuyAndHoldParams {
    /// `long` or `short`.
    pub side: Side,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrossoverParams {
    /// Bars in the fast average.
    pub fast: usize,
    /// Bars in the slow average; more than `fast`.
    pub slow: usize,
    pub mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DonchianParams {
    /// Bars in the breakout channel (the close must leave it to enter).
    pub entry_period: usize,
    /// Bars in the exit channel (the close leaving it on the other side closes the position).
    pub exit_period: usize,
    pub mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RsiParams {
    /// Price changes in the RSI (Wilder).
    pub period: usize,
    /// RSI below this → long.
    pub oversold: f64,
    /// RSI above this → short.
    pub overbought: f64,
    /// A long is closed when RSI rises above this, a short when it falls below it.
    pub exit: f64,
    pub mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FundingCarryParams {
    /// Average funding rate (fraction per funding period) above which to go short.
    pub short_above: f64,
    /// Average funding rate below which to go long (0 = whenever funding is negative).
    pub long_below: f64,
    /// How many of the latest settlements to average.
    pub average_over: usize,
    pub mode: Mode,
}

impl Default for BuyAndHoldParams {
    fn default() -> Self {
        BuyAndHoldParams { side: Side::Long }
    }
}

impl Default for CrossoverParams {
    fn default() -> Self {
        CrossoverParams {
            fast: 20,
            slow: 100,
            mode: Mode::Both,
        }
    }
}

impl Default for DonchianParams {
    fn default() -> Self {
        DonchianParams {
            entry_period: 20,
            exit_period: 10,
            mode: Mode::Both,
        }
    }
}

impl Default for RsiParams {
    fn default() -> Self {
        RsiParams {
            period: 14,
            oversold: 30.0,
            overbought: 70.0,
            exit: 50.0,
            mode: Mode::Both,
        }
    }
}

impl Default for FundingCarryParams {
    fn default() -> Self {
        // 0.03% per 8 h is three times the baseline interest rate (exchange-rules §2.2).
        FundingCarryParams {
            short_above: 0.0003,
            long_below: 0.0,
            average_over: 3,
            mode: Mode::Both,
        }
    }
}

/// A strategy parameter that cannot work, with the fix.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{key} = {value}: {fix}")]
pub struct StrategyError {
    /// The parameter's key in the `[strategy]` table.
    pub key: &'static str,
    pub value: String,
    pub fix: String,
}

fn bad(key: &'static str, value: impl fmt::Display, fix: impl Into<String>) -> StrategyError {
    StrategyError {
        key,
        value: value.to_string(),
        fix: fix.into(),
    }
}

fn at_least_one(key: &'static str, v: usize) -> Result<(), StrategyError> {
    if v == 0 {
        return Err(bad(key, v, "a period counts bars and must be at least 1"));
    }
    Ok(())
}

impl StrategySpec {
    /// Every `kind` a strategy file may name.
    pub const KINDS: [&'static str; 6] = [
        "buy_and_hold",
        "sma_crossover",
        "ema_crossover",
        "donchian_breakout",
        "rsi_mean_reversion",
        "funding_carry",
    ];

    /// The strategy of `kind` with its default parameters; `None` for an unknown kind.
    pub fn default_for(kind: &str) -> Option<StrategySpec> {
        Some(match kind {
            "buy_and_hold" => StrategySpec::BuyAndHold(BuyAndHoldParams::default()),
            "sma_crossover" => StrategySpec::SmaCrossover(CrossoverParams::default()),
            "ema_crossover" => StrategySpec::EmaCrossover(CrossoverParams::default()),
            "donchian_breakout" => StrategySpec::DonchianBreakout(DonchianParams::default()),
            "rsi_mean_reversion" => StrategySpec::RsiMeanReversion(RsiParams::default()),
            "funding_carry" => StrategySpec::FundingCarry(FundingCarryParams::default()),
            _ => return None,
        })
    }

    /// The `kind` as written in a strategy file.
    pub fn kind(&self) -> &'static str {
        match self {
            StrategySpec::BuyAndHold(_) => "buy_and_hold",
            StrategySpec::SmaCrossover(_) => "sma_crossover",
            StrategySpec::EmaCrossover(_) => "ema_crossover",
            StrategySpec::DonchianBreakout(_) => "donchian_breakout",
            StrategySpec::RsiMeanReversion(_) => "rsi_mean_reversion",
            StrategySpec::FundingCarry(_) => "funding_carry",
        }
    }

    /// Check the parameters; the error names the key, the value and the fix.
    pub fn validate(&self) -> Result<(), StrategyError> {
        match self {
            StrategySpec::BuyAndHold(_) => Ok(()),
            StrategySpec::SmaCrossover(p) | StrategySpec::EmaCrossover(p) => {
                at_least_one("fast", p.fast)?;
                at_least_one("slow", p.slow)?;
                if p.fast >= p.slow {
                    return Err(bad(
                        "fast",
                        p.fast,
                        format!(
                            "the fast average must be shorter than the slow one (slow = {}); e.g. fast = 20, slow = 100",
                            p.slow
                        ),
                    ));
                }
                Ok(())
            }
            StrategySpec::DonchianBreakout(p) => {
                at_least_one("entry_period", p.entry_period)?;
                at_least_one("exit_period", p.exit_period)
            }
            StrategySpec::RsiMeanReversion(p) => {
                at_least_one("period", p.period)?;
                for (key, v) in [
                    ("oversold", p.oversold),
                    ("overbought", p.overbought),
                    ("exit", p.exit),
                ] {
                    if !(v > 0.0 && v < 100.0) {
                        return Err(bad(key, v, "RSI levels lie strictly between 0 and 100"));
                    }
                }
                if !(p.oversold < p.exit && p.exit < p.overbought) {
                    return Err(bad(
                        "exit",
                        p.exit,
                        format!(
                            "write oversold < exit < overbought (now {} / {} / {}); e.g. 30 / 50 / 70",
                            p.oversold, p.exit, p.overbought
                        ),
                    ));
                }
                Ok(())
            }
            StrategySpec::FundingCarry(p) => {
                at_least_one("average_over", p.average_over)?;
                for (key, v) in [("short_above", p.short_above), ("long_below", p.long_below)] {
                    if !v.is_finite() || v.abs() >= 0.1 {
                        return Err(bad(
                            key,
                            v,
                            "a funding rate is a fraction per period: 0.0003 is 0.03%",
                        ));
                    }
                }
                if p.long_below >= p.short_above {
                    return Err(bad(
                        "long_below",
                        p.long_below,
                        format!(
                            "must be below short_above ({}), or the long and short zones overlap",
                            p.short_above
                        ),
                    ));
                }
                Ok(())
            }
        }
    }

    /// A fresh strategy with empty indicator state.
    pub fn build(&self) -> BuiltinStrategy {
        BuiltinStrategy::new(self)
    }

    /// Run the strategy once over all of `market`.
    pub fn signals(&self, market: &MarketData) -> Signals {
        compute_signals(self.build(), market)
    }
}

impl fmt::Display for StrategySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrategySpec::BuyAndHold(p) => write!(f, "buy and hold ({})", p.side),
            StrategySpec::SmaCrossover(p) => {
                write!(f, "SMA {}/{} crossover ({})", p.fast, p.slow, p.mode)
            }
            StrategySpec::EmaCrossover(p) => {
                write!(f, "EMA {}/{} crossover ({})", p.fast, p.slow, p.mode)
            }
            StrategySpec::DonchianBreakout(p) => {
                write!(
                    f,
                    "Donchian {}/{} breakout ({})",
                    p.entry_period, p.exit_period, p.mode
                )
            }
            StrategySpec::RsiMeanReversion(p) => write!(
                f,
                "RSI {} mean reversion {}/{}/{} ({})",
                p.period, p.oversold, p.exit, p.overbought, p.mode
            ),
            StrategySpec::FundingCarry(p) => write!(
                f,
                "funding carry: short above {}, long below {}, mean of {} ({})",
                p.short_above, p.long_below, p.average_over, p.mode
            ),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::LongOnly => "long only",
            Mode::ShortOnly => "short only",
            Mode::Both => "long and short",
        })
    }
}
