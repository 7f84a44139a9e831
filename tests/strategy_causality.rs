//! Signals are causal: the position wanted at the open of bar j depends on bars 0..j only, and on
//! the funding rates settled before bar j opened. Rewriting the future never changes the past.

use proptest::prelude::*;
use wick::domain::{Interval, Side};
use wick::market::{Candles, FundingSeries, MarketData};
use wick::strategy::{
    BuyAndHoldParams, CrossoverParams, DonchianParams, FundingCarryParams, Mode, RsiParams,
    StrategySpec,
};

const T0: i64 = 1_577_836_800_000; // 2020-01-01 00:00 UTC
const HOUR: i64 = 3_600_000;

/// Hourly bars from per-bar (return, upper wick, lower wick) triples, and a funding settlement
/// every 8 bars with the given rates.
fn market(moves: &[(f64, f64, f64)], rates: &[f64]) -> MarketData {
    let n = moves.len();
    let mut c = Candles {
        source: "proptest".into(),
        interval: Interval::HOUR,
        synthetic: true,
        ..Candles::default()
    };
    let mut close = 30_000.0;
    for (i, &(r, up, down)) in moves.iter().enumerate() {
        let open = close;
        close = open * (1.0 + r);
        c.time.push(T0 + i as i64 * HOUR);
        c.open.push(open);
        c.close.push(close);
        c.high.push(open.max(close) * (1.0 + up));
        c.low.push(open.min(close) * (1.0 - down));
        c.volume.push(1.0);
    }
    let settlements = n.div_ceil(8).min(rates.len());
    let funding = FundingSeries {
        source: "proptest".into(),
        time: (0..settlements).map(|k| T0 + 8 * k as i64 * HOUR).collect(),
        rate: rates[..settlements].to_vec(),
        mark: vec![f64::NAN; settlements],
    };
    MarketData {
        candles: c,
        mark: None,
        funding: Some(funding),
    }
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::LongOnly),
        Just(Mode::ShortOnly),
        Just(Mode::Both)
    ]
}

fn spec() -> impl Strategy<Value = StrategySpec> {
    prop_oneof![
        prop_oneof![Just(Side::Long), Just(Side::Short)]
            .prop_map(|side| StrategySpec::BuyAndHold(BuyAndHoldParams { side })),
        (1usize..8, 1usize..12, mode(), any::<bool>()).prop_map(|(fast, extra, mode, ema)| {
            let p = CrossoverParams {
                fast,
                slow: fast + extra,
                mode,
            };
            if ema {
                StrategySpec::EmaCrossover(p)
            } else {
                StrategySpec::SmaCrossover(p)
            }
        }),
        (1usize..15, 1usize..10, mode()).prop_map(|(entry_period, exit_period, mode)| {
            StrategySpec::DonchianBreakout(DonchianParams {
                entry_period,
                exit_period,
                mode,
            })
        }),
        (1usize..10, 10.0..40.0f64, 60.0..90.0f64, mode()).prop_map(|(period, lo, hi, mode)| {
            let p = RsiParams {
                period,
                oversold: lo,
                overbought: hi,
                exit: 50.0,
                mode,
            };
            StrategySpec::RsiMeanReversion(p)
        }),
        (1usize..4, 0.0..0.0005f64, mode()).prop_map(|(average_over, short_above, mode)| {
            let p = FundingCarryParams {
                short_above,
                long_below: 0.0,
                average_over,
                mode,
            };
            StrategySpec::FundingCarry(p)
        }),
    ]
}

fn moves(n: usize) -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    prop::collection::vec((-0.03..0.03f64, 0.0..0.01f64, 0.0..0.01f64), n)
}

fn rates(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-0.001..0.001f64, n)
}

proptest! {
    #[test]
    fn rewriting_bars_and_funding_after_bar_k_leaves_every_target_up_to_the_open_of_k_plus_1_unchanged(
        spec in spec(),
        (past, future, k) in (20usize..120).prop_flat_map(|n| (moves(n), moves(n), 0..n - 1)),
        (past_rates, future_rates) in (rates(16), rates(16)),
    ) {
        prop_assume!(spec.validate().is_ok());
        let n = past.len();
        // Bars after k come from `future`; so do the funding rates settled at or after the close
        // of bar k (settlement k8 happens at hour 8·s, known only from then on).
        let mut mixed = past.clone();
        mixed[k + 1..].copy_from_slice(&future[k + 1..]);
        let first_unknown = (k + 1).div_ceil(8);
        let mut mixed_rates = past_rates.clone();
        mixed_rates[first_unknown..].copy_from_slice(&future_rates[first_unknown..]);

        let a = spec.signals(&market(&past, &past_rates));
        let b = spec.signals(&market(&mixed, &mixed_rates));
        prop_assert_eq!(a.len(), n);
        prop_assert_eq!(b.len(), n);
        prop_assert_eq!(&a.targets()[..=k + 1], &b.targets()[..=k + 1]);
    }

    #[test]
    fn the_same_market_gives_the_same_signals(spec in spec(), m in moves(60), r in rates(8)) {
        prop_assume!(spec.validate().is_ok());
        let data = market(&m, &r);
        prop_assert_eq!(spec.signals(&data), spec.signals(&data));
    }
}
