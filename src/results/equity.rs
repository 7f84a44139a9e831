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

/// The price a held position is valued at, per bar.
#[derive(Debug, Clone, Copy, Default)]
pub enum Prices<'m> {
    /// No prices (a curve of constant runs only, such as one read back from values).
    #[default]
    None,
    /// One column: the mark close of every bar, or the last close where there is no mark file.
    Complete(&'m [f64]),
    /// The mark close where it is not NaN, else the last close (a mark file with holes).
    MarkOrLast { mark: &'m [f64], last: &'m [f64] },
}

#[derive(Debug, Clone, Default)]
pub struct EquityCurve<'m> {
    /// Bar open times (UTC ms). The point is the equity at that bar's close.
    time: &'m [i64],
    prices: Prices<'m>,
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
    /// An empty curve over bars `time` valued at `prices`: every bar must then be given a
    /// formula by [`Self::flat_from`] or [`Self::marked_from`], starting at bar 0.
    pub fn over(time: &'m [i64], prices: Prices<'m>) -> Self {
        debug_assert!(match prices {
            Prices::None => true,
            Prices::Complete(p) => p.len() == time.len(),
            Prices::MarkOrLast { mark, last } => {
                mark.len() == time.len() && last.len() == time.len()
            }
        });
        EquityCurve {
            time,
            prices,
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
        let price = match self.prices {
            Prices::None => f64::NAN,
            Prices::Complete(c) => c[k],
            Prices::MarkOrLast { mark, last } => {
                if mark[k].is_nan() {
                    last[k]
                } else {
                    mark[k]
                }
            }
        };
        p.base + p.qty * price
    }

    /// Calls `f(k, equity)` for the bars `p.from..to` of piece `p`, one tight loop per price source.
    #[inline(always)]
    fn piece_values(&self, p: &Piece, to: usize, mut f: impl FnMut(usize, f64)) {
        let from = p.from;
        if p.qty == 0.0 {
            (from..to).for_each(|k| f(k, p.base));
            return;
        }
        match self.prices {
            Prices::None => (from..to).for_each(|k| f(k, f64::NAN)),
            Prices::Complete(c) => {
                for (k, &c) in (from..to).zip(&c[from..to]) {
                    f(k, p.base + p.qty * c);
                }
            }
            Prices::MarkOrLast { mark, last } => {
                for ((k, &m), &c) in (from..to).zip(&mark[from..to]).zip(&last[from..to]) {
                    f(k, p.base + p.qty * if m.is_nan() { c } else { m });
                }
            }
        }
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

    /// Calls `f(first bar, equity of the bars from there)` for consecutive runs of at most `chunk`
    /// bars, in order, all filled into one buffer: for passes that work on arrays (tight loops the
    /// compiler keeps in registers) rather than on one point per call. Same values, same bits, as
    /// [`EquityCurve::values`].
    pub fn for_each_chunk(&self, chunk: usize, mut f: impl FnMut(usize, &[f64])) {
        let n = self.len();
        let chunk = chunk.max(1);
        let mut buf = vec![0.0; chunk.min(n)];
        let mut start = 0;
        while start < n {
            let end = (start + chunk).min(n);
            let out = &mut buf[..end - start];
            self.values_into(start, out);
            f(start, out);
            start = end;
        }
    }

    /// The equity of bars `from..from + out.len()` into `out`.
    fn values_into(&self, from: usize, out: &mut [f64]) {
        let (n, to) = (self.len(), from + out.len());
        debug_assert!(to <= n);
        // The piece holding `from` (none: bars before the first piece have no value).
        let mut j = self.pieces.partition_point(|p| p.from <= from);
        let mut k = from;
        if j == 0 {
            let head = self.pieces.first().map_or(to, |p| p.from.min(to));
            out[..head - from].fill(f64::NAN);
            k = head;
        } else {
            j -= 1;
        }
        while k < to {
            let p = &self.pieces[j];
            let end = self.pieces.get(j + 1).map_or(n, |q| q.from).min(to);
            let dst = &mut out[k - from..end - from];
            // The expressions of `eval`, one tight loop per price source.
            if p.qty == 0.0 {
                dst.fill(p.base);
            } else {
                match self.prices {
                    Prices::None => dst.fill(f64::NAN),
                    Prices::Complete(c) => {
                        for (d, &c) in dst.iter_mut().zip(&c[k..end]) {
                            *d = p.base + p.qty * c;
                        }
                    }
                    Prices::MarkOrLast { mark, last } => {
                        for ((d, &m), &c) in dst.iter_mut().zip(&mark[k..end]).zip(&last[k..end]) {
                            *d = p.base + p.qty * if m.is_nan() { c } else { m };
                        }
                    }
                }
            }
            k = end;
            j += 1;
        }
    }

    /// The drawdown at each point, as a positive fraction of the running peak (0 at a new high).
    /// A peak at or below zero (a ruined account) gives a drawdown of 1.
    pub fn drawdowns(&self) -> impl Iterator<Item = f64> + '_ {
        let mut peak = f64::NEG_INFINITY;
        self.values().map(move |e| {
            peak = peak.max(e);
            drawdown_below(peak, e)
        })
    }

    /// The maximum drawdown with the dates of its peak and trough; `None` for an empty curve.
    pub fn max_drawdown(&self) -> Option<Drawdown> {
        let mut scan = DrawdownScan::new();
        let n = self.len();
        let head = self.pieces.first().map_or(n, |p| p.from);
        for k in 0..head {
            scan.push(k, f64::NAN);
        }
        for (j, p) in self.pieces.iter().enumerate() {
            let to = self.pieces.get(j + 1).map_or(n, |q| q.from);
            if p.qty == 0.0 {
                // A constant run neither sets a new peak nor deepens the drawdown after its first
                // point (the comparisons are strict), so that point stands for the whole run.
                scan.push(p.from, p.base);
                continue;
            }
            match self.prices {
                Prices::Complete(c) => scan_held(&mut scan, p, c, to),
                _ => self.piece_values(p, to, |k, e| scan.push(k, e)),
            }
        }
        scan.best.map(|(depth, peak, trough)| Drawdown {
            depth,
            peak: TimestampMs(self.time[peak]),
            trough: TimestampMs(self.time[trough]),
        })
    }

    /// Equity at the last bar of each UTC day, in order: the series daily returns are computed from.
    /// Only each day's last bar is valued; it is found where a regular grid puts it, checked there,
    /// and searched for only when the day has missing bars.
    pub fn daily_closes(&self) -> Vec<(i64, f64)> {
        const DAY_MS: i64 = 86_400_000;
        let time = self.time;
        let n = time.len();
        let step = match time {
            [a, b, ..] if b > a => b - a,
            _ => DAY_MS,
        };
        let mut out: Vec<(i64, f64)> = Vec::with_capacity(self.days_hint());
        let mut k = 0;
        while let Some(&t) = time.get(k) {
            let day = t.div_euclid(DAY_MS);
            let next = (day + 1) * DAY_MS;
            // On a regular grid the next day starts `ceil((next − t) / step)` bars on: check there
            // first, and search only when bars are missing.
            let guess = usize::try_from((next - t + step - 1) / step)
                .map_or(n, |g| k.saturating_add(g).min(n));
            let on_grid =
                guess > k && time[guess - 1] < next && time.get(guess).is_none_or(|&x| x >= next);
            let end = if on_grid {
                guess
            } else {
                k + time[k..].partition_point(|&x| x < next)
            };
            out.push((day, self.value(end - 1)));
            k = end;
        }
        out
    }

    fn days_hint(&self) -> usize {
        match (self.time.first(), self.time.last()) {
            (Some(&a), Some(&b)) => usize::try_from((b - a) / 86_400_000 + 2).unwrap_or(0),
            _ => 0,
        }
    }
}

