//! Arguments of `wick data fetch`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::domain::Interval;
use crate::fetch::{DEFAULT_BASE_URL, Kind, OutputFormat, YearMonth};

const EXAMPLES: &str = "\
Examples:
  wick data fetch --symbol BTCUSDT --interval 1h --from 2020-01
  wick data fetch --symbol BTCUSDT --interval 15m --from 2024-01 --to 2024-12 --kinds candles,mark
  wick data fetch --symbol BTCUSDT --interval 1h --from 2020-01 --format csv --out data/

Files already downloaded and verified are kept in <out>/.cache/ and not downloaded
again, so an interrupted fetch resumes where it stopped.

Exit status: 0 when every file was obtained, or when the archive simply lacks some
months (they are listed; --strict makes that an error too); 1 when a file failed
verification, nothing could be written, or the archive could not be reached.";

/// Download candles, mark-price candles and funding history from Binance's public data archive,
/// verify each file's SHA-256, and write one file per kind in wick's format.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct FetchArgs {
    /// Binance USDⓈ-M futures symbol.
    #[arg(long, default_value = "BTCUSDT")]
    pub symbol: String,

    /// Bar length of the candles and mark candles (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w).
    #[arg(long)]
    pub interval: Interval,

    /// First month to fetch, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    pub from: YearMonth,

    /// Last month to fetch, YYYY-MM (default: the current month, fetched day by day up to yesterday).
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<YearMonth>,

    /// What to fetch, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "candles,mark,funding")]
    pub kinds: Vec<Kind>,

    /// Folder for the output files; downloads are cached in its .cache/ subfolder.
    #[arg(long, default_value = "data")]
    pub out: PathBuf,

    /// Output file format: parquet or csv.
    #[arg(long, default_value = "parquet")]
    pub format: OutputFormat,

    /// Where the archive is served (a mirror, or a local server in tests).
    #[arg(long, default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

    /// Take this UTC date as today (default: the system clock), for reproducible fetches.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,

    /// Exit 1 when any month is missing from the archive, not only when a file fails.
    #[arg(long)]
    pub strict: bool,

    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}
