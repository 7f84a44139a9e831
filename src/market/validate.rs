//! The checks every bar must pass, in one scan of the columns.
//!
//! The hot loop evaluates a single boolean per bar (finite, positive, high on top, low at the
//! bottom, volume not negative) and only when it is false works out which rule broke and builds
//! the message — so a clean file pays a few comparisons per bar and no allocation.

use crate::domain::{Interval, TimestampMs};

use super::source::Source;
use super::{Gap, MarketError};

/// Column names of one candle file, for messages.
#[derive(Debug, Clone)]
pub(crate) struct BarColumns {
    pub time: String,
    pub open: String,
    pub high: String,
    pub low: String,
    pub close: String,
    pub volume: Option<String>,
}

/// Borrowed OHLCV columns of equal length (`volume` may be absent, as in mark-price files).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bars<'a> {
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: Option<&'a [f64]>,
}

/// Rows (or steps) tested at a time, without an early exit, by the checks below.
const BLOCK: usize = 1024;

/// Every bar: prices finite and > 0, high ≥ max(open, close), low ≤ min(open, close),
/// volume finite and ≥ 0.
pub(crate) fn check_bars(
    src: &Source,
    names: &BarColumns,
    bars: Bars<'_>,
) -> Result<(), MarketError> {
    let n = bars
        .open
        .len()
        .min(bars.high.len())
        .min(bars.low.len())
        .min(bars.close.len());
    let volume = bars.volume.filter(|_| names.volume.is_some());
    let (bad_bar, bad_volume) = first_bad_rows(bars, volume, n);
    // A broken bar anywhere is reported before a bad volume.
    if let Some(i) = bad_bar {
        return Err(diagnose(src, names, bars, i));
    }
    if let (Some(i), Some(volume), Some(name)) = (bad_volume, volume, &names.volume) {
        let v = volume[i];
        return Err(if v.is_finite() {
            MarketError::NegativeVolume {
                file: src.file.clone(),
                row: src.row(i),
                column: name.clone(),
                value: v,
            }
        } else {
            not_finite(src, i, name, v)
        });
    }
    Ok(())
}

/// Rows from which the scan below is split between two threads.
const PARALLEL_ROWS: usize = 1 << 18;

/// The first of rows `0..n` whose prices break a rule, and the first whose volume does.
///
/// A large file's rows are scanned in two halves on two threads. The scan streams every column
/// once (5 × 40 MB for 5 million bars) from memory the loader has just filled, and one thread
/// cannot pull that at the memory's speed: on the benchmark file this scan ran alone, after the
/// parse, for ~35–40 ms of a ~500 ms load. The halves' answers combine exactly (the first half's
/// row wins), so the result is the one a single scan gives.
fn first_bad_rows(
    bars: Bars<'_>,
    volume: Option<&[f64]>,
    n: usize,
) -> (Option<usize>, Option<usize>) {
    first_bad_rows_split_from(bars, volume, n, PARALLEL_ROWS)
}

/// [`first_bad_rows`], split between two threads from `parallel_rows` rows (tests split small inputs).
fn first_bad_rows_split_from(
    bars: Bars<'_>,
    volume: Option<&[f64]>,
    n: usize,
    parallel_rows: usize,
) -> (Option<usize>, Option<usize>) {
    if n < parallel_rows {
        return scan_rows(bars, volume, 0, n);
    }
    let mid = (n / 2).next_multiple_of(BLOCK).min(n);
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| scan_rows(bars, volume, mid, n));
        (scan_rows(bars, volume, 0, mid), second.join())
    });
    // The thread cannot panic (the scan only compares numbers); should it fail anyway, this
    // thread scans the second half itself rather than lose its answer.
    let second = second.unwrap_or_else(|_| scan_rows(bars, volume, mid, n));
    (first.0.or(second.0), first.1.or(second.1))
}

