//! The open position: its booked figures (`Decimal`) and its trigger levels (f64, long view).

use rust_decimal::Decimal;

use crate::domain::{Leverage, Price, Qty, Rate, Side, TimestampMs, Usd};
use crate::engine::intrabar::Levels;
use crate::engine::numbers::f64_of;

/// Scale every booked amount is rounded to (1e-8 USDT, and 1e-8 BTC for quantities). Rounding each
/// amount once, where it is booked, keeps every later sum exact in `Decimal`, so the ledger
/// reconciles to the last digit.
pub(crate) const BOOK_DP: u32 = 8;

pub(crate) fn book(x: Decimal) -> Usd {
    Usd(x.round_dp(BOOK_DP))
}

/// An open position. Being flat is `Option<Position>` = `None`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Position {
    pub side: Side,
    pub qty: Qty,
    pub entry_price: Price,
    pub entry_time: TimestampMs,
    pub leverage: Leverage,
    /// Initial margin `qty × entry ÷ leverage` (exchange-rules §1.1).
    pub initial_margin: Usd,
    /// Isolated: the position's wallet — the initial margin plus the funding booked into it
    /// (may fall below zero, issue 4). Cross: unused (the account wallet backs the position).
    pub margin: Usd,
    pub fee_open: Usd,
    /// Funding booked while open (to the account: negative = paid).
    pub funding: Usd,
    pub liq_price: Option<Price>,
    pub liq_price_at_entry: Option<Price>,
    pub stop: Option<Price>,
    pub take_profit: Option<Price>,
    pub trailing: Option<Rate>,
    /// Best last price reached by earlier bars (for the trailing stop), as quoted (not long view).
    pub best: f64,
    /// f64 copies of the figures above, refreshed whenever they change (never per bar).
    pub mirror: Mirror,
}

/// The f64 view of a position the per-bar comparisons use: levels in the long view, size, entry, margin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Mirror {
    pub stop: f64,
    pub liq: f64,
    pub take_profit: f64,
    pub trail_mult: Option<f64>,
    pub qty_signed: f64,
    pub entry: f64,
    pub margin: f64,
}

impl Position {
    /// Recompute the f64 mirror after a booked figure changed (entry, funding, liquidation price).
    pub fn refresh(&mut self) {
        let s = self.side.sign_f64();
        let view = |p: Option<Price>, absent: f64| p.map_or(absent, |p| s * f64_of(p.get()));
        self.mirror = Mirror {
            stop: view(self.stop, f64::NEG_INFINITY),
            liq: view(self.liq_price, f64::NEG_INFINITY),
            take_profit: view(self.take_profit, f64::INFINITY),
            trail_mult: self.trailing.map(|r| 1.0 - s * f64_of(r.get())),
            qty_signed: s * f64_of(self.qty.get()),
            entry: f64_of(self.entry_price.get()),
            margin: f64_of(self.margin.get()),
        };
    }

    /// The trigger levels in the long view (see `intrabar`).
    pub fn levels(&self) -> Levels {
        let m = &self.mirror;
        Levels {
            stop: m.stop,
            liq: m.liq,
            take_profit: m.take_profit,
            trail_mult: m.trail_mult,
            best: self.side.sign_f64() * self.best,
        }
    }

    /// Unrealised PnL at `price`: `side × qty × (price − entry)`.
    pub fn upnl(&self, price: Price) -> Usd {
        Usd(self.side.sign() * self.qty.get() * (price.get() - self.entry_price.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_short_trailing_stop_level_is_best_times_one_plus_callback_in_the_long_view() {
        let p = Position {
            side: Side::Short,
            qty: Qty(dec!(1)),
            entry_price: Price(dec!(100)),
            entry_time: TimestampMs(0),
            leverage: Leverage(dec!(1)),
            initial_margin: Usd(dec!(100)),
            margin: Usd(dec!(100)),
            fee_open: Usd::ZERO,
            funding: Usd::ZERO,
            liq_price: None,
            liq_price_at_entry: None,
            stop: None,
            take_profit: None,
            trailing: Some(Rate(dec!(0.1))),
            best: 80.0,
            mirror: Mirror::default(),
        };
        let mut p = p;
        p.refresh();
        let lv = p.levels();
        // Best low 80 → the trailing stop sits at 88; in the long view −88 = −80 × 1.1.
        assert!((lv.trail_level(lv.best) + 88.0).abs() < 1e-9);
    }
}
