//! Dated bracket tables: which table was in force at a moment (exchange-rules §1.1: "a backtest must
//! use the table in force at the bar's date").
//!
//! File format (the shipped `binance_btcusdt_brackets.csv` and any user file): a header line naming
//! `in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage`
//! (any order), then one row per bracket. `in_force_from` is a UTC date or time; rows sharing it form
//! one table. A cap of 9223372036854775807 (2^63−1, Java's `Long.MAX_VALUE`) or an empty cap means
//! "no cap" and is allowed only on the last bracket.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use rust_decimal::Decimal;

use super::ExchangeError;
use super::brackets::{Bracket, BracketTable};
use crate::domain::{Leverage, Rate, TimestampMs, Usd};

/// Binance USDⓈ-M BTCUSDT, every dated version found (see /work/shared/binance-btcusdt-brackets.md:
/// freqtrade's weekly snapshots of `GET /fapi/v1/leverageBracket`, 2022-02-12 … 2026-05-01).
const BINANCE_BTCUSDT_CSV: &str = include_str!("binance_btcusdt_brackets.csv");

const COLUMNS: [&str; 7] = [
    "in_force_from",
    "bracket",
    "notional_floor",
    "notional_cap",
    "maint_margin_rate",
    "maint_amount",
    "max_leverage",
];

/// 2^63 − 1: Binance's placeholder for "no cap" (V2 of the BTCUSDT history).
const OPEN_CAP: Decimal = Decimal::from_parts(0xFFFF_FFFF, 0x7FFF_FFFF, 0, false, 0);

/// One table and the moment it took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedTable {
    pub in_force_from: TimestampMs,
    pub table: BracketTable,
}

/// The table that applies at a moment.
#[derive(Debug, Clone, Copy)]
pub struct TableInForce<'a> {
    pub table: &'a BracketTable,
    pub in_force_from: TimestampMs,
    /// The moment lies before the first known table, so the earliest one is used: the caller warns.
    pub before_first_known: bool,
}

/// Bracket tables in date order (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BracketSchedule {
    tables: Vec<DatedTable>,
}

impl BracketSchedule {
    /// Binance BTCUSDT's dated tables, embedded in the binary at build time.
    pub fn binance_btcusdt() -> BracketSchedule {
        // Parsed once per process. The embedded file is exchange data checked by this module's
        // tests; failing here would be a build defect, not a user error.
        static PARSED: LazyLock<BracketSchedule> = LazyLock::new(|| {
            BracketSchedule::from_csv_str(
                BINANCE_BTCUSDT_CSV,
                "embedded binance_btcusdt_brackets.csv",
            )
            .expect("the embedded Binance BTCUSDT bracket file is valid (tested)")
        });
        PARSED.clone()
    }

    /// One table in force at every moment (a user's table without history, or a test).
    pub fn single(table: BracketTable) -> BracketSchedule {
        BracketSchedule {
            tables: vec![DatedTable {
                in_force_from: TimestampMs(i64::MIN),
                table,
            }],
        }
    }

    /// Read a user's bracket file (same format as the shipped one).
    pub fn from_csv_path(path: &Path) -> Result<BracketSchedule, ExchangeError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ExchangeError::Io {
            file: file.clone(),
            message: e.to_string(),
        })?;
        Self::from_csv_str(&text, &file)
    }

    /// Parse bracket rows from CSV text; `file` names the source in error messages.
    pub fn from_csv_str(text: &str, file: &str) -> Result<BracketSchedule, ExchangeError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| bad_file(file, 1, &e.to_string()))?
            .clone();
        let mut at = [0usize; 7];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .ok_or_else(|| ExchangeError::MissingColumn {
                    file: file.to_string(),
                    column: name.to_string(),
                })?;
        }
        // Rows grouped by date, each bracket with the line it came from.
        let mut by_date: BTreeMap<TimestampMs, Vec<(usize, Bracket)>> = BTreeMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad_file(file, line, &e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let cell = |k: usize| record.get(at[k]).unwrap_or("");
            let cell_err = |k: usize, fix: &str| ExchangeError::BadCell {
                file: file.to_string(),
                line,
                column: COLUMNS[k].to_string(),
                value: cell(k).to_string(),
                fix: fix.to_string(),
            };
            let number = |k: usize| {
                cell(k)
                    .parse::<Decimal>()
                    .map_err(|_| cell_err(k, "write a plain decimal number"))
            };
            let date = TimestampMs::parse_user(cell(0))
                .map_err(|_| cell_err(0, "write a UTC date such as 2024-05-30"))?;
            let bracket_no = cell(1)
                .parse::<u32>()
                .map_err(|_| cell_err(1, "write the bracket number: 1, 2, 3, …"))?;
            let cap = if cell(3).is_empty() {
                None
            } else {
                Some(number(3)?).filter(|c| *c != OPEN_CAP)
            };
            let bracket = Bracket {
                number: bracket_no,
                floor: Usd(number(2)?),
                cap: cap.map(Usd),
                mmr: Rate(number(4)?),
                cum: Usd(number(5)?),
                max_leverage: Leverage(number(6)?),
            };
            by_date.entry(date).or_default().push((line, bracket));
        }
        if by_date.is_empty() {
            return Err(bad_file(
                file,
                2,
                "no bracket rows after the header; add one row per bracket",
            ));
        }
        let mut tables = Vec::with_capacity(by_date.len());
        for (date, rows) in by_date {
            let lines: Vec<usize> = rows.iter().map(|(l, _)| *l).collect();
            let table =
                BracketTable::checked(rows.into_iter().map(|(_, b)| b).collect()).map_err(|p| {
                    ExchangeError::BrokenTable {
                        file: file.to_string(),
                        in_force_from: date.to_human(),
                        line: lines.get(p.index).copied().unwrap_or(0),
                        bracket: p.index as u32 + 1,
                        reason: p.reason,
                    }
                })?;
            tables.push(DatedTable {
                in_force_from: date,
                table,
            });
        }
        Ok(BracketSchedule { tables })
    }

    /// The table in force at `t`: the last one whose date is ≤ `t`; before the first known table,
    /// the earliest one with `before_first_known = true` (issue 3: the run warns).
    pub fn table_at(&self, t: TimestampMs) -> TableInForce<'_> {
        let after = self.tables.partition_point(|d| d.in_force_from <= t);
        let (idx, before) = if after == 0 {
            (0, true)
        } else {
            (after - 1, false)
        };
        let dated = &self.tables[idx];
        TableInForce {
            table: &dated.table,
            in_force_from: dated.in_force_from,
            before_first_known: before,
        }
    }

    /// The most recent table (what `wick liq` uses without `--date`).
    pub fn latest(&self) -> TableInForce<'_> {
        let dated = &self.tables[self.tables.len() - 1];
        TableInForce {
            table: &dated.table,
            in_force_from: dated.in_force_from,
            before_first_known: false,
        }
    }

    /// The moments at which a new table takes effect (every table's date but the first, because the
    /// first table is also used before its date). An open position's maintenance margin and
    /// liquidation price must be recomputed at each of them.
    pub fn change_times(&self) -> impl Iterator<Item = TimestampMs> + '_ {
        self.tables.iter().skip(1).map(|d| d.in_force_from)
    }

    /// The date of the earliest known table.
    pub fn first_known(&self) -> TimestampMs {
        self.tables[0].in_force_from
    }

    pub fn tables(&self) -> &[DatedTable] {
        &self.tables
    }
}

