//! Arguments of `wick liq` (being built).

use clap::Args;

#[derive(Debug, Args)]
pub struct LiqArgs {}
