//! `wick data …` (being built).

use anyhow::Result;

use crate::cli::data::DataCommand;

pub fn run(cmd: DataCommand) -> Result<()> {
    match cmd {
        DataCommand::Fetch(args) => super::fetch::run(args),
    }
}
