//! Booking: every amount the replay moves, in `Decimal`, each rounded once to `BOOK_DP` where it is
//! booked (so that every sum of the log is exact), each pushed to the event log.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::config::{NegativeBalance, RunSettings, Sizing};
use crate::domain::{Price, Qty, Rate, Side, TimestampMs, Usd};
use crate::results::{EventKind, ExitReason, FillAction, Rejection, Trade};
use crate::strategy::Desire;

use super::numbers::{div_to_book_dp, f64_of, mul_to_book_dp, mul3_to_book_dp, product, quote};
use super::position::{Position, book};
use super::replay::Replay;

/// The per-run factors of the booking, computed once from the settings (each exactly the `Decimal`
/// the per-fill formula would compute, so that the booked figures do not change by a digit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Factors {
    /// `1 / leverage + taker fee`: margin plus opening fee per unit of notional.
    fund_divisor: Decimal,
    /// `fund_divisor` as f64, to screen the funding comparisons (see `Replay::can_fund`).
    fund_divisor_f64: f64,
    /// `1 + slippage` and `1 − slippage`: a buy fills higher, a sell lower (issue 4: against the
    /// trader on every taker fill). `None` when the factor is exactly `1` and the fill is the price.
    slip_buy: Option<Decimal>,
    slip_sell: Option<Decimal>,
    /// `1 − side × stop-loss` and `1 + side × take-profit`, indexed by `side_index`.
    stop: [Option<Decimal>; 2],
    take_profit: [Option<Decimal>; 2],
}

fn side_index(side: Side) -> usize {
    match side {
        Side::Long => 0,
        Side::Short => 1,
    }
}

impl Factors {
    pub(crate) fn new(s: &RunSettings) -> Factors {
        let slip = s.execution.slippage.get();
        // `x × 1` (scale 0) is `x` bit for bit, so an exact `1` is skipped rather than multiplied.
        let unless_one = |f: Decimal| (f.serialize() != Decimal::ONE.serialize()).then_some(f);
        let sides = [Side::Long, Side::Short];
        let stop = sides.map(|side| {
            s.risk
                .stop_loss
                .map(|r| Decimal::ONE - side.sign() * r.get())
        });
        let take_profit = sides.map(|side| {
            s.risk
                .take_profit
                .map(|r| Decimal::ONE + side.sign() * r.get())
        });
        let fund_divisor = Decimal::ONE / s.account.leverage.get() + s.execution.taker_fee.get();
        Factors {
            fund_divisor,
            fund_divisor_f64: f64_of(fund_divisor),
            slip_buy: unless_one(Decimal::ONE + slip),
            slip_sell: unless_one(Decimal::ONE - slip),
            stop,
            take_profit,
        }
    }

    fn slipped(&self, price: Price, buying: bool) -> Price {
        match if buying {
            self.slip_buy
        } else {
            self.slip_sell
        } {
            Some(f) => Price(price.get() * f),
            None => price,
        }
    }
}

impl Replay<'_, '_> {
    /// Largest notional the wallet can fund: margin + opening fee ≤ equity (issue 4).
    fn max_fundable_notional(&self) -> Decimal {
        (self.wallet.get() / self.factors.fund_divisor).max(Decimal::ZERO)
    }

    /// Whether the wallet can fund `notional` (margin + opening fee), without a division:
    /// `notional × (1/leverage + fee) ≤ wallet` (the factor is computed once per run). The f64
    /// comparison decides when the two sides are further apart than its error (≈ 1e-15 relative)
    /// could ever bridge; only near-ties pay for the exact `Decimal` product.
    fn can_fund(&self, notional: Decimal) -> bool {
        let (need, wallet) = (
            f64_of(notional) * self.factors.fund_divisor_f64,
            f64_of(self.wallet.get()),
        );
        let tolerance = 1e-9 * (need.abs() + wallet.abs());
        if need < wallet - tolerance {
            return true;
        }
        if need > wallet + tolerance {
            return false;
        }
        notional * self.factors.fund_divisor <= self.wallet.get()
    }

    /// After an exit: when equity cannot fund even a minimum order, the account is finished.
    pub(crate) fn check_ruin(&mut self, time: i64) {
        let min = self.s.account.min_order_notional;
        if self.ruined.is_none() && !self.can_fund(min.get()) {
            let reason = format!(
                "equity {} cannot fund the minimum order of {} USDT (margin + fee at {}x)",
                self.wallet, min, self.s.account.leverage
            );
            self.push(
                time,
                EventKind::Ruin {
                    equity: self.wallet,
                    reason,
                },
            );
            self.ruined = Some(TimestampMs(time));
        }
    }

