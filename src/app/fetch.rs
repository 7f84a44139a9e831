//! `wick data fetch`: the clock and the terminal live here, the download logic in `crate::fetch`.
//!
//! Exit policy: every file that could be obtained is written. The command then fails (exit 1) when a
//! file failed verification or reading (its month is a hole the user did not ask for; re-running retries
//! just those files), when nothing at all could be written, or — with `--strict` — when the archive
//! lacks a month. A month the archive simply does not hold (before a symbol was listed, or not yet
//! published) is listed but is not an error by default: the gap is kept and `wick data inspect` shows it.

use std::io::IsTerminal;

use anyhow::{Result, bail};
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::fetch::FetchArgs;
use crate::fetch::{
    ArchiveFile, FetchReport, FetchRequest, FileOutcome, Kind, Period, Progress, Silent, YearMonth,
    fetch,
};

pub fn run(args: FetchArgs) -> Result<()> {
    // The only place the fetch reads the clock: which month is still running (and fetched day by day).
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let request = FetchRequest {
        symbol: args.symbol,
        interval: args.interval,
        from: args.from,
        to: args.to.unwrap_or(YearMonth::of(today)),
        kinds: args.kinds,
        out_dir: args.out,
        base_url: args.base_url,
        format: args.format,
        today,
    };
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let report = if show_bar {
        fetch(&request, &mut Bar::new())?
    } else {
        fetch(&request, &mut Silent)?
    };
    print_report(&report);

    if report.written.is_empty() {
        bail!(
            "nothing was written for {} {} to {}: {} archive file(s) failed and {} are not in the \
             archive (listed above)",
            request.symbol,
            request.from,
            request.to,
            report.failed.len(),
            report.missing.len()
        );
    }
    if !report.failed.is_empty() {
        bail!(
            "{} file(s) could not be used (listed above); everything else was written. \
             Run the same command again to retry them (verified files come from the cache)",
            report.failed.len()
        );
    }
    if args.strict && !report.missing.is_empty() {
        bail!(
            "{} file(s) are not in the archive (--strict)",
            report.missing.len()
        );
    }
    Ok(())
}

fn print_report(report: &FetchReport) {
    for w in &report.written {
        let what = match w.kind {
            Kind::Candles => "candles",
            Kind::Mark => "mark-price candles",
            Kind::Funding => "funding settlements",
        };
        println!(
            "wrote {}: {} {what}, {} → {}",
            w.path.display(),
            w.rows,
            w.first,
            w.last
        );
    }
    println!(
        "archive files: {} downloaded and verified ({}), {} from the cache, {} not in the archive, {} failed",
        report.downloaded,
        HumanBytes(report.bytes),
        report.cached,
        report.missing.len(),
        report.failed.len()
    );
    if !report.missing.is_empty() {
        eprintln!(
            "warning: not in the archive (HTTP 404), so not in the output: {}. Inside the fetched span \
             such a month is a gap in the series (`wick data inspect` lists it); before it, the symbol \
             was probably not listed yet",
            runs(&report.missing).join(", ")
        );
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for problem in &report.failed {
        eprintln!("failed: {problem}");
    }
}

/// Files as runs of consecutive periods of one kind: `A.zip … B.zip (8 files)`, so that the months before
/// a symbol's listing read as one item.
fn runs(files: &[ArchiveFile]) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < files.len() {
        let mut end = start;
        while end + 1 < files.len() && follows(&files[end], &files[end + 1]) {
            end += 1;
        }
        out.push(if start == end {
            files[start].label().to_string()
        } else {
            format!(
                "{} … {} ({} files)",
                files[start].label(),
                files[end].name(),
                end - start + 1
            )
        });
        start = end + 1;
    }
    out
}

fn follows(a: &ArchiveFile, b: &ArchiveFile) -> bool {
    a.kind == b.kind
        && match (a.period, b.period) {
            (Period::Month(x), Period::Month(y)) => x.next() == y,
            (Period::Day(x), Period::Day(y)) => x.succ_opt() == Some(y),
            _ => false,
        }
}

/// Files done out of files planned, bytes received, and the file in flight — on stderr.
struct Bar {
    bar: ProgressBar,
    bytes: u64,
}

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("[{bar:30}] {pos}/{len} files, {prefix} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        Bar { bar, bytes: 0 }
    }
}

impl Progress for Bar {
    fn planned(&mut self, files: usize) {
        self.bar.set_length(files as u64);
    }

    fn file_started(&mut self, file: &ArchiveFile) {
        self.bar.set_message(file.name().to_string());
    }

    fn bytes_received(&mut self, bytes: u64) {
        self.bytes += bytes;
        self.bar.set_prefix(HumanBytes(self.bytes).to_string());
    }

    fn file_finished(&mut self, _file: &ArchiveFile, _outcome: FileOutcome) {
        self.bar.inc(1);
    }

    fn finished(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::archive::plan;

    #[test]
    fn consecutive_missing_files_of_one_kind_are_listed_as_one_run() {
        let today = chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap();
        let (from, to) = ("2019-01".parse().unwrap(), "2019-12".parse().unwrap());
        let all = plan(
            "BTCUSDT",
            "1h",
            from,
            to,
            &[Kind::Candles, Kind::Mark],
            today,
        )
        .unwrap();
        // Candles missing 2019-01…2019-08 and 2019-10; mark missing 2019-01…2019-11.
        let missing: Vec<ArchiveFile> = all
            .into_iter()
            .filter(|f| match (f.kind, f.period) {
                (Kind::Candles, Period::Month(m)) => m.month() <= 8 || m.month() == 10,
                (_, Period::Month(m)) => m.month() <= 11,
                _ => false,
            })
            .collect();
        assert_eq!(
            runs(&missing),
            [
                "monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2019-01.zip … BTCUSDT-1h-2019-08.zip (8 files)",
                "monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2019-10.zip",
                "monthly/markPriceKlines/BTCUSDT/1h/BTCUSDT-1h-2019-01.zip … BTCUSDT-1h-2019-11.zip (11 files)",
            ]
        );
    }
}