/// [`first_bad_rows`] over rows `from..to`, in one pass over the columns: blocks of rows are
/// checked without an early exit, which the compiler turns into SIMD compares, and only a block
/// that holds a bad row is walked again to find the first one.
fn scan_rows(
    bars: Bars<'_>,
    volume: Option<&[f64]>,
    from: usize,
    to: usize,
) -> (Option<usize>, Option<usize>) {
    // `>=`/`<=` are false for NaN, so NaN and inf fall through to the diagnosis too.
    let bar_ok = |o: f64, h: f64, l: f64, c: f64| {
        (o > 0.0) & (c > 0.0) & (l > 0.0) & (h < f64::INFINITY) & (h >= o.max(c)) & (l <= o.min(c))
    };
    let volume_ok = |v: f64| (0.0..f64::INFINITY).contains(&v);
    let volume = volume.unwrap_or(&[]);
    let (mut bad_bar, mut bad_volume) = (None, None);
    for start in (from..to).step_by(BLOCK) {
        let end = (start + BLOCK).min(to);
        if bad_bar.is_none() {
            let (o, h, l, c) = (
                &bars.open[start..end],
                &bars.high[start..end],
                &bars.low[start..end],
                &bars.close[start..end],
            );
            let mut all = true;
            for j in 0..o.len() {
                all &= bar_ok(o[j], h[j], l[j], c[j]);
            }
            if !all {
                bad_bar = (0..o.len())
                    .find(|&j| !bar_ok(o[j], h[j], l[j], c[j]))
                    .map(|j| start + j);
            }
        }
        if bad_volume.is_none() && start < volume.len() {
            let v = &volume[start..end.min(volume.len())];
            if !v.iter().fold(true, |all, &x| all & volume_ok(x)) {
                bad_volume = v.iter().position(|&x| !volume_ok(x)).map(|j| start + j);
            }
        }
        if bad_bar.is_some() && (bad_volume.is_some() || start >= volume.len()) {
            break;
        }
    }
    (bad_bar, bad_volume)
}

fn not_finite(src: &Source, i: usize, column: &str, v: f64) -> MarketError {
    MarketError::NotFinite {
        file: src.file.clone(),
        row: src.row(i),
        column: column.to_string(),
        value: v.to_string(),
    }
}

/// Which rule bar `i` broke, checked in the order a person would look: each price on its own,
/// then the high, then the low.
fn diagnose(src: &Source, names: &BarColumns, bars: Bars<'_>, i: usize) -> MarketError {
    let (o, h, l, c) = (bars.open[i], bars.high[i], bars.low[i], bars.close[i]);
    let fields = [
        (&names.open, o),
        (&names.high, h),
        (&names.low, l),
        (&names.close, c),
    ];
    for (name, v) in fields {
        if !v.is_finite() {
            return not_finite(src, i, name, v);
        }
        if v <= 0.0 {
            return MarketError::NotPositive {
                file: src.file.clone(),
                row: src.row(i),
                column: name.clone(),
                value: v.to_string(),
            };
        }
    }
    let row = src.row(i);
    let file = src.file.clone();
    if h < o.max(c) {
        let (other, value) = if o >= c { ("open", o) } else { ("close", c) };
        return MarketError::HighTooLow {
            file,
            row,
            column: names.high.clone(),
            high: h,
            other,
            value,
        };
    }
    let (other, value) = if o <= c { ("open", o) } else { ("close", c) };
    MarketError::LowTooHigh {
        file,
        row,
        column: names.low.clone(),
        low: l,
        other,
        value,
    }
}

/// Times must strictly increase: a step back is "unsorted", a repeat is "duplicate".
pub(crate) fn check_order(src: &Source, column: &str, time: &[i64]) -> Result<(), MarketError> {
    let unordered = |a, b| b <= a;
    let Some(k) = blocks_with_bad_steps(time, unordered)
        .next()
        .and_then(|mut block| block.find(|&k| unordered(time[k], time[k + 1])))
    else {
        return Ok(());
    };
    let (prev, t, i) = (time[k], time[k + 1], k + 1);
    let human = |ms| TimestampMs(ms).to_human();
    if t == prev {
        Err(MarketError::Duplicate {
            file: src.file.clone(),
            row: src.row(i),
            column: column.into(),
            time: human(t),
        })
    } else {
        Err(MarketError::Unsorted {
            file: src.file.clone(),
            row: src.row(i),
            column: column.into(),
            time: human(t),
            previous: human(prev),
        })
    }
}

/// The blocks of steps `time[k] → time[k + 1]` (as ranges of `k`) that hold at least one step for
/// which `bad(time[k], time[k + 1])`. Each block is tested without an early exit, which the
/// compiler vectorises, so that clean data costs one streaming pass; callers walk only the blocks
/// returned, one step at a time.
fn blocks_with_bad_steps(
    time: &[i64],
    bad: impl Fn(i64, i64) -> bool,
) -> impl Iterator<Item = std::ops::Range<usize>> {
    let n = time.len().saturating_sub(1);
    (0..n).step_by(BLOCK).filter_map(move |start| {
        let end = (start + BLOCK).min(n);
        let any = time[start..end]
            .iter()
            .zip(&time[start + 1..=end])
            .fold(false, |any, (&x, &y)| any | bad(x, y));
        any.then_some(start..end)
    })
}

