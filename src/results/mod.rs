//! What happened in a run, as plain data: trades, the event log, the equity curve, and the
//! statistics computed from them. Nothing here knows how the run was produced.
//!
//! The ledger reconciles exactly (DEVELOPERS.md, "Correct first"): summing the event log,
//! `final equity = initial + realised PnL − fees + funding − liquidation losses`, in `Decimal`, to the
//! last digit. [`RunResult::reconcile`] checks it; every engine scenario test calls it.

mod equity;
mod event;
pub mod ratios;
mod stats;
mod trade;

use thiserror::Error;

use crate::domain::{TimestampMs, Usd};

pub use equity::{Drawdown, EquityCurve, Prices, drawdown_below, extremes};
pub use event::{Event, EventKind, FillAction, Rejection};
pub use stats::Stats;
pub use trade::{ExitReason, Trade};

/// The complete record of one replay.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult<'m> {
    pub initial_equity: Usd,
    /// Booked equity at the end: the wallet after the final close (the run always ends flat), which may
    /// be negative only under `negative_balance = "trader_liable"`.
    pub final_equity: Usd,
    pub trades: Vec<Trade>,
    pub events: Vec<Event>,
    /// Borrows the market data's time and price columns (see [`EquityCurve`]).
    pub equity: EquityCurve<'m>,
    /// Bar length of the replayed candles.
    pub interval_ms: i64,
    /// Bars of the time range replayed, and how many of them closed with a position open.
    pub bars: u64,
    pub bars_in_position: u64,
    pub ambiguous_bars: u64,
    /// See [`Stats::closest_approach_to_liquidation_pct`].
    pub closest_approach_pct: Option<f64>,
    pub ruined: Option<TimestampMs>,
    /// Distinct warnings, in the order they first occurred (each is also an event).
    pub warnings: Vec<String>,
}

/// The event log summed by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ledger {
    pub realised_pnl: Usd,
    pub fees: Usd,
    /// Net funding to the account (negative = paid).
    pub funding: Usd,
    pub liquidation_losses: Usd,
    /// Absorbed by the insurance fund: not the trader's money, so not in the identity. (Under
    /// `trader_liable` no draw is recorded: the deficit is part of the liquidation loss.)
    pub insurance_draws: Usd,
}

impl Ledger {
    /// `initial + realised PnL − fees + funding − liquidation losses`.
    pub fn expected_final(&self, initial: Usd) -> Usd {
        initial + self.realised_pnl - self.fees + self.funding - self.liquidation_losses
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "the ledger does not reconcile: final equity {final_equity} but initial {initial} + PnL {} − fees {} + funding {} − liquidation losses {} = {expected}",
    .ledger.realised_pnl, .ledger.fees, .ledger.funding, .ledger.liquidation_losses
)]
pub struct ReconcileError {
    pub initial: Usd,
    pub final_equity: Usd,
    pub expected: Usd,
    pub ledger: Ledger,
}

impl RunResult<'_> {
    /// Sum the event log by kind.
    pub fn ledger(&self) -> Ledger {
        let mut l = Ledger::default();
        for e in &self.events {
            match &e.kind {
                EventKind::Fill { fee, pnl, .. } => {
                    l.fees += *fee;
                    l.realised_pnl += *pnl;
                }
                EventKind::Funding { amount, .. } => l.funding += *amount,
                EventKind::Liquidation { loss, .. } => l.liquidation_losses += *loss,
                EventKind::InsuranceDraw { amount } => l.insurance_draws += *amount,
                _ => {}
            }
        }
        l
    }

    /// Check the identity exactly (no tolerance) and return the sums.
    pub fn reconcile(&self) -> Result<Ledger, Box<ReconcileError>> {
        let ledger = self.ledger();
        let expected = ledger.expected_final(self.initial_equity);
        if expected == self.final_equity {
            Ok(ledger)
        } else {
            Err(Box::new(ReconcileError {
                initial: self.initial_equity,
                final_equity: self.final_equity,
                expected,
                ledger,
            }))
        }
    }

    pub fn stats(&self) -> Stats {
        Stats::compute(self)
    }
}
