//! Strategy files → validated run settings: defaults, exact values, paths, and messages that name
//! the file, the key, the value and the fix.

use std::fs;
use std::path::{Path, PathBuf};

use rust_decimal_macros::dec;
use wick::config::{self, IntrabarPolicy, MarginMode, NegativeBalance, RunSettings, Sizing, Venue};
use wick::domain::{Leverage, Rate, TimestampMs, Usd};
use wick::strategy::{CrossoverParams, Mode, StrategySpec};

/// Write `text` to `<tmp>/strategies/<name>` and load it.
fn load(
    text: &str,
    name: &str,
) -> (
    tempfile::TempDir,
    PathBuf,
    Result<RunSettings, config::ConfigError>,
) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("strategies");
    fs::create_dir_all(&folder).unwrap();
    let path = folder.join(name);
    fs::write(&path, text).unwrap();
    let result = config::load(&path);
    (dir, path, result)
}

fn error(text: &str) -> (String, PathBuf) {
    let (_dir, path, result) = load(text, "bad.toml");
    (
        result.expect_err("the file should be refused").to_string(),
        path,
    )
}

const MINIMAL: &str = r#"
[data]
candles = "btc-1h.csv"

[strategy]
kind = "sma_crossover"
"#;

#[test]
fn a_minimal_file_takes_every_default_and_is_named_after_the_file() {
    let (_dir, path, result) = load(MINIMAL, "my-sma.toml");
    let s = result.unwrap();
    let d = RunSettings::default();
    assert_eq!(s.name, "my-sma");
    assert_eq!(s.source, path);
    assert_eq!(
        s.strategy,
        StrategySpec::SmaCrossover(CrossoverParams {
            fast: 20,
            slow: 100,
            mode: Mode::Both
        })
    );
    assert_eq!(s.account, d.account);
    assert_eq!(s.risk, d.risk);
    assert_eq!(s.execution, d.execution);
    assert_eq!(s.range, d.range);
    assert_eq!(s.sweep, None);
    // The defaults themselves, as the README states them.
    assert_eq!(d.account.initial_capital, Usd(dec!(10000)));
    assert_eq!(d.account.leverage, Leverage(dec!(1)));
    assert_eq!(d.account.sizing, Sizing::MarginFraction(dec!(1)));
    assert_eq!(d.account.margin_mode, MarginMode::Isolated);
    assert_eq!(d.account.venue, Venue::Binance);
    assert_eq!(d.account.min_order_notional, Usd(dec!(100)));
    assert_eq!(d.account.negative_balance, NegativeBalance::InsuranceFund);
    assert_eq!(d.account.cross_clearance_rate, Rate(dec!(0.015)));
    assert_eq!(d.execution.maker_fee, Rate(dec!(0.0002)));
    assert_eq!(d.execution.taker_fee, Rate(dec!(0.0005)));
    assert_eq!(d.execution.slippage, Rate(dec!(0)));
    assert_eq!(d.execution.intrabar, IntrabarPolicy::Pessimistic);
}

