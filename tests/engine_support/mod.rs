//! Builders shared by the engine's integration tests: synthetic bars written in code, settings with
//! the figures of exchange-rules §6, and a run that always checks the ledger.
//! (Included by the `engine_*` test files with `#[path]`; a folder, so cargo does not build it as a test binary of its own.)
#![allow(dead_code)]

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use wick::config::{MarginMode, RunSettings, Sizing};
use wick::domain::{Interval, Leverage, Rate, Usd};
use wick::exchange::BracketSchedule;
use wick::market::{Candles, FundingSeries, MarkSeries, MarketData};
use wick::results::{EventKind, RunResult};
use wick::strategy::{Desire, ReentryPolicy, Signals};

pub const HOUR: i64 = 3_600_000;
/// 2025-09-01 00:00 UTC: the 2025-08-21 Binance table is in force (bracket 1: 0–300k, 0.4%, 150x).
pub const T0: i64 = 1_756_684_800_000;

/// One bar as (open, high, low, close).
pub type Ohlc = (f64, f64, f64, f64);

pub fn candles(start: i64, interval_ms: i64, bars: &[Ohlc]) -> Candles {
    Candles {
        source: "synthetic bars".into(),
        interval: Interval(interval_ms),
        time: (0..bars.len() as i64)
            .map(|i| start + i * interval_ms)
            .collect(),
        open: bars.iter().map(|b| b.0).collect(),
        high: bars.iter().map(|b| b.1).collect(),
        low: bars.iter().map(|b| b.2).collect(),
        close: bars.iter().map(|b| b.3).collect(),
        volume: vec![1.0; bars.len()],
        gaps: Vec::new(),
        synthetic: false,
    }
}

pub fn mark_of(bars: &[Ohlc]) -> MarkSeries {
    MarkSeries {
        source: "synthetic mark".into(),
        open: bars.iter().map(|b| b.0).collect(),
        high: bars.iter().map(|b| b.1).collect(),
        low: bars.iter().map(|b| b.2).collect(),
        close: bars.iter().map(|b| b.3).collect(),
        uncovered: 0,
    }
}

/// Hourly bars from `T0` whose mark equals the last price.
pub fn market(bars: &[Ohlc]) -> MarketData {
    MarketData {
        candles: candles(T0, HOUR, bars),
        mark: Some(mark_of(bars)),
        funding: None,
    }
}

pub fn with_funding(mut m: MarketData, settlements: &[(i64, f64)]) -> MarketData {
    m.funding = Some(FundingSeries {
        source: "synthetic funding".into(),
        time: settlements.iter().map(|s| s.0).collect(),
        rate: settlements.iter().map(|s| s.1).collect(),
        mark: vec![f64::NAN; settlements.len()],
    });
    m
}

/// The wanted position at every bar open.
pub fn hold(desire: Desire, bars: usize) -> Signals {
    Signals::new(vec![desire; bars], ReentryPolicy::NextSignalChange, 0)
}

pub fn signals(targets: &[Desire], policy: ReentryPolicy) -> Signals {
    Signals::new(targets.to_vec(), policy, 0)
}

/// 10,000 USDT, isolated, Binance VIP0 taker 0.05%, no slippage, `leverage`, margin = `margin_fraction`
/// of equity.
pub fn settings(leverage: Decimal, margin_fraction: Decimal) -> RunSettings {
    let mut s = RunSettings::default();
    s.account.initial_capital = Usd(dec!(10000));
    s.account.leverage = Leverage(leverage);
    s.account.sizing = Sizing::MarginFraction(margin_fraction);
    s.account.margin_mode = MarginMode::Isolated;
    s.execution.taker_fee = Rate(dec!(0.0005));
    s.execution.slippage = Rate(Decimal::ZERO);
    s
}

/// exchange-rules §6.2 V12: a 20x long of 1 BTC at 60,000 — margin 3,000 (30% of 10,000), fee 30.
pub fn twenty_x_one_btc() -> RunSettings {
    settings(dec!(20), dec!(0.3))
}

pub fn schedule() -> BracketSchedule {
    BracketSchedule::binance_btcusdt()
}

/// Run with the fast path, check it against the all-slow-path reference, and check the ledger.
pub fn run<'m>(m: &'m MarketData, sig: &Signals, s: &RunSettings) -> RunResult<'m> {
    run_with_detail(m, sig, s, None)
}

pub fn run_with_detail<'m>(
    m: &'m MarketData,
    sig: &Signals,
    s: &RunSettings,
    detail: Option<&Candles>,
) -> RunResult<'m> {
    let sch = schedule();
    let r = wick::engine::run(m, sig, s, &sch, detail);
    let reference = wick::engine::run_reference(m, sig, s, &sch, detail);
    if r != reference {
        panic!(
            "the fast path must give exactly what the full per-bar contract gives: {}",
            first_difference(&r, &reference)
        );
    }
    if let Err(e) = r.reconcile() {
        panic!("{e}");
    }
    r
}

pub fn usd(d: Decimal) -> Usd {
    Usd(d)
}

/// The funding amounts booked, in order.
pub fn funding_amounts(r: &RunResult) -> Vec<(i64, Decimal)> {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Funding { amount, .. } => Some((e.time.0, amount.get())),
            _ => None,
        })
        .collect()
}

pub fn liquidations(r: &RunResult) -> Vec<(i64, Decimal, bool)> {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Liquidation { loss, gap, .. } => Some((e.time.0, loss.get(), *gap)),
            _ => None,
        })
        .collect()
}

pub fn insurance_draws(r: &RunResult) -> Decimal {
    r.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::InsuranceDraw { amount } => Some(amount.get()),
            _ => None,
        })
        .sum()
}

/// Where two results first differ, in a few lines instead of two whole dumps.
pub fn first_difference(a: &RunResult, b: &RunResult) -> String {
    if let Some(k) =
        (0..a.events.len().max(b.events.len())).find(|&k| a.events.get(k) != b.events.get(k))
    {
        return format!(
            "event {k}: fast {:?} vs reference {:?}",
            a.events.get(k),
            b.events.get(k)
        );
    }
    let (ea, eb) = (a.equity.values(), b.equity.values());
    if let Some((k, (x, y))) = ea
        .zip(eb)
        .enumerate()
        .find(|(_, (x, y))| x.to_bits() != y.to_bits())
    {
        return format!("equity at bar {k}: fast {x:?} vs reference {y:?}");
    }
    format!(
        "trades equal: {}, bars in position {} vs {}, ambiguous {} vs {}, closest {:?} vs {:?}",
        a.trades == b.trades,
        a.bars_in_position,
        b.bars_in_position,
        a.ambiguous_bars,
        b.ambiguous_bars,
        a.closest_approach_pct,
        b.closest_approach_pct
    )
}