fn bad_file(file: &str, line: usize, message: &str) -> ExchangeError {
    ExchangeError::BadFile {
        file: file.to_string(),
        line,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day(s: &str) -> TimestampMs {
        TimestampMs::parse_user(s).unwrap()
    }

    #[test]
    fn the_embedded_binance_history_has_eleven_valid_tables() {
        let s = BracketSchedule::binance_btcusdt();
        assert_eq!(s.tables().len(), 11);
        assert_eq!(s.first_known(), day("2022-02-12"));
        assert_eq!(s.change_times().count(), 10);
        assert_eq!(
            s.latest().table.brackets()[0].max_leverage,
            Leverage(dec!(150))
        );
    }

    #[test]
    fn the_long_max_value_cap_is_read_as_open_ended() {
        let s = BracketSchedule::binance_btcusdt();
        let t = s.table_at(day("2022-06-01")).table;
        assert_eq!(t.top().cap, None);
        assert_eq!(t.top().number, 10);
    }

    #[test]
    fn the_table_changes_on_its_date_and_not_before() {
        let s = BracketSchedule::binance_btcusdt();
        let before = s.table_at(TimestampMs(day("2025-08-21").get() - 1));
        let on = s.table_at(day("2025-08-21"));
        assert_eq!(before.table.brackets()[0].max_leverage, Leverage(dec!(125)));
        assert_eq!(on.table.brackets()[0].max_leverage, Leverage(dec!(150)));
        assert!(!on.before_first_known);
    }

    #[test]
    fn a_moment_before_2022_02_12_uses_the_earliest_table_and_says_so() {
        let s = BracketSchedule::binance_btcusdt();
        let early = s.table_at(day("2021-06-01"));
        assert!(early.before_first_known);
        assert_eq!(early.in_force_from, day("2022-02-12"));
    }

    const HEADER: &str = "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n";

    #[test]
    fn a_broken_cum_names_file_line_date_and_bracket() {
        let text =
            format!("{HEADER}2024-01-01,1,0,1000,0.01,0,50\n2024-01-01,2,1000,5000,0.02,11,20\n");
        let err = BracketSchedule::from_csv_str(&text, "my.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("my.csv")
                && err.contains("line 3")
                && err.contains("bracket 2")
                && err.contains("2024-01-01"),
            "{err}"
        );
        assert!(err.contains("gives 10"), "{err}");
    }

    #[test]
    fn a_non_number_names_line_column_and_value() {
        let text = format!("{HEADER}2024-01-01,1,0,1000,0.4%,0,50\n");
        let err = BracketSchedule::from_csv_str(&text, "my.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("maint_margin_rate") && err.contains("0.4%"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_date_and_a_missing_column_are_named() {
        let text = format!("{HEADER}01/02/2024,1,0,1000,0.01,0,50\n");
        let err = BracketSchedule::from_csv_str(&text, "my.csv")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("in_force_from") && err.contains("01/02/2024"),
            "{err}"
        );
        let err = BracketSchedule::from_csv_str("in_force_from,bracket\n", "my.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("notional_floor"), "{err}");
    }

    #[test]
    fn a_file_with_only_a_header_or_a_short_row_is_refused() {
        assert!(
            BracketSchedule::from_csv_str(HEADER, "my.csv")
                .unwrap_err()
                .to_string()
                .contains("no bracket rows")
        );
        let text = format!("{HEADER}2024-01-01,1,0\n");
        let err = BracketSchedule::from_csv_str(&text, "my.csv")
            .unwrap_err()
            .to_string();
        assert!(err.contains("my.csv") && err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_missing_file_is_an_error_naming_the_path() {
        let err = BracketSchedule::from_csv_path(Path::new("/nonexistent/brackets.csv"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/brackets.csv"), "{err}");
    }
}
