//! Arguments of `wick data …`: inspect, convert, resample, synth (and fetch, in `fetch.rs`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::domain::{Interval, TimestampMs};
use crate::market::{ColumnMap, Dedupe};

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// What a file holds: rows, span, interval, time unit, gaps, zero-volume bars, price range
    /// (for funding files: settlement intervals and the mean/min/max rate).
    Inspect(InspectArgs),
    /// Convert a file between CSV and Parquet, keeping every value bit for bit.
    Convert(ConvertArgs),
    /// Aggregate candles to a coarser interval (first open, max high, min low, last close, summed volume).
    Resample(ResampleArgs),
    /// Write a deterministic synthetic BTC-like market: candles, mark-price candles and funding.
    Synth(SynthArgs),
    /// Download candles, mark-price candles and funding history from Binance's public data archive.
    Fetch(crate::cli::fetch::FetchArgs),
}

/// How to read an input file: column mapping and the opt-in repairs.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Name the columns when the header is not one wick knows, as role=column pairs
    /// (roles: time, open, high, low, close, volume, funding_rate, mark_price).
    #[arg(long, value_name = "ROLE=COLUMN,...")]
    pub columns: Option<ColumnMap>,

    /// Sort rows by time instead of refusing an unsorted file (says how many rows moved).
    #[arg(long)]
    pub sort: bool,

    /// Remove rows whose time repeats, keeping the first or the last (says how many went).
    #[arg(long, value_name = "keep-first|keep-last")]
    pub dedupe: Option<Dedupe>,

    /// The bar interval, when it is not the file's most common step (or the file has one bar).
    #[arg(long)]
    pub interval: Option<Interval>,
}

const INSPECT_EXAMPLES: &str = "\
Examples:
  wick data inspect ../shared/data/btcusdt-spot-1h.csv
  wick data inspect data/*.parquet
  wick data inspect export.csv --columns time=ts,open=o,high=h,low=l,close=c --sort
  wick data inspect ../shared/data/btcusdt-perp-mark-1h.csv --against ../shared/data/btcusdt-perp-1h.csv

The kind of file is told from its columns: a funding-rate column makes a funding file, otherwise
open/high/low/close make candles (mark-price candles when the file name contains 'mark').
Integer timestamps may be seconds, milliseconds, microseconds or nanoseconds (the unit is read off
their size and printed); text timestamps are RFC 3339 / ISO-8601, UTC when no offset is given.";

#[derive(Debug, Args)]
#[command(after_help = INSPECT_EXAMPLES)]
pub struct InspectArgs {
    /// One or more CSV or Parquet files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Candle file to lay mark-price files on: checks their grid matches and counts the bars
    /// they cover.
    #[arg(long, value_name = "CANDLES")]
    pub against: Option<PathBuf>,

    #[command(flatten)]
    pub load: LoadArgs,
}

const CONVERT_EXAMPLES: &str = "\
Examples:
  wick data convert ../shared/data/btcusdt-perp-1h.csv data/btcusdt-perp-1h.parquet
  wick data convert data/synth-btc-1m-s42.parquet data/synth-btc-1m-s42.csv
  wick data convert export.csv data/btc-1h.parquet --columns time=Date,volume=\"Volume BTC\" --sort

The format is chosen by extension (.csv, .parquet). Every column is kept with its values bit for
bit (floats are printed in their shortest round-trip form); missing values stay missing.
With --columns, --sort, --dedupe or --interval the file is instead loaded and validated as market
data and written in wick's own layout, ready for strategy files' [data] section.";

#[derive(Debug, Args)]
#[command(after_help = CONVERT_EXAMPLES)]
pub struct ConvertArgs {
    /// The file to read (.csv or .parquet).
    pub input: PathBuf,
    /// The file to write (.csv or .parquet).
    pub output: PathBuf,

    /// With any of these options the file is loaded and validated as market data and written
    /// in wick's own layout (timestamp in UTC ms, open, high, low, close, volume — or
    /// timestamp, funding_rate, mark_price), so that runs can read it without options.
    #[command(flatten)]
    pub load: LoadArgs,
}

const RESAMPLE_EXAMPLES: &str = "\
Examples:
  wick data resample ../shared/data/btcusdt-perp-1m-2025-05-05_2025-06-02.csv --to 1h data/perp-1h.csv
  wick data resample data/synth-btc-1m-s42.parquet --to 4h data/synth-btc-4h-s42.parquet

Buckets are aligned to UTC (multiples of the interval since 1970-01-01; weeks start on Monday).
A bucket that lacks bars (the partial last bucket of a file, or one with a gap inside) is listed
and left out, so its hole shows as a gap; --keep-partial includes such buckets instead.";

#[derive(Debug, Args)]
#[command(after_help = RESAMPLE_EXAMPLES)]
pub struct ResampleArgs {
    /// Candle file to read.
    pub input: PathBuf,

    /// Target interval: a whole multiple of the input's (e.g. 5m, 15m, 1h, 4h, 1d, 1w).
    #[arg(long)]
    pub to: Interval,

    /// File to write (.csv or .parquet).
    pub output: PathBuf,

    /// Include buckets that lack bars (they are still listed).
    #[arg(long)]
    pub keep_partial: bool,

    #[command(flatten)]
    pub load: LoadArgs,
}

const SYNTH_EXAMPLES: &str = "\
Examples:
  wick data synth --bars 100000 --interval 1m --seed 42 --out data/
  wick data synth --bars 5000000 --interval 1m --seed 1 --out bench/btc-5m.parquet
  wick data synth --bars 50000 --interval 1h --seed 7 --out data/btc.csv --start 2018-01-01

Writes three files whose names start with 'synth-': candles, '-mark' candles and '-funding'
(e.g. synth-btc-1m-s42.parquet, synth-btc-1m-s42-mark.parquet, synth-btc-1m-s42-funding.parquet).
The same seed always gives the same bytes. Parquet files also carry wick.synthetic=true.";

#[derive(Debug, Args)]
#[command(after_help = SYNTH_EXAMPLES)]
pub struct SynthArgs {
    /// Number of candles.
    #[arg(long, default_value_t = 100_000)]
    pub bars: usize,

    /// Bar length.
    #[arg(long, default_value = "1m")]
    pub interval: Interval,

    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// A folder (default file names) or a file name; .csv or .parquet.
    #[arg(long, default_value = "data/")]
    pub out: PathBuf,

    /// Open time of the first bar (UTC).
    #[arg(long, default_value = "2020-01-01", value_parser = parse_time)]
    pub start: TimestampMs,

    /// Price of the first bar, USDT.
    #[arg(long, default_value_t = 30_000.0)]
    pub price: f64,

    /// Annualised volatility of returns (BTC is about 0.6–0.8).
    #[arg(long, default_value_t = 0.7)]
    pub vol: f64,
}

fn parse_time(s: &str) -> Result<TimestampMs, String> {
    TimestampMs::parse_user(s).map_err(|e| e.to_string())
}
