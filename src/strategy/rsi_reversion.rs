//! RSI mean reversion: buy what has fallen too far, sell what has risen too far.

use super::indicators::Rsi;
use super::{Desire, History, Mode, ReentryPolicy, Strategy};

/// On each close, with RSI computed from closes (Wilder):
/// * Flat: RSI below `oversold` → long; above `overbought` → short (each if `mode` allows it).
/// * Long: RSI above `overbought` → short (if allowed); otherwise above `exit` → flat.
/// * Short: RSI below `oversold` → long (if allowed); otherwise below `exit` → flat.
#[derive(Debug, Clone)]
pub struct RsiReversion {
    rsi: Rsi,
    oversold: f64,
    overbought: f64,
    exit: f64,
    mode: Mode,
    held: Desire,
}

impl RsiReversion {
    /// `period ≥ 1` and `0 < oversold < exit < overbought < 100` (validated upstream).
    pub fn new(
        period: usize,
        oversold: f64,
        overbought: f64,
        exit: f64,
        mode: Mode,
    ) -> RsiReversion {
        RsiReversion {
            rsi: Rsi::new(period),
            oversold,
            overbought,
            exit,
            mode,
            held: Desire::Flat,
        }
    }
}

impl Strategy for RsiReversion {
    fn warmup_bars(&self) -> usize {
        self.rsi.warmup()
    }

    fn reentry(&self) -> ReentryPolicy {
        ReentryPolicy::NextSignalChange
    }

    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        let Some(rsi) = self.rsi.update(history.last_close()) else {
            return Desire::Flat;
        };
        let long_ok = self.mode != Mode::ShortOnly;
        let short_ok = self.mode != Mode::LongOnly;
        let (oversold, overbought) = (rsi < self.oversold, rsi > self.overbought);
        self.held = match self.held {
            Desire::Long if short_ok && overbought => Desire::Short,
            Desire::Long if rsi > self.exit => Desire::Flat,
            Desire::Short if long_ok && oversold => Desire::Long,
            Desire::Short if rsi < self.exit => Desire::Flat,
            Desire::Flat if long_ok && oversold => Desire::Long,
            Desire::Flat if short_ok && overbought => Desire::Short,
            held => held,
        };
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::compute_signals;
    use crate::strategy::testing::{closes, letters};

    // RSI(2), oversold 30, exit 50, overbought 70. Closes and RSI after each bar:
    // bar 0: 10
    // bar 1:  9   (one change: no RSI yet)
    // bar 2:  8   gains 0, losses 1   → RSI 0      oversold → long
    // bar 3:  9   avg 0.5 / 0.5       → RSI 50     not above exit: hold
    // bar 4: 10   avg 0.75 / 0.25     → RSI 75     overbought → short
    // bar 5: 11   avg 0.875 / 0.125   → RSI 87.5   hold
    // bar 6: 12   avg 0.9375 / 0.0625 → RSI 93.75  hold
    // bar 7: 11   avg 0.469 / 0.531   → RSI 46.9   below exit → flat
    // bar 8: 10   last bar, decides nothing
    const CLOSES: [f64; 9] = [10.0, 9.0, 8.0, 9.0, 10.0, 11.0, 12.0, 11.0, 10.0];

    #[test]
    fn rsi_buys_oversold_sells_overbought_and_exits_at_the_middle() {
        let s = compute_signals(
            RsiReversion::new(2, 30.0, 70.0, 50.0, Mode::Both),
            &closes(&CLOSES),
        );
        assert_eq!(letters(&s), "...LLSSS.");
        assert_eq!(s.warmup_bars(), 3);
    }

    #[test]
    fn long_only_rsi_closes_the_long_instead_of_turning_short() {
        let s = compute_signals(
            RsiReversion::new(2, 30.0, 70.0, 50.0, Mode::LongOnly),
            &closes(&CLOSES),
        );
        assert_eq!(letters(&s), "...LL....");
    }
}
