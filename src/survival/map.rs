//! The liquidation map as plain data: for every entry bar, every leverage and each side, the bar
//! in which the position was liquidated (or stopped, or neither) — compact enough for millions of
//! bars (4 bytes per entry and series).

use crate::domain::{Leverage, Side};

/// What happened to the position opened at the open of one entry bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The exchange would have refused the order: the leverage is above the maximum of the
    /// notional's bracket in the table in force at that date (exchange-rules §1.1).
    NotOpened,
    /// The mark price reached the liquidation price during bar `bar` (the entry bar included).
    Liquidated { bar: usize },
    /// The stop-loss (on the last price) filled during bar `bar`, before any liquidation.
    Stopped { bar: usize },
    /// Neither happened before the data ends.
    Survived,
}

/// Sentinels of the compact encoding; every other value is a bar index.
const SURVIVED: u32 = u32::MAX;
const NOT_OPENED: u32 = u32::MAX - 1;

/// The liquidation price of entry `i` is `open[i] × ratio` for every entry from `from_bar` until the
/// next segment: the ratio only depends on the bracket table in force (exchange-rules §1.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevelSegment {
    pub from_bar: usize,
    /// Liquidation price ÷ entry price; `None` when the position can never be liquidated (1x long).
    pub ratio: Option<f64>,
    /// Whether the bracket's maximum leverage allows the position at all.
    pub allowed: bool,
    /// Maintenance-margin rate of the bracket at the liquidation price (for funding drift).
    pub mmr: f64,
}

/// The outcomes of one (side, leverage) over all entry bars.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOutcomes {
    pub side: Side,
    pub leverage: Leverage,
    /// How the liquidation price was set, by date (one segment per bracket table).
    pub segments: Vec<LevelSegment>,
    /// Per entry bar: the encoded outcome (see [`Outcome`]).
    code: Vec<u32>,
    /// Per entry bar, when a stop-loss is set: true where the stop came first.
    stopped: Vec<bool>,
}

impl SeriesOutcomes {
    /// Build from per-entry outcomes.
    pub fn from_outcomes(
        side: Side,
        leverage: Leverage,
        segments: Vec<LevelSegment>,
        outcomes: &[Outcome],
    ) -> Self {
        let mut s = SeriesOutcomes {
            side,
            leverage,
            segments,
            code: Vec::with_capacity(outcomes.len()),
            stopped: Vec::new(),
        };
        let any_stop = outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Stopped { .. }));
        if any_stop {
            s.stopped = vec![false; outcomes.len()];
        }
        for (i, o) in outcomes.iter().enumerate() {
            let c = match *o {
                Outcome::NotOpened => NOT_OPENED,
                Outcome::Survived => SURVIVED,
                Outcome::Liquidated { bar } => bar as u32,
                Outcome::Stopped { bar } => {
                    s.stopped[i] = true;
                    bar as u32
                }
            };
            s.code.push(c);
        }
        s
    }

    pub fn len(&self) -> usize {
        self.code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    pub fn outcome(&self, i: usize) -> Outcome {
        match self.code[i] {
            NOT_OPENED => Outcome::NotOpened,
            SURVIVED => Outcome::Survived,
            bar if self.stopped.get(i).copied().unwrap_or(false) => {
                Outcome::Stopped { bar: bar as usize }
            }
            bar => Outcome::Liquidated { bar: bar as usize },
        }
    }

    /// The liquidation-price segment in force for entry `i`.
    pub fn segment(&self, i: usize) -> &LevelSegment {
        let k = self.segments.partition_point(|s| s.from_bar <= i);
        &self.segments[k.saturating_sub(1)]
    }
}

/// The whole map: entry times and one [`SeriesOutcomes`] per (side, leverage).
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalMap {
    /// Entry bar open times (UTC ms); entry `i` is bar `i` of the candles used.
    pub time: Vec<i64>,
    /// Entry prices: the last-price open of each bar.
    pub entry_price: Vec<f64>,
    pub interval_ms: i64,
    /// The end of the data: the close of the last bar. Nothing after it is known.
    pub end_ms: i64,
    pub series: Vec<SeriesOutcomes>,
    /// Number of bars whose liquidation test used the last price because the mark did not cover them.
    pub bars_without_mark: usize,
    /// True when no mark series was given at all (every test used the last price).
    pub last_price_proxy: bool,
    /// Entry bars dated before the first known bracket table; they use the earliest table.
    pub bars_before_first_table: usize,
    /// True when funding was booked against the isolated wallet (it moves the liquidation price).
    pub funding_booked: bool,
}

impl SurvivalMap {
    /// Time from the entry at bar `i` until the close of bar `bar` — the latest moment at which the
    /// event is known to have happened, given bar data.
    pub fn elapsed_ms(&self, i: usize, bar: usize) -> i64 {
        self.time[bar] + self.interval_ms - self.time[i]
    }

    /// Time to liquidation of entry `i` in `series`, `None` if it was not liquidated.
    pub fn time_to_liquidation_ms(&self, series: &SeriesOutcomes, i: usize) -> Option<i64> {
        match series.outcome(i) {
            Outcome::Liquidated { bar } => Some(self.elapsed_ms(i, bar)),
            _ => None,
        }
    }

    /// How long entry `i` can be followed before the data ends.
    pub fn observable_ms(&self, i: usize) -> i64 {
        self.end_ms - self.time[i]
    }
}
