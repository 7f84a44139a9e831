//! Arguments of `wick data fetch` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct FetchArgs {}