/// The running state of the maximum-drawdown pass, by bar index (times are looked up at the end,
/// so that the pass reads one price column only).
struct DrawdownScan {
    /// Depth, peak bar and trough bar of the deepest drawdown so far.
    best: Option<(f64, usize, usize)>,
    best_depth: f64,
    peak_value: f64,
    peak_at: usize,
    /// A point above this cannot deepen the drawdown: the exact depth is computed only at or
    /// below it (see [`lower_bound`]), which spares a division on almost every bar.
    threshold: f64,
}

impl DrawdownScan {
    fn new() -> Self {
        DrawdownScan {
            best: None,
            best_depth: f64::NEG_INFINITY,
            peak_value: f64::NEG_INFINITY,
            peak_at: 0,
            threshold: f64::INFINITY,
        }
    }

    #[inline(always)]
    fn push(&mut self, k: usize, e: f64) {
        if e > self.peak_value {
            self.peak_value = e;
            self.peak_at = k;
            self.threshold = lower_bound(self.peak_value, self.best_depth);
        }
        if e <= self.threshold || self.best.is_none() || e.is_nan() {
            let depth = drawdown_below(self.peak_value, e);
            if self.best.is_none() || depth > self.best_depth {
                self.best_depth = depth;
                self.best = Some((depth, self.peak_at, k));
                self.threshold = lower_bound(self.peak_value, self.best_depth);
            }
        }
    }
}

