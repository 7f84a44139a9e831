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

/// Bars the chart pass values at a time (32 KB of equity and of drawdown: they stay in L1/L2).
const CHART_CHUNK: usize = 4096;

impl ChartRun {
    /// One pass over the curve, valued a chunk of bars at a time: nothing of per-bar size is
    /// allocated, so a charted configuration costs little more than any other.
    fn from_run(run: RunResult) -> ChartRun {
        ChartRun::from_run_in_chunks(run, CHART_CHUNK)
    }

    fn from_run_in_chunks(run: RunResult, chunk: usize) -> ChartRun {
        let curve = &run.equity;
        // A trade is marked at the bar it ended in: the last curve point at or before its exit
        // time (a detail exit inside an hour bar belongs to that hour). The pass reads every bar's
        // time anyway, so a trade's bar is the one before the first bar that opens after its exit,
        // and its equity and drawdown (which needs the running peak) are picked up as the pass
        // goes: no search of the time column. Trades end in time order; sorting their exits keeps
        // this right even if they did not.
        let mut exits: Vec<(i64, usize)> = run
            .trades
            .iter()
            .enumerate()
            .map(|(j, t)| (t.exit_time.0, j))
            .collect();
        exits.sort_unstable();
        let mut exit_equity = vec![f64::NAN; run.trades.len()];
        let mut exit_drawdown = vec![f64::NAN; run.trades.len()];
        let mut equity = series::MinMax::new(curve.len(), CHART_BUCKETS);
        let mut drawdown = series::MinMax::new(curve.len(), CHART_BUCKETS);
        let time = curve.time();
        let mut next = 0usize;
        let mut next_exit = exits.first().map_or(i64::MAX, |x| x.0);
        let mut peak = f64::NEG_INFINITY;
        // The last bar's equity and drawdown so far (NaN before the first bar: an exit before the
        // curve starts has no bar).
        let mut last = (f64::NAN, f64::NAN);
        let mut dd_buf = vec![0.0; chunk.min(curve.len())];
        // Trades (by index) that ended before bar `k` of the chunk: (trade, k).
        let mut ended: Vec<(usize, usize)> = Vec::new();
        curve.for_each_chunk(chunk, |from, values| {
            let t = &time[from..from + values.len()];
            let dd = &mut dd_buf[..values.len()];
            // The running peak first (a chain from bar to bar), and the exits met on the way (an
            // exit before a bar's open ended in the bar before it); then the drawdowns from the
            // peaks in a loop without a chain, which the compiler can vectorise: the division is
            // the cost here.
            for (k, ((d, &e), &tk)) in dd.iter_mut().zip(values).zip(t).enumerate() {
                if next_exit < tk {
                    while let Some(&(_, j)) = exits.get(next).filter(|x| x.0 < tk) {
                        ended.push((j, k));
                        next += 1;
                    }
                    next_exit = exits.get(next).map_or(i64::MAX, |x| x.0);
                }
                // `peak.max(e)` for a peak that is never NaN (it starts at −∞ and NaN never
                // replaces it): one `maxsd` in the chain instead of `max`'s NaN handling. The
                // two may differ only in the sign of a zero peak, which `drawdown_below` ignores.
                if e > peak {
                    peak = e;
                }
                *d = peak;
            }
            for (d, &e) in dd.iter_mut().zip(values) {
                *d = crate::results::drawdown_below(*d, e);
            }
            for (j, k) in ended.drain(..) {
                (exit_equity[j], exit_drawdown[j]) = match k {
                    0 => last,
                    _ => (values[k - 1], dd[k - 1]),
                };
            }
            equity.push_slice(t, values);
            drawdown.push_slice(t, dd);
            if let (Some(&e), Some(&d)) = (values.last(), dd.last()) {
                last = (e, d);
            }
        });
        // Exits at or after the last bar's open belong to the last bar.
        for &(_, j) in &exits[next..] {
            (exit_equity[j], exit_drawdown[j]) = last;
        }
        ChartRun {
            equity: equity.finish(),
            drawdown: drawdown.finish(),
            trades: run.trades,
            exit_equity,
            exit_drawdown,
        }
    }
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
    use std::path::Path;

    use super::*;
    use crate::strategy::testing::closes;

    #[test]
    fn each_trade_is_marked_with_the_equity_and_drawdown_of_the_bar_it_ended_in() {
        // Phases: a slow rise, a sawtooth that makes a fast SMA crossover flip every few bars,
        // then a slide that stops the last positions out — trades end on many different bars.
        let mut prices: Vec<f64> = (0..60).map(|i| 100.0 + i as f64 * 0.5).collect();
        prices.extend((0..300).map(|i| 130.0 + 6.0 * ((i as f64) * 0.35).sin()));
        prices.extend((0..80).map(|i| 130.0 - i as f64 * 0.8));
        let market = closes(&prices);
        let text = "[data]\ncandles = \"btc.csv\"\n[strategy]\nkind = \"sma_crossover\"\nfast = 3\n\
                    slow = 8\nmode = \"both\"\n[account]\nleverage = 5\n[risk]\nstop_loss = 0.02\n";
        let settings = crate::config::parse(text, Path::new("sma.toml")).unwrap();
        let signals = settings.strategy.signals(&market);
        let schedule = BracketSchedule::binance_btcusdt();
        let run = || engine::run(&market, &signals, &settings, &schedule, None);
        let result = run();
        // The reference: each trade's bar found by a search of the time column, valued on the
        // full curve and its full drawdown series.
        let time = result.equity.time().to_vec();
        let values: Vec<f64> = result.equity.values().collect();
        let drawdowns: Vec<f64> = result.equity.drawdowns().collect();
        let expected: Vec<(u64, u64)> = result
            .trades
            .iter()
            .map(|t| {
                let bar = time.partition_point(|&x| x <= t.exit_time.0) - 1;
                (values[bar].to_bits(), drawdowns[bar].to_bits())
            })
            .collect();
        assert!(expected.len() > 20, "{} trades", expected.len());
        // Chunks of one bar, of a few (exits at a chunk's first bar), and the whole curve.
        for chunk in [1, 7, CHART_CHUNK] {
            let chart = ChartRun::from_run_in_chunks(run(), chunk);
            let got: Vec<(u64, u64)> = chart
                .exit_equity
                .iter()
                .zip(&chart.exit_drawdown)
                .map(|(e, d)| (e.to_bits(), d.to_bits()))
                .collect();
            assert_eq!(got, expected, "chunks of {chunk}");
            let thinned = series::min_max(&time, &values, CHART_BUCKETS);
            assert_eq!(chart.equity, thinned);
        }
    }
}
