//! Builders shared by the survival tests: hourly markets written bar by bar.
#![allow(dead_code)]

use wick::domain::{Interval, TimestampMs};
use wick::market::{Candles, FundingSeries, MarkSeries, MarketData};

pub const H: i64 = 3_600_000;

/// 2024-06-01 00:00 UTC: the bracket table of 2024-05-30 is in force (bracket 1: 0–50k notional,
/// MMR 0.4%, cum 0, max 125x), so a 10,000 USDT position has the textbook closed-form price.
pub fn june_2024() -> i64 {
    TimestampMs::parse_user("2024-06-01").unwrap().get()
}

/// One bar: (open, high, low, close).
pub type Bar = (f64, f64, f64, f64);

/// Hourly last-price candles starting at `start`.
pub fn candles(start: i64, bars: &[Bar]) -> Candles {
    Candles {
        source: "test-candles".into(),
        interval: Interval::HOUR,
        time: (0..bars.len() as i64).map(|k| start + k * H).collect(),
        open: bars.iter().map(|b| b.0).collect(),
        high: bars.iter().map(|b| b.1).collect(),
        low: bars.iter().map(|b| b.2).collect(),
        close: bars.iter().map(|b| b.3).collect(),
        volume: vec![1.0; bars.len()],
        gaps: Vec::new(),
        synthetic: false,
    }
}

/// Mark candles on the same grid; `None` = the mark file has no candle for that bar.
pub fn mark(bars: &[Option<Bar>]) -> MarkSeries {
    let pick = |f: fn(&Bar) -> f64| {
        bars.iter()
            .map(|b| b.as_ref().map_or(f64::NAN, f))
            .collect()
    };
    MarkSeries {
        source: "test-mark".into(),
        open: pick(|b| b.0),
        high: pick(|b| b.1),
        low: pick(|b| b.2),
        close: pick(|b| b.3),
        uncovered: bars.iter().filter(|b| b.is_none()).count(),
    }
}

pub fn market(start: i64, last: &[Bar], mark_bars: Option<&[Option<Bar>]>) -> MarketData {
    MarketData {
        candles: candles(start, last),
        mark: mark_bars.map(mark),
        funding: None,
    }
}

/// Funding settlements at the given bar indices of an hourly grid starting at `start`.
pub fn funding(start: i64, at_bars: &[usize], rate: f64, mark_price: f64) -> FundingSeries {
    FundingSeries {
        source: "test-funding".into(),
        time: at_bars.iter().map(|&k| start + k as i64 * H).collect(),
        rate: vec![rate; at_bars.len()],
        mark: vec![mark_price; at_bars.len()],
    }
}

/// A flat bar at `p`.
pub fn flat(p: f64) -> Bar {
    (p, p, p, p)
}
