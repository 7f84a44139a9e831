//! Relative Strength Index with Wilder's smoothing.

/// RSI over `period` price changes. The first average gain and loss are the simple means of the
/// first `period` changes; after that each is smoothed as `avg = (avg·(period − 1) + x) / period`
/// (Wilder). RSI = 100 − 100 / (1 + avg_gain / avg_loss): 100 when nothing was lost, 50 when the
/// price did not move at all.
#[derive(Debug, Clone)]
pub struct Rsi {
    period: usize,
    prev: Option<f64>,
    changes: usize,
    avg_gain: f64,
    avg_loss: f64,
}

impl Rsi {
    /// `period ≥ 1`.
    pub fn new(period: usize) -> Rsi {
        assert!(period > 0, "an RSI needs a period of at least 1");
        Rsi {
            period,
            prev: None,
            changes: 0,
            avg_gain: 0.0,
            avg_loss: 0.0,
        }
    }

    /// Values needed before the first RSI: one price plus `period` changes.
    pub fn warmup(&self) -> usize {
        self.period + 1
    }

    /// Add a price; the RSI once `period` changes have been seen.
    pub fn update(&mut self, price: f64) -> Option<f64> {
        // The first price only sets the reference for the first change.
        let prev = self.prev.replace(price)?;
        let change = price - prev;
        let (gain, loss) = (change.max(0.0), (-change).max(0.0));
        let n = self.period as f64;
        if self.changes < self.period {
            // Still collecting the first `period` changes: accumulate sums, divide at the end.
            self.avg_gain += gain;
            self.avg_loss += loss;
            self.changes += 1;
            if self.changes == self.period {
                self.avg_gain /= n;
                self.avg_loss /= n;
            }
        } else {
            self.avg_gain = (self.avg_gain * (n - 1.0) + gain) / n;
            self.avg_loss = (self.avg_loss * (n - 1.0) + loss) / n;
        }
        self.value()
    }

    pub fn value(&self) -> Option<f64> {
        if self.changes < self.period {
            return None;
        }
        if self.avg_loss <= 0.0 {
            return Some(if self.avg_gain <= 0.0 { 50.0 } else { 100.0 });
        }
        Some(100.0 - 100.0 / (1.0 + self.avg_gain / self.avg_loss))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn rsi_of_three_matches_wilder_by_hand() {
        // closes 10 11 12 11 13 12 → changes +1 +1 −1 +2 −1
        let mut rsi = Rsi::new(3);
        assert_eq!(rsi.update(10.0), None);
        assert_eq!(rsi.update(11.0), None);
        assert_eq!(rsi.update(12.0), None);
        // first averages: gain (1+1+0)/3 = 2/3, loss (0+0+1)/3 = 1/3 → RS 2 → 100 − 100/3
        assert!(close(rsi.update(11.0), 100.0 - 100.0 / 3.0));
        // +2: gain (2/3·2 + 2)/3 = 10/9, loss (1/3·2 + 0)/3 = 2/9 → RS 5 → 100 − 100/6
        assert!(close(rsi.update(13.0), 100.0 - 100.0 / 6.0));
        // −1: gain (10/9·2)/3 = 20/27, loss (2/9·2 + 1)/3 = 13/27 → RS 20/13 → 100 − 1300/33
        assert!(close(rsi.update(12.0), 100.0 - 1300.0 / 33.0));
    }

    #[test]
    fn rsi_is_100_after_only_gains_and_50_when_flat() {
        let mut up = Rsi::new(2);
        for x in [1.0, 2.0, 3.0] {
            up.update(x);
        }
        assert_eq!(up.value(), Some(100.0));
        let mut flat = Rsi::new(2);
        for x in [5.0, 5.0, 5.0] {
            flat.update(x);
        }
        assert_eq!(flat.value(), Some(50.0));
    }

    #[test]
    fn rsi_is_0_after_only_losses() {
        let mut down = Rsi::new(2);
        for x in [3.0, 2.0, 1.0] {
            down.update(x);
        }
        assert!(close(down.value(), 0.0));
        assert_eq!(down.warmup(), 3);
    }
}
