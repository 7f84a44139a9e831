//! Arguments of `wick sweep` and `wick merge`.

use std::path::PathBuf;

use clap::Args;

/// `wick sweep STRATEGY.toml --leverage 1,2,5,10 --stop-loss none,0.02 …`
#[derive(Debug, Args)]
#[command(after_help = "\
Every list is one axis of the grid; the sweep runs their cartesian product. A list given here \
replaces the same list of the strategy file's [sweep] table. Axes not swept keep the file's value.

Examples:
  wick sweep strategies/sma_crossover.toml --leverage 1,2,5,10,20,50,100 --stop-loss none,0.02
  wick sweep strategies/sma_crossover.toml --param fast=10,20,50 --sort-by total_return
  wick sweep strategies/sma_crossover.toml --shard 0/4 --out runs/shard-0")]
pub struct SweepArgs {
    /// Strategy file (TOML), e.g. strategies/sma_crossover.toml.
    pub strategy: PathBuf,

    /// Leverage levels, e.g. 1,2,3,5,10,20,50,100.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub leverage: Vec<String>,
    /// Stop-loss distances as fractions of the entry price, `none` for no stop: none,0.01,0.02,0.05.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub stop_loss: Vec<String>,
    /// Take-profit distances as fractions of the entry price, or `none`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub take_profit: Vec<String>,
    /// Trailing-stop callbacks as fractions of the best price, or `none`.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub trailing_stop: Vec<String>,
    /// Margin modes: isolated,cross.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub margin_mode: Vec<String>,
    /// Sizings: margin,notional (with the file's fraction) or margin:0.5,notional:1.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub sizing: Vec<String>,
    /// Intrabar policies: pessimistic,optimistic,ohlc,detail.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub intrabar: Vec<String>,
    /// A strategy parameter and its values, e.g. fast=10,20,50 (repeat for several parameters).
    #[arg(long = "param", value_name = "NAME=LIST")]
    pub params: Vec<String>,

    /// First bar of the range, e.g. 2021-01-01 (overrides the file).
    #[arg(long)]
    pub from: Option<String>,
    /// End of the range, exclusive, e.g. 2023-01-01 (overrides the file).
    #[arg(long)]
    pub to: Option<String>,
    /// Starting wallet in USDT (overrides the file).
    #[arg(long)]
    pub initial_capital: Option<String>,
    /// Slippage in basis points on every taker fill (overrides the file).
    #[arg(long)]
    pub slippage_bps: Option<String>,

    /// Output folder [default: reports/NAME/, or reports/NAME-shard-I-of-N/ with --shard; NAME is
    /// the strategy file's name].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Run only the I-th (0-based) of N deterministic slices of the grid and write only its rows;
    /// join the N folders with `wick merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Chart the leverage levels at this value of another axis, e.g. stop_loss=0.02 (default:
    /// the strategy file's own value where the axis holds it, else the first listed). Repeatable.
    #[arg(long, value_name = "AXIS=VALUE")]
    pub chart_at: Vec<String>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// `wick merge DIR... --out DIR`
#[derive(Debug, Args)]
#[command(after_help = "\
Example:
  wick merge runs/shard-0 runs/shard-1 runs/shard-2 runs/shard-3 --out reports/sma-sweep")]
pub struct MergeArgs {
    /// The --out folders of every `wick sweep --shard I/N` run of one sweep.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Folder of the merged sweep.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// How the grid is ranked and charted (shared by `sweep`, `merge` and `demo`).
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Statistic to rank configurations by, best first (lower is better for drawdown,
    /// liquidations, fees and funding paid).
    #[arg(long, default_value = "calmar", value_name = "STAT")]
    pub sort_by: String,
    /// Rows of the ranked table printed.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Statistic shown by heatmap.png, e.g. total_return, liquidations, max_drawdown.
    #[arg(long, default_value = "total_return", value_name = "STAT")]
    pub heatmap_metric: String,
    /// Second dimension of heatmap.png (leverage is the first), e.g. stop_loss or param_fast
    /// [default: the first swept account setting, e.g. stop_loss, else a swept parameter].
    #[arg(long, value_name = "AXIS")]
    pub heatmap_y: Option<String>,
    /// Draw equity on a log axis (equal heights = equal percentage moves).
    #[arg(long)]
    pub log_scale: bool,
    /// Leverage whose trades price.png shows [default: the highest charted level up to 10x].
    #[arg(long, value_name = "LEVERAGE")]
    pub price_leverage: Option<String>,
}
