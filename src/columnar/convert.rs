//! polars frames ↔ plain [`Table`]s. Columns without missing values are moved out of polars'
//! buffers without a copy when polars holds the only reference, so that loading 5 million bars
//! does not hold two copies of every column at once.

use std::path::Path;

use polars::prelude::{
    ChunkedArray, DataFrame, DataType, Float64Chunked, Float64Type, Int64Chunked, Int64Type,
    IntoColumn, IntoSeries, NamedFrom, PolarsNumericType, Series, StringChunked,
};

use super::{Column, ColumnarError, Table};

fn polars_err(path: &Path, err: impl std::fmt::Display) -> ColumnarError {
    ColumnarError::Polars {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// Move a frame's columns into a table, keeping their order.
pub(super) fn frame_to_table(path: &Path, df: DataFrame) -> Result<Table, ColumnarError> {
    let mut table = Table::new();
    for col in df.into_columns() {
        let name = col.name().to_string();
        let series = col.take_materialized_series();
        let column = series_to_column(path, &name, series)?;
        table.columns.push((name, column));
    }
    Ok(table)
}

fn series_to_column(path: &Path, name: &str, series: Series) -> Result<Column, ColumnarError> {
    let unsupported = |dtype: &DataType| ColumnarError::UnsupportedType {
        path: path.to_path_buf(),
        column: name.to_string(),
        dtype: dtype.to_string(),
    };
    let dtype = series.dtype().clone();
    match dtype {
        DataType::Float64 => Ok(f64_column(series.take_inner::<Float64Type>())),
        DataType::Float32 => {
            let cast = series
                .cast(&DataType::Float64)
                .map_err(|e| polars_err(path, e))?;
            Ok(f64_column(cast.take_inner::<Float64Type>()))
        }
        DataType::Int64 => Ok(i64_column(series.take_inner::<Int64Type>())),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => {
            let cast = series
                .cast(&DataType::Int64)
                .map_err(|e| polars_err(path, e))?;
            Ok(i64_column(cast.take_inner::<Int64Type>()))
        }
        DataType::String => {
            let ca = series.str().map_err(|_| unsupported(&dtype))?;
            if ca.null_count() == 0 {
                Ok(Column::Str(
                    ca.iter()
                        .map(|v| v.unwrap_or_default().to_string())
                        .collect(),
                ))
            } else {
                Ok(Column::OptStr(
                    ca.iter().map(|v| v.map(str::to_string)).collect(),
                ))
            }
        }
        // A column with no values at all (e.g. an empty CSV field in every row) is read as
        // all-missing text.
        DataType::Null => Ok(Column::OptStr(vec![None; series.len()])),
        other => Err(unsupported(&other)),
    }
}

/// One contiguous chunk. A column that already is one is returned as it is — not through
/// `rechunk().into_owned()`, which would clone it and leave its buffer shared, so that the move
/// out of polars below would silently become a copy of every column.
fn single_chunk<T: PolarsNumericType>(ca: ChunkedArray<T>) -> ChunkedArray<T> {
    if ca.chunks().len() <= 1 {
        return ca;
    }
    let joined = ca.rechunk().into_owned();
    drop(ca);
    joined
}

fn f64_column(ca: Float64Chunked) -> Column {
    let ca = single_chunk(ca);
    if ca.null_count() > 0 {
        return Column::OptF64(ca.iter().collect());
    }
    let mut chunks = ca.downcast_into_iter();
    match chunks.next() {
        None => Column::F64(Vec::new()),
        Some(arr) => {
            let (_, buffer, _) = arr.into_inner();
            Column::F64(buffer.into_mut().right_or_else(|shared| shared.to_vec()))
        }
    }
}

fn i64_column(ca: Int64Chunked) -> Column {
    let ca = single_chunk(ca);
    if ca.null_count() > 0 {
        return Column::OptI64(ca.iter().collect());
    }
    let mut chunks = ca.downcast_into_iter();
    match chunks.next() {
        None => Column::I64(Vec::new()),
        Some(arr) => {
            let (_, buffer, _) = arr.into_inner();
            Column::I64(buffer.into_mut().right_or_else(|shared| shared.to_vec()))
        }
    }
}

/// Append `df`'s column `name` to `col` straight from polars' chunks — one copy, no joining of the
/// chunks first — when both are numbers of the same type without missing values. `false` (and
/// `col` untouched) otherwise: the caller then converts the column the general way.
pub(super) fn extend_numbers(col: &mut Column, df: &DataFrame, name: &str) -> bool {
    let Ok(series) = df.column(name).map(|c| c.as_materialized_series()) else {
        return false;
    };
    if series.null_count() > 0 {
        return false;
    }
    match col {
        Column::F64(v) if series.dtype() == &DataType::Float64 => {
            series.f64().map(|ca| extend_from_chunks(v, ca)).is_ok()
        }
        Column::I64(v) if series.dtype() == &DataType::Int64 => {
            series.i64().map(|ca| extend_from_chunks(v, ca)).is_ok()
        }
        _ => false,
    }
}

fn extend_from_chunks<T: PolarsNumericType>(v: &mut Vec<T::Native>, ca: &ChunkedArray<T>) {
    v.reserve(ca.len());
    for arr in ca.downcast_iter() {
        v.extend_from_slice(arr.values());
    }
}

/// Build a frame from a table, moving number columns into polars without a copy.
pub(super) fn table_to_frame(path: &Path, table: Table) -> Result<DataFrame, ColumnarError> {
    let expected = table.rows();
    let first = table
        .columns
        .first()
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    let mut columns = Vec::with_capacity(table.columns.len());
    for (name, column) in table.columns {
        if column.len() != expected {
            return Err(ColumnarError::RaggedTable {
                path: path.to_path_buf(),
                column: name,
                len: column.len(),
                first,
                expected,
            });
        }
        let name = name.as_str().into();
        let series = match column {
            Column::I64(v) => Int64Chunked::from_vec(name, v).into_series(),
            Column::F64(v) => Float64Chunked::from_vec(name, v).into_series(),
            Column::Str(v) => StringChunked::new(name, &v).into_series(),
            Column::OptI64(v) => Series::new(name, &v),
            Column::OptF64(v) => Series::new(name, &v),
            Column::OptStr(v) => Series::new(name, &v),
        };
        columns.push(series.into_column());
    }
    DataFrame::new(expected, columns).map_err(|e| polars_err(path, e))
}

pub(super) fn to_polars_err(path: &Path, err: impl std::fmt::Display) -> ColumnarError {
    polars_err(path, err)
}
