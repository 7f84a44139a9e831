//! The replay's state and its driver: alternate the fast path over quiet bars with the full
//! per-bar contract (`bar.rs`) on bars where something happens.

use crate::config::{IntrabarPolicy, RunSettings};
use crate::domain::{Side, TimestampMs, Usd};
use crate::market::{Candles, FundingSeries, MarkSeries, MarketData};
use crate::results::{EquityCurve, Event, EventKind, Prices, Trade};
use crate::strategy::{Desire, ReentryGate, ReentryPolicy, Signals};

use super::book::Factors;
use super::hot::{self, Columns, HotState};
use super::numbers::f64_of;
use super::position::Position;
use super::venue::Rules;

/// Bars `[from, to)` whose mark prices come from one source: the mark file, or (where it does not
/// cover them) the last price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub from: usize,
    pub to: usize,
    pub has_mark: bool,
}

/// Everything one replay reads and books. The market data (`'m`) outlives the replay: the equity
/// curve it returns borrows its columns.
#[derive(Debug)]
pub(crate) struct Replay<'a, 'm: 'a> {
    pub candles: &'m Candles,
    pub mark: Option<&'m MarkSeries>,
    pub funding: Option<&'a FundingSeries>,
    pub detail: Option<&'a Candles>,
    pub signals: &'a Signals,
    pub s: &'a RunSettings,
    pub rules: Rules<'a>,
    /// The replayed bars are `start..end` (the time range).
    pub start: usize,
    pub end: usize,
    pub interval_ms: i64,
    /// Per-run constants of the booking (fund divisor, slippage, stop and take-profit factors).
    pub factors: Factors,

    pub wallet: Usd,
    pub pos: Option<Position>,
    pub gate: ReentryGate,
    /// The bar of the last forced exit (for the fast path's view of the re-entry gate).
    pub forced_exit_bar: usize,
    /// A target whose order was refused; retried only once the target changes.
    pub rejected: Option<Desire>,
    pub ruined: Option<TimestampMs>,
    /// Next funding settlement not yet reached.
    pub funding_next: usize,
    /// Bracket-table change times, and the next one not yet reached.
    pub table_changes: Vec<i64>,
    pub table_next: usize,

    pub events: Vec<Event>,
    pub trades: Vec<Trade>,
    /// One point per replayed bar, held as one formula per run of bars.
    pub equity: EquityCurve<'m>,
    pub warnings: Vec<String>,
    pub ambiguous: u64,
    pub in_position: u64,
    pub closest_pct: Option<f64>,
    pub hot: HotState,
    /// The next bar must go to the slow path (re-entry at the next open after a forced exit).
    pub force_slow: bool,
    /// Bars `detail` had to resolve under `pessimistic` for want of lower-timeframe candles.
    pub detail_missing: u64,
}

