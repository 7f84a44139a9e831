//! The replay engine: one configuration, bar by bar, every amount booked.
//!
//! [`run`] is deterministic — time comes from the bars, there is no clock, no I/O and no randomness —
//! and allocates nothing per bar: the equity curve is recorded as one formula per run of bars
//! between events (`results::EquityCurve`, which borrows the market's price columns), and events
//! are pushed only when something happens.
//!
//! # The per-bar contract
//!
//! Bar `i` covers `[t, t+Δ)`. Inputs: the last-price candle; the mark-price candle where mark data
//! covers the bar (otherwise the last-price candle stands in, and the run carries the warning
//! "liquidation checked on last price"); the funding series. Each bar runs these steps, in order:
//!
//! 0. **Bracket table.** A bracket table taking effect at or before `t` recomputes an open position's
//!    maintenance margin and liquidation price now — at the first bar on or after the table's date,
//!    before that bar's funding. A table that lowers the leverage limit leaves the position as it is
//!    and writes a warning. Before the first known table (Binance: 2022-02-12) the earliest one
//!    applies, with a warning.
//! 1. **Funding.** Every funding time `T < t+Δ` not yet settled (normally the one with `t ≤ T`) is paid
//!    or received by the position held going into it: `−side × qty × mark(T) × rate`, where `mark(T)` is
//!    the funding file's mark price, else this bar's mark open (else its last open). It is settled
//!    before any fill of the bar, so a position opened at the open of the bar starting at `T` does not
//!    pay `T`, and one closed at that open does (this takes precedence over the 15-second grace of
//!    exchange-rules §2.4). It is booked into the isolated margin (isolated) or the wallet (cross) and
//!    moves the liquidation price. For bars longer than the funding interval, every funding time
//!    inside the bar is charged to the position held at the bar's open, before its fills.
//! 2. **Open.** If the mark open is at or beyond the liquidation price (a gap), the position is
//!    liquidated at the open. Otherwise, if the last open is at or beyond a stop-loss, trailing stop or
//!    take-profit, that order fills at the open. Then the target the strategy decided at the previous
//!    close fills at the open (through the re-entry rule of `strategy::ReentryGate`), with slippage and
//!    the taker fee. A new position gets its margin, liquidation price and bracket from the exchange
//!    model; an order over its bracket's leverage limit, or below the minimum notional, is rejected
//!    and recorded, and retried only once the target changes.
//! 3. **Intrabar.** Stop-loss, take-profit and trailing stop trigger on the last price, liquidation on
//!    the mark price; touching a level counts, and a position opened at this open is checked in this
//!    bar. Of two adverse levels the nearer is reached first: a stop between entry and the
//!    liquidation price fills at the stop; a stop at or beyond it never fills (warned when placed).
//!    A favourable and an adverse level inside the same bar make it *ambiguous* (counted); the
//!    `intrabar` setting decides: `pessimistic` (adverse first, the default), `optimistic`, `ohlc`
//!    (open → nearer extreme → farther extreme → close), or `detail` (the bar replayed on
//!    lower-timeframe candles, each under `pessimistic` with its own last price standing in for the
//!    mark; a liquidation needs this bar's mark to reach the liquidation price; where no detail candle
//!    covers the bar, `pessimistic`). A trailing stop trails the best price of *earlier* bars (this
//!    bar's extreme moves it for the next bar), except under `ohlc` and `detail`, whose path orders it.
//! 4. **Close.** Equity is marked to market at the mark close. (The strategy's decision for the next
//!    open was computed once, from bars up to and including this close — see `strategy::Signals`.)
//!
//! At the end of the data or of the time range (whose end is exclusive) an open position is closed at
//! the last close with slippage and fee, and the last equity point is that booked final equity.
//!
//! # Booking
//!
//! Fills, fees, funding, PnL, liquidation losses and insurance draws are `Decimal`, each rounded once
//! to 1e-8 where it is booked; [`crate::results::RunResult::reconcile`] checks that the event log
//! sums exactly to the final equity. Slippage applies to every taker fill, against the trader;
//! liquidations get none. Stop-loss and take-profit distances are fractions of the entry fill price.
//! The isolated margin is the initial margin `qty × entry ÷ leverage`; the opening fee is paid from
//! the wallet; margin plus opening fee must fit in the equity, or the size is reduced until it does.
//! When equity cannot fund even the minimum order, the account is ruined and stays flat.
//!
//! Liquidation (exchange-rules §1.4): isolated, the position loses whatever margin is left (funding
//! may have driven it below zero, so funding + liquidation loss = − initial margin); cross, what is
//! left is the wallet's equity at the liquidation price minus the clearance fee (1.5% of the
//! liquidated notional by default), floored at zero. A gap is valued at the mark open: how far the
//! position's equity there lies below zero is an insurance-fund draw, or, under
//! `negative_balance = "trader_liable"`, an extra loss that can leave equity below zero (ruin).
//!
//! # Speed
//!
//! Bars on which nothing happens go through a branch-light f64 loop (`hot.rs`); the full contract above
//! runs only on bars that hold an event. [`run_reference`] sends every bar through the full contract
//! and must give the identical result (a property test checks it).

