//! Invariants of the exchange model (exchange-rules §1.1–§1.2, §2.3, §4), over every shipped Binance
//! BTCUSDT table, position sizes from 0.001 to 5,000 BTC, entries from 1,000 to 200,000 and every
//! allowed leverage.

use std::sync::LazyLock;

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use wick::domain::{Leverage, Price, Qty, Rate, Side, Usd};
use wick::exchange::{
    BracketSchedule, BracketTable, LiqPrice, PositionRisk, Venue, check_leverage,
};

/// Every shipped table, parsed once for all cases.
fn tables() -> &'static [BracketTable] {
    static TABLES: LazyLock<Vec<BracketTable>> = LazyLock::new(|| {
        BracketSchedule::binance_btcusdt()
            .tables()
            .iter()
            .map(|d| d.table.clone())
            .collect()
    });
    &TABLES
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Long), Just(Side::Short)]
}

/// 0.001 … 5,000 BTC.
fn qty() -> impl Strategy<Value = Qty> {
    (1u64..=5_000_000).prop_map(|m| Qty(Decimal::new(m as i64, 3)))
}

/// 1,000.00 … 200,000.00.
fn entry() -> impl Strategy<Value = Price> {
    (100_000u64..=20_000_000).prop_map(|c| Price(Decimal::new(c as i64, 2)))
}

/// 1.0x … 150.0x in steps of 0.1.
fn leverage() -> impl Strategy<Value = Leverage> {
    (10u64..=1500).prop_map(|t| Leverage(Decimal::new(t as i64, 1)))
}

/// An isolated position funded with its initial margin, at a leverage its table allows.
fn isolated(
    table: &BracketTable,
    side: Side,
    qty: Qty,
    entry: Price,
    lev: Leverage,
) -> Option<PositionRisk> {
    let notional = qty * entry;
    check_leverage(table, notional, lev).ok()?;
    Some(PositionRisk::isolated(side, qty, entry, notional / lev))
}

