//! `wick run` end to end: a strategy file and its candles written into a temporary folder, the
//! binary run on them, the report folder and the printed summary checked.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// 48 hourly bars from 2025-09-01: up 100 USDT an hour from 60,000, each bar ±50 around its open/close.
fn write_candles(dir: &Path) {
    let mut csv = String::from("timestamp,open,high,low,close,volume\n");
    for i in 0..48i64 {
        let t = 1_756_684_800_000 + i * 3_600_000;
        let open = 60_000 + i * 100;
        let close = open + 100;
        csv.push_str(&format!(
            "{t},{open},{},{},{close},1\n",
            close + 50,
            open - 50
        ));
    }
    fs::write(dir.join("candles.csv"), csv).unwrap();
}

fn write_strategy(dir: &Path, extra: &str) -> std::path::PathBuf {
    let path = dir.join("hold.toml");
    let text = format!(
        "name = \"hold\"\n[data]\ncandles = \"candles.csv\"\n[strategy]\nkind = \"buy_and_hold\"\n\
         [account]\ninitial_capital = 10000\nleverage = 2\nsizing = {{ margin_fraction = 0.5 }}\n{extra}"
    );
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn wick_run_writes_the_report_folder_and_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    write_candles(dir.path());
    let strategy = write_strategy(dir.path(), "");
    let out = dir.path().join("report");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "run",
            strategy.to_str().unwrap(),
            "--leverage",
            "3",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("final equity"))
        .stdout(predicate::str::contains("10,000.00 USDT"))
        .stdout(predicate::str::contains(
            "warning: liquidation checked on last price",
        ));
    for f in [
        "config.toml",
        "summary.json",
        "trades.csv",
        "events.csv",
        "equity.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
    // The override is in the resolved settings.
    let config: toml::Table = fs::read_to_string(out.join("config.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let leverage = &config["account"]["leverage"];
    assert!(
        leverage.as_float() == Some(3.0) || leverage.as_str() == Some("3"),
        "{leverage}"
    );
    // Buy-and-hold: one trade, closed at the end of the data at the last close 64,800.
    let trades = fs::read_to_string(out.join("trades.csv")).unwrap();
    assert_eq!(trades.lines().count(), 2);
    assert!(trades.lines().nth(1).unwrap().contains(",64800,3,"));
    assert!(trades.contains(",end,"));
    // One equity row per bar, and a summary whose final equity matches the ledger.
    assert_eq!(
        fs::read_to_string(out.join("equity.csv"))
            .unwrap()
            .lines()
            .count(),
        49
    );
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stats"]["trades"], 1);
    assert_eq!(summary["warnings"][0], "liquidation checked on last price");
}

#[test]
fn wick_run_quiet_prints_nothing_and_honours_the_time_range() {
    let dir = tempfile::tempdir().unwrap();
    write_candles(dir.path());
    let strategy = write_strategy(dir.path(), "[range]\nfrom = \"2025-09-02\"\n");
    let out = dir.path().join("r");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "run",
            strategy.to_str().unwrap(),
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    // 24 bars from 2025-09-02 00:00, entered at the first of them.
    assert_eq!(
        fs::read_to_string(out.join("equity.csv"))
            .unwrap()
            .lines()
            .count(),
        25
    );
    let trades = fs::read_to_string(out.join("trades.csv")).unwrap();
    assert!(
        trades
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("2025-09-02T00:00:00.000Z,")
    );
}

#[test]
fn wick_run_exits_1_naming_the_file_and_key_on_an_unknown_key() {
    let dir = tempfile::tempdir().unwrap();
    write_candles(dir.path());
    let strategy = write_strategy(dir.path(), "levrage = 5\n");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "run",
            strategy.to_str().unwrap(),
            "--out",
            dir.path().join("x").to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("hold.toml"))
        .stderr(predicate::str::contains("levrage"));
}

#[test]
fn wick_run_exits_1_when_the_range_holds_no_bar() {
    let dir = tempfile::tempdir().unwrap();
    write_candles(dir.path());
    let strategy = write_strategy(dir.path(), "");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "run",
            strategy.to_str().unwrap(),
            "--from",
            "2030-01-01",
            "--out",
            dir.path().join("x").to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no bar"));
}

#[test]
fn wick_run_exits_1_when_detail_is_asked_for_without_detail_candles() {
    let dir = tempfile::tempdir().unwrap();
    write_candles(dir.path());
    let strategy = write_strategy(dir.path(), "");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "run",
            strategy.to_str().unwrap(),
            "--intrabar",
            "detail",
            "--out",
            dir.path().join("x").to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("detail"));
}
