//! Market data in memory, column-wise, shared read-only by every run of a sweep.
//!
//! Candles are one contiguous `Vec` per field so that a replay scans them at memory speed.
//! Bar `i` opens at `time[i]` (UTC ms) and covers `[time[i], time[i] + interval)`.
//! Prices are held as f64 here — they are the market's quotes, read from files as f64 — and are
//! turned into `Decimal` only where an amount is booked (see `domain`).

mod data;

pub use data::{Candles, FundingSeries, Gap, MarkSeries, MarketData};
