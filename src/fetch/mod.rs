//! `wick data fetch`: Binance's public data archive (data.binance.vision) → verified, merged files in
//! wick's own format.
//!
//! 1. [`archive::plan`] lists the zips: monthly files for whole months, daily files (up to yesterday)
//!    for the running month; `today` is a parameter, so the library never reads the clock.
//! 2. Each zip comes from the cache under `<out>/.cache/` when it is there and still matches its stored
//!    checksum, else it is downloaded, checked against the archive's `.CHECKSUM` (SHA-256), unpacked and
//!    cached (retried once on a mismatch, an unreadable zip, a server error or a dropped connection).
//! 3. The CSVs (with or without header row) are normalised: bar-open UTC ms, OHLCV; funding times
//!    floored to the minute.
//! 4. Files of one kind are merged in time order and written atomically, one file per kind, after the
//!    written file has been read back and validated.
//!
//! A month the archive does not hold (HTTP 404) is reported and skipped, leaving a gap in the series; a
//! file that fails verification is reported by name and skipped; an unreachable archive stops the fetch
//! with one line, keeping every verified download in the cache for the next run.

pub mod archive;
mod cache;
pub mod checksum;
mod download;
mod error;
mod http;
mod merge;
pub mod month;
mod output;
pub mod parse;
mod progress;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::domain::{Interval, TimestampMs};

pub use archive::{ArchiveFile, Kind, Period};
pub use error::{FetchError, FileProblem};
pub use month::YearMonth;
pub use output::{OutputFormat, output_path};
pub use progress::{FileOutcome, Progress, Silent};

use archive::{archive_interval, archive_symbol, daily_stand_ins, plan};
use cache::Cache;
use download::{Downloader, Got, Stop};
use http::Http;
use merge::{mark_at_funding, merge};
use output::{Series, candles_of, funding_of, write_validated};
use parse::{CandleRow, FundingRow, parse_funding, parse_klines};

/// Where Binance serves the archive.
pub const DEFAULT_BASE_URL: &str = "https://data.binance.vision";

/// Everything one fetch needs. [`FetchRequest::new`] fills in the defaults the command line uses.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    /// Binance's symbol, e.g. `BTCUSDT` (case-insensitive).
    pub symbol: String,
    /// Bar length of the candles and mark candles.
    pub interval: Interval,
    /// First month, included.
    pub from: YearMonth,
    /// Last month, included; at most the month of `today`.
    pub to: YearMonth,
    pub kinds: Vec<Kind>,
    /// Outputs go here; downloads are cached in `<out_dir>/.cache/`.
    pub out_dir: PathBuf,
    pub base_url: String,
    pub format: OutputFormat,
    /// The UTC date taken as today: its month is still running, so it is fetched day by day.
    pub today: NaiveDate,
}

impl FetchRequest {
    /// All kinds, up to the current month, into `data/` as Parquet, from Binance.
    pub fn new(symbol: &str, interval: Interval, from: YearMonth, today: NaiveDate) -> Self {
        FetchRequest {
            symbol: symbol.to_string(),
            interval,
            from,
            to: YearMonth::of(today),
            kinds: Kind::ALL.to_vec(),
            out_dir: PathBuf::from("data"),
            base_url: DEFAULT_BASE_URL.to_string(),
            format: OutputFormat::Parquet,
            today,
        }
    }
}

/// One output file.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFile {
    pub kind: Kind,
    pub path: PathBuf,
    pub rows: usize,
    pub first: TimestampMs,
    pub last: TimestampMs,
}

/// What a fetch did: what it wrote, what the archive lacked, what failed, and the traffic.
#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    pub written: Vec<WrittenFile>,
    /// Files the archive does not hold (HTTP 404): gaps in the written series, or before its start.
    pub missing: Vec<ArchiveFile>,
    /// Files that could not be used, each naming the file.
    pub failed: Vec<FileProblem>,
    /// Things worth knowing that are not failures (e.g. a kind with no data at all).
    pub notes: Vec<String>,
    /// Files downloaded and verified in this run.
    pub downloaded: usize,
    /// Files taken from the cache without a request.
    pub cached: usize,
    /// Bytes received over the network.
    pub bytes: u64,
}

