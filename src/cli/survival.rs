//! Arguments of `wick survival`: raw as typed; `app::survival` validates them into settings.

use std::path::PathBuf;

use clap::Args;

const AFTER_HELP: &str = "\
How it works:
  Every bar is an entry at its open (last price). For each leverage and side the isolated
  liquidation price comes from the bracket table in force that day (notional --notional), and the
  first later moment the mark price reaches it is found (mark low for longs, mark high for shorts;
  the entry bar counts). \"Within 30d\" is measured only over entries followed by at least 30 days of
  data; \"ever\" means before the data ends.

Outputs (in --out):
  survival.csv            per side × leverage: P(liquidated within each horizon), ever, percentiles
  survival_by_year.csv    the same per calendar year of entry
  first_passage.parquet   per entry × leverage × side: time to liquidation in ms (null if never)
  survival_heatmap.png, survival_curves.png, liquidations_by_year.png
  survival_run.json       the settings, the data span and every caveat of the run

Example (Binance BTCUSDT perpetual, hourly, mark-price liquidation):
  wick survival --candles ../shared/data/btcusdt-perp-1h.csv \\
      --mark ../shared/data/btcusdt-perp-mark-1h.csv \\
      --leverage 2,3,5,10,20,50,100,125 --out reports/survival-1h";

/// For every hour of history and every leverage: how soon would a position have been liquidated?
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct SurvivalArgs {
    /// Last-price candles (CSV or Parquet: timestamp,open,high,low,close,volume). Entries open at
    /// each bar's open.
    #[arg(long, value_name = "FILE")]
    pub candles: PathBuf,

    /// Mark-price candles on the same grid. Liquidation is tested on them; bars they do not cover
    /// use the last price (counted in the output). Without this file every test uses the last price.
    #[arg(long, value_name = "FILE")]
    pub mark: Option<PathBuf>,

    /// Funding settlements: timestamp, funding_rate and optionally mark_price columns. When given, funding is booked
    /// against each isolated position, which moves its liquidation price.
    #[arg(long, value_name = "FILE")]
    pub funding: Option<PathBuf>,

    /// Leverage levels, comma-separated.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "2,3,5,10,20,50,100,125"
    )]
    pub leverage: Vec<String>,

    /// Sides, comma-separated: long, short.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "long,short"
    )]
    pub side: Vec<String>,

    /// Position notional in USDT; it chooses the maintenance-margin bracket.
    #[arg(long, value_name = "USDT", default_value = "10000")]
    pub notional: String,

    /// Holding times for the probability table, comma-separated (m, h, d, w).
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "1h,4h,1d,7d,30d,90d"
    )]
    pub horizons: Vec<String>,

    /// First bar to use (UTC date or time, e.g. 2020-01-01); earlier bars are ignored.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// End of the span (exclusive, UTC): bars opening at or after it are ignored.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    /// Stop-loss distance from entry on the last price, e.g. 2% or 0.02; the output then says
    /// whether the stop or the liquidation came first.
    #[arg(long, value_name = "DISTANCE")]
    pub stop_loss: Option<String>,

    /// Output folder (default: reports/survival-NAME, NAME being the candles file name).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}
