//! The [sweep] table: every listed value is checked at load; parameter combinations that cannot
//! work are skipped with their reason, never silently.

use std::path::Path;

use rust_decimal_macros::dec;
use wick::config::{self, IntrabarPolicy, MarginMode, Sizing};
use wick::domain::{Leverage, Rate};
use wick::strategy::StrategySpec;

const HEAD: &str =
    "[data]\ncandles = \"c.csv\"\n[strategy]\nkind = \"sma_crossover\"\nfast = 20\nslow = 100\n";

fn parse(sweep: &str) -> Result<config::RunSettings, config::ConfigError> {
    config::parse(
        &format!("{HEAD}\n{sweep}\n"),
        Path::new("strategies/s.toml"),
    )
}

#[test]
fn sweep_lists_arrive_typed_and_none_means_no_order() {
    let s = parse(
        r#"[sweep]
leverage = [1, 2.5, 10]
stop_loss = ["none", 0.02]
take_profit = [0.1]
trailing_stop = ["None"]
margin_mode = ["isolated", "cross"]
sizing = [{ margin_fraction = 0.5 }, { notional_fraction = 2 }]
intrabar = ["pessimistic", "optimistic"]
[sweep.params]
fast = [10, 50]
"#,
    )
    .unwrap();
    let w = s.sweep.unwrap();
    assert_eq!(
        w.leverage,
        Some(vec![
            Leverage(dec!(1)),
            Leverage(dec!(2.5)),
            Leverage(dec!(10))
        ])
    );
    assert_eq!(w.stop_loss, Some(vec![None, Some(Rate(dec!(0.02)))]));
    assert_eq!(w.take_profit, Some(vec![Some(Rate(dec!(0.1)))]));
    assert_eq!(w.trailing_stop, Some(vec![None]));
    assert_eq!(
        w.margin_mode,
        Some(vec![MarginMode::Isolated, MarginMode::Cross])
    );
    assert_eq!(
        w.sizing,
        Some(vec![
            Sizing::MarginFraction(dec!(0.5)),
            Sizing::NotionalFraction(dec!(2))
        ])
    );
    assert_eq!(
        w.intrabar,
        Some(vec![
            IntrabarPolicy::Pessimistic,
            IntrabarPolicy::Optimistic
        ])
    );
    assert_eq!(w.params.len(), 1);
}

#[test]
fn keys_left_out_of_the_sweep_are_not_swept() {
    let w = parse("[sweep]\nleverage = [1, 2]\n")
        .unwrap()
        .sweep
        .unwrap();
    assert_eq!(w.stop_loss, None);
    assert_eq!(w.margin_mode, None);
    assert!(w.params.is_empty());
}

#[test]
fn the_parameter_grid_keeps_working_combinations_and_lists_the_others_with_their_reason() {
    let s = parse("[sweep.params]\nfast = [10, 50]\nslow = [40, 100]\n").unwrap();
    let grid = s.sweep.unwrap().param_grid(&s.strategy);
    let pairs: Vec<String> = grid.specs.iter().map(|p| p.to_string()).collect();
    // fast 50 / slow 40 cannot work; the other three can.
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    assert_eq!(grid.skipped.len(), 1);
    let (spec, why) = &grid.skipped[0];
    assert!(matches!(spec, StrategySpec::SmaCrossover(p) if p.fast == 50 && p.slow == 40));
    assert_eq!(why.key, "fast");
}

#[test]
fn a_bad_sweep_value_names_the_file_the_key_and_the_value() {
    let cases = [
        (
            "[sweep]\nleverage = [1, 0.5]",
            "[sweep] leverage = 0.5",
            "at least 1",
        ),
        (
            "[sweep]\nleverage = []",
            "[sweep] leverage = []",
            "at least one value",
        ),
        (
            "[sweep]\nstop_loss = [\"off\"]",
            "[sweep] stop_loss = \"off\"",
            "\"none\"",
        ),
        ("[sweep]\nstop_loss = [3]", "[sweep] stop_loss = 3", "0.02"),
        (
            "[sweep]\nsizing = [{ margin_fraction = 2 }]",
            "margin_fraction = 2",
            "at most 1",
        ),
        (
            "[sweep.params]\nfsat = [1]",
            "[sweep.params] fsat = 1",
            "fast, mode, slow",
        ),
        (
            "[sweep.params]\nfast = [\"ten\"]",
            "[sweep.params] fast = \"ten\"",
            "in `fast`",
        ),
    ];
    for (table, key_and_value, hint) in cases {
        let message = parse(table).expect_err(table).to_string();
        assert!(message.starts_with("strategies/s.toml: "), "{message}");
        assert!(message.contains(key_and_value), "{message}");
        assert!(message.contains(hint), "{message}");
    }
}

#[test]
fn a_single_swept_parameter_changes_only_that_parameter() {
    let s = parse("[sweep.params]\nslow = [200]\n").unwrap();
    let grid = s.sweep.unwrap().param_grid(&s.strategy);
    let shown: Vec<String> = grid.specs.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown, ["SMA 20/200 crossover (long and short)"]);
}
