//! Parquet through polars. Types come from the file's schema; file-level key/value metadata is
//! read and written (wick marks synthetic data with it).

use std::fs::File;
use std::path::Path;

use polars::prelude::{
    KeyValueMetadata, ParquetCompression, ParquetReader, ParquetWriter, SerReader,
};

use super::convert::{frame_to_table, table_to_frame, to_polars_err};
use super::{Column, ColumnarError, FileFormat, FileHeader, ReadOutcome, Table, Want, io_error};

fn open(path: &Path) -> Result<File, ColumnarError> {
    File::open(path).map_err(io_error(path, "open"))
}

pub(super) fn read_header(path: &Path) -> Result<FileHeader, ColumnarError> {
    if std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(false)
    {
        return Err(ColumnarError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut reader = ParquetReader::new(open(path)?);
    let schema = reader.schema().map_err(|e| to_polars_err(path, e))?;
    let names = schema.iter_names().map(|n| n.to_string()).collect();
    let metadata = reader
        .get_metadata()
        .map_err(|e| to_polars_err(path, e))?
        .key_value_metadata()
        .iter()
        .flatten()
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect();
    Ok(FileHeader {
        format: FileFormat::Parquet,
        names,
        metadata,
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
    // One column at a time, on two threads: polars maps the whole file, but only the pages of
    // the column being decoded become resident, so the file never sits in memory whole next to
    // the columns (peak memory stays near the size of the columns).
    let mut columns: Vec<Option<Result<Column, ColumnarError>>> = Vec::new();
    columns.resize_with(wanted.len(), || None);
    std::thread::scope(|scope| {
        let mut slots: Vec<_> = columns.iter_mut().zip(wanted).collect();
        let half = slots.len().div_ceil(2);
        let right = slots.split_off(half);
        for mut part in [slots, right] {
            scope.spawn(move || {
                for (slot, (name, want)) in part.iter_mut() {
                    **slot = Some(read_one(path, name).map(|col| widen(col, *want)));
                }
            });
        }
    });
    let mut ordered = Table {
        columns: Vec::with_capacity(wanted.len()),
        metadata: header.metadata,
    };
    for ((name, _), col) in wanted.iter().zip(columns) {
        if let Some(col) = col {
            ordered.columns.push((name.clone(), col?));
        }
    }
    Ok(ReadOutcome {
        table: ordered,
        format: FileFormat::Parquet,
        fell_back_to_text: false,
    })
}

fn read_one(path: &Path, name: &str) -> Result<Column, ColumnarError> {
    let df = ParquetReader::new(open(path)?)
        .with_columns(Some(vec![name.to_string()]))
        .set_rechunk(true)
        .finish()
        .map_err(|e| to_polars_err(path, e))?;
    frame_to_table(path, df)?
        .take(name)
        .ok_or_else(|| ColumnarError::MissingColumn {
            path: path.to_path_buf(),
            column: name.to_string(),
            found: String::new(),
        })
}

/// Integers asked for as floats are widened, as the CSV reader does.
fn widen(col: Column, want: Want) -> Column {
    match (want, col) {
        (Want::F64, Column::I64(v)) => Column::F64(v.into_iter().map(|x| x as f64).collect()),
        (Want::F64, Column::OptI64(v)) => {
            Column::OptF64(v.into_iter().map(|x| x.map(|x| x as f64)).collect())
        }
        (_, col) => col,
    }
}

pub(super) fn read_all(path: &Path) -> Result<Table, ColumnarError> {
    let header = read_header(path)?;
    let df = ParquetReader::new(open(path)?)
        .set_rechunk(true)
        .finish()
        .map_err(|e| to_polars_err(path, e))?;
    let mut table = frame_to_table(path, df)?;
    table.metadata = header.metadata;
    Ok(table)
}

pub(super) fn write(path: &Path, mut table: Table) -> Result<(), ColumnarError> {
    let kv = std::mem::take(&mut table.metadata);
    let mut df = table_to_frame(path, table)?;
    let file = File::create(path).map_err(io_error(path, "create"))?;
    let metadata = (!kv.is_empty()).then(|| KeyValueMetadata::from_static(kv));
    ParquetWriter::new(std::io::BufWriter::new(file))
        // Uncompressed pages: wick reads its Parquet files far more often than it writes them,
        // and plain pages decode as a copy. 5M bars load in ~0.12 s against ~0.15–0.2 s with LZ4
        // and more with zstd, for a file 1.7× LZ4's (240 MB vs 139 MB; zstd: 88 MB). The file's
        // size no longer sets peak memory, since columns are read one at a time.
        .with_compression(ParquetCompression::Uncompressed)
        // Row groups of up to 16M rows: polars decodes a row group into one chunk per column, so
        // files of up to 16M bars load straight into contiguous columns, with no concatenation
        // copy (on this VM a fresh 240 MB copy costs ~0.2 s in page faults and memcpy).
        .with_row_group_size(Some(1 << 24))
        .with_key_value_metadata(metadata)
        .finish(&mut df)
        .map_err(|e| to_polars_err(path, e))?;
    Ok(())
}
