//! The settings a run writes into its report folder (`config.toml`) are themselves a strategy
//! file that replays the same run: every key written out, data paths absolute.

use std::path::{Path, PathBuf};

use wick::config::{self, Overrides, RunSettings};

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap()
}

/// Write `settings` as TOML into a fresh folder, read it back, and compare everything but the
/// source file (and the paths, which come back absolute).
fn round_trip(settings: &RunSettings) {
    let text = settings.to_toml().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, &text).unwrap();
    let back = config::load(&path).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut expected = settings.clone();
    expected.source = path;
    expected.data.candles = absolute(&expected.data.candles);
    expected.data.mark = expected.data.mark.as_deref().map(absolute);
    expected.data.funding = expected.data.funding.as_deref().map(absolute);
    expected.data.detail = expected.data.detail.as_deref().map(absolute);
    assert_eq!(back, expected, "{text}");
}

#[test]
fn every_shipped_strategy_file_round_trips_through_its_resolved_form() {
    for entry in std::fs::read_dir("strategies").unwrap() {
        let path = entry.unwrap().path();
        round_trip(&config::load(&path).unwrap());
    }
}

#[test]
fn overridden_settings_round_trip_with_the_overrides_in_place() {
    let base = config::load(Path::new("strategies/sma_crossover.toml")).unwrap();
    let o = Overrides {
        leverage: Some("12.5".into()),
        stop_loss: Some("none".into()),
        take_profit: Some("0.07".into()),
        slippage_bps: Some("0.5".into()),
        from: Some("2021-03-04 05:06".into()),
        notional_fraction: Some("0.3".into()),
        ..Overrides::default()
    };
    let settings = base.apply_overrides(&o).unwrap();
    round_trip(&settings);
    let text = settings.to_toml().unwrap();
    assert!(text.contains("leverage = 12.5"), "{text}");
    assert!(text.contains("from = \"2021-03-04 05:06\""), "{text}");
    // `--stop-loss none` removed the stop: [risk] holds only the take-profit.
    assert!(text.contains("[risk]\ntake_profit = 0.07\n\n"), "{text}");
}

#[test]
fn settings_serialise_to_json_in_the_same_shape() {
    let s = config::load(Path::new("strategies/rsi_mean_reversion.toml")).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["strategy"]["kind"], "rsi_mean_reversion");
    assert_eq!(json["account"]["leverage"], 2.0);
    assert_eq!(json["execution"]["slippage_bps"], 1.0);
}
