//! `wick demo` (being built).

use anyhow::{Result, bail};

use crate::cli::demo::DemoArgs;

pub fn run(_args: DemoArgs) -> Result<()> {
    bail!("wick demo is not built yet")
}
