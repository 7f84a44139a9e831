//! Arguments of `wick sweep` and `wick merge` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct SweepArgs {}

#[derive(Debug, Args)]
pub struct MergeArgs {}
