//! The layout of Binance's public data archive (data.binance.vision) for USDⓈ-M futures, and the list
//! of files one fetch needs.
//!
//! ```text
//! data/futures/um/monthly/klines/<SYMBOL>/<interval>/<SYMBOL>-<interval>-<YYYY-MM>.zip
//! data/futures/um/monthly/markPriceKlines/<SYMBOL>/<interval>/<SYMBOL>-<interval>-<YYYY-MM>.zip
//! data/futures/um/monthly/fundingRate/<SYMBOL>/<SYMBOL>-fundingRate-<YYYY-MM>.zip
//! data/futures/um/daily/{klines,markPriceKlines}/…/<SYMBOL>-<interval>-<YYYY-MM-DD>.zip
//! ```
//! Every zip has a `<name>.zip.CHECKSUM` beside it. A month's file appears early in the next month,
//! a day's file on the next day, so the current month is fetched day by day up to yesterday.
//! Funding history is published monthly only, so the current month has no funding yet.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::domain::Interval;

use super::error::FetchError;
use super::month::{YearMonth, days_before};

/// The kline intervals the archive publishes. `1mo` exists too but is not a fixed-length bar.
const ARCHIVE_INTERVALS: [&str; 14] = [
    "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w",
];

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Last-trade candles (`klines`).
    Candles,
    /// Mark-price candles (`markPriceKlines`); liquidation is tested on them (exchange-rules §1.3).
    Mark,
    /// Funding settlements (`fundingRate`).
    Funding,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Candles, Kind::Mark, Kind::Funding];

    fn archive_dir(self) -> &'static str {
        match self {
            Kind::Candles => "klines",
            Kind::Mark => "markPriceKlines",
            Kind::Funding => "fundingRate",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Candles => "candles",
            Kind::Mark => "mark",
            Kind::Funding => "funding",
        })
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "candles" | "klines" => Ok(Kind::Candles),
            "mark" | "markpriceklines" => Ok(Kind::Mark),
            "funding" | "fundingrate" => Ok(Kind::Funding),
            _ => Err(format!(
                "'{s}' is not a kind of data; choose from candles, mark, funding"
            )),
        }
    }
}

/// The span one archive file covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    Month(YearMonth),
    Day(NaiveDate),
}

/// One zip file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveFile {
    pub kind: Kind,
    pub period: Period,
    /// Path below the base URL, e.g. `data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip`.
    pub path: String,
}

impl ArchiveFile {
    fn new(kind: Kind, period: Period, symbol: &str, interval: &str) -> Self {
        let (cadence, stamp) = match period {
            Period::Month(m) => ("monthly", m.to_string()),
            Period::Day(d) => ("daily", d.format("%Y-%m-%d").to_string()),
        };
        let dir = kind.archive_dir();
        let path = match kind {
            Kind::Funding => {
                format!("data/futures/um/{cadence}/{dir}/{symbol}/{symbol}-fundingRate-{stamp}.zip")
            }
            Kind::Candles | Kind::Mark => {
                format!(
                    "data/futures/um/{cadence}/{dir}/{symbol}/{interval}/{symbol}-{interval}-{stamp}.zip"
                )
            }
        };
        ArchiveFile { kind, period, path }
    }

    /// The zip's own name, e.g. `BTCUSDT-1h-2020-01.zip`; every message about the file uses it.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// How messages name the file: its path below `data/futures/um/`, e.g.
    /// `monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip`. The zip name alone would not do:
    /// last-price and mark-price klines share it.
    pub fn label(&self) -> &str {
        self.path
            .strip_prefix("data/futures/um/")
            .unwrap_or(&self.path)
    }

    /// Path of the companion checksum file.
    pub fn checksum_path(&self) -> String {
        format!("{}.CHECKSUM", self.path)
    }
}

/// The archive's name for `interval`, or an error listing the ones it publishes.
pub fn archive_interval(interval: Interval) -> Result<String, FetchError> {
    let name = interval.to_string();
    if ARCHIVE_INTERVALS.contains(&name.as_str()) {
        Ok(name)
    } else {
        Err(FetchError::UnsupportedInterval(interval))
    }
}

/// Binance spells symbols in capitals; anything but letters and digits would also escape the cache folder.
pub fn archive_symbol(symbol: &str) -> Result<String, FetchError> {
    let s = symbol.trim().to_ascii_uppercase();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(FetchError::BadSymbol(symbol.to_string()));
    }
    Ok(s)
}

/// Every file to fetch, kind by kind in time order. `today` decides which month is still running: months
/// before it come as monthly files, the running month as daily files up to yesterday.
pub fn plan(
    symbol: &str,
    interval: &str,
    from: YearMonth,
    to: YearMonth,
    kinds: &[Kind],
    today: NaiveDate,
) -> Result<Vec<ArchiveFile>, FetchError> {
    let current = YearMonth::of(today);
    if from > current {
        return Err(FetchError::RangeInFuture {
            flag: "--from",
            month: from,
            current,
        });
    }
    if to > current {
        return Err(FetchError::RangeInFuture {
            flag: "--to",
            month: to,
            current,
        });
    }
    if from > to {
        return Err(FetchError::RangeReversed { from, to });
    }
    if kinds.is_empty() {
        return Err(FetchError::NoKinds);
    }
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    let mut files = Vec::new();
    for kind in kinds {
        for month in YearMonth::range_inclusive(from, to) {
            if month < current {
                files.push(ArchiveFile::new(
                    kind,
                    Period::Month(month),
                    symbol,
                    interval,
                ));
            } else if kind != Kind::Funding {
                for day in days_before(month, today) {
                    files.push(ArchiveFile::new(kind, Period::Day(day), symbol, interval));
                }
            }
        }
    }
    Ok(files)
}

