//! Arguments of `wick demo` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct DemoArgs {}
