//! Column files in and out: CSV and Parquet, picked by extension. This is the only module that
//! imports polars; everything else sees plain `Vec`s in a [`Table`].
//!
//! Reading asks for named columns with the type the caller wants ([`Want`]). polars parses them in
//! one multi-threaded pass; when a value does not parse (a typo in row 40,000) the same columns are
//! read again as text, so that the caller can find the exact row and say what is wrong with it —
//! polars' own message does not name the row as a user counts it.
//!
//! Writing takes a [`Table`] and keeps every value bit for bit: integers as integers, floats in
//! their shortest round-trip form (polars writes them with `zmij`), missing values as empty CSV
//! fields or Parquet nulls. Parquet files also carry the table's key/value metadata (e.g. the
//! `wick.synthetic` marker); CSV has no place for it.

mod chunked;
mod convert;
mod csv;
mod parquet;

use std::path::{Path, PathBuf};

use thiserror::Error;

/// One column of values. `Opt*` variants hold missing values (empty CSV fields, Parquet nulls).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    I64(Vec<i64>),
    F64(Vec<f64>),
    Str(Vec<String>),
    OptI64(Vec<Option<i64>>),
    OptF64(Vec<Option<f64>>),
    OptStr(Vec<Option<String>>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::I64(v) => v.len(),
            Column::F64(v) => v.len(),
            Column::Str(v) => v.len(),
            Column::OptI64(v) => v.len(),
            Column::OptF64(v) => v.len(),
            Column::OptStr(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A short name of the type, for messages: `integer`, `float`, `text`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Column::I64(_) | Column::OptI64(_) => "integer",
            Column::F64(_) | Column::OptF64(_) => "float",
            Column::Str(_) | Column::OptStr(_) => "text",
        }
    }
}

/// Named columns of equal length, plus file-level key/value metadata (Parquet only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, Column)>,
    pub metadata: Vec<(String, String)>,
}

impl Table {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a column (builder style).
    pub fn with(mut self, name: impl Into<String>, column: Column) -> Self {
        self.columns.push((name.into(), column));
        self
    }

    /// Append a metadata entry (builder style).
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((key.into(), value.into()));
        self
    }

    /// Number of rows (of the first column; writers check that all columns agree).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Remove and return a column by name.
    pub fn take(&mut self, name: &str) -> Option<Column> {
        let i = self.columns.iter().position(|(n, _)| n == name)?;
        Some(self.columns.remove(i).1)
    }

    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The file formats wick reads and writes, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Parquet,
}

impl FileFormat {
    /// `.csv` (also `.txt`) or `.parquet` (also `.pq`), case-insensitive.
    pub fn from_path(path: &Path) -> Result<Self, ColumnarError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") | Some("txt") => Ok(FileFormat::Csv),
            Some("parquet") | Some("pq") => Ok(FileFormat::Parquet),
            _ => Err(ColumnarError::UnknownFormat {
                path: path.to_path_buf(),
            }),
        }
    }

    /// How a user finds data row `index` (0-based) in the file: in a CSV the header is line 1, so
    /// the first data row is "row 2"; Parquet has no header line, so its first record is "record 1".
    pub fn row_label(self, index: usize) -> String {
        match self {
            FileFormat::Csv => format!("row {}", index + 2),
            FileFormat::Parquet => format!("record {}", index + 1),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "CSV",
            FileFormat::Parquet => "Parquet",
        }
    }
}

/// The type a caller wants a column in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Floats; integer columns are widened (exactly, below 2^53).
    F64,
    /// Integers.
    I64,
    /// Whatever the file holds (a CSV column's type is inferred from its first rows).
    Auto,
}

/// What `read_columns` found: the columns in the order requested, the file's metadata, and
/// whether polars could not parse them as asked (then they hold text and the caller finds the row).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    pub table: Table,
    pub format: FileFormat,
    /// True when the typed read failed and the columns were read again as text.
    pub fell_back_to_text: bool,
}

