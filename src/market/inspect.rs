//! `wick data inspect`: what a file holds. The kind of file is told from its columns (a funding
//! rate column → funding; open/high/low/close → candles, mark-price candles when the file name
//! says `mark`), then the file is loaded and validated like any run would load it.

use std::fmt;
use std::path::Path;

use crate::columnar;
use crate::domain::{Interval, TimestampMs};

use super::columns::{self, Role};
use super::funding::load_funding;
use super::load::{LoadOptions, LoadReport, load_candles, span};
use super::{Gap, MarketError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Candles,
    MarkCandles,
    Funding,
}

impl FileKind {
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Candles => "candles",
            FileKind::MarkCandles => "mark-price candles",
            FileKind::Funding => "funding",
        }
    }
}

/// Tell the kind of a file from its header (and, for mark candles, its name).
pub fn detect_kind(path: &Path, opts: &LoadOptions) -> Result<FileKind, MarketError> {
    let header = columnar::read_header(path)?;
    let file = path.display().to_string();
    if columns::find(&file, &header.names, Role::FundingRate, &opts.columns)?.is_some() {
        return Ok(FileKind::Funding);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(if name.contains("mark") {
        FileKind::MarkCandles
    } else {
        FileKind::Candles
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandleSummary {
    pub interval: Interval,
    pub span: String,
    pub gap_count: usize,
    pub missing_bars: i64,
    /// The largest gaps, largest first (at most five).
    pub largest_gaps: Vec<Gap>,
    pub zero_volume_bars: usize,
    /// Lowest low and highest high, with the bar open times where they occur.
    pub low: (f64, TimestampMs),
    pub high: (f64, TimestampMs),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FundingSummary {
    pub span: String,
    /// Steps between settlements (rounded to the minute) and how often each occurs.
    pub intervals: Vec<(Interval, usize)>,
    pub mean_rate: f64,
    pub min_rate: (f64, TimestampMs),
    pub max_rate: (f64, TimestampMs),
    pub missing_mark: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Summary {
    Candles(CandleSummary),
    Funding(FundingSummary),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inspection {
    pub kind: FileKind,
    pub rows: usize,
    pub report: LoadReport,
    pub summary: Summary,
}

pub fn inspect(path: &Path, opts: &LoadOptions) -> Result<Inspection, MarketError> {
    let kind = detect_kind(path, opts)?;
    if kind == FileKind::Funding {
        let loaded = load_funding(path, opts)?;
        let f = &loaded.funding;
        let mut intervals: Vec<(Interval, usize)> = Vec::new();
        for w in f.time.windows(2) {
            let step = Interval(((w[1] - w[0]) + 30_000) / 60_000 * 60_000);
            match intervals.iter_mut().find(|(i, _)| *i == step) {
                Some((_, n)) => *n += 1,
                None => intervals.push((step, 1)),
            }
        }
        intervals.sort_by_key(|&(i, n)| (std::cmp::Reverse(n), i));
        let extreme = |better: fn(f64, f64) -> bool| {
            let mut best = (f.rate[0], TimestampMs(f.time[0]));
            for (&r, &t) in f.rate.iter().zip(&f.time) {
                if better(r, best.0) {
                    best = (r, TimestampMs(t));
                }
            }
            best
        };
        let summary = FundingSummary {
            span: span(&f.time),
            intervals,
            mean_rate: f.rate.iter().sum::<f64>() / f.len() as f64,
            min_rate: extreme(|a, b| a < b),
            max_rate: extreme(|a, b| a > b),
            missing_mark: f.mark.iter().filter(|m| m.is_nan()).count(),
        };
        return Ok(Inspection {
            kind,
            rows: f.len(),
            report: loaded.report,
            summary: Summary::Funding(summary),
        });
    }
    let loaded = load_candles(path, opts)?;
    let c = &loaded.candles;
    let mut largest = c.gaps.clone();
    largest.sort_by_key(|g| (std::cmp::Reverse(g.missing), g.after));
    largest.truncate(5);
    let (mut low, mut high) = (
        (c.low[0], TimestampMs(c.time[0])),
        (c.high[0], TimestampMs(c.time[0])),
    );
    for i in 0..c.len() {
        if c.low[i] < low.0 {
            low = (c.low[i], TimestampMs(c.time[i]));
        }
        if c.high[i] > high.0 {
            high = (c.high[i], TimestampMs(c.time[i]));
        }
    }
    let summary = CandleSummary {
        interval: c.interval,
        span: span(&c.time),
        gap_count: c.gaps.len(),
        missing_bars: c.gaps.iter().map(|g| g.missing).sum(),
        largest_gaps: largest,
        zero_volume_bars: c.volume.iter().filter(|&&v| v == 0.0).count(),
        low,
        high,
    };
    Ok(Inspection {
        kind,
        rows: c.len(),
        report: loaded.report,
        summary: Summary::Candles(summary),
    })
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.report;
        writeln!(f, "{}", r.file)?;
        writeln!(
            f,
            "  kind:        {} ({})",
            self.kind.name(),
            r.format.name()
        )?;
        writeln!(
            f,
            "  synthetic:   {}",
            if r.synthetic { "yes" } else { "no" }
        )?;
        writeln!(f, "  rows:        {}", self.rows)?;
        let cols: Vec<String> = r
            .columns
            .iter()
            .map(|(role, n)| format!("{}={}", role.name(), n))
            .collect();
        writeln!(f, "  columns:     {}", cols.join(", "))?;
        writeln!(f, "  time unit:   {}", r.time_unit)?;
        if r.repairs.rows_moved > 0 {
            writeln!(
                f,
                "  repaired:    --sort moved {} rows",
                r.repairs.rows_moved
            )?;
        }
        if r.repairs.duplicates_removed > 0 {
            writeln!(
                f,
                "  repaired:    --dedupe removed {} rows",
                r.repairs.duplicates_removed
            )?;
        }
        match &self.summary {
            Summary::Candles(c) => {
                writeln!(f, "  span:        {}", c.span)?;
                writeln!(f, "  interval:    {}", c.interval)?;
                writeln!(
                    f,
                    "  gaps:        {} ({} missing bars)",
                    c.gap_count, c.missing_bars
                )?;
                for g in &c.largest_gaps {
                    writeln!(
                        f,
                        "               {} bars missing after {}",
                        g.missing, g.after
                    )?;
                }
                // Mark-price klines have no volume; a count of zero-volume bars says nothing there.
                if self.kind != FileKind::MarkCandles {
                    writeln!(f, "  zero volume: {} bars", c.zero_volume_bars)?;
                }
                writeln!(
                    f,
                    "  price range: {} (low, {}) → {} (high, {})",
                    c.low.0, c.low.1, c.high.0, c.high.1
                )?;
            }
            Summary::Funding(s) => {
                writeln!(f, "  span:        {}", s.span)?;
                let steps: Vec<String> = s
                    .intervals
                    .iter()
                    .map(|(i, n)| format!("{i} ×{n}"))
                    .collect();
                writeln!(
                    f,
                    "  intervals:   {}",
                    if steps.is_empty() {
                        "-".into()
                    } else {
                        steps.join(", ")
                    }
                )?;
                writeln!(
                    f,
                    "  rate:        mean {:.6}, min {} ({}), max {} ({})",
                    s.mean_rate, s.min_rate.0, s.min_rate.1, s.max_rate.0, s.max_rate.1
                )?;
                writeln!(
                    f,
                    "  mark price:  {} settlements without one",
                    s.missing_mark
                )?;
            }
        }
        Ok(())
    }
}
