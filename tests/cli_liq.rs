//! `wick liq` end to end: the seed trade, JSON, ladders, other venues and dates, and every refusal
//! (exit code and message; never a panic).

use std::io::Write;
use std::process::Output;

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

fn wick_liq(args: &[&str]) -> Output {
    let out = Command::cargo_bin("wick")
        .unwrap()
        .arg("liq")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "wick liq {args:?} panicked:\n{stderr}"
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn succeeds(args: &[&str]) -> String {
    let out = wick_liq(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "wick liq {args:?}:\n{}",
        stderr(&out)
    );
    stdout(&out)
}

/// The exit code and stderr of a refused command.
fn refused(args: &[&str], code: i32) -> String {
    let out = wick_liq(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "wick liq {args:?}:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stderr(&out)
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&succeeds(&all)).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a decimal string"))
        .parse()
        .unwrap()
}

const SEED: [&str; 8] = [
    "--side",
    "short",
    "--entry",
    "60000",
    "--leverage",
    "20",
    "--qty",
    "1",
];

#[test]
fn the_seed_short_liquidates_at_62749_and_goes_bankrupt_at_63000_after_a_4_58_percent_rise() {
    let out = succeeds(&SEED);
    for expected in [
        "initial margin           3,000.00 USDT",
        "1 of 12: notional 0 to 300,000, MMR 0.40%, cum 0, max 150x",
        "240.00 USDT at entry, 251.00 at the liquidation price",
        "liquidation price       62,749.00     +4.58% from entry",
        "bankruptcy price        63,000.00     +5.00% from entry",
    ] {
        assert!(out.contains(expected), "missing '{expected}' in:\n{out}");
    }
}

#[test]
fn json_gives_the_exact_figures_as_decimal_strings() {
    let v = json(&SEED);
    let p = &v["positions"][0];
    let lp = dec(&p["liquidation_price"]);
    assert!(
        (lp - Decimal::new(62_749_003_984, 6)).abs() < Decimal::new(1, 6),
        "{lp}"
    );
    assert_eq!(dec(&p["bankruptcy_price"]), Decimal::from(63_000));
    assert_eq!(dec(&p["initial_margin"]), Decimal::from(3_000));
    assert_eq!(dec(&p["maintenance_margin_at_entry"]), Decimal::from(240));
    assert_eq!(p["bracket_at_entry"]["number"], 1);
    assert_eq!(dec(&p["bracket_at_entry"]["mmr"]), Decimal::new(4, 3));
    assert_eq!(
        v["bracket_table"],
        "Binance BTCUSDT, in force from 2025-08-21"
    );
    assert!(p["refused"].is_null());
}

#[test]
fn a_ladder_prints_one_row_per_leverage() {
    let out = succeeds(&[
        "--side",
        "short",
        "--entry",
        "60000",
        "--ladder",
        "1,2,5,10,20,50,100,125",
    ]);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.trim_start()
                .split(' ')
                .next()
                .is_some_and(|w| w.ends_with('x'))
        })
        .collect();
    assert_eq!(rows.len(), 8, "{out}");
    assert!(
        rows[0].contains("119,521.91") && rows[0].contains("120,000.00"),
        "{}",
        rows[0]
    );
    assert!(
        rows[4].contains("62,749.00") && rows[4].contains("+4.58%"),
        "{}",
        rows[4]
    );
    assert!(rows[7].contains("60,239.04"), "{}", rows[7]);
}

#[test]
fn a_ladder_shows_an_over_limit_leverage_as_a_refused_row_and_still_exits_0() {
    let args = [
        "--side",
        "long",
        "--entry",
        "60000",
        "--date",
        "2025-07-01",
        "--ladder",
        "125,150",
    ];
    let out = succeeds(&args);
    assert!(
        out.contains("150x refused: 150x is above the maximum leverage of bracket 1 (125x)"),
        "{out}"
    );
    let v = json(&args);
    assert_eq!(v["positions"].as_array().unwrap().len(), 2);
    assert!(v["positions"][0]["refused"].is_null());
    assert!(
        v["positions"][1]["refused"]
            .as_str()
            .unwrap()
            .contains("125x")
    );
}

#[test]
fn an_over_limit_leverage_is_refused_with_the_allowed_maximum() {
    let err = refused(
        &[
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "150",
            "--date",
            "2025-07-01",
        ],
        1,
    );
    assert!(
        err.contains("150x is above the maximum leverage of bracket 1 (125x)"),
        "{err}"
    );
    assert!(err.contains("--clamp-leverage"), "{err}");
    // 360,000 USDT is bracket 2 of the current table: at most 100x (V26).
    let err = refused(
        &[
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "125",
            "--qty",
            "6",
        ],
        1,
    );
    assert!(
        err.contains("bracket 2 (100x)") && err.contains("360,000.00 USDT"),
        "{err}"
    );
}

