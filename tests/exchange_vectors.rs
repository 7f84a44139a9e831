//! Every worked case of `exchange-vectors.csv` (exchange-rules §6) that the exchange model covers is
//! its own test, named by its id. The expected figures are read from the file, never re-typed: the
//! file is `$WICK_SHARED/exchange-vectors.csv` (`WICK_SHARED` defaults to `../shared`, relative to the
//! repository root); when it is absent each test prints SKIPPED and passes.
//!
//! Each row is checked column by column: every expected column the row fills in is compared with the
//! model (initial margin, MM at entry, bracket/MMR/cum at the liquidation price, liquidation and
//! bankruptcy prices and their distances, leverage limit, PnL and fees, funding). Tolerances (§6.7):
//! prices 1e-6 relative; funding and PnL 1e-9 absolute. The file writes computed figures with at most
//! 6 decimals, so a figure printed with 6 decimals is also accepted within half a unit of its last
//! place (5e-7), and an external `expected` figure within half a unit of its own last printed place.
//!
//! Rows NOT covered:
//! - Q17: freqtrade's `liquidation_buffer` (5% toward entry) applied to an exchange price — freqtrade's
//!   own safety margin, not an exchange rule (§5 says not to copy it).
//! - S01–S04 are covered for their liquidation price, fees and booked amounts; which of stop and
//!   liquidation fires first in a bar (§5) is the engine's per-bar order and is tested with the engine.
//! - Q19 is covered for the amount of its two settlements; which settlements a position open at
//!   00:00:15 pays (the 15 s grace of §2.4) is the engine's funding schedule.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal_macros::dec;
use wick::domain::{Interval, Leverage, Price, Qty, Rate, Side, TimestampMs, Usd};
use wick::exchange::{
    BracketSchedule, BracketTable, Contract, FundingClamp, LeverageRefusal, LiqPrice, Liquidity,
    PositionRisk, Venue, check_leverage, funding_rate_from_premium,
};

type Row = HashMap<String, String>;

fn vectors() -> Option<&'static HashMap<String, Row>> {
    static ROWS: OnceLock<Option<HashMap<String, Row>>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let dir = std::env::var_os("WICK_SHARED")
            .map_or_else(|| PathBuf::from("../shared"), PathBuf::from);
        let path = dir.join("exchange-vectors.csv");
        let mut reader = csv::Reader::from_path(&path).ok()?;
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                let row: Row = header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_string))
                    .collect();
                (row["id"].clone(), row)
            })
            .collect();
        Some(rows)
    })
    .as_ref()
}

fn row(id: &str) -> Option<&'static Row> {
    match vectors() {
        Some(rows) => Some(
            rows.get(id)
                .unwrap_or_else(|| panic!("{id} is not in exchange-vectors.csv")),
        ),
        None => {
            eprintln!(
                "SKIPPED {id}: exchange-vectors.csv not found (set WICK_SHARED to the folder holding it)"
            );
            None
        }
    }
}

fn cell<'r>(row: &'r Row, col: &str) -> Option<&'r str> {
    row.get(col).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn num(row: &Row, col: &str) -> Option<Decimal> {
    cell(row, col).map(|s| {
        s.parse()
            .unwrap_or_else(|_| panic!("{}: {col} '{s}' is not a number", row["id"]))
    })
}

/// `|actual − expected|` within `max(rel·|expected|, abs)`, or half a unit of a 6th printed decimal.
fn assert_close(row: &Row, col: &str, actual: Decimal, rel: f64, abs: f64) {
    let Some(text) = cell(row, col) else { return };
    let expected: f64 = text.parse().unwrap();
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let rounding = if decimals >= 6 {
        0.5 * 10f64.powi(-(decimals as i32))
    } else {
        0.0
    };
    let tol = (rel * expected.abs()).max(abs).max(rounding);
    let a = actual.to_f64().unwrap();
    assert!(
        (a - expected).abs() <= tol,
        "{} {col}: model {a} vs file {expected} (tolerance {tol:e})",
        row["id"]
    );
}

