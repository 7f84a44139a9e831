//! Sweeps: a grid of configurations (strategy parameters × leverage × stops × margin mode × sizing ×
//! intrabar policy) replayed in parallel over one shared, read-only copy of the market data.
//!
//! How a sweep runs, and why:
//!
//! 1. [`Grid`] expands the axes into their cartesian product in a fixed order, so every
//!    configuration has the same id on every machine ([`grid`] documents the order).
//! 2. [`Shard`] picks a deterministic slice of the ids (`--shard I/N`), for many machines.
//! 3. Configurations that differ only in account settings share their strategy's signals: the
//!    grid puts parameter axes first, so each parameter combination is one consecutive id range
//!    whose signals are computed once ([`parallel::run_grouped`]).
//! 4. Each configuration is replayed on a rayon worker against `&MarketData` (never a copy of the
//!    candles) and immediately reduced to its statistics and, for the charted ones, a thinned
//!    equity curve ([`series`]), so memory stays flat however many configurations run.
//! 5. Results come back in id order, identical whatever the number of threads.
//!
//! rayon is used here and in `survival` only.

pub mod grid;
pub mod parallel;
pub mod plan;
pub mod run;
pub mod series;
pub mod shard;
mod words;

pub use grid::{Axis, AxisKey, Grid, Point};
pub use plan::SweepPlan;
pub use run::{ChartRun, Outcome, SweepInput, run_plan};
pub use shard::Shard;

/// Why a sweep cannot be set up or run.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The axes are inconsistent (a value twice, an empty axis, too many configurations).
    #[error("sweep grid: {0}")]
    Grid(String),
    /// `--shard I/N` is malformed or out of range.
    #[error("--shard {0}")]
    Shard(String),
    /// A swept value that `wick run` would refuse too (the message names the flag or key).
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// A swept strategy parameter value that does not fit the strategy.
    #[error("--param {0}")]
    Param(String),
    #[error("{0}")]
    Threads(String),
}
