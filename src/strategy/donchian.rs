//! Donchian channel breakout (the turtle rule): enter when the close leaves the channel of the
//! previous bars, exit when it leaves the shorter channel on the other side.

use super::indicators::{RollingMax, RollingMin};
use super::{Desire, History, Mode, ReentryPolicy, Strategy};

/// Channels are built from the highs and lows of the bars BEFORE the one that just closed, so a
/// bar cannot break out of a channel that contains itself.
///
/// * Flat: close above the highest high of the last `entry_period` bars → long; below the lowest
///   low → short (each if `mode` allows it).
/// * Long: close below the lowest low of the last `entry_period` bars → short (if allowed);
///   otherwise below the lowest low of the last `exit_period` bars → flat.
/// * Short: the mirror image.
#[derive(Debug, Clone)]
pub struct DonchianBreakout {
    entry_high: RollingMax,
    entry_low: RollingMin,
    exit_high: RollingMax,
    exit_low: RollingMin,
    entry_period: usize,
    mode: Mode,
    held: Desire,
}

impl DonchianBreakout {
    /// `entry_period, exit_period ≥ 1` (validated upstream).
    pub fn new(entry_period: usize, exit_period: usize, mode: Mode) -> DonchianBreakout {
        DonchianBreakout {
            entry_high: RollingMax::new(entry_period),
            entry_low: RollingMin::new(entry_period),
            exit_high: RollingMax::new(exit_period),
            exit_low: RollingMin::new(exit_period),
            entry_period,
            mode,
            held: Desire::Flat,
        }
    }
}

impl Strategy for DonchianBreakout {
    fn warmup_bars(&self) -> usize {
        // `entry_period` earlier bars form the channel; the next close can break it.
        self.entry_period + 1
    }

    fn reentry(&self) -> ReentryPolicy {
        ReentryPolicy::NextSignalChange
    }

    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        let close = history.last_close();
        let above = |c: Option<f64>| c.is_some_and(|level| close > level);
        let below = |c: Option<f64>| c.is_some_and(|level| close < level);
        let long_ok = self.mode != Mode::ShortOnly;
        let short_ok = self.mode != Mode::LongOnly;
        let (up, down) = (self.entry_high.value(), self.entry_low.value());
        self.held = match self.held {
            Desire::Long if short_ok && below(down) => Desire::Short,
            Desire::Long if below(self.exit_low.value()) => Desire::Flat,
            Desire::Short if long_ok && above(up) => Desire::Long,
            Desire::Short if above(self.exit_high.value()) => Desire::Flat,
            Desire::Flat if long_ok && above(up) => Desire::Long,
            Desire::Flat if short_ok && below(down) => Desire::Short,
            held => held,
        };
        let (high, low) = (history.last_high(), history.last_low());
        self.entry_high.update(high);
        self.entry_low.update(low);
        self.exit_high.update(high);
        self.exit_low.update(low);
        self.held
    }
}
