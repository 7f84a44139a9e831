//! Arguments of `wick run`.

use std::path::PathBuf;

use clap::Args;

/// `wick run STRATEGY.toml [--leverage 10 --from 2021-01-01 …]`
#[derive(Debug, Args)]
#[command(after_help = "\
Flags override the strategy file and are checked by the same rules.

Examples:
  wick run strategies/sma_crossover.toml
  wick run strategies/sma_crossover.toml --leverage 10 --stop-loss 0.02 --from 2021-01-01 --to 2022-01-01
  wick run strategies/buy_and_hold.toml --margin-mode cross --intrabar optimistic --out runs/bh")]
pub struct RunArgs {
    /// Strategy file (TOML), e.g. strategies/sma_crossover.toml.
    pub strategy: PathBuf,
    /// Leverage, e.g. 10.
    #[arg(long)]
    pub leverage: Option<String>,
    /// First bar of the range, e.g. 2021-01-01.
    #[arg(long)]
    pub from: Option<String>,
    /// End of the range, exclusive, e.g. 2022-01-01.
    #[arg(long)]
    pub to: Option<String>,
    /// Stop-loss distance as a fraction of the entry price (0.02 = 2%), or `none`.
    #[arg(long)]
    pub stop_loss: Option<String>,
    /// Take-profit distance as a fraction of the entry price, or `none`.
    #[arg(long)]
    pub take_profit: Option<String>,
    /// Trailing-stop callback as a fraction of the best price, or `none`.
    #[arg(long)]
    pub trailing_stop: Option<String>,
    /// isolated or cross.
    #[arg(long)]
    pub margin_mode: Option<String>,
    /// pessimistic, optimistic, ohlc or detail.
    #[arg(long)]
    pub intrabar: Option<String>,
    /// binance, bybit or okx.
    #[arg(long)]
    pub venue: Option<String>,
    /// Starting wallet in USDT.
    #[arg(long)]
    pub initial_capital: Option<String>,
    /// Margin = this fraction of equity at entry (replaces the file's sizing).
    #[arg(long)]
    pub margin_fraction: Option<String>,
    /// Notional = this fraction of equity at entry (replaces the file's sizing).
    #[arg(long)]
    pub notional_fraction: Option<String>,
    /// Slippage in basis points on every taker fill.
    #[arg(long)]
    pub slippage_bps: Option<String>,
    /// Output folder [default: reports/NAME/, NAME from the strategy file].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}
