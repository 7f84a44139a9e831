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
use crate::results::{ExitReason, RunResult, Stats, Trade};
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
}

impl ChartRun {
    fn from_run(run: RunResult) -> ChartRun {
        let curve = &run.equity;
        let drawdown = series::drawdowns(&curve.equity);
        ChartRun {
            equity: series::min_max(&curve.time, &curve.equity, CHART_BUCKETS),
            drawdown: series::min_max(&curve.time, &drawdown, CHART_BUCKETS),
            trades: run.trades,
        }
    }

    /// Liquidations as (time, equity just after): where to mark them on the equity curve.
    pub fn liquidations(&self) -> Vec<(i64, f64)> {
        liquidation_marks(&self.trades, &self.equity)
    }
}

/// Each liquidated trade's exit time with the curve's value there (the curve is thinned, so the
/// value is that of the last kept point at or before the exit).
pub fn liquidation_marks(trades: &[Trade], curve: &Thinned) -> Vec<(i64, f64)> {
    trades
        .iter()
        .filter(|t| t.exit_reason == ExitReason::Liquidation)
        .filter_map(|t| curve.value_at(t.exit_time.0).map(|v| (t.exit_time.0, v)))
        .collect()
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
    let chart = plan.is_charted(point).then(|| ChartRun::from_run(result));
    Outcome {
        id: point.id,
        stats,
        chart,
    }
}
