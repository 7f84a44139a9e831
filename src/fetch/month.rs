//! Calendar months as the archive names them (`2020-01`), and the ranges a fetch walks.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// One UTC calendar month, ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    /// 1 = January … 12 = December.
    month: u32,
}

impl YearMonth {
    /// `None` unless `month` is 1–12 and the year is one the archive could hold (1970–9999).
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1970..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Every month from `from` to `to`, both included; empty when `from` is after `to`.
    pub fn range_inclusive(from: YearMonth, to: YearMonth) -> Vec<YearMonth> {
        let mut months = Vec::new();
        let mut m = from;
        while m <= to {
            months.push(m);
            m = m.next();
        }
        months
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    /// `2020-01` (the archive's own spelling). A full date such as `2020-01-15` is refused rather than
    /// silently truncated, because the archive only holds whole months.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a month; write it as YYYY-MM, e.g. 2020-01");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(bad)
    }
}

/// Every day of `month` strictly before `today` — the daily files the archive can already hold for the
/// current month (a day's file is published on the following day).
pub fn days_before(month: YearMonth, today: NaiveDate) -> Vec<NaiveDate> {
    month
        .first_day()
        .iter_days()
        .take_while(|d| YearMonth::of(*d) == month && *d < today)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_parse_from_the_archive_spelling_and_print_back() {
        assert_eq!(ym("2020-01"), YearMonth::new(2020, 1).unwrap());
        assert_eq!(ym("2026-12").to_string(), "2026-12");
    }

    #[test]
    fn malformed_months_are_refused_with_the_expected_spelling() {
        for bad in [
            "2020-13",
            "2020-00",
            "2020-1",
            "20-01",
            "2020-01-15",
            "jan 2020",
            "",
        ] {
            let err = bad.parse::<YearMonth>().unwrap_err();
            assert!(err.contains("YYYY-MM"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_range_crosses_the_year_end_and_includes_both_ends() {
        let months: Vec<String> = YearMonth::range_inclusive(ym("2019-11"), ym("2020-02"))
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(months, ["2019-11", "2019-12", "2020-01", "2020-02"]);
        assert_eq!(
            YearMonth::range_inclusive(ym("2020-03"), ym("2020-03")).len(),
            1
        );
        assert!(YearMonth::range_inclusive(ym("2020-03"), ym("2020-02")).is_empty());
    }

    #[test]
    fn the_current_month_has_daily_files_only_for_days_already_over() {
        let days = days_before(ym("2026-05"), date("2026-05-04"));
        assert_eq!(
            days,
            [date("2026-05-01"), date("2026-05-02"), date("2026-05-03")]
        );
        assert!(days_before(ym("2026-05"), date("2026-05-01")).is_empty());
        // A month entirely in the past yields all its days, and stops at its end.
        assert_eq!(days_before(ym("2024-02"), date("2026-05-01")).len(), 29);
    }
}
