//! First passage: for an entry at bar `i` with a trigger level, the first bar `j ≥ i` whose price
//! extreme reaches the level.
//!
//! The definition lives in [`Path::hits`]; [`first_passage_brute`] applies it bar by bar (O(n) per
//! entry, the oracle) and [`Scanner`] answers the same question in O(log n) per entry with a
//! segment tree of range minima, built once per path and shared by every leverage.
//!
//! Both directions are one comparison: a long is hit when `low ≤ level`, a short when
//! `high ≥ level`. With `sign` = +1 (long) or −1 (short) both read `sign·price ≤ sign·level`, and
//! negating an f64 is exact, so the tree stores `sign·price` and only ever looks for minima.
//!
//! Funding accrual (exchange-rules §2.3) moves the liquidation price after every settlement. For an
//! isolated position it moves it by `slope · ΔS`, where `S` is the running sum of `mark(T)·rate(T)`
//! over settlements and `slope = −side / (MMR − side)` (derivation in `survival::funding`), the same
//! for every entry. So `sign·price[j] ≤ sign·(level + slope·(S_through[j] − S_before[i]))` rearranges
//! to `key[j] ≤ threshold(i)` with `key[j] = sign·(price[j] − slope·S_through[j])`: one tree still
//! answers every entry. Rounding can differ between the two sides of that rearrangement, so the tree
//! is searched with a small tolerance and each candidate bar is confirmed with [`Path::hits`] itself:
//! the fast answer is exactly the oracle's.

/// Funding drift of the trigger level: the level at bar `j` for an entry at bar `i` is
/// `level + slope · (through[j] − before[i])`.
#[derive(Debug, Clone, Copy)]
pub struct FundingDrift<'a> {
    /// How far the level moves per unit of `S` (USDT per BTC of `mark·rate`).
    pub slope: f64,
    /// `S` including every settlement up to the end of bar `j` (settled before its price path).
    pub through: &'a [f64],
    /// `S` over the settlements strictly before bar `i` opens (not paid by an entry at `i`).
    pub before: &'a [f64],
}

/// The price series a trigger is tested on: lows for a long (`sign` +1), highs for a short (−1).
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    pub sign: f64,
    pub price: &'a [f64],
    pub drift: Option<FundingDrift<'a>>,
}

impl<'a> Path<'a> {
    pub fn len(&self) -> usize {
        self.price.len()
    }

    pub fn is_empty(&self) -> bool {
        self.price.is_empty()
    }

    /// The trigger level in force during bar `j` for an entry at bar `i` with initial `level`.
    pub fn level_at(&self, i: usize, level: f64, j: usize) -> f64 {
        match self.drift {
            None => level,
            Some(d) => level + d.slope * (d.through[j] - d.before[i]),
        }
    }

    /// The definition of a hit: bar `j` reaches the level of the entry at bar `i`. A NaN level
    /// (a position that can never be liquidated) is never hit.
    pub fn hits(&self, i: usize, level: f64, j: usize) -> bool {
        self.sign * self.price[j] <= self.sign * self.level_at(i, level, j)
    }
}

/// The oracle: scan every bar from the entry bar on. O(n) per entry, O(n²) for all entries.
pub fn first_passage_brute(path: &Path<'_>, i: usize, level: f64) -> Option<usize> {
    (i..path.len()).find(|&j| path.hits(i, level, j))
}

/// A segment tree of minima over `key`, padded with +∞ to a power of two.
#[derive(Debug, Clone)]
struct MinTree {
    /// Number of leaves (a power of two ≥ the series length).
    size: usize,
    /// `node[1]` is the root; node `v` has children `2v`, `2v+1`; leaves start at `size`.
    node: Vec<f64>,
}

impl MinTree {
    fn build(key: impl ExactSizeIterator<Item = f64>) -> MinTree {
        let size = key.len().next_power_of_two().max(1);
        let mut node = vec![f64::INFINITY; 2 * size];
        for (leaf, k) in node[size..].iter_mut().zip(key) {
            *leaf = k;
        }
        for v in (1..size).rev() {
            node[v] = node[2 * v].min(node[2 * v + 1]);
        }
        MinTree { size, node }
    }

    /// The first index `≥ from` whose key is `≤ x`. Walks up from the leaf to the first subtree to
    /// the right whose minimum qualifies, then down to its leftmost qualifying leaf: O(log n).
    fn first_at_or_below(&self, from: usize, x: f64) -> Option<usize> {
        if from >= self.size {
            return None;
        }
        let mut v = from + self.size;
        loop {
            if self.node[v] <= x {
                while v < self.size {
                    v *= 2;
                    if self.node[v] > x || self.node[v].is_nan() {
                        v += 1;
                    }
                }
                return Some(v - self.size);
            }
            // Climb while `v` is a right child: its parent's range starts before `from`.
            while v & 1 == 1 {
                v >>= 1;
            }
            if v == 0 {
                return None;
            }
            v += 1;
        }
    }
}

