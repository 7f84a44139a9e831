//! `wick data synth`: a deterministic, BTC-like market for offline runs, tests and benchmarks.
//!
//! One seed gives the same bytes on every platform: draws come from ChaCha8 through fixed
//! formulas (see `draw`), generation is one sequential pass writing column vectors (5 million 1m
//! bars take about a second), and prices are rounded to exchange ticks.
//!
//! Everything synthetic says so, twice: file names start with `synth-`, and Parquet files carry
//! the key/value metadata `wick.synthetic = true`. Loading either sets `Candles::synthetic`, and
//! `wick data inspect` prints `synthetic: yes`. (CSV has no metadata, so for CSV the name is the
//! marker: renaming a synthetic CSV file removes it.)

mod draw;
mod funding;
mod price;

use std::path::{Path, PathBuf};

use crate::columnar;
use crate::domain::{Interval, TimestampMs};

use super::write::{candles_into_table, funding_table, mark_into_table};
use super::{Candles, FundingSeries, MarkSeries, MarketError};

/// What to generate. `Default`: 100,000 1m bars from 2020-01-01 at 30,000 USDT, 70%/yr, seed 42.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthParams {
    pub bars: usize,
    pub interval: Interval,
    pub seed: u64,
    /// Open time of the first bar.
    pub start: TimestampMs,
    pub start_price: f64,
    /// Annualised volatility of log returns (BTC: about 0.6–0.8).
    pub annual_vol: f64,
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            bars: 100_000,
            interval: Interval::MINUTE,
            seed: 42,
            start: TimestampMs(1_577_836_800_000), // 2020-01-01 00:00 UTC
            start_price: 30_000.0,
            annual_vol: 0.7,
        }
    }
}

/// A generated market: candles (marked synthetic), mark candles on the same grid, funding.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    pub candles: Candles,
    pub mark: MarkSeries,
    pub funding: FundingSeries,
}

/// Generate the series in memory.
pub fn generate(p: &SynthParams) -> Synthetic {
    let g = price::generate(p);
    let f = funding::generate(p, &g);
    let step = p.interval.ms();
    let time: Vec<i64> = (0..p.bars as i64).map(|i| p.start.0 + i * step).collect();
    let source = format!("synth seed {}", p.seed);
    let candles = Candles {
        source: source.clone(),
        interval: p.interval,
        time,
        open: g.open,
        high: g.high,
        low: g.low,
        close: g.close,
        volume: g.volume,
        gaps: Vec::new(),
        synthetic: true,
    };
    let mark = MarkSeries {
        source: source.clone(),
        open: g.mark_open,
        high: g.mark_high,
        low: g.mark_low,
        close: g.mark_close,
        uncovered: 0,
    };
    let funding = FundingSeries {
        source,
        time: f.time,
        rate: f.rate,
        mark: f.mark,
    };
    Synthetic {
        candles,
        mark,
        funding,
    }
}

/// Where the three files go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthPaths {
    pub candles: PathBuf,
    pub mark: PathBuf,
    pub funding: PathBuf,
}

/// File names for `--out`. A directory (or a path ending in `/`) gets the default name
/// `synth-btc-<interval>-s<seed>.parquet`; a file name that does not start with `synth-` gets the
/// prefix. Mark and funding files insert `-mark` / `-funding` before the extension:
/// `synth-btc-1m-s42.parquet`, `synth-btc-1m-s42-mark.parquet`, `synth-btc-1m-s42-funding.parquet`.
pub fn paths_for(out: &Path, p: &SynthParams) -> SynthPaths {
    let is_dir = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    let (dir, name) = if is_dir {
        (
            out.to_path_buf(),
            format!("synth-btc-{}-s{}.parquet", p.interval, p.seed),
        )
    } else {
        let dir = out.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = if name.starts_with("synth-") {
            name
        } else {
            format!("synth-{name}")
        };
        (dir, name)
    };
    let (stem, ext) = match name.rfind('.') {
        Some(dot) => (&name[..dot], &name[dot..]),
        None => (name.as_str(), ".parquet"),
    };
    SynthPaths {
        candles: dir.join(format!("{stem}{ext}")),
        mark: dir.join(format!("{stem}-mark{ext}")),
        funding: dir.join(format!("{stem}-funding{ext}")),
    }
}

/// Write the three files (CSV or Parquet by extension), copying the series.
pub fn write(s: &Synthetic, paths: &SynthPaths) -> Result<(), MarketError> {
    write_owned(s.clone(), paths)
}

/// Like [`write()`], handing the series to the writer column by column without copies, so that
/// 50 million bars need memory for one copy only.
pub fn write_owned(s: Synthetic, paths: &SynthPaths) -> Result<(), MarketError> {
    let Synthetic {
        candles,
        mark,
        funding,
    } = s;
    let mark = mark_into_table(&candles, mark);
    columnar::write_table_owned(&paths.mark, mark)?;
    columnar::write_table_owned(&paths.funding, funding_table(&funding, true))?;
    columnar::write_table_owned(&paths.candles, candles_into_table(candles))?;
    Ok(())
}

#[cfg(test)]
mod tests;
