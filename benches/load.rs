//! Loading 5 million 1m bars: load + validate as CSV and as Parquet, against polars' bare read of
//! the same files (the floor validation is measured against), plus peak memory of each in a fresh
//! process.
//!
//! Run: `cargo bench --bench load` (`WICK_BENCH_BARS` changes the size; the synthetic files are
//! made once under `target/bench-data/`). Targets (issue 2): validation adds ≤ 25% to the bare CSV
//! read; Parquet loads ≥ 5× faster than CSV; peak memory < 2× the column data (480 MB).
//!
//! After criterion's cases, the same ratios are taken round by round in this process and again in
//! fresh processes, one load each (`paired_ratios`, `cold_ratios`): on the VMs we measure on, a
//! ratio of two medians taken minutes apart moves by more than the target's margin.
//!
//! The floor calls polars directly: it is the one place outside `columnar` that may, because
//! measuring polars alone is its purpose.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::Criterion;
use polars::prelude::{CsvReadOptions, ParquetReader, SerReader};
use wick::market::synth::{self, SynthParams};
use wick::market::{LoadOptions, load_candles};

const PEAK_ENV: &str = "WICK_BENCH_PEAK";

fn bars() -> usize {
    std::env::var("WICK_BENCH_BARS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000_000)
}

/// The synthetic candle files (CSV, Parquet), generated once per size.
fn files() -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let params = SynthParams {
        bars: bars(),
        seed: 1,
        ..SynthParams::default()
    };
    let mut out = Vec::new();
    for ext in ["csv", "parquet"] {
        let paths = synth::paths_for(&dir.join(format!("bench-{}.{ext}", params.bars)), &params);
        if !paths.candles.exists() {
            synth::write_owned(synth::generate(&params), &paths)
                .expect("write synthetic bench data");
        }
        out.push(paths.candles);
    }
    (out[0].clone(), out[1].clone())
}

fn bare_csv(path: &Path) -> usize {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .expect("polars reads the CSV")
        .height()
}

