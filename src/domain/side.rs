use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The direction of a position. Being flat is `Option<Position>` = `None`, never a third side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Long,
    Short,
}

impl Side {
    /// +1 for long, −1 for short: the `side` of the exchange formulas (exchange-rules conventions).
    pub fn sign(self) -> Decimal {
        match self {
            Side::Long => Decimal::ONE,
            Side::Short => Decimal::NEGATIVE_ONE,
        }
    }

    /// The same sign as f64, for per-bar trigger comparisons.
    pub fn sign_f64(self) -> f64 {
        match self {
            Side::Long => 1.0,
            Side::Short => -1.0,
        }
    }

    pub fn opposite(self) -> Side {
        match self {
            Side::Long => Side::Short,
            Side::Short => Side::Long,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Long => "long",
            Side::Short => "short",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Side {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "long" | "buy" => Ok(Side::Long),
            "short" | "sell" => Ok(Side::Short),
            other => Err(format!("'{other}' is not a side; write long or short")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_is_plus_one_and_short_is_minus_one() {
        assert_eq!(Side::Long.sign(), Decimal::ONE);
        assert_eq!(Side::Short.sign(), Decimal::NEGATIVE_ONE);
        assert_eq!(Side::Long.opposite(), Side::Short);
    }

    #[test]
    fn sides_parse_from_common_words() {
        assert_eq!("Long".parse::<Side>(), Ok(Side::Long));
        assert_eq!("sell".parse::<Side>(), Ok(Side::Short));
        assert!("flat".parse::<Side>().is_err());
    }
}
