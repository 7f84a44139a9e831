//! The event log: everything that changed the account or that a reader should know, in time order.
//! Events are pushed only when something happens, never per bar.

use serde::Serialize;

use crate::domain::{Price, Qty, Rate, Side, TimestampMs, Usd};

use super::ExitReason;

/// One dated entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time: TimestampMs,
    pub kind: EventKind,
}

/// Why a fill happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FillAction {
    Open,
    Close(ExitReason),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A taker fill. `pnl` is the realised PnL of a closing fill (zero for an opening one).
    Fill {
        side: Side,
        action: FillAction,
        qty: Qty,
        price: Price,
        fee: Usd,
        pnl: Usd,
    },
    /// A funding settlement: `amount` is the cash flow to the account (negative = paid),
    /// `−side × qty × mark × rate` (exchange-rules §2.3).
    Funding {
        side: Side,
        qty: Qty,
        mark: Price,
        rate: Rate,
        amount: Usd,
    },
    /// The position was liquidated. `loss` is what the account lost at that moment (isolated: the margin
    /// left, whatever its sign; cross: wallet before minus wallet after, clearance fee included).
    Liquidation {
        side: Side,
        qty: Qty,
        price: Price,
        liquidation_price: Price,
        gap: bool,
        loss: Usd,
    },
    /// A gap through the bankruptcy price: how far the position's equity at the mark open lay below
    /// zero, absorbed by the insurance fund. Recorded only under `negative_balance = "insurance_fund"`
    /// (the default); under `trader_liable` the deficit is part of the liquidation's `loss` instead.
    InsuranceDraw { amount: Usd },
    /// An order that was not placed.
    Rejection { reason: Rejection },
    /// A bracket-table change recomputed an open position's maintenance margin and liquidation price.
    BracketTableChange {
        table: String,
        liquidation_price_before: Option<Price>,
        liquidation_price_after: Option<Price>,
    },
    /// Something the reader must know (also collected in the summary).
    Warning { message: String },
    /// A warning: a stop-loss placed at or beyond the position's liquidation price, which can never
    /// fill — the position is liquidated first (exchange-rules §5). Kept typed rather than as text
    /// because a high-leverage sweep places thousands of them: the words are written only with the
    /// log (see [`EventKind::warning_text`]).
    StopBeyondLiquidation {
        side: Side,
        stop: Price,
        liquidation_price: Price,
    },
    /// The account is finished: the rest of the run stays flat.
    Ruin { equity: Usd, reason: String },
}

impl EventKind {
    /// The text of a warning event (`None` for any other kind).
    pub fn warning_text(&self) -> Option<String> {
        match self {
            EventKind::Warning { message } => Some(message.clone()),
            EventKind::StopBeyondLiquidation {
                side,
                stop,
                liquidation_price,
            } => Some(format!(
                "{side} stop-loss at {stop} lies at or beyond the liquidation price {liquidation_price}: \
                 it can never fill; the position is liquidated first (exchange-rules §5)"
            )),
            _ => None,
        }
    }
}

/// Why an order was refused.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rejection", rename_all = "snake_case")]
pub enum Rejection {
    /// Notional below the exchange's minimum order.
    BelowMinNotional { notional: Usd, min_notional: Usd },
    /// Leverage above what the bracket of this notional allows (exchange-rules §1.1); `reason` is the
    /// exchange model's explanation.
    LeverageRefused { notional: Usd, reason: String },
}

impl EventKind {
    /// The word used in the `type` column of `events.csv`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Fill { .. } => "fill",
            EventKind::Funding { .. } => "funding",
            EventKind::Liquidation { .. } => "liquidation",
            EventKind::InsuranceDraw { .. } => "insurance_draw",
            EventKind::Rejection { .. } => "rejection",
            EventKind::BracketTableChange { .. } => "bracket_table_change",
            EventKind::Warning { .. } | EventKind::StopBeyondLiquidation { .. } => "warning",
            EventKind::Ruin { .. } => "ruin",
        }
    }
}