fn assert_price(row: &Row, col: &str, actual: LiqPrice) {
    match cell(row, col) {
        None => {}
        // The file writes 0 for "a long that cannot be liquidated" and inf for "never" (§6.7).
        Some("inf") => assert_eq!(actual, LiqPrice::Never, "{} {col}", row["id"]),
        Some(text) if text.parse::<f64>() == Ok(0.0) => {
            assert_eq!(actual, LiqPrice::Never, "{} {col}", row["id"])
        }
        Some(_) => {
            let p = actual
                .price()
                .unwrap_or_else(|| panic!("{} {col}: model says never", row["id"]));
            assert_close(row, col, p.get(), 1e-6, 0.0);
        }
    }
}

fn side(row: &Row) -> Side {
    cell(row, "side").unwrap().parse().unwrap()
}

/// The bracket table a row was computed with (§6.7 `bracket_table`).
fn table_for(row: &Row) -> BracketTable {
    match cell(row, "bracket_table") {
        Some(key) if key.starts_with("COIN-M") => coin_m_2021(),
        Some(key) => {
            // Keys name the month a Binance table took effect: 2024-05, 2025-06, 2025-08.
            let schedule = BracketSchedule::binance_btcusdt();
            let dated = schedule
                .tables()
                .iter()
                .find(|d| d.in_force_from.to_human().starts_with(key));
            dated
                .unwrap_or_else(|| panic!("{}: no shipped table from {key}", row["id"]))
                .table
                .clone()
        }
        None if cell(row, "group") == Some("inverse") => coin_m_2021(),
        None => supplied_table(
            num(row, "mmr").unwrap(),
            num(row, "cum").unwrap_or_default(),
        ),
    }
}

const HEADER: &str = "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n";

/// The COIN-M table of §4.3 (BTC of position value), "illustrative only"; max leverages are not given
/// there and play no part in these rows.
fn coin_m_2021() -> BracketTable {
    let rows = "2021-01-01,1,0,10,0.004,0,125\n2021-01-01,2,10,20,0.005,0.01,100\n2021-01-01,3,20,30,0.01,0.11,50\n\
                2021-01-01,4,30,50,0.025,0.56,20\n2021-01-01,5,50,100,0.05,1.81,10\n2021-01-01,6,100,200,0.1,6.81,5\n\
                2021-01-01,7,200,400,0.125,11.81,4\n";
    BracketSchedule::from_csv_str(&format!("{HEADER}{rows}"), "COIN-M 2021")
        .unwrap()
        .latest()
        .table
        .clone()
}

/// Rows that supply MMR and cum instead of a table: a valid table whose bracket 2 carries them (bracket
/// 1 at MMR 0 up to `cum/MMR`, so the recurrence holds); with cum 0, one open bracket.
fn supplied_table(mmr: Decimal, cum: Decimal) -> BracketTable {
    let rows = if cum.is_zero() {
        format!("2020-01-01,1,0,,{mmr},0,125\n")
    } else {
        let floor = cum / mmr;
        format!("2020-01-01,1,0,{floor},0,0,125\n2020-01-01,2,{floor},,{mmr},{cum},125\n")
    };
    BracketSchedule::from_csv_str(&format!("{HEADER}{rows}"), "supplied")
        .unwrap()
        .latest()
        .table
        .clone()
}

fn venue_for(row: &Row) -> Venue {
    let inverse = cell(row, "contract").is_some_and(|c| c.contains("inverse"))
        || cell(row, "group") == Some("inverse");
    match (cell(row, "exchange").unwrap(), inverse) {
        ("binance", false) | ("generic", _) => Venue::Binance,
        ("binance", true) => Venue::BinanceInverse,
        ("bybit", false) => Venue::Bybit,
        ("bybit", true) => Venue::BybitInverse,
        ("okx", _) => Venue::Okx {
            close_fee: Rate(dec!(0.0005)),
        },
        // freqtrade's gate/okx rows use a 0.06% taker fee (their notes say so).
        ("okx/gate", _) => {
            assert!(row["notes"].contains("taker 0.06%"), "{}", row["id"]);
            Venue::Okx {
                close_fee: Rate(dec!(0.0006)),
            }
        }
        (other, _) => panic!("{}: unknown exchange {other}", row["id"]),
    }
}