/// The bar interval (the given one, else the most common step) and the gaps: every step must be
/// a whole number of intervals; a step of k intervals leaves k − 1 bars missing.
pub(crate) fn grid(
    src: &Source,
    column: &str,
    time: &[i64],
    given: Option<Interval>,
) -> Result<(Interval, Vec<Gap>), MarketError> {
    let interval = match given {
        Some(i) => i,
        None => match most_common_step(time) {
            Some(step) => Interval(step),
            None => {
                return Err(MarketError::UnknownInterval {
                    file: src.file.clone(),
                });
            }
        },
    };
    let step_ms = interval.ms();
    let mut gaps = Vec::new();
    for k in blocks_with_bad_steps(time, |a, b| b - a != step_ms).flatten() {
        let w = [time[k], time[k + 1]];
        let step = w[1] - w[0];
        if step == step_ms {
            continue;
        }
        if step % step_ms != 0 {
            let human = |ms| TimestampMs(ms).to_human();
            return Err(MarketError::MixedInterval {
                file: src.file.clone(),
                row: src.row(k + 1),
                column: column.into(),
                step: format!(
                    "from {} to {} ({})",
                    human(w[0]),
                    human(w[1]),
                    Interval(step)
                ),
                interval: interval.to_string(),
            });
        }
        gaps.push(Gap {
            after: TimestampMs(w[0]),
            missing: step / step_ms - 1,
        });
    }
    Ok((interval, gaps))
}

