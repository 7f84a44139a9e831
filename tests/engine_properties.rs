//! Invariants of the engine on random bar series and random settings (proptest, modest case counts):
//! the ledger reconciles exactly, the fast path gives exactly what the full per-bar contract gives,
//! a 1x long never liquidates (without funding, which can drain an isolated margin), and the same
//! input gives the same output.

#[path = "engine_support/mod.rs"]
mod support;

use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use support::*;
use wick::config::{IntrabarPolicy, MarginMode, NegativeBalance, RunSettings, Sizing};
use wick::domain::{Leverage, Rate};
use wick::market::MarketData;
use wick::strategy::{Desire, ReentryPolicy, Signals};

/// A random walk from 30,000: per bar a close-to-close return, upper and lower wicks, and a mark that
/// differs from the last price by a small factor.
fn bars_strategy() -> impl Strategy<Value = Vec<(f64, f64, f64, f64)>> {
    prop::collection::vec(
        (-0.03f64..0.03, 0.0f64..0.02, 0.0f64..0.02, -0.002f64..0.002),
        20..160,
    )
}

fn build(steps: &[(f64, f64, f64, f64)], funding: bool) -> MarketData {
    let mut last = Vec::new();
    let mut mark = Vec::new();
    let mut price: f64 = 30_000.0;
    for &(ret, up, down, basis) in steps {
        let open = price;
        let close = (open * (1.0 + ret)).max(100.0);
        let high = open.max(close) * (1.0 + up);
        let low = open.min(close) * (1.0 - down);
        let r = |v: f64| (v * 100.0).round() / 100.0;
        let bar = (
            r(open),
            r(high).max(r(open)).max(r(close)),
            r(low).min(r(open)).min(r(close)),
            r(close),
        );
        last.push(bar);
        let f = 1.0 + basis;
        mark.push((r(bar.0 * f), r(bar.1 * f), r(bar.2 * f), r(bar.3 * f)));
        price = bar.3;
    }
    let mut m = MarketData {
        candles: candles(T0, HOUR, &last),
        mark: Some(mark_of(&mark)),
        funding: None,
    };
    // Mark candles must bracket their own open/close; the scaling above keeps that.
    if funding {
        let settlements: Vec<(i64, f64)> = (0..steps.len() as i64 / 8 + 1)
            .map(|k| (T0 + k * 8 * HOUR, if k % 3 == 0 { -0.0004 } else { 0.0007 }))
            .collect();
        m = with_funding(m, &settlements);
    }
    m
}

fn targets_from(codes: &[u8], n: usize) -> Vec<Desire> {
    (0..n)
        .map(|i| match codes[i % codes.len()] % 3 {
            0 => Desire::Flat,
            1 => Desire::Long,
            _ => Desire::Short,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn random_settings(
    leverage: u32,
    fraction: u32,
    by_notional: bool,
    cross: bool,
    stop: Option<u32>,
    take: Option<u32>,
    trail: Option<u32>,
    policy: u8,
    liable: bool,
    slippage_bps: u32,
) -> RunSettings {
    let mut s = settings(Decimal::from(leverage), Decimal::from(fraction) / dec!(100));
    if by_notional {
        s.account.sizing = Sizing::NotionalFraction(Decimal::from(fraction) / dec!(100));
    }
    if cross {
        s.account.margin_mode = MarginMode::Cross;
    }
    let pct = |v: u32| Rate(Decimal::from(v) / dec!(1000));
    s.risk.stop_loss = stop.map(pct);
    s.risk.take_profit = take.map(pct);
    s.risk.trailing_stop = trail.map(pct);
    s.execution.intrabar = [
        IntrabarPolicy::Pessimistic,
        IntrabarPolicy::Optimistic,
        IntrabarPolicy::Ohlc,
    ][policy as usize % 3];
    if liable {
        s.account.negative_balance = NegativeBalance::TraderLiable;
    }
    s.execution.slippage = Rate(Decimal::from(slippage_bps) / dec!(10000));
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_ledger_reconciles_and_the_fast_path_matches_the_full_contract_on_random_runs(
        steps in bars_strategy(),
        codes in prop::collection::vec(any::<u8>(), 1..12),
        leverage in 1u32..60,
        fraction in 5u32..100,
        by_notional in any::<bool>(),
        cross in any::<bool>(),
        stop in prop::option::of(5u32..80),
        take in prop::option::of(5u32..120),
        trail in prop::option::of(5u32..80),
        policy in 0u8..3,
        liable in any::<bool>(),
        slippage_bps in 0u32..5,
        immediately in any::<bool>(),
    ) {
        let m = build(&steps, true);
        let policy_reentry = if immediately { ReentryPolicy::Immediately } else { ReentryPolicy::NextSignalChange };
        let sig = Signals::new(targets_from(&codes, steps.len()), policy_reentry, 0);
        let s = random_settings(leverage, fraction, by_notional, cross, stop, take, trail, policy, liable, slippage_bps);
        // `run` checks the reference and the reconciliation itself.
        let r = run(&m, &sig, &s);
        prop_assert_eq!(r.equity.len(), steps.len());
        prop_assert!(r.bars_in_position <= r.bars);
    }

    #[test]
    fn a_1x_long_never_liquidates(
        steps in bars_strategy(),
        fraction in 5u32..=100,
        cross in any::<bool>(),
        codes in prop::collection::vec(0u8..2, 1..6),
    ) {
        let m = build(&steps, false);
        let targets: Vec<Desire> = targets_from(&codes, steps.len());
        let sig = Signals::new(targets, ReentryPolicy::NextSignalChange, 0);
        let mut s = settings(dec!(1), Decimal::from(fraction) / dec!(100));
        if cross {
            s.account.margin_mode = MarginMode::Cross;
        }
        let r = run(&m, &sig, &s);
        prop_assert!(liquidations(&r).is_empty());
        prop_assert!(r.trades.iter().all(|t| t.liquidation_price_at_entry.is_none()));
    }

    #[test]
    fn the_same_input_gives_the_same_output(
        steps in bars_strategy(),
        codes in prop::collection::vec(any::<u8>(), 1..12),
        leverage in 1u32..100,
    ) {
        let m = build(&steps, true);
        let sig = Signals::new(targets_from(&codes, steps.len()), ReentryPolicy::NextSignalChange, 0);
        let mut s = settings(Decimal::from(leverage), dec!(0.2));
        s.risk.stop_loss = Some(Rate(dec!(0.02)));
        s.account.leverage = Leverage(Decimal::from(leverage));
        let a = run(&m, &sig, &s);
        let b = wick::engine::run(&m, &sig, &s, &schedule(), None);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.stats(), b.stats());
    }
}
