//! Funding files: time, funding rate, and the mark price the exchange used (optional).
//!
//! The mark price may be missing (Binance's funding API only recently returns it; the shared
//! funding file has none before mark klines exist, 2019-12-23): missing is NaN, and the engine
//! then uses the mark open of the bar at the settlement (exchange-rules §2.4).

use std::path::Path;

use super::columns::Role;
use super::load::{LoadOptions, LoadReport, read_raw};
use super::validate;
use super::{FundingSeries, MarketError};

#[derive(Debug, Clone, PartialEq)]
pub struct LoadedFunding {
    pub funding: FundingSeries,
    pub report: LoadReport,
}

/// Load a funding series: time, funding rate, and the mark price used (optional; empty → NaN).
pub fn load_funding(path: &Path, opts: &LoadOptions) -> Result<LoadedFunding, MarketError> {
    let mut raw = read_raw(
        path,
        &[(Role::FundingRate, true), (Role::MarkPrice, false)],
        opts,
    )?;
    let time_name = raw.name(Role::Time).unwrap_or_default();
    let rate_name = raw.name(Role::FundingRate).unwrap_or_default();
    let rate = raw.floats(&rate_name, false)?;
    let mark = match raw.name(Role::MarkPrice) {
        Some(m) => raw.floats(&m, true)?,
        None => vec![f64::NAN; raw.time.len()],
    };
    validate::check_order(&raw.src, &time_name, &raw.time)?;
    let src = &raw.src;
    if let Some(i) = rate.iter().position(|r| !r.is_finite()) {
        return Err(MarketError::NotFinite {
            file: src.file.clone(),
            row: src.row(i),
            column: rate_name,
            value: rate[i].to_string(),
        });
    }
    if let (Some(i), Some(column)) = (
        mark.iter().position(|m| m.is_infinite() || *m <= 0.0),
        raw.name(Role::MarkPrice),
    ) {
        let (file, row, value) = (src.file.clone(), src.row(i), mark[i].to_string());
        return Err(if mark[i].is_infinite() {
            MarketError::NotFinite {
                file,
                row,
                column,
                value,
            }
        } else {
            MarketError::NotPositive {
                file,
                row,
                column,
                value,
            }
        });
    }
    let funding = FundingSeries {
        source: raw.src.file.clone(),
        time: raw.time,
        rate,
        mark,
    };
    Ok(LoadedFunding {
        funding,
        report: raw.report,
    })
}
