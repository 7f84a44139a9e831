//! Scenario tests of the per-bar contract on synthetic bars: stop versus liquidation (exchange-rules
//! §5, vectors S01–S04), gaps, take-profit, trailing stop, the intrabar policies and `detail`.
//! Every run is also replayed through the all-slow-path reference and its ledger reconciled
//! (see `engine_support::run`).

#[path = "engine_support/mod.rs"]
mod support;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use support::*;
use wick::config::{IntrabarPolicy, NegativeBalance};
use wick::domain::{Price, Rate, TimestampMs};
use wick::results::{EventKind, ExitReason};
use wick::strategy::{Desire, ReentryPolicy};

/// A result borrows the market it replayed; these helpers' few bars live for the whole test run.
fn leaked(m: wick::market::MarketData) -> &'static wick::market::MarketData {
    Box::leak(Box::new(m))
}

/// A 20x long of 1 BTC entered at 60,000 with an optional stop `stop_fraction` below the entry, then `bar1`.
/// Liquidation price 57,000 / 0.996 = 57,228.92 (exchange-rules §6.2 V12).
fn twenty_x_long_then(
    stop_fraction: Option<Decimal>,
    bar1: Ohlc,
) -> wick::results::RunResult<'static> {
    let bars = [
        (60000.0, 60100.0, 59900.0, 59000.0),
        bar1,
        (55500.0, 56000.0, 55000.0, 55800.0),
    ];
    let mut s = twenty_x_one_btc();
    s.risk.stop_loss = stop_fraction.map(Rate);
    run(leaked(market(&bars)), &hold(Desire::Long, 3), &s)
}

#[test]
fn s01_a_stop_beyond_the_liquidation_price_never_fills_and_the_whole_margin_is_lost() {
    // Phase 1: long 1 BTC at 60,000, 20x: margin 3,000, fee 30; stop ≈ 56,000 sits below the
    // liquidation price 57,228.92, so a warning is written when it is placed.
    // Phase 2: the bar (59,000 / 59,500 / 55,000) reaches both; the mark reaches 57,228.92 first.
    let r = twenty_x_long_then(
        Some(dec!(1) / dec!(15)),
        (59000.0, 59500.0, 55000.0, 55500.0),
    );
    assert!(r.warnings.iter().any(|w| w.contains("can never fill")));
    // The event log says it once, when the order is placed at the entry, with both prices.
    let warned: Vec<(i64, &str, String)> = r
        .events
        .iter()
        .filter_map(|e| Some((e.time.0, e.kind.name(), e.kind.warning_text()?)))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    let (time, kind, text) = &warned[0];
    assert_eq!((*time, *kind), (T0, "warning"));
    assert!(
        text.starts_with("long stop-loss at 5599")
            && text.contains("beyond the liquidation price 57228.91")
            && text
                .ends_with("can never fill; the position is liquidated first (exchange-rules §5)"),
        "{text}"
    );
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_time, TimestampMs(T0 + HOUR));
    assert_eq!(t.exit_price.get().round_dp(2), dec!(57228.92));
    // Loss = the 3,000 margin + the 30 opening fee: −3,030 (S01).
    assert_eq!(t.net(), usd(dec!(-3030)));
    assert_eq!(r.final_equity, usd(dec!(6970)));
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(3000), false)]);
}

#[test]
fn s02_a_stop_between_entry_and_liquidation_price_fills_at_the_stop() {
    // Same bar, stop at 58,000 (1/30 below 60,000): above the liquidation price, so it is reached
    // first and fills at 58,000: −2,000 − 30 − 29 = −2,059 (S02).
    let r = twenty_x_long_then(
        Some(dec!(1) / dec!(30)),
        (59000.0, 59500.0, 55000.0, 55500.0),
    );
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::StopLoss);
    assert_eq!(t.exit_price.get().round_dp(8), dec!(58000));
    assert_eq!(t.pnl, usd(dec!(-2000)));
    assert_eq!(t.fees, usd(dec!(59)));
    assert_eq!(r.final_equity, usd(dec!(7941)));
    assert!(r.warnings.iter().all(|w| !w.contains("can never fill")));
    // Phase 3: after the forced exit the crossover rule waits for a new signal: no re-entry.
    assert_eq!(r.trades.len(), 1);
}

