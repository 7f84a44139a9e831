//! Buy-and-hold (or sell-and-hold): the benchmark every other strategy is compared with.

use super::{Desire, History, ReentryPolicy, Strategy};
use crate::domain::Side;

/// Holds `side` from the first open in range. After any exit (a stop, a liquidation) it takes the
/// same side again at the next open: it has no opinion to wait for.
#[derive(Debug, Clone)]
pub struct BuyAndHold {
    side: Side,
}

impl BuyAndHold {
    pub fn new(side: Side) -> BuyAndHold {
        BuyAndHold { side }
    }
}

impl Strategy for BuyAndHold {
    fn initial(&self) -> Desire {
        Desire::from_side(self.side)
    }

    fn warmup_bars(&self) -> usize {
        0
    }

    fn reentry(&self) -> ReentryPolicy {
        ReentryPolicy::Immediately
    }

    fn on_bar(&mut self, _history: &History<'_>) -> Desire {
        Desire::from_side(self.side)
    }
}
