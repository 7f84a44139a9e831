//! The per-bar fast path: runs of bars where nothing happens.
//!
//! The replay alternates between two paths. The *slow path* (`bar.rs`) executes the full per-bar
//! contract for one bar, in `Decimal`, pushing events. The *fast path* here skips bars on which the
//! slow path would do nothing but mark equity and track the trailing high: it compares f64 trigger
//! levels with the bar's f64 high/low and returns at the first bar that might need more — a
//! funding time or bracket-table change inside the bar, a target that differs from the position
//! (the caller ends the run there), or a bar reaching a stop, take-profit, trailing level
//! (including one raised by this bar's own extreme) or the liquidation price. Where the signals
//! carry the market's block extremes (`market::extremes`), a whole block of bars — and the short
//! head and tail of a run between two changes of target — is cleared by one test of its extremes,
//! without reading its bars. The filter is conservative: when in doubt it hands the bar to the
//! slow path, which decides exactly. A property test runs every bar through the slow path and
//! checks that the result is identical, with and without the block extremes.
//!
//! The side is a const generic, so the loop holds no branch on it; prices of a short are negated
//! into the long view (see `intrabar`). Every column is pre-sliced to the run of bars, so the loop
//! indexes without bounds checks, and it allocates nothing.

use crate::market::Span;
pub(crate) use crate::market::extremes::BLOCK_BARS;
use crate::strategy::Desire;

/// Read-only columns for the fast path, all cut to the same run of bars. The run ends before the
/// next bar whose target differs from the position (the caller cuts it there from the signals'
/// list of changes), so the loop never reads the targets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns<'a> {
    /// Index in the market of the run's first bar (blocks are aligned to bar 0).
    pub first: usize,
    pub time: &'a [i64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    /// Mark columns (the last-price ones where no mark covers these bars).
    pub mark_high: &'a [f64],
    pub mark_low: &'a [f64],
    /// The same columns' extremes per block of [`BLOCK_BARS`], when the signals carry them.
    pub blocks: Option<Blocks<'a>>,
    /// The extremes of the run's first bars up to the first block boundary, and of its last bars
    /// from the last block boundary (each only when it lies inside the run; see `market::Edges`).
    pub head: Option<Span>,
    pub tail: Option<Span>,
}

/// Per-block extremes of the columns in [`Columns`], indexed by block (`bar / BLOCK_BARS`) over
/// the whole market: lowest low, highest high, and those of the mark (or of the last price where
/// no mark covers these bars), and the open time of each block's last bar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blocks<'a> {
    pub low: &'a [f64],
    pub high: &'a [f64],
    pub mark_low: &'a [f64],
    pub mark_high: &'a [f64],
    pub last_time: &'a [i64],
}

/// The f64 mirror of the account kept by the fast path; rebuilt by the slow path after every event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HotState {
    /// A bar opening at or after this time holds a funding time or a table change: slow path.
    pub next_event_open: i64,
    /// The target the current state is content with (the position's side, or flat).
    pub watch: Desire,
    /// Long view: stop-loss, liquidation price, take-profit (±∞ when absent).
    pub stop: f64,
    pub liq: f64,
    pub take_profit: f64,
    /// Trailing multiplier in the long view (`None` without a trailing stop) and the best price so far.
    pub trail_mult: Option<f64>,
    pub best: f64,
    /// Equity at the mark close = `base + qty_signed × mark_close`.
    pub base: f64,
    pub qty_signed: f64,
    /// Lowest mark low in the long view since the liquidation price last changed.
    pub mark_extreme: f64,
}

/// One bar's prices in the long view: the adverse and favourable extremes and the adverse mark.
#[derive(Debug, Clone, Copy)]
struct View {
    adverse: f64,
    favourable: f64,
    mark_adverse: f64,
}

impl View {
    /// Long view: the adverse extreme is the low (a short's negated high) and vice versa. Negation
    /// is exact, and turns a block's highest high into its lowest adverse price.
    #[inline(always)]
    fn of<const LONG: bool>(high: f64, low: f64, mark_high: f64, mark_low: f64) -> View {
        if LONG {
            View {
                adverse: low,
                favourable: high,
                mark_adverse: mark_low,
            }
        } else {
            View {
                adverse: -high,
                favourable: -low,
                mark_adverse: -mark_high,
            }
        }
    }
}

