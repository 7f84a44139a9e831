//! The built-in strategies on the real Binance BTCUSDT 1h history in ../shared/data: the signal
//! column equals a slow, obviously-correct recomputation, and cutting the history short never
//! changes a signal before the cut.

mod common;

use std::path::Path;

use wick::config;
use wick::market::{LoadOptions, MarketData, load_market};
use wick::strategy::{Desire, StrategySpec};

/// The market of strategies/sma_crossover.toml (candles, mark, funding), or `None` when the
/// shared data folder is absent.
fn real_market() -> Option<MarketData> {
    common::shared_data()?;
    let s = config::load(Path::new("strategies/sma_crossover.toml")).unwrap();
    let d = &s.data;
    let loaded = load_market(
        &d.candles,
        d.mark.as_deref(),
        d.funding.as_deref(),
        &LoadOptions::default(),
    );
    Some(loaded.unwrap_or_else(|e| panic!("{e}")).data)
}

/// The same market, with every bar opening at or after `cut` and every settlement at or after
/// `cut` removed.
fn cut_at(m: &MarketData, cut: i64) -> MarketData {
    let mut out = m.clone();
    let n = m.candles.time.partition_point(|&t| t < cut);
    let c = &mut out.candles;
    for col in [
        &mut c.open,
        &mut c.high,
        &mut c.low,
        &mut c.close,
        &mut c.volume,
    ] {
        col.truncate(n);
    }
    c.time.truncate(n);
    if let Some(f) = &mut out.funding {
        let k = f.time.partition_point(|&t| t < cut);
        f.time.truncate(k);
        f.rate.truncate(k);
        f.mark.truncate(k);
    }
    out
}

#[test]
fn sma_20_100_crossover_on_real_data_equals_averages_summed_window_by_window() {
    let Some(market) = real_market() else { return };
    let spec = config::load(Path::new("strategies/sma_crossover.toml"))
        .unwrap()
        .strategy;
    let signals = spec.signals(&market);
    let close = &market.candles.close;
    // The slow way: sum each window afresh; the regime is kept while the averages are equal.
    let mean = |end: usize, len: usize| close[end + 1 - len..=end].iter().sum::<f64>() / len as f64;
    let mut regime = Desire::Flat;
    let mut expected = vec![Desire::Flat];
    for i in 0..close.len() - 1 {
        if i + 1 >= 100 {
            let (fast, slow) = (mean(i, 20), mean(i, 100));
            // Sums in a different order differ in the last bits; treat near-ties as ties.
            if fast > slow + 1e-6 {
                regime = Desire::Long;
            } else if fast < slow - 1e-6 {
                regime = Desire::Short;
            }
        }
        expected.push(regime);
    }
    let differing = (0..expected.len())
        .filter(|&i| signals.target_at_open(i) != expected[i])
        .count();
    assert_eq!(
        differing,
        0,
        "{differing} of {} opens differ",
        expected.len()
    );
    let crossings = (1..signals.len())
        .filter(|&i| signals.changed_at_open(i))
        .count();
    assert!(
        crossings > 100,
        "only {crossings} crossings in six and a half years of hourly bars"
    );
}

#[test]
fn funding_carry_on_real_data_averages_exactly_the_settlements_known_at_each_close() {
    let Some(market) = real_market() else { return };
    let spec = config::load(Path::new("strategies/funding_carry.toml"))
        .unwrap()
        .strategy;
    let StrategySpec::FundingCarry(p) = &spec else {
        panic!("funding_carry.toml holds {spec}")
    };
    let signals = spec.signals(&market);
    let (c, f) = (&market.candles, market.funding.as_ref().unwrap());
    let mut shorts = 0;
    for i in 0..c.len() - 1 {
        // Known at the close of bar i: settled strictly before that close.
        let close_time = c.time[i] + c.interval.ms();
        let known = &f.rate[..f.time.partition_point(|&t| t < close_time)];
        let want = if known.len() < p.average_over {
            Desire::Flat
        } else {
            let mean =
                known[known.len() - p.average_over..].iter().sum::<f64>() / p.average_over as f64;
            if mean > p.short_above {
                Desire::Short
            } else if mean < p.long_below {
                Desire::Long
            } else {
                Desire::Flat
            }
        };
        shorts += usize::from(want == Desire::Short);
        assert_eq!(signals.target_at_open(i + 1), want, "open of bar {i} + 1");
    }
    assert!(shorts > 0, "funding never ran hot in the real history?");
}

#[test]
fn cutting_the_real_history_at_2022_01_01_changes_no_signal_before_the_cut() {
    let Some(market) = real_market() else { return };
    let cut = 1_640_995_200_000; // 2022-01-01 00:00 UTC
    let short = cut_at(&market, cut);
    for path in [
        "buy_and_hold",
        "sma_crossover",
        "ema_crossover",
        "donchian_breakout",
        "rsi_mean_reversion",
        "funding_carry",
    ] {
        let spec = config::load(Path::new(&format!("strategies/{path}.toml")))
            .unwrap()
            .strategy;
        let (full, part) = (spec.signals(&market), spec.signals(&short));
        assert_eq!(part.targets(), &full.targets()[..part.len()], "{path}");
    }
}
