//! `wick liq` (being built).

use anyhow::{Result, bail};

use crate::cli::liq::LiqArgs;

pub fn run(_args: LiqArgs) -> Result<()> {
    bail!("wick liq is not built yet")
}
