//! Funding carry: be on the side that receives funding when funding is extreme.

use super::{Desire, History, Mode, ReentryPolicy, Strategy, restrict};

/// Averages the latest `average_over` funding rates known at the close (a rate is known from its
/// settlement time on, never before: see [`History`]). Average above `short_above` → short, since
/// shorts receive positive funding (exchange-rules §2.3); below `long_below` → long; in between →
/// flat. Flat until `average_over` settlements are known, and always flat without funding data.
#[derive(Debug, Clone)]
pub struct FundingCarry {
    short_above: f64,
    long_below: f64,
    average_over: usize,
    mode: Mode,
}

impl FundingCarry {
    /// `average_over ≥ 1`, `long_below < short_above` (validated upstream).
    pub fn new(short_above: f64, long_below: f64, average_over: usize, mode: Mode) -> FundingCarry {
        FundingCarry {
            short_above,
            long_below,
            average_over,
            mode,
        }
    }
}

impl Strategy for FundingCarry {
    fn warmup_bars(&self) -> usize {
        // It waits for settlements, not bars; how many bars that takes depends on the data.
        0
    }

    fn reentry(&self) -> ReentryPolicy {
        ReentryPolicy::NextSignalChange
    }

    fn on_bar(&mut self, history: &History<'_>) -> Desire {
        let rates = history.funding_rate;
        if rates.len() < self.average_over {
            return Desire::Flat;
        }
        let latest = &rates[rates.len() - self.average_over..];
        let mean = latest.iter().sum::<f64>() / self.average_over as f64;
        let view = if mean > self.short_above {
            Desire::Short
        } else if mean < self.long_below {
            Desire::Long
        } else {
            Desire::Flat
        };
        restrict(self.mode, view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategy::compute_signals;
    use crate::strategy::testing::{closes, letters, with_funding};

    // Hourly bars 0–9; settlements (hour: rate): 0: +0.04%, 2: +0.04%, 4: +0.01%, 6: −0.02%,
    // 8: −0.03%. A settlement at hour h is known from the close of bar h (which ends at h+1).
    // Mean of the latest two, short above 0.03%, long below 0:
    // bars 0–1: one rate known           → flat
    // bars 2–3: mean +0.04%              → short (shorts receive)
    // bars 4–5: mean +0.025%             → flat
    // bars 6–8: mean −0.005%, −0.025%    → long (longs receive)
    fn market() -> crate::market::MarketData {
        let rates = [
            (0, 0.0004),
            (2, 0.0004),
            (4, 0.0001),
            (6, -0.0002),
            (8, -0.0003),
        ];
        with_funding(closes(&[100.0; 10]), &rates)
    }

    #[test]
    fn funding_carry_takes_the_side_that_receives_extreme_funding() {
        let s = compute_signals(FundingCarry::new(0.0003, 0.0, 2, Mode::Both), &market());
        // The settlement at 02:00 is first used for the open of bar 3, not bar 2: at the close of
        // bar 1 (02:00) it was not yet known.
        assert_eq!(letters(&s), "...SS..LLL");
    }

    #[test]
    fn funding_carry_without_funding_data_stays_flat() {
        let s = compute_signals(
            FundingCarry::new(0.0003, 0.0, 2, Mode::Both),
            &closes(&[100.0; 5]),
        );
        assert_eq!(letters(&s), ".....");
    }

    #[test]
    fn short_only_funding_carry_skips_the_negative_funding_phase() {
        let s = compute_signals(
            FundingCarry::new(0.0003, 0.0, 2, Mode::ShortOnly),
            &market(),
        );
        assert_eq!(letters(&s), "...SS.....");
    }
}
