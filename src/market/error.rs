//! Everything that can be wrong with a market-data file, each with where it is and what to do.
//!
//! `row` is already written the way a user finds it: `row 1,204` in a CSV (header = line 1, so the
//! first data row is row 2) or `record 1,203` in a Parquet file (see `FileFormat::row_label`).

use thiserror::Error;

use crate::columnar::ColumnarError;

#[derive(Debug, Error)]
pub enum MarketError {
    #[error(transparent)]
    File(#[from] ColumnarError),

    #[error(
        "{file}: no {role} column (columns: {found}); name one of {spellings}, or map it: --columns {role}=<name>"
    )]
    MissingColumn {
        file: String,
        role: &'static str,
        spellings: String,
        found: String,
    },

    #[error(
        "{file}: --columns maps {role} to '{column}', but the file has no such column (columns: {found})"
    )]
    MappedColumnAbsent {
        file: String,
        role: String,
        column: String,
        found: String,
    },

    #[error(
        "--columns '{entry}': {reason}; write role=column pairs, e.g. --columns time=ts,open=o,close=px"
    )]
    BadMapping { entry: String, reason: String },

    #[error(
        "{file}: the header is one field with '{separator}' in it; wick reads comma-separated files — replace the separators with commas"
    )]
    NotCommaSeparated { file: String, separator: String },

    #[error(
        "--dedupe '{value}': say which row of a repeated time to keep: keep-first or keep-last"
    )]
    BadDedupe { value: String },

    #[error("{file}: the file has a header but no rows; it needs at least one bar")]
    Empty { file: String },

    #[error("{file} {row}, column {column}: value is missing; fill it in or remove the row")]
    MissingValue {
        file: String,
        row: String,
        column: String,
    },

    #[error(
        "{file} {row}, column {column}: '{value}' is not a number; write a plain decimal such as 41250.5"
    )]
    BadNumber {
        file: String,
        row: String,
        column: String,
        value: String,
    },

    #[error(
        "{file} {row}, column {column}: '{value}' is not a time; write UTC epoch seconds/milliseconds or RFC 3339 such as 2024-06-01T08:00:00Z"
    )]
    BadTime {
        file: String,
        row: String,
        column: String,
        value: String,
    },

    #[error(
        "{file} {row}, column {column}: time {value} is outside the years 1970–2262 once read as {unit}; check the column holds epoch times"
    )]
    TimeOutOfRange {
        file: String,
        row: String,
        column: String,
        value: String,
        unit: &'static str,
    },

    #[error(
        "{file} {row}, column {column}: {value} has a fraction of a millisecond; wick keeps times in whole milliseconds — round the column to ms"
    )]
    SubMillisecond {
        file: String,
        row: String,
        column: String,
        value: String,
    },

    #[error(
        "{file} {row}, column {column}: {value} is not a finite number; replace it with the real quote or remove the row"
    )]
    NotFinite {
        file: String,
        row: String,
        column: String,
        value: String,
    },

    #[error(
        "{file} {row}, column {column}: price {value} is not above zero; fix the quote or remove the row"
    )]
    NotPositive {
        file: String,
        row: String,
        column: String,
        value: String,
    },

    #[error(
        "{file} {row}, column {column}: high {high} is below {other} {value}; the high must be the bar's largest price — fix the row"
    )]
    HighTooLow {
        file: String,
        row: String,
        column: String,
        high: f64,
        other: &'static str,
        value: f64,
    },

    #[error(
        "{file} {row}, column {column}: low {low} is above {other} {value}; the low must be the bar's smallest price — fix the row"
    )]
    LowTooHigh {
        file: String,
        row: String,
        column: String,
        low: f64,
        other: &'static str,
        value: f64,
    },

    #[error("{file} {row}, column {column}: volume {value} is negative; fix the row")]
    NegativeVolume {
        file: String,
        row: String,
        column: String,
        value: f64,
    },

    #[error(
        "{file} {row}, column {column}: time {time} comes before the previous row's {previous}; sort the file by time, or pass --sort"
    )]
    Unsorted {
        file: String,
        row: String,
        column: String,
        time: String,
        previous: String,
    },

    #[error(
        "{file} {row}, column {column}: time {time} repeats the previous row; remove one of them, or pass --dedupe keep-first|keep-last"
    )]
    Duplicate {
        file: String,
        row: String,
        column: String,
        time: String,
    },

    #[error(
        "{file} {row}, column {column}: the step {step} is not a whole number of the file's {interval} bars (the most common step, or --interval); a file holds one bar interval — split or resample it"
    )]
    MixedInterval {
        file: String,
        row: String,
        column: String,
        /// `from 2024-01-01 00:00 to 2024-01-01 00:30 (30m)`
        step: String,
        interval: String,
    },

    #[error(
        "{file}: mark-price bars are {mark} but the candles are {candles}; use mark candles of the same interval (or resample one of them)"
    )]
    MarkInterval {
        file: String,
        mark: String,
        candles: String,
    },

    #[error(
        "{file} {row}, column {column}: mark bar {time} is not on the candles' grid ({grid}); the mark file must use the same bar open times"
    )]
    MarkOffGrid {
        file: String,
        row: String,
        column: String,
        time: String,
        /// `1h bars from 2019-09-08 17:00`
        grid: String,
    },

    #[error(
        "{file}: a single bar does not tell the bar interval; pass --interval (e.g. --interval 1h)"
    )]
    UnknownInterval { file: String },

    #[error("resample to {to}: {reason}")]
    Resample { to: String, reason: String },
}
