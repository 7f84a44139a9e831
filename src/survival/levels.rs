//! Liquidation prices for every entry, from the exchange model, computed once per bracket table.
//!
//! For an isolated position of notional `N` opened at `EP` with wallet `N/L`, the quantity is
//! `Q = N/EP` and the liquidation price of exchange-rules §1.2,
//! `LP = (WB + cum − side·Q·EP) / (Q·(MMR − side))`, divides by `EP` into
//! `LP/EP = (N/L + cum − side·N) / (N·(MMR − side))`: the entry price cancels. The bracket at the
//! liquidation price holds `Q·LP = N·(LP/EP)`, which does not depend on `EP` either. So the ratio
//! depends only on (table in force, leverage, side, notional): it is computed once per table with the
//! exchange model in exact decimals, and each entry's trigger is `open × ratio` in f64 (the per-bar
//! comparison precision the developer rules allow) — instead of ~10⁶ decimal solutions.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::map::LevelSegment;
use crate::domain::{Leverage, Price, Qty, Rate, Side, TimestampMs, Usd};
use crate::exchange::{
    BracketSchedule, BracketTable, LiqPrice, PositionRisk, bracket_at_liquidation, check_leverage,
    linear_liquidation_price,
};

/// The liquidation price of one isolated position under `table`, as a ratio to its entry price,
/// with the facts the map needs. `NaN` ratio: never liquidated (a 1x long, exchange-rules §1.2).
pub fn level_for(
    table: &BracketTable,
    side: Side,
    leverage: Leverage,
    notional: Usd,
) -> LevelSegment {
    // Any entry price gives the same ratio (module docs); 1 keeps every decimal exact.
    let entry = Price(Decimal::ONE);
    let qty = Qty(notional.get());
    let wallet = notional / leverage;
    let pos = PositionRisk::isolated(side, qty, entry, wallet);
    // Binance keeps no closing fee inside the maintenance margin (exchange-rules §1.2).
    let lp = linear_liquidation_price(&pos, table, Rate(Decimal::ZERO));
    let bracket = bracket_at_liquidation(&pos, table, lp);
    // An order above the maximum leverage of its notional's bracket is refused (§1.1, vector V26).
    let allowed = check_leverage(table, notional, leverage).is_ok();
    let ratio = match lp {
        LiqPrice::Never => None,
        LiqPrice::At(p) => p.get().to_f64(),
    };
    LevelSegment {
        from_bar: 0,
        ratio,
        allowed,
        mmr: bracket.mmr.to_f64(),
    }
}

/// One segment per bracket table that takes effect inside the data (`time` = bar open times), plus
/// the number of bars dated before the first known table (they use the earliest one; said in the
/// output).
pub fn segments(
    schedule: &BracketSchedule,
    time: &[i64],
    side: Side,
    leverage: Leverage,
    notional: Usd,
) -> (Vec<LevelSegment>, usize) {
    let first_known = schedule.first_known().get();
    let before_first = time.partition_point(|&t| t < first_known);
    let mut out: Vec<LevelSegment> = Vec::new();
    let start = schedule.table_at(TimestampMs(time.first().copied().unwrap_or(first_known)));
    out.push(level_for(start.table, side, leverage, notional));
    for change in schedule.change_times() {
        let from_bar = time.partition_point(|&t| t < change.get());
        if from_bar == 0 || from_bar >= time.len() {
            continue;
        }
        let seg = LevelSegment {
            from_bar,
            ..level_for(schedule.table_at(change).table, side, leverage, notional)
        };
        match out.last_mut() {
            Some(last) if last.from_bar == from_bar => *last = seg,
            _ => out.push(seg),
        }
    }
    (out, before_first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn latest() -> BracketSchedule {
        BracketSchedule::binance_btcusdt()
    }

    #[test]
    fn a_20x_short_at_60000_is_liquidated_at_62749_on_the_latest_table() {
        // exchange-rules §6.1 / vector V01: LP = 60,000 × 1.05 / 1.004 = 62,749.00.
        let schedule = latest();
        let seg = level_for(
            schedule.latest().table,
            Side::Short,
            Leverage(dec!(20)),
            Usd(dec!(10000)),
        );
        assert!(
            (60_000.0 * seg.ratio.unwrap() - 62_749.003_984).abs() < 1e-3,
            "{}",
            60_000.0 * seg.ratio.unwrap()
        );
        assert!(seg.allowed);
        assert!((seg.mmr - 0.004).abs() < 1e-12);
    }

    #[test]
    fn the_ratio_times_any_entry_matches_the_exchange_model_at_that_entry() {
        let schedule = latest();
        let table = schedule.latest().table;
        for (side, lev) in [
            (Side::Long, dec!(20)),
            (Side::Short, dec!(5)),
            (Side::Long, dec!(125)),
        ] {
            let seg = level_for(table, side, Leverage(lev), Usd(dec!(10000)));
            for entry in [dec!(3621.81), dec!(60000), dec!(126208.5)] {
                let qty = Qty(dec!(10000) / entry);
                let pos = PositionRisk::isolated(
                    side,
                    qty,
                    Price(entry),
                    Usd(dec!(10000)) / Leverage(lev),
                );
                let exact = linear_liquidation_price(&pos, table, Rate(Decimal::ZERO))
                    .as_f64_trigger()
                    .unwrap();
                let fast = entry.to_f64().unwrap() * seg.ratio.unwrap();
                assert!(
                    ((fast - exact) / exact).abs() < 1e-12,
                    "{side} {lev}x at {entry}: {fast} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn a_1x_long_has_no_liquidation_price_and_150x_is_refused_before_august_2025() {
        let schedule = latest();
        let seg = level_for(
            schedule.latest().table,
            Side::Long,
            Leverage(dec!(1)),
            Usd(dec!(10000)),
        );
        assert_eq!(seg.ratio, None);
        let early = schedule
            .table_at(TimestampMs::parse_user("2024-01-01").unwrap())
            .table;
        assert!(!level_for(early, Side::Long, Leverage(dec!(150)), Usd(dec!(10000))).allowed);
        assert!(
            level_for(
                schedule.latest().table,
                Side::Long,
                Leverage(dec!(150)),
                Usd(dec!(10000))
            )
            .allowed
        );
    }
}