#[test]
fn s03_a_gap_below_the_stop_but_above_the_liquidation_price_fills_the_stop_at_the_open() {
    // The bar opens at 57,500: below the 58,000 stop, above the liquidation price → stop-market fills
    // at the open: −2,500 − 30 − 28.75 = −2,558.75 (S03).
    let r = twenty_x_long_then(
        Some(dec!(1) / dec!(30)),
        (57500.0, 57900.0, 57300.0, 57600.0),
    );
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::StopLoss);
    assert_eq!(t.exit_price, Price(dec!(57500)));
    assert_eq!(t.net(), usd(dec!(-2558.75)));
    assert_eq!(r.final_equity, usd(dec!(7441.25)));
}

#[test]
fn s04_a_gap_below_the_liquidation_price_liquidates_at_the_open_whatever_the_stop() {
    // The mark opens at 57,000, beyond 57,228.92: liquidated at the open; the stop is irrelevant.
    // Equity at the mark open is 3,000 − 3,000 = 0: no insurance draw (S04: −3,030).
    let r = twenty_x_long_then(
        Some(dec!(1) / dec!(30)),
        (57000.0, 57100.0, 56000.0, 56500.0),
    );
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_price, Price(dec!(57000)));
    assert_eq!(t.net(), usd(dec!(-3030)));
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(3000), true)]);
    assert_eq!(insurance_draws(&r), Decimal::ZERO);
}

#[test]
fn a_gap_through_the_bankruptcy_price_costs_the_margin_and_draws_the_insurance_fund() {
    // The mark opens at 56,000: the position's equity there is 3,000 − 4,000 = −1,000. The trader
    // loses the 3,000 margin (+30 fee); the insurance fund covers the other 1,000.
    let r = twenty_x_long_then(None, (56000.0, 56500.0, 55000.0, 55500.0));
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(3000), true)]);
    assert_eq!(insurance_draws(&r), dec!(1000));
    assert_eq!(r.final_equity, usd(dec!(6970)));
    assert_eq!(r.stats().insurance_fund_draw, usd(dec!(1000)));
}

#[test]
fn under_trader_liable_a_gap_leaves_negative_equity_records_the_ruin_and_stops_trading() {
    // Phase 1: 3,030 USDT, all of it as margin: 1 BTC at 60,000, margin 3,000, fee 30, wallet 0.
    // Phase 2: the mark gaps to 56,000 → the trader bears the 1,000 beyond the margin: −1,000.
    // Phase 3: the strategy flips short and long again; nothing trades any more.
    let bars = [
        (60000.0, 60100.0, 59900.0, 59000.0),
        (56000.0, 56500.0, 55000.0, 55500.0),
        (55500.0, 56000.0, 55000.0, 55800.0),
        (55800.0, 56000.0, 55000.0, 55900.0),
    ];
    let targets = [Desire::Long, Desire::Long, Desire::Short, Desire::Long];
    let mut s = settings(dec!(20), dec!(1));
    s.account.initial_capital = usd(dec!(3030));
    s.account.negative_balance = NegativeBalance::TraderLiable;
    let m = market(&bars);
    let r = run(&m, &signals(&targets, ReentryPolicy::NextSignalChange), &s);
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(4000), true)]);
    assert_eq!(insurance_draws(&r), Decimal::ZERO);
    assert_eq!(r.final_equity, usd(dec!(-1000)));
    assert_eq!(r.ruined, Some(TimestampMs(T0 + HOUR)));
    assert_eq!(r.trades.len(), 1);
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Ruin { .. }))
    );
    // The curve ends at the booked final equity.
    assert!((r.equity.last().unwrap() + 1000.0).abs() < 1e-9);
}

/// 10x long of 1 BTC at 60,000 (margin 6,000), stop 2% (58,800), take-profit 3% (61,800), then an
/// ambiguous bar 60,500 / 62,000 / 58,500 / 60,000 that reaches both.
fn ambiguous_bar_run(policy: IntrabarPolicy) -> wick::results::RunResult<'static> {
    let bars = [
        (60000.0, 60200.0, 59900.0, 60500.0),
        (60500.0, 62000.0, 58500.0, 60000.0),
    ];
    let mut s = settings(dec!(10), dec!(0.6));
    s.risk.stop_loss = Some(Rate(dec!(0.02)));
    s.risk.take_profit = Some(Rate(dec!(0.03)));
    s.execution.intrabar = policy;
    run(leaked(market(&bars)), &hold(Desire::Long, 2), &s)
}

