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
