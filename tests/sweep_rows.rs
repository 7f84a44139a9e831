//! Every row of `sweep.csv` is what `wick run` gives for that configuration: the sweep runs the
//! same engine on the same settings, only many at once.

mod sweep_common;

use std::collections::HashMap;

use assert_cmd::Command;
use wick::config::{self, Overrides};
use wick::exchange::BracketSchedule;
use wick::market::{self, LoadOptions};
use wick::results::Stats;

/// The rows of a CSV file as column → text maps.
fn read_rows(path: &std::path::Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The statistics of one `wick run sma.toml --leverage L --stop-loss S`, through the library.
fn run_one(strategy: &std::path::Path, leverage: &str, stop: &str) -> Stats {
    let overrides = Overrides {
        leverage: Some(leverage.into()),
        stop_loss: Some(stop.into()),
        ..Overrides::default()
    };
    let settings = config::load(strategy)
        .unwrap()
        .apply_overrides(&overrides)
        .unwrap();
    let d = &settings.data;
    let loaded = market::load_market(
        &d.candles,
        d.mark.as_deref(),
        d.funding.as_deref(),
        &LoadOptions::default(),
    )
    .unwrap();
    let signals = settings.strategy.signals(&loaded.data);
    let result = wick::engine::run(
        &loaded.data,
        &signals,
        &settings,
        &BracketSchedule::binance_btcusdt(),
        None,
    );
    result.reconcile().unwrap();
    result.stats()
}

#[test]
fn rows_of_sweep_csv_equal_single_runs_of_the_same_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 3_000, "");
    let out = dir.path().join("out");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "sweep",
            strategy.to_str().unwrap(),
            "--leverage",
            "1,10,50",
            "--stop-loss",
            "none,0.02",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let rows = read_rows(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 6);
    let num = |row: &HashMap<String, String>, c: &str| {
        row[c]
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("{c}: {:?}", row[c]))
    };
    let mut liquidated = 0;
    for row in &rows {
        let stats = run_one(&strategy, &row["leverage"], &row["stop_loss"]);
        let at = format!(
            "id {} ({}x, stop {})",
            row["id"], row["leverage"], row["stop_loss"]
        );
        assert_eq!(
            num(row, "total_return").to_bits(),
            stats.total_return.to_bits(),
            "{at}"
        );
        assert_eq!(
            num(row, "max_drawdown").to_bits(),
            stats.max_drawdown.to_bits(),
            "{at}"
        );
        assert_eq!(
            num(row, "final_equity").to_bits(),
            stats.final_equity.to_f64().to_bits(),
            "{at}"
        );
        assert_eq!(
            num(row, "fees").to_bits(),
            stats.fees.to_f64().to_bits(),
            "{at}"
        );
        assert_eq!(
            num(row, "funding_paid").to_bits(),
            stats.funding_paid.to_f64().to_bits(),
            "{at}"
        );
        assert_eq!(num(row, "trades") as usize, stats.trades, "{at}");
        assert_eq!(
            num(row, "liquidations") as usize,
            stats.liquidations,
            "{at}"
        );
        liquidated += stats.liquidations;
    }
    assert!(
        liquidated > 0,
        "the 50x configurations should be liquidated on this data"
    );
}

#[test]
fn rows_of_sweep_csv_equal_the_summary_of_wick_run_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::synthetic_strategy(dir.path(), 2_000, "");
    let out = dir.path().join("sweep");
    Command::cargo_bin("wick")
        .unwrap()
        .args([
            "sweep",
            strategy.to_str().unwrap(),
            "--leverage",
            "3,50",
            "--stop-loss",
            "none,0.02",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for row in read_rows(&out.join("sweep.csv")) {
        let run_dir = dir.path().join(format!("run-{}", row["id"]));
        Command::cargo_bin("wick")
            .unwrap()
            .args([
                "run",
                strategy.to_str().unwrap(),
                "--leverage",
                &row["leverage"],
                "--stop-loss",
                &row["stop_loss"],
            ])
            .arg("--quiet")
            .arg("--out")
            .arg(&run_dir)
            .assert()
            .success();
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(run_dir.join("summary.json")).unwrap())
                .unwrap();
        let stats = &summary["stats"];
        // Money is written as exact decimal text by `wick run`, as f64 by the sweep table.
        let money = |v: &serde_json::Value| {
            v.as_str()
                .map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
        };
        let at = format!(
            "id {} ({}x, stop {})",
            row["id"], row["leverage"], row["stop_loss"]
        );
        let cell = |c: &str| row[c].parse::<f64>().unwrap();
        assert_eq!(
            cell("total_return").to_bits(),
            stats["total_return"].as_f64().unwrap().to_bits(),
            "{at}"
        );
        assert_eq!(
            cell("max_drawdown").to_bits(),
            stats["max_drawdown"].as_f64().unwrap().to_bits(),
            "{at}"
        );
        assert_eq!(
            cell("final_equity").to_bits(),
            money(&stats["final_equity"]).to_bits(),
            "{at}"
        );
        assert_eq!(
            cell("trades") as u64,
            stats["trades"].as_u64().unwrap(),
            "{at}"
        );
        assert_eq!(
            cell("liquidations") as u64,
            stats["liquidations"].as_u64().unwrap(),
            "{at}"
        );
    }
}
