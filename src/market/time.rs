//! Timestamps as files hold them → UTC milliseconds.
//!
//! Integer epochs come in seconds, milliseconds, microseconds or nanoseconds; the unit is read off
//! the magnitude of the first value (every instant from 1973 to 2286 has a distinct digit count in
//! each unit), and `inspect` says which unit it chose. Text is RFC 3339 / ISO-8601, read as UTC
//! when it has no offset.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::columnar::Column;

/// The unit a file's timestamps were written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Millis,
    Micros,
    Nanos,
    /// ISO-8601 / RFC 3339 text.
    Text,
}

impl TimeUnit {
    /// Guess the unit of an epoch integer from its magnitude. Milliseconds cover 1973-03 to 2286
    /// (1e11..1e14); seconds below that reach 5138; microseconds and nanoseconds sit above.
    pub fn detect(value: i64) -> TimeUnit {
        match value.unsigned_abs() {
            0..100_000_000_000 => TimeUnit::Seconds,
            100_000_000_000..100_000_000_000_000 => TimeUnit::Millis,
            100_000_000_000_000..100_000_000_000_000_000 => TimeUnit::Micros,
            _ => TimeUnit::Nanos,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Millis => "milliseconds",
            TimeUnit::Micros => "microseconds",
            TimeUnit::Nanos => "nanoseconds",
            TimeUnit::Text => "ISO-8601 text",
        }
    }

    /// An epoch integer in this unit → ms, or why not.
    pub fn to_ms(self, value: i64) -> Result<i64, TimeProblem> {
        // Before 1970 is no BTC market; say "out of range" rather than anything about units.
        if value < 0 {
            return Err(TimeProblem::OutOfRange);
        }
        let ms = match self {
            TimeUnit::Seconds => value.checked_mul(1_000).ok_or(TimeProblem::OutOfRange)?,
            TimeUnit::Millis | TimeUnit::Text => value,
            TimeUnit::Micros => exact_div(value, 1_000)?,
            TimeUnit::Nanos => exact_div(value, 1_000_000)?,
        };
        // chrono's range, and the range in which `to_human` can print a date.
        if !(0..=9_224_318_015_999).contains(&ms) {
            return Err(TimeProblem::OutOfRange);
        }
        Ok(ms)
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why one timestamp could not become milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeProblem {
    NotATime,
    OutOfRange,
    SubMillisecond,
}

fn exact_div(value: i64, by: i64) -> Result<i64, TimeProblem> {
    if value % by != 0 {
        return Err(TimeProblem::SubMillisecond);
    }
    Ok(value / by)
}

/// Parse RFC 3339 / ISO-8601 text (offset optional, UTC if absent; a bare date is midnight).
pub fn parse_text(s: &str) -> Result<i64, TimeProblem> {
    let t = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_millis());
    }
    let naive = t.trim_end_matches('Z');
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(ndt) = NaiveDateTime::parse_from_str(naive, fmt) {
            return Ok(ndt.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let midnight = d.and_hms_opt(0, 0, 0).ok_or(TimeProblem::NotATime)?;
        return Ok(midnight.and_utc().timestamp_millis());
    }
    Err(TimeProblem::NotATime)
}

/// A time column converted to ms, or the index and text of the first value that is not a time.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeColumn {
    pub ms: Vec<i64>,
    pub unit: TimeUnit,
}

/// The first bad value of a time column: its index, its text and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct BadTime {
    pub index: usize,
    pub value: String,
    pub problem: TimeProblem,
    pub unit: TimeUnit,
}

/// Convert a whole time column. Integer columns take their unit from the first value; float
/// columns must hold whole numbers; text columns may hold epochs (when the typed read fell back to
/// text) or ISO-8601.
pub fn convert(column: Column) -> Result<TimeColumn, BadTime> {
    match column {
        Column::I64(v) => from_ints(v),
        Column::OptI64(v) => {
            if let Some(index) = v.iter().position(Option::is_none) {
                return Err(missing(index));
            }
            from_ints(v.into_iter().flatten().collect())
        }
        Column::F64(v) => from_floats(&v),
        Column::OptF64(v) => {
            if let Some(index) = v.iter().position(Option::is_none) {
                return Err(missing(index));
            }
            from_floats(&v.into_iter().flatten().collect::<Vec<_>>())
        }
        Column::Str(v) => from_text(v.iter().map(|s| Some(s.as_str()))),
        Column::OptStr(v) => from_text(v.iter().map(|s| s.as_deref())),
    }
}

fn missing(index: usize) -> BadTime {
    BadTime {
        index,
        value: String::new(),
        problem: TimeProblem::NotATime,
        unit: TimeUnit::Text,
    }
}

