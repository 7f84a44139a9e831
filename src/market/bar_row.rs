//! One bar's quotes side by side: what the replay's slow path reads of a bar, in one cache line.
//!
//! The market is held column-wise, which is what scanning many bars wants; the slow path reads
//! eight values of one bar, from eight columns, each a cache miss when the fast path skipped the
//! bars before it. The bars where a strategy's target changes are known before a replay starts and
//! are where most slow-path bars fall, so their quotes are copied once into rows that the replays
//! walk in order (see `strategy::Signals`).

use super::MarketData;

/// Bar `i`'s time and last-price OHLC, and its mark OHLC without the close (NaN where no mark
/// candle covers the bar, as in [`super::MarkSeries`]).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
pub struct BarRow {
    pub time: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub mark_open: f64,
    pub mark_high: f64,
    pub mark_low: f64,
}

/// Equality is bit for bit, so that a row with no mark (NaN) equals itself.
impl PartialEq for BarRow {
    fn eq(&self, o: &Self) -> bool {
        let prices = |r: &BarRow| {
            [
                r.open,
                r.high,
                r.low,
                r.close,
                r.mark_open,
                r.mark_high,
                r.mark_low,
            ]
            .map(f64::to_bits)
        };
        self.time == o.time && prices(self) == prices(o)
    }
}

impl Eq for BarRow {}

impl BarRow {
    /// The row of bar `i` (which must be a bar of `market`).
    pub fn at(market: &MarketData, i: usize) -> BarRow {
        let c = &market.candles;
        let (mark_open, mark_high, mark_low) = match &market.mark {
            Some(m) => (m.open[i], m.high[i], m.low[i]),
            None => (f64::NAN, f64::NAN, f64::NAN),
        };
        BarRow {
            time: c.time[i],
            open: c.open[i],
            high: c.high[i],
            low: c.low[i],
            close: c.close[i],
            mark_open,
            mark_high,
            mark_low,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::{Candles, MarkSeries};

    #[test]
    fn a_row_is_one_cache_line_holding_the_bar_s_quotes_and_nan_for_a_missing_mark() {
        assert_eq!(std::mem::size_of::<BarRow>(), 64);
        let candles = Candles {
            time: vec![0, 60_000],
            open: vec![1.0, 2.0],
            high: vec![3.0, 4.0],
            low: vec![0.5, 1.5],
            close: vec![2.0, 3.0],
            volume: vec![0.0, 0.0],
            ..Candles::default()
        };
        let mut m = MarketData {
            candles,
            mark: None,
            funding: None,
        };
        let r = BarRow::at(&m, 1);
        assert_eq!(
            (r.time, r.open, r.high, r.low, r.close),
            (60_000, 2.0, 4.0, 1.5, 3.0)
        );
        assert!(r.mark_open.is_nan() && r.mark_high.is_nan() && r.mark_low.is_nan());
        m.mark = Some(MarkSeries {
            source: String::new(),
            open: vec![1.1, 2.1],
            high: vec![3.1, 4.1],
            low: vec![0.6, 1.6],
            close: vec![2.1, 3.1],
            uncovered: 0,
        });
        let r = BarRow::at(&m, 1);
        assert_eq!((r.mark_open, r.mark_high, r.mark_low), (2.1, 4.1, 1.6));
    }
}
