//! Running a strategy once over all bars, and the re-entry rule the engine applies to the result.

use super::{Desire, History, ReentryPolicy, Strategy};
use crate::market::MarketData;

/// The positions a strategy wants, one per bar open, computed once per (strategy, parameters,
/// market data) and shared by every configuration that differs only in account settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signals {
    /// `target[i]`: position wanted at the open of bar `i`, decided from bars `0..i`.
    target: Vec<Desire>,
    /// The bars whose target differs from the bar before's, in order: computed once, so that every
    /// replay sharing these signals can size its trade and event logs without a scan.
    changes: Vec<usize>,
    reentry: ReentryPolicy,
    warmup_bars: usize,
}

impl Signals {
    /// Signals built by hand (engine scenario tests); `target[i]` is the position wanted at the
    /// open of bar `i`.
    pub fn new(target: Vec<Desire>, reentry: ReentryPolicy, warmup_bars: usize) -> Signals {
        let changes = (1..target.len())
            .filter(|&i| target[i] != target[i - 1])
            .collect();
        Signals {
            target,
            changes,
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

    /// How many bars of `from..to` open with a target different from the bar before's.
    pub fn changes_in(&self, from: usize, to: usize) -> usize {
        let lo = self.changes.partition_point(|&i| i < from);
        let hi = self.changes.partition_point(|&i| i < to);
        hi.saturating_sub(lo)
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
    Signals::new(target, strategy.reentry(), strategy.warmup_bars())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Side;
    use crate::strategy::testing::{HOUR, T0, closes, letters, with_funding};
    use crate::strategy::{BuyAndHold, Desire::*};

    #[test]
    fn buy_and_hold_wants_its_side_from_the_open_of_the_first_bar() {
        let market = closes(&[100.0, 101.0, 99.0, 102.0]);
        assert_eq!(
            letters(&compute_signals(BuyAndHold::new(Side::Long), &market)),
            "LLLL"
        );
        let short = compute_signals(BuyAndHold::new(Side::Short), &market);
        assert_eq!(letters(&short), "SSSS");
        assert_eq!(short.reentry(), ReentryPolicy::Immediately);
    }

    #[test]
    fn no_bars_give_no_signals() {
        let market = closes(&[]);
        assert!(compute_signals(BuyAndHold::new(Side::Long), &market).is_empty());
    }

    /// Records how many funding rates it was shown at each close.
    struct Probe {
        known: Vec<usize>,
        last_time: Vec<i64>,
    }

    impl Strategy for Probe {
        fn warmup_bars(&self) -> usize {
            0
        }
        fn reentry(&self) -> ReentryPolicy {
            ReentryPolicy::NextSignalChange
        }
        fn on_bar(&mut self, history: &History<'_>) -> Desire {
            self.known.push(history.funding_rate.len());
            self.last_time.push(history.time[history.len() - 1]);
            Flat
        }
    }

    #[test]
    fn a_funding_rate_is_seen_from_the_close_of_the_bar_it_settles_in_never_earlier() {
        // Settlements at 00:00 and 02:00. Bar 1 closes at 02:00, the instant of the second
        // settlement, and must not see it: it is settled at the open of bar 2.
        let market = with_funding(
            closes(&[1.0, 2.0, 3.0, 4.0, 5.0]),
            &[(0, 0.0001), (2, 0.0002)],
        );
        let mut probe = Probe {
            known: Vec::new(),
            last_time: Vec::new(),
        };
        let signals = compute_signals(&mut probe, &market);
        assert_eq!(probe.known, [1, 1, 2, 2]);
        // Each close sees its own bar last; the last bar's close is never asked about.
        assert_eq!(
            probe.last_time,
            [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]
        );
        assert_eq!(signals.len(), 5);
    }

    fn signals(targets: &str, policy: ReentryPolicy) -> Signals {
        let t = targets
            .chars()
            .map(|c| match c {
                'L' => Long,
                'S' => Short,
                _ => Flat,
            })
            .collect();
        Signals::new(t, policy, 0)
    }

    fn replay(gate: &mut ReentryGate, s: &Signals, opens: std::ops::Range<usize>) -> String {
        let sig = Signals::new(opens.map(|i| gate.target(s, i)).collect(), s.reentry(), 0);
        crate::strategy::testing::letters(&sig)
    }

    #[test]
    fn buy_and_hold_stopped_out_in_bar_2_re_enters_at_the_open_of_bar_3() {
        let s = signals("LLLLLL", ReentryPolicy::Immediately);
        let mut gate = ReentryGate::new(s.reentry());
        assert_eq!(replay(&mut gate, &s, 0..2), "LL");
        gate.forced_exit(2);
        // Opens 2 (the exit bar itself) stays flat; 3 on holds again.
        assert_eq!(replay(&mut gate, &s, 2..6), ".LLL");
        assert!(!gate.is_blocked());
    }

    #[test]
    fn a_crossover_stopped_out_waits_for_the_next_crossing() {
        // Long regime from open 0 to 3, crossing down decided at the close of bar 3 → short at 4.
        let s = signals("LLLLSSSS", ReentryPolicy::NextSignalChange);
        let mut gate = ReentryGate::new(s.reentry());
        assert_eq!(replay(&mut gate, &s, 0..2), "LL");
        // Stopped out inside bar 1: the long regime goes on, but the engine stays flat …
        gate.forced_exit(1);
        assert_eq!(replay(&mut gate, &s, 2..4), "..");
        // … until the crossing: short from the open of bar 4.
        assert_eq!(replay(&mut gate, &s, 4..8), "SSSS");
    }

    #[test]
    fn a_crossing_at_the_close_of_the_exit_bar_counts_as_the_next_signal() {
        let s = signals("LLLLSSSS", ReentryPolicy::NextSignalChange);
        let mut gate = ReentryGate::new(s.reentry());
        gate.forced_exit(3);
        assert_eq!(replay(&mut gate, &s, 3..6), ".SS");
    }

    #[test]
    fn a_position_stopped_out_in_the_bar_it_was_opened_waits_for_the_change_after_it() {
        // Short entered at the open of bar 4 (the crossing) and stopped out inside bar 4: that
        // crossing is spent, and no later one comes.
        let s = signals("LLLLSSSS", ReentryPolicy::NextSignalChange);
        let mut gate = ReentryGate::new(s.reentry());
        gate.forced_exit(4);
        assert_eq!(replay(&mut gate, &s, 4..8), "....");
        assert!(gate.is_blocked());
    }

    #[test]
    fn the_gate_finds_a_change_between_two_opens_it_was_not_asked_about() {
        let s = signals("LLLLSSSS", ReentryPolicy::NextSignalChange);
        let mut gate = ReentryGate::new(s.reentry());
        gate.forced_exit(1);
        assert_eq!(gate.target(&s, 2), Flat);
        assert_eq!(gate.target(&s, 6), Short);
    }

    #[test]
    fn a_change_to_flat_also_unblocks_so_the_next_entry_is_taken() {
        // Long-only crossover: long, stopped out, regime ends (flat), long again at open 6.
        let s = signals("LLL...LL", ReentryPolicy::NextSignalChange);
        let mut gate = ReentryGate::new(s.reentry());
        gate.forced_exit(1);
        assert_eq!(replay(&mut gate, &s, 1..8), "......LL".get(1..).unwrap());
    }
}
