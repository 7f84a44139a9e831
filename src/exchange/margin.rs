//! Margin, liquidation and bankruptcy prices of one position in one-way mode (exchange-rules §1.2).
//!
//! Linear (USDT-margined) formulas live here; inverse ones in `inverse.rs`; which venue uses which is
//! decided once, in `venue.rs`.

use rust_decimal::Decimal;

use super::brackets::{Bracket, BracketTable};
use crate::domain::{Leverage, Price, Qty, Rate, Side, Usd, nearest_f64};

/// Isolated or cross margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarginMode {
    /// The position has its own wallet (the margin put up for it); only it can be lost.
    Isolated,
    /// The whole cross wallet backs every cross position.
    Cross,
}

/// Everything a liquidation price depends on.
///
/// `wallet` is the isolated margin of the position (isolated) or the cross wallet balance (cross);
/// `other_maint` and `other_upnl` are TMM₁ and UPNL₁ of §1.2, the maintenance margin and unrealised
/// PnL of the account's *other* cross positions (zero for isolated). Amounts are in the margin
/// currency: USDT for linear contracts, BTC for inverse ones (then `qty` counts contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionRisk {
    pub side: Side,
    pub qty: Qty,
    pub entry: Price,
    pub wallet: Usd,
    pub other_maint: Usd,
    pub other_upnl: Usd,
}

impl PositionRisk {
    /// An isolated position backed by `wallet` (TMM₁ = UPNL₁ = 0).
    pub fn isolated(side: Side, qty: Qty, entry: Price, wallet: Usd) -> PositionRisk {
        PositionRisk {
            side,
            qty,
            entry,
            wallet,
            other_maint: Usd::ZERO,
            other_upnl: Usd::ZERO,
        }
    }

    /// A cross position: the whole cross wallet, with the other positions' TMM₁ and UPNL₁ frozen at
    /// this snapshot (they move with their own marks, so recompute every bar — §1.2 notes).
    pub fn cross(
        side: Side,
        qty: Qty,
        entry: Price,
        wallet: Usd,
        other_maint: Usd,
        other_upnl: Usd,
    ) -> PositionRisk {
        PositionRisk {
            side,
            qty,
            entry,
            wallet,
            other_maint,
            other_upnl,
        }
    }
}

/// A trigger price that may not exist: a 1x long is never liquidated (its liquidation price would be
/// ≤ 0), and an inverse short with margin ≥ its coin value never goes bankrupt. Used for both
/// liquidation and bankruptcy prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiqPrice {
    /// No mark price can trigger it.
    Never,
    /// Triggered when the mark reaches this price (from above for a long, from below for a short).
    /// `At(0)` is possible only for a short whose account is already under water at any price.
    At(Price),
}

impl LiqPrice {
    /// The trigger as f64 for per-bar comparisons; `None` when it can never trigger.
    pub fn as_f64_trigger(&self) -> Option<f64> {
        self.price().map(Price::to_f64)
    }

    pub fn price(&self) -> Option<Price> {
        match self {
            LiqPrice::Never => None,
            LiqPrice::At(p) => Some(*p),
        }
    }

    /// Signed percentage move from `entry` to the trigger (`None` if it never triggers).
    pub fn move_pct_from(&self, entry: Price) -> Option<Decimal> {
        self.price()
            .map(|p| (p.get() / entry.get() - Decimal::ONE) * Decimal::ONE_HUNDRED)
    }
}

/// Initial margin `IM = N_entry / L` (exchange-rules §1.1).
pub fn initial_margin(notional: Usd, leverage: Leverage) -> Usd {
    notional / leverage
}

/// Unrealised PnL of a linear position at `mark`: `side·Q·(mark − EP)`.
pub fn linear_pnl(side: Side, qty: Qty, entry: Price, mark: Price) -> Usd {
    Usd(side.sign() * qty.get() * (mark.get() - entry.get()))
}

