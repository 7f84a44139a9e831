//! `wick run`: strategy file + overrides → settings → market data → signals (once) → replay →
//! report folder and summary table.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::cli::run::RunArgs;
use crate::config::{self, IntrabarPolicy, Overrides};
use crate::engine;
use crate::report::run_files;

pub fn run(args: RunArgs) -> Result<()> {
    let overrides = Overrides {
        leverage: args.leverage.clone(),
        initial_capital: args.initial_capital.clone(),
        margin_mode: args.margin_mode.clone(),
        margin_fraction: args.margin_fraction.clone(),
        notional_fraction: args.notional_fraction.clone(),
        venue: args.venue.clone(),
        stop_loss: args.stop_loss.clone(),
        take_profit: args.take_profit.clone(),
        trailing_stop: args.trailing_stop.clone(),
        slippage_bps: args.slippage_bps.clone(),
        intrabar: args.intrabar.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
    };
    let settings = config::load(&args.strategy)?.apply_overrides(&overrides)?;
    if settings.execution.intrabar == IntrabarPolicy::Detail && settings.data.detail.is_none() {
        bail!(
            "{}: intrabar = \"detail\" needs lower-timeframe candles: add `detail = \"FILE\"` to [data], \
             or choose --intrabar pessimistic|optimistic|ohlc",
            settings.source.display()
        );
    }
    let data = super::sweep::load_data(&settings)?;
    let candles = &data.market.candles;
    let range_start = settings
        .range
        .from
        .map_or(0, |t| candles.index_at_or_after(t));
    let range_end = settings
        .range
        .to
        .map_or(candles.len(), |t| candles.index_at_or_after(t));
    if range_start >= range_end {
        bail!(
            "{}: no bar of {} falls in the time range (from {} to {}); the data covers {}",
            settings.source.display(),
            candles.source,
            settings
                .range
                .from
                .map_or("the start".into(), |t| t.to_human()),
            settings.range.to.map_or("the end".into(), |t| t.to_human()),
            crate::market::span(&candles.time),
        );
    }
    let signals = settings.strategy.signals(&data.market);
    let result = engine::run(
        &data.market,
        &signals,
        &settings,
        &data.schedule,
        data.detail.as_ref(),
    );
    result
        .reconcile()
        .context("the run's ledger does not add up (a defect in wick: please report it)")?;
    let stats = result.stats();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&settings.name));
    let written = run_files::write_run(&out, &settings, &result, &stats)
        .with_context(|| format!("writing the report folder {}", out.display()))?;
    if !args.quiet {
        print!("{}", run_files::summary_table(&settings, &result, &stats));
        println!("Wrote {} files to {}", written.len(), out.display());
    }
    Ok(())
}