/// Run one fetch. Per-file problems are collected in the report; only a bad request, an unreachable
/// archive or a local write error stop it.
pub fn fetch(req: &FetchRequest, progress: &mut dyn Progress) -> Result<FetchReport, FetchError> {
    let symbol = archive_symbol(&req.symbol)?;
    let interval = archive_interval(req.interval)?;
    if !(req.base_url.starts_with("http://") || req.base_url.starts_with("https://")) {
        return Err(FetchError::BadBaseUrl(req.base_url.clone()));
    }
    let mut files = plan(&symbol, &interval, req.from, req.to, &req.kinds, req.today)?;
    let http = Http::new(&req.base_url);
    let cache = Cache::new(&req.out_dir);
    let downloader = Downloader {
        http: &http,
        cache: &cache,
    };

    let mut report = FetchReport::default();
    let mut rows = Downloaded::default();
    progress.planned(files.len());
    // An index loop: a missing just-ended month appends its daily files to the list being walked.
    let mut next = 0;
    while let Some(file) = files.get(next).cloned() {
        next += 1;
        progress.file_started(&file);
        let mut bytes = 0;
        let got = downloader.obtain(&file, &mut |n| {
            bytes += n;
            progress.bytes_received(n);
        });
        report.bytes += bytes;
        let outcome = match got {
            Ok(Got::Csv { csv, cached }) => {
                *(if cached {
                    &mut report.cached
                } else {
                    &mut report.downloaded
                }) += 1;
                match rows.add(&file, &csv) {
                    Ok(()) if cached => FileOutcome::Cached,
                    Ok(()) => FileOutcome::Downloaded,
                    Err(message) => {
                        report.failed.push(FileProblem::Content {
                            file: file.label().to_string(),
                            message,
                        });
                        FileOutcome::Failed
                    }
                }
            }
            Ok(Got::Missing) => {
                match daily_stand_ins(&file, &symbol, &interval, req.today) {
                    Some(days) => {
                        report.notes.push(format!(
                            "{} is not published yet; its daily files were fetched instead",
                            file.label()
                        ));
                        files.extend(days);
                        progress.planned(files.len());
                    }
                    None => report.missing.push(file.clone()),
                }
                FileOutcome::Missing
            }
            Ok(Got::Failed(problem)) => {
                report.failed.push(problem);
                FileOutcome::Failed
            }
            Err(stop) => {
                progress.finished();
                return Err(stopped(stop, req, &report, &cache));
            }
        };
        progress.file_finished(&file, outcome);
    }
    progress.finished();
    write_outputs(req, &symbol, &interval, rows, &mut report)?;
    Ok(report)
}

/// The parsed rows of every file obtained, with the name of the file each batch came from.
#[derive(Debug, Default)]
struct Downloaded {
    candles: Vec<(String, Vec<CandleRow>)>,
    mark: Vec<(String, Vec<CandleRow>)>,
    funding: Vec<(String, Vec<FundingRow>)>,
}

impl Downloaded {
    fn add(&mut self, file: &ArchiveFile, csv: &[u8]) -> Result<(), String> {
        let name = file.label().to_string();
        match file.kind {
            Kind::Candles => self.candles.push((name, parse_klines(csv)?)),
            Kind::Mark => self.mark.push((name, parse_klines(csv)?)),
            Kind::Funding => self.funding.push((name, parse_funding(csv)?)),
        }
        Ok(())
    }
}

/// Merge each kind and write it; funding takes its mark price from the mark candles fetched with it.
fn write_outputs(
    req: &FetchRequest,
    symbol: &str,
    interval: &str,
    rows: Downloaded,
    report: &mut FetchReport,
) -> Result<(), FetchError> {
    let path_of = |kind| output_path(&req.out_dir, symbol, interval, kind, req.format);
    let (candles, conflicts) = merge(&rows.candles);
    report.failed.extend(conflicts);
    let (mark, conflicts) = merge(&rows.mark);
    report.failed.extend(conflicts);
    for (kind, rows) in [(Kind::Candles, &candles), (Kind::Mark, &mark)] {
        if req.kinds.contains(&kind) {
            write_kind(kind, &path_of(kind), rows, report, |p| {
                write_validated(p, Series::Candles(&candles_of(rows, req.interval, p)))
            })?;
        }
    }
    if req.kinds.contains(&Kind::Funding) {
        if req.to == YearMonth::of(req.today) {
            report.notes.push(format!(
                "funding for {} is not in the archive yet: Binance publishes funding history once a month ends",
                req.to
            ));
        }
        let (funding, conflicts) = merge(&rows.funding);
        report.failed.extend(conflicts);
        let marks = mark_at_funding(&funding, &mark);
        write_kind(
            Kind::Funding,
            &path_of(Kind::Funding),
            &funding,
            report,
            |p| write_validated(p, Series::Funding(&funding_of(&funding, &marks, p))),
        )?;
    }
    Ok(())
}

/// Write one kind unless it has no rows (then say so instead of writing an empty file).
fn write_kind<T: merge::Timed>(
    kind: Kind,
    path: &std::path::Path,
    rows: &[T],
    report: &mut FetchReport,
    write: impl FnOnce(&std::path::Path) -> Result<(), FetchError>,
) -> Result<(), FetchError> {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        report.notes.push(format!(
            "no {kind} data was obtained, so {} was not written",
            path.display()
        ));
        return Ok(());
    };
    match write(path) {
        Ok(()) => report.written.push(WrittenFile {
            kind,
            path: path.to_path_buf(),
            rows: rows.len(),
            first: TimestampMs(first.time()),
            last: TimestampMs(last.time()),
        }),
        // Data the loader refuses is reported like a bad archive file; the other kinds are still written.
        Err(FetchError::Invalid { path, reason }) => report.failed.push(FileProblem::NotWritten {
            file: path.display().to_string(),
            reason,
        }),
        Err(other) => return Err(other),
    }
    Ok(())
}

fn stopped(stop: Stop, req: &FetchRequest, report: &FetchReport, cache: &Cache) -> FetchError {
    match stop {
        Stop::Unreachable(why) => {
            let kept = report.downloaded + report.cached;
            let resume = if kept == 0 {
                String::new()
            } else {
                format!(
                    "; {kept} verified file(s) are kept in {}, run the same command again to resume",
                    cache.root().display()
                )
            };
            FetchError::Unreachable {
                base_url: req.base_url.clone(),
                reason: why.0,
                resume,
            }
        }
        Stop::Disk { path, source } => FetchError::Write { path, source },
    }
}
