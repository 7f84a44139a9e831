//! Price extremes per block of bars: a summary of the market a replay can test a whole block against
//! instead of reading its bars one by one.
//!
//! A replay holding a position spends most bars checking that no price reached a stop, a
//! take-profit or the liquidation price. Those checks compare a level with each bar's low or high,
//! so a block of bars whose lowest low and highest high stay clear of every level cannot hold a
//! trigger — one comparison per block instead of one per bar, and a few bytes read per block instead
//! of the columns themselves. The summary is computed once per market, in one pass, and shared by
//! every configuration of a sweep (it rides with [`crate::strategy::Signals`], which are shared the
//! same way); the replay still reads every bar of a block that might hold a trigger.

use super::MarketData;

/// Bars per block. Blocks are aligned to bar index 0 (block `j` is bars `16j .. 16j + 16`); the
/// last bars of the data, fewer than a block, have no summary.
pub const BLOCK_BARS: usize = 16;

/// The extremes of each full block of [`BLOCK_BARS`] bars. A NaN never wins a comparison, as in
/// the replay's own per-bar checks (a mark candle that does not cover a bar is NaN); a block with
/// no number at all holds `+∞` as its low and `−∞` as its high.
#[derive(Debug, Clone, Default)]
pub struct BlockExtremes {
    /// The number of bars summarised: a summary is only used with data of that length.
    bars: usize,
    /// Lowest last-price low and highest last-price high of each block.
    pub low: Vec<f64>,
    pub high: Vec<f64>,
    /// Lowest mark low and highest mark high of each block (empty without mark data).
    pub mark_low: Vec<f64>,
    pub mark_high: Vec<f64>,
    /// Open time of each block's last bar (bar times increase, so no bar of the block opens later).
    pub last_time: Vec<i64>,
}

impl BlockExtremes {
    /// One pass over the low and high columns (and the mark's).
    pub fn of(market: &MarketData) -> BlockExtremes {
        let c = &market.candles;
        let bars = c.len();
        let (low, high) = extremes(&c.low, &c.high);
        let (mark_low, mark_high) = match &market.mark {
            Some(m) if m.low.len() == bars && m.high.len() == bars => extremes(&m.low, &m.high),
            _ => (Vec::new(), Vec::new()),
        };
        let last_time = c
            .time
            .chunks_exact(BLOCK_BARS)
            .map(|b| b[BLOCK_BARS - 1])
            .collect();
        BlockExtremes {
            bars,
            low,
            high,
            mark_low,
            mark_high,
            last_time,
        }
    }

    /// Whether this summary was made from data of `bars` bars.
    pub fn covers(&self, bars: usize) -> bool {
        self.bars == bars && self.low.len() == bars / BLOCK_BARS
    }

    /// Whether the mark's extremes are summarised too.
    pub fn has_mark(&self) -> bool {
        self.mark_low.len() == self.low.len()
    }
}

/// The extremes of a few bars that do not fill a block: the bars after a bar up to the next block
/// boundary, or from the last block boundary up to a bar (see [`Edges`]). Same rules as blocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Span {
    /// The span is bars `from .. from + len`.
    pub from: usize,
    pub len: usize,
    pub low: f64,
    pub high: f64,
    pub mark_low: f64,
    pub mark_high: f64,
    /// Open time of the span's last bar (`i64::MIN` for an empty span).
    pub last_time: i64,
}

impl Span {
    /// Bars `from .. to` of `market` (`to` ≤ its length).
    pub fn of(market: &MarketData, from: usize, to: usize) -> Span {
        let c = &market.candles;
        let lowest = |v: &[f64]| {
            v.iter()
                .fold(f64::INFINITY, |a, &x| if x < a { x } else { a })
        };
        let highest = |v: &[f64]| {
            v.iter()
                .fold(f64::NEG_INFINITY, |a, &x| if x > a { x } else { a })
        };
        let (mark_low, mark_high) = match &market.mark {
            Some(m) => (lowest(&m.low[from..to]), highest(&m.high[from..to])),
            None => (f64::INFINITY, f64::NEG_INFINITY),
        };
        Span {
            from,
            len: to - from,
            low: lowest(&c.low[from..to]),
            high: highest(&c.high[from..to]),
            mark_low,
            mark_high,
            last_time: to
                .checked_sub(1)
                .filter(|&l| l >= from)
                .map_or(i64::MIN, |l| c.time[l]),
        }
    }
}

/// Around a bar `e` where a strategy's target changes — where a quiet run of a replay typically ends
/// and the next begins — the bars that do not fill a block: `head` from `e + 1` up to the next block
/// boundary or the next change of target, whichever comes first (a run shorter than a block is all
/// head), `tail` from the block boundary at or before `e` up to `e`. With them a run from one
/// change to the next is tested without reading a single bar when nothing is reached.
#[derive(Debug, Clone, Copy, Default)]
pub struct Edges {
    pub head: Span,
    pub tail: Span,
}

impl Edges {
    /// The edges of bar `e` of `market`, whose next change of target is at bar `next` (or none).
    pub fn of(market: &MarketData, e: usize, next: Option<usize>) -> Edges {
        let n = market.candles.len();
        let head_from = (e + 1).min(n);
        let head_to = head_from
            .next_multiple_of(BLOCK_BARS)
            .min(n)
            .min(next.unwrap_or(n))
            .max(head_from);
        let tail_from = e - e % BLOCK_BARS;
        Edges {
            head: Span::of(market, head_from, head_to),
            tail: Span::of(market, tail_from, e),
        }
    }
}

