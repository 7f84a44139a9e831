//! The full per-bar contract for one bar (see the module docs of `engine` for the order).

use crate::config::IntrabarPolicy;
use crate::domain::{Price, Side, TimestampMs};
use crate::results::{EventKind, ExitReason};
use crate::strategy::Desire;

use super::intrabar::{self, BarView, Exit, Hit, Levels};
use super::numbers::{f64_of, quote, rate};
use super::replay::Replay;

/// Mark OHLC of one bar (the last price where no mark covers it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MarkBar {
    pub open: f64,
    pub high: f64,
    pub low: f64,
}

impl Replay<'_, '_> {
    pub(crate) fn mark_bar(&self, i: usize) -> MarkBar {
        let c = self.candles;
        match self.mark {
            Some(m) if m.is_covered(i) => MarkBar {
                open: m.open[i],
                high: m.high[i],
                low: m.low[i],
            },
            _ => MarkBar {
                open: c.open[i],
                high: c.high[i],
                low: c.low[i],
            },
        }
    }

    fn view(&self, i: usize, side: Side, mark: MarkBar) -> BarView {
        let c = self.candles;
        BarView::new(
            side == Side::Long,
            c.open[i],
            c.high[i],
            c.low[i],
            c.close[i],
            mark.high,
            mark.low,
        )
    }

    /// Bar `i`, steps 0–4.
    pub(crate) fn bar(&mut self, i: usize) {
        let t = self.candles.time[i];
        let mark = self.mark_bar(i);
        // The fast path tracked the trailing best in the long view; hand it back to the position.
        if let Some(p) = self.pos.as_mut() {
            p.best = p.side.sign_f64() * self.hot.best;
        }
        self.apply_table_changes(t);
        self.settle_funding(t, mark);
        self.at_the_open(i, t, mark);
        if self.ruined.is_none() {
            self.fill_orders(i);
        }
        self.intrabar_step(i, t, mark);
        self.rebuild_hot();
        self.close_step(i, mark);
    }

    /// Step 0: a bracket table taking effect at or before this bar's open recomputes the open
    /// position's maintenance margin and liquidation price, before this bar's funding (issue 4).
    fn apply_table_changes(&mut self, t: i64) {
        while let Some(&change) = self.table_changes.get(self.table_next) {
            if change > t {
                break;
            }
            self.table_next += 1;
            let Some(p) = &self.pos else { continue };
            let before = p.liq_price;
            let (notional, lev) = (p.qty * p.entry_price, p.leverage);
            self.recompute_liquidation_price(t);
            let after = self.pos.as_ref().and_then(|p| p.liq_price);
            let table = TimestampMs(change).to_human();
            self.push(
                t,
                EventKind::BracketTableChange {
                    table: table.clone(),
                    liquidation_price_before: before,
                    liquidation_price_after: after,
                },
            );
            if let Err(reason) = self.rules.check_leverage(TimestampMs(t), notional, lev) {
                let detail = format!(
                    "the bracket table of {table} lowers the limit for the open position ({reason}); the position stays as it is"
                );
                self.warn(t, "a bracket-table change lowered the leverage limit below an open position's leverage", detail);
            }
        }
    }

    /// Step 1: every funding time `T < t + Δ` not yet settled is paid by the position held going
    /// into it, before any fill of this bar, at the funding file's mark or else this bar's mark open.
    fn settle_funding(&mut self, t: i64, mark: MarkBar) {
        let Some(f) = self.funding else { return };
        let bar_end = t + self.interval_ms;
        while let Some(&ft) = f.time.get(self.funding_next) {
            if ft >= bar_end {
                break;
            }
            let k = self.funding_next;
            self.funding_next += 1;
            if self.pos.is_some() {
                let m = if f.mark[k].is_finite() {
                    f.mark[k]
                } else {
                    mark.open
                };
                self.pay_funding(t.max(ft), quote(m), rate(f.rate[k]));
            }
        }
    }

    /// Step 2a: a gap through the liquidation price liquidates at the mark open; otherwise a stop,
    /// trailing stop or take-profit the last open is already beyond fills at the open.
    fn at_the_open(&mut self, i: usize, t: i64, mark: MarkBar) {
        let Some(p) = &self.pos else { return };
        let lv = p.levels();
        let s = p.side.sign_f64();
        if s * mark.open <= lv.liq {
            self.liquidate(i, t, Some(quote(mark.open)));
            return;
        }
        let view = self.view(i, p.side, mark);
        if let Some(exit) = intrabar::at_open(&lv, &view) {
            self.exit(i, t, exit, self.candles.open[i]);
        }
    }

    /// Step 2b: the target decided at the previous close fills at this open (through the re-entry gate).
    fn fill_orders(&mut self, i: usize) {
        let target = self.gate.target(self.signals, i);
        if self.rejected.is_some_and(|r| r == target) {
            return;
        }
        self.rejected = None;
        let t = self.candles.time[i];
        if let Some(p) = &self.pos
            && Desire::from_side(p.side) != target
        {
            self.close_position(i, t, quote(self.candles.open[i]), ExitReason::Signal);
        }
        if self.pos.is_none()
            && self.ruined.is_none()
            && let Some(side) = target.side()
        {
            self.open_position(i, side);
        }
    }

