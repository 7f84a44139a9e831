//! All of a market at once: candles, mark candles on their grid, funding.

use std::path::Path;

use super::funding::load_funding;
use super::load::{LoadOptions, LoadReport, LoadedCandles, load_candles};
use super::mark::load_mark;
use super::{MarketData, MarketError};

/// Candles, optional mark candles and optional funding, loaded and aligned in one call.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedMarket {
    pub data: MarketData,
    /// Candles first, then mark and funding when given.
    pub reports: Vec<LoadReport>,
}

pub fn load_market(
    candles: &Path,
    mark: Option<&Path>,
    funding: Option<&Path>,
    opts: &LoadOptions,
) -> Result<LoadedMarket, MarketError> {
    let LoadedCandles { candles, report } = load_candles(candles, opts)?;
    let mut reports = vec![report];
    let mark = match mark {
        Some(p) => {
            let loaded = load_mark(p, &candles, opts)?;
            reports.push(loaded.report);
            Some(loaded.mark)
        }
        None => None,
    };
    let funding = match funding {
        Some(p) => {
            let loaded = load_funding(p, opts)?;
            reports.push(loaded.report);
            Some(loaded.funding)
        }
        None => None,
    };
    Ok(LoadedMarket {
        data: MarketData {
            candles,
            mark,
            funding,
        },
        reports,
    })
}
