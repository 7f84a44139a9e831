//! `wick sweep` and `wick merge`: strategy file + lists → plan → shared market data → parallel
//! replay → sweep folder (rows, curves, summary, charts) → terminal tables.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::sweep::{MergeArgs, ReportArgs, SweepArgs};
use crate::config::{self, Overrides, RunSettings};
use crate::exchange::BracketSchedule;
use crate::market::{self, Candles, LoadOptions, MarketData};
use crate::report::sweep_files::{
    self, ChartOptions, SweepManifest, SweepReport, table::sweep_table,
};
use crate::sweep::parallel::in_pool;
use crate::sweep::series::{self, CHART_BUCKETS};
use crate::sweep::{Axis, AxisKey, Shard, SweepInput, SweepPlan, run_plan};

pub fn run(args: SweepArgs) -> Result<()> {
    let overrides = Overrides {
        from: args.from.clone(),
        to: args.to.clone(),
        initial_capital: args.initial_capital.clone(),
        slippage_bps: args.slippage_bps.clone(),
        ..Overrides::default()
    };
    let options = chart_options(&args.report);
    options.check()?;
    let settings = config::load(&args.strategy)?.apply_overrides(&overrides)?;
    let mut plan = SweepPlan::new(settings, command_line_axes(&args)?)?;
    for pick in &args.chart_at {
        let (name, value) = pick.split_once('=').with_context(|| {
            format!("--chart-at {pick}: write AXIS=VALUE, e.g. --chart-at stop_loss=0.02")
        })?;
        plan.focus_on(&axis_named(name), value)?;
    }
    let shard: Shard = args
        .shard
        .as_deref()
        .map(str::parse)
        .transpose()?
        .unwrap_or(Shard::WHOLE);
    let name = &plan.base().name;
    let out = args.out.clone().unwrap_or_else(|| {
        let folder = if shard.is_whole() {
            name.clone()
        } else {
            format!("{name}-shard-{}-of-{}", shard.index, shard.count)
        };
        PathBuf::from("reports").join(folder)
    });
    let data = load_data(plan.base())?;
    let report = sweep_to_folder(
        &plan,
        &data,
        shard,
        &out,
        args.threads,
        args.quiet,
        &options,
    )?;
    match report {
        Some(r) => print_report(&r, &out, args.report.top),
        None => println!(
            "Shard {shard}: {} of {} configurations written to {}. When all {} shards are done: \
             wick merge SHARD_FOLDERS... --out DIR",
            shard.range(plan.grid().len()).len(),
            plan.grid().len(),
            out.display(),
            shard.count
        ),
    }
    Ok(())
}

pub fn merge(args: MergeArgs) -> Result<()> {
    let options = chart_options(&args.report);
    options.check()?;
    let report = sweep_files::merge(&args.dirs, &args.out, &options)?;
    print_report(&report, &args.out, args.report.top);
    Ok(())
}

/// The market data a plan reads, loaded once.
pub(super) struct LoadedData {
    pub market: MarketData,
    pub detail: Option<Candles>,
    pub schedule: BracketSchedule,
}

pub(super) fn load_data(settings: &RunSettings) -> Result<LoadedData> {
    let d = &settings.data;
    let opts = LoadOptions::default();
    let loaded = market::load_market(&d.candles, d.mark.as_deref(), d.funding.as_deref(), &opts)
        .with_context(|| format!("loading the market data of {}", settings.source.display()))?;
    let detail = match &d.detail {
        Some(p) => Some(market::load_candles(p, &opts)?.candles),
        None => None,
    };
    // The engine applies each venue's own margin rules; the dated tiers are Binance BTCUSDT's
    // (the only venue whose history of bracket tables wick ships, exchange-rules §1.1).
    Ok(LoadedData {
        market: loaded.data,
        detail,
        schedule: BracketSchedule::binance_btcusdt(),
    })
}

