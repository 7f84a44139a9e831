//! The five sweep charts are drawn from real BTCUSDT history (`../shared/data`): each is a valid
//! PNG of the documented size. (What they show was checked by eye when they were built; see the
//! README's description of each chart.)

mod common;
mod sweep_common;

use assert_cmd::Command;

#[test]
fn a_sweep_over_real_btc_history_draws_five_1600_by_900_charts() {
    let Some(data) = common::shared_data() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let strategy = sweep_common::strategy_file(
        dir.path(),
        &data.join("btcusdt-perp-1h.csv"),
        Some(&data.join("btcusdt-perp-mark-1h.csv")),
        Some(&data.join("btcusdt-perp-funding-8h.csv")),
        "",
    );
    let out = dir.path().join("report");
    // 2021 to mid-2022: the May 2021 crash and the 2022 slide liquidate the high leverage levels.
    Command::cargo_bin("wick")
        .unwrap()
        .arg("sweep")
        .arg(&strategy)
        .args([
            "--leverage",
            "1,5,20,100",
            "--stop-loss",
            "none,0.02",
            "--from",
            "2021-01-01",
        ])
        .args(["--to", "2022-07-01", "--quiet", "--log-scale", "--out"])
        .arg(&out)
        .assert()
        .success();
    for chart in ["equity", "drawdown", "leverage", "price", "heatmap"] {
        let png = out.join(format!("{chart}.png"));
        assert_eq!(
            sweep_common::png_size(&png),
            (1600, 900),
            "{}",
            png.display()
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["sweep"]["synthetic"], false);
    assert!(
        summary["sweep"]["candles"]
            .as_str()
            .unwrap()
            .contains("btcusdt-perp-1h")
    );
    assert_eq!(summary["sweep"]["mark_price"], true);
    let liquidations: f64 = summary["per_leverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["liquidations"].as_f64().unwrap())
        .sum();
    assert!(
        liquidations > 0.0,
        "the liquidation marks of equity.png are exercised"
    );
}
