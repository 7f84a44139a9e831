//! The liquidation map: for every bar of history as an entry, every leverage and each side, how
//! soon an isolated position would have been liquidated — or whether it never was, within the data.
//!
//! # Model (exchange-rules §1.2, §1.3, §2.3, §5)
//!
//! - Entry at the open of every bar, at the last price, isolated, notional `Settings::notional`
//!   (10,000 USDT by default), wallet = notional / leverage. The bracket table is the one in force
//!   at the entry date (before the first known table, 2022-02-12, the earliest is used and counted);
//!   an entry above the bracket's maximum leverage is refused ([`Outcome::NotOpened`]).
//! - Liquidation when the **mark** low (long) or high (short) reaches the liquidation price, the
//!   entry bar included. Bars without a mark candle use the last price, and are counted.
//! - Optional funding, booked against the isolated wallet at each settlement (it moves the
//!   liquidation price; `funding`), and an optional stop on the last price (`compute` resolves which
//!   came first, §5).
//!
//! # Algorithm
//!
//! The liquidation price over entry price depends only on (table, leverage, side, notional), so it
//! is solved once per table in exact decimals (`levels`). First passages are found with a segment
//! tree of range minima per side, O(n) to build and shared by all leverages, and an O(log n) search
//! per entry (`passage`); (side, leverage) pairs and chunks of entries run in parallel (rayon).
//! [`Method::BruteForce`] is the O(n²) oracle the tests hold it to.
//!
//! # Public API
//!
//! - [`liquidation_map`]`(&MarketData, &BracketSchedule, &Settings) -> Result<SurvivalMap, SurvivalError>`;
//!   [`liquidation_map_with`] takes a [`Method`].
//! - [`SurvivalMap`]: entry times and prices, one [`SeriesOutcomes`] per (side, leverage) with
//!   `outcome(i) -> Outcome`, `time_to_liquidation_ms`, and the caveats of the run.
//! - `stats::summarise` / `stats::summarise_by_year` → [`SurvivalRow`]s (shares per [`Horizon`],
//!   censoring as documented in `stats`); `stats::alive_curve` for the survival curves.

mod compute;
pub mod funding;
pub mod levels;
pub mod map;
pub mod passage;
pub mod stats;

pub use compute::{Method, Settings, liquidation_map, liquidation_map_with};
pub use map::{LevelSegment, Outcome, SeriesOutcomes, SurvivalMap};
pub use stats::{Horizon, Share, SurvivalRow};

/// What can go wrong computing a liquidation map.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum SurvivalError {
    #[error("'{0}' is not a holding time; write a number and a unit: 1h, 4h, 1d, 7d, 30d, 90d")]
    BadHorizon(String),
    #[error("{file} has no bars in the requested span; widen --from/--to or check the file")]
    NoBars { file: String },
    #[error("no leverage or no side to compute; give --leverage 2,5,10 and --side long,short")]
    NothingToCompute,
    #[error("stop-loss distance {0} is not between 0 and 100%; write e.g. --stop-loss 2% or 0.02")]
    BadStopLoss(f64),
    #[error("funding accrual needs a funding file; give --funding FILE")]
    FundingWithoutFile,
}