    /// Step 3: stops, take-profit and trailing stop on the last price, liquidation on the mark.
    fn intrabar_step(&mut self, i: usize, t: i64, mark: MarkBar) {
        let Some(p) = &self.pos else { return };
        let lv = p.levels();
        let view = self.view(i, p.side, mark);
        let policy = self.intrabar();
        let out = if policy == IntrabarPolicy::Detail {
            if let Some((exit, time, open, ambiguous, best)) =
                self.detail_bar(i, p.side, &lv, &view)
            {
                if ambiguous {
                    self.ambiguous += 1;
                }
                match exit {
                    Some(e) => self.exit(i, time, e, open),
                    None => self.set_best(best),
                }
                return;
            }
            self.detail_missing += 1;
            intrabar::resolve(&lv, &view, IntrabarPolicy::Pessimistic)
        } else {
            intrabar::resolve(&lv, &view, policy)
        };
        if out.ambiguous {
            self.ambiguous += 1;
        }
        match out.exit {
            Some(e) => self.exit(i, t, e, self.candles.open[i]),
            None => self.set_best(out.best),
        }
    }

    fn set_best(&mut self, best_long_view: f64) {
        if let Some(p) = self.pos.as_mut() {
            p.best = p.side.sign_f64() * best_long_view;
        }
    }

    /// `detail`: replay bar `i` on the lower-timeframe candles inside it, each under the pessimistic
    /// rule with its own last price standing in for the mark; a liquidation is possible only if the
    /// bar's own mark reached the liquidation price, and if no lower-timeframe bar triggered
    /// anything it happens at this bar's time. `None` when no detail candle covers the bar.
    #[allow(clippy::type_complexity)]
    fn detail_bar(
        &self,
        i: usize,
        side: Side,
        lv: &Levels,
        coarse: &BarView,
    ) -> Option<(Option<Exit>, i64, f64, bool, f64)> {
        let d = self.detail?;
        let t = self.candles.time[i];
        let (a, b) = (
            d.time.partition_point(|&x| x < t),
            d.time.partition_point(|&x| x < t + self.interval_ms),
        );
        if a == b {
            return None;
        }
        let long = side == Side::Long;
        let ambiguous = intrabar::is_ambiguous(lv, coarse);
        let mark_reached = coarse.mark_l <= lv.liq;
        let mut sub = *lv;
        if !mark_reached {
            sub.liq = f64::NEG_INFINITY;
        }
        for j in a..b {
            let v = BarView::new(
                long, d.open[j], d.high[j], d.low[j], d.close[j], d.high[j], d.low[j],
            );
            if let Some(e) = intrabar::at_open(&sub, &v) {
                return Some((Some(e), d.time[j], d.open[j], ambiguous, sub.best));
            }
            let out = intrabar::resolve(&sub, &v, IntrabarPolicy::Pessimistic);
            if out.exit.is_some() {
                return Some((out.exit, d.time[j], d.open[j], ambiguous, sub.best));
            }
            sub.best = out.best;
        }
        let exit = mark_reached.then_some(Exit {
            hit: Hit::Liquidation,
            at_open: false,
            best: sub.best,
        });
        Some((exit, t, self.candles.open[i], ambiguous, sub.best))
    }

    /// Book an exit found at the open or inside a bar; `open` is the open of the (sub-)bar.
    fn exit(&mut self, i: usize, time: i64, exit: Exit, open: f64) {
        let Some(p) = &self.pos else { return };
        let at = |level: Option<Price>| {
            if exit.at_open {
                quote(open)
            } else {
                level.unwrap_or(quote(open))
            }
        };
        match exit.hit {
            Hit::Liquidation => self.liquidate(i, time, None),
            Hit::Stop => self.close_position(i, time, at(p.stop), ExitReason::StopLoss),
            Hit::TakeProfit => {
                self.close_position(i, time, at(p.take_profit), ExitReason::TakeProfit)
            }
            Hit::Trail => {
                // The level trails the best price by the callback rate (exchange-rules' callback rate).
                let best = quote(p.side.sign_f64() * exit.best);
                let cb = p.trailing.map_or(rust_decimal::Decimal::ZERO, |r| r.get());
                let level = Price(best.get() * (rust_decimal::Decimal::ONE - p.side.sign() * cb));
                self.close_position(i, time, at(Some(level)), ExitReason::TrailingStop);
            }
        }
    }

    /// Step 4: mark equity at the mark close — recorded as the fast path's own formula
    /// (`base + qty_signed × mark close`, see `hot.rs`), which the curve evaluates at this bar's mark
    /// close (its last close where no mark covers it), so that both paths give the same f64.
    fn close_step(&mut self, i: usize, mark: MarkBar) {
        let k = i - self.start;
        let h = &mut self.hot;
        match &self.pos {
            None => self.equity.flat_from(k, f64_of(self.wallet.get())),
            Some(p) => {
                self.in_position += 1;
                let adverse = if p.side == Side::Long {
                    mark.low
                } else {
                    -mark.high
                };
                h.mark_extreme = h.mark_extreme.min(adverse);
                self.equity.marked_from(k, h.base, h.qty_signed);
            }
        }
    }
}