#[test]
fn clamp_leverage_lowers_to_the_maximum_and_says_so() {
    let args = [
        "--side",
        "long",
        "--entry",
        "60000",
        "--leverage",
        "150",
        "--date",
        "2025-07-01",
        "--clamp-leverage",
    ];
    let out = succeeds(&args);
    assert!(out.contains("leverage lowered from 150x to 125x"), "{out}");
    assert!(out.contains("59,759.04"), "{out}");
    let v = json(&args);
    assert_eq!(
        dec(&v["positions"][0]["requested_leverage"]),
        Decimal::from(150)
    );
    assert_eq!(dec(&v["positions"][0]["leverage"]), Decimal::from(125));
}

#[test]
fn a_notional_above_the_largest_bracket_is_refused_even_at_1x() {
    let err = refused(
        &[
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "1",
            "--qty",
            "60000",
            "--clamp-leverage",
        ],
        1,
    );
    assert!(
        err.contains("above the table's largest position (1,800,000,000.00 USDT)"),
        "{err}"
    );
}

#[test]
fn conflicting_size_flags_are_a_usage_error() {
    let err = refused(
        &[
            "--side",
            "short",
            "--entry",
            "60000",
            "--leverage",
            "20",
            "--qty",
            "1",
            "--margin",
            "3000",
        ],
        2,
    );
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn neither_leverage_nor_ladder_is_a_usage_error() {
    let err = refused(&["--side", "short", "--entry", "60000"], 2);
    assert!(
        err.contains("--leverage") || err.contains("--ladder"),
        "{err}"
    );
}

#[test]
fn an_isolated_wallet_with_a_ladder_is_refused() {
    let err = refused(
        &[
            "--side", "long", "--entry", "60000", "--ladder", "5,10", "--wallet", "3000",
        ],
        1,
    );
    assert!(err.contains("--wallet with --ladder"), "{err}");
}

#[test]
fn an_isolated_wallet_that_paid_funding_moves_the_liquidation_price_toward_entry() {
    // F12: 6 USDT of funding paid leaves 2,994 in the isolated wallet of a 20x long → 57,234.94.
    let out = succeeds(&[
        "--side",
        "long",
        "--entry",
        "60000",
        "--leverage",
        "20",
        "--wallet",
        "2994",
    ]);
    assert!(
        out.contains("isolated wallet 2,994.00") && out.contains("57,234.94"),
        "{out}"
    );
}

#[test]
fn cross_margin_needs_a_wallet() {
    let err = refused(
        &[
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "20",
            "--mode",
            "cross",
        ],
        1,
    );
    assert!(err.contains("--mode cross needs --wallet"), "{err}");
}

#[test]
fn other_positions_are_refused_in_isolated_mode() {
    let err = refused(
        &[
            "--side",
            "long",
            "--entry",
            "60000",
            "--leverage",
            "20",
            "--other-maint",
            "122",
        ],
        1,
    );
    assert!(err.contains("use them with --mode cross"), "{err}");
}

#[test]
fn a_cross_long_with_a_10000_wallet_liquidates_at_50200_80_and_other_positions_move_it() {
    let base = [
        "--side",
        "long",
        "--entry",
        "60000",
        "--leverage",
        "20",
        "--mode",
        "cross",
        "--wallet",
        "10000",
    ];
    assert!(succeeds(&base).contains("50,200.80"));
    let mut with_others = base.to_vec();
    with_others.extend(["--other-maint", "122", "--other-upnl", "500"]);
    let out = succeeds(&with_others);
    assert!(
        out.contains("49,821.29") && out.contains("PnL +500.00"),
        "{out}"
    );
}

#[test]
fn a_bad_date_is_refused_naming_the_value_and_the_format() {
    let err = refused(&[&SEED[..], &["--date", "2024-13-45"]].concat(), 1);
    assert!(
        err.contains("--date '2024-13-45' is not a date") && err.contains("2024-06-01"),
        "{err}"
    );
}

#[test]
fn a_date_before_the_first_known_table_uses_the_earliest_and_warns() {
    let out = wick_liq(&[&SEED[..], &["--date", "2021-06-01"]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("before the first known Binance BTCUSDT table (2022-02-12)"),
        "{}",
        stderr(&out)
    );
    // 60,000 notional is bracket 2 (0.5%, cum 50) of the 2022-02-12 table.
    assert!(stdout(&out).contains("62,736.32"), "{}", stdout(&out));
}

#[test]
fn the_2024_06_table_puts_the_seed_trade_in_bracket_2() {
    let out = succeeds(&[&SEED[..], &["--date", "2024-06-01"]].concat());
    assert!(
        out.contains("in force from 2024-05-30") && out.contains("62,736.32"),
        "{out}"
    );
}

#[test]
fn sizing_by_margin_or_notional_gives_the_same_prices() {
    let by_margin = succeeds(&[
        "--side",
        "short",
        "--entry",
        "60000",
        "--leverage",
        "20",
        "--margin",
        "1000",
    ]);
    assert!(
        by_margin.contains("62,749.00") && by_margin.contains("1,000.00 USDT"),
        "{by_margin}"
    );
    // 780,000 USDT short: bracket 2 at entry, bracket 3 at the liquidation price (V22).
    let big = succeeds(&[
        "--side",
        "short",
        "--entry",
        "60000",
        "--leverage",
        "20",
        "--notional",
        "780000",
    ]);
    assert!(
        big.contains("bracket at liq.") && big.contains("62,707.78"),
        "{big}"
    );
}

#[test]
fn a_1x_long_is_never_liquidated() {
    let out = succeeds(&["--side", "long", "--entry", "60000", "--leverage", "1"]);
    assert!(out.contains("liquidation price           never"), "{out}");
    let v = json(&["--side", "long", "--entry", "60000", "--leverage", "1"]);
    assert!(v["positions"][0]["liquidation_price"].is_null());
}

fn brackets_file(rows: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    write!(f, "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n{rows}").unwrap();
    f
}

#[test]
fn a_broken_brackets_file_is_refused_naming_file_line_and_bracket() {
    let f = brackets_file("2024-01-01,1,0,1000,0.01,0,50\n2024-01-01,2,1000,5000,0.02,11,20\n");
    let path = f.path().to_str().unwrap();
    let err = refused(&[&SEED[..], &["--brackets", path]].concat(), 1);
    assert!(
        err.contains(path)
            && err.contains("line 3")
            && err.contains("bracket 2")
            && err.contains("gives 10"),
        "{err}"
    );
    let err = refused(
        &[&SEED[..], &["--brackets", "/nonexistent/brackets.csv"]].concat(),
        1,
    );
    assert!(
        err.contains("cannot read bracket file /nonexistent/brackets.csv"),
        "{err}"
    );
}

#[test]
fn a_users_table_drives_bybit_and_okx_figures() {
    // Bybit's BTC base maintenance rate is 0.5% (exchange-rules §4.1): the seed trade liquidates at 62,700 (B02).
    let bybit = brackets_file("2024-01-01,1,0,,0.005,0,100\n");
    let out = succeeds(
        &[
            &SEED[..],
            &[
                "--venue",
                "bybit",
                "--brackets",
                bybit.path().to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert!(out.contains("62,700.00"), "{out}");
    // OKX adds its 0.05% close fee to the 0.4% rate (O01); without --brackets the Binance table is used, with a warning.
    let out = wick_liq(&[&SEED[..], &["--venue", "okx"]].concat());
    assert!(stdout(&out).contains("62,717.77"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("no okx table ships with wick"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_inverse_venue_works_in_contracts_and_btc_with_its_own_table() {
    let coin_m =
        brackets_file("2021-01-01,1,0,10,0.004,0,125\n2021-01-01,2,10,20,0.005,0.01,100\n");
    let args = [
        "--side",
        "long",
        "--entry",
        "50000",
        "--leverage",
        "10",
        "--qty",
        "100",
        "--venue",
        "binance-inverse",
    ];
    let err = refused(&args, 1);
    assert!(err.contains("needs --brackets FILE"), "{err}");
    let out = succeeds(&[&args[..], &["--brackets", coin_m.path().to_str().unwrap()]].concat());
    // I01: 100 contracts of 100 USD at 50,000, 10x: margin 0.02 BTC, liquidation 45,636.36, bankruptcy 45,454.55.
    assert!(
        out.contains("0.02000000 BTC") && out.contains("45,636.36") && out.contains("45,454.55"),
        "{out}"
    );
}

#[test]
fn malformed_numbers_sides_venues_and_modes_are_refused_by_name() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--side", "short", "--entry", "6o000", "--leverage", "20"],
            "--entry '6o000' is not a number",
        ),
        (
            &["--side", "flat", "--entry", "60000", "--leverage", "20"],
            "'flat' is not a side",
        ),
        (
            &["--side", "short", "--entry", "60000", "--leverage", "0.5"],
            "leverage must be at least 1",
        ),
        (
            &[
                "--side",
                "short",
                "--entry",
                "60000",
                "--leverage",
                "20",
                "--venue",
                "kraken",
            ],
            "'kraken' is not a venue",
        ),
        (
            &[
                "--side",
                "short",
                "--entry",
                "60000",
                "--leverage",
                "20",
                "--mode",
                "portfolio",
            ],
            "'portfolio' is not a margin mode",
        ),
    ];
    for (args, message) in cases {
        let err = refused(args, 1);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn help_shows_the_worked_seed_example() {
    let out = Command::cargo_bin("wick")
        .unwrap()
        .args(["liq", "--help"])
        .output()
        .unwrap();
    let help = stdout(&out);
    assert!(
        help.contains("wick liq --side short --entry 60000 --leverage 20 --qty 1"),
        "{help}"
    );
    assert!(
        help.contains("62,749.00") && help.contains("+4.58% from entry"),
        "{help}"
    );
}
