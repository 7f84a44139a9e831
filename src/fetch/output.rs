//! Writing the merged series: one file per kind, in wick's own columns, atomically (a temporary file
//! beside the target, validated, then renamed over it), so that an interrupted or failed fetch never
//! leaves a half-written file where a run would read it.
//!
//! Columns: candles and mark candles `timestamp,open,high,low,close,volume` (UTC ms bar-open times; the
//! archive's mark klines carry no volume, so theirs is what the file states, 0); funding
//! `timestamp,funding_rate,mark_price` (mark empty where unknown).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::columnar;
use crate::domain::Interval;
use crate::market::{self, Candles, FundingSeries, LoadOptions};

use super::archive::Kind;
use super::cache::temp_path_beside;
use super::error::FetchError;
use super::parse::{CandleRow, FundingRow};

/// The file format of the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    #[default]
    Parquet,
    Csv,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Parquet => "parquet",
            OutputFormat::Csv => "csv",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "parquet" => Ok(OutputFormat::Parquet),
            "csv" => Ok(OutputFormat::Csv),
            _ => Err(format!(
                "'{s}' is not an output format; choose parquet or csv"
            )),
        }
    }
}

/// `<out>/binance-<symbol>-<interval>.<ext>`, `…-mark-<interval>…`, `…-funding…` (symbol in lower case).
pub fn output_path(
    out_dir: &Path,
    symbol: &str,
    interval: &str,
    kind: Kind,
    format: OutputFormat,
) -> PathBuf {
    let symbol = symbol.to_ascii_lowercase();
    let ext = format.extension();
    out_dir.join(match kind {
        Kind::Candles => format!("binance-{symbol}-{interval}.{ext}"),
        Kind::Mark => format!("binance-{symbol}-mark-{interval}.{ext}"),
        Kind::Funding => format!("binance-{symbol}-funding.{ext}"),
    })
}

/// Candles in the market model's column-wise form, labelled with the file they are written to.
pub fn candles_of(rows: &[CandleRow], interval: Interval, source: &Path) -> Candles {
    Candles {
        source: source.display().to_string(),
        interval,
        time: rows.iter().map(|r| r.time).collect(),
        open: rows.iter().map(|r| r.open).collect(),
        high: rows.iter().map(|r| r.high).collect(),
        low: rows.iter().map(|r| r.low).collect(),
        close: rows.iter().map(|r| r.close).collect(),
        volume: rows.iter().map(|r| r.volume).collect(),
        gaps: Vec::new(),
        synthetic: false,
    }
}

/// Funding in the market model's form; an unknown mark price is NaN there, as the model documents.
pub fn funding_of(rows: &[FundingRow], marks: &[Option<f64>], source: &Path) -> FundingSeries {
    FundingSeries {
        source: source.display().to_string(),
        time: rows.iter().map(|r| r.time).collect(),
        rate: rows.iter().map(|r| r.rate).collect(),
        mark: marks.iter().map(|m| m.unwrap_or(f64::NAN)).collect(),
    }
}

/// What one output holds.
#[derive(Debug, Clone, Copy)]
pub enum Series<'a> {
    Candles(&'a Candles),
    Funding(&'a FundingSeries),
}

/// Write `series` to `path` all or nothing: to a temporary file beside it (same extension, so the same
/// format), read back through the loader and compared value for value, then renamed into place. On any
/// error the temporary file is removed and `path` is left as it was.
pub fn write_validated(path: &Path, series: Series<'_>) -> Result<(), FetchError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|source| FetchError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    let temp = temp_path_beside(path);
    let result = write_series(&temp, series)
        .and_then(|()| read_back(&temp, series))
        .map_err(|reason| FetchError::Invalid {
            path: path.to_path_buf(),
            // The loader names the temporary file; the user knows the file by its final name.
            reason: reason.replace(&temp.display().to_string(), &path.display().to_string()),
        })
        .and_then(|()| {
            fs::rename(&temp, path).map_err(|source| FetchError::Write {
                path: path.to_path_buf(),
                source,
            })
        });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Integration point with `columnar`: the one place that turns a series into a file, as CSV or Parquet
/// by the extension of `path`, in the column layout the loader reads.
fn write_series(path: &Path, series: Series<'_>) -> Result<(), String> {
    let table = match series {
        Series::Candles(c) => market::candles_table(c),
        Series::Funding(f) => market::funding_table(f, false),
    };
    columnar::write_table(path, &table).map_err(|e| e.to_string())
}

/// Integration point with the loader: the written file must load with every check the loader applies
/// (order, OHLC consistency, one bar interval) and give back exactly the values written.
fn read_back(path: &Path, series: Series<'_>) -> Result<(), String> {
    let same = |a: &[f64], b: &[f64]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
    };
    match series {
        Series::Candles(c) => {
            let opts = LoadOptions {
                interval: Some(c.interval),
                ..LoadOptions::default()
            };
            let l = market::load_candles(path, &opts)
                .map_err(|e| e.to_string())?
                .candles;
            let equal = l.time == c.time
                && same(&l.open, &c.open)
                && same(&l.high, &c.high)
                && same(&l.low, &c.low)
                && same(&l.close, &c.close)
                && same(&l.volume, &c.volume);
            equal
                .then_some(())
                .ok_or_else(|| "reading it back gave different values".to_string())
        }
        Series::Funding(f) => {
            let l = market::load_funding(path, &LoadOptions::default())
                .map_err(|e| e.to_string())?
                .funding;
            let equal = l.time == f.time && same(&l.rate, &f.rate) && same(&l.mark, &f.mark);
            equal
                .then_some(())
                .ok_or_else(|| "reading it back gave different values".to_string())
        }
    }
}
