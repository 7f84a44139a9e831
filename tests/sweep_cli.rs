//! `wick sweep` end to end: the terminal output, and errors that name the flag and the fix.

mod sweep_common;

use assert_cmd::Command;
use predicates::str::contains;

fn wick() -> Command {
    Command::cargo_bin("wick").unwrap()
}

#[test]
fn sweep_prints_the_ranked_grid_and_the_per_leverage_summary_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let strategy =
        sweep_common::synthetic_strategy(dir.path(), 2_000, "[sweep]\nleverage = [1, 10]\n");
    let out = dir.path().join("out");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args([
            "--stop-loss",
            "none,0.03",
            "--sort-by",
            "total_return",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("Configurations ranked by total_return"))
        .stdout(contains("Per leverage"))
        .stdout(contains("10x"))
        .stdout(contains("synthetic"));
    for f in [
        "sweep.csv",
        "sweep.parquet",
        "summary.json",
        "config.toml",
        "price.csv",
        "by_leverage/10x/trades.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // The file's [sweep] leverage list and the command line's stop-loss list make a 2 × 2 grid.
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5);
}

#[test]
fn an_unknown_sort_statistic_is_refused_with_the_list_of_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 500, "");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args(["--sort-by", "profit", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .failure()
        .stderr(contains("--sort-by profit: no such statistic"))
        .stderr(contains("calmar"));
}

#[test]
fn a_leverage_wick_run_would_refuse_is_refused_by_the_sweep_with_the_same_flag_named() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 500, "");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args(["--leverage", "1,0.5", "--quiet"])
        .assert()
        .failure()
        .stderr(contains("--leverage"))
        .stderr(contains("0.5"));
}

#[test]
fn a_parameter_without_values_is_refused_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 500, "");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args(["--param", "fast", "--quiet"])
        .assert()
        .failure()
        .stderr(contains(
            "--param fast: write NAME=VALUES, e.g. --param fast=10,20,50",
        ));
}

#[test]
fn a_parameter_combination_that_cannot_work_is_skipped_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 1_000, "");
    let out = dir.path().join("out");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args([
            "--param",
            "fast=20,150",
            "--leverage",
            "1,2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("skipped: configurations from id 2"))
        .stderr(contains("fast"));
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        3,
        "only fast = 20 (below slow = 100) runs"
    );
}

#[test]
fn the_reports_config_toml_is_a_strategy_file_that_replays_the_same_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let strategy =
        sweep_common::synthetic_strategy(dir.path(), 1_500, "[sweep]\nleverage = [2, 20]\n");
    let first = dir.path().join("first");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args([
            "--stop-loss",
            "none,0.02",
            "--param",
            "fast=10,30",
            "--from",
            "2020-01-10",
            "--quiet",
            "--out",
        ])
        .arg(&first)
        .assert()
        .success();
    let replay = dir.path().join("replay");
    wick()
        .arg("sweep")
        .arg(first.join("config.toml"))
        .args(["--quiet", "--out"])
        .arg(&replay)
        .assert()
        .success();
    let read = |d: &std::path::Path| std::fs::read_to_string(d.join("sweep.csv")).unwrap();
    assert_eq!(read(&first).lines().count(), 9);
    assert_eq!(read(&first), read(&replay));
}

#[test]
fn a_time_range_with_no_bar_is_refused_with_the_span_the_data_covers() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 500, "");
    wick()
        .arg("sweep")
        .arg(&strategy)
        .args(["--from", "2030-01-01", "--quiet"])
        .assert()
        .failure()
        .stderr(contains("no bar of"))
        .stderr(contains("the data covers 2020-01-01 00:00"));
}
