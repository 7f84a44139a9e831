//! Series thinned for drawing: a chart of five million 1m bars cannot show five million points,
//! and the sweep must not keep every configuration's full equity curve in memory.
//!
//! [`min_max`] cuts a series into equal buckets and keeps, per bucket, its lowest and highest point
//! in the order they happened. Peaks and troughs therefore survive — a drawdown or a liquidation
//! spike is never smoothed away — and a curve has at most `2 × buckets` points.

use serde::{Deserialize, Serialize};

/// Points per curve drawn in the charts: 1,000 buckets of (min, max) = at most 2,000 points.
pub const CHART_BUCKETS: usize = 1_000;

/// A time series of at most `2 × CHART_BUCKETS` points, time in UTC ms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Thinned {
    pub time: Vec<i64>,
    pub value: Vec<f64>,
}

impl Thinned {
    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The value at the last point at or before `t` (the first point when `t` precedes them all);
    /// `None` for an empty series.
    pub fn value_at(&self, t: i64) -> Option<f64> {
        let i = self.time.partition_point(|&x| x <= t);
        self.value.get(i.saturating_sub(1)).copied()
    }
}

/// Keep each bucket's lowest and highest point, in time order. Series short enough to draw whole
/// (`≤ 2 × buckets` points) are returned unchanged. NaN values are skipped.
pub fn min_max(time: &[i64], value: &[f64], buckets: usize) -> Thinned {
    let n = time.len().min(value.len());
    if n <= 2 * buckets || buckets == 0 {
        return Thinned {
            time: time[..n].to_vec(),
            value: value[..n].to_vec(),
        };
    }
    let mut out = Thinned {
        time: Vec::with_capacity(2 * buckets),
        value: Vec::with_capacity(2 * buckets),
    };
    for b in 0..buckets {
        let (from, to) = (b * n / buckets, (b + 1) * n / buckets);
        let mut lo: Option<usize> = None;
        let mut hi: Option<usize> = None;
        for i in from..to {
            let v = value[i];
            if v.is_nan() {
                continue;
            }
            if lo.is_none_or(|j| v < value[j]) {
                lo = Some(i);
            }
            if hi.is_none_or(|j| v > value[j]) {
                hi = Some(i);
            }
        }
        let mut keep = [lo, hi];
        keep.sort();
        for (k, i) in keep.iter().flatten().enumerate() {
            // Same index twice (a flat bucket): one point.
            if k == 1 && keep[0] == Some(*i) {
                continue;
            }
            out.time.push(time[*i]);
            out.value.push(value[*i]);
        }
    }
    out
}

/// The drawdown at each point as a positive fraction of the running peak (0 at a new high; 1 once
/// the peak is at or below zero, a ruined account).
pub fn drawdowns(equity: &[f64]) -> Vec<f64> {
    let mut peak = f64::NEG_INFINITY;
    equity
        .iter()
        .map(|&e| {
            peak = peak.max(e);
            if peak <= 0.0 {
                1.0
            } else {
                ((peak - e) / peak).max(0.0)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_series_is_kept_whole() {
        let t = [1, 2, 3];
        let v = [1.0, 5.0, 2.0];
        assert_eq!(
            min_max(&t, &v, 10),
            Thinned {
                time: t.to_vec(),
                value: v.to_vec()
            }
        );
    }

    #[test]
    fn each_bucket_keeps_its_trough_and_peak_in_time_order() {
        // Two buckets of five: a spike down at 3 then up at 4; a peak at 5 then a trough at 9.
        let t: Vec<i64> = (0..10).collect();
        let v = [10.0, 11.0, 12.0, 1.0, 30.0, 40.0, 20.0, 21.0, 22.0, 2.0];
        let out = min_max(&t, &v, 2);
        assert_eq!(out.time, [3, 4, 5, 9]);
        assert_eq!(out.value, [1.0, 30.0, 40.0, 2.0]);
    }

    #[test]
    fn five_million_points_become_at_most_two_thousand() {
        let n = 5_000_000;
        let t: Vec<i64> = (0..n as i64).collect();
        let v: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.001).sin()).collect();
        let out = min_max(&t, &v, CHART_BUCKETS);
        assert!(out.len() <= 2 * CHART_BUCKETS);
        let lowest = out.value.iter().cloned().fold(f64::INFINITY, f64::min);
        assert!(
            (lowest + 1.0).abs() < 1e-6,
            "the global trough survives: {lowest}"
        );
    }

    #[test]
    fn drawdown_from_a_peak_of_200_to_150_is_a_quarter() {
        let dd = drawdowns(&[100.0, 200.0, 150.0, 250.0]);
        assert_eq!(dd, [0.0, 0.0, 0.25, 0.0]);
    }

    #[test]
    fn value_at_takes_the_last_point_at_or_before_the_time() {
        let s = Thinned {
            time: vec![10, 20, 30],
            value: vec![1.0, 2.0, 3.0],
        };
        assert_eq!(s.value_at(25), Some(2.0));
        assert_eq!(s.value_at(5), Some(1.0));
        assert_eq!(s.value_at(30), Some(3.0));
    }
}