/// Margin balance of a linear position at `mark`: `WB + UPNL₁ + side·Q·(mark − EP)` (§1.1, "margin
/// balance = WB + unrealized PnL"); for cross it includes the other positions' frozen UPNL₁.
pub fn linear_equity(pos: &PositionRisk, mark: Price) -> Usd {
    pos.wallet + pos.other_upnl + linear_pnl(pos.side, pos.qty, pos.entry, mark)
}

/// Liquidation price of a linear position when MM is `N·(MMR + close_fee) − cum` evaluated at the
/// liquidation price: Binance (`close_fee = 0`, §1.2) and OKX (`close_fee` = taker rate, §4.2).
///
/// Solves `WB − TMM₁ + UPNL₁ + side·Q·(P − EP) = Q·P·(MMR_b + close_fee) − cum_b` in the notional
/// `N = Q·P`. Writing `A = WB − TMM₁ + UPNL₁ − side·Q·EP`, the gap `h(N) = A + side·N − N·(MMR_b + fee)
/// + cum_b` is strictly monotone (rises for a long, falls for a short), so its root is unique. §1.2 says
/// "solve for every bracket, keep the one whose Q·LP lies in (floor, cap]"; that is the first bracket
/// whose cap is at or beyond the root, which we detect from the sign of `h(cap)` — in f64 where it is
/// clearly away from zero, else in exact decimal arithmetic with no division, so a root exactly on a
/// cap lands in the lower bracket as `(floor, cap]` says.
pub fn linear_liquidation_price(
    pos: &PositionRisk,
    table: &BracketTable,
    close_fee: Rate,
) -> LiqPrice {
    let side = pos.side.sign();
    let q = pos.qty.get();
    if q.is_zero() {
        return LiqPrice::Never;
    }
    let a = pos.wallet.get() - pos.other_maint.get() + pos.other_upnl.get()
        - side * q * pos.entry.get();
    // At N = 0 (bracket 1, cum 0) h = A: a long still solvent at price 0 can never be liquidated
    // (§1.2 "LP ≤ 0 ⇒ the long can never be liquidated"); a short insolvent at 0 is insolvent at any price.
    match pos.side {
        Side::Long if a >= Decimal::ZERO => return LiqPrice::Never,
        Side::Short if a <= Decimal::ZERO => return LiqPrice::At(Price::ZERO),
        _ => {}
    }
    let screen = Screen::new(pos, close_fee);
    let b = bracket_of_root(pos, table, close_fee, a, Some(&screen));
    // LP = N/Q with N = (A + cum)/(MMR + fee − side), taken as one division — one rounding of the
    // 28-digit quotient instead of two.
    LiqPrice::At(Price(
        (a + b.cum.get()) / ((b.mmr.get() + close_fee.get() - side) * q),
    ))
}

/// The bracket whose `(floor, cap]` holds the root of `h(N) = A + side·N − N·(MMR_b + fee) + cum_b`:
/// the first whose cap is at or beyond it, i.e. where `h(cap)` has reached zero. With a `screen`,
/// the sign of `h(cap)` is taken from f64 where it is clear and evaluated exactly where it is not;
/// without, always exactly (the tests compare the two).
fn bracket_of_root<'t>(
    pos: &PositionRisk,
    table: &'t BracketTable,
    close_fee: Rate,
    a: Decimal,
    screen: Option<&Screen>,
) -> &'t Bracket {
    let side = pos.side.sign();
    let h =
        |b: &Bracket, n: Decimal| a + side * n - n * (b.mmr.get() + close_fee.get()) + b.cum.get();
    let root_at_or_below = |b: &Bracket| match b.cap {
        None => true,
        Some(cap) => {
            let sign = screen
                .and_then(|s| s.sign_of_h(b, cap))
                .unwrap_or_else(|| h(b, cap.get()).cmp(&Decimal::ZERO));
            match pos.side {
                Side::Long => sign.is_ge(),
                Side::Short => sign.is_le(),
            }
        }
    };
    table
        .brackets()
        .iter()
        .find(|b| root_at_or_below(b))
        .unwrap_or_else(|| table.top())
}

