//! Market data in memory, column-wise, shared read-only by every run of a sweep.
//!
//! Candles are one contiguous `Vec` per field so that a replay scans them at memory speed.
//! Bar `i` opens at `time[i]` (UTC ms) and covers `[time[i], time[i] + interval)`.
//! Prices are held as f64 here — they are the market's quotes, read from files as f64 — and are
//! turned into `Decimal` only where an amount is booked (see `domain`).
//!
//! Files come in through [`load_candles`], [`load_mark`], [`load_funding`] (or [`load_market`]
//! for all three); [`resample`] aggregates to a coarser interval; [`synth`] makes a deterministic
//! BTC-like series for offline runs and benchmarks; [`inspect`] describes a file.

mod columns;
mod data;
mod error;
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

pub use columns::{ColumnMap, Role};
pub use data::{Candles, FundingSeries, Gap, MarkSeries, MarketData};
pub use error::MarketError;
pub use load::{
    LoadOptions, LoadReport, LoadedCandles, LoadedFunding, LoadedMarket, SYNTHETIC_KEY,
    load_candles, load_funding, load_market, span,
};
pub use mark::{LoadedMark, load_mark};
pub use repair::{Dedupe, Repairs};
pub use resample::{Resampled, resample};
pub use time::TimeUnit;
pub use write::{candles_table, funding_table, mark_table, write_candles};
