//! `wick demo` on a fresh machine: an empty working folder, no network. It writes the synthetic
//! sample into data/, runs the leverage sweep and writes the report with its charts.

mod sweep_common;

use assert_cmd::Command;
use predicates::str::contains;

#[test]
fn demo_in_an_empty_folder_writes_a_synthetic_sample_and_a_full_report() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("wick")
        .unwrap()
        .current_dir(dir.path())
        .args(["demo", "--bars", "1500", "--quiet"])
        .assert()
        .success()
        .stdout(contains("Per leverage"))
        .stdout(contains("100x"))
        .stdout(contains("synthetic"))
        .stdout(contains("reports/demo"));
    let data: Vec<String> = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(data.len(), 3, "candles, mark and funding: {data:?}");
    assert!(data.iter().all(|n| n.starts_with("synth-")), "{data:?}");
    let report = dir.path().join("reports/demo");
    let rows = std::fs::read_to_string(report.join("sweep.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows, 32, "8 leverage levels × 4 stop settings");
    for chart in ["equity", "drawdown", "leverage", "price", "heatmap"] {
        assert_eq!(
            sweep_common::png_size(&report.join(format!("{chart}.png"))),
            (1600, 900)
        );
    }
}

#[test]
fn demo_with_too_few_bars_for_its_averages_says_how_many_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("wick")
        .unwrap()
        .current_dir(dir.path())
        .args(["demo", "--bars", "50", "--quiet"])
        .assert()
        .failure()
        .stderr(contains("give at least 200"));
}
