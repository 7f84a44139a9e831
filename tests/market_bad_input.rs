//! Bad input gets a clear error, never a panic, never silent loss: one small file per error case,
//! each run through the `wick` binary. Every message must name the file, the row as an editor
//! counts it (header = line 1), the column and the fix; the exit code must be 1.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

const HEADER: &str = "timestamp,open,high,low,close,volume";
const H: i64 = 3_600_000;
const T0: i64 = 1_717_200_000_000; // 2024-06-01 00:00 UTC

/// A clean hourly bar at hour `k` (open 100, high 102, low 99, close 101, volume 5).
fn bar(k: i64) -> String {
    format!("{},100.0,102.0,99.0,101.0,5.0", T0 + k * H)
}

/// A candle file with five clean bars, whose data row `row` (as an editor counts it: the first
/// data row is row 2) is replaced by `replacement`.
fn candles_with(dir: &TempDir, name: &str, row: usize, replacement: &str) -> PathBuf {
    let mut lines = vec![HEADER.to_string()];
    lines.extend((0..5).map(bar));
    lines[row - 1] = replacement.to_string();
    write(dir, name, &lines.join("\n"))
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, format!("{text}\n")).unwrap();
    path
}

/// Run `wick data <args>` and check: exit 1, no panic, and every expected piece in stderr.
fn fails_with(args: &[&str], expected: &[&str]) {
    let out = Command::cargo_bin("wick")
        .unwrap()
        .arg("data")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    for piece in expected {
        assert!(stderr.contains(piece), "expected {piece:?} in:\n{stderr}");
    }
}

fn inspect_fails_with(path: &Path, expected: &[&str]) {
    fails_with(&["inspect", path.to_str().unwrap()], expected);
}

#[test]
fn a_missing_close_column_names_the_spellings_and_the_mapping_fix() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "nocl.csv",
        "timestamp,open,high,low,volume\n1717200000000,1,2,1,1",
    );
    inspect_fails_with(
        &path,
        &[
            "nocl.csv",
            "no close column",
            "close|c",
            "--columns close=<name>",
        ],
    );
}

#[test]
fn an_unparsable_price_names_row_column_and_value() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "num.csv",
        4,
        &format!("{},100.0,10x2.0,99.0,101.0,5.0", T0 + 2 * H),
    );
    inspect_fails_with(
        &path,
        &["num.csv row 4", "column high", "'10x2.0' is not a number"],
    );
}

#[test]
fn an_unparsable_time_names_row_column_and_value() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(&dir, "time.csv", 3, "yesterday,100.0,102.0,99.0,101.0,5.0");
    inspect_fails_with(
        &path,
        &[
            "time.csv row 3",
            "column timestamp",
            "'yesterday' is not a time",
        ],
    );
}

#[test]
fn a_missing_value_names_row_and_column() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "gap.csv",
        5,
        &format!("{},100.0,102.0,,101.0,5.0", T0 + 3 * H),
    );
    inspect_fails_with(&path, &["gap.csv row 5", "column low", "missing"]);
}

#[test]
fn nan_and_infinite_prices_are_refused_at_their_row() {
    let dir = TempDir::new().unwrap();
    let nan = candles_with(
        &dir,
        "nan.csv",
        3,
        &format!("{},100.0,102.0,99.0,NaN,5.0", T0 + H),
    );
    inspect_fails_with(
        &nan,
        &[
            "nan.csv row 3",
            "column close",
            "NaN is not a finite number",
        ],
    );
    let inf = candles_with(
        &dir,
        "inf.csv",
        6,
        &format!("{},100.0,inf,99.0,101.0,5.0", T0 + 4 * H),
    );
    inspect_fails_with(
        &inf,
        &["inf.csv row 6", "column high", "inf is not a finite number"],
    );
}

#[test]
fn a_price_of_zero_or_less_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "zero.csv",
        2,
        &format!("{T0},100.0,102.0,0,101.0,5.0"),
    );
    inspect_fails_with(
        &path,
        &["zero.csv row 2", "column low", "price 0 is not above zero"],
    );
}

#[test]
fn a_high_below_the_close_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "high.csv",
        4,
        &format!("{},100.0,100.5,99.0,101.0,5.0", T0 + 2 * H),
    );
    inspect_fails_with(
        &path,
        &[
            "high.csv row 4",
            "column high",
            "high 100.5 is below close 101",
        ],
    );
}

#[test]
fn a_low_above_the_open_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "low.csv",
        3,
        &format!("{},100.0,102.0,100.5,101.0,5.0", T0 + H),
    );
    inspect_fails_with(
        &path,
        &["low.csv row 3", "column low", "low 100.5 is above open 100"],
    );
}

#[test]
fn a_negative_volume_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(
        &dir,
        "vol.csv",
        6,
        &format!("{},100.0,102.0,99.0,101.0,-3.5", T0 + 4 * H),
    );
    inspect_fails_with(
        &path,
        &["vol.csv row 6", "column volume", "volume -3.5 is negative"],
    );
}