#[test]
fn every_key_of_a_full_file_arrives_as_the_exact_decimal_written() {
    let text = r#"
name = "full"
[data]
candles = "c.csv"
mark = "m.csv"
funding = "f.csv"
detail = "d.csv"
[strategy]
kind = "ema_crossover"
fast = 12
slow = 26
mode = "long_only"
[account]
initial_capital = 2500.5
leverage = 12.5
sizing = { notional_fraction = 1.5 }
margin_mode = "cross"
venue = "bybit"
min_order_notional = 5
negative_balance = "trader_liable"
cross_clearance_rate = 0.01
[risk]
stop_loss = 0.02
take_profit = 1.5
trailing_stop = 0.035
[execution]
maker_fee = -0.0001
taker_fee = 0.00055
slippage_bps = 2.5
intrabar = "detail"
[range]
from = 2021-01-01
to = "2022-06-01T08:00:00Z"
"#;
    let (_dir, _path, result) = load(text, "full.toml");
    let s = result.unwrap();
    assert_eq!(s.name, "full");
    assert_eq!(
        s.strategy,
        StrategySpec::EmaCrossover(CrossoverParams {
            fast: 12,
            slow: 26,
            mode: Mode::LongOnly
        })
    );
    assert_eq!(s.account.initial_capital, Usd(dec!(2500.5)));
    assert_eq!(s.account.leverage, Leverage(dec!(12.5)));
    assert_eq!(s.account.sizing, Sizing::NotionalFraction(dec!(1.5)));
    assert_eq!(s.account.margin_mode, MarginMode::Cross);
    assert_eq!(s.account.venue, Venue::Bybit);
    assert_eq!(s.account.min_order_notional, Usd(dec!(5)));
    assert_eq!(s.account.negative_balance, NegativeBalance::TraderLiable);
    assert_eq!(s.account.cross_clearance_rate, Rate(dec!(0.01)));
    assert_eq!(s.risk.stop_loss, Some(Rate(dec!(0.02))));
    assert_eq!(s.risk.take_profit, Some(Rate(dec!(1.5))));
    assert_eq!(s.risk.trailing_stop, Some(Rate(dec!(0.035))));
    assert_eq!(s.execution.maker_fee, Rate(dec!(-0.0001)));
    assert_eq!(s.execution.taker_fee, Rate(dec!(0.00055)));
    assert_eq!(s.execution.slippage, Rate(dec!(0.00025)));
    assert_eq!(s.execution.intrabar, IntrabarPolicy::Detail);
    // A bare TOML date and a quoted RFC 3339 time both mean UTC.
    assert_eq!(s.range.from, Some(TimestampMs(1_609_459_200_000)));
    assert_eq!(s.range.to, Some(TimestampMs(1_654_070_400_000)));
}

#[test]
fn relative_data_paths_are_relative_to_the_strategy_files_folder() {
    let text = r#"
[data]
candles = "../../shared/data/btcusdt-perp-1h.csv"
mark = "/abs/mark.csv"
funding = "funding.csv"
[strategy]
kind = "buy_and_hold"
"#;
    let (dir, _path, result) = load(text, "paths.toml");
    let s = result.unwrap();
    let folder = dir.path().join("strategies");
    assert_eq!(
        s.data.candles,
        folder.join("../../shared/data/btcusdt-perp-1h.csv")
    );
    assert_eq!(s.data.mark.as_deref(), Some(Path::new("/abs/mark.csv")));
    assert_eq!(s.data.funding, Some(folder.join("funding.csv")));
    assert_eq!(s.data.detail, None);
}

