//! The files of a sweep, and the two steps that make them.
//!
//! 1. [`write_parts`] — what a run (or one shard of it) computed: `sweep.csv` / `sweep.parquet`
//!    (its rows), `config.toml` (the resolved strategy file: run it with `wick sweep` to replay the sweep), `price.csv` (the thinned
//!    close, for `price.png`), and for each charted configuration (one per leverage level)
//!    `by_leverage/<L>x/{equity,drawdown,trades}.csv`. `summary.json` then holds only the
//!    [`SweepManifest`] (which sweep, which shard).
//! 2. [`finish`] — read those files back and write what is derived from them: the full
//!    `summary.json` and the five PNG charts. `wick sweep` calls it on its own output and
//!    `wick merge` on the joined shards, so the two produce the same files by construction.

mod charts;
mod format;
mod heatmap;
mod merge;
mod summary;
pub mod table;
mod text;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use charts::ChartOptions;
pub use merge::merge;

use crate::columnar::{self, Column, ColumnarError, Table};
use crate::report::charts::ChartError;
use crate::sweep::series::Thinned;
use crate::sweep::{ChartRun, Shard};

pub const SWEEP_CSV: &str = "sweep.csv";
pub const SWEEP_PARQUET: &str = "sweep.parquet";
pub const SUMMARY_JSON: &str = "summary.json";
pub const CONFIG_TOML: &str = "config.toml";
pub const PRICE_CSV: &str = "price.csv";
pub const BY_LEVERAGE: &str = "by_leverage";