mod bar;
mod book;
mod hot;
mod intrabar;
mod numbers;
mod position;
mod replay;
mod venue;

use crate::config::RunSettings;
use crate::exchange::BracketSchedule;
use crate::market::{Candles, MarketData};
use crate::results::{ExitReason, RunResult};
use crate::strategy::Signals;

use numbers::quote;
use replay::Replay;
use venue::Rules;

/// The warning every output of a run without mark data carries.
pub const LAST_PRICE_WARNING: &str = "liquidation checked on last price";

/// Replay one configuration over `market` (bars `settings.range`) with the strategy's `signals`,
/// the venue's bracket `schedule`, and optional lower-timeframe `detail` candles for
/// `intrabar = "detail"`.
pub fn run<'m>(
    market: &'m MarketData,
    signals: &Signals,
    settings: &RunSettings,
    schedule: &BracketSchedule,
    detail: Option<&Candles>,
) -> RunResult<'m> {
    replay(market, signals, settings, schedule, detail, false)
}

/// The same replay with every bar sent through the full per-bar contract (no fast path): slower,
/// and by construction the reference `run` is tested against.
#[doc(hidden)]
pub fn run_reference<'m>(
    market: &'m MarketData,
    signals: &Signals,
    settings: &RunSettings,
    schedule: &BracketSchedule,
    detail: Option<&Candles>,
) -> RunResult<'m> {
    replay(market, signals, settings, schedule, detail, true)
}

fn replay<'m>(
    market: &'m MarketData,
    signals: &Signals,
    settings: &RunSettings,
    schedule: &BracketSchedule,
    detail: Option<&Candles>,
    slow_only: bool,
) -> RunResult<'m> {
    let account = &settings.account;
    let rules = Rules::new(
        schedule,
        account.venue,
        account.margin_mode,
        settings.execution.taker_fee,
    );
    let mut r = Replay::new(market, signals, settings, rules, detail);
    opening_warnings(&mut r, schedule);
    r.rebuild_hot();
    r.run(slow_only);
    if let Some(last) = r.end.checked_sub(1).filter(|&l| l >= r.start) {
        let t = r.candles.time[last];
        if r.pos.is_some() {
            r.close_position(last, t, quote(r.candles.close[last]), ExitReason::EndOfData);
        }
        // The last point is the booked final equity, after the closing fill.
        r.equity
            .flat_from(last - r.start, numbers::f64_of(r.wallet.get()));
    }
    if r.detail_missing > 0 {
        let t = r.candles.time[r.end - 1];
        let n = r.detail_missing;
        r.warn(
            t,
            "intrabar = detail: some bars had no lower-timeframe candles and were resolved pessimistically",
            format!("intrabar = detail: {n} bars with a position had no lower-timeframe candles and were resolved pessimistically"),
        );
    }
    let bars = (r.end - r.start) as u64;
    RunResult {
        initial_equity: settings.account.initial_capital,
        final_equity: r.wallet,
        trades: r.trades,
        events: r.events,
        equity: r.equity,
        interval_ms: r.interval_ms,
        bars,
        bars_in_position: r.in_position,
        ambiguous_bars: r.ambiguous,
        closest_approach_pct: r.closest_pct,
        ruined: r.ruined,
        warnings: r.warnings,
    }
}

/// Warnings known before the first bar: no mark data, mark holes, a range before the first bracket
/// table, a range that starts before the strategy's indicators are warm.
fn opening_warnings(r: &mut Replay<'_, '_>, schedule: &BracketSchedule) {
    let Some(&t0) = r.candles.time.get(r.start).filter(|_| r.start < r.end) else {
        return;
    };
    match r.mark {
        None => r.warn(
            t0,
            LAST_PRICE_WARNING,
            format!("{LAST_PRICE_WARNING}: no mark-price data was given, and last-price wicks liquidate more often than the mark does (exchange-rules §1.3)"),
        ),
        Some(m) => {
            // The loader counted the file's holes: only a file with some is scanned for the range.
            let holes = match m.uncovered {
                0 => 0,
                _ => (r.start..r.end).filter(|&i| !m.is_covered(i)).count(),
            };
            if holes > 0 {
                r.warn(
                    t0,
                    LAST_PRICE_WARNING,
                    format!("{LAST_PRICE_WARNING} for {holes} bars the mark file {} does not cover", m.source),
                );
            }
        }
    }
    if schedule
        .table_at(crate::domain::TimestampMs(t0))
        .before_first_known
    {
        let first = schedule.first_known().to_human();
        r.warn(
            t0,
            "the run starts before the first known bracket table; the earliest table applies until then",
            format!("the run starts at {}, before the first known bracket table ({first}); the earliest table applies until then", crate::domain::TimestampMs(t0).to_human()),
        );
    }
    let warmup = r.signals.warmup_bars();
    if r.start < warmup {
        r.warn(
            t0,
            "the range starts before the strategy's indicators are warm",
            format!("the range starts at bar {} but the strategy needs {warmup} bars of warm-up: its first signals come from cold indicators", r.start),
        );
    }
    if r.candles.synthetic {
        r.warn(
            t0,
            "synthetic data",
            format!(
                "the candles {} are synthetic (made by wick data synth)",
                r.candles.source
            ),
        );
    }
}