/// Position size: linear rows that give a notional are sized by it (V03 prints qty rounded to 0.333333).
fn qty_for(row: &Row, venue: Venue) -> Qty {
    match (
        venue.contract(),
        num(row, "notional"),
        num(row, "entry_price"),
    ) {
        (Contract::Linear, Some(n), Some(ep)) => Qty(n / ep),
        _ => Qty(num(row, "qty").unwrap()),
    }
}

fn position_row(id: &str) {
    let Some(row) = row(id) else { return };
    let venue = venue_for(row);
    let table = table_for(row);
    let (side, entry) = (side(row), Price(num(row, "entry_price").unwrap()));
    let qty = qty_for(row, venue);
    let leverage = num(row, "leverage").map(Leverage);
    // Rows without a wallet (freqtrade's bybit rows) are funded with the initial margin.
    let wallet = num(row, "wallet_balance")
        .map(Usd)
        .unwrap_or_else(|| venue.initial_margin(qty, entry, leverage.unwrap()));
    let pos = PositionRisk::cross(
        side,
        qty,
        entry,
        wallet,
        Usd(num(row, "tmm_other").unwrap_or_default()),
        Usd(num(row, "upnl_other").unwrap_or_default()),
    );

    if let Some(l) = leverage {
        assert_close(
            row,
            "initial_margin",
            venue.initial_margin(qty, entry, l).get(),
            1e-9,
            1e-9,
        );
    }
    assert_close(
        row,
        "maint_margin_at_entry",
        venue.maintenance_margin(&pos, &table, entry).get(),
        1e-9,
        1e-9,
    );

    let lp = venue.liquidation_price(&pos, &table);
    let bp = venue.bankruptcy_price(&pos);
    assert_price(row, "liq_price", lp);
    assert_price(row, "bankruptcy_price", bp);
    if let Some(p) = lp.price() {
        // The bracket columns describe the bracket at the liquidation price (§1.2, §6.7).
        let b = table.bracket_for(venue.position_value(qty, p));
        if let Some(n) = num(row, "bracket") {
            assert_eq!(
                Decimal::from(b.number),
                n,
                "{id} bracket at the liquidation price"
            );
        }
        assert_close(row, "mmr", b.mmr.get(), 0.0, 0.0);
        assert_close(row, "cum", b.cum.get(), 0.0, 0.0);
    }
    if let Some(m) = lp.move_pct_from(entry) {
        assert_close(row, "liq_distance_pct", m, 1e-6, 0.0);
    }
    if let Some(m) = bp.move_pct_from(entry) {
        assert_close(row, "bankruptcy_distance_pct", m, 1e-6, 0.0);
    }
    if let Some(expected) = cell(row, "expected") {
        let decimals = expected.split_once('.').map_or(0, |(_, d)| d.len());
        let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
        let p = lp.price().unwrap().to_f64();
        assert!(
            (p - expected.parse::<f64>().unwrap()).abs() <= half_unit + 1e-9,
            "{id}: {p} vs {expected}"
        );
    }
    if let (Some(l), Contract::Linear, Some(_)) =
        (leverage, venue.contract(), cell(row, "bracket_table"))
    {
        check_limit(row, &table, qty * entry, l);
    }
    check_amounts(row, venue, &pos, lp);
}

