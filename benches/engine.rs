//! Replay speed: one configuration (SMA 20/100 crossover long and short, 2% stop, 10x isolated,
//! funding and liquidation on) over 5 million synthetic 1m bars with mark and funding, measured in
//! the same run as a bare pass summing open, high, low and close over the same columns.
//!
//! `cargo bench --bench engine` — criterion prints both throughputs (bars/s); before that the bench
//! prints its own best-of-N timing of both, their ratio, and the workload's shape (trades, share of
//! bars holding a position), so that a run that ruins the account early and measures idle bars is
//! visible. Signals are computed once, outside the timing, as every sweep shares them.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use wick::config::{MarginMode, RunSettings, Sizing};
use wick::domain::{Leverage, Rate, Usd};
use wick::exchange::BracketSchedule;
use wick::market::MarketData;
use wick::market::synth::{SynthParams, generate};
use wick::strategy::{CrossoverParams, StrategySpec};

const BARS: usize = 5_000_000;

fn workload() -> (
    MarketData,
    wick::strategy::Signals,
    RunSettings,
    BracketSchedule,
) {
    let syn = generate(&SynthParams {
        bars: BARS,
        ..SynthParams::default()
    });
    let market = MarketData {
        candles: syn.candles,
        mark: Some(syn.mark),
        funding: Some(syn.funding),
    };
    let signals = StrategySpec::SmaCrossover(CrossoverParams::default()).signals(&market);
    let mut s = RunSettings::default();
    s.account.leverage = Leverage(dec!(10));
    s.account.margin_mode = MarginMode::Isolated;
    // Notional = 2% of a 100,000 USDT account (margin 200 at 10x): every position stays in bracket 1
    // of every Binance table, and fees and stop-outs shrink the account slowly enough that it trades
    // for all 5 million bars instead of being ruined (or falling under the minimum order) early and
    // measuring idle bars. The run prints its exposure to show it.
    s.account.sizing = Sizing::NotionalFraction(dec!(0.02));
    s.account.initial_capital = Usd(dec!(100000));
    s.risk.stop_loss = Some(Rate(dec!(0.02)));
    s.execution.taker_fee = Rate(dec!(0.0005));
    s.execution.slippage = Rate(Decimal::ZERO);
    (market, signals, s, BracketSchedule::binance_btcusdt())
}

fn bare_sum(m: &MarketData) -> f64 {
    let c = &m.candles;
    let mut acc = 0.0;
    for i in 0..c.len() {
        acc += c.open[i] + c.high[i] + c.low[i] + c.close[i];
    }
    acc
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

fn engine(c: &mut Criterion) {
    let (market, signals, s, schedule) = workload();
    let r = wick::engine::run(&market, &signals, &s, &schedule, None);
    r.reconcile().expect("the benchmark run reconciles");
    let stats = r.stats();
    let bare = best_of(5, || {
        black_box(bare_sum(black_box(&market)));
    });
    let replay = best_of(5, || {
        black_box(wick::engine::run(
            black_box(&market),
            &signals,
            &s,
            &schedule,
            None,
        ));
    });
    // The statistics every sweep computes from a run: one pass over the whole equity curve.
    let statistics = best_of(5, || {
        black_box(black_box(&r).stats());
    });
    let per_s = |secs: f64| BARS as f64 / secs / 1e6;
    eprintln!(
        "workload: {BARS} 1m bars, {} trades, {} liquidations, {} funding events, {:.1}% of bars in a position, ruined: {}",
        stats.trades,
        stats.liquidations,
        r.events
            .iter()
            .filter(|e| matches!(e.kind, wick::results::EventKind::Funding { .. }))
            .count(),
        stats.exposure * 100.0,
        stats.ruined.is_some(),
    );
    eprintln!(
        "best of 5: bare OHLC sum {:.1} ms ({:.0} M bars/s), replay {:.1} ms ({:.0} M bars/s), replay/bare time ratio {:.2}",
        bare * 1e3,
        per_s(bare),
        replay * 1e3,
        per_s(replay),
        replay / bare
    );
    eprintln!(
        "best of 5: statistics of the run (drawdown and daily returns over all {BARS} equity points, held as {} pieces) {:.1} ms",
        r.equity.pieces(),
        statistics * 1e3,
    );

    let mut g = c.benchmark_group("engine_5m_1m_bars");
    g.throughput(Throughput::Elements(BARS as u64));
    g.sample_size(10);
    // A replay of 5M bars takes a few hundred ms: ten samples need about 10 s.
    g.measurement_time(std::time::Duration::from_secs(12));
    g.bench_function("bare_ohlc_sum", |b| b.iter(|| bare_sum(black_box(&market))));
    g.bench_function("sma_20_100_both_stop_2pct_10x_isolated", |b| {
        b.iter(|| wick::engine::run(black_box(&market), &signals, &s, &schedule, None))
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
