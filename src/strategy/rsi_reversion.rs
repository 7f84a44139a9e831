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