fn from_ints(mut v: Vec<i64>) -> Result<TimeColumn, BadTime> {
    let unit = v.first().map_or(TimeUnit::Millis, |&x| TimeUnit::detect(x));
    if unit != TimeUnit::Millis {
        for (index, x) in v.iter_mut().enumerate() {
            let raw = *x;
            *x = unit.to_ms(raw).map_err(|problem| BadTime {
                index,
                value: raw.to_string(),
                problem,
                unit,
            })?;
        }
    } else if let Some(index) = v.iter().position(|&x| unit.to_ms(x).is_err()) {
        let value = v[index].to_string();
        return Err(BadTime {
            index,
            value,
            problem: TimeProblem::OutOfRange,
            unit,
        });
    }
    Ok(TimeColumn { ms: v, unit })
}

fn from_floats(v: &[f64]) -> Result<TimeColumn, BadTime> {
    let mut ints = Vec::with_capacity(v.len());
    for (index, &x) in v.iter().enumerate() {
        // Whole numbers below 2^63 only: a fraction would be lost silently.
        if !x.is_finite() || x.fract() != 0.0 || x.abs() >= 9.2e18 {
            let problem = if x.is_finite() && x.fract() != 0.0 {
                TimeProblem::SubMillisecond
            } else {
                TimeProblem::NotATime
            };
            return Err(BadTime {
                index,
                value: x.to_string(),
                problem,
                unit: TimeUnit::Millis,
            });
        }
        ints.push(x as i64);
    }
    from_ints(ints)
}

fn from_text<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Result<TimeColumn, BadTime> {
    let mut ms = Vec::with_capacity(values.size_hint().0);
    let mut unit: Option<TimeUnit> = None;
    for (index, value) in values.enumerate() {
        let Some(s) = value else {
            return Err(missing(index));
        };
        let bad = |problem, unit| BadTime {
            index,
            value: s.to_string(),
            problem,
            unit,
        };
        let t = s.trim();
        let parsed = match t.parse::<i64>() {
            Ok(raw) => {
                let u = *unit.get_or_insert(TimeUnit::detect(raw));
                u.to_ms(raw).map_err(|p| bad(p, u))?
            }
            Err(_) => {
                unit.get_or_insert(TimeUnit::Text);
                parse_text(t).map_err(|p| bad(p, TimeUnit::Text))?
            }
        };
        ms.push(parsed);
    }
    Ok(TimeColumn {
        ms,
        unit: unit.unwrap_or(TimeUnit::Millis),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_units_are_detected_from_the_magnitude() {
        // 2019-09-08 17:00 UTC in each unit.
        assert_eq!(TimeUnit::detect(1_567_962_000), TimeUnit::Seconds);
        assert_eq!(TimeUnit::detect(1_567_962_000_000), TimeUnit::Millis);
        assert_eq!(TimeUnit::detect(1_567_962_000_000_000), TimeUnit::Micros);
        assert_eq!(TimeUnit::detect(1_567_962_000_000_000_000), TimeUnit::Nanos);
        for raw in [
            1_567_962_000,
            1_567_962_000_000,
            1_567_962_000_000_000,
            1_567_962_000_000_000_000,
        ] {
            assert_eq!(TimeUnit::detect(raw).to_ms(raw), Ok(1_567_962_000_000));
        }
    }

    #[test]
    fn sub_millisecond_epochs_are_refused_rather_than_truncated() {
        assert_eq!(
            TimeUnit::Micros.to_ms(1_567_962_000_000_500),
            Err(TimeProblem::SubMillisecond)
        );
    }

    #[test]
    fn iso_text_with_and_without_offsets_reads_as_utc() {
        let t = 1_567_962_000_000;
        for s in [
            "2019-09-08T17:00:00Z",
            "2019-09-08T19:00:00+02:00",
            "2019-09-08 17:00:00",
            "2019-09-08T17:00",
        ] {
            assert_eq!(parse_text(s), Ok(t), "{s}");
        }
        assert_eq!(parse_text("2019-09-08"), Ok(t - 17 * 3_600_000));
        assert_eq!(parse_text("8 Sep 2019"), Err(TimeProblem::NotATime));
    }

    #[test]
    fn a_text_column_reports_its_first_bad_value_by_index() {
        let col = Column::Str(vec![
            "2024-01-01".into(),
            "2024-01-02".into(),
            "soon".into(),
        ]);
        let bad = convert(col).unwrap_err();
        assert_eq!((bad.index, bad.value.as_str()), (2, "soon"));
    }

    #[test]
    fn second_epochs_in_a_column_become_milliseconds() {
        let col = convert(Column::I64(vec![1_567_962_000, 1_567_965_600])).unwrap();
        assert_eq!(col.unit, TimeUnit::Seconds);
        assert_eq!(col.ms, vec![1_567_962_000_000, 1_567_965_600_000]);
    }
}
