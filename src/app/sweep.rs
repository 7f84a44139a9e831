//! `wick sweep` and `wick merge` (being built).

use anyhow::{Result, bail};

use crate::cli::sweep::{MergeArgs, SweepArgs};

pub fn run(_args: SweepArgs) -> Result<()> {
    bail!("wick sweep is not built yet")
}

pub fn merge(_args: MergeArgs) -> Result<()> {
    bail!("wick merge is not built yet")
}
