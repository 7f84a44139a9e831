//! Liquidation-map throughput (issue 6).
//!
//! `cargo bench --bench survival` measures, for 10 leverage levels × 2 sides:
//! 1. criterion: every entry of the real 1h perp history (`btcusdt-perp-1h.csv` + mark, 58,623 bars
//!    from ../shared/data, skipped visibly when absent) with the segment-tree search — target < 1 s;
//! 2. one timed run of the O(n²) brute-force oracle on the same data, and the speed-up;
//! 3. one timed run on 5 million synthetic 1m bars (`market::synth`, seed 42, with mark candles) —
//!    target < 30 s — then the process's peak resident memory (VmHWM, which includes generating the
//!    series) — target < 2 GB.
//!
//! The one-shot runs are printed before criterion's figures; they are too slow to repeat 10 times.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use wick::domain::Leverage;
use wick::exchange::BracketSchedule;
use wick::market::synth::{SynthParams, generate};
use wick::market::{LoadOptions, MarketData, load_market};
use wick::survival::{Method, Settings, SurvivalMap, liquidation_map_with};

const LEVERAGES: [u32; 10] = [2, 3, 5, 10, 20, 25, 50, 75, 100, 125];
const SYNTH_BARS: usize = 5_000_000;

fn settings() -> Settings {
    Settings {
        leverages: LEVERAGES.iter().map(|&l| Leverage(l.into())).collect(),
        ..Settings::default()
    }
}

fn real_1h() -> Option<MarketData> {
    let dir = std::env::var_os("WICK_SHARED_DATA")
        .map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let (candles, mark) = (
        dir.join("btcusdt-perp-1h.csv"),
        dir.join("btcusdt-perp-mark-1h.csv"),
    );
    if !candles.is_file() || !mark.is_file() {
        eprintln!(
            "SKIPPED: {} not found (set WICK_SHARED_DATA)",
            candles.display()
        );
        return None;
    }
    Some(
        load_market(&candles, Some(&mark), None, &LoadOptions::default())
            .expect("the shared 1h files load")
            .data,
    )
}

fn timed(what: &str, f: impl FnOnce() -> SurvivalMap) -> (SurvivalMap, f64) {
    let t = Instant::now();
    let map = f();
    let secs = t.elapsed().as_secs_f64();
    let queries = map.time.len() * map.series.len();
    println!(
        "{what}: {secs:.3} s for {} entries × {} series ({:.1} M queries/s)",
        map.time.len(),
        map.series.len(),
        queries as f64 / secs / 1e6
    );
    (map, secs)
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn one_shots() {
    let schedule = BracketSchedule::binance_btcusdt();
    let s = settings();
    println!("threads: {}", rayon::current_num_threads());
    if let Some(m) = real_1h() {
        let (fast, tree_s) = timed("1h real, tree", || {
            liquidation_map_with(&m, &schedule, &s, Method::Tree).unwrap()
        });
        let (slow, brute_s) = timed("1h real, brute-force oracle", || {
            liquidation_map_with(&m, &schedule, &s, Method::BruteForce).unwrap()
        });
        assert_eq!(fast, slow, "tree and oracle disagree on the real 1h data");
        println!(
            "speed-up of the tree over the oracle: {:.0}×",
            brute_s / tree_s
        );
    }
    let t = Instant::now();
    let syn = generate(&SynthParams {
        bars: SYNTH_BARS,
        ..SynthParams::default()
    });
    let m = MarketData {
        candles: syn.candles,
        mark: Some(syn.mark),
        funding: None,
    };
    println!(
        "generated {SYNTH_BARS} synthetic 1m bars in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let (map, _) = timed("5M synthetic 1m, tree", || {
        liquidation_map_with(&m, &schedule, &s, Method::Tree).unwrap()
    });
    black_box(&map);
    drop(map);
    println!(
        "peak resident memory (VmHWM, including the generated series): {}",
        peak_memory()
    );
}

fn bench_real_1h(c: &mut Criterion) {
    let Some(m) = real_1h() else { return };
    let schedule = BracketSchedule::binance_btcusdt();
    let s = settings();
    let mut g = c.benchmark_group("survival");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        (m.candles.len() * s.leverages.len() * s.sides.len()) as u64,
    ));
    g.bench_function("real 1h, 10 leverages × 2 sides, tree", |b| {
        b.iter(|| black_box(liquidation_map_with(&m, &schedule, &s, Method::Tree).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench_real_1h);

fn main() {
    one_shots();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
