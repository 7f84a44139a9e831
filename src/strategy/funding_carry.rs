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
