//! The liquidation map: for every bar of history as an entry, every leverage and each side, how
//! soon an isolated position would have been liquidated — or whether it never was, within the data.
//!
//! (assembling; see `passage`, `map`, `stats`)

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