#[test]
fn pessimistic_takes_the_stop_optimistic_and_ohlc_the_take_profit_on_an_ambiguous_bar() {
    // Pessimistic: the stop at 58,800: −1,200 − 30 − 29.40 = −1,259.40.
    let p = ambiguous_bar_run(IntrabarPolicy::Pessimistic);
    assert_eq!(p.trades[0].exit_reason, ExitReason::StopLoss);
    assert_eq!(p.final_equity, usd(dec!(8740.6)));
    // Optimistic: the take-profit at 61,800: +1,800 − 30 − 30.90 = +1,739.10.
    let o = ambiguous_bar_run(IntrabarPolicy::Optimistic);
    assert_eq!(o.trades[0].exit_reason, ExitReason::TakeProfit);
    assert_eq!(o.final_equity, usd(dec!(11739.1)));
    // Ohlc: from the open 60,500 the high (1,500 away) is nearer than the low (2,000): TP first.
    let h = ambiguous_bar_run(IntrabarPolicy::Ohlc);
    assert_eq!(h.trades[0].exit_reason, ExitReason::TakeProfit);
    assert_eq!(h.final_equity, usd(dec!(11739.1)));
    for r in [&p, &o, &h] {
        assert_eq!(r.ambiguous_bars, 1);
        assert_eq!(r.stats().ambiguous_bars, 1);
    }
}

/// 15-minute bars of the two hours above: the second hour rises to 62,000 in its second quarter,
/// then falls to 58,500 in its third.
const QUARTERS: [Ohlc; 8] = [
    (60000.0, 60100.0, 59900.0, 60050.0),
    (60050.0, 60200.0, 60000.0, 60100.0),
    (60100.0, 60150.0, 59950.0, 60000.0),
    (60000.0, 60100.0, 59950.0, 60500.0),
    (60500.0, 61000.0, 60400.0, 60900.0),
    (60900.0, 62000.0, 60800.0, 61900.0),
    (61900.0, 61950.0, 58500.0, 59000.0),
    (59000.0, 60200.0, 58900.0, 60000.0),
];

#[test]
fn detail_replays_the_ambiguous_hour_on_its_quarters_like_a_direct_quarter_hour_run() {
    let detail = candles(T0, 15 * 60_000, &QUARTERS);
    let bars = [
        (60000.0, 60200.0, 59900.0, 60500.0),
        (60500.0, 62000.0, 58500.0, 60000.0),
    ];
    let mut s = settings(dec!(10), dec!(0.6));
    s.risk.stop_loss = Some(Rate(dec!(0.02)));
    s.risk.take_profit = Some(Rate(dec!(0.03)));
    s.execution.intrabar = IntrabarPolicy::Detail;
    let m = market(&bars);
    let r = run_with_detail(&m, &hold(Desire::Long, 2), &s, Some(&detail));
    // The take-profit is reached in the 01:15 quarter, before the fall of 01:30.
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::TakeProfit);
    assert_eq!(t.exit_time, TimestampMs(T0 + HOUR + 15 * 60_000));
    assert_eq!(t.exit_price, Price(dec!(61800.00)));
    assert_eq!(r.ambiguous_bars, 1);

    // The same position replayed directly on the quarters gives the same exit.
    let quarters = wick::market::MarketData {
        candles: detail.clone(),
        mark: Some(mark_of(&QUARTERS)),
        funding: None,
    };
    s.execution.intrabar = IntrabarPolicy::Pessimistic;
    let q = run(&quarters, &hold(Desire::Long, 8), &s);
    let d = &q.trades[0];
    assert_eq!(
        (d.exit_reason, d.exit_time, d.exit_price),
        (t.exit_reason, t.exit_time, t.exit_price)
    );
    assert_eq!(q.final_equity, r.final_equity);
}

