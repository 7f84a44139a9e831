//! Arguments of `wick data …` (being built).

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Download candles, mark-price candles and funding history from Binance's public data archive.
    Fetch(crate::cli::fetch::FetchArgs),
}
