//! Hand-built markets for the strategies' unit tests.

use crate::domain::Interval;
use crate::market::{Candles, FundingSeries, MarketData};

/// Hourly bars from 2024-01-01 00:00 UTC whose close is each value; open is the previous close,
/// high and low are the larger and smaller of open and close.
pub(crate) fn closes(values: &[f64]) -> MarketData {
    let ohlc: Vec<(f64, f64, f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let o = if i == 0 { c } else { values[i - 1] };
            (o, o.max(c), o.min(c), c)
        })
        .collect();
    bars(&ohlc)
}

pub(crate) const T0: i64 = 1_704_067_200_000; // 2024-01-01 00:00 UTC
pub(crate) const HOUR: i64 = 3_600_000;

/// Hourly bars from (open, high, low, close).
pub(crate) fn bars(ohlc: &[(f64, f64, f64, f64)]) -> MarketData {
    let candles = Candles {
        source: "hand-built".to_string(),
        interval: Interval::HOUR,
        time: (0..ohlc.len() as i64).map(|i| T0 + i * HOUR).collect(),
        open: ohlc.iter().map(|b| b.0).collect(),
        high: ohlc.iter().map(|b| b.1).collect(),
        low: ohlc.iter().map(|b| b.2).collect(),
        close: ohlc.iter().map(|b| b.3).collect(),
        volume: vec![1.0; ohlc.len()],
        gaps: Vec::new(),
        synthetic: true,
    };
    MarketData {
        candles,
        mark: None,
        funding: None,
    }
}

/// Add funding settlements at `(hour offset from T0, rate)`.
pub(crate) fn with_funding(mut market: MarketData, settlements: &[(i64, f64)]) -> MarketData {
    market.funding = Some(FundingSeries {
        source: "hand-built".to_string(),
        time: settlements.iter().map(|&(h, _)| T0 + h * HOUR).collect(),
        rate: settlements.iter().map(|&(_, r)| r).collect(),
        mark: vec![f64::NAN; settlements.len()],
    });
    market
}

/// Targets as a compact string, one letter per bar open: L long, S short, . flat.
pub(crate) fn letters(signals: &super::Signals) -> String {
    signals
        .targets()
        .iter()
        .map(|d| match d {
            super::Desire::Long => 'L',
            super::Desire::Short => 'S',
            super::Desire::Flat => '.',
        })
        .collect()
}