/// Holding a position on `LONG`'s side: returns the number of bars skipped; bar `skipped` (if any)
/// goes to the slow path. The skipped bars' equity is `base + qty_signed × mark close`, the formula
/// the caller records once for the whole run (see `results::EquityCurve`).
///
/// A whole block of [`BLOCK_BARS`] bars inside the run — and the run's head and tail short of a
/// block, when the caller has their extremes — is skipped with one test of its extremes when even
/// they reach no level; that test is conservative and exact: every bar's adverse price is at
/// least the block's lowest, every favourable price at most its highest, a trailing level raised
/// inside the block at most the one raised by the block's highest price (rounding is monotone), and
/// every bar opens no later than the block's last. The trailing best and the closest mark are the
/// same fold (max and min, NaN never winning) whether taken bar by bar or block by block. A block
/// the test does not clear is read bar by bar, as are the bars before the first block boundary and
/// after the last.
#[inline(never)]
pub(crate) fn hold<const LONG: bool>(cols: Columns<'_>, st: &mut HotState) -> usize {
    let n = cols.time.len();
    let (time, high, low) = (&cols.time[..n], &cols.high[..n], &cols.low[..n]);
    let (mark_high, mark_low) = (&cols.mark_high[..n], &cols.mark_low[..n]);
    // Every field the loop reads, in locals: nothing is reloaded through `st` per bar.
    let HotState {
        next_event_open,
        liq,
        take_profit,
        trail_mult,
        ..
    } = *st;
    let adverse_stop = st.stop;
    let mut best = st.best;
    let mut mark_extreme = st.mark_extreme;
    // A trailing level raised by a bar's own extreme may be crossed inside it under `ohlc` or
    // `detail`: such a bar goes to the slow path too.
    let trail = |best: f64, favourable: f64| match trail_mult {
        Some(m) => higher(best, favourable) * m,
        None => f64::NEG_INFINITY,
    };
    let reaches = |v: View, best: f64| {
        (v.adverse <= adverse_stop.max(trail(best, v.favourable)))
            | (v.mark_adverse <= liq)
            | (v.favourable >= take_profit)
    };
    let quiet = |s: &Span, best: f64| {
        let v = View::of::<LONG>(s.high, s.low, s.mark_high, s.mark_low);
        ((s.last_time < next_event_open) & !reaches(v, best), v)
    };
    let mut k = 0;
    if let Some(h) = &cols.head
        && let (true, v) = quiet(h, best)
    {
        best = higher(best, v.favourable);
        mark_extreme = lower(mark_extreme, v.mark_adverse);
        k = h.len;
    }
    while k < n {
        if let Some(t) = &cols.tail
            && cols.first + k == t.from
        {
            if let (true, v) = quiet(t, best) {
                best = higher(best, v.favourable);
                mark_extreme = lower(mark_extreme, v.mark_adverse);
                k = n;
                break;
            }
        } else if let Some(b) = cols.blocks
            && (cols.first + k).is_multiple_of(BLOCK_BARS)
            && k + BLOCK_BARS <= n
        {
            let j = (cols.first + k) / BLOCK_BARS;
            let v = View::of::<LONG>(b.high[j], b.low[j], b.mark_high[j], b.mark_low[j]);
            if (b.last_time[j] < next_event_open) & !reaches(v, best) {
                best = higher(best, v.favourable);
                mark_extreme = lower(mark_extreme, v.mark_adverse);
                k += BLOCK_BARS;
                continue;
            }
        }
        let v = View::of::<LONG>(high[k], low[k], mark_high[k], mark_low[k]);
        if (time[k] >= next_event_open) | reaches(v, best) {
            break;
        }
        best = higher(best, v.favourable);
        mark_extreme = lower(mark_extreme, v.mark_adverse);
        k += 1;
    }
    st.best = best;
    st.mark_extreme = mark_extreme;
    k
}

/// `best.max(x)` for a `best` that is never NaN, as one compare: `f64::max` must also return `x`
/// when `best` is NaN, which puts a second step in the chain from one bar to the next. A NaN `x`
/// never wins the compare, as `max` ignores it; the two could differ only in the sign of a zero,
/// and prices are never zero.
#[inline(always)]
fn higher(best: f64, x: f64) -> f64 {
    if x > best { x } else { best }
}

/// `low.min(x)` for a `low` that is never NaN (see [`higher`]).
#[inline(always)]
fn lower(low: f64, x: f64) -> f64 {
    if x < low { x } else { low }
}