#[test]
fn an_unsorted_file_is_refused_and_sort_repairs_it_saying_how_many_rows_moved() {
    let dir = TempDir::new().unwrap();
    let text = [HEADER.to_string(), bar(0), bar(2), bar(1), bar(3)].join("\n");
    let path = write(&dir, "unsorted.csv", &text);
    inspect_fails_with(
        &path,
        &[
            "unsorted.csv row 4",
            "column timestamp",
            "comes before",
            "--sort",
        ],
    );
    let out = Command::cargo_bin("wick")
        .unwrap()
        .args(["data", "inspect", "--sort"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--sort moved 2 rows"));
}

#[test]
fn a_duplicate_time_is_refused_and_dedupe_says_how_many_rows_went() {
    let dir = TempDir::new().unwrap();
    let text = [HEADER.to_string(), bar(0), bar(1), bar(1), bar(2)].join("\n");
    let path = write(&dir, "dup.csv", &text);
    inspect_fails_with(
        &path,
        &["dup.csv row 4", "column timestamp", "repeats", "--dedupe"],
    );
    let out = Command::cargo_bin("wick")
        .unwrap()
        .args(["data", "inspect", "--dedupe", "keep-last"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("--dedupe removed 1 rows") && stdout.contains("rows:        3"),
        "{stdout}"
    );
}

#[test]
fn a_step_that_is_not_a_whole_number_of_bars_is_a_mixed_interval() {
    let dir = TempDir::new().unwrap();
    let half = format!("{},100.0,102.0,99.0,101.0,5.0", T0 + 3 * H + H / 2);
    let text = [HEADER.to_string(), bar(0), bar(1), bar(2), bar(3), half].join("\n");
    let path = write(&dir, "mixed.csv", &text);
    inspect_fails_with(
        &path,
        &["mixed.csv row 6", "column timestamp", "(30m)", "1h bars"],
    );
}

#[test]
fn a_file_with_only_a_header_or_nothing_at_all_is_empty() {
    let dir = TempDir::new().unwrap();
    let header_only = write(&dir, "header.csv", HEADER);
    inspect_fails_with(&header_only, &["header.csv", "no rows"]);
    let path = dir.path().join("blank.csv");
    std::fs::write(&path, "").unwrap();
    inspect_fails_with(&path, &["blank.csv", "empty", "header"]);
}

#[test]
fn a_mapping_to_an_absent_column_lists_the_columns_there_are() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(&dir, "map.csv", 2, &bar(0));
    fails_with(
        &["inspect", "--columns", "time=ts", path.to_str().unwrap()],
        &[
            "map.csv",
            "maps time to 'ts'",
            "timestamp, open, high, low, close, volume",
        ],
    );
}

#[test]
fn a_mark_file_of_another_interval_does_not_match_the_candles() {
    let dir = TempDir::new().unwrap();
    let candles = candles_with(&dir, "perp.csv", 2, &bar(0));
    let text = [HEADER.to_string(), bar(0), bar(2), bar(4)].join("\n");
    let mark = write(&dir, "perp-mark.csv", &text);
    fails_with(
        &[
            "inspect",
            mark.to_str().unwrap(),
            "--against",
            candles.to_str().unwrap(),
        ],
        &[
            "perp-mark.csv",
            "mark-price bars are 2h but the candles are 1h",
        ],
    );
}

#[test]
fn a_mark_bar_off_the_candle_grid_names_its_row() {
    let dir = TempDir::new().unwrap();
    let candles = candles_with(&dir, "perp.csv", 2, &bar(0));
    let off = |k: i64| format!("{},100.0,102.0,99.0,101.0,0.0", T0 + k * H + 60_000);
    let text = [HEADER.to_string(), off(0), off(1), off(2)].join("\n");
    let mark = write(&dir, "perp-mark.csv", &text);
    fails_with(
        &[
            "inspect",
            mark.to_str().unwrap(),
            "--against",
            candles.to_str().unwrap(),
        ],
        &[
            "perp-mark.csv row 2",
            "column timestamp",
            "not on the candles' grid",
            "1h bars from 2024-06-01 00:00",
        ],
    );
}

#[test]
fn a_bad_value_in_a_parquet_file_is_located_by_record() {
    let dir = TempDir::new().unwrap();
    let csv = candles_with(
        &dir,
        "src.csv",
        4,
        &format!("{},100.0,100.5,99.0,101.0,5.0", T0 + 2 * H),
    );
    let pq = dir.path().join("src.parquet");
    Command::cargo_bin("wick")
        .unwrap()
        .args(["data", "convert"])
        .arg(&csv)
        .arg(&pq)
        .assert()
        .success();
    inspect_fails_with(&pq, &["src.parquet record 3", "column high"]);
}

#[test]
fn a_row_with_too_few_or_too_many_fields_is_named() {
    let dir = TempDir::new().unwrap();
    let short = candles_with(
        &dir,
        "short.csv",
        4,
        &format!("{},100.0,102.0,99.0,101.0", T0 + 2 * H),
    );
    // A short row reads as missing values at its end.
    inspect_fails_with(
        &short,
        &["short.csv row 4", "column volume", "value is missing"],
    );
    let long = candles_with(
        &dir,
        "long.csv",
        3,
        &format!("{},100.0,102.0,99.0,101.0,5.0,9", T0 + H),
    );
    inspect_fails_with(&long, &["long.csv row 3", "7 fields, but the header has 6"]);
}

#[test]
fn a_semicolon_separated_file_is_told_it_is_not_comma_separated() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "semi.csv",
        "timestamp;open;high;low;close;volume\n1717200000000;1;2;0.5;1.5;3",
    );
    inspect_fails_with(&path, &["semi.csv", "';'", "comma-separated"]);
}

#[test]
fn a_time_before_1970_is_out_of_range() {
    let dir = TempDir::new().unwrap();
    let path = candles_with(&dir, "old.csv", 2, "-3600000,100.0,102.0,99.0,101.0,5.0");
    inspect_fails_with(
        &path,
        &["old.csv row 2", "column timestamp", "outside the years"],
    );
}
