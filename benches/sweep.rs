//! Sweep throughput: the SMA 20/100 crossover (long and short) over 5 million synthetic 1m bars
//! with mark and funding, as a grid of 8 leverage levels × 4 stop settings = 32 configurations,
//! on 1 and on 2 worker threads, against one configuration alone.
//!
//! `cargo bench --bench sweep` — before criterion's figures the bench prints its own best-of-N
//! timings in bar-configurations per second, the ratio of the 32-configuration sweep to one
//! configuration (signals are computed once per sweep and shared, so it should be far below 32),
//! the share of bars that held a position (so a grid that is ruined early and measures idle bars
//! shows), and the process's peak resident memory.
//!
//! Sizing is 2% of a 100,000 USDT account as notional (as the engine bench): leverage then sets
//! only the margin posted (and so the distance to liquidation), every position stays in bracket 1
//! of every Binance table so that even 100x is accepted, and a liquidation at 100x costs 0.02% of
//! the account instead of ending the run, so every configuration trades to the last bar.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal_macros::dec;
use wick::config::{RunSettings, Sizing};
use wick::domain::Usd;
use wick::exchange::BracketSchedule;
use wick::market::MarketData;
use wick::market::synth::{SynthParams, generate};
use wick::strategy::{CrossoverParams, StrategySpec};
use wick::sweep::parallel::in_pool;
use wick::sweep::{Axis, AxisKey, Outcome, SweepInput, SweepPlan, run_plan};

const BARS: usize = 5_000_000;
const LEVERAGE: [&str; 8] = ["1", "2", "3", "5", "10", "20", "50", "100"];
const STOPS: [&str; 4] = ["none", "0.01", "0.02", "0.05"];

fn market() -> MarketData {
    let syn = generate(&SynthParams {
        bars: BARS,
        ..SynthParams::default()
    });
    MarketData {
        candles: syn.candles,
        mark: Some(syn.mark),
        funding: Some(syn.funding),
    }
}

fn plan(leverage: &[&str], stops: &[&str]) -> SweepPlan {
    let mut s = RunSettings {
        name: "bench".into(),
        strategy: StrategySpec::SmaCrossover(CrossoverParams::default()),
        ..RunSettings::default()
    };
    s.account.sizing = Sizing::NotionalFraction(dec!(0.02));
    s.account.initial_capital = Usd(dec!(100000));
    let axis = |key, v: &[&str]| Axis {
        key,
        values: v.iter().map(|w| w.to_string()).collect(),
    };
    SweepPlan::new(
        s,
        vec![
            axis(AxisKey::Leverage, leverage),
            axis(AxisKey::StopLoss, stops),
        ],
    )
    .expect("the benchmark grid is valid")
}

fn sweep(plan: &SweepPlan, threads: usize, input: SweepInput<'_>) -> Vec<Outcome> {
    in_pool(Some(threads), || {
        run_plan(plan, 0..plan.grid().len(), input, &|| {})
    })
    .expect("the pool starts")
    .expect("the sweep runs")
}

fn best_of(n: usize, mut f: impl FnMut()) -> f64 {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// Peak resident memory of this process so far (Linux `VmHWM`), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn sweeps(c: &mut Criterion) {
    let market = market();
    let schedule = BracketSchedule::binance_btcusdt();
    let input = SweepInput {
        market: &market,
        schedule: &schedule,
        detail: None,
    };
    let grid = plan(&LEVERAGE, &STOPS);
    let single = plan(&["10"], &["0.02"]);
    let n = grid.grid().len();

    let outcomes = sweep(&grid, 2, input);
    let bars = outcomes[0].stats.bars as f64;
    let exposure = outcomes.iter().map(|o| o.stats.exposure).sum::<f64>() / n as f64;
    let liquidations: usize = outcomes.iter().map(|o| o.stats.liquidations).sum();
    let trades: usize = outcomes.iter().map(|o| o.stats.trades).sum();
    let t1 = best_of(2, || drop(black_box(sweep(&grid, 1, input))));
    let t2 = best_of(2, || drop(black_box(sweep(&grid, 2, input))));
    let one = best_of(2, || drop(black_box(sweep(&single, 1, input))));
    let rate = |secs: f64, configs: usize| configs as f64 * bars / secs / 1e6;
    eprintln!("sweep bench: {n} configurations × {bars} bars (5M synthetic 1m, mark + funding)");
    eprintln!(
        "  1 thread : {t1:.3} s  {:>7.0} M bar-configurations/s",
        rate(t1, n)
    );
    eprintln!(
        "  2 threads: {t2:.3} s  {:>7.0} M bar-configurations/s",
        rate(t2, n)
    );
    eprintln!(
        "  1 configuration, 1 thread: {one:.3} s  {:>7.0} M bars/s",
        rate(one, 1)
    );
    eprintln!(
        "  32-configuration sweep ÷ one configuration (1 thread): {:.1}",
        t1 / one
    );
    eprintln!(
        "  share of bars holding a position (mean over the grid): {:.1}%",
        exposure * 100.0
    );
    eprintln!("  trades over the grid: {trades}, liquidations: {liquidations}");
    if let Some(mb) = peak_mb() {
        eprintln!("  peak resident memory so far: {mb:.0} MB");
    }

    let mut g = c.benchmark_group("sweep_5m_1m_bars");
    g.sample_size(10);
    g.warm_up_time(std::time::Duration::from_secs(1));
    g.throughput(Throughput::Elements((n as f64 * bars) as u64));
    g.bench_function("32_configurations_1_thread", |b| {
        b.iter(|| sweep(&grid, 1, input))
    });
    g.bench_function("32_configurations_2_threads", |b| {
        b.iter(|| sweep(&grid, 2, input))
    });
    g.throughput(Throughput::Elements(bars as u64));
    g.bench_function("1_configuration_1_thread", |b| {
        b.iter(|| sweep(&single, 1, input))
    });
    g.finish();
}

criterion_group!(benches, sweeps);
criterion_main!(benches);
