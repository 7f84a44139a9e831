//! Probabilities of liquidation from a [`SurvivalMap`], with censoring handled one way throughout.
//!
//! **Censoring.** An entry opened 10 days before the data ends cannot tell whether it would have
//! been liquidated within 30 days. So "liquidated within H" is measured only over the entries whose
//! whole horizon lies inside the data (`entry + H ≤ end of the last bar`): both the numerator and the
//! denominator use exactly those entries. Longer horizons therefore rest on slightly fewer entries
//! (the count is in every row). "Ever" is the one exception, stated as such: liquidated at any time
//! before the data ends, over all entries, so late entries had less time — it is a lower bound.
//! Percentile times are taken over the positions that were liquidated (conditional on liquidation).
//!
//! A liquidation in bar `j` is dated at the close of bar `j` (the latest moment it can have
//! happened), so "within 1h" on hourly bars means "in the entry bar itself".

use std::str::FromStr;

use chrono::{DateTime, Datelike, Utc};
use rayon::prelude::*;

use super::SurvivalError;
use super::map::{Outcome, SeriesOutcomes, SurvivalMap};
use crate::domain::{Interval, Leverage, Side};

/// A holding horizon, written like an interval: `1h`, `4h`, `1d`, `7d`, `30d`, `90d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    pub label: String,
    pub ms: i64,
}

impl FromStr for Horizon {
    type Err = SurvivalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let interval: Interval = s
            .parse()
            .map_err(|_| SurvivalError::BadHorizon(s.trim().to_string()))?;
        // The label is what the user wrote: `7d` stays `7d` (not the canonical `1w`).
        Ok(Horizon {
            label: s.trim().to_string(),
            ms: interval.ms(),
        })
    }
}

/// Events among the entries that could be observed long enough.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    pub observed: u64,
    pub events: u64,
}

impl Share {
    /// `events / observed`, `None` when nothing could be observed.
    pub fn fraction(self) -> Option<f64> {
        (self.observed > 0).then(|| self.events as f64 / self.observed as f64)
    }
}

/// One line of `survival.csv` (or of `survival_by_year.csv` when `year` is set).
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalRow {
    pub side: Side,
    pub leverage: Leverage,
    /// Calendar year (UTC) of the entries, `None` for all years together.
    pub year: Option<i32>,
    /// Positions opened (entries the exchange would have accepted).
    pub entries: u64,
    /// Entries refused because the leverage exceeds the bracket's maximum at that date.
    pub not_opened: u64,
    /// One share per horizon, in the order given.
    pub within: Vec<Share>,
    /// Liquidated at any time before the data ends (a lower bound, see the module docs).
    pub ever: Share,
    /// With a stop-loss: entries whose stop filled before any liquidation.
    pub stopped_first: Option<u64>,
    /// Percentiles of the time to liquidation over the liquidated positions.
    pub p10_ms: Option<i64>,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
}

/// One row per (side, leverage) over all entries, in the order of `map.series`.
pub fn summarise(map: &SurvivalMap, horizons: &[Horizon], with_stop: bool) -> Vec<SurvivalRow> {
    let all = 0..map.time.len();
    map.series
        .par_iter()
        .map(|s| row(map, s, all.clone(), None, horizons, with_stop))
        .collect()
}

/// One row per (side, leverage, calendar year of entry).
pub fn summarise_by_year(
    map: &SurvivalMap,
    horizons: &[Horizon],
    with_stop: bool,
) -> Vec<SurvivalRow> {
    let years = year_ranges(&map.time);
    let jobs: Vec<_> = map
        .series
        .iter()
        .flat_map(|s| years.iter().map(move |y| (s, y.clone())))
        .collect();
    jobs.par_iter()
        .map(|(s, (year, r))| row(map, s, r.clone(), Some(*year), horizons, with_stop))
        .collect()
}