/// `h(cap)` of [`linear_liquidation_price`] in f64, to find the bracket without `Decimal` products.
/// Its error is a few units in the last place of the largest term; a value closer to zero than a
/// wide margin over that (1e-12 relative) is left to the exact evaluation.
struct Screen {
    a: f64,
    side: f64,
    fee: f64,
    /// Sum of the magnitudes of the terms of `A`, for the error bound.
    scale: f64,
}

impl Screen {
    fn new(pos: &PositionRisk, close_fee: Rate) -> Screen {
        let f = nearest_f64;
        let side = pos.side.sign_f64();
        let (wallet, maint, upnl) = (
            f(pos.wallet.get()),
            f(pos.other_maint.get()),
            f(pos.other_upnl.get()),
        );
        let exposure = f(pos.qty.get()) * f(pos.entry.get());
        Screen {
            a: wallet - maint + upnl - side * exposure,
            side,
            fee: f(close_fee.get()),
            scale: wallet.abs() + maint.abs() + upnl.abs() + exposure.abs(),
        }
    }

    fn sign_of_h(&self, b: &Bracket, cap: Usd) -> Option<std::cmp::Ordering> {
        let (cap, mmr, cum) = (
            nearest_f64(cap.get()),
            nearest_f64(b.mmr.get()),
            nearest_f64(b.cum.get()),
        );
        let h = self.a + self.side * cap - cap * (mmr + self.fee) + cum;
        let bound = 1e-12 * (self.scale + 2.0 * cap.abs() + cum.abs());
        if !h.is_finite() || h.abs() <= bound {
            return None;
        }
        h.partial_cmp(&0.0)
    }
}

/// The bracket that holds the position's notional at the liquidation price (bracket 1 if never).
pub fn bracket_at_liquidation<'t>(
    pos: &PositionRisk,
    table: &'t BracketTable,
    lp: LiqPrice,
) -> &'t Bracket {
    match lp {
        LiqPrice::At(p) => table.bracket_for(pos.qty * p),
        LiqPrice::Never => &table.brackets()[0],
    }
}

