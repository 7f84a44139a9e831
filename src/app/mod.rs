//! The one place that knows the whole pipeline: turns parsed arguments into validated settings,
//! loads data, runs, and reports. Each subcommand has its own file.

use anyhow::Result;

use crate::cli::{Cli, Command};

mod data;
mod demo;
mod fetch;
mod liq;
mod run;
mod survival;
mod sweep;

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Data(cmd) => data::run(cmd),
        Command::Liq(args) => liq::run(args),
        Command::Run(args) => run::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Demo(args) => demo::run(args),
        Command::Survival(args) => survival::run(args),
    }
}