fn distance(p: LiqPrice, entry: Price) -> Option<Decimal> {
    p.price().map(|p| (p.get() - entry.get()).abs())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_isolated_liquidation_price_lies_strictly_between_entry_and_bankruptcy(
        t in 0usize..11, side in side(), qty in qty(), entry in entry(), lev in leverage()
    ) {
        let table = &tables()[t];
        let Some(pos) = isolated(table, side, qty, entry, lev) else { return Ok(()) };
        let lp = Venue::Binance.liquidation_price(&pos, table);
        let bp = Venue::Binance.bankruptcy_price(&pos);
        match (lp, bp, side) {
            // Only a long that cannot go bankrupt may have no liquidation price (1x: §1.2, V04).
            (LiqPrice::Never, LiqPrice::Never, Side::Long) => {}
            (LiqPrice::At(l), LiqPrice::At(b), Side::Long) => prop_assert!(b < l && l < entry, "{b} < {l} < {entry}"),
            (LiqPrice::At(l), LiqPrice::At(b), Side::Short) => prop_assert!(entry < l && l < b, "{entry} < {l} < {b}"),
            // A long at BP 0 still liquidates above 0 when MM is positive there.
            (LiqPrice::At(l), LiqPrice::Never, Side::Long) => prop_assert!(l < entry),
            other => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn equity_at_the_liquidation_price_equals_the_maintenance_margin_there(
        t in 0usize..11, side in side(), qty in qty(), entry in entry(), lev in leverage(),
        other_maint in 0u64..50_000, other_upnl in -20_000i64..20_000, extra in 0u64..100_000
    ) {
        let table = &tables()[t];
        let Some(iso) = isolated(table, side, qty, entry, lev) else { return Ok(()) };
        // Cross: the same position with a larger wallet and other positions' TMM₁/UPNL₁ (§1.2).
        let cross = PositionRisk::cross(side, qty, entry, iso.wallet + Usd(Decimal::from(extra)),
            Usd(Decimal::from(other_maint)), Usd(Decimal::from(other_upnl)));
        for pos in [iso, cross] {
            let LiqPrice::At(lp) = Venue::Binance.liquidation_price(&pos, table) else { continue };
            if lp.is_zero() { continue; } // a short already under water at any price
            let equity = Venue::Binance.equity(&pos, lp) - pos.other_maint;
            let mm = Venue::Binance.maintenance_margin(&pos, table, lp);
            let tol = (qty * lp).get() * dec!(1e-18);
            prop_assert!((equity - mm).get().abs() <= tol, "equity {equity} vs MM {mm} at {lp}");
        }
    }

    #[test]
    fn raising_leverage_never_moves_the_liquidation_price_farther_from_entry(
        t in 0usize..11, side in side(), qty in qty(), entry in entry(), l1 in leverage(), l2 in leverage()
    ) {
        let table = &tables()[t];
        let (lo, hi) = if l1 <= l2 { (l1, l2) } else { (l2, l1) };
        let (Some(a), Some(b)) = (isolated(table, side, qty, entry, lo), isolated(table, side, qty, entry, hi)) else {
            return Ok(());
        };
        let (da, db) = (
            distance(Venue::Binance.liquidation_price(&a, table), entry),
            distance(Venue::Binance.liquidation_price(&b, table), entry),
        );
        match (da, db) {
            (Some(da), Some(db)) => prop_assert!(db <= da, "{hi}x is {db} from entry, {lo}x is {da}"),
            (None, _) => {} // the lower leverage could never be liquidated: anything is nearer
            (Some(_), None) => prop_assert!(false, "{hi}x never liquidates but {lo}x does"),
        }
    }

    #[test]
    fn maintenance_margin_is_continuous_across_every_bracket_boundary(
        t in 0usize..11, boundary in 0usize..11, delta_cents in 1u64..100_000_000
    ) {
        let table = &tables()[t];
        let brackets = table.brackets();
        let i = boundary % (brackets.len() - 1);
        let (lower, upper) = (&brackets[i], &brackets[i + 1]);
        let cap = lower.cap.unwrap();
        // Both brackets' formulas agree exactly at the boundary (the cum recurrence, §1.1) …
        prop_assert_eq!(lower.maintenance_margin(cap), upper.maintenance_margin(cap));
        // … so stepping across it changes MM by at most the step times the highest rate.
        let delta = Usd(Decimal::new(delta_cents as i64, 2).min(cap.get() - lower.floor.get()));
        let jump = table.maintenance_margin(cap + delta) - table.maintenance_margin(cap - delta);
        prop_assert!(jump.get() >= Decimal::ZERO);
        prop_assert!(jump.get() <= Decimal::TWO * delta.get() * table.top().mmr.get());
    }

    #[test]
    fn a_one_x_long_is_never_liquidated(t in 0usize..11, qty in qty(), entry in entry()) {
        let table = &tables()[t];
        let pos = PositionRisk::isolated(Side::Long, qty, entry, qty * entry);
        prop_assert_eq!(Venue::Binance.liquidation_price(&pos, table), LiqPrice::Never);
    }

    #[test]
    fn bracket_1_positions_follow_the_mirrored_closed_forms(entry in entry(), lev in leverage(), qty in 1u64..=2000) {
        // §1.2: with cum 0, long LP = EP·(1 − 1/L)/(1 − MMR), short LP = EP·(1 + 1/L)/(1 + MMR),
        // and the bankruptcy prices EP·(1 ∓ 1/L) sit the same distance from entry on either side.
        let table = &tables()[10];
        let qty = Qty(Decimal::new(qty as i64, 3));
        let (Some(long), Some(short)) = (
            isolated(table, Side::Long, qty, entry, lev), isolated(table, Side::Short, qty, entry, lev)
        ) else { return Ok(()) };
        // The closed forms hold while the notional at the liquidation price stays in bracket 1.
        let in_bracket_1 = |p: LiqPrice| p.price().is_none_or(|p| table.bracket_for(qty * p).number == 1);
        let (long_lp, short_lp) = (Venue::Binance.liquidation_price(&long, table), Venue::Binance.liquidation_price(&short, table));
        prop_assume!(in_bracket_1(long_lp) && in_bracket_1(short_lp));
        let mmr = table.brackets()[0].mmr.get();
        let inv_l = Decimal::ONE / lev.get();
        if let LiqPrice::At(l) = long_lp {
            let closed = entry.get() * (Decimal::ONE - inv_l) / (Decimal::ONE - mmr);
            prop_assert!((l.get() - closed).abs() <= dec!(1e-12));
        }
        let s = short_lp.price().unwrap();
        let closed = entry.get() * (Decimal::ONE + inv_l) / (Decimal::ONE + mmr);
        prop_assert!((s.get() - closed).abs() <= dec!(1e-12));
        let bl = Venue::Binance.bankruptcy_price(&long).price().map_or(Decimal::ZERO, |p| p.get());
        let bs = Venue::Binance.bankruptcy_price(&short).price().unwrap().get();
        prop_assert!((entry.get() - bl - (bs - entry.get())).abs() <= dec!(1e-12));
    }

    #[test]
    fn bybit_liquidation_prices_are_mirror_images_around_entry(qty in qty(), entry in entry(), lev in 2u64..=100) {
        // §4.1: LP = EP ∓ (IM − MM_entry)/Q, the same distance on both sides.
        let table = &tables()[10];
        let lev = Leverage(Decimal::from(lev));
        let (Some(long), Some(short)) = (
            isolated(table, Side::Long, qty, entry, lev), isolated(table, Side::Short, qty, entry, lev)
        ) else { return Ok(()) };
        let dl = distance(Venue::Bybit.liquidation_price(&long, table), entry);
        let ds = distance(Venue::Bybit.liquidation_price(&short, table), entry);
        let (dl, ds) = (dl.unwrap(), ds.unwrap());
        // Equal up to the 28th significant digit of the decimal division.
        prop_assert!((dl - ds).abs() <= entry.get() * dec!(1e-24), "{dl} vs {ds}");
    }

    #[test]
    fn what_a_long_pays_in_funding_or_pnl_a_short_receives(
        qty in qty(), mark in entry(), exit in entry(), rate_bp in -300i64..300, venue in 0usize..5
    ) {
        let venue: Venue = Venue::NAMES[venue].parse().unwrap();
        let rate = Rate(Decimal::new(rate_bp, 4));
        let long = venue.funding_cash_flow(Side::Long, qty, mark, rate);
        prop_assert_eq!(long, -venue.funding_cash_flow(Side::Short, qty, mark, rate));
        prop_assert!(rate.get() <= Decimal::ZERO || long.get() <= Decimal::ZERO, "longs pay a positive rate");
        prop_assert_eq!(venue.pnl(Side::Long, qty, mark, exit), -venue.pnl(Side::Short, qty, mark, exit));
    }

    #[test]
    fn an_isolated_inverse_liquidation_price_lies_between_entry_and_bankruptcy(
        side in side(), contracts in 1u64..=10_000, entry in entry(), lev in 2u64..=100
    ) {
        // §4.3 with one 0.4% bracket (the first bracket of the illustrative COIN-M table).
        let table = BracketSchedule::from_csv_str(
            "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n\
             2021-01-01,1,0,,0.004,0,125\n", "one bracket").unwrap().latest().table.clone();
        let venue = Venue::BinanceInverse;
        let qty = Qty(Decimal::from(contracts));
        let wallet = venue.initial_margin(qty, entry, Leverage(Decimal::from(lev)));
        let pos = PositionRisk::isolated(side, qty, entry, wallet);
        let l = venue.liquidation_price(&pos, &table).price().unwrap();
        let b = venue.bankruptcy_price(&pos).price().unwrap();
        match side {
            Side::Long => prop_assert!(b < l && l < entry),
            Side::Short => prop_assert!(entry < l && l < b),
        }
    }
}
