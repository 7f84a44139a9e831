//! wick — replay BTC perpetual-futures history bar by bar under the rules exchanges really apply,
//! and compare leverage levels side by side before risking money.
//!
//! The pipeline, in the order data flows (no module reaches back up):
//!
//! 1. `columnar` reads and writes column files (CSV, Parquet) — the only polars user;
//!    `market` turns them into validated, column-wise [`market::MarketData`].
//! 2. `exchange` knows the venue's rules: brackets, margin, liquidation and bankruptcy prices,
//!    funding, fees (pure `Decimal` arithmetic, no I/O).
//! 3. `strategy` decides positions from bars seen so far; `engine` replays one configuration bar by
//!    bar and books every amount.
//! 4. `results` holds what happened as plain data and the statistics computed from it;
//!    `sweep` runs many configurations in parallel; `survival` maps liquidation risk over history.
//! 5. `report` writes tables, CSV/Parquet/JSON and PNG charts; `app` is the one place that knows the
//!    whole pipeline, and `cli` only describes the command line.

mod alloc;

pub mod domain;

pub mod columnar;
pub mod market;

pub mod exchange;

pub mod config;
pub mod strategy;

pub mod engine;
pub mod results;

pub mod survival;
pub mod sweep;

pub mod fetch;
pub mod report;

pub mod app;
pub mod cli;