/// The bare read plus polars' own concatenation into one contiguous chunk per column — the
/// floor for anything that hands out contiguous columns, as `Candles` does.
fn bare_csv_contiguous(path: &Path) -> usize {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_rechunk(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .expect("polars reads the CSV")
        .height()
}

fn bare_parquet(path: &Path) -> usize {
    let file = std::fs::File::open(path).expect("open parquet");
    ParquetReader::new(file)
        .finish()
        .expect("polars reads the Parquet")
        .height()
}

fn load(path: &Path) -> usize {
    load_candles(path, &LoadOptions::default())
        .expect("the synthetic file is valid")
        .candles
        .len()
}

/// The three cases the ratios compare, in the order a round's times are kept.
const CASES: [&str; 3] = ["bare-csv", "load-csv", "load-parquet"];

/// Runs `rounds` rounds of the three `CASES`, measured by `measure(case index)` in seconds, in
/// alternating order so that no case always follows the same one (each inherits the allocator's
/// and the page cache's state from the one before). Each round is `[bare CSV, wick CSV, wick
/// Parquet]`.
fn alternating_rounds(rounds: usize, mut measure: impl FnMut(usize) -> f64) -> Vec<[f64; 3]> {
    (0..rounds)
        .map(|round| {
            let mut t = [0.0; 3];
            for step in 0..3 {
                let case = if round.is_multiple_of(2) {
                    step
                } else {
                    2 - step
                };
                t[case] = measure(case);
            }
            t
        })
        .collect()
}

/// The two targets are ratios, and this VM's speed drifts by 10–20% within minutes: criterion's
/// medians, taken one case after another, can put the floor in a fast minute and wick's load in a
/// slow one. So the ratios are also taken round by round — the bare CSV read, wick's CSV load and
/// wick's Parquet load back to back — and the median of the per-round ratios is reported with its
/// range.
fn paired_ratios(csv: &Path, parquet: &Path) {
    const ROUNDS: usize = 12;
    let rounds = alternating_rounds(ROUNDS, |case| {
        let started = std::time::Instant::now();
        black_box(match case {
            0 => bare_csv(csv),
            1 => load(csv),
            _ => load(parquet),
        });
        started.elapsed().as_secs_f64()
    });
    report_ratios(
        &format!("paired rounds in this process ({ROUNDS}, order alternating)"),
        rounds,
    );
}

/// The same ratios as a user meets them: one load per process, as `wick run` does. Each round
/// starts three fresh processes and takes the time each reports for its load alone, so allocator
/// reuse between loads plays no part.
fn cold_ratios(exe: &Path) {
    const ROUNDS: usize = 6;
    let rounds = alternating_rounds(ROUNDS, |case| {
        child(exe, CASES[case])
            .split("one cold-process run ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .expect("the child reports its time")
    });
    report_ratios(
        &format!("cold processes, one load each ({ROUNDS} rounds, order alternating)"),
        rounds,
    );
}

/// Runs `peak_child(what)` in a fresh process and returns the line it printed.
fn child(exe: &Path, what: &str) -> String {
    let out = Command::new(exe)
        .env(PEAK_ENV, what)
        .output()
        .expect("run child");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Prints the median and range of the per-round ratios; each round is
/// `[bare CSV, wick CSV, wick Parquet]` in seconds.
fn report_ratios(what: &str, rounds: Vec<[f64; 3]>) {
    let summary = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n.is_multiple_of(2) {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        } else {
            v[n / 2]
        };
        (median, v[0], v[n - 1])
    };
    let (o, o_lo, o_hi) = summary(rounds.iter().map(|r| r[1] / r[0] - 1.0).collect());
    let (s, s_lo, s_hi) = summary(rounds.iter().map(|r| r[1] / r[2]).collect());
    let (f, w, q) = (
        summary(rounds.iter().map(|r| r[0]).collect()).0,
        summary(rounds.iter().map(|r| r[1]).collect()).0,
        summary(rounds.iter().map(|r| r[2]).collect()).0,
    );
    println!(
        "\n{what}, medians:\n  \
         times: bare CSV {:.1} ms, wick CSV {:.1} ms, wick Parquet {:.1} ms\n  \
         wick CSV over polars' bare CSV read: {:+.1}% (range {:+.1}% to {:+.1}%; target ≤ +25%)\n  \
         CSV / Parquet: {s:.2}× (range {s_lo:.2}× to {s_hi:.2}×; target ≥ 5×)",
        f * 1e3,
        w * 1e3,
        q * 1e3,
        o * 100.0,
        o_lo * 100.0,
        o_hi * 100.0
    );
}

/// In a child process: do one thing once and print the peak resident set (VmHWM, which counts
/// mapped file pages too).
fn peak_child(what: &str) {
    let (csv, parquet) = files();
    let started = std::time::Instant::now();
    let rows = match what {
        "bare-csv" => bare_csv(&csv),
        "bare-csv-contiguous" => bare_csv_contiguous(&csv),
        "bare-parquet" => bare_parquet(&parquet),
        "load-csv" => load(&csv),
        "load-parquet" => load(&parquet),
        other => panic!("unknown {PEAK_ENV}={other}"),
    };
    let secs = started.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: unknown");
    let hwm: Vec<&str> = hwm.split_whitespace().skip(1).collect();
    println!(
        "{what}: {rows} rows, VmHWM {}, one cold-process run {secs:.4} s",
        hwm.join(" ")
    );
}

fn main() {
    if let Ok(what) = std::env::var(PEAK_ENV) {
        peak_child(&what);
        return;
    }
    let (csv, parquet) = files();
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    let n = bars();
    c.bench_function(&format!("polars bare CSV read, {n} bars (floor)"), |b| {
        b.iter(|| black_box(bare_csv(&csv)))
    });
    c.bench_function(
        &format!("polars bare CSV read + rechunk, {n} bars (contiguous floor)"),
        |b| b.iter(|| black_box(bare_csv_contiguous(&csv))),
    );
    c.bench_function(&format!("load + validate CSV, {n} bars"), |b| {
        b.iter(|| black_box(load(&csv)))
    });
    c.bench_function(&format!("polars bare Parquet read, {n} bars"), |b| {
        b.iter(|| black_box(bare_parquet(&parquet)))
    });
    c.bench_function(&format!("load + validate Parquet, {n} bars"), |b| {
        b.iter(|| black_box(load(&parquet)))
    });
    c.final_summary();
    paired_ratios(&csv, &parquet);

    // Peak memory, each in a fresh process so that one measurement cannot inflate the next.
    let exe = std::env::current_exe().expect("bench executable");
    println!(
        "\npeak memory (VmHWM) in a fresh process; columns alone: {} MB",
        n * 6 * 8 / 1_000_000
    );
    for what in [
        "bare-csv",
        "bare-csv-contiguous",
        "load-csv",
        "bare-parquet",
        "load-parquet",
    ] {
        print!("  {}", child(&exe, what));
    }
    cold_ratios(&exe);
}
