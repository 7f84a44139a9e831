//! The built-in strategies as one enum: a `match` per bar instead of a virtual call.

use super::{
    BuyAndHold, Crossover, Desire, DonchianBreakout, FundingCarry, History, ReentryPolicy,
    RsiReversion, Strategy, StrategySpec,
};

/// A fresh, stateful instance of a built-in strategy (made by [`StrategySpec::build`]).
#[derive(Debug, Clone)]
pub enum BuiltinStrategy {
    BuyAndHold(BuyAndHold),
    Crossover(Crossover),
    Donchian(DonchianBreakout),
    Rsi(RsiReversion),
    FundingCarry(FundingCarry),
}

impl BuiltinStrategy {
    /// Build from parameters that passed [`StrategySpec::validate`].
    pub fn new(spec: &StrategySpec) -> BuiltinStrategy {
        match spec {
            StrategySpec::BuyAndHold(p) => BuiltinStrategy::BuyAndHold(BuyAndHold::new(p.side)),
            StrategySpec::SmaCrossover(p) => {
                BuiltinStrategy::Crossover(Crossover::sma(p.fast, p.slow, p.mode))
            }
            StrategySpec::EmaCrossover(p) => {
                BuiltinStrategy::Crossover(Crossover::ema(p.fast, p.slow, p.mode))
            }
            StrategySpec::DonchianBreakout(p) => BuiltinStrategy::Donchian(DonchianBreakout::new(
                p.entry_period,
                p.exit_period,
                p.mode,
            )),
            StrategySpec::RsiMeanReversion(p) => BuiltinStrategy::Rsi(RsiReversion::new(
                p.period,
                p.oversold,
                p.overbought,
                p.exit,
                p.mode,
            )),
            StrategySpec::FundingCarry(p) => BuiltinStrategy::FundingCarry(FundingCarry::new(
                p.short_above,
                p.long_below,
                p.average_over,
                p.mode,
            )),
        }
    }
}

/// Forward one trait method to whichever strategy the enum holds.
macro_rules! each {
    ($self:expr, $s:ident => $call:expr) => {
        match $self {
            BuiltinStrategy::BuyAndHold($s) => $call,
            BuiltinStrategy::Crossover($s) => $call,
            BuiltinStrategy::Donchian($s) => $call,
            BuiltinStrategy::Rsi($s) => $call,
            BuiltinStrategy::FundingCarry($s) => $call,
        }
    };
}

impl Strategy for BuiltinStrategy {
    fn initial(&self) -> Desire {
        each!(self, s => s.initial())
    }

    fn warmup_bars(&self) -> usize {
        each!(self, s => s.warmup_bars())
    }

    fn reentry(&self) -> ReentryPolicy {
        each!(self, s => s.reentry())
    }

    #[inline]
    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        each!(self, s => s.on_bar(history))
    }
}
