//! The parallel core of a sweep: signal groups in parallel, and inside each group the
//! configurations in parallel, every one reading the same signals and the same market data.
//!
//! Determinism: each configuration is a pure function of (its settings, the shared signals, the
//! shared market data), and rayon's indexed `collect` puts results back in id order, so the output
//! is the same whatever the number of threads or the order work was stolen in.
//!
//! Memory: a group's signals live only while that group runs, so at most about one signal column
//! per worker thread is alive, whatever the number of parameter combinations.

use std::ops::Range;

use rayon::prelude::*;

/// Run the configurations `ids` (a contiguous range of a grid whose signal groups are the ranges
/// `group · group_len .. (group + 1) · group_len`).
///
/// * `signals(group)` is computed once per group that `ids` touches;
/// * `run(id, &signals)` is called once per id, possibly on several threads at once;
/// * `done()` is called after each configuration (a progress bar's tick).
///
/// Returns the results in id order, or the error of the lowest failing id's group.
pub fn run_grouped<S, R, E>(
    ids: Range<usize>,
    group_len: usize,
    signals: impl Fn(usize) -> Result<S, E> + Sync,
    run: impl Fn(usize, &S) -> Result<R, E> + Sync,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<R>, E>
where
    S: Sync,
    R: Send,
    E: Send,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let group_len = group_len.max(1);
    let first_group = ids.start / group_len;
    let last_group = (ids.end - 1) / group_len;
    let per_group: Vec<Vec<R>> = (first_group..=last_group)
        .into_par_iter()
        .map(|g| {
            let shared = signals(g)?;
            let from = (g * group_len).max(ids.start);
            let to = ((g + 1) * group_len).min(ids.end);
            (from..to)
                .into_par_iter()
                .map(|id| {
                    let r = run(id, &shared);
                    done();
                    r
                })
                .collect::<Result<Vec<R>, E>>()
        })
        .collect::<Result<Vec<_>, E>>()?;
    Ok(per_group.into_iter().flatten().collect())
}

/// Run `work` on a rayon pool of `threads` workers (`None` = one per core, rayon's default).
/// A sweep's results do not depend on the number: this only trades speed for a free core.
pub fn in_pool<R: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> R + Send,
) -> Result<R, super::SweepError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            return Err(super::SweepError::Threads(
                "--threads 0: give at least 1".into(),
            ));
        }
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| super::SweepError::Threads(format!("cannot start the worker threads: {e}")))?;
    Ok(pool.install(work))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn each_touched_group_computes_its_signals_once_and_results_come_back_in_id_order() {
        let computed = AtomicUsize::new(0);
        let ticks = AtomicUsize::new(0);
        let out: Result<Vec<(usize, usize)>, ()> = run_grouped(
            5..14,
            4,
            |g| {
                computed.fetch_add(1, Ordering::Relaxed);
                Ok(g * 100)
            },
            |id, s| Ok((id, *s)),
            &|| {
                ticks.fetch_add(1, Ordering::Relaxed);
            },
        );
        let out = out.unwrap();
        // ids 5..14 touch groups 1 (4..8), 2 (8..12) and 3 (12..16).
        assert_eq!(computed.load(Ordering::Relaxed), 3);
        assert_eq!(ticks.load(Ordering::Relaxed), 9);
        let expected: Vec<_> = (5..14).map(|id| (id, (id / 4) * 100)).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn an_error_in_one_configuration_is_returned_instead_of_partial_results() {
        let out: Result<Vec<usize>, String> = run_grouped(
            0..6,
            2,
            |_| Ok(()),
            |id, _| {
                if id == 3 {
                    Err(format!("configuration {id} failed"))
                } else {
                    Ok(id)
                }
            },
            &|| {},
        );
        assert_eq!(out.unwrap_err(), "configuration 3 failed");
    }

    #[test]
    fn results_are_the_same_on_one_thread_and_on_four() {
        let work = || {
            run_grouped(
                0..40,
                8,
                |g| Ok::<_, ()>(g as f64 * 0.1),
                |id, s| Ok((id as f64).sqrt() * s),
                &|| {},
            )
            .unwrap()
        };
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(work);
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(work);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one), bits(&four));
    }
}