/// §1.1 / V20, V26: an over-limit leverage is refused with the bracket's maximum; others are allowed.
fn check_limit(row: &Row, table: &BracketTable, notional: Usd, leverage: Leverage) {
    let result = check_leverage(table, notional, leverage);
    let notes = &row["notes"];
    match notes.split_once("bracket max ") {
        Some((_, rest)) if notes.contains("REJECTED") => {
            let allowed: Decimal = rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap();
            match result {
                Err(LeverageRefusal::AboveBracketMax { allowed: a, .. }) => {
                    assert_eq!(a.get(), allowed, "{}", row["id"])
                }
                other => panic!(
                    "{}: expected a refusal at {allowed}x, got {other:?}",
                    row["id"]
                ),
            }
        }
        _ => assert_eq!(result, Ok(()), "{} must be allowed", row["id"]),
    }
}

/// PnL and taker fees (§1.5); a price beyond the liquidation price books the whole isolated wallet
/// and no closing fee (§1.4).
fn check_amounts(row: &Row, venue: Venue, pos: &PositionRisk, lp: LiqPrice) {
    let fees = venue.default_fees();
    let fee_open = venue.fee(&fees, pos.qty, pos.entry, Liquidity::Taker);
    assert_close(row, "fee_open", fee_open.get(), 0.0, 1e-9);
    let liquidated_at = |p: Price| match (lp, pos.side) {
        (LiqPrice::At(l), Side::Long) => p <= l,
        (LiqPrice::At(l), Side::Short) => p >= l,
        (LiqPrice::Never, _) => false,
    };
    let (gross, fee_close) = match num(row, "exit_price").map(Price) {
        Some(exit) if !liquidated_at(exit) => (
            venue.pnl(pos.side, pos.qty, pos.entry, exit),
            venue.fee(&fees, pos.qty, exit, Liquidity::Taker),
        ),
        // Liquidated (an exit beyond LP, or a stop_vs_liq row that names no exit): loss = wallet.
        Some(_) | None => (-pos.wallet, Usd::ZERO),
    };
    if cell(row, "gross_pnl").is_some() {
        assert_close(row, "gross_pnl", gross.get(), 0.0, 1e-9);
        assert_close(row, "fee_close", fee_close.get(), 0.0, 1e-9);
        assert_close(
            row,
            "net_pnl",
            (gross - fee_open - fee_close).get(),
            0.0,
            1e-9,
        );
    }
    if let (Some(mark), Some(rate)) = (num(row, "mark_price"), num(row, "funding_rate")) {
        let flow = venue.funding_cash_flow(pos.side, pos.qty, Price(mark), Rate(rate));
        assert_close(row, "funding_cashflow", flow.get(), 0.0, 1e-9);
    }
}

/// Funding payment rows without a position's prices (F01–F05, Q18).
fn funding_row(id: &str) {
    let Some(row) = row(id) else { return };
    let flow = venue_for(row).funding_cash_flow(
        side(row),
        Qty(num(row, "qty").unwrap()),
        Price(num(row, "mark_price").unwrap()),
        Rate(num(row, "funding_rate").unwrap()),
    );
    assert_close(row, "funding_cashflow", flow.get(), 0.0, 1e-9);
    assert_close(row, "expected", flow.get(), 0.0, 1e-9);
}

/// §2.2 rate-formula rows: the average premium appears only in the notes, so it is passed here and
/// the notes are checked to state it; the expected rate is the file's `funding_rate`.
fn formula_row(
    id: &str,
    premium_in_notes: &str,
    premium: Decimal,
    interval_h: i64,
    after_2025_09_18: bool,
    cap: Option<Decimal>,
) {
    let Some(row) = row(id) else { return };
    assert!(
        row["notes"].contains(premium_in_notes),
        "{id}: notes do not state {premium_in_notes}"
    );
    let at = if after_2025_09_18 {
        TimestampMs::parse_user("2025-10-01").unwrap()
    } else {
        TimestampMs(0)
    };
    let clamp = cap.map(|c| FundingClamp::symmetric(Rate(c)));
    let f = funding_rate_from_premium(Rate(premium), Interval(interval_h * 3_600_000), at, clamp);
    assert_close(row, "funding_rate", f.get(), 0.0, 1e-12);
}

