//! Opt-in repairs: `--sort` (stable, by time) and `--dedupe keep-first|keep-last` (rows with the
//! same time). Each says how many rows it changed, and remembers where every remaining row came
//! from, so that later messages still point at the row in the original file.

use std::str::FromStr;

use super::MarketError;

/// Which of several rows with the same time to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dedupe {
    KeepFirst,
    KeepLast,
}

impl FromStr for Dedupe {
    type Err = MarketError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "keep-first" | "first" => Ok(Dedupe::KeepFirst),
            "keep-last" | "last" => Ok(Dedupe::KeepLast),
            other => Err(MarketError::BadDedupe {
                value: other.to_string(),
            }),
        }
    }
}

/// What the repairs changed, for the load report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Rows that `--sort` moved to another position.
    pub rows_moved: usize,
    /// Rows that `--dedupe` removed.
    pub duplicates_removed: usize,
}

impl Repairs {
    pub fn any(&self) -> bool {
        self.rows_moved > 0 || self.duplicates_removed > 0
    }
}

/// The row order after the requested repairs: `Some(indices into the file)` when anything
/// changed, `None` when the file was already fine (the common case costs one sortedness scan).
pub(crate) fn plan(
    time: &[i64],
    sort: bool,
    dedupe: Option<Dedupe>,
) -> (Option<Vec<u32>>, Repairs) {
    let mut repairs = Repairs::default();
    let needs_sort = sort && !time.is_sorted();
    let has_dupes = dedupe.is_some() && time.windows(2).any(|w| w[0] == w[1]);
    // Without --sort only adjacent repeats can be removed; with it, sorting brings them together.
    if !needs_sort && !has_dupes {
        return (None, repairs);
    }
    let mut order: Vec<u32> = (0..time.len() as u32).collect();
    if needs_sort {
        // Stable: rows with equal times keep their file order, so keep-first/keep-last still
        // mean "first/last in the file".
        order.sort_by_key(|&i| time[i as usize]);
        repairs.rows_moved = order
            .iter()
            .enumerate()
            .filter(|&(pos, &i)| pos != i as usize)
            .count();
    }
    if let Some(policy) = dedupe {
        let before = order.len();
        let mut kept: Vec<u32> = Vec::with_capacity(before);
        for &i in &order {
            match kept.last_mut() {
                Some(last) if time[*last as usize] == time[i as usize] => {
                    if policy == Dedupe::KeepLast {
                        *last = i;
                    }
                }
                _ => kept.push(i),
            }
        }
        repairs.duplicates_removed = before - kept.len();
        order = kept;
    }
    (Some(order), repairs)
}

/// Reorder a column by a plan.
pub(crate) fn apply<T: Copy>(values: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&i| values[i as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_counts_the_rows_it_moved_and_is_stable() {
        let (order, r) = plan(&[3, 1, 2, 1], true, None);
        assert_eq!(order.unwrap(), vec![1, 3, 2, 0]);
        // Index 2 (time 2) stays in place; the other three rows move.
        assert_eq!(
            r,
            Repairs {
                rows_moved: 3,
                duplicates_removed: 0
            }
        );
    }

    #[test]
    fn dedupe_keeps_the_first_or_last_row_of_a_repeated_time() {
        let t = [1, 2, 2, 2, 3];
        let (first, r) = plan(&t, false, Some(Dedupe::KeepFirst));
        assert_eq!(first.unwrap(), vec![0, 1, 4]);
        assert_eq!(r.duplicates_removed, 2);
        let (last, _) = plan(&t, false, Some(Dedupe::KeepLast));
        assert_eq!(last.unwrap(), vec![0, 3, 4]);
    }

    #[test]
    fn a_clean_file_is_left_alone_without_copying() {
        assert_eq!(
            plan(&[1, 2, 3], true, Some(Dedupe::KeepLast)),
            (None, Repairs::default())
        );
    }
}