/// Bankruptcy price of a linear position, where the margin balance is 0 and no maintenance margin is
/// kept: `BP = EP − side·(WB + UPNL₁)/Q` (§1.2). A long whose BP would be ≤ 0 never goes bankrupt.
pub fn linear_bankruptcy_price(pos: &PositionRisk) -> LiqPrice {
    if pos.qty.is_zero() {
        return LiqPrice::Never;
    }
    let bp = pos.entry.get()
        - pos.side.sign() * (pos.wallet.get() + pos.other_upnl.get()) / pos.qty.get();
    if bp <= Decimal::ZERO {
        match pos.side {
            Side::Long => LiqPrice::Never,
            Side::Short => LiqPrice::At(Price::ZERO),
        }
    } else {
        LiqPrice::At(Price(bp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::BracketSchedule;
    use rust_decimal_macros::dec;

    fn latest() -> BracketTable {
        BracketSchedule::binance_btcusdt().latest().table.clone()
    }

    fn iso(side: Side, qty: Decimal, wallet: Decimal) -> PositionRisk {
        PositionRisk::isolated(side, Qty(qty), Price(dec!(60000)), Usd(wallet))
    }

    #[test]
    fn the_seed_short_liquidates_at_62749_and_goes_bankrupt_at_63000() {
        let pos = iso(Side::Short, dec!(1), dec!(3000));
        let lp = linear_liquidation_price(&pos, &latest(), Rate::ZERO)
            .price()
            .unwrap();
        assert_eq!(lp.get().round_dp(2), dec!(62749.00));
        assert_eq!(
            linear_bankruptcy_price(&pos),
            LiqPrice::At(Price(dec!(63000)))
        );
    }

    #[test]
    fn a_one_x_long_can_never_be_liquidated_nor_go_bankrupt() {
        let pos = iso(Side::Long, dec!(1), dec!(60000));
        assert_eq!(
            linear_liquidation_price(&pos, &latest(), Rate::ZERO),
            LiqPrice::Never
        );
        assert_eq!(linear_bankruptcy_price(&pos), LiqPrice::Never);
        assert_eq!(LiqPrice::Never.as_f64_trigger(), None);
    }

    #[test]
    fn a_short_whose_account_is_already_gone_liquidates_at_any_price() {
        let pos = PositionRisk::cross(
            Side::Short,
            Qty(dec!(1)),
            Price(dec!(100)),
            Usd(dec!(10)),
            Usd(dec!(0)),
            Usd(dec!(-200)),
        );
        assert_eq!(
            linear_liquidation_price(&pos, &latest(), Rate::ZERO),
            LiqPrice::At(Price::ZERO)
        );
    }

    #[test]
    fn a_root_exactly_on_a_cap_takes_the_lower_bracket() {
        // Short 1 BTC: LP = 300,000 exactly when A + cum_1 = 300,000·(1 + 0.004), i.e. wallet 1,200.
        let pos = PositionRisk::isolated(
            Side::Short,
            Qty(dec!(1)),
            Price(dec!(300000)),
            Usd(dec!(1200)),
        );
        let t = latest();
        let lp = linear_liquidation_price(&pos, &t, Rate::ZERO);
        assert_eq!(lp, LiqPrice::At(Price(dec!(300000))));
        assert_eq!(bracket_at_liquidation(&pos, &t, lp).number, 1);
    }

    proptest::proptest! {
        /// The f64 screen picks the bracket the exact evaluation picks, on every dated Binance table,
        /// for random positions and for positions whose root lies exactly on a cap (where the
        /// screen must defer to the exact evaluation).
        #[test]
        fn the_screened_bracket_search_agrees_with_the_exact_one(
            long in proptest::bool::ANY,
            qty_sats in 1i64..=100_000_000_000,
            entry_cents in 100_000i64..=20_000_000,
            wallet_cents in 0i64..=20_000_000_000,
            on_cap in proptest::option::of(0usize..16),
            fee_bp in 0i64..=10,
        ) {
            let side = if long { Side::Long } else { Side::Short };
            let (q, entry, fee) = (
                Decimal::new(qty_sats, 8),
                Decimal::new(entry_cents, 2),
                Rate(Decimal::new(fee_bp, 4)),
            );
            for dated in BracketSchedule::binance_btcusdt().tables() {
                let t = &dated.table;
                let mut wallet = Decimal::new(wallet_cents, 2);
                // Put the root exactly on a cap: A = −side·cap + cap·(MMR + fee) − cum.
                if let Some(b) = on_cap.and_then(|k| t.brackets().get(k))
                    && let Some(cap) = b.cap
                {
                    let a = -side.sign() * cap.get() + cap.get() * (b.mmr.get() + fee.get()) - b.cum.get();
                    wallet = a + side.sign() * q * entry;
                }
                let pos = PositionRisk::isolated(side, Qty(q), Price(entry), Usd(wallet));
                let a = wallet - side.sign() * q * entry;
                let screen = Screen::new(&pos, fee);
                let fast = bracket_of_root(&pos, t, fee, a, Some(&screen));
                let exact = bracket_of_root(&pos, t, fee, a, None);
                proptest::prop_assert_eq!(fast.number, exact.number);
            }
        }
    }

    #[test]
    fn an_empty_position_has_no_trigger() {
        let pos = iso(Side::Long, dec!(0), dec!(10));
        assert_eq!(
            linear_liquidation_price(&pos, &latest(), Rate::ZERO),
            LiqPrice::Never
        );
        assert_eq!(linear_bankruptcy_price(&pos), LiqPrice::Never);
    }

    #[test]
    fn moves_from_entry_are_signed_percentages() {
        let m = LiqPrice::At(Price(dec!(63000)))
            .move_pct_from(Price(dec!(60000)))
            .unwrap();
        assert_eq!(m, dec!(5));
        assert_eq!(LiqPrice::Never.move_pct_from(Price(dec!(60000))), None);
    }
}
