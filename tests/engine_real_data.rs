//! The engine on real Binance BTCUSDT history (`../shared/data`, see its PROVENANCE.md), with the
//! figures worked out by hand from the formulas (exchange-rules §1.2, §2.3) in the comments.
//! Each test skips, with a message, when the data folder is absent.

#[path = "engine_support/mod.rs"]
mod support;

mod common;

use std::path::Path;

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use support::{liquidations, settings};
use wick::config::IntrabarPolicy;
use wick::domain::{Price, Rate, TimestampMs};
use wick::exchange::BracketSchedule;
use wick::market::{LoadOptions, MarketData, load_candles, load_market};
use wick::results::{ExitReason, RunResult};
use wick::strategy::{Desire, ReentryPolicy, Signals};

fn perp_1h(dir: &Path) -> MarketData {
    let opts = LoadOptions::default();
    load_market(
        &dir.join("btcusdt-perp-1h.csv"),
        Some(&dir.join("btcusdt-perp-mark-1h.csv")),
        Some(&dir.join("btcusdt-perp-funding-8h.csv")),
        &opts,
    )
    .unwrap()
    .data
}

fn always_long(m: &MarketData) -> Signals {
    Signals::new(
        vec![Desire::Long; m.candles.len()],
        ReentryPolicy::NextSignalChange,
        0,
    )
}

fn at(s: &str) -> TimestampMs {
    TimestampMs::parse_user(s).unwrap()
}

fn replay<'m>(
    m: &'m MarketData,
    s: &wick::config::RunSettings,
    detail: Option<&wick::market::Candles>,
) -> RunResult<'m> {
    let r = wick::engine::run(
        m,
        &always_long(m),
        s,
        &BracketSchedule::binance_btcusdt(),
        detail,
    );
    r.reconcile().unwrap();
    r
}

#[test]
fn a_20x_long_opened_on_2021_11_10_is_liquidated_at_21_00_with_funding_raising_its_liquidation_price()
 {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let m = perp_1h(&dir);
    // 10,000 USDT, 20x, margin = 5% of equity: 500 USDT of margin, 10,000 of notional.
    let mut s = settings(dec!(20), dec!(0.05));
    s.range.from = Some(at("2021-11-10"));
    s.range.to = Some(at("2021-11-11"));
    let r = replay(&m, &s, None);
    // By hand. Entry at the 00:00 open 67,010.65: qty = 10,000 / 67,010.65 = 0.14923001 BTC (cut to
    // 1e-8), notional 9,999.99996961, isolated margin 499.99999849 (Q·EP / 20 rounded up to 1e-8).
    // Before 2022-02-12 the earliest Binance table applies: bracket 1, MMR 0.4%, cum 0, so LP = (Q·EP − WB) / (Q × 0.996) = 63,915.78.
    // 00:00 funding is not paid (opened at that open). 08:00: −Q × 66,504.39 × 0.00068212 = −6.76966637
    // → WB 493.23033212, LP 63,961.33. 16:00: −Q × 68,393.1610168 × 0.00057535 = −5.87220167
    // → WB 487.35813045, LP 64,000.83. The 20:00 mark low 65,218.62 stays above it; the 21:00 mark
    // low 62,962.51 reaches it: liquidated in the 21:00 bar at 64,000.83, losing 487.36 of margin.
    let t = &r.trades[0];
    assert_eq!(t.qty.get(), dec!(0.14923001));
    assert_eq!(
        t.liquidation_price_at_entry.unwrap().get().round_dp(2),
        dec!(63915.78)
    );
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_time, at("2021-11-10 21:00"));
    assert_eq!(t.exit_price.get().round_dp(2), dec!(64000.83));
    assert_eq!(t.funding.get(), dec!(-12.64186804));
    assert_eq!(
        liquidations(&r),
        vec![(at("2021-11-10 21:00").0, dec!(487.35813045), false)]
    );
}

/// 8-decimal booking as the engine does it.
fn book(d: Decimal) -> Decimal {
    d.round_dp(8)
}

fn dec_of(v: f64) -> Decimal {
    Price::from_f64_checked(v)
        .map(|p| p.get())
        .unwrap_or_else(|_| Decimal::from_f64(v).unwrap())
}

