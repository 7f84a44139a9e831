//! Joining the files of one kind into one series in time order, and pairing funding with the mark price.

use super::error::FileProblem;
use super::parse::{CandleRow, FundingRow};

/// A row with a time to order by.
pub trait Timed: Copy + PartialEq {
    fn time(&self) -> i64;
}

impl Timed for CandleRow {
    fn time(&self) -> i64 {
        self.time
    }
}

impl Timed for FundingRow {
    fn time(&self) -> i64 {
        self.time
    }
}

/// The rows of several files (each with the name it came from) as one series sorted by time.
///
/// Archive files do not overlap, so a time seen twice is either the same row twice (kept once) or a
/// conflict: the first file's row is kept and the later file is reported, never silently preferred.
pub fn merge<T: Timed>(parts: &[(String, Vec<T>)]) -> (Vec<T>, Vec<FileProblem>) {
    let mut all: Vec<(T, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(i, (_, rows))| rows.iter().map(move |r| (*r, i)))
        .collect();
    // Stable sort: among equal times the earlier file comes first and is the one kept.
    all.sort_by_key(|(row, _)| row.time());
    let mut merged: Vec<T> = Vec::with_capacity(all.len());
    let mut kept_from: Vec<usize> = Vec::with_capacity(all.len());
    let mut problems = Vec::new();
    for (row, part) in all {
        match merged.last() {
            Some(last) if last.time() == row.time() => {
                let other = kept_from[kept_from.len() - 1];
                if *last != row
                    && !problems
                        .iter()
                        .any(|p: &FileProblem| p.file() == parts[part].0)
                {
                    problems.push(FileProblem::Conflict {
                        file: parts[part].0.clone(),
                        other: parts[other].0.clone(),
                        time: crate::domain::TimestampMs(row.time()).to_human(),
                    });
                }
            }
            _ => {
                merged.push(row);
                kept_from.push(part);
            }
        }
    }
    (merged, problems)
}

/// The mark price at each funding time: the open of the mark candle that starts exactly then, as Binance
/// charges funding on the mark price at the settlement instant (exchange-rules §2.3, §2.4). `None` where no
/// mark candle starts at that time (mark not fetched, not yet published, or bars longer than the funding
/// period); the engine then uses the mark open of the bar holding the settlement.
pub fn mark_at_funding(funding: &[FundingRow], mark: &[CandleRow]) -> Vec<Option<f64>> {
    funding
        .iter()
        .map(|f| {
            mark.binary_search_by_key(&f.time, |m| m.time)
                .ok()
                .map(|i| mark[i].open)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candle(time: i64, open: f64) -> CandleRow {
        CandleRow {
            time,
            open,
            high: open,
            low: open,
            close: open,
            volume: 0.0,
        }
    }

    #[test]
    fn files_are_joined_in_time_order_whatever_order_they_arrive_in() {
        let parts = vec![
            (
                "feb.zip".to_string(),
                vec![candle(30, 3.0), candle(40, 4.0)],
            ),
            (
                "jan.zip".to_string(),
                vec![candle(10, 1.0), candle(20, 2.0)],
            ),
        ];
        let (rows, problems) = merge(&parts);
        assert_eq!(
            rows.iter().map(|r| r.time).collect::<Vec<_>>(),
            [10, 20, 30, 40]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn a_repeated_identical_row_is_kept_once_and_a_differing_one_is_reported() {
        let parts = vec![
            ("a.zip".to_string(), vec![candle(10, 1.0), candle(20, 2.0)]),
            ("b.zip".to_string(), vec![candle(20, 2.0)]),
            ("c.zip".to_string(), vec![candle(20, 9.0), candle(30, 3.0)]),
        ];
        let (rows, problems) = merge(&parts);
        assert_eq!(rows, [candle(10, 1.0), candle(20, 2.0), candle(30, 3.0)]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file(), "c.zip");
        assert!(
            problems[0].to_string().contains("kept the one from a.zip"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn funding_takes_the_open_of_the_mark_candle_starting_at_its_time() {
        let funding = [
            FundingRow {
                time: 0,
                rate: 0.0001,
            },
            FundingRow {
                time: 28_800_000,
                rate: 0.0002,
            },
        ];
        let mark = [candle(0, 100.0), candle(3_600_000, 101.0)];
        assert_eq!(mark_at_funding(&funding, &mark), [Some(100.0), None]);
    }
}