/// Why a sweep's files cannot be written, read or merged.
#[derive(Debug, thiserror::Error)]
pub enum SweepFilesError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Columnar(#[from] ColumnarError),
    #[error("{}: {message}", path.display())]
    Json { path: PathBuf, message: String },
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error("{}: {message}", path.display())]
    Bad { path: PathBuf, message: String },
    #[error("cannot merge: {0}")]
    Merge(String),
    /// A chart or ranking option that names nothing the sweep holds.
    #[error("{0}")]
    Option(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SweepFilesError + '_ {
    move |source| SweepFilesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What sweep a folder holds: the same in every shard of one sweep except `shard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepManifest {
    pub name: String,
    /// E.g. `SMA 20/100 crossover (both)`.
    pub strategy: String,
    pub candles: String,
    /// `2019-09-08 17:00 → 2025-06-30 23:00`.
    pub period: String,
    pub interval: String,
    pub synthetic: bool,
    pub mark_price: bool,
    pub funding: bool,
    pub initial_capital: f64,
    /// Every axis with its values, in grid order (column name, values).
    pub axes: Vec<(String, Vec<String>)>,
    /// Configurations in the whole grid (all shards).
    pub configurations: usize,
    pub shard: Shard,
    /// The configuration charted for each leverage level: (id, leverage word), in leverage order.
    pub charted: Vec<(usize, String)>,
    /// The other axes' values of the charted configurations, e.g. `stop_loss none`.
    pub chart_focus: String,
    /// Parameter combinations that cannot run: (first id of the group, reason).
    pub skipped: Vec<(usize, String)>,
}

/// `10` → `10x`: the folder and legend name of a leverage level.
pub fn leverage_label(word: &str) -> String {
    format!("{word}x")
}

/// Write what a sweep or shard computed (step 1). `charted` are the charted configurations this
/// shard ran, with their leverage word.
pub fn write_parts(
    dir: &Path,
    manifest: &SweepManifest,
    rows: &Table,
    charted: &[(&str, &ChartRun)],
    price: &Thinned,
    config_toml: &str,
) -> Result<(), SweepFilesError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    columnar::write_csv(&dir.join(SWEEP_CSV), rows)?;
    columnar::write_parquet(&dir.join(SWEEP_PARQUET), rows)?;
    let config = dir.join(CONFIG_TOML);
    fs::write(&config, config_toml).map_err(io(&config))?;
    write_series(&dir.join(PRICE_CSV), "close", price)?;
    for (word, run) in charted {
        let folder = dir.join(BY_LEVERAGE).join(leverage_label(word));
        fs::create_dir_all(&folder).map_err(io(&folder))?;
        write_series(&folder.join("equity.csv"), "equity", &run.equity)?;
        write_series(&folder.join("drawdown.csv"), "drawdown", &run.drawdown)?;
        columnar::write_csv(&folder.join("trades.csv"), &trades_table(run))?;
    }
    let partial = serde_json::json!({
        "sweep": manifest,
        "note": format!("shard {} of a sweep: join the shards with `wick merge`", manifest.shard),
    });
    let summary = if manifest.shard.is_whole() {
        serde_json::json!({ "sweep": manifest })
    } else {
        partial
    };
    write_json(&dir.join(SUMMARY_JSON), &summary)
}

pub(crate) fn write_json(path: &Path, value: &impl Serialize) -> Result<(), SweepFilesError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| SweepFilesError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    fs::write(path, text + "\n").map_err(io(path))
}

/// Read the manifest a sweep or shard folder holds.
pub fn read_manifest(dir: &Path) -> Result<SweepManifest, SweepFilesError> {
    let path = dir.join(SUMMARY_JSON);
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    #[derive(Deserialize)]
    struct Summary {
        sweep: SweepManifest,
    }
    serde_json::from_str::<Summary>(&text)
        .map(|s| s.sweep)
        .map_err(|e| SweepFilesError::Json {
            path: path.clone(),
            message: format!("{e}; is this a folder written by `wick sweep`?"),
        })
}

/// A thinned series as `time,time_utc,<name>` (time in UTC ms, for tools; time_utc for people).
fn write_series(path: &Path, name: &str, s: &Thinned) -> Result<(), SweepFilesError> {
    let utc = s
        .time
        .iter()
        .map(|&t| crate::domain::TimestampMs(t).to_rfc3339())
        .collect();
    let table = Table::new()
        .with("time", Column::I64(s.time.clone()))
        .with("time_utc", Column::Str(utc))
        .with(name, Column::F64(s.value.clone()));
    Ok(columnar::write_csv(path, &table)?)
}

/// Read a series written by `write_series`.
fn read_series(path: &Path, name: &str) -> Result<Thinned, SweepFilesError> {
    let table = columnar::read_table(path)?;
    let bad = |what: &str| SweepFilesError::Bad {
        path: path.to_path_buf(),
        message: format!("{what}; write it again with `wick sweep`"),
    };
    let mut out = Thinned::default();
    for r in 0..table.rows() {
        let t = table::number(&table, "time", r)
            .ok_or_else(|| bad(&format!("row {}: no time", r + 2)))?;
        out.time.push(t as i64);
        out.value
            .push(table::number(&table, name, r).unwrap_or(f64::NAN));
    }
    if table.rows() > 0 && table.column(name).is_none() {
        return Err(bad(&format!("no column named '{name}'")));
    }
    Ok(out)
}

/// The trades of a charted configuration, as `trades.csv`: times in UTC ms and RFC 3339, amounts
/// as the exact decimals booked, and the account's equity and drawdown at the close of the bar
/// each trade ended in.
fn trades_table(run: &ChartRun) -> Table {
    let trades = &run.trades;
    let ms = |f: fn(&crate::results::Trade) -> i64| Column::I64(trades.iter().map(f).collect());
    let utc = |f: fn(&crate::results::Trade) -> i64| {
        Column::Str(
            trades
                .iter()
                .map(|t| crate::domain::TimestampMs(f(t)).to_rfc3339())
                .collect(),
        )
    };
    let text =
        |f: fn(&crate::results::Trade) -> String| Column::Str(trades.iter().map(f).collect());
    Table::new()
        .with("side", text(|t| t.side.to_string()))
        .with("entry_time", ms(|t| t.entry_time.0))
        .with("entry_time_utc", utc(|t| t.entry_time.0))
        .with(
            "entry_price",
            Column::F64(trades.iter().map(|t| t.entry_price.to_f64()).collect()),
        )
        .with("exit_time", ms(|t| t.exit_time.0))
        .with("exit_time_utc", utc(|t| t.exit_time.0))
        .with(
            "exit_price",
            Column::F64(trades.iter().map(|t| t.exit_price.to_f64()).collect()),
        )
        .with("exit_reason", text(|t| t.exit_reason.as_str().to_string()))
        .with("qty", text(|t| t.qty.to_string()))
        .with("leverage", text(|t| t.leverage.to_string()))
        .with("margin", text(|t| t.margin.to_string()))
        .with(
            "liquidation_price_at_entry",
            Column::OptStr(
                trades
                    .iter()
                    .map(|t| t.liquidation_price_at_entry.map(|p| p.to_string()))
                    .collect(),
            ),
        )
        .with("pnl", text(|t| t.pnl.to_string()))
        .with("fees", text(|t| t.fees.to_string()))
        .with("funding", text(|t| t.funding.to_string()))
        .with("equity_at_exit", Column::F64(run.exit_equity.clone()))
        .with("drawdown_at_exit", Column::F64(run.exit_drawdown.clone()))
}

/// A trade as the price chart reads it back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChartTrade {
    pub long: bool,
    pub entry_time: i64,
    pub entry_price: f64,
    pub exit_time: i64,
    pub exit_price: f64,
    pub exit_reason: String,
    pub exit_equity: f64,
    pub exit_drawdown: f64,
}

fn read_trades(path: &Path) -> Result<Vec<ChartTrade>, SweepFilesError> {
    let header = columnar::read_header(path)?;
    let table = columnar::read_table(path)?;
    let bad = |r: usize, what: &str| SweepFilesError::Bad {
        path: path.to_path_buf(),
        message: format!("row {}: {what}; write it again with `wick sweep`", r + 2),
    };
    if header.names.is_empty() {
        return Ok(Vec::new());
    }
    (0..table.rows())
        .map(|r| {
            let num =
                |c: &str| table::number(&table, c, r).ok_or_else(|| bad(r, &format!("no {c}")));
            Ok(ChartTrade {
                long: table::text(&table, "side", r) == Some("long"),
                entry_time: num("entry_time")? as i64,
                entry_price: num("entry_price")?,
                exit_time: num("exit_time")? as i64,
                exit_price: num("exit_price")?,
                exit_reason: table::text(&table, "exit_reason", r)
                    .ok_or_else(|| bad(r, "no exit_reason"))?
                    .to_string(),
                exit_equity: table::number(&table, "equity_at_exit", r).unwrap_or(f64::NAN),
                exit_drawdown: table::number(&table, "drawdown_at_exit", r).unwrap_or(f64::NAN),
            })
        })
        .collect()
}

/// Read the sweep rows (Parquet: every float bit for bit), columns in their nullable form.
pub fn read_rows(dir: &Path) -> Result<Table, SweepFilesError> {
    let mut t = columnar::read_table(&dir.join(SWEEP_PARQUET))?;
    t.columns = t
        .columns
        .into_iter()
        .map(|(n, c)| (n, table::nullable(c)))
        .collect();
    t.metadata.clear();
    Ok(t)
}

/// What [`finish`] made, for the terminal.
#[derive(Debug, Clone)]
pub struct SweepReport {
    pub manifest: SweepManifest,
    pub rows: Table,
    /// Row indices, best first by the sort metric.
    pub ranking: Vec<usize>,
    pub sort_by: String,
    pub charts: Vec<PathBuf>,
}

/// Step 2: read a complete sweep folder back and write `summary.json` and the PNG charts.
pub fn finish(dir: &Path, options: &ChartOptions) -> Result<SweepReport, SweepFilesError> {
    let manifest = read_manifest(dir)?;
    let rows = read_rows(dir)?;
    options.check()?;
    let ranking = table::ranking(&rows, &options.sort_by);
    let charts = charts::draw_all(dir, &manifest, &rows, options)?;
    let report = SweepReport {
        manifest,
        rows,
        ranking,
        sort_by: options.sort_by.clone(),
        charts,
    };
    write_json(&dir.join(SUMMARY_JSON), &summary::summary_json(&report))?;
    Ok(report)
}
