//! `wick demo`: on a fresh machine, with no network, show what wick is for — the same strategy
//! at eight leverage levels and four stop settings, side by side, with charts.
//!
//! Data: the Binance BTCUSDT 1h files `wick data fetch` writes into `data/`, when present;
//! otherwise a synthetic BTC-like sample (`market::synth`, seed 42) written into `data/` first, so
//! the user can open it, and so that the run reads files exactly as `wick sweep` does.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use super::sweep::{chart_options, load_data, print_report, sweep_to_folder};
use crate::cli::demo::DemoArgs;
use crate::cli::sweep::ReportArgs;
use crate::config;
use crate::domain::Interval;
use crate::market::synth::{self, SynthParams};
use crate::sweep::{Axis, AxisKey, Shard, SweepPlan};

/// The demo's grid: 8 leverage levels × 4 stop settings = 32 configurations.
const LEVERAGE: [&str; 8] = ["1", "2", "3", "5", "10", "20", "50", "100"];
const STOP_LOSS: [&str; 4] = ["none", "0.01", "0.02", "0.05"];

/// The demo's strategy, as a strategy file would hold it (`{candles}` etc. are filled in).
/// A 20/100-hour SMA crossover, long and short, a tenth of the equity as margin per position: the
/// exposure is then 0.1× equity at 1x and 10× at 100x, and even 100x stays within the first
/// Binance brackets' leverage limits on a 10,000 USDT account (exchange-rules §1.1), so no level
/// is refused outright.
const STRATEGY: &str = r#"
name = "demo"
[data]
candles = "{candles}"
{mark}
{funding}
[strategy]
kind = "sma_crossover"
fast = 20
slow = 100
mode = "both"
[account]
initial_capital = 10000
sizing = { margin_fraction = 0.1 }
margin_mode = "isolated"
[execution]
slippage_bps = 1
{range}
"#;

pub fn run(args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let (files, synthetic) = match fetched(&args.data) {
        Some(files) => (files, false),
        None => (write_sample(&args.data, args.bars)?, true),
    };
    let quote = |p: &Option<PathBuf>, key: &str| {
        p.as_ref().map_or(String::new(), |p| {
            format!("{key} = {:?}", p.display().to_string())
        })
    };
    let text = STRATEGY
        .replace("{candles}", &files.candles.display().to_string())
        .replace("{mark}", &quote(&files.mark, "mark"))
        .replace("{funding}", &quote(&files.funding, "funding"))
        // The synthetic sample starts at 2020-01-01: trade from the 8th, once the 100-hour average
        // is warm. Fetched history is replayed whole.
        .replace(
            "{range}",
            if synthetic {
                "[range]\nfrom = \"2020-01-08\""
            } else {
                ""
            },
        );
    let settings =
        config::parse(&text, Path::new("demo.toml")).context("the demo's built-in strategy")?;
    let axes = vec![
        Axis {
            key: AxisKey::Leverage,
            values: LEVERAGE.map(String::from).to_vec(),
        },
        Axis {
            key: AxisKey::StopLoss,
            values: STOP_LOSS.map(String::from).to_vec(),
        },
    ];
    let plan = SweepPlan::new(settings, axes)?;
    let data = load_data(plan.base())?;
    let report_args = ReportArgs {
        sort_by: "calmar".into(),
        top: 10,
        heatmap_metric: "total_return".into(),
        heatmap_y: None,
        log_scale: false,
        price_leverage: None,
    };
    let options = chart_options(&report_args);
    let Some(report) = sweep_to_folder(
        &plan,
        &data,
        Shard::WHOLE,
        &args.out,
        args.threads,
        args.quiet,
        &options,
    )?
    else {
        bail!("the demo runs the whole grid, yet no report was written");
    };
    print_report(&report, &args.out, report_args.top);
    if synthetic {
        println!(
            "The data is a synthetic sample. For real history: wick data fetch, then wick demo again."
        );
    }
    println!(
        "Done in {:.1} s. Open {} first.",
        started.elapsed().as_secs_f64(),
        args.out.join("equity.png").display()
    );
    Ok(())
}

/// The files the demo reads.
struct Files {
    candles: PathBuf,
    mark: Option<PathBuf>,
    funding: Option<PathBuf>,
}

/// The Binance BTCUSDT 1h files `wick data fetch` writes, when `dir` holds them (Parquet first).
fn fetched(dir: &Path) -> Option<Files> {
    let find = |stem: &str| {
        ["parquet", "csv"]
            .iter()
            .map(|e| dir.join(format!("{stem}.{e}")))
            .find(|p| p.is_file())
    };
    Some(Files {
        candles: find("binance-btcusdt-1h")?,
        mark: find("binance-btcusdt-mark-1h"),
        funding: find("binance-btcusdt-funding"),
    })
}

/// Generate `bars` hourly synthetic bars with mark and funding, write them into `dir`.
fn write_sample(dir: &Path, bars: usize) -> Result<Files> {
    if bars < 200 {
        bail!("--bars {bars}: the demo's 100-hour average needs more history; give at least 200");
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the data folder {}", dir.display()))?;
    let params = SynthParams {
        bars,
        interval: Interval::HOUR,
        ..SynthParams::default()
    };
    let paths = synth::paths_for(&dir.join(format!("synth-btc-1h-{bars}.parquet")), &params);
    synth::write(&synth::generate(&params), &paths)
        .with_context(|| format!("writing the synthetic sample into {}", dir.display()))?;
    eprintln!(
        "No fetched data in {}: wrote a synthetic sample of {bars} hourly bars to {}",
        dir.display(),
        paths.candles.display()
    );
    Ok(Files {
        candles: paths.candles,
        mark: Some(paths.mark),
        funding: Some(paths.funding),
    })
}
