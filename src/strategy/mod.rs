//! Strategies: what position to hold, decided bar by bar from the bars seen so far.
//!
//! A strategy is incremental and causal. After bar `i` closes it is shown a read-only
//! [`History`] of bars `0..=i` (and of the funding rates settled by that close) and answers with
//! the position it wants at the open of bar `i + 1`: a [`Desire`] — long, short or flat. It never
//! sees a later bar, so it cannot look ahead; a property test pins that.
//!
//! Signals depend only on the strategy, its parameters and the market data — not on leverage,
//! stops, margin mode or sizing. [`compute_signals`] therefore runs a strategy ONCE over all bars
//! and stores one byte per bar ([`Signals`]); every configuration of a sweep that differs only in
//! account settings shares that column, and the engine reads it at memory speed.
//!
//! # The contract with the engine
//!
//! * `signals.target_at_open(i)` is the position wanted at the open of bar `i`. It was decided at
//!   the close of bar `i − 1` from bars `0..i` only; for `i = 0` it is [`Strategy::initial`]
//!   (buy-and-hold wants its side before any bar; every other strategy is flat).
//! * Signals exist for every bar, including those before the start of the time range: indicators
//!   warm up on all data before the range, and the engine starts trading at the range start by
//!   taking the target of that bar's open. [`Signals::warmup_bars`] says how many bars a strategy
//!   needs before it can take a position, so the engine can warn when the range starts earlier.
//! * Re-entry after a forced exit (stop-loss, take-profit, trailing stop, liquidation) follows
//!   [`ReentryPolicy`], and [`ReentryGate`] implements it so that every reader builds the same rule:
//!   - [`ReentryPolicy::Immediately`] (buy-and-hold): after any exit during bar `k` (at its open or
//!     inside it) the position is taken again at the open of bar `k + 1`.
//!   - [`ReentryPolicy::NextSignalChange`] (crossovers, breakouts, RSI, funding): after a forced
//!     exit during bar `k` the engine stays flat until the target changes, i.e. until an open
//!     `j ≥ k + 1` with `target_at_open(j) != target_at_open(j − 1)` (a crossing decided at the
//!     close of bar `j − 1`, which comes after the exit). From then on it follows the targets again.
//!   - An exit because the target itself changed (a signal exit) is not forced: nothing is blocked.

mod builtin;
mod buy_and_hold;
mod crossover;
mod donchian;
mod funding_carry;
mod history;
pub mod indicators;
mod rsi_reversion;
mod signals;
mod spec;
#[cfg(test)]
pub(crate) mod testing;

pub use builtin::BuiltinStrategy;
pub use buy_and_hold::BuyAndHold;
pub use crossover::{Average, Crossover};
pub use donchian::DonchianBreakout;
pub use funding_carry::FundingCarry;
pub use history::History;
pub use rsi_reversion::RsiReversion;
pub use signals::{ReentryGate, Signals, compute_signals};
pub use spec::{
    BuyAndHoldParams, CrossoverParams, DonchianParams, FundingCarryParams, Mode, RsiParams,
    StrategyError, StrategySpec,
};

/// The position a strategy wants: one byte, so a signal column of 5 million bars is 5 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(i8)]
pub enum Desire {
    Short = -1,
    #[default]
    Flat = 0,
    Long = 1,
}

impl Desire {
    /// The side of the wanted position; `None` when flat (being flat is not a side).
    pub fn side(self) -> Option<crate::domain::Side> {
        match self {
            Desire::Long => Some(crate::domain::Side::Long),
            Desire::Short => Some(crate::domain::Side::Short),
            Desire::Flat => None,
        }
    }

    /// The position wanted on `side`.
    pub fn from_side(side: crate::domain::Side) -> Desire {
        match side {
            crate::domain::Side::Long => Desire::Long,
            crate::domain::Side::Short => Desire::Short,
        }
    }

    /// +1 long, −1 short, 0 flat.
    pub fn sign(self) -> i8 {
        self as i8
    }
}

/// What the engine does after a forced exit (stop-loss, take-profit, trailing stop, liquidation).
/// See the module docs for the exact rule; [`ReentryGate`] implements it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReentryPolicy {
    /// Take the target position again at the next open (buy-and-hold).
    Immediately,
    /// Stay flat until the target changes (the next crossing, breakout or threshold pass).
    NextSignalChange,
}

/// A strategy: incremental, causal, deterministic.
///
/// The trait is object-safe (`&mut dyn Strategy` works); the built-ins are also gathered in the
/// enum [`BuiltinStrategy`] so that the common case is a plain `match`, not a virtual call.
pub trait Strategy {
    /// The position wanted at the open of bar 0, before any bar has been seen.
    fn initial(&self) -> Desire {
        Desire::Flat
    }

    /// How many bars the strategy must see before it can want a position (indicator warm-up).
    fn warmup_bars(&self) -> usize;

    /// What the engine does after a forced exit.
    fn reentry(&self) -> ReentryPolicy;

    /// Bar `history.len() − 1` has just closed: the position wanted at the next open.
    /// Called once per bar, in order, with `history.len() ≥ 1`. Must not allocate.
    fn on_bar(&mut self, history: &History<'_>) -> Desire;
}

impl<S: Strategy + ?Sized> Strategy for &mut S {
    fn initial(&self) -> Desire {
        (**self).initial()
    }
    fn warmup_bars(&self) -> usize {
        (**self).warmup_bars()
    }
    fn reentry(&self) -> ReentryPolicy {
        (**self).reentry()
    }
    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        (**self).on_bar(history)
    }
}

/// Which way a strategy may trade, turning its raw long/short view into a wanted position.
pub(crate) fn restrict(mode: Mode, view: Desire) -> Desire {
    match (mode, view) {
        (Mode::LongOnly, Desire::Short) | (Mode::ShortOnly, Desire::Long) => Desire::Flat,
        (_, d) => d,
    }
}
