//! Running a strategy once over all bars, and the re-entry rule the engine applies to the result.

use super::{Desire, History, ReentryPolicy, Strategy};
use crate::market::MarketData;

/// The positions a strategy wants, one per bar open, computed once per (strategy, parameters,
/// market data) and shared by every configuration that differs only in account settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signals {
    /// `target[i]`: position wanted at the open of bar `i`, decided from bars `0..i`.
    target: Vec<Desire>,
    reentry: ReentryPolicy,
    warmup_bars: usize,
}

impl Signals {
    /// Signals built by hand (engine scenario tests); `target[i]` is the position wanted at the
    /// open of bar `i`.
    pub fn new(target: Vec<Desire>, reentry: ReentryPolicy, warmup_bars: usize) -> Signals {
        Signals {
            target,
            reentry,
            warmup_bars,
        }
    }

    /// Position wanted at the open of bar `i` (decided at the close of bar `i − 1`).
    /// Panics when `i` is not a bar of the data the signals were computed on.
    #[inline]
    pub fn target_at_open(&self, i: usize) -> Desire {
        self.target[i]
    }

    /// True when the target at the open of bar `i` differs from the one at the open of bar
    /// `i − 1`: a crossing, breakout or threshold pass decided at the close of bar `i − 1`.
    #[inline]
    pub fn changed_at_open(&self, i: usize) -> bool {
        i > 0 && self.target[i] != self.target[i - 1]
    }

    /// The whole column, one entry per bar.
    pub fn targets(&self) -> &[Desire] {
        &self.target
    }

    pub fn len(&self) -> usize {
        self.target.len()
    }

    pub fn is_empty(&self) -> bool {
        self.target.is_empty()
    }

    pub fn reentry(&self) -> ReentryPolicy {
        self.reentry
    }

    /// Bars the strategy needs before it can want a position; a range that starts earlier trades
    /// on cold indicators (the engine warns).
    pub fn warmup_bars(&self) -> usize {
        self.warmup_bars
    }
}

/// Run `strategy` (fresh, taken by value so that no state leaks between runs) over every bar of
/// `market`, once. Allocates the output column up front and nothing per bar.
pub fn compute_signals<S: Strategy>(mut strategy: S, market: &MarketData) -> Signals {
    let candles = &market.candles;
    let n = candles.len();
    let mut target = Vec::with_capacity(n);
    if n > 0 {
        target.push(strategy.initial());
    }
    let funding_time: &[i64] = market.funding.as_ref().map_or(&[], |f| &f.time);
    let interval_ms = candles.interval.ms();
    let mut funding_known = 0;
    // The decision at the close of the last bar has no open to fill at, so it is not asked for.
    for i in 0..n.saturating_sub(1) {
        let close_time = candles.time[i] + interval_ms;
        while funding_known < funding_time.len() && funding_time[funding_known] < close_time {
            funding_known += 1;
        }
        target.push(strategy.on_bar(&History::at(market, i, funding_known)));
    }
    Signals {
        target,
        reentry: strategy.reentry(),
        warmup_bars: strategy.warmup_bars(),
    }
}

/// The re-entry rule of [`ReentryPolicy`], as a small state machine the engine keeps per run.
///
/// Call [`ReentryGate::forced_exit`] when a stop-loss, take-profit, trailing stop or liquidation
/// closes the position during bar `k` (at its open or inside it), and ask [`ReentryGate::target`]
/// at each open for the position to hold. Whatever the policy, nothing is re-entered at an open
/// `≤ k`; from the open of `k + 1`, `Immediately` follows the targets again, and
/// `NextSignalChange` waits for the first open `j ≥ k + 1` where the target changes.
#[derive(Debug, Clone)]
pub struct ReentryGate {
    policy: ReentryPolicy,
    blocked: Option<Blocked>,
}

#[derive(Debug, Clone, Copy)]
struct Blocked {
    exit_bar: usize,
    /// Opens before this index have been checked for a change already (amortised O(1) per bar).
    scan_from: usize,
}

impl ReentryGate {
    pub fn new(policy: ReentryPolicy) -> ReentryGate {
        ReentryGate {
            policy,
            blocked: None,
        }
    }

    /// A forced exit happened during bar `bar`.
    pub fn forced_exit(&mut self, bar: usize) {
        self.blocked = Some(Blocked {
            exit_bar: bar,
            scan_from: bar + 1,
        });
    }

    /// True while a forced exit keeps the engine flat.
    pub fn is_blocked(&self) -> bool {
        self.blocked.is_some()
    }

    /// The position to hold from the open of bar `i` on. Call with non-decreasing `i`.
    pub fn target(&mut self, signals: &Signals, i: usize) -> Desire {
        if let Some(b) = &mut self.blocked {
            if i <= b.exit_bar {
                return Desire::Flat;
            }
            if self.policy == ReentryPolicy::NextSignalChange {
                let changed = (b.scan_from..=i).any(|j| signals.changed_at_open(j));
                if !changed {
                    b.scan_from = i + 1;
                    return Desire::Flat;
                }
            }
            self.blocked = None;
        }
        signals.target_at_open(i)
    }
}
