//! Arguments of `wick demo`.

use std::path::PathBuf;

use clap::Args;

/// `wick demo`: the offline main job.
#[derive(Debug, Args)]
#[command(after_help = "\
Uses data/binance-btcusdt-1h.parquet (or .csv), with its -mark- and -funding files, when you \
fetched them (wick data fetch); otherwise writes a synthetic BTC-like sample into data/ first \
(its files start with synth- and every report says it is synthetic).

Examples:
  wick demo
  wick demo --bars 4380 --out reports/demo-half-year")]
pub struct DemoArgs {
    /// Folder searched for fetched data, and where the synthetic sample is written.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "reports/demo", value_name = "DIR")]
    pub out: PathBuf,
    /// Hourly bars of the synthetic sample (17,520 = two years).
    #[arg(long, default_value_t = 17_520, value_name = "N")]
    pub bars: usize,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}