#[test]
fn an_unknown_key_is_an_error_naming_the_key_and_the_file() {
    for (text, key) in [
        (format!("{MINIMAL}\n[account]\nlevrage = 10\n"), "levrage"),
        (format!("nmae = \"x\"\n{MINIMAL}"), "nmae"),
        (format!("{MINIMAL}fsat = 10\n"), "fsat"),
        (format!("{MINIMAL}\n[risk]\nstop = 0.02\n"), "stop"),
        (
            format!("{MINIMAL}\n[sweep]\nleverages = [1, 2]\n"),
            "leverages",
        ),
        (
            format!("{MINIMAL}\n[account]\nsizing = {{ margin = 0.5 }}\n"),
            "margin",
        ),
    ] {
        let (message, path) = error(&text);
        assert!(message.contains(key), "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
    }
}

#[test]
fn an_unknown_strategy_kind_lists_the_built_ins() {
    let (message, _) = error("[data]\ncandles = \"c.csv\"\n[strategy]\nkind = \"macd\"\n");
    assert!(message.contains("macd"), "{message}");
    assert!(message.contains("sma_crossover"), "{message}");
}

#[test]
fn a_missing_candles_path_or_strategy_is_named() {
    let (message, _) = error("[data]\nmark = \"m.csv\"\n[strategy]\nkind = \"buy_and_hold\"\n");
    assert!(message.contains("candles"), "{message}");
    let (message, _) = error("[data]\ncandles = \"c.csv\"\n");
    assert!(message.contains("strategy"), "{message}");
}

#[test]
fn bad_values_name_the_file_the_key_the_value_and_the_fix() {
    let cases = [
        (
            "[account]\nleverage = 0.5",
            "[account] leverage = 0.5",
            "at least 1",
        ),
        (
            "[account]\ninitial_capital = -5",
            "[account] initial_capital = -5",
            "greater than zero",
        ),
        (
            "[account]\nsizing = { margin_fraction = 1.5 }",
            "margin_fraction = 1.5",
            "at most 1",
        ),
        (
            "[account]\ncross_clearance_rate = 0.5",
            "[account] cross_clearance_rate = 0.5",
            "0.015",
        ),
        (
            "[risk]\nstop_loss = 2",
            "[risk] stop_loss = 2",
            "write 0.02 for 2%",
        ),
        (
            "[risk]\ntrailing_stop = 0",
            "[risk] trailing_stop = 0",
            "strictly between 0 and 1",
        ),
        (
            "[risk]\ntake_profit = -0.1",
            "[risk] take_profit = -0.1",
            "positive",
        ),
        (
            "[execution]\ntaker_fee = 0.05",
            "[execution] taker_fee = 0.05",
            "0.0005",
        ),
        (
            "[execution]\nslippage_bps = -1",
            "[execution] slippage_bps = -1",
            "basis points",
        ),
        (
            "[execution]\nintrabar = \"detail\"",
            "[execution] intrabar = \"detail\"",
            "detail = ",
        ),
        (
            "[range]\nfrom = \"2022-01-01\"\nto = \"2021-01-01\"",
            "[range] to = 2021-01-01 00:00",
            "later than",
        ),
        (
            "[range]\nfrom = \"last tuesday\"",
            "[range] from = \"last tuesday\"",
            "2021-01-01",
        ),
    ];
    for (table, key_and_value, fix) in cases {
        let (message, path) = error(&format!("{MINIMAL}\n{table}\n"));
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        assert!(message.contains(key_and_value), "{message}");
        assert!(message.contains(fix), "{message}");
    }
}

#[test]
fn bad_strategy_parameters_are_named_with_their_table() {
    let (message, path) = error(
        "[data]\ncandles = \"c.csv\"\n[strategy]\nkind = \"sma_crossover\"\nfast = 50\nslow = 20\n",
    );
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("[strategy] fast = 50"), "{message}");
    assert!(message.contains("shorter than the slow"), "{message}");
    let (message, _) = error(
        "[data]\ncandles = \"c.csv\"\n[strategy]\nkind = \"rsi_mean_reversion\"\noversold = 60\n",
    );
    assert!(message.contains("[strategy] exit = 50"), "{message}");
}

#[test]
fn a_parameter_of_the_wrong_type_is_named_with_the_parameters_of_its_strategy() {
    let (message, path) = error(
        "[data]\ncandles = \"c.csv\"\n[strategy]\nkind = \"donchian_breakout\"\nentry_period = \"fifty\"\n",
    );
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("in `entry_period`"), "{message}");
    assert!(
        message.contains("entry_period, exit_period, mode"),
        "{message}"
    );
}

#[test]
fn a_name_that_is_not_a_plain_folder_name_is_refused() {
    let (message, _) = error(&format!("name = \"../escape\"\n{MINIMAL}"));
    assert!(message.contains("name = \"../escape\""), "{message}");
}

#[test]
fn a_missing_file_is_named() {
    let message = config::load(Path::new("no/such/strategy.toml"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("no/such/strategy.toml"), "{message}");
}
