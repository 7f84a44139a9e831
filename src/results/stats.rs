//! The statistics of one run, as a typed struct computed from the run's record.

use serde::Serialize;

use crate::domain::{TimestampMs, Usd};

use super::ratios::{daily_returns, ratios};
use super::{EventKind, ExitReason, RunResult};

/// Everything the summary reports. Fractions are plain (0.25 = 25%); money is booked `Usd`;
/// ratios are annualised over 365 days (see `results::ratios`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub initial_equity: Usd,
    pub final_equity: Usd,
    /// final ÷ initial − 1.
    pub total_return: f64,
    pub cagr: Option<f64>,
    /// Deepest fall from a running peak of the equity curve, as a positive fraction.
    pub max_drawdown: f64,
    pub max_drawdown_peak: Option<TimestampMs>,
    pub max_drawdown_trough: Option<TimestampMs>,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    pub calmar: Option<f64>,
    pub trades: usize,
    /// Share of trades whose net result (PnL − fees + funding) is positive; `None` without trades.
    pub win_rate: Option<f64>,
    /// Sum of winning nets ÷ |sum of losing nets|; `None` when there is no losing trade.
    pub profit_factor: Option<f64>,
    /// Share of the range's bars that closed with a position open.
    pub exposure: f64,
    pub bars: u64,
    pub fees: Usd,
    /// Funding paid, as a positive amount.
    pub funding_paid: Usd,
    pub funding_received: Usd,
    pub liquidations: usize,
    /// Sum of the liquidation losses booked (isolated: the margin left; cross: the wallet lost).
    pub liquidation_margin_lost: Usd,
    /// Sum of the insurance-fund draws (gaps through the bankruptcy price).
    pub insurance_fund_draw: Usd,
    /// Exits by stop-loss or trailing stop.
    pub stop_outs: usize,
    pub take_profits: usize,
    pub first_liquidation: Option<TimestampMs>,
    /// From the first bar of the range to the first liquidation, in days.
    pub days_to_first_liquidation: Option<f64>,
    /// Minimum over bars in a position of the distance from the adverse mark extreme to the
    /// liquidation price, as a % of that mark price; `None` when no position could be liquidated.
    pub closest_approach_to_liquidation_pct: Option<f64>,
    /// Bars where a favourable and an adverse level were both inside the bar (see `intrabar`).
    pub ambiguous_bars: u64,
    pub ruined: Option<TimestampMs>,
    pub warnings: Vec<String>,
}

