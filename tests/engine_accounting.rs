//! Scenario tests of the account side of the per-bar contract on synthetic bars: funding timing and
//! its effect on the isolated margin, cross-margin liquidation, sizing, rejections, ruin and bracket
//! table changes. Every run is checked against the all-slow-path reference and reconciled.

#[path = "engine_support/mod.rs"]
mod support;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use support::*;
use wick::config::{MarginMode, Sizing};
use wick::domain::{Leverage, Qty, TimestampMs};
use wick::results::{EventKind, ExitReason, Rejection};
use wick::strategy::{Desire, ReentryPolicy};

const FLAT_50K: Ohlc = (50000.0, 50000.0, 50000.0, 50000.0);

#[test]
fn funding_at_t_is_settled_before_the_fills_at_the_open_of_the_bar_starting_at_t() {
    // Hourly bars from 22:00, all at 50,000; funding of 0.01% at 00:00 and at 08:00.
    // Phase 1: the strategy wants long from the 00:00 open: opened there, it does not pay 00:00.
    // Phase 2: it wants flat from the 08:00 open: closed there, it still pays 08:00.
    // 1x, 5,000 notional = 0.1 BTC: pays 0.1 × 50,000 × 0.0001 = 0.50 once; fees 2.50 + 2.50.
    let bars = [FLAT_50K; 12];
    let start = T0 - 2 * HOUR;
    let mut m = market(&bars);
    m.candles = candles(start, HOUR, &bars);
    let m = with_funding(m, &[(T0, 0.0001), (T0 + 8 * HOUR, 0.0001)]);
    let mut targets = vec![Desire::Flat; 12];
    for t in targets.iter_mut().take(10).skip(2) {
        *t = Desire::Long;
    }
    let r = run(
        &m,
        &signals(&targets, ReentryPolicy::NextSignalChange),
        &settings(dec!(1), dec!(0.5)),
    );
    assert_eq!(funding_amounts(&r), vec![(T0 + 8 * HOUR, dec!(-0.5))]);
    let t = &r.trades[0];
    assert_eq!(
        (t.entry_time, t.exit_time),
        (TimestampMs(T0), TimestampMs(T0 + 8 * HOUR))
    );
    assert_eq!(t.funding.get(), dec!(-0.5));
    assert_eq!(r.final_equity.get(), dec!(9994.5));
    let stats = r.stats();
    assert_eq!(stats.funding_paid.get(), dec!(0.5));
    assert_eq!(stats.funding_received.get(), Decimal::ZERO);
}

#[test]
fn funding_drains_an_isolated_margin_below_zero_while_unrealised_profit_keeps_the_position_alive() {
    // 20x long 0.1 BTC at 50,000: margin 250, liquidation price 4,750 / 0.0996 = 47,690.76.
    // Phase 1 (23:00): the price jumps to 60,000 — 1,000 of unrealised profit.
    // Phase 2: funding of 3% at 00:00 and 08:00 on 6,000 of notional: −180 each, booked into the
    // isolated margin: 250 → 70 → −110. The liquidation price rises to 49,497.99, then to
    // 5,110 / 0.0996 = 51,305.22 — still below the mark, so the position lives with negative margin.
    // Phase 3 (09:00): the price falls to 50,000 and reaches 51,305.22: liquidated. It loses the
    // margin left, −110, so funding + liquidation loss = −360 + 110 = −250 = −initial margin.
    let mut bars = vec![(50000.0, 60000.0, 50000.0, 60000.0)];
    bars.extend([(60000.0, 60000.0, 60000.0, 60000.0); 9]);
    bars.push((60000.0, 60000.0, 50000.0, 50000.0));
    bars.push(FLAT_50K);
    let mut m = market(&bars);
    m.candles = candles(T0 - HOUR, HOUR, &bars);
    let m = with_funding(m, &[(T0, 0.03), (T0 + 8 * HOUR, 0.03)]);
    let r = run(
        &m,
        &hold(Desire::Long, bars.len()),
        &settings(dec!(20), dec!(0.025)),
    );
    assert_eq!(
        funding_amounts(&r),
        vec![(T0, dec!(-180)), (T0 + 8 * HOUR, dec!(-180))]
    );
    assert_eq!(liquidations(&r), vec![(T0 + 9 * HOUR, dec!(-110), false)]);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_price.get().round_dp(2), dec!(51305.22));
    assert_eq!(
        t.liquidation_price_at_entry.unwrap().get().round_dp(2),
        dec!(47690.76)
    );
    assert_eq!(t.funding.get() - (-t.pnl.get()), -t.margin.get());
    // 10,000 − 2.50 opening fee − 250 margin.
    assert_eq!(r.final_equity.get(), dec!(9747.5));
}

