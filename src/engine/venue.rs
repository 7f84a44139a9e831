//! The engine's seam to the exchange model: every rule the replay asks about goes through here, so
//! the replay never needs to know which venue it is on (exchange-rules §1, §4). The engine books
//! linear (USDT-margined) contracts: PnL `side × qty × (exit − entry)` in USDT.

use crate::config::{self, MarginMode};
use crate::domain::{Leverage, Price, Qty, Rate, Side, TimestampMs, Usd};
use crate::exchange::{self, BracketSchedule, PositionRisk};

/// The rules of one venue, margin mode and bracket schedule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'a> {
    pub schedule: &'a BracketSchedule,
    pub venue: exchange::Venue,
    pub mode: MarginMode,
}

impl<'a> Rules<'a> {
    pub fn new(
        schedule: &'a BracketSchedule,
        venue: config::Venue,
        mode: MarginMode,
        taker_fee: Rate,
    ) -> Rules<'a> {
        let venue = match venue {
            config::Venue::Binance => exchange::Venue::Binance,
            config::Venue::Bybit => exchange::Venue::Bybit,
            // OKX counts the taker fee of closing into the maintenance requirement (exchange-rules §4.2).
            config::Venue::Okx => exchange::Venue::Okx {
                close_fee: taker_fee,
            },
        };
        Rules {
            schedule,
            venue,
            mode,
        }
    }

    /// Liquidation price of a position backed by `wallet` (isolated: its margin; cross: the account
    /// wallet, the only position), with the bracket table in force at `t`. `None` when it can never
    /// be liquidated (e.g. a 1x long, exchange-rules §1.2).
    pub fn liquidation_price(
        &self,
        t: TimestampMs,
        side: Side,
        qty: Qty,
        entry: Price,
        wallet: Usd,
    ) -> Option<Price> {
        let table = self.schedule.table_at(t).table;
        let risk = match self.mode {
            MarginMode::Isolated => PositionRisk::isolated(side, qty, entry, wallet),
            MarginMode::Cross => {
                PositionRisk::cross(side, qty, entry, wallet, Usd::ZERO, Usd::ZERO)
            }
        };
        self.venue.liquidation_price(&risk, table).price()
    }

    /// `Err(reason)` when `leverage` is above what the bracket of `notional` allows at `t` (§1.1).
    pub fn check_leverage(
        &self,
        t: TimestampMs,
        notional: Usd,
        leverage: Leverage,
    ) -> Result<(), String> {
        exchange::check_leverage(self.schedule.table_at(t).table, notional, leverage)
            .map_err(|r| r.to_string())
    }

    /// Funding cash flow to the account: `−side × qty × mark × rate` (exchange-rules §2.3).
    pub fn funding(&self, side: Side, qty: Qty, mark: Price, rate: Rate) -> Usd {
        self.venue.funding_cash_flow(side, qty, mark, rate)
    }
}