#[test]
fn a_take_profit_fills_at_its_level_inside_a_bar_and_at_the_open_beyond_it() {
    // 10x long 1 BTC at 60,000, take-profit 5% = 63,000.
    let mut s = settings(dec!(10), dec!(0.6));
    s.risk.take_profit = Some(Rate(dec!(0.05)));
    // Inside the bar: +3,000 − 30 − 31.50.
    let inside = [
        (60000.0, 60200.0, 59900.0, 60500.0),
        (60500.0, 63500.0, 60200.0, 63200.0),
    ];
    let m = market(&inside);
    let r = run(&m, &hold(Desire::Long, 2), &s);
    assert_eq!(r.trades[0].exit_reason, ExitReason::TakeProfit);
    assert_eq!(r.trades[0].exit_price, Price(dec!(63000.00)));
    assert_eq!(r.final_equity, usd(dec!(12938.5)));
    // Opening above it at 63,500: fills at the open, +3,500 − 30 − 31.75.
    let gap = [
        (60000.0, 60200.0, 59900.0, 60500.0),
        (63500.0, 64000.0, 63400.0, 63800.0),
    ];
    let m = market(&gap);
    let g = run(&m, &hold(Desire::Long, 2), &s);
    assert_eq!(g.trades[0].exit_price, Price(dec!(63500)));
    assert_eq!(g.final_equity, usd(dec!(13438.25)));
}

#[test]
fn a_trailing_stop_trails_the_best_price_of_earlier_bars_only() {
    // 10x long of 0.5 BTC at 60,000 (margin 3,000), trailing 5%.
    let bars = [
        // Bar 0: best so far is the entry, 60,000 → level 57,000; the high 61,000 raises it to 57,950.
        (60000.0, 61000.0, 59800.0, 60800.0),
        // Bar 1: level 57,950. Its own high 64,000 would put the level at 60,800, above this bar's
        // low 60,500 — but a bar's extreme only moves the level for the next bar: no exit.
        (60800.0, 64000.0, 60500.0, 63800.0),
        // Bar 2: level 60,800; the low 60,700 reaches it → fills at 60,800.
        (63800.0, 63900.0, 60700.0, 61000.0),
    ];
    let mut s = settings(dec!(10), dec!(0.3));
    s.risk.trailing_stop = Some(Rate(dec!(0.05)));
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Long, 3), &s);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::TrailingStop);
    assert_eq!(t.exit_time, TimestampMs(T0 + 2 * HOUR));
    assert_eq!(t.exit_price, Price(dec!(60800)));
    // +0.5 × 800 = 400, fees 15 + 15.20.
    assert_eq!(t.pnl, usd(dec!(400)));
    assert_eq!(r.final_equity, usd(dec!(10369.8)));
    assert_eq!(r.stats().stop_outs, 1);
}

#[test]
fn an_open_position_is_closed_at_the_last_close_with_slippage_and_fee() {
    // 1x long 0.1 BTC at 50,000 × (1 + 0.1%) = 50,050 (slippage against the buyer); the data ends at
    // a close of 52,000: sold at 52,000 × (1 − 0.1%) = 51,948.
    let bars = [
        (50000.0, 50500.0, 49500.0, 51000.0),
        (51000.0, 52500.0, 50500.0, 52000.0),
    ];
    let mut s = settings(dec!(1), dec!(0.5005));
    s.execution.slippage = Rate(dec!(0.001));
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Long, 2), &s);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::EndOfData);
    assert_eq!(t.exit_time, TimestampMs(T0 + HOUR));
    assert_eq!(t.entry_price, Price(dec!(50050.000)));
    assert_eq!(t.exit_price, Price(dec!(51948.000)));
    // qty = 5,005 / 50,050 = 0.1; PnL 0.1 × 1,898 = 189.80; fees 2.5025 + 2.5974.
    assert_eq!(t.qty.get(), dec!(0.1));
    assert_eq!(t.pnl, usd(dec!(189.8)));
    assert_eq!(t.fees, usd(dec!(5.0999)));
    assert_eq!(r.final_equity, usd(dec!(10184.7001)));
    assert!((r.equity.last().unwrap() - 10184.7001).abs() < 1e-9);
}
