//! Loading candle, mark-price and funding files into [`MarketData`], validated.
//!
//! Steps, in order: find the columns (spellings or `--columns`), read them through `columnar`
//! (one typed polars pass; text only when a value does not parse), convert times to UTC ms,
//! apply the opt-in repairs, then check order, bars and grid in single scans. Nothing is dropped
//! or reordered unless a repair was asked for, and then the report says how many rows changed.

use std::path::Path;

use crate::columnar::{self, Column, ColumnarError, FileFormat, Want};
use crate::domain::{Interval, TimestampMs};

use super::columns::{self, ColumnMap, Role};
use super::repair::{self, Dedupe, Repairs};
use super::source::Source;
use super::time::{self, BadTime, TimeProblem, TimeUnit};
use super::validate::{self, BarColumns, Bars};
use super::{Candles, MarketError};

/// How to read a file. `Default` reads files as they are, with no repairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// Explicit role → column mapping (`--columns time=ts,open=o`).
    pub columns: ColumnMap,
    /// Sort rows by time (stable) instead of refusing an unsorted file.
    pub sort: bool,
    /// Drop rows whose time repeats, keeping the first or last.
    pub dedupe: Option<Dedupe>,
    /// The bar interval, when the most common step is not it (or the file has one bar).
    pub interval: Option<Interval>,
}

/// Metadata key that marks a Parquet file written by `wick data synth`.
pub const SYNTHETIC_KEY: &str = "wick.synthetic";

/// What loading found out about a file, for `inspect` and the CLI's summary lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport {
    pub file: String,
    pub format: FileFormat,
    /// Data rows in the file, before repairs.
    pub rows_in_file: usize,
    pub time_unit: TimeUnit,
    /// Which file column was read for which role.
    pub columns: Vec<(Role, String)>,
    pub repairs: Repairs,
    /// Made by `wick data synth` (file name starts with `synth-`, or Parquet metadata says so).
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoadedCandles {
    pub candles: Candles,
    pub report: LoadReport,
}

/// Read + convert + repair: the part every kind of file shares.
pub(crate) struct Raw {
    pub src: Source,
    pub time: Vec<i64>,
    pub values: Vec<(String, Column)>,
    pub report: LoadReport,
}

/// Read the time column and the given roles (required ones must exist), convert the time to ms
/// and apply the repairs.
pub(crate) fn read_raw(
    path: &Path,
    roles: &[(Role, bool)],
    opts: &LoadOptions,
) -> Result<Raw, MarketError> {
    let header = columnar::read_header(path)?;
    let mut src = Source::new(path, header.format);
    let time_col = columns::require(&src.file, &header.names, Role::Time, &opts.columns)?;
    let mut found = vec![(Role::Time, time_col.clone())];
    for &(role, required) in roles {
        let name = if required {
            Some(columns::require(
                &src.file,
                &header.names,
                role,
                &opts.columns,
            )?)
        } else {
            columns::find(&src.file, &header.names, role, &opts.columns)?
        };
        if let Some(name) = name {
            found.push((role, name));
        }
    }
    // Each file column once, even when it serves several roles.
    let mut wanted: Vec<(String, Want)> = Vec::with_capacity(found.len());
    for (role, name) in &found {
        if wanted.iter().all(|(n, _)| n != name) {
            let want = if *role == Role::Time {
                Want::Auto
            } else {
                Want::F64
            };
            wanted.push((name.clone(), want));
        }
    }
    let mut table = columnar::read_columns(path, &wanted)?.table;
    let synthetic = table.metadata_value(SYNTHETIC_KEY) == Some("true")
        || path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("synth-"));
    let rows = table.rows();
    if rows == 0 {
        return Err(MarketError::Empty { file: src.file });
    }
    let Some(time_column) = table.take(&time_col) else {
        return Err(MarketError::File(ColumnarError::MissingColumn {
            path: path.to_path_buf(),
            column: time_col,
            found: header.names.join(", "),
        }));
    };
    let converted = time::convert(time_column).map_err(|bad| time_error(&src, &time_col, bad))?;
    let (order, repairs) = repair::plan(&converted.ms, opts.sort, opts.dedupe);
    let mut time = converted.ms;
    if let Some(order) = &order {
        time = repair::apply(&time, order);
    }
    src.origin = order;
    let report = LoadReport {
        file: src.file.clone(),
        format: src.format,
        rows_in_file: rows,
        time_unit: converted.unit,
        columns: found,
        repairs,
        synthetic,
    };
    Ok(Raw {
        src,
        time,
        values: table.columns,
        report,
    })
}

