//! `--shard I/N`: the I-th of N deterministic slices of a grid, for running one sweep on many
//! machines (a Kubernetes Indexed Job, a Slurm job array, GNU parallel over hosts).
//!
//! The index is 0-based, like Kubernetes' `JOB_COMPLETION_INDEX` and `sbatch --array=0-(N-1)`.
//! Shard `I` gets the contiguous id range `[I·len/N, (I+1)·len/N)`: contiguous, so that a shard
//! computes the signals of as few parameter groups as possible; the N ranges cover every id once.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::SweepError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0-based: `0 ≤ index < count`.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole grid as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    pub fn new(index: usize, count: usize) -> Result<Shard, SweepError> {
        if count == 0 {
            return Err(SweepError::Shard(format!(
                "{index}/{count}: the number of shards must be at least 1"
            )));
        }
        if index >= count {
            return Err(SweepError::Shard(format!(
                "{index}/{count}: the index is 0-based and must be below {count} (0 to {}), \
                 as Kubernetes' JOB_COMPLETION_INDEX or `sbatch --array=0-{}`",
                count - 1,
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }

    /// The ids of a grid of `len` configurations this shard runs. Empty when there are more shards
    /// than configurations (that shard then writes a sweep with no rows, and merge accepts it).
    pub fn range(self, len: usize) -> Range<usize> {
        // u128 so that `index · len` cannot overflow, whatever the grid size.
        let at = |i: usize| ((i as u128 * len as u128) / self.count as u128) as usize;
        at(self.index)..at(self.index + 1)
    }

    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = SweepError;

    fn from_str(s: &str) -> Result<Shard, SweepError> {
        let bad = || {
            SweepError::Shard(format!(
                "{s:?} is not I/N; write e.g. `--shard 0/4` for the first of four slices"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index = i.trim().parse().map_err(|_| bad())?;
        let count = n.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_configuration_exactly_once_in_order() {
        for len in [0, 1, 5, 32, 33] {
            for count in 1..=7 {
                let ranges: Vec<_> = (0..count)
                    .map(|i| Shard::new(i, count).unwrap().range(len))
                    .collect();
                assert_eq!(ranges[0].start, 0);
                assert_eq!(ranges[count - 1].end, len);
                for pair in ranges.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start);
                }
            }
        }
    }

    #[test]
    fn thirty_two_configurations_in_three_shards_split_ten_eleven_eleven() {
        let sizes: Vec<_> = (0..3)
            .map(|i| Shard::new(i, 3).unwrap().range(32).len())
            .collect();
        assert_eq!(sizes, [10, 11, 11]);
    }

    #[test]
    fn shard_text_parses_and_an_index_out_of_range_names_the_allowed_ones() {
        assert_eq!(
            "2/4".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 4 }
        );
        let err = "4/4".parse::<Shard>().unwrap_err().to_string();
        assert!(err.contains("must be below 4 (0 to 3)"), "{err}");
        assert!("two/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
    }
}
