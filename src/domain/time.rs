//! Time as UTC milliseconds since the Unix epoch. Bars are labelled by their open time and cover
//! `[t, t + interval)`. Time only ever comes from the data, never from the clock.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// A UTC instant in milliseconds since 1970-01-01.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct TimestampMs(pub i64);

impl TimestampMs {
    pub fn get(self) -> i64 {
        self.0
    }

    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        DateTime::<Utc>::from_timestamp_millis(self.0)
    }

    /// `2024-06-01 08:00` (minutes), or with seconds/ms when the instant has them.
    pub fn to_human(self) -> String {
        match self.to_datetime() {
            Some(dt) if self.0 % 60_000 == 0 => dt.format("%Y-%m-%d %H:%M").to_string(),
            Some(dt) if self.0 % 1_000 == 0 => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
            None => format!("{} ms", self.0),
        }
    }

    /// RFC 3339 with a `Z`, for files other tools read.
    pub fn to_rfc3339(self) -> String {
        match self.to_datetime() {
            Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            None => self.0.to_string(),
        }
    }

    /// Parse a user-written time: `2024-06-01`, `2024-06-01T08:00`, `2024-06-01 08:00:00`,
    /// RFC 3339 with an offset, or integer milliseconds.
    pub fn parse_user(s: &str) -> Result<Self, DomainError> {
        let t = s.trim();
        if let Ok(ms) = t.parse::<i64>() {
            return Ok(TimestampMs(ms));
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Ok(TimestampMs(dt.timestamp_millis()));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
        ] {
            if let Ok(ndt) = NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), fmt) {
                return Ok(TimestampMs(ndt.and_utc().timestamp_millis()));
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(TimestampMs(
                d.and_hms_opt(0, 0, 0)
                    .expect("midnight exists")
                    .and_utc()
                    .timestamp_millis(),
            ));
        }
        Err(DomainError::BadTime(s.to_string()))
    }
}

impl fmt::Display for TimestampMs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_human())
    }
}

/// The length of a bar or of a funding period, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Interval(pub i64);

impl Interval {
    pub const MINUTE: Interval = Interval(60_000);
    pub const HOUR: Interval = Interval(3_600_000);
    pub const DAY: Interval = Interval(86_400_000);

    pub fn ms(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        let units: [(i64, &str); 6] = [
            (604_800_000, "w"),
            (86_400_000, "d"),
            (3_600_000, "h"),
            (60_000, "m"),
            (1_000, "s"),
            (1, "ms"),
        ];
        for (size, unit) in units {
            if ms != 0 && ms % size == 0 {
                return write!(f, "{}{unit}", ms / size);
            }
        }
        write!(f, "{ms}ms")
    }
}

impl FromStr for Interval {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: i64 = num
            .parse()
            .map_err(|_| DomainError::BadInterval(s.to_string()))?;
        let size = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => return Err(DomainError::BadInterval(s.to_string())),
        };
        if n <= 0 {
            return Err(DomainError::BadInterval(s.to_string()));
        }
        Ok(Interval(n * size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_round_trip_through_their_short_names() {
        for s in ["1m", "5m", "15m", "1h", "4h", "8h", "1d", "1w"] {
            let i: Interval = s.parse().unwrap();
            assert_eq!(i.to_string(), s);
        }
        assert_eq!("60m".parse::<Interval>().unwrap(), Interval::HOUR);
        assert!("0h".parse::<Interval>().is_err());
        assert!("1y".parse::<Interval>().is_err());
    }

    #[test]
    fn user_times_parse_as_utc() {
        let t = TimestampMs::parse_user("2021-11-10").unwrap();
        assert_eq!(t.0, 1_636_502_400_000);
        assert_eq!(TimestampMs::parse_user("2021-11-10T00:00:00Z").unwrap(), t);
        assert_eq!(
            TimestampMs::parse_user("2021-11-10 08:00").unwrap().0,
            t.0 + 8 * 3_600_000
        );
        assert_eq!(t.to_human(), "2021-11-10 00:00");
        assert!(TimestampMs::parse_user("yesterday").is_err());
    }
}
