//! `wick data fetch` (being built).

use anyhow::{Result, bail};

use crate::cli::fetch::FetchArgs;

pub fn run(_args: FetchArgs) -> Result<()> {
    bail!("wick data fetch is not built yet")
}
