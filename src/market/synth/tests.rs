use super::*;
use crate::market::{LoadOptions, load_candles, load_funding, load_mark};

fn params(bars: usize, seed: u64) -> SynthParams {
    SynthParams {
        bars,
        seed,
        ..SynthParams::default()
    }
}

#[test]
fn the_same_seed_writes_identical_bytes_and_another_seed_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let write_csv = |name: &str, seed: u64| {
        let paths = paths_for(&dir.path().join(name), &params(5_000, seed));
        write(&generate(&params(5_000, seed)), &paths).unwrap();
        (
            std::fs::read(&paths.candles).unwrap(),
            std::fs::read(&paths.mark).unwrap(),
            std::fs::read(&paths.funding).unwrap(),
        )
    };
    let a = write_csv("a.csv", 42);
    let b = write_csv("b.csv", 42);
    let c = write_csv("c.csv", 43);
    assert_eq!(a, b);
    assert_ne!(a.0, c.0);
}

#[test]
fn synthetic_files_load_back_clean_and_say_they_are_synthetic() {
    let dir = tempfile::tempdir().unwrap();
    let p = params(20_000, 7);
    let paths = paths_for(&dir.path().join("btc.parquet"), &p);
    assert!(
        paths
            .candles
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("synth-btc")
    );
    write_owned(generate(&p), &paths).unwrap();
    let opts = LoadOptions::default();
    let candles = load_candles(&paths.candles, &opts).unwrap();
    assert!(candles.candles.synthetic && candles.report.synthetic);
    assert_eq!(
        (candles.candles.len(), candles.candles.interval),
        (20_000, Interval::MINUTE)
    );
    let mark = load_mark(&paths.mark, &candles.candles, &opts).unwrap();
    assert_eq!(mark.mark.uncovered, 0);
    let funding = load_funding(&paths.funding, &opts).unwrap();
    assert!(funding.report.synthetic);
}

#[test]
fn annualised_volatility_is_btc_like_and_prices_stay_positive() {
    // A year of hourly bars: realised volatility of close-to-close log returns.
    let p = SynthParams {
        bars: 24 * 365,
        interval: Interval::HOUR,
        seed: 3,
        ..SynthParams::default()
    };
    let s = generate(&p);
    let c = &s.candles.close;
    let r: Vec<f64> = c.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    let mean = r.iter().sum::<f64>() / r.len() as f64;
    let var = r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / r.len() as f64;
    let annual = (var * 24.0 * 365.25).sqrt();
    assert!(
        (0.5..0.95).contains(&annual),
        "annualised volatility {annual}"
    );
    assert!(s.candles.low.iter().all(|&l| l > 0.0));
}

#[test]
fn returns_have_fat_tails_and_volatility_clusters() {
    let s = generate(&params(200_000, 11));
    let c = &s.candles.close;
    let r: Vec<f64> = c.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    let n = r.len() as f64;
    let var = r.iter().map(|x| x * x).sum::<f64>() / n;
    let kurtosis = r.iter().map(|x| x.powi(4)).sum::<f64>() / n / (var * var);
    assert!(kurtosis > 5.0, "kurtosis {kurtosis} (normal is 3)");
    // Clustering: squared returns are positively autocorrelated.
    let sq: Vec<f64> = r.iter().map(|x| x * x - var).collect();
    let lag1 =
        sq.windows(2).map(|w| w[0] * w[1]).sum::<f64>() / sq.iter().map(|x| x * x).sum::<f64>();
    assert!(lag1 > 0.02, "autocorrelation of squared returns {lag1}");
}

#[test]
fn mark_wicks_are_smaller_than_last_price_wicks() {
    let s = generate(&params(50_000, 5));
    let (c, m) = (&s.candles, &s.mark);
    let wick = |h: f64, l: f64, o: f64, cl: f64| (h - o.max(cl)) + (o.min(cl) - l);
    let last: f64 = (0..c.len())
        .map(|i| wick(c.high[i], c.low[i], c.open[i], c.close[i]))
        .sum();
    let mark: f64 = (0..c.len())
        .map(|i| wick(m.high[i], m.low[i], m.open[i], m.close[i]))
        .sum();
    assert!(mark < 0.8 * last, "mark wicks {mark} vs last {last}");
    // The basis is small: mark close within 0.5% of the last close on every bar.
    assert!((0..c.len()).all(|i| (m.close[i] / c.close[i] - 1.0).abs() < 0.005));
}

#[test]
fn funding_settles_every_8h_at_0_8_16_utc_within_the_cap() {
    // A year of hourly bars from 2020-01-01 00:00: 365 days × 3 settlements.
    let p = SynthParams {
        bars: 24 * 365,
        interval: Interval::HOUR,
        seed: 9,
        ..SynthParams::default()
    };
    let s = generate(&p);
    let f = &s.funding;
    assert_eq!(f.len(), 365 * 3);
    assert!(f.time.iter().all(|t| t % (8 * 3_600_000) == 0));
    assert!(f.rate.iter().all(|r| r.abs() <= 0.003));
    let mean = f.rate.iter().sum::<f64>() / f.len() as f64;
    assert!((0.00005..0.00025).contains(&mean), "mean funding {mean}");
    assert!(f.rate.iter().any(|r| r.abs() > 0.0005), "no spikes");
    assert!(f.mark.iter().all(|m| *m > 0.0));
}

#[test]
fn out_paths_always_carry_the_synth_prefix() {
    let p = params(10, 42);
    let dir = tempfile::tempdir().unwrap();
    let in_dir = paths_for(dir.path(), &p);
    assert_eq!(in_dir.candles, dir.path().join("synth-btc-1m-s42.parquet"));
    assert_eq!(
        in_dir.mark,
        dir.path().join("synth-btc-1m-s42-mark.parquet")
    );
    let named = paths_for(Path::new("data/btc.csv"), &p);
    assert_eq!(named.candles, Path::new("data/synth-btc.csv"));
    assert_eq!(named.funding, Path::new("data/synth-btc-funding.csv"));
}
