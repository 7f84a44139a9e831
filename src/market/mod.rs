//! Market data in memory, column-wise, shared read-only by every run of a sweep.
//!
//! Candles are one contiguous `Vec` per field so that a replay scans them at memory speed.
//! Bar `i` opens at `time[i]` (UTC ms) and covers `[time[i], time[i] + interval)`.
//! Prices are held as f64 here — they are the market's quotes, read from files as f64 — and are
//! turned into `Decimal` only where an amount is booked (see `domain`).
//!
//! Files come in through [`load_candles`], [`load_mark`], [`load_funding`] (or [`load_market`]
//! for all three); [`resample()`] aggregates to a coarser interval; [`synth`] makes a deterministic
//! BTC-like series for offline runs and benchmarks; [`inspect`] describes a file.

mod bundle;
mod columns;
mod data;
mod error;
mod funding;
pub mod inspect;
mod load;
mod mark;
mod repair;
pub mod resample;
mod source;
pub mod synth;
mod time;
mod validate;
mod write;

pub use bundle::{LoadedMarket, load_market};
pub use columns::{ColumnMap, Role};
pub use data::{Candles, FundingSeries, Gap, MarkSeries, MarketData};
pub use error::MarketError;
pub use funding::{LoadedFunding, load_funding};
pub use load::{LoadOptions, LoadReport, LoadedCandles, SYNTHETIC_KEY, load_candles, span};
pub use mark::{LoadedMark, load_mark};
pub use repair::{Dedupe, Repairs};
pub use resample::{Resampled, resample};
pub use time::TimeUnit;
pub use write::{
    candles_into_table, candles_table, funding_table, mark_into_table, mark_table, write_candles,
};
