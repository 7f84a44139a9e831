//! The equity curve: one point per bar of the time range, marked to market at the mark close.
//!
//! Held as f64 — it is for reporting (charts, drawdown, Sharpe), never for booking; the booked
//! figures are the `Decimal`s of the event log.
//!
//! **Held as pieces, not as one value per bar.** Between two events the account is a fixed formula
//! of the bar's price: flat, the equity is the wallet; holding, it is `base + qty × mark close`
//! (the engine's own f64 formula, see `engine/hot.rs`). So the curve keeps one [`Piece`] per run of
//! bars with the same formula and borrows the market's time and close columns, instead of writing
//! (and faulting in) 16 bytes per bar — 80 MB for five million 1m bars, per configuration of a sweep.
//! Every value is computed on demand with the same expression the engine used, so it is the same
//! f64, bit for bit. The curve therefore lives no longer than the market data it was replayed on.

use serde::Serialize;

use crate::domain::TimestampMs;

/// From bar `from` (relative to the curve's first bar) until the next piece, the equity is
/// `base` when `qty` is zero (flat, or a fixed figure such as a ruined wallet), and otherwise
/// `base + qty × price`, the price being the bar's mark close where the mark covers it, else its
/// last close.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    from: usize,
    base: f64,
    qty: f64,
}

impl Piece {
    fn same_formula(&self, base: f64, qty: f64) -> bool {
        self.base.to_bits() == base.to_bits() && self.qty.to_bits() == qty.to_bits()
    }
}

#[derive(Debug, Clone, Default)]
pub struct EquityCurve<'m> {
    /// Bar open times (UTC ms). The point is the equity at that bar's close.
    time: &'m [i64],
    /// The bars' last close, and their mark close (NaN where the mark file does not cover a bar).
    close: &'m [f64],
    mark_close: Option<&'m [f64]>,
    pieces: Vec<Piece>,
}

/// The deepest fall from a running peak.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Drawdown {
    /// As a positive fraction of the peak: 0.25 = 25% below the peak.
    pub depth: f64,
    pub peak: TimestampMs,
    pub trough: TimestampMs,
}

impl<'m> EquityCurve<'m> {
    /// An empty curve over bars `time` with closes `close` (and mark closes, when there is a mark
    /// file): every bar must then be given a formula by [`Self::flat_from`] or [`Self::marked_from`],
    /// starting at bar 0.
    pub fn over(time: &'m [i64], close: &'m [f64], mark_close: Option<&'m [f64]>) -> Self {
        debug_assert_eq!(time.len(), close.len());
        debug_assert!(mark_close.is_none_or(|m| m.len() == time.len()));
        EquityCurve {
            time,
            close,
            mark_close,
            pieces: Vec::new(),
        }
    }

    /// A curve of the given values, one per bar of `time` (for tests and for results read back).
    pub fn from_values(time: &'m [i64], values: &[f64]) -> EquityCurve<'m> {
        let mut c = EquityCurve {
            time,
            ..EquityCurve::default()
        };
        for (k, &v) in values.iter().enumerate().take(time.len()) {
            c.flat_from(k, v);
        }
        c
    }

    /// From bar `from` on, the equity is `value` whatever the price.
    pub fn flat_from(&mut self, from: usize, value: f64) {
        self.set_from(from, value, 0.0);
    }

    /// From bar `from` on, the equity is `base + qty × price` (`qty` is the signed position size,
    /// never zero for an open position).
    pub fn marked_from(&mut self, from: usize, base: f64, qty: f64) {
        self.set_from(from, base, qty);
    }

    /// One piece per change of formula: the same formula again extends the last piece, a new one
    /// at the same bar replaces it. Both paths of the engine therefore build the same pieces.
    fn set_from(&mut self, from: usize, base: f64, qty: f64) {
        debug_assert!(from < self.time.len());
        if let Some(last) = self.pieces.last_mut() {
            debug_assert!(from >= last.from);
            if last.same_formula(base, qty) {
                return;
            }
            if last.from == from {
                self.pieces.pop();
                if let Some(prev) = self.pieces.last()
                    && prev.same_formula(base, qty)
                {
                    return;
                }
            }
        }
        self.pieces.push(Piece { from, base, qty });
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Bar open times, one per point.
    pub fn time(&self) -> &'m [i64] {
        self.time
    }

    /// How many runs of bars share one formula (a measure of how much the curve was spared).
    pub fn pieces(&self) -> usize {
        self.pieces.len()
    }

    #[inline]
    fn eval(&self, p: &Piece, k: usize) -> f64 {
        if p.qty == 0.0 {
            return p.base;
        }
        let price = match self.mark_close {
            Some(m) if !m[k].is_nan() => m[k],
            _ => self.close[k],
        };
        p.base + p.qty * price
    }

    /// The equity at bar `k`.
    pub fn value(&self, k: usize) -> f64 {
        assert!(
            k < self.len(),
            "bar {k} is beyond the curve's {} bars",
            self.len()
        );
        let j = self.pieces.partition_point(|p| p.from <= k);
        match j.checked_sub(1) {
            Some(j) => self.eval(&self.pieces[j], k),
            None => f64::NAN,
        }
    }

    /// The equity at the last bar.
    pub fn last(&self) -> Option<f64> {
        self.len().checked_sub(1).map(|k| self.value(k))
    }

    /// The equity at each bar, in order.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        let n = self.len();
        // Bars before the first piece (none, in a finished replay) have no value.
        let head = self.pieces.first().map_or(n, |p| p.from);
        let pieces = self.pieces.iter().enumerate().flat_map(move |(j, p)| {
            let to = self.pieces.get(j + 1).map_or(n, |q| q.from);
            (p.from..to).map(move |k| self.eval(p, k))
        });
        std::iter::repeat_n(f64::NAN, head).chain(pieces)
    }

