//! Simple and exponential moving averages.

/// Simple moving average of the last `period` values, with a running sum.
///
/// The running sum is recomputed exactly from the window each time the ring wraps (every
/// `period` updates), so rounding error cannot build up over millions of bars; amortised O(1).
#[derive(Debug, Clone)]
pub struct Sma {
    window: Vec<f64>,
    next: usize,
    filled: usize,
    sum: f64,
}

impl Sma {
    /// `period ≥ 1` (strategy parameters are validated before indicators are built).
    pub fn new(period: usize) -> Sma {
        assert!(period > 0, "an SMA needs a period of at least 1");
        Sma {
            window: vec![0.0; period],
            next: 0,
            filled: 0,
            sum: 0.0,
        }
    }

    pub fn period(&self) -> usize {
        self.window.len()
    }

    /// Add a value; the average once `period` values have been seen.
    pub fn update(&mut self, x: f64) -> Option<f64> {
        let period = self.window.len();
        if self.filled == period {
            self.sum -= self.window[self.next];
        } else {
            self.filled += 1;
        }
        self.window[self.next] = x;
        self.sum += x;
        self.next += 1;
        if self.next == period {
            self.next = 0;
            self.sum = self.window.iter().sum();
        }
        self.value()
    }

    pub fn value(&self) -> Option<f64> {
        let period = self.window.len();
        (self.filled == period).then(|| self.sum / period as f64)
    }
}

/// Exponential moving average with `alpha = 2 / (period + 1)`, seeded with the simple average of
/// the first `period` values (the usual convention, so the first value appears at the same bar as
/// the SMA's).
#[derive(Debug, Clone)]
pub struct Ema {
    period: usize,
    alpha: f64,
    seen: usize,
    seed_sum: f64,
    value: Option<f64>,
}

impl Ema {
    /// `period ≥ 1`.
    pub fn new(period: usize) -> Ema {
        assert!(period > 0, "an EMA needs a period of at least 1");
        Ema {
            period,
            alpha: 2.0 / (period as f64 + 1.0),
            seen: 0,
            seed_sum: 0.0,
            value: None,
        }
    }

    pub fn period(&self) -> usize {
        self.period
    }

    pub fn update(&mut self, x: f64) -> Option<f64> {
        match self.value {
            Some(v) => self.value = Some(v + self.alpha * (x - v)),
            None => {
                self.seen += 1;
                self.seed_sum += x;
                if self.seen == self.period {
                    self.value = Some(self.seed_sum / self.period as f64);
                }
            }
        }
        self.value
    }

    pub fn value(&self) -> Option<f64> {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn sma_of_three_averages_the_last_three_values_once_it_has_three() {
        let mut sma = Sma::new(3);
        assert_eq!(sma.update(1.0), None);
        assert_eq!(sma.update(2.0), None);
        assert!(close(sma.update(3.0), 2.0)); // (1+2+3)/3
        assert!(close(sma.update(4.0), 3.0)); // (2+3+4)/3
        assert!(close(sma.update(5.0), 4.0)); // (3+4+5)/3
        assert!(close(sma.update(11.0), 20.0 / 3.0)); // (4+5+11)/3
    }

    #[test]
    fn sma_of_one_is_the_value_itself() {
        let mut sma = Sma::new(1);
        assert!(close(sma.update(7.5), 7.5));
        assert!(close(sma.update(-2.0), -2.0));
    }

    #[test]
    fn sma_does_not_drift_over_a_million_updates() {
        // Values around 60,000 with cents, ending mid-ring so the last value comes from the running
        // sum, not from a fresh recomputation.
        let mut sma = Sma::new(20);
        let mut last = None;
        let mut exact = [0.0; 20];
        for k in 0..1_000_013u32 {
            let x = 60_000.0 + f64::from(k % 977) * 0.01;
            exact[(k % 20) as usize] = x;
            last = sma.update(x);
        }
        let expected: f64 = exact.iter().sum::<f64>() / 20.0;
        assert!((last.unwrap() - expected).abs() < 1e-9);
    }

    #[test]
    fn ema_of_three_is_seeded_with_the_sma_then_moves_half_way_each_bar() {
        // alpha = 2 / (3 + 1) = 0.5
        let mut ema = Ema::new(3);
        assert_eq!(ema.update(1.0), None);
        assert_eq!(ema.update(2.0), None);
        assert!(close(ema.update(3.0), 2.0)); // seed: (1+2+3)/3
        assert!(close(ema.update(4.0), 3.0)); // 2 + 0.5·(4−2)
        assert!(close(ema.update(5.0), 4.0)); // 3 + 0.5·(5−3)
        assert!(close(ema.update(10.0), 7.0)); // 4 + 0.5·(10−4)
    }

    #[test]
    fn ema_of_four_uses_alpha_two_fifths() {
        let mut ema = Ema::new(4);
        for x in [2.0, 4.0, 6.0] {
            assert_eq!(ema.update(x), None);
        }
        assert!(close(ema.update(8.0), 5.0)); // seed (2+4+6+8)/4
        assert!(close(ema.update(10.0), 7.0)); // 5 + 0.4·(10−5)
    }
}