#[test]
fn cross_margin_liquidation_leaves_equity_minus_clearance_fee_floored_at_zero() {
    // Cross, 1 BTC long at 60,000 with a 10,000 wallet (fee 30 → 9,970): liquidation price
    // (60,000 − 9,970) / 0.996 = 50,230.92 whatever the leverage (exchange-rules §1.2, V28).
    // At it the equity is 0.4% × 50,230.92 = 200.92; the 1.5% clearance fee is 753.46: left max(0, −552.54) = 0.
    let bars = [
        (60000.0, 60100.0, 59900.0, 60000.0),
        (60000.0, 60000.0, 49000.0, 49500.0),
    ];
    let mut s = settings(dec!(20), dec!(0.3));
    s.account.margin_mode = MarginMode::Cross;
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Long, 2), &s);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_price.get().round_dp(2), dec!(50230.92));
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(9970), false)]);
    assert_eq!(r.final_equity.get(), Decimal::ZERO);
    // Nothing is left to fund a minimum order: the account is ruined at the liquidation.
    assert_eq!(r.ruined, Some(TimestampMs(T0 + HOUR)));
}

#[test]
fn margin_fraction_scales_exposure_with_leverage_and_notional_fraction_does_not() {
    let bars = [FLAT_50K, FLAT_50K];
    let m = market(&bars);
    // margin_fraction 0.5 at 10x: margin 5,000, notional 50,000 = 1 BTC.
    let by_margin = run(&m, &hold(Desire::Long, 2), &settings(dec!(10), dec!(0.5)));
    assert_eq!(by_margin.trades[0].qty, Qty(dec!(1)));
    assert_eq!(by_margin.trades[0].margin.get(), dec!(5000));
    // notional_fraction 0.5 at 10x: notional 5,000 = 0.1 BTC, margin 500.
    let mut s = settings(dec!(10), dec!(0.5));
    s.account.sizing = Sizing::NotionalFraction(dec!(0.5));
    let by_notional = run(&m, &hold(Desire::Long, 2), &s);
    assert_eq!(by_notional.trades[0].qty, Qty(dec!(0.1)));
    assert_eq!(by_notional.trades[0].margin.get(), dec!(500));
}

#[test]
fn a_size_whose_margin_and_fee_do_not_fit_is_reduced_until_they_do() {
    // All equity as margin at 10x would need 10,000 margin + 50 fee. The notional is cut to
    // 10,000 / (0.1 + 0.0005) = 99,502.49 → 1.99004975 BTC at 50,000: margin 9,950.24875, fee 49.75124375.
    let m = market(&[FLAT_50K, FLAT_50K]);
    let r = run(&m, &hold(Desire::Long, 2), &settings(dec!(10), dec!(1)));
    let t = &r.trades[0];
    assert_eq!(t.qty, Qty(dec!(1.99004975)));
    assert_eq!(t.margin.get(), dec!(9950.24875));
    assert!(t.margin.get() + dec!(49.75124375) <= dec!(10000));
}

#[test]
fn an_order_below_the_minimum_notional_is_rejected_and_retried_only_after_the_target_changes() {
    // 0.5% of 10,000 = 50 of notional < 100: rejected at 00:00; the target stays long, so no retry;
    // it turns flat at 02:00 and long again at 03:00: rejected once more.
    let mut s = settings(dec!(1), dec!(0.5));
    s.account.sizing = Sizing::NotionalFraction(dec!(0.005));
    let targets = [Desire::Long, Desire::Long, Desire::Flat, Desire::Long];
    let m = market(&[FLAT_50K; 4]);
    let r = run(&m, &signals(&targets, ReentryPolicy::Immediately), &s);
    let rejections: Vec<i64> = r
        .events
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::Rejection {
                    reason: Rejection::BelowMinNotional { .. }
                }
            )
        })
        .map(|e| e.time.0)
        .collect();
    assert_eq!(rejections, vec![T0, T0 + 3 * HOUR]);
    assert!(r.trades.is_empty());
    assert_eq!(r.ruined, None);
    assert_eq!(r.final_equity.get(), dec!(10000));
}

#[test]
fn an_account_that_cannot_fund_a_minimum_order_is_ruined_and_stays_flat() {
    // 90 USDT at 1x can fund at most 90 / 1.0005 = 89.96 of notional < 100.
    let mut s = settings(dec!(1), dec!(1));
    s.account.initial_capital = usd(dec!(90));
    let m = market(&[FLAT_50K; 3]);
    let r = run(&m, &hold(Desire::Long, 3), &s);
    assert_eq!(r.ruined, Some(TimestampMs(T0)));
    assert!(r.trades.is_empty());
    assert_eq!(r.final_equity.get(), dec!(90));
    assert_eq!(r.stats().ruined, Some(TimestampMs(T0)));
}

