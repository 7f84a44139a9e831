//! The read-only view a strategy gets: the bars up to and including the one that just closed, and
//! the funding rates settled by then. Slices end there, so nothing later can be read.

use crate::market::MarketData;

/// Bars `0..=i` of the last-price candles, and the funding settlements known at bar `i`'s close.
///
/// A funding rate becomes known at its settlement time `T` (exchange-rules §2.1), so the
/// settlements visible at the close of bar `i` are those with `T < time[i] + interval`: a settlement
/// at the instant the next bar opens is not yet seen by the decision taken at this close.
#[derive(Debug, Clone, Copy)]
pub struct History<'a> {
    /// Bar length in milliseconds.
    pub interval_ms: i64,
    /// Bar open times (UTC ms).
    pub time: &'a [i64],
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: &'a [f64],
    /// Settlement times (UTC ms) of the funding rates known so far; empty without funding data.
    pub funding_time: &'a [i64],
    /// Funding rates (plain fraction per period, positive = longs pay) known so far.
    pub funding_rate: &'a [f64],
}

impl<'a> History<'a> {
    /// The view at the close of bar `i`, showing `funding_known` settlements.
    pub(crate) fn at(market: &'a MarketData, i: usize, funding_known: usize) -> History<'a> {
        let c = &market.candles;
        let n = i + 1;
        let (funding_time, funding_rate) = match &market.funding {
            Some(f) => (&f.time[..funding_known], &f.rate[..funding_known]),
            None => (&[][..], &[][..]),
        };
        History {
            interval_ms: c.interval.ms(),
            time: &c.time[..n],
            open: &c.open[..n],
            high: &c.high[..n],
            low: &c.low[..n],
            close: &c.close[..n],
            // A loader may leave volume out; strategies that need it then see none.
            volume: c.volume.get(..n).unwrap_or(&[]),
            funding_time,
            funding_rate,
        }
    }

    /// Number of bars seen (the last one has just closed).
    pub fn len(&self) -> usize {
        self.close.len()
    }

    pub fn is_empty(&self) -> bool {
        self.close.is_empty()
    }

    /// Close of the bar that has just closed.
    pub fn last_close(&self) -> f64 {
        self.close[self.close.len() - 1]
    }

    /// High of the bar that has just closed.
    pub fn last_high(&self) -> f64 {
        self.high[self.high.len() - 1]
    }

    /// Low of the bar that has just closed.
    pub fn last_low(&self) -> f64 {
        self.low[self.low.len() - 1]
    }

    /// The instant the bar that has just closed ends (its open time plus one interval).
    pub fn close_time_ms(&self) -> i64 {
        self.time[self.time.len() - 1] + self.interval_ms
    }
}