    /// Open `side` at the open of bar `i` (step 2): size, fit, check limits, post margin, set exits.
    pub(crate) fn open_position(&mut self, i: usize, side: Side) {
        let t = self.candles.time[i];
        let fill = self
            .factors
            .slipped(quote(self.candles.open[i]), side == Side::Long);
        let acct = &self.s.account;
        let equity = self.wallet.get();
        let lev = acct.leverage;
        let wanted = match acct.sizing {
            Sizing::MarginFraction(f) => equity * f * lev.get(),
            Sizing::NotionalFraction(f) => equity * f,
        };
        let min = acct.min_order_notional;
        if !self.can_fund(min.get()) {
            self.check_ruin(t);
            return;
        }
        // A size that does not fit (margin + opening fee > equity) is reduced until it does.
        let notional = if self.can_fund(wanted) {
            wanted
        } else {
            self.max_fundable_notional()
        };
        let qty = Qty(div_to_book_dp(
            notional,
            fill.get(),
            RoundingStrategy::ToZero,
        ));
        let notional = Usd(mul_to_book_dp(qty.get(), fill.get()));
        if notional < min {
            let reason = Rejection::BelowMinNotional {
                notional,
                min_notional: min,
            };
            self.reject(t, Desire::from_side(side), reason);
            return;
        }
        if let Err(reason) = self.rules.check_leverage(TimestampMs(t), notional, lev) {
            self.reject(
                t,
                Desire::from_side(side),
                Rejection::LeverageRefused { notional, reason },
            );
            return;
        }
        // The margin is rounded up, so that it never falls short of `notional ÷ leverage` (a 1x long
        // must keep a margin equal to its whole notional and so stay unliquidatable, §1.2).
        let margin = Usd(div_to_book_dp(
            product(qty.get(), fill.get()),
            lev.get(),
            RoundingStrategy::AwayFromZero,
        ));
        let fee = Usd(mul_to_book_dp(
            notional.get(),
            self.s.execution.taker_fee.get(),
        ));
        let wallet_backing = if self.is_isolated() {
            self.wallet -= margin + fee;
            margin
        } else {
            self.wallet -= fee;
            self.wallet
        };
        let liq = self
            .rules
            .liquidation_price(TimestampMs(t), side, qty, fill, wallet_backing);
        let sign = side.sign();
        let risk = &self.s.risk;
        let k = side_index(side);
        let stop = self.factors.stop[k].map(|f| Price(fill.get() * f));
        let take_profit = self.factors.take_profit[k].map(|f| Price(fill.get() * f));
        self.push(
            t,
            EventKind::Fill {
                side,
                action: FillAction::Open,
                qty,
                price: fill,
                fee,
                pnl: Usd::ZERO,
            },
        );
        if let (Some(st), Some(lp)) = (stop, liq)
            && sign * (st.get() - lp.get()) <= Decimal::ZERO
        {
            self.note_warning(
                "a stop-loss was placed at or beyond the liquidation price and can never fill",
            );
            self.push(
                t,
                EventKind::StopBeyondLiquidation {
                    side,
                    stop: st,
                    liquidation_price: lp,
                },
            );
        }
        self.pos = Some(Position {
            side,
            qty,
            entry_price: fill,
            entry_time: TimestampMs(t),
            leverage: lev,
            initial_margin: margin,
            margin,
            fee_open: fee,
            funding: Usd::ZERO,
            liq_price: liq,
            liq_price_at_entry: liq,
            stop,
            take_profit,
            trailing: risk.trailing_stop,
            best: f64_of(fill.get()),
            mirror: Default::default(),
        });
        if let Some(p) = self.pos.as_mut() {
            p.refresh();
        }
        self.hot.mark_extreme = f64::INFINITY;
    }

    fn reject(&mut self, t: i64, target: Desire, reason: Rejection) {
        self.rejected = Some(target);
        self.push(t, EventKind::Rejection { reason });
    }

    /// Close the position at `price` (before slippage) for `reason`, at `time`, during bar `i`.
    pub(crate) fn close_position(&mut self, i: usize, time: i64, price: Price, reason: ExitReason) {
        let Some(p) = self.pos.take() else { return };
        self.flush_closest(&p);
        let fill = self.factors.slipped(price, p.side == Side::Short);
        let pnl = Usd(mul3_to_book_dp(
            p.side.sign(),
            p.qty.get(),
            fill.get() - p.entry_price.get(),
        ));
        let fee = Usd(mul3_to_book_dp(
            p.qty.get(),
            fill.get(),
            self.s.execution.taker_fee.get(),
        ));
        let released = if self.is_isolated() {
            p.margin
        } else {
            Usd::ZERO
        };
        self.wallet += released + pnl - fee;
        let action = FillAction::Close(reason);
        self.push(
            time,
            EventKind::Fill {
                side: p.side.opposite(),
                action,
                qty: p.qty,
                price: fill,
                fee,
                pnl,
            },
        );
        self.trades
            .push(trade(&p, time, fill, reason, pnl, p.fee_open + fee));
        if reason.is_forced() {
            self.gate.forced_exit(i);
            self.forced_exit_bar = i;
        }
        self.check_ruin(time);
    }

