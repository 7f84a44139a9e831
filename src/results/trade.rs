//! One round trip: from the fill that opened a position to whatever ended it.

use serde::Serialize;

use crate::domain::{Leverage, Price, Qty, Side, TimestampMs, Usd};

/// Why a position was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    /// The strategy asked for another position (flat or the other side) at a close; filled at the next open.
    Signal,
    StopLoss,
    TakeProfit,
    TrailingStop,
    /// The mark price reached the liquidation price (or opened beyond it).
    Liquidation,
    /// Still open at the end of the data or of the time range: closed at the last close.
    EndOfData,
}

impl ExitReason {
    /// The word used in `trades.csv` and `summary.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExitReason::Signal => "signal",
            ExitReason::StopLoss => "stop_loss",
            ExitReason::TakeProfit => "take_profit",
            ExitReason::TrailingStop => "trailing_stop",
            ExitReason::Liquidation => "liquidation",
            ExitReason::EndOfData => "end",
        }
    }

    /// Exits the strategy did not choose: after one of them a crossover strategy waits for the
    /// next crossing before it enters again (issue 4, "details settled here").
    pub fn is_forced(self) -> bool {
        matches!(
            self,
            ExitReason::StopLoss
                | ExitReason::TakeProfit
                | ExitReason::TrailingStop
                | ExitReason::Liquidation
        )
    }
}

/// A closed position. Every amount is the one booked by the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    pub side: Side,
    pub qty: Qty,
    /// Open time of the bar whose open filled the entry.
    pub entry_time: TimestampMs,
    /// Entry fill price, slippage included.
    pub entry_price: Price,
    /// Open time of the bar (or, with `intrabar = "detail"`, of the lower-timeframe bar) in which the
    /// position ended.
    pub exit_time: TimestampMs,
    /// Exit fill price, slippage included. For a liquidation: the liquidation price, or the mark open
    /// when the bar opened beyond it (a gap).
    pub exit_price: Price,
    pub exit_reason: ExitReason,
    pub leverage: Leverage,
    /// Initial margin posted (isolated: the isolated wallet at entry; cross: notional ÷ leverage, for reference).
    pub margin: Usd,
    /// Liquidation price right after the entry fill; `None` when the position cannot be liquidated
    /// (e.g. a 1x long, exchange-rules §1.2).
    pub liquidation_price_at_entry: Option<Price>,
    /// Realised PnL of the price move: `side × qty × (exit − entry)`. For a liquidation it is minus
    /// the liquidation loss (what the position lost at liquidation, exchange-rules §1.4).
    pub pnl: Usd,
    /// Opening plus closing taker fees (a liquidation has no closing fee).
    pub fees: Usd,
    /// Funding received (positive) or paid (negative) while the position was open.
    pub funding: Usd,
}

impl Trade {
    /// What the round trip did to equity: PnL − fees + funding.
    pub fn net(&self) -> Usd {
        self.pnl - self.fees + self.funding
    }
}