#[test]
fn leverage_above_the_bracket_limit_is_rejected() {
    // The 2025-08-21 table allows at most 150x in bracket 1 (exchange-rules §1.1): 200x is refused.
    let m = market(&[FLAT_50K; 2]);
    let r = run(&m, &hold(Desire::Long, 2), &settings(dec!(200), dec!(0.01)));
    assert!(r.trades.is_empty());
    let refused = r.events.iter().find_map(|e| match &e.kind {
        EventKind::Rejection {
            reason: Rejection::LeverageRefused { reason, .. },
        } => Some(reason.clone()),
        _ => None,
    });
    assert!(refused.unwrap().contains("150"));
}

#[test]
fn a_bracket_table_change_recomputes_the_liquidation_price_of_an_open_position() {
    // A 20x long of 1 BTC at 60,000 opened on 2025-06-18 22:00 under the 2024-05-30 table: at its
    // liquidation price the notional is in bracket 2 (0.5%, cum 50): LP = 56,950 / 0.995 = 57,236.18.
    // At the 2025-06-19 00:00 bar the new table puts it in bracket 1 (0.4%, cum 0): 57,000 / 0.996 = 57,228.92.
    let start = 1_750_284_000_000; // 2025-06-18 22:00 UTC
    let bars = [(60000.0, 60100.0, 59900.0, 60000.0); 4];
    let mut m = market(&bars);
    m.candles = candles(start, HOUR, &bars);
    let r = run(&m, &hold(Desire::Long, 4), &twenty_x_one_btc());
    let change = r.events.iter().find_map(|e| match &e.kind {
        EventKind::BracketTableChange {
            liquidation_price_before,
            liquidation_price_after,
            ..
        } => Some((
            e.time.0,
            *liquidation_price_before,
            *liquidation_price_after,
        )),
        _ => None,
    });
    let (time, before, after) = change.unwrap();
    assert_eq!(time, start + 2 * HOUR);
    assert_eq!(before.unwrap().get().round_dp(2), dec!(57236.18));
    assert_eq!(after.unwrap().get().round_dp(2), dec!(57228.92));
    assert_eq!(
        r.trades[0]
            .liquidation_price_at_entry
            .unwrap()
            .get()
            .round_dp(2),
        dec!(57236.18)
    );
    assert_eq!(r.trades[0].leverage, Leverage(dec!(20)));
}

#[test]
fn a_run_before_the_first_known_bracket_table_uses_the_earliest_and_warns() {
    let start = 1_609_459_200_000; // 2021-01-01 00:00 UTC
    let mut m = market(&[FLAT_50K; 2]);
    m.candles = candles(start, HOUR, &[FLAT_50K; 2]);
    let r = run(&m, &hold(Desire::Long, 2), &settings(dec!(10), dec!(0.1)));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("before the first known bracket table"))
    );
}

#[test]
fn without_mark_data_every_output_carries_the_last_price_warning() {
    let mut m = market(&[FLAT_50K; 2]);
    m.mark = None;
    let r = run(&m, &hold(Desire::Long, 2), &settings(dec!(10), dec!(0.1)));
    assert!(
        r.warnings
            .iter()
            .any(|w| w == wick::engine::LAST_PRICE_WARNING)
    );
    assert!(
        r.stats()
            .warnings
            .iter()
            .any(|w| w == wick::engine::LAST_PRICE_WARNING)
    );
    assert_eq!(r.trades[0].exit_reason, ExitReason::EndOfData);
}

#[test]
fn a_table_that_lowers_the_leverage_limit_leaves_the_open_position_and_warns() {
    // 40x long of 15 BTC at 20,000 (300,000 notional, bracket 3) opened on 2022-11-24 22:00, when
    // bracket 3 allowed 50x. The 2022-11-25 table allows 25x there: the position stays, with a warning.
    let start = 1_669_327_200_000; // 2022-11-24 22:00 UTC
    let bars = [(20000.0, 20050.0, 19950.0, 20000.0); 4];
    let mut m = market(&bars);
    m.candles = candles(start, HOUR, &bars);
    let r = run(&m, &hold(Desire::Long, 4), &settings(dec!(40), dec!(0.75)));
    assert_eq!(r.trades.len(), 1);
    assert_eq!(r.trades[0].qty, Qty(dec!(15)));
    assert_eq!(r.trades[0].exit_reason, ExitReason::EndOfData);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("lowered the leverage limit"))
    );
    let warned_at = r.events.iter().find_map(|e| match &e.kind {
        EventKind::Warning { message } if message.contains("25") => Some(e.time.0),
        _ => None,
    });
    assert_eq!(warned_at, Some(start + 2 * HOUR));
}
