//! Market data → column tables in the layout wick reads back (and Binance-derived files use):
//! `timestamp,open,high,low,close,volume` with UTC-ms bar open times; funding as
//! `timestamp,funding_rate,mark_price`.

use std::path::Path;

use crate::columnar::{self, Column, Table};

use super::load::SYNTHETIC_KEY;
use super::{Candles, FundingSeries, MarkSeries, MarketError};

fn mark_synthetic(table: Table, synthetic: bool) -> Table {
    if synthetic {
        table.with_metadata(SYNTHETIC_KEY, "true")
    } else {
        table
    }
}

/// Candles as a table (`timestamp` in UTC ms, OHLCV as floats).
pub fn candles_table(c: &Candles) -> Table {
    candles_into_table(c.clone())
}

/// Like [`candles_table`], moving the columns instead of copying them.
pub fn candles_into_table(c: Candles) -> Table {
    let table = Table::new()
        .with("timestamp", Column::I64(c.time))
        .with("open", Column::F64(c.open))
        .with("high", Column::F64(c.high))
        .with("low", Column::F64(c.low))
        .with("close", Column::F64(c.close))
        .with("volume", Column::F64(c.volume))
        .with_metadata("wick.interval", c.interval.to_string());
    mark_synthetic(table, c.synthetic)
}

/// Mark candles as a table, covered bars only, with a zero `volume` column like Binance's
/// mark-price kline files (so that any candle reader accepts them).
pub fn mark_table(candles: &Candles, mark: &MarkSeries) -> Table {
    mark_into_table(candles, mark.clone())
}

/// Like [`mark_table`], moving the columns when every bar is covered.
pub fn mark_into_table(candles: &Candles, mark: MarkSeries) -> Table {
    let n = mark.open.len();
    let (time, open, high, low, close) = if mark.uncovered == 0 {
        (
            candles.time.clone(),
            mark.open,
            mark.high,
            mark.low,
            mark.close,
        )
    } else {
        let covered: Vec<usize> = (0..n).filter(|&i| mark.is_covered(i)).collect();
        let pick = |v: &[f64]| covered.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let time = covered.iter().map(|&i| candles.time[i]).collect();
        (
            time,
            pick(&mark.open),
            pick(&mark.high),
            pick(&mark.low),
            pick(&mark.close),
        )
    };
    let rows = time.len();
    let table = Table::new()
        .with("timestamp", Column::I64(time))
        .with("open", Column::F64(open))
        .with("high", Column::F64(high))
        .with("low", Column::F64(low))
        .with("close", Column::F64(close))
        .with("volume", Column::F64(vec![0.0; rows]))
        .with_metadata("wick.interval", candles.interval.to_string());
    mark_synthetic(table, candles.synthetic)
}

/// Funding as a table; a NaN mark price is written as a missing value (empty CSV field).
pub fn funding_table(f: &FundingSeries, synthetic: bool) -> Table {
    let mark = f.mark.iter().map(|&m| (!m.is_nan()).then_some(m)).collect();
    let table = Table::new()
        .with("timestamp", Column::I64(f.time.clone()))
        .with("funding_rate", Column::F64(f.rate.clone()))
        .with("mark_price", Column::OptF64(mark));
    mark_synthetic(table, synthetic)
}

/// Write candles as CSV or Parquet by the extension of `path`.
pub fn write_candles(path: &Path, candles: &Candles) -> Result<(), MarketError> {
    columnar::write_table_owned(path, candles_table(candles))?;
    Ok(())
}