/// The most common step between consecutive times: a majority vote first (one pass, no
/// allocation — true for any file with fewer missing bars than present ones), a count otherwise.
pub(crate) fn most_common_step(time: &[i64]) -> Option<i64> {
    let n = time.len().checked_sub(1).filter(|&n| n > 0)?;
    let count_of = |step: i64| {
        time[..n]
            .iter()
            .zip(&time[1..])
            .map(|(a, b)| usize::from(b - a == step))
            .sum::<usize>()
    };
    // Almost always the first step is the interval: one counting pass without branches says so.
    let first = time[1] - time[0];
    if count_of(first) * 2 > n {
        return Some(first);
    }
    let steps = || time.windows(2).map(|w| w[1] - w[0]);
    let (mut candidate, mut votes) = (0i64, 0usize);
    for s in steps() {
        if votes == 0 {
            candidate = s;
        }
        votes = if s == candidate { votes + 1 } else { votes - 1 };
    }
    if count_of(candidate) * 2 > n {
        return Some(candidate);
    }
    let mut counts = std::collections::HashMap::<i64, usize>::new();
    for s in steps() {
        *counts.entry(s).or_default() += 1;
    }
    // Ties go to the smaller step, so the answer does not depend on hash order.
    counts
        .into_iter()
        .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        .map(|(s, _)| s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columnar::FileFormat;

    fn src() -> Source {
        Source {
            file: "t.csv".into(),
            format: FileFormat::Csv,
            origin: None,
        }
    }

    const H: i64 = 3_600_000;

    #[test]
    fn gaps_are_counted_located_and_kept() {
        let t = [0, H, 4 * H, 5 * H, 7 * H];
        let (interval, gaps) = grid(&src(), "timestamp", &t, None).unwrap();
        assert_eq!(interval, Interval::HOUR);
        assert_eq!(
            gaps,
            vec![
                Gap {
                    after: TimestampMs(H),
                    missing: 2
                },
                Gap {
                    after: TimestampMs(5 * H),
                    missing: 1
                }
            ]
        );
    }

    #[test]
    fn a_step_that_is_not_a_whole_number_of_bars_is_a_mixed_interval() {
        let t = [0, H, 2 * H, 2 * H + H / 2];
        let err = grid(&src(), "timestamp", &t, None).unwrap_err().to_string();
        assert!(
            err.contains("row 5") && err.contains("30m") && err.contains("1h"),
            "{err}"
        );
    }

    #[test]
    fn the_interval_is_the_most_common_step_even_when_gaps_outnumber_nothing() {
        assert_eq!(most_common_step(&[0, 2, 4, 5, 6, 7]), Some(1));
        assert_eq!(most_common_step(&[0, 1, 3, 5]), Some(2));
        assert_eq!(most_common_step(&[0, 3, 4, 7]), Some(3));
        assert_eq!(most_common_step(&[0]), None);
    }

    #[test]
    fn a_repeated_time_is_a_duplicate_and_a_step_back_is_unsorted() {
        let dup = check_order(&src(), "timestamp", &[0, H, H])
            .unwrap_err()
            .to_string();
        assert!(dup.contains("row 4") && dup.contains("--dedupe"), "{dup}");
        let back = check_order(&src(), "timestamp", &[0, 2 * H, H])
            .unwrap_err()
            .to_string();
        assert!(back.contains("row 4") && back.contains("--sort"), "{back}");
    }

    #[test]
    fn each_broken_bar_rule_is_named_with_its_column() {
        let names = BarColumns {
            time: "t".into(),
            open: "o".into(),
            high: "h".into(),
            low: "l".into(),
            close: "c".into(),
            volume: Some("v".into()),
        };
        let check = |o: f64, h: f64, l: f64, c: f64, v: f64| {
            let bars = Bars {
                open: &[o],
                high: &[h],
                low: &[l],
                close: &[c],
                volume: Some(&[v]),
            };
            check_bars(&src(), &names, bars).map_err(|e| e.to_string())
        };
        assert!(check(10.0, 12.0, 9.0, 11.0, 1.0).is_ok());
        assert!(
            check(10.0, 10.5, 9.0, 11.0, 1.0)
                .unwrap_err()
                .contains("column h: high 10.5 is below close 11")
        );
        assert!(
            check(10.0, 12.0, 10.5, 11.0, 1.0)
                .unwrap_err()
                .contains("column l: low 10.5 is above open 10")
        );
        assert!(
            check(f64::NAN, 12.0, 9.0, 11.0, 1.0)
                .unwrap_err()
                .contains("column o: NaN")
        );
        assert!(
            check(10.0, f64::INFINITY, 9.0, 11.0, 1.0)
                .unwrap_err()
                .contains("column h: inf")
        );
        assert!(
            check(10.0, 12.0, 0.0, 11.0, 1.0)
                .unwrap_err()
                .contains("column l: price 0")
        );
        assert!(
            check(10.0, 12.0, 9.0, 11.0, -1.0)
                .unwrap_err()
                .contains("column v: volume -1")
        );
        assert!(
            check(10.0, 12.0, 9.0, 11.0, f64::NAN)
                .unwrap_err()
                .contains("column v: NaN")
        );
    }

    /// Row-by-row references for the block-wise checks: what each must find, in the plainest code.
    mod naive {
        pub fn bar_ok(o: f64, h: f64, l: f64, c: f64) -> bool {
            [o, h, l, c].iter().all(|v| v.is_finite() && *v > 0.0) && h >= o.max(c) && l <= o.min(c)
        }

        pub fn volume_ok(v: f64) -> bool {
            v.is_finite() && v >= 0.0
        }

        pub fn bad_steps(time: &[i64], bad: impl Fn(i64, i64) -> bool) -> Vec<usize> {
            (0..time.len().saturating_sub(1))
                .filter(|&k| bad(time[k], time[k + 1]))
                .collect()
        }

        pub fn most_common_step(time: &[i64]) -> Option<i64> {
            let mut counts = std::collections::BTreeMap::<i64, usize>::new();
            for w in time.windows(2) {
                *counts.entry(w[1] - w[0]).or_default() += 1;
            }
            // The most frequent; among equals the smallest (the map iterates in ascending order).
            let top = *counts.values().max()?;
            counts.into_iter().find(|&(_, n)| n == top).map(|(s, _)| s)
        }
    }

    /// A valid bar around 100 whose shape is drawn from `seed`.
    fn good_bar(seed: u32) -> [f64; 5] {
        let x = f64::from(seed % 1000) / 100.0;
        let (o, c) = (100.0 + x, 100.0 + (x * 7.0) % 10.0);
        [o, o.max(c) + x / 10.0, o.min(c) - x / 10.0, c, x]
    }

    /// Breaks bar `b` in the way `kind` names (0..=8: every rule and every non-finite case).
    fn break_bar(b: &mut [f64; 5], kind: u8) {
        match kind {
            0 => b[0] = f64::NAN,
            1 => b[1] = f64::INFINITY,
            2 => b[2] = 0.0,
            3 => b[3] = -5.0,
            4 => b[1] = b[0].max(b[3]) - 0.5,
            5 => b[2] = b[0].min(b[3]) + 0.5,
            6 => b[4] = -1.0,
            7 => b[4] = f64::NAN,
            _ => b[2] = f64::NEG_INFINITY,
        }
    }

    proptest::proptest! {
        /// Bad rows anywhere — first row, a block edge, deep in a later block, several per block —
        /// are found exactly where a row-by-row check finds them, bar and volume independently.
        #[test]
        fn block_wise_bar_checks_find_the_first_bad_row_a_naive_scan_finds(
            n in 1usize..4000,
            seeds in proptest::collection::vec(proptest::num::u32::ANY, 4000),
            breaks in proptest::collection::vec((0usize..4000, 0u8..9), 0..6),
            edge in proptest::option::of(0usize..4),
        ) {
            let mut rows: Vec<[f64; 5]> = (0..n).map(|i| good_bar(seeds[i])).collect();
            let mut breaks = breaks;
            // Block edges are where an off-by-one would hide.
            if let Some(e) = edge {
                breaks.push(([0, BLOCK - 1, BLOCK, 2 * BLOCK + 1][e], 4));
            }
            for (at, kind) in breaks {
                if at < n {
                    break_bar(&mut rows[at], kind);
                }
            }
            let col = |k: usize| rows.iter().map(|r| r[k]).collect::<Vec<f64>>();
            let (o, h, l, c, v) = (col(0), col(1), col(2), col(3), col(4));
            let bars = Bars { open: &o, high: &h, low: &l, close: &c, volume: Some(&v) };
            let want_bar = (0..n).find(|&i| !naive::bar_ok(o[i], h[i], l[i], c[i]));
            let want_volume = (0..n).find(|&i| !naive::volume_ok(v[i]));
            proptest::prop_assert_eq!(first_bad_rows(bars, Some(&v), n), (want_bar, want_volume));
            // The same rows split between two threads (the halves meet at a block edge).
            proptest::prop_assert_eq!(
                first_bad_rows_split_from(bars, Some(&v), n, 1),
                (want_bar, want_volume)
            );
            // A volume column shorter than the prices (only its rows are checked).
            let short = &v[..n / 3];
            let want_short = (0..n / 3).find(|&i| !naive::volume_ok(v[i]));
            proptest::prop_assert_eq!(
                first_bad_rows_split_from(bars, Some(short), n, 1),
                (want_bar, want_short)
            );
        }

        /// Every step the block-wise walk visits is exactly the set of bad steps, in order, with
        /// gaps and repeats scattered over many blocks; the grid's gaps and `check_order`'s verdict
        /// follow from the same steps.
        #[test]
        fn block_wise_step_checks_find_every_bad_step_a_naive_scan_finds(
            steps in proptest::collection::vec(
                proptest::prop_oneof![8 => proptest::strategy::Just(1i64), 1 => 2i64..5, 1 => -1i64..=0],
                1..5000,
            ),
            ordered in proptest::bool::ANY,
        ) {
            let mut time = vec![0i64];
            for &s in &steps {
                // Half the cases keep time in order, so that the grid's gaps are checked too.
                let s = if ordered { s.max(1) } else { s };
                time.push(time[time.len() - 1] + s * H);
            }
            let unordered = |a: i64, b: i64| b <= a;
            let walked: Vec<usize> = blocks_with_bad_steps(&time, unordered)
                .flatten()
                .filter(|&k| unordered(time[k], time[k + 1]))
                .collect();
            proptest::prop_assert_eq!(&walked, &naive::bad_steps(&time, unordered));
            proptest::prop_assert_eq!(check_order(&src(), "t", &time).is_ok(), walked.is_empty());
            if walked.is_empty() {
                let (_, gaps) = grid(&src(), "t", &time, Some(Interval::HOUR)).unwrap();
                let want: Vec<Gap> = naive::bad_steps(&time, |a, b| b - a != H)
                    .into_iter()
                    .map(|k| Gap { after: TimestampMs(time[k]), missing: (time[k + 1] - time[k]) / H - 1 })
                    .collect();
                proptest::prop_assert_eq!(gaps, want);
            }
        }

        /// The interval found is the most common step (ties to the smaller), whatever the share
        /// of gaps — also when gaps outnumber the regular steps and the vote has no majority.
        #[test]
        fn the_most_common_step_is_the_one_a_full_count_finds(
            steps in proptest::collection::vec(
                proptest::prop_oneof![3 => proptest::strategy::Just(60i64), 2 => proptest::strategy::Just(120i64), 2 => 1i64..400],
                1..3000,
            ),
        ) {
            let mut time = vec![0i64];
            for s in &steps {
                time.push(time[time.len() - 1] + s);
            }
            proptest::prop_assert_eq!(most_common_step(&time), naive::most_common_step(&time));
        }
    }
}
