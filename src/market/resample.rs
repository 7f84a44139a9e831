//! Aggregating candles to a coarser interval: first open, max high, min low, last close, summed
//! volume, in buckets aligned to UTC boundaries (multiples of the interval since 1970-01-01;
//! weekly buckets start on Monday 00:00 UTC, as Binance's do).
//!
//! A bucket with fewer bars than it should hold — the partial last (or first) bucket of a file,
//! or one with missing bars inside — would be a different bar from the exchange's: its high and
//! low may miss the real extremes. Such buckets are listed in `partial` and, unless
//! `keep_partial` is set, left out (they then show up as gaps of the result, so nothing is
//! silently papered over).

use crate::domain::{Interval, TimestampMs};

use super::{Candles, Gap, MarketError};

/// 1970-01-01 was a Thursday; Monday 1970-01-05 00:00 UTC is 4 days later.
const MONDAY_OFFSET_MS: i64 = 4 * 86_400_000;
const WEEK_MS: i64 = 7 * 86_400_000;

/// A bucket that did not have all its bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialBucket {
    pub start: TimestampMs,
    pub bars: usize,
    pub expected: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resampled {
    pub candles: Candles,
    /// Buckets with missing bars, in time order (included only with `keep_partial`).
    pub partial: Vec<PartialBucket>,
    pub kept_partial: bool,
}

fn bucket_start(t: i64, to_ms: i64) -> i64 {
    let offset = if to_ms % WEEK_MS == 0 {
        MONDAY_OFFSET_MS
    } else {
        0
    };
    t - (t - offset).rem_euclid(to_ms)
}

/// Aggregate `c` into `to` bars. `to` must be a whole multiple of the candles' interval.
pub fn resample(c: &Candles, to: Interval, keep_partial: bool) -> Result<Resampled, MarketError> {
    let from = c.interval.ms();
    let to_ms = to.ms();
    if to_ms < from || to_ms % from != 0 {
        return Err(MarketError::Resample {
            to: to.to_string(),
            reason: format!(
                "{} bars can only be grouped into whole multiples of {} (e.g. 1h, 4h, 1d)",
                c.interval, c.interval
            ),
        });
    }
    let expected = (to_ms / from) as usize;
    let capacity = c.len() / expected + 2;
    let mut out = Candles {
        source: c.source.clone(),
        interval: to,
        time: Vec::with_capacity(capacity),
        open: Vec::with_capacity(capacity),
        high: Vec::with_capacity(capacity),
        low: Vec::with_capacity(capacity),
        close: Vec::with_capacity(capacity),
        volume: Vec::with_capacity(capacity),
        gaps: Vec::new(),
        synthetic: c.synthetic,
    };
    let mut partial = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let start = bucket_start(c.time[i], to_ms);
        let end = start + to_ms;
        let first = i;
        let (mut high, mut low, mut volume) = (f64::NEG_INFINITY, f64::INFINITY, 0.0);
        while i < c.len() && c.time[i] < end {
            high = high.max(c.high[i]);
            low = low.min(c.low[i]);
            volume += c.volume[i];
            i += 1;
        }
        let bars = i - first;
        if bars < expected {
            partial.push(PartialBucket {
                start: TimestampMs(start),
                bars,
                expected,
            });
            if !keep_partial {
                continue;
            }
        }
        out.time.push(start);
        out.open.push(c.open[first]);
        out.high.push(high);
        out.low.push(low);
        out.close.push(c.close[i - 1]);
        out.volume.push(volume);
    }
    out.gaps = out
        .time
        .windows(2)
        .filter(|w| w[1] - w[0] > to_ms)
        .map(|w| Gap {
            after: TimestampMs(w[0]),
            missing: (w[1] - w[0]) / to_ms - 1,
        })
        .collect();
    Ok(Resampled {
        candles: out,
        partial,
        kept_partial: keep_partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 60_000;

    fn minutes(times: &[i64]) -> Candles {
        let n = times.len();
        let px: Vec<f64> = (0..n).map(|i| 100.0 + i as f64).collect();
        Candles {
            interval: Interval::MINUTE,
            time: times.iter().map(|t| t * M).collect(),
            open: px.clone(),
            high: px.iter().map(|p| p + 0.5).collect(),
            low: px.iter().map(|p| p - 0.5).collect(),
            close: px.iter().map(|p| p + 0.25).collect(),
            volume: vec![1.0; n],
            ..Candles::default()
        }
    }

    #[test]
    fn a_full_bucket_takes_first_open_max_high_min_low_last_close_and_summed_volume() {
        let r = resample(&minutes(&[0, 1, 2, 3, 4]), "5m".parse().unwrap(), false).unwrap();
        let c = &r.candles;
        assert_eq!(
            (
                c.time.clone(),
                c.open[0],
                c.high[0],
                c.low[0],
                c.close[0],
                c.volume[0]
            ),
            (vec![0], 100.0, 104.5, 99.5, 104.25, 5.0)
        );
        assert!(r.partial.is_empty());
    }

    #[test]
    fn a_partial_last_bucket_is_flagged_and_left_out_unless_kept() {
        let c = minutes(&[0, 1, 2, 3, 4, 5, 6]);
        let r = resample(&c, "5m".parse().unwrap(), false).unwrap();
        assert_eq!(r.candles.len(), 1);
        assert_eq!(
            r.partial,
            vec![PartialBucket {
                start: TimestampMs(5 * M),
                bars: 2,
                expected: 5
            }]
        );
        let kept = resample(&c, "5m".parse().unwrap(), true).unwrap();
        assert_eq!(kept.candles.time, vec![0, 5 * M]);
    }

    #[test]
    fn a_bucket_with_a_gap_inside_is_partial_and_its_absence_is_a_gap_of_the_result() {
        let c = minutes(&[0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14]);
        let r = resample(&c, "5m".parse().unwrap(), false).unwrap();
        assert_eq!(r.candles.time, vec![0, 10 * M]);
        assert_eq!(
            r.candles.gaps,
            vec![Gap {
                after: TimestampMs(0),
                missing: 1
            }]
        );
        assert_eq!(r.partial.len(), 1);
    }

    #[test]
    fn weekly_buckets_start_on_monday() {
        // 2024-06-05 is a Wednesday; its week starts Monday 2024-06-03 00:00 UTC.
        let wed = TimestampMs::parse_user("2024-06-05T13:00:00Z").unwrap().0;
        let mon = TimestampMs::parse_user("2024-06-03").unwrap().0;
        assert_eq!(bucket_start(wed, WEEK_MS), mon);
    }

    #[test]
    fn an_interval_that_is_not_a_multiple_is_refused() {
        let c = minutes(&[0, 1]);
        let mut c7 = c.clone();
        c7.interval = "2m".parse().unwrap();
        assert!(resample(&c7, "5m".parse().unwrap(), false).is_err());
        assert!(resample(&c, "30s".parse().unwrap(), false).is_err());
    }
}