impl Stats {
    pub fn compute(run: &RunResult) -> Stats {
        let initial = run.initial_equity;
        let final_equity = run.final_equity;
        let init_f = initial.to_f64();
        let final_f = final_equity.to_f64();
        let drawdown = run.equity.max_drawdown();
        let max_dd = drawdown.map_or(0.0, |d| d.depth);
        let span_ms = match (run.equity.time().first(), run.equity.time().last()) {
            (Some(&a), Some(&b)) => b - a + run.interval_ms,
            _ => 0,
        };
        let returns = daily_returns(&run.equity.daily_closes(), init_f);
        let r = ratios(init_f, final_f, span_ms, &returns, max_dd);

        let mut wins = Usd::ZERO;
        let mut losses = Usd::ZERO;
        let mut winners = 0usize;
        let mut stop_outs = 0usize;
        let mut take_profits = 0usize;
        for t in &run.trades {
            let net = t.net();
            if net.get().is_sign_positive() && !net.is_zero() {
                winners += 1;
                wins += net;
            } else {
                losses += net;
            }
            match t.exit_reason {
                ExitReason::StopLoss | ExitReason::TrailingStop => stop_outs += 1,
                ExitReason::TakeProfit => take_profits += 1,
                _ => {}
            }
        }
        let n = run.trades.len();
        let profit_factor = (!losses.is_zero()).then(|| wins.to_f64() / -losses.to_f64());

        let mut fees = Usd::ZERO;
        let mut paid = Usd::ZERO;
        let mut received = Usd::ZERO;
        let mut liquidations = 0usize;
        let mut lost = Usd::ZERO;
        let mut draw = Usd::ZERO;
        let mut first_liq = None;
        for e in &run.events {
            match &e.kind {
                EventKind::Fill { fee, .. } => fees += *fee,
                EventKind::Funding { amount, .. } if amount.get().is_sign_negative() => {
                    paid -= *amount
                }
                EventKind::Funding { amount, .. } => received += *amount,
                EventKind::Liquidation { loss, .. } => {
                    liquidations += 1;
                    lost += *loss;
                    first_liq.get_or_insert(e.time);
                }
                EventKind::InsuranceDraw { amount } => draw += *amount,
                _ => {}
            }
        }
        let start = run.equity.time().first().copied();
        let days_to_first_liquidation = match (first_liq, start) {
            (Some(l), Some(s)) => Some((l.0 - s) as f64 / 86_400_000.0),
            _ => None,
        };

        Stats {
            initial_equity: initial,
            final_equity,
            total_return: if init_f > 0.0 {
                final_f / init_f - 1.0
            } else {
                0.0
            },
            cagr: r.cagr,
            max_drawdown: max_dd,
            max_drawdown_peak: drawdown.map(|d| d.peak),
            max_drawdown_trough: drawdown.map(|d| d.trough),
            sharpe: r.sharpe,
            sortino: r.sortino,
            calmar: r.calmar,
            trades: n,
            win_rate: (n > 0).then(|| winners as f64 / n as f64),
            profit_factor,
            exposure: if run.bars > 0 {
                run.bars_in_position as f64 / run.bars as f64
            } else {
                0.0
            },
            bars: run.bars,
            fees,
            funding_paid: paid,
            funding_received: received,
            liquidations,
            liquidation_margin_lost: lost,
            insurance_fund_draw: draw,
            stop_outs,
            take_profits,
            first_liquidation: first_liq,
            days_to_first_liquidation,
            closest_approach_to_liquidation_pct: run.closest_approach_pct,
            ambiguous_bars: run.ambiguous_bars,
            ruined: run.ruined,
            warnings: run.warnings.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::domain::{Leverage, Price, Qty, Side};
    use crate::results::{EquityCurve, Event, Trade};

    fn trade(net_pnl: Usd, reason: ExitReason) -> Trade {
        Trade {
            side: Side::Long,
            qty: Qty(dec!(1)),
            entry_time: TimestampMs(0),
            entry_price: Price(dec!(100)),
            exit_time: TimestampMs(3_600_000),
            exit_price: Price(dec!(100)),
            exit_reason: reason,
            leverage: Leverage(dec!(1)),
            margin: Usd(dec!(100)),
            liquidation_price_at_entry: None,
            pnl: net_pnl,
            fees: Usd::ZERO,
            funding: Usd::ZERO,
        }
    }

    #[test]
    fn win_rate_profit_factor_and_funding_split_come_from_trades_and_events() {
        let day = 86_400_000;
        let time = [0, day, 2 * day];
        let run = RunResult {
            initial_equity: Usd(dec!(1000)),
            final_equity: Usd(dec!(1100)),
            trades: vec![
                trade(Usd(dec!(300)), ExitReason::Signal),
                trade(Usd(dec!(-100)), ExitReason::StopLoss),
                trade(Usd(dec!(-50)), ExitReason::TrailingStop),
                trade(Usd(dec!(-50)), ExitReason::TakeProfit),
            ],
            events: vec![
                Event {
                    time: TimestampMs(0),
                    kind: EventKind::Funding {
                        side: Side::Long,
                        qty: Qty(dec!(1)),
                        mark: Price(dec!(100)),
                        rate: crate::domain::Rate(dec!(0.01)),
                        amount: Usd(dec!(-1)),
                    },
                },
                Event {
                    time: TimestampMs(day),
                    kind: EventKind::Funding {
                        side: Side::Long,
                        qty: Qty(dec!(1)),
                        mark: Price(dec!(100)),
                        rate: crate::domain::Rate(dec!(-0.02)),
                        amount: Usd(dec!(2)),
                    },
                },
            ],
            equity: EquityCurve::from_values(&time, &[1000.0, 900.0, 1100.0]),
            interval_ms: day,
            bars: 3,
            bars_in_position: 2,
            ambiguous_bars: 0,
            closest_approach_pct: None,
            ruined: None,
            warnings: Vec::new(),
        };
        let s = Stats::compute(&run);
        assert_eq!(s.trades, 4);
        assert_eq!(s.win_rate, Some(0.25));
        // 300 won against 200 lost.
        assert_eq!(s.profit_factor, Some(1.5));
        assert_eq!(s.stop_outs, 2);
        assert_eq!(s.take_profits, 1);
        assert_eq!(s.funding_paid, Usd(dec!(1)));
        assert_eq!(s.funding_received, Usd(dec!(2)));
        assert!((s.total_return - 0.1).abs() < 1e-12);
        assert!((s.max_drawdown - 0.1).abs() < 1e-12);
        assert_eq!(s.max_drawdown_trough, Some(TimestampMs(day)));
        assert!((s.exposure - 2.0 / 3.0).abs() < 1e-12);
    }
}