impl PartialEq for Span {
    fn eq(&self, o: &Self) -> bool {
        let bits = |s: &Span| [s.low, s.high, s.mark_low, s.mark_high].map(f64::to_bits);
        (self.from, self.len, self.last_time) == (o.from, o.len, o.last_time)
            && bits(self) == bits(o)
    }
}

impl Eq for Span {}

impl PartialEq for Edges {
    fn eq(&self, o: &Self) -> bool {
        self.head == o.head && self.tail == o.tail
    }
}

impl Eq for Edges {}

/// Equality is bit for bit (so that a summary equals itself even where it holds no number).
impl PartialEq for BlockExtremes {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &[f64], b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
        };
        self.bars == other.bars
            && same(&self.low, &other.low)
            && same(&self.high, &other.high)
            && same(&self.mark_low, &other.mark_low)
            && same(&self.mark_high, &other.mark_high)
            && self.last_time == other.last_time
    }
}

impl Eq for BlockExtremes {}

/// Per full block: the lowest `low` and the highest `high`. Each block is folded in four lanes of
/// plain comparisons, which the compiler vectorises; a NaN never replaces the running value.
fn extremes(low: &[f64], high: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let lows = low
        .chunks_exact(BLOCK_BARS)
        .map(|b| fold4(b, f64::INFINITY, |acc, x| if x < acc { x } else { acc }))
        .collect();
    let highs = high
        .chunks_exact(BLOCK_BARS)
        .map(|b| fold4(b, f64::NEG_INFINITY, |acc, x| if x > acc { x } else { acc }))
        .collect();
    (lows, highs)
}

fn fold4(block: &[f64], start: f64, pick: impl Fn(f64, f64) -> f64) -> f64 {
    let mut lanes = [start; 4];
    for quad in block.chunks_exact(4) {
        for (lane, &x) in lanes.iter_mut().zip(quad) {
            *lane = pick(*lane, x);
        }
    }
    let mut acc = start;
    for lane in lanes {
        acc = pick(acc, lane);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::{Candles, MarkSeries};

    fn market(n: usize, mark: bool) -> MarketData {
        // A zig-zag whose extremes sit at different positions in each block.
        let price: Vec<f64> = (0..n)
            .map(|i| 100.0 + ((i * 7919) % 37) as f64 - 18.0)
            .collect();
        let candles = Candles {
            time: (0..n as i64).map(|i| i * 60_000).collect(),
            open: price.clone(),
            high: price.iter().map(|p| p + 1.5).collect(),
            low: price.iter().map(|p| p - 2.5).collect(),
            close: price.clone(),
            volume: vec![1.0; n],
            ..Candles::default()
        };
        let mark = mark.then(|| MarkSeries {
            source: String::new(),
            open: price.clone(),
            // A hole in the mark (NaN) at bar 5: it never wins a comparison.
            high: (0..n)
                .map(|i| if i == 5 { f64::NAN } else { price[i] + 1.0 })
                .collect(),
            low: (0..n)
                .map(|i| if i == 5 { f64::NAN } else { price[i] - 1.0 })
                .collect(),
            close: price.clone(),
            uncovered: 1,
        });
        MarketData {
            candles,
            mark,
            funding: None,
        }
    }

    #[test]
    fn each_full_block_holds_the_lowest_low_highest_high_and_last_open_time_of_its_bars() {
        let m = market(16 * 5 + 7, true);
        let x = BlockExtremes::of(&m);
        assert_eq!(
            x.low.len(),
            5,
            "the 7 bars after the last full block have no summary"
        );
        assert!(x.covers(m.candles.len()) && x.has_mark());
        let mark = m.mark.as_ref().unwrap();
        for j in 0..5 {
            let bars = j * BLOCK_BARS..(j + 1) * BLOCK_BARS;
            let min = |v: &[f64]| {
                v.iter()
                    .copied()
                    .filter(|x| !x.is_nan())
                    .fold(f64::INFINITY, f64::min)
            };
            let max = |v: &[f64]| {
                v.iter()
                    .copied()
                    .filter(|x| !x.is_nan())
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            assert_eq!(
                x.low[j].to_bits(),
                min(&m.candles.low[bars.clone()]).to_bits()
            );
            assert_eq!(
                x.high[j].to_bits(),
                max(&m.candles.high[bars.clone()]).to_bits()
            );
            assert_eq!(
                x.mark_low[j].to_bits(),
                min(&mark.low[bars.clone()]).to_bits()
            );
            assert_eq!(
                x.mark_high[j].to_bits(),
                max(&mark.high[bars.clone()]).to_bits()
            );
            assert_eq!(x.last_time[j], m.candles.time[bars.end - 1]);
        }
    }

    #[test]
    fn a_summary_is_only_for_data_of_its_own_length_and_without_mark_has_no_mark_extremes() {
        let m = market(40, false);
        let x = BlockExtremes::of(&m);
        assert!(x.covers(40) && !x.covers(41) && !x.covers(48));
        assert!(!x.has_mark());
        assert_eq!(x, x.clone());
    }
}
