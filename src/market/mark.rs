//! Mark-price candles, laid on the last-price candle grid.
//!
//! Binance liquidates on the mark price, not the last trade (exchange-rules §1.3), so the mark
//! series must line up bar for bar with the candles. A mark file may start later or end earlier
//! than the candles (Binance serves no mark klines before 2019-12-23): those candle bars are
//! `uncovered` (NaN) and counted. A mark file of another interval, or with bars off the candles'
//! grid, is an error — silently shifting mark bars would move liquidations in time.

use std::path::Path;

use crate::domain::TimestampMs;

use super::columns::Role;
use super::load::{LoadOptions, LoadReport, read_raw};
use super::validate::{self, BarColumns, Bars};
use super::{Candles, MarkSeries, MarketError};

#[derive(Debug, Clone, PartialEq)]
pub struct LoadedMark {
    pub mark: MarkSeries,
    pub report: LoadReport,
    /// Mark bars outside the candles' span or in their gaps: not needed, not used.
    pub unused_rows: usize,
}

/// Load a mark-price candle file and align it to `candles`. The mark file is validated like
/// candles (volume, if present, is ignored: Binance mark klines have none).
pub fn load_mark(
    path: &Path,
    candles: &Candles,
    opts: &LoadOptions,
) -> Result<LoadedMark, MarketError> {
    let roles = [
        (Role::Open, true),
        (Role::High, true),
        (Role::Low, true),
        (Role::Close, true),
    ];
    let mut raw = read_raw(path, &roles, opts)?;
    let name = |role: Role| {
        raw.report
            .columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, n)| n.clone())
    };
    let names = BarColumns {
        time: name(Role::Time).unwrap_or_default(),
        open: name(Role::Open).unwrap_or_default(),
        high: name(Role::High).unwrap_or_default(),
        low: name(Role::Low).unwrap_or_default(),
        close: name(Role::Close).unwrap_or_default(),
        volume: None,
    };
    let open = raw.floats(&names.open, false)?;
    let high = raw.floats(&names.high, false)?;
    let low = raw.floats(&names.low, false)?;
    let close = raw.floats(&names.close, false)?;
    validate::check_order(&raw.src, &names.time, &raw.time)?;
    validate::check_bars(
        &raw.src,
        &names,
        Bars {
            open: &open,
            high: &high,
            low: &low,
            close: &close,
            volume: None,
        },
    )?;
    // One mark bar alone cannot tell its interval: it takes the candles'.
    let given = opts
        .interval
        .or((raw.time.len() < 2).then_some(candles.interval));
    let (interval, _gaps) = validate::grid(&raw.src, &names.time, &raw.time, given)?;
    if interval != candles.interval {
        return Err(MarketError::MarkInterval {
            file: raw.src.file.clone(),
            mark: interval.to_string(),
            candles: candles.interval.to_string(),
        });
    }
    let n = candles.len();
    let mut mark = MarkSeries {
        source: raw.src.file.clone(),
        open: vec![f64::NAN; n],
        high: vec![f64::NAN; n],
        low: vec![f64::NAN; n],
        close: vec![f64::NAN; n],
        uncovered: 0,
    };
    let anchor = candles.time.first().copied().unwrap_or(0);
    let step = candles.interval.ms();
    // Both time columns are strictly increasing: one merge walk places every mark bar.
    let (mut j, mut unused_rows) = (0usize, 0usize);
    for (k, &t) in raw.time.iter().enumerate() {
        if (t - anchor).rem_euclid(step) != 0 {
            return Err(MarketError::MarkOffGrid {
                file: raw.src.file.clone(),
                row: raw.src.row(k),
                column: names.time.clone(),
                time: TimestampMs(t).to_human(),
                grid: format!(
                    "{} bars from {}",
                    candles.interval,
                    TimestampMs(anchor).to_human()
                ),
            });
        }
        while j < n && candles.time[j] < t {
            j += 1;
        }
        if j < n && candles.time[j] == t {
            mark.open[j] = open[k];
            mark.high[j] = high[k];
            mark.low[j] = low[k];
            mark.close[j] = close[k];
        } else {
            unused_rows += 1;
        }
    }
    mark.uncovered = mark.open.iter().filter(|v| v.is_nan()).count();
    Ok(LoadedMark {
        mark,
        report: raw.report,
        unused_rows,
    })
}
