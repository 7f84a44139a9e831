//! Reading a large CSV file in slices of whole lines, so that the file's bytes and its columns
//! are not in memory at the same time. polars maps a whole CSV file into memory before parsing
//! it; for 5 million bars that is 260 MB of text next to 240 MB of columns. Feeding polars 32 MB
//! slices (each with the header line in front) keeps peak memory near the size of the columns.
//!
//! Assumes no quoted field spans lines (true of market data). If a slice does not parse — a bad
//! value, or a type that differs from the first slice's — the caller reads the whole file the
//! ordinary way, which then finds and reports the problem.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use polars::prelude::{CsvReadOptions, DataFrame, DataType, Field, PlSmallStr, Schema, SerReader};

use super::convert::{extend_numbers, frame_to_table};
use super::{Column, ColumnarError, Want, io_error};

/// Size of one slice of the file.
pub(super) const SLICE_BYTES: usize = 32 << 20;

/// Why a chunked read gave up (the caller then reads the file whole).
#[derive(Debug)]
pub(super) struct GiveUp;

/// Read the wanted columns slice by slice. `Ok(Err(GiveUp))` when a slice did not parse as the
/// first one did; `Err` only for I/O.
pub(super) fn read(
    path: &Path,
    wanted: &[(String, Want)],
) -> Result<Result<Vec<(String, Column)>, GiveUp>, ColumnarError> {
    let file_len = std::fs::metadata(path)
        .map_err(io_error(path, "open"))?
        .len() as usize;
    let mut reader =
        BufReader::with_capacity(1 << 20, File::open(path).map_err(io_error(path, "open"))?);
    let mut header = Vec::new();
    reader
        .read_until(b'\n', &mut header)
        .map_err(io_error(path, "read"))?;
    let names: Arc<[PlSmallStr]> = wanted
        .iter()
        .map(|(n, _)| PlSmallStr::from(n.as_str()))
        .collect();
    let mut dtypes: Vec<Option<DataType>> = wanted
        .iter()
        .map(|(_, w)| match w {
            Want::F64 => Some(DataType::Float64),
            Want::I64 => Some(DataType::Int64),
            Want::Auto => None,
        })
        .collect();
    let mut out: Vec<(String, Column)> = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(SLICE_BYTES + header.len() + 4096);
    let mut more = fill_slice(&mut reader, &header, &mut buf).map_err(io_error(path, "read"))?;
    while more {
        let schema = Schema::from_iter(
            wanted
                .iter()
                .zip(&dtypes)
                .filter_map(|((n, _), d)| Some(Field::new(n.as_str().into(), d.clone()?))),
        );
        let parsed = CsvReadOptions::default()
            .with_has_header(true)
            .with_columns(Some(names.clone()))
            .with_schema_overwrite(Some(Arc::new(schema)))
            // Later slices are appended chunk by chunk (`extend_columns`): joining polars'
            // per-thread chunks first would copy every value once more.
            .with_rechunk(out.is_empty())
            .into_reader_with_file_handle(Cursor::new(buf.as_slice()))
            .finish();
        let Ok(df) = parsed else {
            return Ok(Err(GiveUp));
        };
        if out.is_empty() {
            let Ok(mut table) = frame_to_table(path, df) else {
                return Ok(Err(GiveUp));
            };
            // Fix the inferred types for the later slices, and size the columns once: the rows
            // still to come are estimated from this slice's bytes per row.
            let rows_here = table.rows().max(1);
            let estimate =
                file_len / ((buf.len() - header.len()) / rows_here).max(1) * 103 / 100 + 1024;
            for ((name, _), dtype) in wanted.iter().zip(dtypes.iter_mut()) {
                let Some(mut col) = table.take(name) else {
                    return Ok(Err(GiveUp));
                };
                reserve(&mut col, estimate.saturating_sub(rows_here));
                if dtype.is_none() {
                    *dtype = Some(match col {
                        Column::I64(_) | Column::OptI64(_) => DataType::Int64,
                        Column::F64(_) | Column::OptF64(_) => DataType::Float64,
                        Column::Str(_) | Column::OptStr(_) => DataType::String,
                    });
                }
                out.push((name.clone(), col));
            }
            more = fill_slice(&mut reader, &header, &mut buf).map_err(io_error(path, "read"))?;
            continue;
        }
        // Copying the slice into the columns is mostly first touches of fresh pages, and reading
        // the next slice is a copy out of the page cache; neither needs polars' threads, which
        // would otherwise wait. So the two halves of the columns are filled on two threads while
        // this one reads on.
        let half = out.len() / 2;
        let (left, right) = out.split_at_mut(half);
        let (filled, next) = std::thread::scope(|scope| {
            let left = scope.spawn(|| extend_columns(path, left, &df));
            let right = scope.spawn(|| extend_columns(path, right, &df));
            let next = fill_slice(&mut reader, &header, &mut buf);
            let joined = |h: std::thread::ScopedJoinHandle<'_, Result<(), GiveUp>>| {
                h.join().unwrap_or(Err(GiveUp))
            };
            (joined(left).and(joined(right)), next)
        });
        if filled.is_err() {
            return Ok(Err(GiveUp));
        }
        more = next.map_err(io_error(path, "read"))?;
    }
    for (_, col) in out.iter_mut() {
        shrink(col);
    }
    Ok(Ok(out))
}