impl<'a, 'm: 'a> Replay<'a, 'm> {
    pub fn new(
        market: &'m MarketData,
        signals: &'a Signals,
        s: &'a RunSettings,
        rules: Rules<'a>,
        detail: Option<&'a Candles>,
    ) -> Replay<'a, 'm> {
        let candles = &market.candles;
        let start = s.range.from.map_or(0, |t| candles.index_at_or_after(t));
        let end = s
            .range
            .to
            .map_or(candles.len(), |t| candles.index_at_or_after(t))
            .max(start);
        let first_time = candles.time.get(start).copied().unwrap_or(i64::MAX);
        let funding = market.funding.as_ref();
        let funding_next = funding.map_or(0, |f| f.time.partition_point(|&t| t < first_time));
        let table_changes: Vec<i64> = rules.schedule.change_times().map(|t| t.0).collect();
        let table_next = table_changes.partition_point(|&t| t <= first_time);
        // The logs are reserved once, so that they do not grow by copying: each change of target
        // makes at most one trade (a crossover re-enters only at a change after a forced exit) and
        // two fills; funding settlements in the range add one event each. A strategy that
        // re-enters immediately after stops may trade more, and the logs then grow as usual.
        let end_time = candles.time.get(end).copied().unwrap_or(i64::MAX);
        let settlements =
            funding.map_or(0, |f| f.time.partition_point(|&t| t < end_time)) - funding_next;
        let trades = signals.changes_in(start, end) + 2;
        Replay {
            candles,
            mark: market.mark.as_ref(),
            funding,
            detail,
            signals,
            s,
            rules,
            start,
            end,
            interval_ms: candles.interval.ms(),
            factors: Factors::new(s),
            wallet: s.account.initial_capital,
            pos: None,
            gate: ReentryGate::new(signals.reentry()),
            forced_exit_bar: 0,
            rejected: None,
            ruined: None,
            funding_next,
            table_changes,
            table_next,
            events: Vec::with_capacity(settlements + 2 * trades + 16),
            trades: Vec::with_capacity(trades),
            equity: EquityCurve::over(&candles.time[start..end], {
                let last = &candles.close[start..end];
                match &market.mark {
                    None => Prices::Complete(last),
                    Some(m) if m.uncovered == 0 => Prices::Complete(&m.close[start..end]),
                    Some(m) => Prices::MarkOrLast {
                        mark: &m.close[start..end],
                        last,
                    },
                }
            }),
            warnings: Vec::new(),
            ambiguous: 0,
            in_position: 0,
            closest_pct: None,
            hot: HotState {
                next_event_open: i64::MAX,
                watch: Desire::Flat,
                stop: f64::NEG_INFINITY,
                liq: f64::NEG_INFINITY,
                take_profit: f64::INFINITY,
                trail_mult: None,
                best: 0.0,
                base: 0.0,
                qty_signed: 0.0,
                mark_extreme: f64::INFINITY,
            },
            force_slow: false,
            detail_missing: 0,
        }
    }

    /// Runs of bars by mark source, computed once: one segment unless the mark file leaves holes.
    pub fn segments(&self) -> Vec<Segment> {
        let (start, end) = (self.start, self.end);
        let Some(mark) = self.mark else {
            return vec![Segment {
                from: start,
                to: end,
                has_mark: false,
            }];
        };
        if mark.uncovered == 0 {
            return vec![Segment {
                from: start,
                to: end,
                has_mark: true,
            }];
        }
        let mut out: Vec<Segment> = Vec::new();
        for i in start..end {
            let has_mark = mark.is_covered(i);
            match out.last_mut() {
                Some(seg) if seg.has_mark == has_mark => seg.to = i + 1,
                _ => out.push(Segment {
                    from: i,
                    to: i + 1,
                    has_mark,
                }),
            }
        }
        out
    }

    /// Replay every bar of the range. `slow_only` sends every bar through the full contract (the
    /// reference the fast path is tested against).
    pub fn run(&mut self, slow_only: bool) {
        for seg in self.segments() {
            let mut i = seg.from;
            while i < seg.to {
                if self.ruined.is_some() {
                    let w = f64_of(self.wallet.get());
                    self.equity.flat_from(i - self.start, w);
                    return;
                }
                if !(slow_only || self.force_slow) {
                    i += self.skip_quiet_bars(i, seg);
                    if i >= seg.to {
                        break;
                    }
                }
                self.force_slow = false;
                self.bar(i);
                i += 1;
            }
        }
    }

    /// Fast path from bar `i` to the end of the segment; returns how many bars it skipped.
    fn skip_quiet_bars(&mut self, i: usize, seg: Segment) -> usize {
        let c = self.candles;
        let to = seg.to;
        let target = &self.signals.targets()[i..to];
        let Some(pos) = &self.pos else {
            let k = hot::flat(target, self.hot.watch);
            if k > 0 {
                self.equity
                    .flat_from(i - self.start, f64_of(self.wallet.get()));
            }
            return k;
        };
        let (mh, ml, mo) = match (seg.has_mark, self.mark) {
            (true, Some(m)) => (&m.high[i..to], &m.low[i..to], &m.open[i..to]),
            _ => (&c.high[i..to], &c.low[i..to], &c.open[i..to]),
        };
        // The mark extreme `hold` does not compare is the favourable one.
        let mark_favourable = match pos.side {
            Side::Long => mh,
            Side::Short => ml,
        };
        let cols = Columns {
            time: &c.time[i..to],
            high: &c.high[i..to],
            low: &c.low[i..to],
            mark_high: mh,
            mark_low: ml,
            target,
            ahead: [&c.open[i..to], &c.close[i..to], mo, mark_favourable],
        };
        // One loop per side and per set of levels (see `hot::hold`); a trailing stop implies
        // reading the favourable extreme.
        let h = &mut self.hot;
        let trail = h.trail_mult.is_some();
        let favourable = trail || h.take_profit != f64::INFINITY;
        let k = match (pos.side, trail, favourable) {
            (Side::Long, true, _) => hot::hold::<true, true, true>(cols, h),
            (Side::Long, false, true) => hot::hold::<true, false, true>(cols, h),
            (Side::Long, false, false) => hot::hold::<true, false, false>(cols, h),
            (Side::Short, true, _) => hot::hold::<false, true, true>(cols, h),
            (Side::Short, false, true) => hot::hold::<false, false, true>(cols, h),
            (Side::Short, false, false) => hot::hold::<false, false, false>(cols, h),
        };
        if k > 0 {
            self.equity
                .marked_from(i - self.start, self.hot.base, self.hot.qty_signed);
        }
        self.in_position += k as u64;
        k
    }

    /// Rebuild the fast path's f64 mirror after the slow path changed the account.
    pub fn rebuild_hot(&mut self) {
        let next_funding = self
            .funding
            .and_then(|f| f.time.get(self.funding_next))
            .map_or(i64::MAX, |&t| t.saturating_sub(self.interval_ms) + 1);
        let isolated = self.is_isolated();
        let h = &mut self.hot;
        h.next_event_open = next_funding;
        match &self.pos {
            Some(p) => {
                let next_table = self
                    .table_changes
                    .get(self.table_next)
                    .copied()
                    .unwrap_or(i64::MAX);
                h.next_event_open = h.next_event_open.min(next_table);
                let lv = p.levels();
                h.watch = Desire::from_side(p.side);
                // A stop at or beyond the liquidation price can never fill (exchange-rules §5.1).
                h.stop = if lv.stop > lv.liq {
                    lv.stop
                } else {
                    f64::NEG_INFINITY
                };
                h.liq = lv.liq;
                h.take_profit = lv.take_profit;
                h.trail_mult = lv.trail_mult;
                h.best = lv.best;
                let m = &p.mirror;
                let isolated_margin = if isolated { m.margin } else { 0.0 };
                h.base = f64_of(self.wallet.get()) + isolated_margin - m.qty_signed * m.entry;
                h.qty_signed = m.qty_signed;
            }
            None => {
                h.watch = Desire::Flat;
                if self.gate.is_blocked() {
                    match self.signals.reentry() {
                        ReentryPolicy::NextSignalChange => {
                            h.watch = self.signals.target_at_open(self.forced_exit_bar);
                        }
                        ReentryPolicy::Immediately => self.force_slow = true,
                    }
                } else if let Some(r) = self.rejected {
                    h.watch = r;
                }
            }
        }
    }

    pub fn is_isolated(&self) -> bool {
        self.s.account.margin_mode == crate::config::MarginMode::Isolated
    }

    pub fn intrabar(&self) -> IntrabarPolicy {
        self.s.execution.intrabar
    }

    pub fn push(&mut self, time: i64, kind: EventKind) {
        self.events.push(Event {
            time: TimestampMs(time),
            kind,
        });
    }

    /// Record a warning: `summary` once in the run's warnings, `detail` as an event each time.
    pub fn warn(&mut self, time: i64, summary: &str, detail: String) {
        self.note_warning(summary);
        self.push(time, EventKind::Warning { message: detail });
    }

    /// `summary` in the run's warnings, once (the caller logs the event).
    pub fn note_warning(&mut self, summary: &str) {
        if !self.warnings.iter().any(|w| w == summary) {
            self.warnings.push(summary.to_string());
        }
    }
}
