//! Arguments of `wick run` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct RunArgs {}