/// Fill `buf` with the header and the next slice of whole lines; `false` when the file has no
/// lines left.
fn fill_slice(
    reader: &mut BufReader<File>,
    header: &[u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<bool> {
    buf.clear();
    buf.extend_from_slice(header);
    reader.by_ref().take(SLICE_BYTES as u64).read_to_end(buf)?;
    // Finish the last line of the slice.
    reader.read_until(b'\n', buf)?;
    Ok(buf.len() > header.len())
}

/// Append a later slice's columns: numbers without missing values straight from polars' chunks,
/// anything else through the general conversion.
fn extend_columns(
    path: &Path,
    cols: &mut [(String, Column)],
    df: &DataFrame,
) -> Result<(), GiveUp> {
    let mut rest = Vec::new();
    for (name, col) in cols.iter_mut() {
        if !extend_numbers(col, df, name) {
            rest.push(name.clone());
        }
    }
    if rest.is_empty() {
        return Ok(());
    }
    let rest = df
        .select(rest.iter().map(String::as_str))
        .map_err(|_| GiveUp)?;
    let mut table = frame_to_table(path, rest).map_err(|_| GiveUp)?;
    for (name, col) in cols.iter_mut() {
        if let Some(more) = table.take(name) {
            append(col, more)?;
        }
    }
    Ok(())
}

fn reserve(col: &mut Column, extra: usize) {
    match col {
        Column::I64(v) => v.reserve_exact(extra),
        Column::F64(v) => v.reserve_exact(extra),
        Column::Str(v) => v.reserve_exact(extra),
        Column::OptI64(v) => v.reserve_exact(extra),
        Column::OptF64(v) => v.reserve_exact(extra),
        Column::OptStr(v) => v.reserve_exact(extra),
    }
}

fn shrink(col: &mut Column) {
    match col {
        Column::I64(v) => v.shrink_to_fit(),
        Column::F64(v) => v.shrink_to_fit(),
        Column::Str(v) => v.shrink_to_fit(),
        Column::OptI64(v) => v.shrink_to_fit(),
        Column::OptF64(v) => v.shrink_to_fit(),
        Column::OptStr(v) => v.shrink_to_fit(),
    }
}

/// Append a slice's column; a column without missing values joins one with them (and the other
/// way round) by widening to the optional form.
fn append(col: &mut Column, more: Column) -> Result<(), GiveUp> {
    match (col, more) {
        (Column::I64(a), Column::I64(b)) => a.extend(b),
        (Column::F64(a), Column::F64(b)) => a.extend(b),
        (Column::Str(a), Column::Str(b)) => a.extend(b),
        (Column::OptI64(a), Column::OptI64(b)) => a.extend(b),
        (Column::OptF64(a), Column::OptF64(b)) => a.extend(b),
        (Column::OptStr(a), Column::OptStr(b)) => a.extend(b),
        (Column::OptI64(a), Column::I64(b)) => a.extend(b.into_iter().map(Some)),
        (Column::OptF64(a), Column::F64(b)) => a.extend(b.into_iter().map(Some)),
        (Column::OptStr(a), Column::Str(b)) => a.extend(b.into_iter().map(Some)),
        (col @ Column::I64(_), Column::OptI64(b)) => {
            let Column::I64(a) = std::mem::replace(col, Column::OptI64(Vec::new())) else {
                return Err(GiveUp);
            };
            *col = Column::OptI64(a.into_iter().map(Some).chain(b).collect());
        }
        (col @ Column::F64(_), Column::OptF64(b)) => {
            let Column::F64(a) = std::mem::replace(col, Column::OptF64(Vec::new())) else {
                return Err(GiveUp);
            };
            *col = Column::OptF64(a.into_iter().map(Some).chain(b).collect());
        }
        (col @ Column::Str(_), Column::OptStr(b)) => {
            let Column::Str(a) = std::mem::replace(col, Column::OptStr(Vec::new())) else {
                return Err(GiveUp);
            };
            *col = Column::OptStr(a.into_iter().map(Some).chain(b).collect());
        }
        _ => return Err(GiveUp),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_slices_equals_the_file_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        // Enough rows for several slices: each line is about 60 bytes.
        let rows = 3 * SLICE_BYTES / 60;
        let mut text = String::with_capacity(rows * 64 + 64);
        text.push_str("timestamp,open,mark\n");
        for i in 0..rows {
            let mark = if i % 1000 == 7 {
                String::new()
            } else {
                format!("{}.25", i % 977)
            };
            text.push_str(&format!(
                "{},{}.123456789,{mark}\n",
                1_600_000_000_000i64 + i as i64 * 60_000,
                i % 50_000
            ));
        }
        std::fs::write(&path, text).unwrap();
        let wanted = [
            ("timestamp".to_string(), Want::Auto),
            ("mark".into(), Want::F64),
            ("open".into(), Want::F64),
        ];
        let sliced = read(&path, &wanted).unwrap().unwrap();
        let whole = super::super::csv::read_whole(&path, &wanted).unwrap();
        assert_eq!(sliced, whole.columns);
        assert_eq!(sliced[0].1.len(), rows);
    }
}