/// Answers first-passage queries on one [`Path`] in O(log n) each.
#[derive(Debug, Clone)]
pub struct Scanner<'a> {
    path: Path<'a>,
    tree: MinTree,
    /// Tolerance for the rearranged comparison; zero without funding, where it is exact.
    slack: f64,
}

impl<'a> Scanner<'a> {
    /// Build the tree: O(n) time, 2 × next_power_of_two(n) f64 of memory.
    pub fn new(path: Path<'a>) -> Scanner<'a> {
        let sign = path.sign;
        let (tree, slack) = match path.drift {
            None => (MinTree::build(path.price.iter().map(|&p| sign * p)), 0.0),
            Some(d) => {
                let key = path
                    .price
                    .iter()
                    .zip(d.through)
                    .map(|(&p, &s)| sign * (p - d.slope * s));
                let scale = path
                    .price
                    .iter()
                    .chain(d.through)
                    .fold(0.0_f64, |m, &v| m.max(v.abs()));
                (
                    MinTree::build(key),
                    1e-9 * (scale * (1.0 + d.slope.abs()) + 1.0),
                )
            }
        };
        Scanner { path, tree, slack }
    }

    pub fn path(&self) -> &Path<'a> {
        &self.path
    }

    /// The first bar `j ≥ i` that hits `level` for an entry at `i`; the same answer as
    /// [`first_passage_brute`].
    pub fn first_passage(&self, i: usize, level: f64) -> Option<usize> {
        if level.is_nan() {
            return None;
        }
        let threshold = match self.path.drift {
            None => self.path.sign * level,
            Some(d) => self.path.sign * (level - d.slope * d.before[i]) + self.slack,
        };
        let mut from = i;
        while let Some(j) = self.tree.first_at_or_below(from, threshold) {
            if j >= self.path.len() {
                return None;
            }
            if self.path.hits(i, level, j) {
                return Some(j);
            }
            from = j + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(price: &[f64]) -> Path<'_> {
        Path {
            sign: 1.0,
            price,
            drift: None,
        }
    }

    #[test]
    fn the_tree_finds_the_first_low_at_or_below_the_level_from_any_start() {
        let lows = [10.0, 9.0, 12.0, 8.0, 11.0, 7.5, 13.0];
        let scanner = Scanner::new(long(&lows));
        assert_eq!(scanner.first_passage(0, 9.0), Some(1));
        assert_eq!(scanner.first_passage(2, 9.0), Some(3));
        assert_eq!(scanner.first_passage(4, 8.0), Some(5));
        assert_eq!(scanner.first_passage(6, 8.0), None);
        assert_eq!(scanner.first_passage(0, 7.0), None);
    }

    #[test]
    fn a_short_is_hit_when_the_high_reaches_the_level_and_equality_counts() {
        let highs = [100.0, 101.0, 104.58, 103.0];
        let path = Path {
            sign: -1.0,
            price: &highs,
            drift: None,
        };
        let scanner = Scanner::new(path);
        assert_eq!(scanner.first_passage(0, 104.58), Some(2));
        assert_eq!(first_passage_brute(&path, 0, 104.58), Some(2));
        assert_eq!(scanner.first_passage(3, 104.58), None);
    }

    #[test]
    fn a_nan_level_is_never_reached() {
        let lows = [1.0, 0.5];
        assert_eq!(Scanner::new(long(&lows)).first_passage(0, f64::NAN), None);
        assert_eq!(first_passage_brute(&long(&lows), 0, f64::NAN), None);
    }

    #[test]
    fn funding_paid_by_a_long_lifts_its_level_until_a_low_reaches_it() {
        // Lows stay at 95 while the level starts at 94 and rises by 1 per bar of funding paid.
        let lows = [95.0, 95.0, 95.0, 95.0];
        let through = [0.0, 1.0, 2.0, 3.0];
        let before = [0.0, 0.0, 1.0, 2.0];
        let drift = FundingDrift {
            slope: 1.0,
            through: &through,
            before: &before,
        };
        let path = Path {
            sign: 1.0,
            price: &lows,
            drift: Some(drift),
        };
        assert_eq!(first_passage_brute(&path, 0, 94.0), Some(1));
        assert_eq!(Scanner::new(path).first_passage(0, 94.0), Some(1));
        // Entered at bar 2, only the funding from bar 2 on is this position's: from 93.5 the level is
        // 93.5 + (2 − 1) = 94.5 in bar 2 (below the low) and 93.5 + (3 − 1) = 95.5 in bar 3 (reached).
        assert_eq!(first_passage_brute(&path, 2, 93.5), Some(3));
        assert_eq!(Scanner::new(path).first_passage(2, 93.5), Some(3));
    }
}