/// Bars of a held piece looked at together by [`scan_held`].
const SCAN_BLOCK: usize = 64;

/// The drawdown scan over a held piece (`base + qty × price`, one price column), a block of bars at
/// a time: a block whose highest equity is not above the peak and whose lowest is above the scan's
/// threshold changes nothing — `push` would neither set a peak nor compute a depth on any of its
/// bars — so only the block's lowest and highest price are needed, and the equity of its bars is
/// computed one by one only in the rare block that may set a peak or deepen the drawdown.
///
/// Exact: `fl(base + fl(qty × price))` is monotone in the price (rounding is monotone), so the
/// block's extreme prices give its extreme equities bit for bit. A block holding a NaN price is
/// scanned bar by bar.
fn scan_held(scan: &mut DrawdownScan, p: &Piece, price: &[f64], to: usize) {
    let mut from = p.from;
    while from < to {
        let end = (from + SCAN_BLOCK).min(to);
        let block = &price[from..end];
        if scan.best.is_some()
            && let Some((lo, hi)) = price_extremes(block)
        {
            let (low_price, high_price) = if p.qty > 0.0 { (lo, hi) } else { (hi, lo) };
            let (low, high) = (p.base + p.qty * low_price, p.base + p.qty * high_price);
            if high <= scan.peak_value {
                // No new peak in the block, so the depth of its bars is monotone in their equity:
                // the deepest is `low`'s. If that deepens the drawdown, the bar `push` would end
                // on is the first whose depth equals it, and only bars at or below the bound for
                // that depth can.
                if low > scan.threshold {
                    from = end;
                    continue;
                }
                let depth = drawdown_below(scan.peak_value, low);
                if depth > scan.best_depth {
                    let bound = lower_bound(scan.peak_value, depth);
                    let first = (from..end).zip(block).find(|&(_, &c)| {
                        let e = p.base + p.qty * c;
                        e <= bound
                            && drawdown_below(scan.peak_value, e).to_bits() == depth.to_bits()
                    });
                    if let Some((k, _)) = first {
                        scan.best_depth = depth;
                        scan.best = Some((depth, scan.peak_at, k));
                        scan.threshold = bound;
                    }
                }
                from = end;
                continue;
            }
        }
        for (k, &c) in (from..end).zip(block) {
            scan.push(k, p.base + p.qty * c);
        }
        from = end;
    }
}

