//! Value types shared by every stage: prices, quantities, money, leverage, rates, sides and times.
//!
//! Amounts that are booked are `rust_decimal::Decimal` inside a newtype that says what the number is,
//! so that a price cannot be added to a quantity by accident. This module does no I/O and imports
//! nothing else of ours.

mod error;
mod money;
mod side;
mod time;

pub use error::DomainError;
pub use money::{Leverage, Price, Qty, Rate, Usd, nearest_f64};
pub use side::Side;
pub use time::{Interval, TimestampMs};