#[test]
fn a_1x_long_through_2021_is_never_liquidated_and_ends_at_buy_and_hold_minus_fees_and_funding() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let m = perp_1h(&dir);
    let mut s = settings(dec!(1), dec!(1));
    s.range.from = Some(at("2021-01-01"));
    s.range.to = Some(at("2022-01-01"));
    let r = replay(&m, &s, None);
    assert!(liquidations(&r).is_empty());
    assert_eq!(r.trades.len(), 1);
    assert_eq!(r.trades[0].exit_reason, ExitReason::EndOfData);

    // Buy and hold computed here, independently of the engine: all 10,000 as margin at 1x, the size
    // cut so that margin + 0.05% fee fit: notional 10,000 / 1.0005.
    let c = &m.candles;
    let (i0, i1) = (
        c.index_at_or_after(at("2021-01-01")),
        c.index_at_or_after(at("2022-01-01")) - 1,
    );
    let (open, close) = (dec_of(c.open[i0]), dec_of(c.close[i1]));
    let qty =
        (dec!(10000) / dec!(1.0005) / open).round_dp_with_strategy(8, RoundingStrategy::ToZero);
    let fees = book(qty * open * dec!(0.0005)) + book(qty * close * dec!(0.0005));
    // Every settlement after the entry at 2021-01-01 00:00 and before the end, at the file's mark.
    let f = m.funding.as_ref().unwrap();
    let funding: Decimal = (0..f.len())
        .filter(|&k| f.time[k] > c.time[i0] && f.time[k] < c.time[i1] + 3_600_000)
        .map(|k| book(-qty * dec_of(f.mark[k]) * dec_of(f.rate[k])))
        .sum();
    let expected = dec!(10000) + book(qty * (close - open)) - fees + funding;
    assert_eq!(r.final_equity.get(), expected);
    assert_eq!(r.stats().fees.get(), fees);
    assert_eq!(r.trades[0].funding.get(), funding);
}

#[test]
fn the_same_1x_long_held_from_september_2019_is_liquidated_in_june_2022() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let m = perp_1h(&dir);
    let mut s = settings(dec!(1), dec!(1));
    s.range.from = Some(at("2019-09-09"));
    let r = replay(&m, &s, None);
    // Entered at 10,391.63 with 0.96183202 BTC and 9,995.00 of isolated margin. Funding is paid on
    // qty × mark: as BTC rose to 69,000 the same 0.96 BTC paid up to 6.6 times more per settlement,
    // and booked into the isolated margin it drained it to −7,948.38 by June 2022 — the unrealised
    // profit kept the position alive, but the liquidation price rose with every payment, to
    // (Q·EP − WB) / (Q × 0.996) = 18,730.34. The 2022-06-18 17:00 mark low reaches it.
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_time, at("2022-06-18 17:00"));
    assert_eq!(t.exit_price.get().round_dp(2), dec!(18730.34));
    // What the position lost at liquidation is the margin left, negative here: funding + loss = −margin.
    assert_eq!(t.funding.get() + t.pnl.get(), -t.margin.get());
    // 1x long never liquidates without funding: its liquidation price at entry does not exist.
    assert_eq!(t.liquidation_price_at_entry, None);
}

#[test]
fn stop_and_take_profit_inside_one_hour_of_may_2025_resolve_like_the_1m_bars_under_detail() {
    let Some(dir) = common::shared_data() else {
        return;
    };
    let m = perp_1h(&dir);
    let minutes = load_candles(
        &dir.join("btcusdt-perp-1m-2025-05-05_2025-06-02.csv"),
        &LoadOptions::default(),
    )
    .unwrap()
    .candles;
    // 2025-05-19 00:00: open 106,407.5, high 107,114.3, low 105,130.0. A 1x long entered at the open
    // with a 0.5% stop (105,875.4625) and a 0.5% take-profit (106,939.5375): both inside this hour.
    let mut s = settings(dec!(1), dec!(0.5));
    s.risk.stop_loss = Some(Rate(dec!(0.005)));
    s.risk.take_profit = Some(Rate(dec!(0.005)));
    s.range.from = Some(at("2025-05-19"));
    s.range.to = Some(at("2025-05-19 02:00"));
    let run_with = |policy, detail| {
        let mut s = s.clone();
        s.execution.intrabar = policy;
        replay(&m, &s, detail)
    };
    let pessimistic = run_with(IntrabarPolicy::Pessimistic, None);
    let optimistic = run_with(IntrabarPolicy::Optimistic, None);
    let detail = run_with(IntrabarPolicy::Detail, Some(&minutes));
    assert_eq!(pessimistic.trades[0].exit_reason, ExitReason::StopLoss);
    assert_eq!(optimistic.trades[0].exit_reason, ExitReason::TakeProfit);
    for r in [&pessimistic, &optimistic, &detail] {
        assert_eq!(r.ambiguous_bars, 1);
        assert_eq!(r.trades[0].entry_time, at("2025-05-19"));
    }
    // The same position replayed directly on the 1m bars of that hour.
    let direct_market = MarketData {
        candles: minutes.clone(),
        mark: None,
        funding: None,
    };
    let mut direct = s.clone();
    direct.range.to = Some(at("2025-05-19 01:00"));
    let d = replay(&direct_market, &direct, None);
    let (a, b) = (&detail.trades[0], &d.trades[0]);
    assert_eq!(
        (a.exit_reason, a.exit_time, a.exit_price),
        (b.exit_reason, b.exit_time, b.exit_price)
    );
    assert!(a.exit_time > at("2025-05-19") && a.exit_time < at("2025-05-19 01:00"));
}
