//! `wick run` (being built).

use anyhow::{Result, bail};

use crate::cli::run::RunArgs;

pub fn run(_args: RunArgs) -> Result<()> {
    bail!("wick run is not built yet")
}
