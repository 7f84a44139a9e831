//! Moving-average crossover (SMA or EMA): hold the position of the current regime.

use super::indicators::{Ema, Sma};
use super::{Desire, History, Mode, ReentryPolicy, Strategy, restrict};

/// The kind of moving average a crossover compares.
#[derive(Debug, Clone)]
pub enum Average {
    Simple(Sma),
    Exponential(Ema),
}

impl Average {
    fn update(&mut self, x: f64) -> Option<f64> {
        match self {
            Average::Simple(a) => a.update(x),
            Average::Exponential(a) => a.update(x),
        }
    }
}

/// Fast average above the slow one → long regime; below → short regime; equal → the regime does
/// not change. The wanted position is the regime, limited by `mode` (a short regime in
/// `long_only` mode is flat). Flat until both averages exist (`slow` closes).
#[derive(Debug, Clone)]
pub struct Crossover {
    fast: Average,
    slow: Average,
    slow_period: usize,
    mode: Mode,
    regime: Desire,
}

impl Crossover {
    /// Simple moving averages of `fast` and `slow` closes (`1 ≤ fast < slow`, validated upstream).
    pub fn sma(fast: usize, slow: usize, mode: Mode) -> Crossover {
        Crossover::with(
            Average::Simple(Sma::new(fast)),
            Average::Simple(Sma::new(slow)),
            slow,
            mode,
        )
    }

    /// Exponential moving averages of `fast` and `slow` closes.
    pub fn ema(fast: usize, slow: usize, mode: Mode) -> Crossover {
        let (f, s) = (Ema::new(fast), Ema::new(slow));
        Crossover::with(Average::Exponential(f), Average::Exponential(s), slow, mode)
    }

    fn with(fast: Average, slow: Average, slow_period: usize, mode: Mode) -> Crossover {
        Crossover {
            fast,
            slow,
            slow_period,
            mode,
            regime: Desire::Flat,
        }
    }
}

impl Strategy for Crossover {
    fn warmup_bars(&self) -> usize {
        self.slow_period
    }

    fn reentry(&self) -> ReentryPolicy {
        ReentryPolicy::NextSignalChange
    }

    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        let x = history.last_close();
        // Both averages must see every close, so update both before comparing.
        let (fast, slow) = (self.fast.update(x), self.slow.update(x));
        if let (Some(f), Some(s)) = (fast, slow) {
            if f > s {
                self.regime = Desire::Long;
            } else if f < s {
                self.regime = Desire::Short;
            }
        }
        restrict(self.mode, self.regime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::compute_signals;
    use crate::strategy::testing::{closes, letters};

    // Closes, with SMA(2) / SMA(3) after each bar:
    // bar 0: 10                        (no averages yet)
    // bar 1: 10  fast 10               (slow not ready)
    // bar 2: 10  fast 10   slow 10     equal: no regime yet
    // bar 3: 11  fast 10.5 slow 10.33  fast above → long regime
    // bar 4: 12  fast 11.5 slow 11
    // bar 5: 13  fast 12.5 slow 12
    // bar 6: 12  fast 12.5 slow 12.33  still above
    // bar 7: 11  fast 11.5 slow 12     crossing down → short regime
    // bar 8: 10  fast 10.5 slow 11
    // bar 9:  9  (its close decides nothing: there is no next open)
    const CLOSES: [f64; 10] = [10.0, 10.0, 10.0, 11.0, 12.0, 13.0, 12.0, 11.0, 10.0, 9.0];

    #[test]
    fn sma_crossover_holds_the_regime_from_the_open_after_each_crossing() {
        let s = compute_signals(Crossover::sma(2, 3, Mode::Both), &closes(&CLOSES));
        assert_eq!(letters(&s), "....LLLLSS");
        assert_eq!(s.warmup_bars(), 3);
        assert_eq!(s.reentry(), ReentryPolicy::NextSignalChange);
    }

    #[test]
    fn long_only_and_short_only_crossovers_are_flat_in_the_other_regime() {
        let market = closes(&CLOSES);
        assert_eq!(
            letters(&compute_signals(
                Crossover::sma(2, 3, Mode::LongOnly),
                &market
            )),
            "....LLLL.."
        );
        assert_eq!(
            letters(&compute_signals(
                Crossover::sma(2, 3, Mode::ShortOnly),
                &market
            )),
            "........SS"
        );
    }

    #[test]
    fn ema_crossover_follows_the_exponential_averages() {
        // EMA(2) alpha 2/3, EMA(3) alpha 1/2, both seeded with their SMA:
        // bar 2: 10 / 10 (equal); bar 3 (13): 12 / 11.5 → long; bar 4 (7): 8.67 / 9.25 → short.
        let s = compute_signals(
            Crossover::ema(2, 3, Mode::Both),
            &closes(&[10.0, 10.0, 10.0, 13.0, 7.0, 7.0]),
        );
        assert_eq!(letters(&s), "....LS");
    }
}
