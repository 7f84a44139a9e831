//! Command-line overrides replace file values and are checked by the same rules; messages name
//! the flag.

use std::path::Path;

use rust_decimal_macros::dec;
use wick::config::{self, IntrabarPolicy, MarginMode, Overrides, RunSettings, Sizing, Venue};
use wick::domain::{Leverage, Rate, TimestampMs, Usd};

const FILE: &str = r#"
[data]
candles = "c.csv"
[strategy]
kind = "sma_crossover"
[account]
leverage = 3
sizing = { margin_fraction = 0.5 }
[risk]
stop_loss = 0.02
[range]
from = "2020-01-01"
to = "2021-01-01"
"#;

fn base() -> RunSettings {
    config::parse(FILE, Path::new("strategies/x.toml")).unwrap()
}

fn flag_error(o: Overrides) -> String {
    base()
        .apply_overrides(&o)
        .expect_err("the override should be refused")
        .to_string()
}

#[test]
fn no_overrides_change_nothing() {
    assert_eq!(
        base().apply_overrides(&Overrides::default()).unwrap(),
        base()
    );
}

#[test]
fn overrides_replace_the_files_values() {
    let o = Overrides {
        leverage: Some("10".into()),
        initial_capital: Some("2500".into()),
        margin_mode: Some("cross".into()),
        notional_fraction: Some("1.5".into()),
        venue: Some("okx".into()),
        stop_loss: Some("none".into()),
        take_profit: Some("0.1".into()),
        trailing_stop: Some("0.04".into()),
        slippage_bps: Some("3".into()),
        intrabar: Some("ohlc".into()),
        from: Some("2020-06-01".into()),
        to: Some("2020-07-01T12:00:00Z".into()),
        ..Overrides::default()
    };
    let s = base().apply_overrides(&o).unwrap();
    assert_eq!(s.account.leverage, Leverage(dec!(10)));
    assert_eq!(s.account.initial_capital, Usd(dec!(2500)));
    assert_eq!(s.account.margin_mode, MarginMode::Cross);
    assert_eq!(s.account.sizing, Sizing::NotionalFraction(dec!(1.5)));
    assert_eq!(s.account.venue, Venue::Okx);
    // `none` removes the file's stop-loss.
    assert_eq!(s.risk.stop_loss, None);
    assert_eq!(s.risk.take_profit, Some(Rate(dec!(0.1))));
    assert_eq!(s.risk.trailing_stop, Some(Rate(dec!(0.04))));
    assert_eq!(s.execution.slippage, Rate(dec!(0.0003)));
    assert_eq!(s.execution.intrabar, IntrabarPolicy::Ohlc);
    assert_eq!(
        s.range.from,
        Some(TimestampMs::parse_user("2020-06-01").unwrap())
    );
    assert_eq!(
        s.range.to,
        Some(TimestampMs::parse_user("2020-07-01 12:00").unwrap())
    );
    // What was not overridden stays as the file says.
    assert_eq!(s.strategy, base().strategy);
    assert_eq!(s.data, base().data);
}

#[test]
fn a_margin_fraction_override_replaces_the_files_sizing() {
    let o = Overrides {
        margin_fraction: Some("0.25".into()),
        ..Overrides::default()
    };
    assert_eq!(
        base().apply_overrides(&o).unwrap().account.sizing,
        Sizing::MarginFraction(dec!(0.25))
    );
}

#[test]
fn a_bad_override_names_the_flag_the_value_and_the_fix() {
    let cases = [
        (
            Overrides {
                leverage: Some("0.5".into()),
                ..Overrides::default()
            },
            "--leverage = 0.5",
            "at least 1",
        ),
        (
            Overrides {
                leverage: Some("ten".into()),
                ..Overrides::default()
            },
            "--leverage = ten",
            "not a number",
        ),
        (
            Overrides {
                stop_loss: Some("2".into()),
                ..Overrides::default()
            },
            "--stop-loss = 2",
            "0.02 for 2%",
        ),
        (
            Overrides {
                margin_mode: Some("crosss".into()),
                ..Overrides::default()
            },
            "--margin-mode = crosss",
            "isolated",
        ),
        (
            Overrides {
                intrabar: Some("detail".into()),
                ..Overrides::default()
            },
            "--intrabar = detail",
            "[data]",
        ),
        (
            Overrides {
                from: Some("soon".into()),
                ..Overrides::default()
            },
            "--from = soon",
            "2021-01-01",
        ),
        (
            Overrides {
                from: Some("2022-01-01".into()),
                ..Overrides::default()
            },
            "--from/--to",
            "later than",
        ),
        (
            Overrides {
                margin_fraction: Some("0.5".into()),
                notional_fraction: Some("1".into()),
                ..Overrides::default()
            },
            "--notional-fraction = 1",
            "not both",
        ),
    ];
    for (o, flag_and_value, fix) in cases {
        let message = flag_error(o);
        assert!(message.starts_with("command line: "), "{message}");
        assert!(message.contains(flag_and_value), "{message}");
        assert!(message.contains(fix), "{message}");
    }
}
