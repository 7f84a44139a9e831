//! CSV through polars: multi-threaded typed parsing, with a text fallback that lets the caller
//! find a bad value's row.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use polars::prelude::{
    CsvReadOptions, CsvWriter, DataType, Field, PlSmallStr, Schema, SerReader, SerWriter,
};

use super::chunked;
use super::convert::{frame_to_table, table_to_frame, to_polars_err};
use super::{ColumnarError, FileFormat, FileHeader, ReadOutcome, Table, Want, io_error};

/// The header line, split on commas, unquoted and trimmed (a UTF-8 byte-order mark is ignored).
pub(super) fn read_header(path: &Path) -> Result<FileHeader, ColumnarError> {
    let file = File::open(path).map_err(io_error(path, "open"))?;
    let mut line = String::new();
    BufReader::new(file)
        .read_line(&mut line)
        .map_err(io_error(path, "read"))?;
    let line = line
        .trim_start_matches('\u{feff}')
        .trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() {
        return Err(ColumnarError::Empty {
            path: path.to_path_buf(),
        });
    }
    // Names are kept as written (spaces included) so that they match polars' own header parse;
    // matching by role trims them.
    let names = line
        .split(',')
        .map(|n| n.trim_matches('"').to_string())
        .collect();
    Ok(FileHeader {
        format: FileFormat::Csv,
        names,
        metadata: Vec::new(),
    })
}

pub(super) fn read_columns(
    path: &Path,
    wanted: &[(String, Want)],
) -> Result<ReadOutcome, ColumnarError> {
    let header = read_header(path)?;
    for (name, _) in wanted {
        if !header.names.iter().any(|n| n == name) {
            return Err(ColumnarError::MissingColumn {
                path: path.to_path_buf(),
                column: name.clone(),
                found: header.names.join(", "),
            });
        }
    }
    let big = std::fs::metadata(path).is_ok_and(|m| m.len() as usize > 2 * chunked::SLICE_BYTES);
    if big && let Ok(columns) = chunked::read(path, wanted)? {
        let table = Table {
            columns,
            metadata: Vec::new(),
        };
        return Ok(ReadOutcome {
            table,
            format: FileFormat::Csv,
            fell_back_to_text: false,
        });
    }
    match read_whole(path, wanted) {
        Ok(table) => Ok(ReadOutcome {
            table,
            format: FileFormat::Csv,
            fell_back_to_text: false,
        }),
        Err(_) => {
            // A value did not parse as asked. Read the same columns as text: the caller parses
            // them again and reports the first bad value by its row.
            let text = wanted
                .iter()
                .map(|(n, _)| Field::new(n.as_str().into(), DataType::String));
            let table = match read(path, wanted, Schema::from_iter(text)) {
                Ok(table) => table,
                // Not even text: a row with the wrong number of fields, most likely.
                Err(err) => return Err(find_ragged_row(path)?.unwrap_or(err)),
            };
            Ok(ReadOutcome {
                table,
                format: FileFormat::Csv,
                fell_back_to_text: true,
            })
        }
    }
}

/// The first row whose number of fields differs from the header's (commas inside double quotes
/// do not count), as an error naming the row; `None` when every row has the header's count.
fn find_ragged_row(path: &Path) -> Result<Option<ColumnarError>, ColumnarError> {
    let file = File::open(path).map_err(io_error(path, "open"))?;
    let fields = |line: &str| {
        let mut in_quotes = false;
        1 + line
            .chars()
            .filter(|&ch| {
                if ch == '"' {
                    in_quotes = !in_quotes;
                }
                ch == ',' && !in_quotes
            })
            .count()
    };
    let mut expected = None;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_error(path, "read"))?;
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let found = fields(line);
        match expected {
            None => expected = Some(found),
            Some(expected) if found != expected => {
                let path = path.to_path_buf();
                return Ok(Some(ColumnarError::RaggedRow {
                    path,
                    row: i + 1,
                    found,
                    expected,
                }));
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

/// The wanted columns, typed as asked, in one polars read of the whole file.
pub(super) fn read_whole(path: &Path, wanted: &[(String, Want)]) -> Result<Table, ColumnarError> {
    let typed = wanted.iter().filter_map(|(name, want)| {
        let dtype = match want {
            Want::F64 => DataType::Float64,
            Want::I64 => DataType::Int64,
            Want::Auto => return None,
        };
        Some(Field::new(name.as_str().into(), dtype))
    });
    read(path, wanted, Schema::from_iter(typed))
}

fn read(path: &Path, wanted: &[(String, Want)], overwrite: Schema) -> Result<Table, ColumnarError> {
    let names: Arc<[PlSmallStr]> = wanted
        .iter()
        .map(|(n, _)| PlSmallStr::from(n.as_str()))
        .collect();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some(names))
        .with_schema_overwrite(Some(Arc::new(overwrite)))
        .with_rechunk(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| to_polars_err(path, e))?;
    let mut table = frame_to_table(path, df)?;
    // polars returns projected columns in file order; hand them back in the order asked for.
    let mut ordered = Table::new();
    for (name, _) in wanted {
        if let Some(col) = table.take(name) {
            ordered.columns.push((name.clone(), col));
        }
    }
    Ok(ordered)
}

/// Every column, with types inferred from the whole file (slower, but a column whose first
/// hundred values are empty is still numeric).
pub(super) fn read_all(path: &Path) -> Result<Table, ColumnarError> {
    read_header(path)?;
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .with_rechunk(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| to_polars_err(path, e))?;
    frame_to_table(path, df)
}

pub(super) fn write(path: &Path, table: Table) -> Result<(), ColumnarError> {
    let mut df = table_to_frame(path, table)?;
    let file = File::create(path).map_err(io_error(path, "create"))?;
    CsvWriter::new(std::io::BufWriter::new(file))
        .include_header(true)
        .finish(&mut df)
        .map_err(|e| to_polars_err(path, e))
}
