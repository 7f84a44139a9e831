//! Arguments of `wick liq`: raw as typed; `app::liq` validates them into a position and computes it.

use std::path::PathBuf;

use clap::{ArgGroup, Args};

const AFTER_HELP: &str = "\
What it computes (exchange-rules.md §1.1-§1.2, §4):
  initial margin = notional / leverage; maintenance margin = notional x MMR - cum of the bracket
  holding the notional (at entry, and at the liquidation price); the liquidation price uses the
  bracket at the liquidation price itself; bankruptcy is where the margin balance reaches zero.
  Isolated: the wallet is the initial margin unless --wallet says otherwise. Cross: --wallet is the
  cross wallet balance and the leverage setting does not move the liquidation price.
  Without --date the newest Binance BTCUSDT table applies; --date picks the table in force that day.

Example (the seed trade: short 1 BTC at 60,000, 20x, isolated, current table):
  $ wick liq --side short --entry 60000 --leverage 20 --qty 1
  short 1 BTC at 60,000.00, 20x isolated on binance
  bracket table: Binance BTCUSDT, in force from 2025-08-21
    notional                60,000.00 USDT
    initial margin           3,000.00 USDT  (isolated wallet 3,000.00)
    bracket at entry     1 of 12: notional 0 to 300,000, MMR 0.40%, cum 0, max 150x
    maintenance margin         240.00 USDT at entry, 251.00 at the liquidation price
    liquidation price       62,749.00     +4.58% from entry
    bankruptcy price        63,000.00     +5.00% from entry

More:
  wick liq --side long --entry 60000 --ladder 1,2,5,10,20,50,100,125,150
  wick liq --side long --entry 60000 --leverage 20 --mode cross --wallet 10000
  wick liq --side short --entry 60000 --leverage 20 --margin 1000 --date 2024-06-01 --json";

/// Liquidation calculator: margin, bracket, liquidation and bankruptcy prices of one position.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
#[command(group(ArgGroup::new("size").args(["qty", "margin", "notional"]).multiple(false)))]
#[command(group(ArgGroup::new("levels").args(["leverage", "ladder"]).required(true)))]
pub struct LiqArgs {
    /// Position side: long or short.
    #[arg(long)]
    pub side: String,

    /// Average entry price (USDT per BTC).
    #[arg(long, value_name = "PRICE")]
    pub entry: String,

    /// Leverage (notional / initial margin), e.g. 20.
    #[arg(long, value_name = "L")]
    pub leverage: Option<String>,

    /// Position size in BTC (contracts for an inverse venue). Default: 1.
    #[arg(long, value_name = "BTC")]
    pub qty: Option<String>,

    /// Size by initial margin instead: notional = margin x leverage.
    #[arg(long, value_name = "USDT")]
    pub margin: Option<String>,

    /// Size by notional instead (USDT; USD face value for an inverse venue).
    #[arg(long, value_name = "USDT")]
    pub notional: Option<String>,

    /// Margin mode: isolated or cross.
    #[arg(long, value_name = "MODE", default_value = "isolated")]
    pub mode: String,

    /// Cross: the cross wallet balance (required). Isolated: the position's wallet if it differs
    /// from the initial margin (added margin, funding paid).
    #[arg(long, value_name = "USDT")]
    pub wallet: Option<String>,

    /// Cross only: maintenance margin of the account's other cross positions (TMM1).
    #[arg(long, value_name = "USDT")]
    pub other_maint: Option<String>,

    /// Cross only: unrealised PnL of the account's other cross positions (UPNL1).
    #[arg(long, value_name = "USDT", allow_hyphen_values = true)]
    pub other_upnl: Option<String>,

    /// Venue rules: binance, bybit or okx (also binance-inverse, bybit-inverse with --brackets).
    #[arg(long, value_name = "NAME", default_value = "binance")]
    pub venue: String,

    /// Use the bracket table in force on this UTC date (default: the newest table).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// Your own bracket table (CSV: in_force_from,bracket,notional_floor,notional_cap,
    /// maint_margin_rate,maint_amount,max_leverage) instead of Binance BTCUSDT's.
    #[arg(long, value_name = "FILE")]
    pub brackets: Option<PathBuf>,

    /// One row per leverage, comma-separated, e.g. 1,2,5,10,20,50,100,125.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub ladder: Vec<String>,

    /// Lower an over-limit leverage to the bracket's maximum (and say so) instead of refusing it.
    #[arg(long)]
    pub clamp_leverage: bool,

    /// Print JSON with exact decimals (as strings) for other tools.
    #[arg(long)]
    pub json: bool,
}
