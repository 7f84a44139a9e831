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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::compute_signals;
    use crate::strategy::testing::{bars, letters};

    // Entry channel 3 bars, exit channel 2 bars; (open, high, low, close):
    const BARS: [(f64, f64, f64, f64); 9] = [
        (10.0, 11.0, 9.0, 10.0), // bars 0-2: a range 9–11, the channel forms
        (10.0, 11.0, 9.0, 10.0),
        (10.0, 11.0, 9.0, 10.0),
        (10.0, 12.5, 10.0, 12.0), // bar 3: close 12 above the 3-bar high 11 → long
        (12.0, 13.0, 11.5, 12.5), // bar 4: exit low (bars 2–3) 9: hold
        (12.5, 12.6, 11.0, 11.2), // bar 5: exit low (bars 3–4) 10: hold
        (11.2, 11.3, 9.5, 10.5), // bar 6: below the exit low 11 (bars 4–5), above the entry low 10 → flat
        (10.5, 10.6, 8.0, 8.5),  // bar 7: below the 3-bar low 9.5 → short
        (8.5, 9.0, 8.0, 8.8),    // bar 8: last bar, decides nothing
    ];

    #[test]
    fn donchian_enters_on_a_breakout_and_leaves_on_the_shorter_channel() {
        let s = compute_signals(DonchianBreakout::new(3, 2, Mode::Both), &bars(&BARS));
        assert_eq!(letters(&s), "....LLL.S");
        assert_eq!(s.warmup_bars(), 4);
    }

    #[test]
    fn long_only_donchian_ignores_the_downside_breakout() {
        let s = compute_signals(DonchianBreakout::new(3, 2, Mode::LongOnly), &bars(&BARS));
        assert_eq!(letters(&s), "....LLL..");
    }

    #[test]
    fn a_long_flips_to_short_when_the_close_breaks_the_entry_low() {
        // Range 9–11, breakout up at bar 3, then a collapse to 8 at bar 4 (below the 3-bar low 9).
        let b = [
            (10.0, 11.0, 9.0, 10.0),
            (10.0, 11.0, 9.0, 10.0),
            (10.0, 11.0, 9.0, 10.0),
            (10.0, 12.5, 10.0, 12.0),
            (12.0, 12.0, 7.5, 8.0),
            (8.0, 8.5, 7.5, 8.0),
        ];
        assert_eq!(
            letters(&compute_signals(
                DonchianBreakout::new(3, 2, Mode::Both),
                &bars(&b)
            )),
            "....LS"
        );
    }
}
