//! The per-bar fast path: runs of bars where nothing happens.
//!
//! The replay alternates between two paths. The *slow path* (`bar.rs`) executes the full per-bar
//! contract for one bar, in `Decimal`, pushing events. The *fast path* here skips bars on which the
//! slow path would do nothing but mark equity and track the trailing high: it compares f64 trigger
//! levels with the bar's f64 high/low and returns at the first bar that might need more — a
//! funding time or bracket-table change inside the bar, a target that differs from the position,
//! or a bar reaching a stop, take-profit, trailing level (including one raised by this bar's own
//! extreme) or the liquidation price. The filter is conservative: when in doubt it hands the bar to
//! the slow path, which decides exactly. A property test runs every bar through the slow path and
//! checks that the result is identical.
//!
//! The side and the set of levels (trailing stop, take-profit) are const generics, so the loop holds
//! no branch on them; it compares a bar's quoted prices with levels held in the long view (see
//! `intrabar`) and negated once for a short. Every column is pre-sliced to the run of bars, so the
//! loop indexes without bounds checks, and it allocates nothing.

use crate::strategy::Desire;

/// Read-only columns for the fast path, all cut to the same run of bars.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns<'a> {
    pub time: &'a [i64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    /// Mark columns (the last-price ones where no mark covers these bars).
    pub mark_high: &'a [f64],
    pub mark_low: &'a [f64],
    pub target: &'a [Desire],
    /// Columns only the slow path reads (open, close, mark open, and the mark's favourable
    /// extreme — the mark high of a long, the mark low of a short): touched ahead, see `hold`.
    pub ahead: [&'a [f64]; 4],
}

/// How many bars ahead `hold` touches the columns only the slow path reads.
const AHEAD: usize = 32;

/// f64 values per 64-byte cache line: `hold` touches each line ahead once.
const PER_LINE: usize = 8;

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

/// Holding a position on `LONG`'s side: returns the number of bars skipped; bar `skipped` (if any)
/// goes to the slow path. The skipped bars' equity is `base + qty_signed × mark close`, the formula
/// the caller records once for the whole run (see `results::EquityCurve`).
///
/// `TRAIL`: the position has a trailing stop, so the loop tracks the best price and moves the stop
/// with it. `FAVOURABLE`: it has a trailing stop or a take-profit, so the loop reads the favourable
/// extreme at all. Without them (the common case of a plain stop-loss) the loop has less to do per
/// bar: it is bound by its instructions more than by memory (callgrind: ~35 per bar before this
/// split). The best price only ever sets a trailing level (`intrabar`), so a position without one
/// does not track it here; the slow path's own update of it changes nothing either.
///
/// The loop compares the quoted prices, not their long view: a short's levels are negated once
/// before the loop instead of each bar's prices inside it (negation is exact, so every comparison
/// has the same outcome).
#[inline(never)]
pub(crate) fn hold<const LONG: bool, const TRAIL: bool, const FAVOURABLE: bool>(
    cols: Columns<'_>,
    st: &mut HotState,
) -> usize {
    let n = cols.time.len();
    let (time, target) = (&cols.time[..n], &cols.target[..n]);
    // Quoted columns by role: the adverse extreme (a long's low, a short's high), the favourable
    // one, and the adverse mark extreme.
    let (adverse, favourable, mark_adverse) = if LONG {
        (&cols.low[..n], &cols.high[..n], &cols.mark_low[..n])
    } else {
        (&cols.high[..n], &cols.low[..n], &cols.mark_high[..n])
    };
    // Long-view levels as quoted prices (a short's are negated).
    let side = if LONG { 1.0 } else { -1.0 };
    let HotState {
        next_event_open,
        watch,
        ..
    } = *st;
    let stop = side * st.stop;
    let liq = side * st.liq;
    let take_profit = side * st.take_profit;
    let trail_mult = st.trail_mult.unwrap_or(1.0);
    let mut best = side * st.best;
    let mut mark_extreme = side * st.mark_extreme;
    // `x` at or beyond `level` in the adverse direction (touching counts), and the reverse.
    let adverse_reach = |x: f64, level: f64| if LONG { x <= level } else { x >= level };
    let favourable_reach = |x: f64, level: f64| if LONG { x >= level } else { x <= level };
    let [o, c, mo, mf] = cols.ahead;
    let (o, c, mo, mf) = (&o[..n], &c[..n], &mo[..n], &mf[..n]);
    let mut touched = 0u64;
    let mut k = 0;
    while k < n {
        // The bar that ends this run goes to the slow path, which reads its open, close, mark open
        // and both mark extremes: columns this loop does not otherwise stream (it reads only the
        // adverse mark extreme), so that bar would wait on memory.
        // Reading them a few cache lines ahead lets the hardware bring them in while we loop; the
        // favourable extreme too, where this loop does not read it.
        if k % PER_LINE == 0 {
            let j = (k + AHEAD).min(n - 1);
            touched ^= o[j].to_bits() ^ c[j].to_bits() ^ mo[j].to_bits() ^ mf[j].to_bits();
            if !FAVOURABLE {
                touched ^= favourable[j].to_bits();
            }
        }
        // The stop level this bar is tested against: the stop-loss, or the trailing level where
        // that is nearer — including one raised by this very bar's extreme, which may be crossed
        // inside it under `ohlc` or `detail`: such a bar goes to the slow path too.
        let level = if TRAIL {
            let trail = further::<LONG>(best, favourable[k]) * trail_mult;
            nearer::<LONG>(stop, trail)
        } else {
            stop
        };
        let mut anything = (time[k] >= next_event_open)
            | (target[k] != watch)
            | adverse_reach(adverse[k], level)
            | adverse_reach(mark_adverse[k], liq);
        if FAVOURABLE {
            anything |= favourable_reach(favourable[k], take_profit);
        }
        if anything {
            break;
        }
        if TRAIL {
            best = further::<LONG>(best, favourable[k]);
        }
        mark_extreme = if LONG {
            lower(mark_extreme, mark_adverse[k])
        } else {
            higher(mark_extreme, mark_adverse[k])
        };
        k += 1;
    }
    std::hint::black_box(touched);
    if TRAIL {
        st.best = side * best;
    }
    st.mark_extreme = side * mark_extreme;
    k
}

/// The more favourable of two quoted prices (a long's higher, a short's lower), for a `best` that
/// is never NaN (see [`higher`]).
#[inline(always)]
fn further<const LONG: bool>(best: f64, x: f64) -> f64 {
    if LONG {
        higher(best, x)
    } else {
        lower(best, x)
    }
}

/// The adverse level reached first (a long's higher stop, a short's lower), as `f64::max` (or
/// `min`) of the long view picks it: an absent stop is −∞ in the long view.
#[inline(always)]
fn nearer<const LONG: bool>(stop: f64, trail: f64) -> f64 {
    if LONG {
        stop.max(trail)
    } else {
        stop.min(trail)
    }
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
