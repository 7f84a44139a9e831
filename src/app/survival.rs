//! `wick survival` (being built).

use anyhow::{Result, bail};

use crate::cli::survival::SurvivalArgs;

pub fn run(_args: SurvivalArgs) -> Result<()> {
    bail!("wick survival is not built yet")
}
