//! Rolling indicators, updated one value at a time in O(1) (amortised) with state allocated once
//! at construction, so that computing signals over millions of bars allocates nothing per bar.
//!
//! Each returns `None` until it has seen enough values. They are small and tested against values
//! worked out by hand in their unit tests; no indicator crate is needed for these four.

mod average;
mod extremes;
mod rsi;

pub use average::{Ema, Sma};
pub use extremes::{RollingMax, RollingMin};
pub use rsi::Rsi;
