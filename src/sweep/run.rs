//! Running a plan: every configuration of a shard replayed by the engine on a rayon worker, each
//! reduced at once to what the report needs.

use std::ops::Range;

use super::parallel::run_grouped;
use super::series::{self, CHART_BUCKETS, Thinned};
use super::{Point, SweepError, SweepPlan};
use crate::config::RunSettings;
use crate::engine;
use crate::exchange::BracketSchedule;
use crate::market::{Candles, MarketData};
use crate::results::{EventKind, RunResult, Stats, Trade};
use crate::strategy::Signals;

/// What a sweep reads, shared by reference by every worker: nothing here is copied per
/// configuration.
#[derive(Debug, Clone, Copy)]
pub struct SweepInput<'a> {
    pub market: &'a MarketData,
    pub schedule: &'a BracketSchedule,
    /// Lower-timeframe candles for `intrabar = "detail"`.
    pub detail: Option<&'a Candles>,
}

/// One configuration's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: usize,
    pub stats: Stats,
    /// Orders the exchange model refused (below the minimum order, or leverage over the bracket's
    /// limit for that size): a configuration that never traded says why.
    pub orders_rejected: usize,
    /// Kept only for the configurations the per-leverage charts show ([`SweepPlan::is_charted`]).
    pub chart: Option<ChartRun>,
}

/// A charted configuration's curves, thinned for drawing, and its trades.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRun {
    pub equity: Thinned,
    /// Drawdown as a positive fraction of the running peak, computed on every bar and then thinned
    /// (so the deepest point survives).
    pub drawdown: Thinned,
    pub trades: Vec<Trade>,
    /// Per trade: the equity at the close of the bar it ended in, from the full curve (so that a
    /// liquidation is marked where it happened, whatever the thinning kept).
    pub exit_equity: Vec<f64>,
    /// Per trade: the drawdown at that close, as a positive fraction of the running peak.
    pub exit_drawdown: Vec<f64>,
}

impl ChartRun {
    /// One pass over the curve, valued on the fly: nothing of per-bar size is allocated, so a
    /// charted configuration costs little more than any other.
    fn from_run(run: RunResult) -> ChartRun {
        let curve = &run.equity;
        let time = curve.time();
        // The bar a trade ended in: the last curve point at or before its exit time (a detail
        // exit inside an hour bar belongs to that hour). Trades end in time order, so one walk
        // forward finds them all.
        let mut bars_after = 0;
        let exit_bars: Vec<Option<usize>> = run
            .trades
            .iter()
            .map(|t| {
                bars_after = bars_at_or_before(time, bars_after, t.exit_time.0);
                bars_after.checked_sub(1)
            })
            .collect();
        // The equity and drawdown at an exit (the drawdown needs the running peak): picked up as
        // the pass reaches the bar.
        let mut wanted: Vec<(usize, usize)> = exit_bars
            .iter()
            .enumerate()
            .filter_map(|(j, b)| b.map(|i| (i, j)))
            .collect();
        wanted.sort_unstable();
        let mut exit_equity = vec![f64::NAN; run.trades.len()];
        let mut exit_drawdown = vec![f64::NAN; run.trades.len()];
        let mut equity = series::MinMax::new(curve.len(), CHART_BUCKETS);
        let mut drawdown = series::MinMax::new(curve.len(), CHART_BUCKETS);
        let (mut k, mut next, mut peak) = (0usize, 0usize, f64::NEG_INFINITY);
        curve.for_each_point(|t, e| {
            peak = peak.max(e);
            let dd = crate::results::drawdown_below(peak, e);
            equity.push(t, e);
            drawdown.push(t, dd);
            while let Some(&(bar, j)) = wanted.get(next).filter(|w| w.0 == k) {
                debug_assert_eq!(bar, k);
                exit_equity[j] = e;
                exit_drawdown[j] = dd;
                next += 1;
            }
            k += 1;
        });
        ChartRun {
            equity: equity.finish(),
            drawdown: drawdown.finish(),
            trades: run.trades,
            exit_equity,
            exit_drawdown,
        }
    }
}

/// How many bars of the sorted `time` open at or before `t`, knowing that the first `from` do (a
/// hint from the previous, earlier time; ignored if wrong): gallops forward from `from`, as the
/// next trade's exit is usually a few dozen bars on, instead of searching all of `time`.
fn bars_at_or_before(time: &[i64], from: usize, t: i64) -> usize {
    let from = from.min(time.len());
    if from > 0 && time[from - 1] > t {
        return time.partition_point(|&x| x <= t);
    }
    let mut step = 1;
    let mut lo = from;
    while lo + step <= time.len() && time[lo + step - 1] <= t {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(time.len());
    lo + time[lo..hi].partition_point(|&x| x <= t)
}

/// Replay configurations `ids` of `plan` in parallel on the current rayon pool, signals computed
/// once per parameter group. Skipped parameter combinations produce no outcome. `done` is called
/// after each configuration. Outcomes come back in id order, identical whatever the thread count.
pub fn run_plan(
    plan: &SweepPlan,
    ids: Range<usize>,
    input: SweepInput<'_>,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Outcome>, SweepError> {
    let grid = plan.grid();
    let signals = |g: usize| -> Result<Option<Signals>, SweepError> {
        Ok(plan.strategy(g).ok().map(|spec| spec.signals(input.market)))
    };
    let run = |id: usize, shared: &Option<Signals>| -> Result<Option<Outcome>, SweepError> {
        let point = grid.point(id);
        let (Some(signals), Some(settings)) = (shared, plan.settings(&point)?) else {
            return Ok(None);
        };
        Ok(Some(run_one(plan, &point, &settings, signals, input)))
    };
    let outcomes = run_grouped(ids, grid.group_len(), signals, run, done)?;
    Ok(outcomes.into_iter().flatten().collect())
}

/// One configuration through the engine, reduced to its statistics (and curves when charted).
pub fn run_one(
    plan: &SweepPlan,
    point: &Point,
    settings: &RunSettings,
    signals: &Signals,
    input: SweepInput<'_>,
) -> Outcome {
    let result = engine::run(
        input.market,
        signals,
        settings,
        input.schedule,
        input.detail,
    );
    let stats = result.stats();
    let orders_rejected = result
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Rejection { .. }))
        .count();
    let chart = plan.is_charted(point).then(|| ChartRun::from_run(result));
    Outcome {
        id: point.id,
        stats,
        orders_rejected,
        chart,
    }
}

#[cfg(test)]
mod tests {
    use super::bars_at_or_before;

    #[test]
    fn the_forward_walk_counts_the_bars_at_or_before_a_time_as_a_search_does() {
        // Bars with gaps; hints at, before and after the answer (a wrong hint is ignored).
        let time: Vec<i64> = (0..200).map(|k: i64| k * 3 + (k * k) % 5).collect();
        for t in -3..700 {
            let expected = time.partition_point(|&x| x <= t);
            for from in [
                0,
                1,
                expected.saturating_sub(1),
                expected,
                expected + 1,
                150,
                199,
                200,
                300,
            ] {
                assert_eq!(
                    bars_at_or_before(&time, from, t),
                    expected,
                    "t {t}, from {from}"
                );
            }
        }
        assert_eq!(bars_at_or_before(&[], 0, 5), 0);
    }
}
