//! The tree search against the O(n²) oracle: on every series — random walks with wicks, mark
//! candles with holes, bracket-table changes, stops and funding — both give exactly the same map.

mod survival_support;

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use survival_support::*;
use wick::domain::{Leverage, Side, TimestampMs};
use wick::exchange::BracketSchedule;
use wick::market::MarketData;
use wick::survival::{Method, Settings, liquidation_map_with};

/// A seeded random walk with `n` hourly bars: volatile enough that high leverage is liquidated
/// often and low leverage sometimes. The mark follows the last price with a small basis and misses
/// a candle now and then; funding settles every 8th bar.
fn random_market(seed: u64, n: usize, start: i64, vol: f64) -> MarketData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = 60_000.0;
    let mut last = Vec::with_capacity(n);
    let mut mark = Vec::with_capacity(n);
    for _ in 0..n {
        let open: f64 = p;
        let close = open * (1.0 + vol * (rng.random::<f64>() - 0.5));
        let high = open.max(close) * (1.0 + vol * 0.5 * rng.random::<f64>());
        let low = open.min(close) * (1.0 - vol * 0.5 * rng.random::<f64>());
        last.push((open, high, low, close));
        let basis = 1.0 + 0.001 * (rng.random::<f64>() - 0.5);
        let covered = rng.random::<f64>() > 0.05;
        // The mark ignores part of each wick (exchange-rules §3).
        let (mh, ml) = (
            open.max(close) + 0.7 * (high - open.max(close)),
            open.min(close) - 0.7 * (open.min(close) - low),
        );
        mark.push(covered.then_some((open * basis, mh * basis, ml * basis, close * basis)));
        p = close;
    }
    let mut m = market(start, &last, Some(&mark));
    let settle: Vec<usize> = (0..n).filter(|k| k % 8 == 0).collect();
    let mut f = funding(start, &settle, 0.0, f64::NAN);
    f.rate = settle
        .iter()
        .map(|_| 0.003 * (rng.random::<f64>() - 0.3))
        .collect();
    m.funding = Some(f);
    m
}

fn agree(m: &MarketData, s: &Settings) {
    let schedule = BracketSchedule::binance_btcusdt();
    let fast = liquidation_map_with(m, &schedule, s, Method::Tree).unwrap();
    let slow = liquidation_map_with(m, &schedule, s, Method::BruteForce).unwrap();
    assert_eq!(fast, slow);
}

fn all_settings() -> Vec<Settings> {
    let leverages: Vec<Leverage> = [1, 2, 5, 10, 20, 50, 100, 125, 150]
        .into_iter()
        .map(|l| Leverage(l.into()))
        .collect();
    let base = Settings {
        leverages,
        sides: vec![Side::Long, Side::Short],
        ..Settings::default()
    };
    vec![
        base.clone(),
        Settings {
            stop_loss: Some(0.01),
            ..base.clone()
        },
        Settings {
            funding: true,
            ..base.clone()
        },
        Settings {
            funding: true,
            stop_loss: Some(0.03),
            ..base
        },
    ]
}

#[test]
fn tree_and_oracle_agree_on_a_volatile_year_across_bracket_table_changes() {
    // 2,000 hours from 2025-05-01: the 2025-06-19 and 2025-08-21 tables take effect mid-series (150x
    // becomes possible only from the second).
    let start = TimestampMs::parse_user("2025-05-01").unwrap().get();
    let m = random_market(7, 2_000, start, 0.03);
    for s in all_settings() {
        agree(&m, &s);
    }
}

#[test]
fn tree_and_oracle_agree_on_the_bars_of_a_from_to_window() {
    let m = random_market(11, 600, june_2024(), 0.02);
    for s in all_settings() {
        agree(
            &m,
            &Settings {
                bars: Some(100..450),
                ..s
            },
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn tree_and_oracle_agree_on_random_series(seed in any::<u64>(), n in 1usize..260, vol in 0.001f64..0.08, pick in 0usize..4) {
        let m = random_market(seed, n, june_2024(), vol);
        agree(&m, &all_settings()[pick]);
    }

    #[test]
    fn tree_and_oracle_agree_on_flat_series_where_levels_touch_exactly(n in 2usize..120, k in 0usize..120) {
        // Prices on a coarse grid, so that highs and lows land exactly on the same values many times:
        // ties (the level reached exactly) must resolve the same way.
        let bars: Vec<Bar> = (0..n).map(|i| {
            let p = if (i + k) % 7 == 0 { 50_000.0 } else { 60_000.0 };
            (60_000.0, 60_000.0f64.max(p + 10_000.0 * ((i + k) % 3 == 0) as u8 as f64), p, 60_000.0)
        }).collect();
        let m = market(june_2024(), &bars, None);
        agree(&m, &all_settings()[0]);
    }
}
