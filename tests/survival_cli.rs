//! `wick survival` end to end: files in a temporary folder in, CSV/Parquet/JSON/PNG out.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use wick::columnar::Column;

const H: i64 = 3_600_000;
/// 2024-06-01 00:00 UTC.
const START: i64 = 1_717_200_000_000;

/// 30 days of hourly candles: a slow sine with ±1.5% hourly wicks, and mark candles that follow the
/// last price but ignore half of each wick.
fn write_inputs(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let mut candles = String::from("timestamp,open,high,low,close,volume\n");
    let mut mark = String::from("timestamp,open,high,low,close,volume\n");
    let mut funding = String::from("timestamp,funding_rate,mark_price\n");
    for k in 0..720i64 {
        let t = START + k * H;
        let open = 60_000.0 + 3_000.0 * (k as f64 / 40.0).sin();
        let close = 60_000.0 + 3_000.0 * ((k + 1) as f64 / 40.0).sin();
        let wick = if k % 17 == 0 { 0.015 } else { 0.002 };
        let (high, low) = (
            open.max(close) * (1.0 + wick),
            open.min(close) * (1.0 - wick),
        );
        candles.push_str(&format!("{t},{open},{high},{low},{close},10\n"));
        let (mh, ml) = (
            open.max(close) * (1.0 + wick / 2.0),
            open.min(close) * (1.0 - wick / 2.0),
        );
        mark.push_str(&format!("{t},{open},{mh},{ml},{close},0\n"));
        if k % 8 == 0 {
            funding.push_str(&format!("{t},0.0001,{open}\n"));
        }
    }
    let paths = (
        dir.join("perp-1h.csv"),
        dir.join("mark-1h.csv"),
        dir.join("funding-8h.csv"),
    );
    std::fs::write(&paths.0, candles).unwrap();
    std::fs::write(&paths.1, mark).unwrap();
    std::fs::write(&paths.2, funding).unwrap();
    paths
}

/// Width and height from a PNG's IHDR chunk (bytes 16..24), after checking the signature.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |r: std::ops::Range<usize>| u32::from_be_bytes(bytes[r].try_into().unwrap());
    (be(16..20), be(20..24))
}

#[test]
fn survival_writes_tables_parquet_notes_and_three_charts_and_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let (candles, mark, funding) = write_inputs(dir.path());
    let out = dir.path().join("out");
    Command::cargo_bin("wick")
        .unwrap()
        .args(["survival", "--candles"])
        .arg(&candles)
        .arg("--mark")
        .arg(&mark)
        .arg("--funding")
        .arg(&funding)
        .args([
            "--leverage",
            "5,20,100",
            "--horizons",
            "1h,1d,7d",
            "--stop-loss",
            "3%",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("LONG")
                .and(predicate::str::contains("100x"))
                .and(predicate::str::contains("7d")),
        );
    for f in [
        "survival.csv",
        "survival_by_year.csv",
        "first_passage.parquet",
        "survival_run.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("survival.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    for col in [
        "side",
        "leverage",
        "p_liq_1h",
        "observed_7d",
        "p_liq_ever",
        "median_hours_to_liq",
        "p_stopped_first",
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "survival.csv has no {col}: {header}"
        );
    }
    // Two sides × three leverages, plus the header.
    assert_eq!(csv.lines().count(), 7);
    // first_passage.parquet: one row per entry × series; a liquidation time wherever the outcome
    // says liquidated, and nowhere else.
    let fp = wick::columnar::read_table(&out.join("first_passage.parquet")).unwrap();
    assert_eq!(fp.rows(), 720 * 6);
    let (Some(Column::OptI64(ms)), Some(Column::Str(outcome))) =
        (fp.column("time_to_liq_ms"), fp.column("outcome"))
    else {
        panic!(
            "first_passage.parquet columns: {:?}",
            fp.columns.iter().map(|c| &c.0).collect::<Vec<_>>()
        );
    };
    assert!(
        outcome.iter().any(|o| o == "liquidated"),
        "the 100x positions should be liquidated somewhere"
    );
    for (t, o) in ms.iter().zip(outcome) {
        assert_eq!(t.is_some(), o == "liquidated", "{t:?} {o}");
    }
    let notes = std::fs::read_to_string(out.join("survival_run.json")).unwrap();
    assert!(notes.contains("\"funding_booked\": true"), "{notes}");
    assert_eq!(png_size(&out.join("survival_curves.png")), (1600, 900));
    assert_eq!(png_size(&out.join("liquidations_by_year.png")), (1600, 900));
    let (w, h) = png_size(&out.join("survival_heatmap.png"));
    assert_eq!(w, 1600);
    assert!(h >= 600, "heatmap height {h}");
}

#[test]
fn a_leverage_below_one_is_refused_with_the_flag_named() {
    let dir = tempfile::tempdir().unwrap();
    let (candles, _, _) = write_inputs(dir.path());
    Command::cargo_bin("wick")
        .unwrap()
        .args(["survival", "--candles"])
        .arg(&candles)
        .args(["--leverage", "0.5", "--quiet"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--leverage").and(predicate::str::contains("at least 1")));
}

#[test]
fn an_ambiguous_stop_distance_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (candles, _, _) = write_inputs(dir.path());
    Command::cargo_bin("wick")
        .unwrap()
        .args(["survival", "--candles"])
        .arg(&candles)
        .args(["--stop-loss", "2", "--quiet"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2% or 0.02"));
}

#[test]
fn a_span_without_bars_names_the_file_span() {
    let dir = tempfile::tempdir().unwrap();
    let (candles, _, _) = write_inputs(dir.path());
    Command::cargo_bin("wick")
        .unwrap()
        .args(["survival", "--candles"])
        .arg(&candles)
        .args(["--from", "2030-01-01", "--quiet"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("2024-06-01 00:00").and(predicate::str::contains("widen")),
        );
}

#[test]
fn help_shows_a_worked_example() {
    Command::cargo_bin("wick")
        .unwrap()
        .args(["survival", "--help"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("btcusdt-perp-1h.csv")
                .and(predicate::str::contains("--leverage")),
        );
}
