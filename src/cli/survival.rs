//! Arguments of `wick survival` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct SurvivalArgs {}
