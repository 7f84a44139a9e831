//! The command line, as clap structs only. Each subcommand's arguments live in its own file;
//! `app` turns them into validated settings and runs them.

use clap::{Parser, Subcommand};

pub mod data;
pub mod demo;
pub mod fetch;
pub mod liq;
pub mod run;
pub mod survival;
pub mod sweep;

const EXAMPLES: &str = "\
Examples:
  wick demo                                   offline leverage sweep on synthetic data
  wick data inspect data/btcusdt-1h.csv       what a file holds: span, interval, gaps
  wick liq --side short --entry 60000 --leverage 20 --qty 1
  wick run strategies/sma_crossover.toml --leverage 10
  wick sweep strategies/sma_crossover.toml --leverage 1,2,5,10,20
  wick survival --candles perp-1h.csv --mark mark-1h.csv --leverage 5,10,20";

/// Backtest leveraged BTC perpetual-futures strategies under the rules exchanges really apply.
#[derive(Debug, Parser)]
#[command(name = "wick", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect, convert, resample, synthesise or fetch market data.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Liquidation calculator: margin, bracket, liquidation and bankruptcy prices of one position.
    Liq(liq::LiqArgs),
    /// Replay one strategy file bar by bar and write its report.
    Run(run::RunArgs),
    /// Run a grid of configurations (leverage, stops, parameters) in parallel and compare them.
    Sweep(sweep::SweepArgs),
    /// Join the outputs of `wick sweep --shard I/N` runs into one sweep.
    Merge(sweep::MergeArgs),
    /// The offline main job: a leverage sweep on built-in synthetic data (or data/ files you fetched).
    Demo(demo::DemoArgs),
    /// For every hour of history and every leverage: how soon would a position have been liquidated?
    Survival(survival::SurvivalArgs),
}