/// Flat: skips bars whose target is the one the account is content with. Equity does not move.
#[inline(never)]
pub(crate) fn flat(target: &[Desire], watch: Desire) -> usize {
    target
        .iter()
        .position(|&t| t != watch)
        .unwrap_or(target.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::{BlockExtremes, Candles, Edges, MarkSeries, MarketData};

    /// 200 bars drifting around 100 (a ±1.5 zig-zag), with one spike: bar `spike`'s low (and mark
    /// low) falls to 90 and its high rises to 110.
    fn market(spike: usize) -> MarketData {
        let n = 200;
        let mid: Vec<f64> = (0..n)
            .map(|i| 100.0 + ((i * 37) % 7) as f64 * 0.5 - 1.5)
            .collect();
        let low: Vec<f64> = (0..n)
            .map(|i| if i == spike { 90.0 } else { mid[i] - 0.5 })
            .collect();
        let high: Vec<f64> = (0..n)
            .map(|i| if i == spike { 110.0 } else { mid[i] + 0.5 })
            .collect();
        let candles = Candles {
            time: (0..n as i64).map(|i| i * 60_000).collect(),
            open: mid.clone(),
            high: high.clone(),
            low: low.clone(),
            close: mid.clone(),
            volume: vec![1.0; n],
            ..Candles::default()
        };
        let mark = MarkSeries {
            source: String::new(),
            open: mid.clone(),
            high: high.iter().map(|h| h - 0.1).collect(),
            low: low.iter().map(|l| l + 0.1).collect(),
            close: mid,
            uncovered: 0,
        };
        MarketData {
            candles,
            mark: Some(mark),
            funding: None,
        }
    }

    fn state(
        stop: f64,
        liq: f64,
        take_profit: f64,
        trail: Option<f64>,
        next_event: i64,
    ) -> HotState {
        HotState {
            next_event_open: next_event,
            watch: Desire::Long,
            stop,
            liq,
            take_profit,
            trail_mult: trail,
            best: 100.0,
            base: 0.0,
            qty_signed: 1.0,
            mark_extreme: f64::INFINITY,
        }
    }

    /// `hold` from bar `from` to `to`, bar by bar and over the blocks (with the run's edges as the
    /// replay computes them when `from − 1` and `to` are changes of target).
    fn both<const LONG: bool>(
        m: &MarketData,
        from: usize,
        to: usize,
        st: HotState,
    ) -> ((usize, HotState), (usize, HotState)) {
        let x = BlockExtremes::of(m);
        let (c, mk) = (&m.candles, m.mark.as_ref().unwrap());
        let cols = |blocks: bool| Columns {
            first: from,
            time: &c.time[from..to],
            high: &c.high[from..to],
            low: &c.low[from..to],
            mark_high: &mk.high[from..to],
            mark_low: &mk.low[from..to],
            blocks: blocks.then_some(Blocks {
                low: &x.low,
                high: &x.high,
                mark_low: &x.mark_low,
                mark_high: &x.mark_high,
                last_time: &x.last_time,
            }),
            head: blocks
                .then(|| Edges::of(m, from - 1, Some(to)).head)
                .filter(|h| h.len > 0 && h.from + h.len <= to),
            tail: blocks
                .then(|| Edges::of(m, to, None).tail)
                .filter(|t| t.from >= from && t.len > 0),
        };
        let (mut a, mut b) = (st, st);
        let ka = hold::<LONG>(cols(false), &mut a);
        let kb = hold::<LONG>(cols(true), &mut b);
        ((ka, a), (kb, b))
    }

    #[test]
    fn skipping_blocks_and_edges_stops_at_the_same_bar_with_the_same_state_as_bar_by_bar() {
        // The spike at every position of a block, and runs that start and end anywhere in one.
        for spike in [150, 40, 47, 48, 63, 64, 65, 99, 120, 131] {
            let m = market(spike);
            for (from, to) in [(1, 199), (5, 150), (16, 160), (17, 70), (33, 47), (40, 41)] {
                let cases = [
                    // A stop the spike reaches, and the liquidation price, the take-profit and a
                    // trailing stop it reaches; then levels nothing reaches.
                    state(95.0, 80.0, f64::INFINITY, None, i64::MAX),
                    state(f64::NEG_INFINITY, 92.0, f64::INFINITY, None, i64::MAX),
                    state(f64::NEG_INFINITY, 80.0, 105.0, None, i64::MAX),
                    state(f64::NEG_INFINITY, 80.0, f64::INFINITY, Some(0.95), i64::MAX),
                    state(80.0, 70.0, 120.0, Some(0.5), i64::MAX),
                    // A funding time opening bar 100.
                    state(80.0, 70.0, 120.0, None, 100 * 60_000),
                ];
                for st in cases {
                    let (a, b) = both::<true>(&m, from, to, st);
                    assert_eq!(a, b, "long, spike {spike}, bars {from}..{to}, {st:?}");
                }
                // A short, in the long view (prices negated): the spike's high reaches the stop
                // and the liquidation price, its low the take-profit and the trailing stop.
                let short = |stop, liq, tp, trail, next| HotState {
                    best: -100.0,
                    qty_signed: -1.0,
                    ..state(stop, liq, tp, trail, next)
                };
                for st in [
                    short(-105.0, -120.0, f64::INFINITY, None, i64::MAX),
                    short(f64::NEG_INFINITY, -108.0, f64::INFINITY, None, i64::MAX),
                    short(f64::NEG_INFINITY, -120.0, -95.0, None, i64::MAX),
                    short(
                        f64::NEG_INFINITY,
                        -120.0,
                        f64::INFINITY,
                        Some(1.05),
                        i64::MAX,
                    ),
                    short(-120.0, -130.0, -80.0, Some(1.5), 100 * 60_000),
                ] {
                    let (a, b) = both::<false>(&m, from, to, st);
                    assert_eq!(a, b, "short, spike {spike}, bars {from}..{to}, {st:?}");
                }
            }
        }
    }

    #[test]
    fn a_quiet_run_is_skipped_whole_when_its_blocks_and_edges_reach_nothing() {
        let m = market(150);
        let st = state(90.5, 80.0, 120.0, None, i64::MAX);
        let ((ka, a), (kb, b)) = both::<true>(&m, 5, 140, st);
        assert_eq!((ka, kb), (135, 135));
        assert_eq!(a, b);
        // The best high and the lowest mark low of the run, folded block by block.
        assert_eq!(a.best.to_bits(), 102.0f64.to_bits());
        assert!((a.mark_extreme - (98.5 - 0.5 + 0.1)).abs() < 1e-12);
    }
}