/// The daily files that stand in for `missing`, a monthly file of the month that just ended which the
/// archive does not hold yet: Binance publishes a month's file some days into the next month, but each
/// day's file on the following day. `None` for funding (published monthly only) and for older months,
/// whose absence is real.
pub fn daily_stand_ins(
    missing: &ArchiveFile,
    symbol: &str,
    interval: &str,
    today: NaiveDate,
) -> Option<Vec<ArchiveFile>> {
    match missing.period {
        Period::Month(month)
            if missing.kind != Kind::Funding && month.next() == YearMonth::of(today) =>
        {
            Some(
                days_before(month, today)
                    .into_iter()
                    .map(|day| ArchiveFile::new(missing.kind, Period::Day(day), symbol, interval))
                    .collect(),
            )
        }
        _ => None,
    }
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
    fn file_paths_follow_the_archive_layout_for_each_kind() {
        let today = date("2026-06-15");
        let files = plan(
            "BTCUSDT",
            "1h",
            ym("2020-01"),
            ym("2020-01"),
            &Kind::ALL,
            today,
        )
        .unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip",
                "data/futures/um/monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip",
                "data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2020-01.zip",
            ]
        );
        assert_eq!(files[2].name(), "BTCUSDT-fundingRate-2020-01.zip");
        assert_eq!(
            files[1].label(),
            "monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip"
        );
        assert_eq!(
            files[0].checksum_path(),
            "data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2020-01.zip.CHECKSUM"
        );
    }

    #[test]
    fn the_running_month_comes_as_daily_files_up_to_yesterday_and_has_no_funding_yet() {
        let today = date("2026-05-03");
        let files = plan(
            "BTCUSDT",
            "1h",
            ym("2026-04"),
            ym("2026-05"),
            &[Kind::Funding, Kind::Candles],
            today,
        )
        .unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name()).collect();
        assert_eq!(
            names,
            [
                "BTCUSDT-1h-2026-04.zip",
                "BTCUSDT-1h-2026-05-01.zip",
                "BTCUSDT-1h-2026-05-02.zip",
                "BTCUSDT-fundingRate-2026-04.zip",
            ]
        );
        assert!(
            files[1]
                .path
                .starts_with("data/futures/um/daily/klines/BTCUSDT/1h/")
        );
    }

    #[test]
    fn ranges_that_are_reversed_or_in_the_future_are_refused() {
        let today = date("2026-05-03");
        let reversed = plan(
            "BTCUSDT",
            "1h",
            ym("2021-02"),
            ym("2021-01"),
            &Kind::ALL,
            today,
        )
        .unwrap_err();
        assert_eq!(
            reversed.to_string(),
            "--from 2021-02 is after --to 2021-01; swap them"
        );
        let future = plan(
            "BTCUSDT",
            "1h",
            ym("2026-01"),
            ym("2026-06"),
            &Kind::ALL,
            today,
        )
        .unwrap_err();
        assert!(
            future
                .to_string()
                .contains("--to 2026-06 is after the current month 2026-05")
        );
        let start = plan(
            "BTCUSDT",
            "1h",
            ym("2026-07"),
            ym("2026-05"),
            &Kind::ALL,
            today,
        )
        .unwrap_err();
        assert!(
            start
                .to_string()
                .starts_with("--from 2026-07 is after the current month 2026-05")
        );
    }

    #[test]
    fn only_the_archive_intervals_and_plain_symbols_are_accepted() {
        assert_eq!(archive_interval(Interval::HOUR).unwrap(), "1h");
        assert_eq!(archive_interval("12h".parse().unwrap()).unwrap(), "12h");
        let err = archive_interval("7m".parse().unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Binance's archive has no 7m klines")
        );
        assert_eq!(archive_symbol("btcusdt").unwrap(), "BTCUSDT");
        assert!(archive_symbol("../etc").is_err());
        assert!(archive_symbol("").is_err());
    }

    #[test]
    fn kinds_parse_from_wick_and_archive_names() {
        assert_eq!("candles".parse::<Kind>().unwrap(), Kind::Candles);
        assert_eq!("markPriceKlines".parse::<Kind>().unwrap(), Kind::Mark);
        assert_eq!("Funding".parse::<Kind>().unwrap(), Kind::Funding);
        assert!(
            "trades"
                .parse::<Kind>()
                .unwrap_err()
                .contains("candles, mark, funding")
        );
    }

    #[test]
    fn a_just_ended_month_not_yet_published_is_replaced_by_its_daily_files() {
        let today = date("2026-05-02");
        let files = plan(
            "BTCUSDT",
            "1h",
            ym("2026-03"),
            ym("2026-04"),
            &Kind::ALL,
            today,
        )
        .unwrap();
        let april = files
            .iter()
            .find(|f| f.name() == "BTCUSDT-1h-2026-04.zip")
            .unwrap();
        let days = daily_stand_ins(april, "BTCUSDT", "1h", today).unwrap();
        assert_eq!(days.len(), 30);
        assert_eq!(
            days[29].path,
            "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2026-04-30.zip"
        );
        let march = files
            .iter()
            .find(|f| f.name() == "BTCUSDT-1h-2026-03.zip")
            .unwrap();
        assert_eq!(daily_stand_ins(march, "BTCUSDT", "1h", today), None);
        let funding = files
            .iter()
            .find(|f| f.name() == "BTCUSDT-fundingRate-2026-04.zip")
            .unwrap();
        assert_eq!(daily_stand_ins(funding, "BTCUSDT", "1h", today), None);
    }
}