/// Run `shard` of `plan` and write its folder; for a whole sweep, also the summary and charts.
pub(super) fn sweep_to_folder(
    plan: &SweepPlan,
    data: &LoadedData,
    shard: Shard,
    out: &Path,
    threads: Option<usize>,
    quiet: bool,
    options: &ChartOptions,
) -> Result<Option<SweepReport>> {
    let base = plan.base();
    let c = &data.market.candles;
    let (start, end) = range_bars(base, c);
    if start >= end {
        anyhow::bail!(
            "{}: no bar of {} falls in the time range (from {} to {}); the data covers {}; \
             change --from/--to or [range]",
            base.source.display(),
            c.source,
            base.range.from.map_or("the start".into(), |t| t.to_human()),
            base.range.to.map_or("the end".into(), |t| t.to_human()),
            market::span(&c.time),
        );
    }
    for (id, why) in plan.skipped() {
        eprintln!("skipped: configurations from id {id}: {why}");
    }
    let ids = shard.range(plan.grid().len());
    let bar = progress_bar(ids.len() as u64, quiet);
    let input = SweepInput {
        market: &data.market,
        schedule: &data.schedule,
        detail: data.detail.as_ref(),
    };
    let started = Instant::now();
    let outcomes = in_pool(threads, || {
        run_plan(plan, ids.clone(), input, &|| bar.inc(1))
    })??;
    bar.finish_and_clear();
    if !quiet {
        eprintln!(
            "{} configurations in {:.1} s",
            outcomes.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let rows = sweep_table(plan.grid(), &outcomes);
    let lev = plan
        .grid()
        .axes()
        .iter()
        .position(|a| a.key == AxisKey::Leverage);
    let charted: Vec<(&str, &crate::sweep::ChartRun)> = outcomes
        .iter()
        .filter_map(|o| {
            Some((
                plan.grid().value(&plan.grid().point(o.id), lev?),
                o.chart.as_ref()?,
            ))
        })
        .collect();
    let manifest = manifest(plan, &data.market, shard);
    let price = price_series(plan.base(), &data.market.candles);
    let config = plan
        .resolved()
        .to_toml()
        .context("writing the resolved strategy file")?;
    sweep_files::write_parts(out, &manifest, &rows, &charted, &price, &config)?;
    if !shard.is_whole() {
        return Ok(None);
    }
    Ok(Some(sweep_files::finish(out, options)?))
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {pos}/{len} configurations  {per_sec}  elapsed {elapsed}  ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

fn manifest(plan: &SweepPlan, market: &MarketData, shard: Shard) -> SweepManifest {
    let grid = plan.grid();
    let base = plan.base();
    let c = &market.candles;
    let (start, end) = range_bars(base, c);
    let lev = grid.axes().iter().position(|a| a.key == AxisKey::Leverage);
    SweepManifest {
        name: base.name.clone(),
        strategy: base.strategy.to_string(),
        candles: c.source.clone(),
        period: market::span(&c.time[start..end]),
        interval: c.interval.to_string(),
        synthetic: c.synthetic,
        mark_price: market.mark.is_some(),
        funding: market.funding.is_some(),
        initial_capital: base.account.initial_capital.to_f64(),
        axes: grid
            .axes()
            .iter()
            .map(|a| (a.key.column(), a.values.clone()))
            .collect(),
        configurations: grid.len(),
        shard,
        charted: plan
            .charted_ids()
            .into_iter()
            .filter_map(|id| Some((id, grid.value(&grid.point(id), lev?).to_string())))
            .collect(),
        chart_focus: plan.focus_text(),
        skipped: plan.skipped(),
    }
}

/// The bars `[start, end)` of the replayed range (`--from` inclusive, `--to` exclusive).
fn range_bars(base: &RunSettings, c: &Candles) -> (usize, usize) {
    let start = base.range.from.map_or(0, |t| c.index_at_or_after(t));
    let end = base.range.to.map_or(c.len(), |t| c.index_at_or_after(t));
    (start, end.max(start))
}

/// The close over the replayed range, thinned for `price.png`.
fn price_series(base: &RunSettings, c: &Candles) -> series::Thinned {
    let (start, end) = range_bars(base, c);
    series::min_max(&c.time[start..end], &c.close[start..end], CHART_BUCKETS)
}

fn command_line_axes(args: &SweepArgs) -> Result<Vec<Axis>> {
    let lists = [
        (AxisKey::Leverage, &args.leverage),
        (AxisKey::StopLoss, &args.stop_loss),
        (AxisKey::TakeProfit, &args.take_profit),
        (AxisKey::TrailingStop, &args.trailing_stop),
        (AxisKey::MarginMode, &args.margin_mode),
        (AxisKey::Sizing, &args.sizing),
        (AxisKey::Intrabar, &args.intrabar),
    ];
    let mut axes: Vec<Axis> = lists
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(key, v)| Axis {
            key,
            values: v.clone(),
        })
        .collect();
    for p in &args.params {
        let (name, values) = p
            .split_once('=')
            .filter(|(n, v)| !n.trim().is_empty() && !v.trim().is_empty())
            .with_context(|| {
                format!("--param {p}: write NAME=VALUES, e.g. --param fast=10,20,50")
            })?;
        let values = values.split(',').map(|v| v.trim().to_string()).collect();
        axes.push(Axis {
            key: AxisKey::Param(name.trim().to_string()),
            values,
        });
    }
    Ok(axes)
}

/// `stop_loss`, `stop-loss` or a parameter name (`fast`, `param_fast`) → its axis.
fn axis_named(name: &str) -> AxisKey {
    let n = name.trim().replace('-', "_");
    AxisKey::from_column(&n).unwrap_or(AxisKey::Param(n))
}

pub(super) fn chart_options(r: &ReportArgs) -> ChartOptions {
    ChartOptions {
        sort_by: r.sort_by.clone(),
        heatmap_metric: r.heatmap_metric.clone(),
        heatmap_y: r.heatmap_y.clone(),
        log_scale: r.log_scale,
        price_leverage: r.price_leverage.clone(),
    }
}

pub(super) fn print_report(r: &SweepReport, out: &Path, top: usize) {
    let m = &r.manifest;
    println!(
        "{} — {}, {} ({} bars), {} configurations",
        m.name,
        m.strategy,
        m.period,
        m.interval,
        r.rows.rows()
    );
    if m.synthetic {
        println!(
            "NOTE: the candles {} are synthetic, not market history",
            m.candles
        );
    }
    println!();
    print!("{}", r.grid_table(top));
    println!();
    print!("{}", r.leverage_table());
    let mut warnings: Vec<&str> = (0..r.rows.rows())
        .filter_map(|row| sweep_files::table::text(&r.rows, "warnings", row))
        .flat_map(|w| w.split(sweep_files::table::WARNING_SEPARATOR))
        .collect();
    warnings.sort_unstable();
    warnings.dedup();
    for w in warnings.iter().take(10) {
        eprintln!("warning: {w}");
    }
    println!();
    let charts: Vec<String> = r
        .charts
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    println!(
        "Report: {}/ — sweep.csv, sweep.parquet, summary.json, {}",
        out.display(),
        charts.join(", ")
    );
}