/// The names of a file's columns and its key/value metadata, without reading its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FileHeader {
    pub format: FileFormat,
    pub names: Vec<String>,
    pub metadata: Vec<(String, String)>,
}

#[derive(Debug, Error)]
pub enum ColumnarError {
    /// Not `source`: the message already quotes the I/O error, and a source would print it twice.
    #[error("{}: cannot {action}: {err}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        err: std::io::Error,
    },
    #[error("{}: unknown file type; name it .csv or .parquet", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("{}: the file is empty (no header line); write a header such as timestamp,open,high,low,close,volume and at least one row", path.display())]
    Empty { path: PathBuf },
    #[error("{}: no column named '{column}' (columns: {found}); rename it or map it with --columns", path.display())]
    MissingColumn {
        path: PathBuf,
        column: String,
        found: String,
    },
    #[error("{}: column '{column}' has type {dtype}, which wick cannot read; store it as integers, floats or text", path.display())]
    UnsupportedType {
        path: PathBuf,
        column: String,
        dtype: String,
    },
    #[error("table to write to {}: column '{column}' has {len} rows but '{first}' has {expected}", path.display())]
    RaggedTable {
        path: PathBuf,
        column: String,
        len: usize,
        first: String,
        expected: usize,
    },
    #[error("{} row {row}: {found} fields, but the header has {expected}; every row needs one value per column (an empty field for a missing one)", path.display())]
    RaggedRow {
        path: PathBuf,
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("{}: {message}", path.display())]
    Polars { path: PathBuf, message: String },
}

/// An I/O error while doing `action` ("open", "read", "create") to `path`.
fn io_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> ColumnarError {
    let path = path.to_path_buf();
    move |err| ColumnarError::Io { path, action, err }
}

/// Column names and metadata of a CSV (its header line) or Parquet file (its schema).
pub fn read_header(path: &Path) -> Result<FileHeader, ColumnarError> {
    match FileFormat::from_path(path)? {
        FileFormat::Csv => csv::read_header(path),
        FileFormat::Parquet => parquet::read_header(path),
    }
}

/// Read the named columns (exact names as in the file), each as wanted. On a value polars cannot
/// parse, the columns come back as text instead (`fell_back_to_text`), never an error, so the
/// caller can locate the bad row.
pub fn read_columns(path: &Path, wanted: &[(String, Want)]) -> Result<ReadOutcome, ColumnarError> {
    match FileFormat::from_path(path)? {
        FileFormat::Csv => csv::read_columns(path, wanted),
        FileFormat::Parquet => parquet::read_columns(path, wanted),
    }
}

/// Read every column with its natural type. CSV types are inferred from the whole file, so a
/// column whose first rows are empty is still read as numbers.
pub fn read_table(path: &Path) -> Result<Table, ColumnarError> {
    match FileFormat::from_path(path)? {
        FileFormat::Csv => csv::read_all(path),
        FileFormat::Parquet => parquet::read_all(path),
    }
}

/// Write a table, as CSV or Parquet by the extension of `path` (the table is copied; see
/// [`write_table_owned`] to hand it over without a copy).
pub fn write_table(path: &Path, table: &Table) -> Result<(), ColumnarError> {
    write_table_owned(path, table.clone())
}

/// Write a table, moving its columns into the writer: for tens of millions of rows this avoids
/// holding a second copy of every column.
pub fn write_table_owned(path: &Path, table: Table) -> Result<(), ColumnarError> {
    match FileFormat::from_path(path)? {
        FileFormat::Csv => csv::write(path, table),
        FileFormat::Parquet => parquet::write(path, table),
    }
}

/// Write a table as CSV with a header line (metadata is not stored: CSV has no place for it).
pub fn write_csv(path: &Path, table: &Table) -> Result<(), ColumnarError> {
    csv::write(path, table.clone())
}

/// Write a table as Parquet (uncompressed pages, which decode fastest), with the table's metadata
/// as file-level key/value pairs.
pub fn write_parquet(path: &Path, table: &Table) -> Result<(), ColumnarError> {
    parquet::write(path, table.clone())
}

#[cfg(test)]
mod tests;