macro_rules! vectors {
    ($kind:ident: $($name:ident = $id:literal;)*) => {
        $( #[test] fn $name() { $kind($id) } )*
    };
}

vectors! { position_row:
    v01_short_20x_at_60000_liquidates_at_62749 = "V01";
    v02_short_20x_under_the_2024_05_table_is_bracket_2_and_liquidates_at_62736 = "V02";
    v03_short_sized_by_1000_usdt_of_margin_liquidates_at_62749 = "V03";
    v04_long_1x_can_never_be_liquidated = "V04";
    v05_short_1x_liquidates_at_119522 = "V05";
    v06_long_2x_liquidates_at_30120 = "V06";
    v07_short_2x_liquidates_at_89641 = "V07";
    v08_long_5x_liquidates_at_48193 = "V08";
    v09_short_5x_liquidates_at_71713 = "V09";
    v10_long_10x_liquidates_at_54217 = "V10";
    v11_short_10x_liquidates_at_65737 = "V11";
    v12_long_20x_liquidates_at_57229 = "V12";
    v13_long_50x_liquidates_at_59036 = "V13";
    v14_short_50x_liquidates_at_60956 = "V14";
    v15_long_100x_liquidates_at_59639 = "V15";
    v16_short_100x_liquidates_at_60359 = "V16";
    v17_long_125x_liquidates_at_59759 = "V17";
    v18_short_125x_liquidates_at_60239 = "V18";
    v19_long_150x_is_allowed_by_the_2025_08_table_and_liquidates_at_59839 = "V19";
    v20_long_150x_is_refused_under_the_2025_06_table_with_the_125x_maximum = "V20";
    v21_long_10_btc_is_bracket_2_and_liquidates_at_57256 = "V21";
    v22_short_13_btc_uses_the_bracket_at_the_liquidation_price = "V22";
    v23_long_100_btc_is_bracket_4_and_liquidates_at_54424 = "V23";
    v24_short_2000_btc_is_bracket_7_and_liquidates_at_69991 = "V24";
    v25_long_300k_at_125x_is_allowed_because_the_cap_is_inclusive = "V25";
    v26_long_360k_at_125x_is_refused_with_the_100x_maximum = "V26";
    v27_long_60000_to_61000_nets_939_50_after_taker_fees = "V27";
    v28_cross_long_with_a_10000_wallet_liquidates_at_50201_whatever_the_leverage = "V28";
    v29_cross_long_beside_another_position_liquidates_at_49821 = "V29";
    f12_paying_funding_from_the_isolated_wallet_moves_the_liquidation_price_to_57235 = "F12";
    s01_liquidation_before_a_stop_beyond_it_loses_the_margin_and_the_open_fee = "S01";
    s02_stop_at_58000_inside_the_liquidation_price_loses_2059_with_fees = "S02";
    s03_stop_filled_at_a_gap_open_of_57500_loses_2558_75 = "S03";
    s04_gap_below_the_liquidation_price_loses_the_margin_and_the_open_fee = "S04";
    i01_inverse_long_10x_liquidates_at_45636_and_gains_0_018182_btc = "I01";
    i02_inverse_short_10x_liquidates_at_55333_and_gains_0_022222_btc = "I02";
    i03_inverse_short_1x_can_never_be_liquidated_nor_go_bankrupt = "I03";
    b01_bybit_long_50x_at_20000_liquidates_at_19700 = "B01";
    b02_bybit_seed_short_liquidates_at_62700 = "B02";
    b03_bybit_inverse_long_with_mm_at_entry_liquidates_at_45662 = "B03";
    o01_okx_seed_short_with_the_close_fee_in_mm_liquidates_at_62718 = "O01";
    q01_binance_faq_isolated_eth_liquidates_at_1114_78 = "Q01";
    q02_binance_faq_isolated_btc_liquidates_at_18778_73 = "Q02";
    q03_binance_faq_cross_eth_liquidates_at_1153_26 = "Q03";
    q04_binance_faq_cross_btc_liquidates_at_26316_89 = "Q04";
    q05_freqtrade_short_5x_liquidates_at_11_891089 = "Q05";
    q06_freqtrade_short_3x_liquidates_at_13_211221 = "Q06";
    q07_freqtrade_long_5x_liquidates_at_8_070707 = "Q07";
    q08_freqtrade_long_3x_liquidates_at_6_723906 = "Q08";
    q09_freqtrade_long_5x_of_0_6_liquidates_at_8_063973 = "Q09";
    q10_freqtrade_okx_short_5x_liquidates_at_11_874134 = "Q10";
    q11_freqtrade_okx_long_5x_liquidates_at_8_085709 = "Q11";
    q12_freqtrade_okx_long_3x_liquidates_at_6_73809 = "Q12";
    q13_freqtrade_bybit_long_50x_at_40000_liquidates_at_39400 = "Q13";
    q14_freqtrade_bybit_long_1x_liquidates_at_0_1 = "Q14";
    q15_freqtrade_bybit_short_1x_liquidates_at_19_9 = "Q15";
    q16_freqtrade_bybit_short_10x_liquidates_at_10_9 = "Q16";
}

vectors! { funding_row:
    f01_long_pays_6_usdt_at_one_basis_point = "F01";
    f02_short_receives_6_usdt_at_one_basis_point = "F02";
    f03_short_pays_65_usdt_when_the_rate_is_negative = "F03";
    f04_long_pays_180_usdt_at_the_derived_030_percent_cap = "F04";
    f05_long_pays_18_usdt_for_a_day_at_the_baseline_rate = "F05";
    q18_short_receives_0_002_at_one_basis_point = "Q18";
}

#[test]
fn f06_premium_of_002_percent_settles_at_exactly_001_percent() {
    formula_row("F06", "P=0.0200%", dec!(0.0002), 8, false, None);
}

#[test]
fn f07_premium_of_008_percent_settles_at_003_percent() {
    formula_row("F07", "P=0.0800%", dec!(0.0008), 8, false, None);
}

#[test]
fn f08_premium_of_minus_010_percent_settles_at_minus_005_percent() {
    formula_row("F08", "P=-0.1000%", dec!(-0.001), 8, false, None);
}

#[test]
fn f09_premium_of_0004_percent_settles_at_exactly_001_percent() {
    formula_row("F09", "P=0.0040%", dec!(0.00004), 8, false, None);
}

#[test]
fn f10_premium_of_060_percent_is_capped_at_030_percent() {
    formula_row("F10", "P=0.60%", dec!(0.006), 8, false, Some(dec!(0.003)));
}

#[test]
fn f11_four_hour_symbol_after_2025_09_18_settles_at_0015_percent() {
    formula_row("F11", "(0.08% + -0.05%)/2", dec!(0.0008), 4, true, None);
}

/// Q19: short 30 ADA pays both settlements; marks and rates appear only in the notes (checked to say
/// so); the total is the file's `funding_cashflow`.
#[test]
fn q19_short_holding_through_two_negative_settlements_pays_0_0009141() {
    let Some(row) = row("Q19") else { return };
    assert!(
        row["notes"].contains("marks 2.77/2.77, rates -0.0008%/-0.0003%"),
        "Q19 notes changed"
    );
    let qty = Qty(num(row, "qty").unwrap());
    let total: Usd = [dec!(-0.000008), dec!(-0.000003)]
        .into_iter()
        .map(|r| Venue::Binance.funding_cash_flow(side(row), qty, Price(dec!(2.77)), Rate(r)))
        .sum();
    assert_eq!(total, Usd(dec!(-0.0009141)));
    assert_close(row, "funding_cashflow", total.get(), 0.0, 1e-9);
    assert_close(row, "expected", total.get(), 0.0, 1e-9);
}
