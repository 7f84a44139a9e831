//! The short side of the per-bar contract on synthetic bars, with the seed example of
//! exchange-rules §6.1: a 20x short of 1 BTC at 60,000 while the price rises to 65,000.

#[path = "engine_support/mod.rs"]
mod support;

use rust_decimal_macros::dec;
use support::*;
use wick::config::MarginMode;
use wick::domain::{Price, Rate, TimestampMs};
use wick::results::ExitReason;
use wick::strategy::Desire;

#[test]
fn a_20x_short_is_liquidated_when_the_mark_high_reaches_62749() {
    // Short 1 BTC at 60,000, margin 3,000 (fee 30): LP = 60,000 × 1.05 / 1.004 = 62,749.00 (V01).
    // Bar 1 rises to 65,000; the mark reaches 62,749.00 on the way: −3,000 − 30 = −3,030.
    let bars = [
        (60000.0, 60100.0, 59900.0, 60500.0),
        (60500.0, 65000.0, 60400.0, 64800.0),
    ];
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Short, 2), &twenty_x_one_btc());
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::Liquidation);
    assert_eq!(t.exit_price.get().round_dp(2), dec!(62749.00));
    assert_eq!(t.net().get(), dec!(-3030));
    assert_eq!(r.final_equity.get(), dec!(6970));
    // Closest approach to liquidation: reached, so 0%.
    assert_eq!(r.stats().closest_approach_to_liquidation_pct, Some(0.0));
}

#[test]
fn a_short_stop_above_the_entry_fills_at_the_stop_and_a_short_take_profit_below_it() {
    // 10x short 1 BTC at 60,000 (margin 6,000): stop 2% above (61,200), take-profit 3% below (58,200).
    let mut s = settings(dec!(10), dec!(0.6));
    s.risk.stop_loss = Some(Rate(dec!(0.02)));
    s.risk.take_profit = Some(Rate(dec!(0.03)));
    let up = [
        (60000.0, 60100.0, 59900.0, 60500.0),
        (60500.0, 61500.0, 60400.0, 61000.0),
    ];
    let m = market(&up);
    let r = run(&m, &hold(Desire::Short, 2), &s);
    assert_eq!(r.trades[0].exit_reason, ExitReason::StopLoss);
    assert_eq!(r.trades[0].exit_price, Price(dec!(61200.00)));
    // −1,200 − 30 − 30.60.
    assert_eq!(r.final_equity.get(), dec!(8739.4));
    let down = [
        (60000.0, 60100.0, 59900.0, 59500.0),
        (59500.0, 59600.0, 58000.0, 58100.0),
    ];
    let m = market(&down);
    let d = run(&m, &hold(Desire::Short, 2), &s);
    assert_eq!(d.trades[0].exit_reason, ExitReason::TakeProfit);
    assert_eq!(d.trades[0].exit_price, Price(dec!(58200.00)));
    // +1,800 − 30 − 29.10.
    assert_eq!(d.final_equity.get(), dec!(11740.9));
}

#[test]
fn a_short_trailing_stop_trails_the_lowest_price_of_earlier_bars() {
    // 10x short 0.5 BTC at 60,000, trailing 5%: bar 0's low 58,000 puts the level at 60,900;
    // bar 1 rises to 61,000 and reaches it.
    let bars = [
        (60000.0, 60100.0, 58000.0, 58500.0),
        (58500.0, 61000.0, 58400.0, 60800.0),
    ];
    let mut s = settings(dec!(10), dec!(0.3));
    s.risk.trailing_stop = Some(Rate(dec!(0.05)));
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Short, 2), &s);
    let t = &r.trades[0];
    assert_eq!(t.exit_reason, ExitReason::TrailingStop);
    assert_eq!(t.exit_time, TimestampMs(T0 + HOUR));
    assert_eq!(t.exit_price, Price(dec!(60900.00)));
    // −0.5 × 900 = −450; fees 15 + 15.225.
    assert_eq!(r.final_equity.get(), dec!(9519.775));
}

#[test]
fn a_cross_short_gapping_through_its_bankruptcy_price_draws_the_insurance_fund() {
    // Cross, short 1 BTC at 60,000 with a 10,000 wallet (9,970 after the fee). The mark opens at
    // 71,000: equity there is 9,970 − 11,000 = −1,030 → the insurance fund covers 1,030, the
    // wallet ends at 0 and the account is ruined.
    let bars = [
        (60000.0, 60100.0, 59900.0, 60000.0),
        (71000.0, 71500.0, 70500.0, 71200.0),
    ];
    let mut s = settings(dec!(20), dec!(0.3));
    s.account.margin_mode = MarginMode::Cross;
    let m = market(&bars);
    let r = run(&m, &hold(Desire::Short, 2), &s);
    assert_eq!(liquidations(&r), vec![(T0 + HOUR, dec!(9970), true)]);
    assert_eq!(insurance_draws(&r), dec!(1030));
    assert_eq!(r.final_equity.get(), dec!(0));
    assert_eq!(r.ruined, Some(TimestampMs(T0 + HOUR)));
}
