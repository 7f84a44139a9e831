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
    let mut m = MinMax::new(n, buckets);
    m.push_slice(&time[..n], &value[..n]);
    m.finish()
}

/// [`min_max`] one point at a time, for series that are computed on the fly and never held whole
/// (a sweep's equity and drawdown curves). Push exactly the `n` points announced, in order.
#[derive(Debug)]
pub struct MinMax {
    n: usize,
    buckets: usize,
    /// Index of the next point, the current bucket and the index where it ends.
    k: usize,
    bucket: usize,
    bucket_end: usize,
    /// The bucket's lowest and highest point so far: (index, time, value).
    lo: Option<(usize, i64, f64)>,
    hi: Option<(usize, i64, f64)>,
    out: Thinned,
}

impl MinMax {
    pub fn new(n: usize, buckets: usize) -> MinMax {
        let whole = n <= 2 * buckets || buckets == 0;
        let cap = if whole { n } else { 2 * buckets };
        MinMax {
            n,
            buckets,
            k: 0,
            bucket: 0,
            bucket_end: if whole { usize::MAX } else { n / buckets },
            lo: None,
            hi: None,
            out: Thinned {
                time: Vec::with_capacity(cap),
                value: Vec::with_capacity(cap),
            },
        }
    }

    fn whole(&self) -> bool {
        self.bucket_end == usize::MAX
    }

    #[inline]
    pub fn push(&mut self, t: i64, v: f64) {
        if self.whole() {
            self.out.time.push(t);
            self.out.value.push(v);
            self.k += 1;
            return;
        }
        while self.k >= self.bucket_end {
            self.close_bucket();
        }
        if !v.is_nan() {
            if self.lo.is_none_or(|(_, _, x)| v < x) {
                self.lo = Some((self.k, t, v));
            }
            if self.hi.is_none_or(|(_, _, x)| v > x) {
                self.hi = Some((self.k, t, v));
            }
        }
        self.k += 1;
    }

    /// [`MinMax::push`] for each point of `time` and `value` (of equal length), a bucket's worth
    /// at a time.
    pub fn push_slice(&mut self, time: &[i64], value: &[f64]) {
        assert_eq!(time.len(), value.len(), "one time per value");
        if self.whole() {
            self.out.time.extend_from_slice(time);
            self.out.value.extend_from_slice(value);
            self.k += value.len();
            return;
        }
        let mut i = 0;
        while i < value.len() {
            while self.k >= self.bucket_end {
                self.close_bucket();
            }
            let take = (self.bucket_end - self.k).min(value.len() - i);
            // The segment's extremes by reductions that vectorise (NaN ignored), then the first
            // point holding each: a point replaces the bucket's extreme only if strictly beyond
            // it, so ties keep the earliest — what `push` does. The search is for a value taken
            // from this very slice, so it compares exactly (and, as `<` does, treats -0.0 and 0.0
            // as one value).
            let seg = &value[i..i + take];
            let (lo_v, hi_v, _) = crate::results::extremes(seg);
            if self.lo.is_none_or(|p| lo_v < p.2)
                && let Some(j) = seg.iter().position(|&v| same(v, lo_v))
            {
                self.lo = Some((self.k + j, time[i + j], seg[j]));
            }
            if self.hi.is_none_or(|p| hi_v > p.2)
                && let Some(j) = seg.iter().position(|&v| same(v, hi_v))
            {
                self.hi = Some((self.k + j, time[i + j], seg[j]));
            }
            self.k += take;
            i += take;
        }
    }

    /// Emit the current bucket's points (in index order, one point when both are the same) and
    /// start the next bucket.
    fn close_bucket(&mut self) {
        let mut keep = [self.lo.take(), self.hi.take()];
        keep.sort_by_key(|p| p.map(|(i, _, _)| i));
        let mut last: Option<usize> = None;
        for (i, t, v) in keep.into_iter().flatten() {
            if last != Some(i) {
                self.out.time.push(t);
                self.out.value.push(v);
                last = Some(i);
            }
        }
        self.bucket += 1;
        self.bucket_end = (self.bucket + 1) * self.n / self.buckets;
    }

    pub fn finish(mut self) -> Thinned {
        if !self.whole() {
            while self.bucket < self.buckets {
                self.close_bucket();
            }
        }
        self.out
    }
}

/// `a == b` as `<` and `>` see it (`-0.0` equals `0.0`, NaN equals nothing): the exact comparison
/// [`MinMax::push_slice`] needs to find a value it took from the same slice.
#[allow(clippy::float_cmp)]
fn same(a: f64, b: f64) -> bool {
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::drawdown_below;

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
        assert_eq!(drawdown_below(200.0, 150.0).to_bits(), 0.25f64.to_bits());
        assert_eq!(drawdown_below(200.0, 250.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(drawdown_below(-5.0, -7.0).to_bits(), 1.0f64.to_bits());
    }

    /// The batch definition: per bucket `[b·n/B, (b+1)·n/B)`, its first lowest and first highest
    /// non-NaN point, in index order.
    fn batch_min_max(time: &[i64], value: &[f64], buckets: usize) -> Thinned {
        let n = time.len();
        if n <= 2 * buckets || buckets == 0 {
            return Thinned {
                time: time.to_vec(),
                value: value.to_vec(),
            };
        }
        let mut out = Thinned::default();
        for b in 0..buckets {
            let (from, to) = (b * n / buckets, (b + 1) * n / buckets);
            let mut lo: Option<usize> = None;
            let mut hi: Option<usize> = None;
            for i in from..to {
                if value[i].is_nan() {
                    continue;
                }
                if lo.is_none_or(|j| value[i] < value[j]) {
                    lo = Some(i);
                }
                if hi.is_none_or(|j| value[i] > value[j]) {
                    hi = Some(i);
                }
            }
            let mut keep: Vec<usize> = [lo, hi].into_iter().flatten().collect();
            keep.sort();
            keep.dedup();
            for i in keep {
                out.time.push(time[i]);
                out.value.push(value[i]);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn thinning_point_by_point_equals_the_batch_definition(
            value in proptest::collection::vec(proptest::option::weighted(0.95, -10.0f64..10.0), 0..400),
            buckets in 0usize..60,
        ) {
            let value: Vec<f64> = value.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect();
            let time: Vec<i64> = (0..value.len() as i64).map(|i| i * 60_000).collect();
            let b = batch_min_max(&time, &value, buckets);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            // Point by point, and in slices of several sizes that cut buckets anywhere.
            let mut by_point = MinMax::new(value.len(), buckets);
            for (&t, &v) in time.iter().zip(&value) {
                by_point.push(t, v);
            }
            let mut thinned = vec![by_point.finish()];
            for cut in [1, 7, 64, 1000] {
                let mut m = MinMax::new(value.len(), buckets);
                for (t, v) in time.chunks(cut).zip(value.chunks(cut)) {
                    m.push_slice(t, v);
                }
                thinned.push(m.finish());
            }
            thinned.push(min_max(&time, &value, buckets));
            for a in thinned {
                proptest::prop_assert_eq!(&a.time, &b.time);
                proptest::prop_assert_eq!(bits(&a.value), bits(&b.value));
            }
        }
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
