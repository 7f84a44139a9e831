use thiserror::Error;

/// A value that cannot be a price, quantity, leverage, rate or time.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("{what} must be greater than zero, got {value}")]
    NotPositive { what: &'static str, value: String },
    #[error("{what} must not be negative, got {value}")]
    Negative { what: &'static str, value: String },
    #[error("{what} must be a finite number, got {value}")]
    NotFinite { what: &'static str, value: String },
    #[error("leverage must be at least 1, got {0}")]
    LeverageBelowOne(String),
    #[error("'{0}' is not an interval; write a number and a unit: 1m, 5m, 15m, 1h, 4h, 8h, 1d, 1w")]
    BadInterval(String),
    #[error(
        "'{0}' is not a UTC time; write 2024-06-01, 2024-06-01T08:00:00Z or milliseconds since 1970"
    )]
    BadTime(String),
}
