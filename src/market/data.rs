use crate::domain::{Interval, TimestampMs};

/// OHLCV candles on a regular grid (gaps allowed and listed in `gaps`), column-wise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candles {
    /// Where the candles came from (a file name), for messages.
    pub source: String,
    /// Bar length. Every step between consecutive bars is a whole multiple of it.
    pub interval: Interval,
    /// Bar open times, UTC ms, strictly increasing.
    pub time: Vec<i64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
    /// Bars missing from the grid, in time order. Kept, never filled.
    pub gaps: Vec<Gap>,
    /// True when the series was made by `wick data synth`; every report repeats it.
    pub synthetic: bool,
}

impl Default for Interval {
    fn default() -> Self {
        Interval::HOUR
    }
}

impl Candles {
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    pub fn start(&self) -> Option<TimestampMs> {
        self.time.first().copied().map(TimestampMs)
    }

    /// Open time of the last bar.
    pub fn last_open(&self) -> Option<TimestampMs> {
        self.time.last().copied().map(TimestampMs)
    }

    /// Index of the first bar opening at or after `t` (binary search; `len()` if none).
    pub fn index_at_or_after(&self, t: TimestampMs) -> usize {
        self.time.partition_point(|&x| x < t.0)
    }
}

/// A hole in the grid: `missing` bars are absent after the bar that opens at `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub after: TimestampMs,
    pub missing: i64,
}

/// Mark-price candles laid on the candle grid: index `i` is the mark candle of candle bar `i`.
/// Bars the mark file does not cover (e.g. before Binance served mark klines, 2019-12-23) hold NaN
/// there and `covered[i]` is false; the engine falls back to the last price for them and says so.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkSeries {
    pub source: String,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    /// Number of candle bars with no mark candle.
    pub uncovered: usize,
}

impl MarkSeries {
    pub fn is_covered(&self, i: usize) -> bool {
        !self.open[i].is_nan()
    }
}

/// Funding settlements in time order: `rate[k]` is paid at `time[k]`; `mark[k]` is the mark price the
/// exchange used, NaN where the file has none (the engine then uses the mark open of that bar).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FundingSeries {
    pub source: String,
    pub time: Vec<i64>,
    pub rate: Vec<f64>,
    pub mark: Vec<f64>,
}

impl FundingSeries {
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }
}

/// Everything a replay reads: last-price candles, optional mark candles on the same grid, optional
/// funding. Built once, then shared by reference (`&MarketData`) across threads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarketData {
    pub candles: Candles,
    pub mark: Option<MarkSeries>,
    pub funding: Option<FundingSeries>,
}