fn time_error(src: &Source, column: &str, bad: BadTime) -> MarketError {
    let (file, row, column) = (src.file.clone(), src.row(bad.index), column.to_string());
    match bad.problem {
        TimeProblem::NotATime if bad.value.trim().is_empty() => {
            MarketError::MissingValue { file, row, column }
        }
        TimeProblem::NotATime => MarketError::BadTime {
            file,
            row,
            column,
            value: bad.value,
        },
        TimeProblem::OutOfRange => MarketError::TimeOutOfRange {
            file,
            row,
            column,
            value: bad.value,
            unit: bad.unit.name(),
        },
        TimeProblem::SubMillisecond => MarketError::SubMillisecond {
            file,
            row,
            column,
            value: bad.value,
        },
    }
}

impl Raw {
    /// A value column as floats, reordered like the time column.
    pub fn floats(&mut self, name: &str, missing_is_nan: bool) -> Result<Vec<f64>, MarketError> {
        let Some(i) = self.values.iter().position(|(n, _)| n == name) else {
            return Err(MarketError::File(ColumnarError::MissingColumn {
                path: self.src.file.clone().into(),
                column: name.to_string(),
                found: self
                    .values
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }));
        };
        // One file column may serve several roles (`--columns open=px,close=px`): then it is
        // copied for each, otherwise moved out without a copy.
        let uses = self
            .report
            .columns
            .iter()
            .filter(|(_, n)| n == name)
            .count();
        let column = if uses > 1 {
            self.values[i].1.clone()
        } else {
            self.values.swap_remove(i).1
        };
        // Parse in file order, so that a bad value is reported at its own row.
        let file_order = Source {
            file: self.src.file.clone(),
            format: self.src.format,
            origin: None,
        };
        let values = if missing_is_nan {
            file_order.floats_or_nan(name, column)?
        } else {
            file_order.floats(name, column)?
        };
        Ok(match &self.src.origin {
            Some(order) => repair::apply(&values, order),
            None => values,
        })
    }

    pub fn name(&self, role: Role) -> Option<String> {
        self.report
            .columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, n)| n.clone())
    }
}

/// Load last-price candles: time, open, high, low, close (volume optional: 0 when absent).
pub fn load_candles(path: &Path, opts: &LoadOptions) -> Result<LoadedCandles, MarketError> {
    let roles = [
        (Role::Open, true),
        (Role::High, true),
        (Role::Low, true),
        (Role::Close, true),
        (Role::Volume, false),
    ];
    let mut raw = read_raw(path, &roles, opts)?;
    let names = BarColumns {
        time: raw.name(Role::Time).unwrap_or_default(),
        open: raw.name(Role::Open).unwrap_or_default(),
        high: raw.name(Role::High).unwrap_or_default(),
        low: raw.name(Role::Low).unwrap_or_default(),
        close: raw.name(Role::Close).unwrap_or_default(),
        volume: raw.name(Role::Volume),
    };
    let open = raw.floats(&names.open, false)?;
    let high = raw.floats(&names.high, false)?;
    let low = raw.floats(&names.low, false)?;
    let close = raw.floats(&names.close, false)?;
    let volume = match &names.volume {
        Some(v) => raw.floats(v, false)?,
        None => vec![0.0; raw.time.len()],
    };
    validate::check_order(&raw.src, &names.time, &raw.time)?;
    let bars = Bars {
        open: &open,
        high: &high,
        low: &low,
        close: &close,
        volume: Some(&volume),
    };
    validate::check_bars(&raw.src, &names, bars)?;
    let (interval, gaps) = validate::grid(&raw.src, &names.time, &raw.time, opts.interval)?;
    let candles = Candles {
        source: raw.src.file.clone(),
        interval,
        time: raw.time,
        open,
        high,
        low,
        close,
        volume,
        gaps,
        synthetic: raw.report.synthetic,
    };
    Ok(LoadedCandles {
        candles,
        report: raw.report,
    })
}

/// `2024-06-01 08:00 → 2024-06-30 23:00`, for summaries.
pub fn span(time: &[i64]) -> String {
    match (time.first(), time.last()) {
        (Some(&a), Some(&b)) => format!(
            "{} → {}",
            TimestampMs(a).to_human(),
            TimestampMs(b).to_human()
        ),
        _ => "empty".into(),
    }
}