    /// Liquidate at the liquidation price, or — a gap — at the mark open `gap_mark` (issue 4,
    /// "Liquidation outcome"; exchange-rules §1.4).
    pub(crate) fn liquidate(&mut self, i: usize, time: i64, gap_mark: Option<Price>) {
        let Some(p) = self.pos.take() else { return };
        self.flush_closest(&p);
        self.closest_pct = Some(0.0);
        let liq = p.liq_price.unwrap_or(p.entry_price);
        let price = gap_mark.unwrap_or(liq);
        let liable = self.s.account.negative_balance == NegativeBalance::TraderLiable;
        let upnl = p.upnl(price);
        let (loss, draw) = if self.is_isolated() {
            // The position loses whatever margin is left, whatever its sign (issue 4); a gap's equity
            // at the mark open below zero is the insurance fund's draw, or the trader's under `trader_liable`.
            let equity_at = p.margin + upnl;
            let draw = if gap_mark.is_some() {
                book((-equity_at.get()).max(Decimal::ZERO))
            } else {
                Usd::ZERO
            };
            let loss = if liable { p.margin + draw } else { p.margin };
            self.wallet += p.margin - loss;
            (loss, draw)
        } else {
            // Cross: at most the wallet's equity at that price minus the clearance fee is left,
            // floored at zero unless the trader is liable for a deficit.
            let equity_at = book(self.wallet.get() + upnl.get());
            let clearance =
                book(self.s.account.cross_clearance_rate.get() * p.qty.get() * price.get());
            let after = if equity_at.get() - clearance.get() >= Decimal::ZERO {
                equity_at - clearance
            } else if liable && equity_at.get() < Decimal::ZERO {
                equity_at
            } else {
                Usd::ZERO
            };
            let draw = book((-equity_at.get()).max(Decimal::ZERO));
            let loss = self.wallet - after;
            self.wallet = after;
            (loss, draw)
        };
        let gap = gap_mark.is_some();
        self.push(
            time,
            EventKind::Liquidation {
                side: p.side,
                qty: p.qty,
                price,
                liquidation_price: liq,
                gap,
                loss,
            },
        );
        if !liable && !draw.is_zero() {
            self.push(time, EventKind::InsuranceDraw { amount: draw });
        }
        self.trades.push(trade(
            &p,
            time,
            price,
            ExitReason::Liquidation,
            -loss,
            p.fee_open,
        ));
        self.gate.forced_exit(i);
        self.forced_exit_bar = i;
        if self.wallet.get() <= Decimal::ZERO && self.ruined.is_none() {
            let reason = format!("liquidation left equity at {}", self.wallet);
            self.push(
                time,
                EventKind::Ruin {
                    equity: self.wallet,
                    reason,
                },
            );
            self.ruined = Some(TimestampMs(time));
        }
        self.check_ruin(time);
    }

    /// Settle one funding payment against the open position (step 1).
    pub(crate) fn pay_funding(&mut self, time: i64, mark: Price, funding_rate: Rate) {
        let isolated = self.is_isolated();
        let Some(p) = &self.pos else { return };
        let amount = book(self.rules.funding(p.side, p.qty, mark, funding_rate).get());
        let (side, qty) = (p.side, p.qty);
        if let Some(p) = self.pos.as_mut() {
            p.funding += amount;
            if isolated {
                // Booked into the isolated margin, so it moves the liquidation price (exchange-rules §2.3).
                p.margin += amount;
            }
        }
        if !isolated {
            self.wallet += amount;
        }
        self.push(
            time,
            EventKind::Funding {
                side,
                qty,
                mark,
                rate: funding_rate,
                amount,
            },
        );
        self.recompute_liquidation_price(time);
    }

    /// The wallet behind the position changed (funding, table change): recompute its liquidation price.
    pub(crate) fn recompute_liquidation_price(&mut self, time: i64) {
        let wallet = self.wallet;
        let isolated = self.is_isolated();
        let Some(p) = &self.pos else { return };
        let backing = if isolated { p.margin } else { wallet };
        let lp =
            self.rules
                .liquidation_price(TimestampMs(time), p.side, p.qty, p.entry_price, backing);
        let p = p.clone();
        self.flush_closest(&p);
        if let Some(p) = self.pos.as_mut() {
            p.liq_price = lp;
            p.refresh();
        }
    }

    /// Fold the closest approach to the liquidation price seen since it last changed.
    pub(crate) fn flush_closest(&mut self, p: &Position) {
        let ext = std::mem::replace(&mut self.hot.mark_extreme, f64::INFINITY);
        if p.liq_price.is_none() {
            return;
        }
        // The liquidation price in the long view, as the per-bar comparisons hold it.
        let liq = p.mirror.liq;
        if ext.is_finite() && ext != 0.0 {
            let pct = ((ext - liq) / ext.abs() * 100.0).max(0.0);
            self.closest_pct = Some(self.closest_pct.map_or(pct, |c| c.min(pct)));
        }
    }
}

fn trade(
    p: &Position,
    exit_time: i64,
    exit_price: Price,
    reason: ExitReason,
    pnl: Usd,
    fees: Usd,
) -> Trade {
    Trade {
        side: p.side,
        qty: p.qty,
        entry_time: p.entry_time,
        entry_price: p.entry_price,
        exit_time: TimestampMs(exit_time),
        exit_price,
        exit_reason: reason,
        leverage: p.leverage,
        margin: p.initial_margin,
        liquidation_price_at_entry: p.liq_price_at_entry,
        pnl,
        fees,
        funding: p.funding,
    }
}
