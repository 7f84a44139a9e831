//! Rolling maximum and minimum over the last `period` values (Donchian channels), with a
//! monotonic deque: each value enters and leaves the deque once, so updates are amortised O(1).

use std::collections::VecDeque;

/// Maximum of the last `period` values.
#[derive(Debug, Clone)]
pub struct RollingMax {
    inner: Monotonic,
}

/// Minimum of the last `period` values.
#[derive(Debug, Clone)]
pub struct RollingMin {
    inner: Monotonic,
}

impl RollingMax {
    /// `period ≥ 1`.
    pub fn new(period: usize) -> RollingMax {
        RollingMax {
            inner: Monotonic::new(period),
        }
    }

    /// Add a value; the maximum once `period` values have been seen.
    pub fn update(&mut self, x: f64) -> Option<f64> {
        self.inner.push(x, |kept, new| kept > new);
        self.inner.value()
    }

    pub fn value(&self) -> Option<f64> {
        self.inner.value()
    }
}

impl RollingMin {
    /// `period ≥ 1`.
    pub fn new(period: usize) -> RollingMin {
        RollingMin {
            inner: Monotonic::new(period),
        }
    }

    /// Add a value; the minimum once `period` values have been seen.
    pub fn update(&mut self, x: f64) -> Option<f64> {
        self.inner.push(x, |kept, new| kept < new);
        self.inner.value()
    }

    pub fn value(&self) -> Option<f64> {
        self.inner.value()
    }
}

/// (index, value) pairs whose values are strictly ordered from the front; the front is the
/// extreme of the window.
#[derive(Debug, Clone)]
struct Monotonic {
    period: usize,
    seen: usize,
    deque: VecDeque<(usize, f64)>,
}

impl Monotonic {
    fn new(period: usize) -> Monotonic {
        assert!(period > 0, "a rolling extreme needs a period of at least 1");
        // At most `period` entries are ever held, so this is the only allocation.
        Monotonic {
            period,
            seen: 0,
            deque: VecDeque::with_capacity(period + 1),
        }
    }

    /// `keeps(kept, new)`: whether an older value still beats the new one.
    fn push(&mut self, x: f64, keeps: impl Fn(f64, f64) -> bool) {
        while self.deque.back().is_some_and(|&(_, v)| !keeps(v, x)) {
            self.deque.pop_back();
        }
        self.deque.push_back((self.seen, x));
        self.seen += 1;
        while self
            .deque
            .front()
            .is_some_and(|&(i, _)| i + self.period < self.seen)
        {
            self.deque.pop_front();
        }
    }

    fn value(&self) -> Option<f64> {
        if self.seen < self.period {
            return None;
        }
        self.deque.front().map(|&(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIES: [f64; 8] = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];

    #[test]
    fn rolling_max_of_three_follows_the_window_by_hand() {
        // windows: [3 1 4]→4 [1 4 1]→4 [4 1 5]→5 [1 5 9]→9 [5 9 2]→9 [9 2 6]→9
        let mut max = RollingMax::new(3);
        let got: Vec<Option<f64>> = SERIES.iter().map(|&x| max.update(x)).collect();
        let want = [
            None,
            None,
            Some(4.0),
            Some(4.0),
            Some(5.0),
            Some(9.0),
            Some(9.0),
            Some(9.0),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn rolling_min_of_three_follows_the_window_by_hand() {
        // windows: [3 1 4]→1 [1 4 1]→1 [4 1 5]→1 [1 5 9]→1 [5 9 2]→2 [9 2 6]→2
        let mut min = RollingMin::new(3);
        let got: Vec<Option<f64>> = SERIES.iter().map(|&x| min.update(x)).collect();
        let want = [
            None,
            None,
            Some(1.0),
            Some(1.0),
            Some(1.0),
            Some(1.0),
            Some(2.0),
            Some(2.0),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn an_old_extreme_leaves_the_window_after_period_values() {
        // 10 is the max until it is three values old.
        let mut max = RollingMax::new(3);
        for x in [10.0, 1.0, 2.0] {
            max.update(x);
        }
        assert_eq!(max.value(), Some(10.0));
        assert_eq!(max.update(3.0), Some(3.0));
    }

    #[test]
    fn equal_values_keep_the_extreme_until_the_last_of_them_leaves() {
        let mut max = RollingMax::new(2);
        assert_eq!(max.update(5.0), None);
        assert_eq!(max.update(5.0), Some(5.0));
        assert_eq!(max.update(1.0), Some(5.0));
        assert_eq!(max.update(1.0), Some(1.0));
    }
}
