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

use crate::domain::Interval;
use crate::market::{Candles, FundingSeries};

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

/// Write `series` to `path` all or nothing: to a temporary file, validated by reading it back, then
/// renamed into place. On any error the temporary file is removed and `path` is left as it was.
pub fn write_validated(
    path: &Path,
    series: Series<'_>,
    format: OutputFormat,
) -> Result<(), FetchError> {
    let write_err = |source| FetchError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(write_err)?;
    }
    let temp = temp_path_beside(path);
    let result = write_series(&temp, series, format)
        .and_then(|()| validate(&temp, series, format))
        .and_then(|()| fs::rename(&temp, path).map_err(write_err));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Integration point with `columnar`: the one place that turns a series into a file.
fn write_series(path: &Path, series: Series<'_>, format: OutputFormat) -> Result<(), FetchError> {
    let write_err = |source| FetchError::Write {
        path: path.to_path_buf(),
        source,
    };
    match format {
        OutputFormat::Csv => fs::write(path, csv_text(series)).map_err(write_err),
        OutputFormat::Parquet => Err(FetchError::Invalid {
            path: path.to_path_buf(),
            reason: "Parquet output needs the columnar writer, which is not in this build yet; use --format csv"
                .into(),
        }),
    }
}

/// Integration point with the loader: the one place that reads a written file back and checks it.
fn validate(path: &Path, series: Series<'_>, _format: OutputFormat) -> Result<(), FetchError> {
    let times = match series {
        Series::Candles(c) => &c.time,
        Series::Funding(f) => &f.time,
    };
    match times.windows(2).find(|w| w[0] >= w[1]) {
        Some(w) => Err(FetchError::Invalid {
            path: path.to_path_buf(),
            reason: format!("times out of order at {} ms", w[1]),
        }),
        None => Ok(()),
    }
}

fn csv_text(series: Series<'_>) -> String {
    let mut text = String::new();
    match series {
        Series::Candles(c) => {
            text.push_str("timestamp,open,high,low,close,volume\n");
            for i in 0..c.time.len() {
                let (t, o, h, l, cl, v) = (
                    c.time[i],
                    c.open[i],
                    c.high[i],
                    c.low[i],
                    c.close[i],
                    c.volume[i],
                );
                text.push_str(&format!("{t},{o},{h},{l},{cl},{v}\n"));
            }
        }
        Series::Funding(f) => {
            text.push_str("timestamp,funding_rate,mark_price\n");
            for i in 0..f.time.len() {
                let mark = if f.mark[i].is_nan() {
                    String::new()
                } else {
                    f.mark[i].to_string()
                };
                text.push_str(&format!("{},{},{mark}\n", f.time[i], f.rate[i]));
            }
        }
    }
    text
}