/// Fraction of positions still alive (not liquidated) after each holding time, over the entries
/// observed for at least that long: `1 − share liquidated within t`.
pub fn alive_curve(
    map: &SurvivalMap,
    series: &SeriesOutcomes,
    times_ms: &[i64],
) -> Vec<Option<f64>> {
    shares_within(map, series, 0..map.time.len(), times_ms)
        .into_iter()
        .map(|s| s.fraction().map(|f| 1.0 - f))
        .collect()
}

/// Entry index ranges per calendar year (UTC), in time order.
pub fn year_ranges(time: &[i64]) -> Vec<(i32, std::ops::Range<usize>)> {
    let mut out: Vec<(i32, std::ops::Range<usize>)> = Vec::new();
    for (i, &t) in time.iter().enumerate() {
        let y = year_of(t);
        match out.last_mut() {
            Some((last, r)) if *last == y => r.end = i + 1,
            _ => out.push((y, i..i + 1)),
        }
    }
    out
}

pub fn year_of(t_ms: i64) -> i32 {
    DateTime::<Utc>::from_timestamp_millis(t_ms)
        .map(|d| d.year())
        .unwrap_or(1970)
}

fn row(
    map: &SurvivalMap,
    s: &SeriesOutcomes,
    range: std::ops::Range<usize>,
    year: Option<i32>,
    horizons: &[Horizon],
    with_stop: bool,
) -> SurvivalRow {
    let mut entries = 0;
    let mut not_opened = 0;
    let mut stopped = 0;
    let mut passages = Vec::new();
    for i in range.clone() {
        match s.outcome(i) {
            Outcome::NotOpened => not_opened += 1,
            Outcome::Liquidated { bar } => {
                entries += 1;
                passages.push(map.elapsed_ms(i, bar));
            }
            Outcome::Stopped { .. } => {
                entries += 1;
                stopped += 1;
            }
            Outcome::Survived => entries += 1,
        }
    }
    passages.sort_unstable();
    let horizon_ms: Vec<i64> = horizons.iter().map(|h| h.ms).collect();
    SurvivalRow {
        side: s.side,
        leverage: s.leverage,
        year,
        entries,
        not_opened,
        within: shares_within(map, s, range, &horizon_ms),
        ever: Share {
            observed: entries,
            events: passages.len() as u64,
        },
        stopped_first: with_stop.then_some(stopped),
        p10_ms: percentile(&passages, 0.10),
        median_ms: percentile(&passages, 0.50),
        p90_ms: percentile(&passages, 0.90),
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// For each holding time `t`: among the opened entries in `range` with `entry + t ≤ end`, how many
/// were liquidated within `t`. Entries observed for `t` form a prefix of the range (time order), so
/// the liquidations are added in order of their passage time to a Fenwick tree over entry positions
/// and counted in the prefix: O((n + k) log n) for k holding times.
fn shares_within(
    map: &SurvivalMap,
    s: &SeriesOutcomes,
    range: std::ops::Range<usize>,
    times_ms: &[i64],
) -> Vec<Share> {
    let base = range.start;
    let len = range.len();
    // opened_before[k]: opened entries among the first k of the range.
    let mut opened_before = Vec::with_capacity(len + 1);
    opened_before.push(0u64);
    let mut liquidated: Vec<(i64, usize)> = Vec::new();
    for i in range.clone() {
        let o = s.outcome(i);
        let opened = !matches!(o, Outcome::NotOpened);
        opened_before.push(opened_before.last().copied().unwrap_or(0) + u64::from(opened));
        if let Outcome::Liquidated { bar } = o {
            liquidated.push((map.elapsed_ms(i, bar), i - base));
        }
    }
    liquidated.sort_unstable();
    let mut order: Vec<usize> = (0..times_ms.len()).collect();
    order.sort_by_key(|&k| times_ms[k]);
    let mut fenwick = vec![0u32; len + 1];
    let mut next = 0;
    let mut out = vec![Share::default(); times_ms.len()];
    for k in order {
        let t = times_ms[k];
        while next < liquidated.len() && liquidated[next].0 <= t {
            let mut p = liquidated[next].1 + 1;
            while p <= len {
                fenwick[p] += 1;
                p += p & p.wrapping_neg();
            }
            next += 1;
        }
        // Entries observed for `t`: those opening at or before `end − t`.
        let observed_len = map.time[range.clone()].partition_point(|&e| e + t <= map.end_ms);
        let mut events = 0u64;
        let mut p = observed_len;
        while p > 0 {
            events += u64::from(fenwick[p]);
            p -= p & p.wrapping_neg();
        }
        out[k] = Share {
            observed: opened_before[observed_len],
            events,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::map::LevelSegment;
    use rust_decimal_macros::dec;

    const H: i64 = 3_600_000;

    /// Six hourly entries; the data ends at the close of bar 5 (6h after the first open).
    fn map_with(outcomes: &[Outcome]) -> SurvivalMap {
        let n = outcomes.len();
        let seg = LevelSegment {
            from_bar: 0,
            ratio: Some(0.9),
            allowed: true,
            mmr: 0.004,
        };
        let series =
            SeriesOutcomes::from_outcomes(Side::Long, Leverage(dec!(10)), vec![seg], outcomes);
        SurvivalMap {
            time: (0..n as i64).map(|k| k * H).collect(),
            entry_price: vec![100.0; n],
            interval_ms: H,
            end_ms: n as i64 * H,
            series: vec![series],
            bars_without_mark: 0,
            last_price_proxy: false,
            bars_before_first_table: 0,
            funding_booked: false,
        }
    }

    #[test]
    fn only_entries_whose_horizon_fits_in_the_data_count_towards_a_horizon() {
        use Outcome::*;
        // Entry 0 is liquidated in its own bar (1h), entry 1 two bars later (3h), entry 4 in bar 5 (2h);
        // entry 5 is liquidated in its own bar but only 1h of data follows it.
        let map = map_with(&[
            Liquidated { bar: 0 },
            Liquidated { bar: 3 },
            Survived,
            Survived,
            Liquidated { bar: 5 },
            Liquidated { bar: 5 },
        ]);
        let s = &map.series[0];
        let shares = shares_within(&map, s, 0..6, &[H, 2 * H, 4 * H]);
        // 1h: all six entries observed; entries 0 and 5 liquidated within 1h.
        assert_eq!(
            shares[0],
            Share {
                observed: 6,
                events: 2
            }
        );
        // 2h: entries 0..=4 observed (entry 5 has only 1h); liquidated within 2h: entries 0 and 4.
        assert_eq!(
            shares[1],
            Share {
                observed: 5,
                events: 2
            }
        );
        // 4h: entries 0..=2 observed; entries 0 (1h) and 1 (3h) liquidated within 4h.
        assert_eq!(
            shares[2],
            Share {
                observed: 3,
                events: 2
            }
        );
    }

    #[test]
    fn refused_entries_are_neither_observed_nor_counted() {
        use Outcome::*;
        let map = map_with(&[NotOpened, Liquidated { bar: 1 }, Survived]);
        let rows = summarise(&map, &["1h".parse().unwrap()], false);
        assert_eq!(rows[0].entries, 2);
        assert_eq!(rows[0].not_opened, 1);
        assert_eq!(
            rows[0].within[0],
            Share {
                observed: 2,
                events: 1
            }
        );
        assert_eq!(
            rows[0].ever,
            Share {
                observed: 2,
                events: 1
            }
        );
        assert_eq!(rows[0].median_ms, Some(H));
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 0.1), Some(1));
        assert_eq!(percentile(&v, 0.5), Some(5));
        assert_eq!(percentile(&v, 0.9), Some(9));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn horizons_parse_like_intervals_and_bad_ones_name_the_value() {
        assert_eq!(
            "30d".parse::<Horizon>().unwrap(),
            Horizon {
                label: "30d".into(),
                ms: 30 * 24 * H
            }
        );
        let err = "soon".parse::<Horizon>().unwrap_err().to_string();
        assert!(err.contains("soon"), "{err}");
    }
}
