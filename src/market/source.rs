//! Where a value came from, so that every message can name the file and the row a user would see
//! in an editor — also after `--sort`/`--dedupe` moved rows around.

use std::path::Path;

use crate::columnar::{Column, FileFormat};

use super::MarketError;

/// A file being loaded: its name for messages, its format (which decides how rows are counted)
/// and, once rows were reordered or removed, the original index of each remaining row.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub file: String,
    pub format: FileFormat,
    pub origin: Option<Vec<u32>>,
}

impl Source {
    pub fn new(path: &Path, format: FileFormat) -> Self {
        Source {
            file: path.display().to_string(),
            format,
            origin: None,
        }
    }

    /// The row label of (possibly repaired) row `i`, as the user finds it in the original file.
    pub fn row(&self, i: usize) -> String {
        let original = self.origin.as_ref().map_or(i, |o| o[i] as usize);
        self.format.row_label(original)
    }

    /// A price or volume column as floats. Missing values and text that is not a number are
    /// errors naming the row; NaN/inf are caught later by the bar checks.
    pub fn floats(&self, name: &str, column: Column) -> Result<Vec<f64>, MarketError> {
        match column {
            Column::F64(v) => Ok(v),
            Column::I64(v) => Ok(v.into_iter().map(|x| x as f64).collect()),
            Column::OptF64(v) => {
                let mut out = Vec::with_capacity(v.len());
                for (i, x) in v.into_iter().enumerate() {
                    out.push(x.ok_or_else(|| self.missing(i, name))?);
                }
                Ok(out)
            }
            Column::OptI64(v) => {
                let mut out = Vec::with_capacity(v.len());
                for (i, x) in v.into_iter().enumerate() {
                    out.push(x.ok_or_else(|| self.missing(i, name))? as f64);
                }
                Ok(out)
            }
            Column::Str(v) => v
                .iter()
                .enumerate()
                .map(|(i, s)| self.parse(i, name, s))
                .collect(),
            Column::OptStr(v) => v
                .iter()
                .enumerate()
                .map(|(i, s)| match s {
                    Some(s) => self.parse(i, name, s),
                    None => Err(self.missing(i, name)),
                })
                .collect(),
        }
    }

    /// Like [`Source::floats`], but a missing value is NaN (an optional column such as the
    /// funding file's `mark_price`).
    pub fn floats_or_nan(&self, name: &str, column: Column) -> Result<Vec<f64>, MarketError> {
        match column {
            Column::OptF64(v) => Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()),
            Column::OptI64(v) => Ok(v
                .into_iter()
                .map(|x| x.map_or(f64::NAN, |x| x as f64))
                .collect()),
            Column::OptStr(v) => v
                .iter()
                .enumerate()
                .map(|(i, s)| match s.as_deref().map(str::trim) {
                    None | Some("") => Ok(f64::NAN),
                    Some(s) => self.parse(i, name, s),
                })
                .collect(),
            other => self.floats(name, other),
        }
    }

    fn parse(&self, i: usize, name: &str, s: &str) -> Result<f64, MarketError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(self.missing(i, name));
        }
        t.parse::<f64>().map_err(|_| MarketError::BadNumber {
            file: self.file.clone(),
            row: self.row(i),
            column: name.to_string(),
            value: s.to_string(),
        })
    }

    fn missing(&self, i: usize, name: &str) -> MarketError {
        MarketError::MissingValue {
            file: self.file.clone(),
            row: self.row(i),
            column: name.to_string(),
        }
    }
}