/// The lowest and highest value, or `None` when one is NaN.
fn price_extremes(xs: &[f64]) -> Option<(f64, f64)> {
    let (low, high, nan) = extremes(xs);
    (!nan).then_some((low, high))
}

/// The lowest and highest value of `xs` other than NaN (±∞ when there is none), and whether one was
/// NaN. Four lanes of plain comparisons, so that the loop vectorises where `f64::min` and `max`, with
/// their NaN rules, do not; a NaN never wins a plain comparison, so it is ignored as they ignore it.
pub fn extremes(xs: &[f64]) -> (f64, f64, bool) {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut nan = false;
    let mut chunks = xs.chunks_exact(4);
    for c in &mut chunks {
        for j in 0..4 {
            lo[j] = if c[j] < lo[j] { c[j] } else { lo[j] };
            hi[j] = if c[j] > hi[j] { c[j] } else { hi[j] };
            nan |= c[j].is_nan();
        }
    }
    for &x in chunks.remainder() {
        lo[0] = if x < lo[0] { x } else { lo[0] };
        hi[0] = if x > hi[0] { x } else { hi[0] };
        nan |= x.is_nan();
    }
    let low = lo
        .iter()
        .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
    let high = hi
        .iter()
        .fold(f64::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    (low, high, nan)
}

/// How far `e` lies below the running `peak`, as a positive fraction of it; 1 when the peak is at
/// or below zero (a ruined account). The one definition of drawdown that statistics, `equity.csv`
/// and the sweep's charts share.
#[inline]
pub fn drawdown_below(peak: f64, e: f64) -> f64 {
    // `if peak <= 0 { 1 } else { ((peak − e) / peak).max(0) }`, written with selects instead of
    // branches so that a loop over it vectorises; the same value, bit for bit, for every input
    // (a test holds it to that form). `peak − e` is never −0, so the zero's sign needs no care.
    let dd = (peak - e) / peak;
    let dd = if dd > 0.0 { dd } else { 0.0 };
    if peak <= 0.0 { 1.0 } else { dd }
}

/// Below which value a point may lie deeper under `peak` than `depth`: a little above
/// `peak × (1 − depth)`, so that rounding never hides a deeper point. No bound (every point is
/// checked) while the peak is at or below zero.
#[inline]
fn lower_bound(peak: f64, depth: f64) -> f64 {
    if peak <= 0.0 || !depth.is_finite() {
        f64::INFINITY
    } else {
        peak * (1.0 - depth) + peak * 1e-6
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
        let mut c = EquityCurve::over(
            &time,
            Prices::MarkOrLast {
                mark: &mark,
                last: &close,
            },
        );
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
        let mut c = EquityCurve::over(&time, Prices::Complete(&close));
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
        let mut a = EquityCurve::over(&time, Prices::Complete(&close));
        a.marked_from(0, 0.0, 1.0);
        let b = EquityCurve::from_values(&time, &[2.0, 2.0, 2.0]);
        assert_eq!(a, b);
    }

    /// The per-point definition, without the filter the fast pass uses.
    fn naive_max_drawdown(time: &[i64], values: &[f64]) -> Option<Drawdown> {
        let mut best: Option<Drawdown> = None;
        let (mut peak, mut peak_time) = (f64::NEG_INFINITY, 0);
        for (&t, &e) in time.iter().zip(values) {
            if e > peak {
                (peak, peak_time) = (e, t);
            }
            let depth = drawdown_below(peak, e);
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

    proptest::proptest! {
        #[test]
        fn the_one_pass_drawdown_equals_the_per_point_definition_and_days_follow_the_clock(
            values in proptest::collection::vec(-50.0f64..200.0, 1..300),
            step in 1i64..40_000_000,
            gaps in proptest::collection::vec(proptest::bool::weighted(0.1), 300),
        ) {
            // A regular grid with missing bars here and there (a gap skips 1–3 days' worth of
            // steps at most), as real files have.
            let mut t = 1_600_000_000_000i64;
            let time: Vec<i64> = (0..values.len())
                .map(|i| {
                    t += if gaps[i] { step * (1 + (i as i64 % 3) * 40) } else { step };
                    t
                })
                .collect();
            let c = EquityCurve::from_values(&time, &values);
            let (dd, days) = (c.max_drawdown(), c.daily_closes());
            proptest::prop_assert_eq!(dd, naive_max_drawdown(&time, &values));
            let mut expected: Vec<(i64, f64)> = Vec::new();
            for (&t, &e) in time.iter().zip(&values) {
                let day = t.div_euclid(86_400_000);
                match expected.last_mut() {
                    Some(last) if last.0 == day => last.1 = e,
                    _ => expected.push((day, e)),
                }
            }
            proptest::prop_assert_eq!(days, expected);
        }

        #[test]
        fn the_drawdown_and_days_of_a_curve_of_held_and_flat_runs_equal_those_of_its_values(
            prices in proptest::collection::vec((1.0f64..100.0, proptest::bool::weighted(0.2)), 2..200),
            runs in proptest::collection::vec((0usize..200, -20.0f64..200.0, -3.0f64..3.0), 1..12),
            step in 1i64..20_000_000,
        ) {
            let n = prices.len();
            let time: Vec<i64> = (0..n as i64).map(|i| i * step).collect();
            let close: Vec<f64> = prices.iter().map(|p| p.0).collect();
            // Some bars without mark: the curve falls back to their last close.
            let mark: Vec<f64> = prices.iter().map(|&(p, hole)| if hole { f64::NAN } else { p * 1.001 }).collect();
            let mut starts: Vec<(usize, f64, f64)> = runs.iter().map(|&(k, b, q)| (k % n, b, q)).collect();
            starts.sort_by_key(|r| r.0);
            starts[0].0 = 0;
            let mut c = EquityCurve::over(&time, Prices::MarkOrLast { mark: &mark, last: &close });
            for (from, base, qty) in starts {
                // Every other run flat, as the engine's are between trades.
                if qty < 0.0 { c.flat_from(from, base) } else { c.marked_from(from, base, qty) }
            }
            let values: Vec<f64> = c.values().collect();
            proptest::prop_assert_eq!(c.max_drawdown(), naive_max_drawdown(&time, &values));
            let flat = EquityCurve::from_values(&time, &values);
            proptest::prop_assert_eq!(c.daily_closes(), flat.daily_closes());
            // The same values, bit for bit, chunk by chunk — also for a curve whose first run
            // starts late (bars before it have no value).
            let mut late = EquityCurve::over(&time, Prices::MarkOrLast { mark: &mark, last: &close });
            late.marked_from(n / 2, 5.0, 1.5);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            for curve in [&c, &late] {
                let want = bits(&curve.values().collect::<Vec<_>>());
                for chunk in [1, 3, 64, n + 5] {
                    let mut got = Vec::new();
                    curve.for_each_chunk(chunk, |from, vals| {
                        assert_eq!(from, got.len());
                        got.extend_from_slice(vals);
                    });
                    proptest::prop_assert_eq!(bits(&got), want.clone());
                }
            }
        }

        #[test]
        fn the_block_wise_drawdown_of_long_and_short_runs_equals_the_per_point_definition(
            steps in proptest::collection::vec((-1.0f64..1.0, proptest::bool::weighted(0.002)), 2..700),
            runs in proptest::collection::vec((0usize..700, 0.0f64..2000.0, -3.0f64..3.0, proptest::bool::weighted(0.25)), 1..8),
        ) {
            // One price column (every bar has a mark, or there is no mark file): held runs are
            // scanned 64 bars at a time. A random walk makes new peaks and deeper troughs inside
            // blocks, at their edges and across them; a rare NaN price takes the bar-by-bar way.
            let n = steps.len();
            let time: Vec<i64> = (0..n as i64).map(|i| i * 60_000).collect();
            let mut p = 100.0;
            let close: Vec<f64> = steps
                .iter()
                .map(|&(d, nan)| {
                    p = (p + d).max(1.0);
                    if nan { f64::NAN } else { p }
                })
                .collect();
            let mut starts: Vec<(usize, f64, f64, bool)> =
                runs.iter().map(|&(k, b, q, flat)| (k % n, b, q, flat)).collect();
            starts.sort_by_key(|r| r.0);
            starts[0].0 = 0;
            let mut c = EquityCurve::over(&time, Prices::Complete(&close));
            for (from, base, qty, flat) in starts {
                // Longs (qty > 0) and shorts (qty < 0), with flat runs between some of them.
                if flat || qty == 0.0 { c.flat_from(from, base) } else { c.marked_from(from, base, qty) }
            }
            let values: Vec<f64> = c.values().collect();
            proptest::prop_assert_eq!(c.max_drawdown(), naive_max_drawdown(&time, &values));
        }
    }

    #[test]
    fn the_branch_free_drawdown_equals_the_branching_definition_bit_for_bit() {
        let branching = |peak: f64, e: f64| {
            if peak <= 0.0 {
                1.0
            } else {
                ((peak - e) / peak).max(0.0)
            }
        };
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -5.0,
            -0.0,
            0.0,
            1e-300,
            0.1,
            0.3,
            99.99999999999999,
            100.0,
            100.00000000000001,
            1e300,
            f64::INFINITY,
            f64::NAN,
        ];
        for &peak in &xs {
            for &e in &xs {
                let (a, b) = (drawdown_below(peak, e), branching(peak, e));
                assert_eq!(a.to_bits(), b.to_bits(), "peak {peak}, e {e}");
            }
        }
    }

    #[test]
    fn a_block_without_a_new_peak_ends_on_its_first_deepest_bar_not_on_a_near_miss_before_it() {
        // Phase 1: a peak of 101 at bar 5. Phase 2: a slide to 95 (bars 10–63, the first blocks).
        // Phase 3, one block of 64 bars (64–127): 90.00001 at bar 70 — within the scan's slack
        // of the trough — then the trough 90 at bars 80 and 90 (a tie: the first one counts).
        let mut close = vec![100.0; 128];
        close[5] = 101.0;
        for (k, c) in close.iter_mut().enumerate().take(64).skip(10) {
            *c = 100.0 - (k - 10) as f64 * 5.0 / 53.0;
        }
        for c in close.iter_mut().skip(64) {
            *c = 95.0;
        }
        close[70] = 90.00001;
        close[80] = 90.0;
        close[90] = 90.0;
        let time: Vec<i64> = (0..close.len() as i64).map(|i| i * 60_000).collect();
        for qty in [1.0, 2.5] {
            let mut c = EquityCurve::over(&time, Prices::Complete(&close));
            c.marked_from(0, 10.0, qty);
            let values: Vec<f64> = c.values().collect();
            let dd = c.max_drawdown().unwrap();
            assert_eq!(Some(dd), naive_max_drawdown(&time, &values));
            assert_eq!((dd.peak.0, dd.trough.0), (5 * 60_000, 80 * 60_000));
        }
    }

    #[test]
    fn price_extremes_finds_the_extremes_in_any_lane_and_gives_up_on_nan() {
        for n in 1..20 {
            let xs: Vec<f64> = (0..n).map(|i| ((i * 7) % 11) as f64 - 5.0).collect();
            let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(super::price_extremes(&xs), Some((lo, hi)), "{xs:?}");
            let mut with_nan = xs.clone();
            with_nan[n / 2] = f64::NAN;
            assert_eq!(super::price_extremes(&with_nan), None);
        }
    }
}
