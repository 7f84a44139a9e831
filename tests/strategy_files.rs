//! Every shipped strategy file in strategies/ parses, points at the real data beside the repo,
//! has a usable [sweep] table, and trades on a synthetic market.

mod common;

use std::path::{Path, PathBuf};

use wick::config::{self, RunSettings};
use wick::domain::Interval;
use wick::market::{Candles, FundingSeries, MarketData};
use wick::strategy::Desire;

fn strategy_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("strategies")
        .expect("strategies/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn load_all() -> Vec<RunSettings> {
    strategy_files()
        .iter()
        .map(|p| config::load(p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// 4,000 hourly bars of a deterministic market with slow swings (trends to cross, channels to
/// break) and fast ones (RSI extremes), and 8-hourly funding that swings from −0.05% to +0.08%.
fn synthetic_market() -> MarketData {
    let n = 4_000;
    let t0 = 1_577_836_800_000_i64; // 2020-01-01 UTC
    let price = |i: usize| {
        let x = i as f64;
        30_000.0
            * (0.25 * (x / 300.0).sin() + 0.05 * (x / 23.0).sin() + 0.01 * (x / 3.0).sin()).exp()
    };
    let mut c = Candles {
        source: "synthetic".into(),
        interval: Interval::HOUR,
        synthetic: true,
        ..Candles::default()
    };
    for i in 0..n {
        let (open, close) = (price(i), price(i + 1));
        c.time.push(t0 + i as i64 * 3_600_000);
        c.open.push(open);
        c.close.push(close);
        c.high.push(open.max(close) * 1.002);
        c.low.push(open.min(close) * 0.998);
        c.volume.push(10.0);
    }
    let settlements = n / 8;
    let funding = FundingSeries {
        source: "synthetic".into(),
        time: (0..settlements)
            .map(|k| t0 + k as i64 * 8 * 3_600_000)
            .collect(),
        rate: (0..settlements)
            .map(|k| 0.00015 + 0.00065 * (k as f64 / 20.0).sin())
            .collect(),
        mark: vec![f64::NAN; settlements],
    };
    MarketData {
        candles: c,
        mark: None,
        funding: Some(funding),
    }
}

#[test]
fn there_is_one_file_per_built_in_strategy() {
    let mut kinds: Vec<&str> = load_all()
        .iter()
        .map(|s| s.strategy.kind())
        .collect::<Vec<_>>();
    kinds.sort();
    let mut all = wick::strategy::StrategySpec::KINDS.to_vec();
    all.sort();
    assert_eq!(kinds, all);
}

#[test]
fn every_strategy_file_trades_on_a_synthetic_market() {
    let market = synthetic_market();
    for s in load_all() {
        let signals = s.strategy.signals(&market);
        assert_eq!(signals.len(), market.candles.len(), "{}", s.name);
        let positions = signals
            .targets()
            .iter()
            .filter(|d| **d != Desire::Flat)
            .count();
        assert!(positions > 0, "{} never wants a position", s.name);
        let changes = (1..signals.len())
            .filter(|&i| signals.changed_at_open(i))
            .count();
        let holds = matches!(s.strategy, wick::strategy::StrategySpec::BuyAndHold(_));
        assert!(
            holds || changes >= 2,
            "{} changed its mind only {changes} times",
            s.name
        );
    }
}

#[test]
fn every_sweep_table_gives_at_least_one_working_parameter_set() {
    for s in load_all() {
        let sweep = s
            .sweep
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no [sweep] table", s.name));
        let grid = sweep.param_grid(&s.strategy);
        assert!(!grid.specs.is_empty(), "{}", s.name);
        for (spec, why) in &grid.skipped {
            assert!(
                spec.validate().is_err(),
                "{} skipped a working {spec}: {why}",
                s.name
            );
        }
    }
}

#[test]
fn every_strategy_file_points_at_data_that_exists_beside_the_repo() {
    let Some(shared) = common::shared_data() else {
        return;
    };
    for s in load_all() {
        let paths = [
            Some(&s.data.candles),
            s.data.mark.as_ref(),
            s.data.funding.as_ref(),
        ];
        for p in paths.into_iter().flatten() {
            let name = p.file_name().unwrap();
            assert!(
                p.starts_with(Path::new("strategies/../../shared/data")),
                "{}: {}",
                s.name,
                p.display()
            );
            assert!(
                shared.join(name).is_file(),
                "{}: {} is not in {}",
                s.name,
                p.display(),
                shared.display()
            );
            assert!(
                p.is_file(),
                "{}: {} does not exist from the repo root",
                s.name,
                p.display()
            );
        }
    }
}