    /// `(bar open time, equity)` at each bar.
    pub fn points(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        self.time.iter().copied().zip(self.values())
    }

    /// The drawdown at each point, as a positive fraction of the running peak (0 at a new high).
    /// A peak at or below zero (a ruined account) gives a drawdown of 1.
    pub fn drawdowns(&self) -> impl Iterator<Item = f64> + '_ {
        let mut peak = f64::NEG_INFINITY;
        self.values().map(move |e| {
            peak = peak.max(e);
            if peak <= 0.0 {
                1.0
            } else {
                ((peak - e) / peak).max(0.0)
            }
        })
    }

    /// The maximum drawdown with the dates of its peak and trough; `None` for an empty curve.
    pub fn max_drawdown(&self) -> Option<Drawdown> {
        let mut best: Option<Drawdown> = None;
        let mut peak_value = f64::NEG_INFINITY;
        let mut peak_time = 0i64;
        for (t, e) in self.points() {
            if e > peak_value {
                peak_value = e;
                peak_time = t;
            }
            let depth = if peak_value <= 0.0 {
                1.0
            } else {
                ((peak_value - e) / peak_value).max(0.0)
            };
            if best.is_none_or(|b| depth > b.depth) {
                best = Some(Drawdown {
                    depth,
                    peak: TimestampMs(peak_time),
                    trough: TimestampMs(t),
                });
            }
        }
        best
    }

    /// Equity at the last bar of each UTC day, in order: the series daily returns are computed from.
    pub fn daily_closes(&self) -> Vec<(i64, f64)> {
        const DAY_MS: i64 = 86_400_000;
        let mut out: Vec<(i64, f64)> = Vec::new();
        for (t, e) in self.points() {
            let day = t.div_euclid(DAY_MS);
            match out.last_mut() {
                Some(last) if last.0 == day => last.1 = e,
                _ => out.push((day, e)),
            }
        }
        out
    }
}

/// Two curves are equal when they cover the same bars with the same values, bit for bit, however
/// their pieces were built.
impl PartialEq for EquityCurve<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
            && self
                .values()
                .zip(other.values())
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(n: usize) -> Vec<i64> {
        (0..n as i64).map(|i| i * 3_600_000).collect()
    }

    #[test]
    fn max_drawdown_from_120_to_90_is_a_quarter_dated_at_its_peak_and_trough() {
        let time = hours(6);
        let c = EquityCurve::from_values(&time, &[100.0, 120.0, 110.0, 90.0, 130.0, 125.0]);
        let dd = c.max_drawdown().unwrap();
        assert!((dd.depth - 0.25).abs() < 1e-12);
        assert_eq!(dd.peak, TimestampMs(3_600_000));
        assert_eq!(dd.trough, TimestampMs(3 * 3_600_000));
    }

    #[test]
    fn daily_closes_keep_the_last_point_of_each_utc_day() {
        let time = hours(30);
        let c = EquityCurve::from_values(&time, &[1.0; 30]);
        let days = c.daily_closes();
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].0, 0);
        assert_eq!(days[1].0, 1);
    }

    #[test]
    fn a_held_position_is_valued_at_the_mark_close_and_at_the_last_close_where_no_mark_covers() {
        // Bars 0–1 flat at 1,000; bars 2–4 long 0.5 with base 900; bar 3 has no mark.
        let time = hours(5);
        let close = [10.0, 20.0, 30.0, 40.0, 50.0];
        let mark = [11.0, 21.0, 31.0, f64::NAN, 51.0];
        let mut c = EquityCurve::over(&time, &close, Some(&mark));
        c.flat_from(0, 1000.0);
        c.marked_from(2, 900.0, 0.5);
        let v: Vec<f64> = c.values().collect();
        assert_eq!(v, [1000.0, 1000.0, 915.5, 920.0, 925.5]);
        assert_eq!(c.value(3).to_bits(), 920.0f64.to_bits());
        assert_eq!(c.last(), Some(925.5));
    }

    #[test]
    fn repeating_a_formula_extends_its_piece_and_a_second_formula_at_one_bar_replaces_the_first() {
        let time = hours(4);
        let close = [1.0; 4];
        let mut c = EquityCurve::over(&time, &close, None);
        c.flat_from(0, 5.0);
        c.flat_from(1, 5.0);
        c.flat_from(2, 5.0);
        assert_eq!(c.pieces(), 1);
        c.flat_from(3, 6.0);
        c.flat_from(3, 5.0);
        assert_eq!(
            c.pieces(),
            1,
            "a replacement equal to the piece before merges into it"
        );
        assert_eq!(c.values().collect::<Vec<_>>(), [5.0; 4]);
    }

    #[test]
    fn curves_built_from_different_pieces_with_the_same_values_are_equal() {
        let time = hours(3);
        let close = [2.0; 3];
        let mut a = EquityCurve::over(&time, &close, None);
        a.marked_from(0, 0.0, 1.0);
        let b = EquityCurve::from_values(&time, &[2.0, 2.0, 2.0]);
        assert_eq!(a, b);
    }
}
