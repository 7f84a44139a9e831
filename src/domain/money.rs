//! Decimal newtypes. Each wraps a `Decimal` and says what it measures:
//! `Price` (USDT per BTC), `Qty` (BTC, or contracts for inverse), `Usd` (an amount of quote currency,
//! positive or negative), `Leverage` (≥ 1) and `Rate` (a plain fraction: 0.0004 = 0.04%).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::DomainError;

/// A booked decimal as f64, for comparisons and the equity curve. Decimals whose mantissa fits in
/// 2^53 (every booked amount, every quote) convert with one correctly rounded division by an exact
/// power of ten — the f64 nearest the decimal; longer ones (a liquidation price carries 28 digits)
/// take `rust_decimal`'s own conversion.
#[inline]
pub fn nearest_f64(d: Decimal) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let m = d.mantissa();
    let scale = d.scale() as usize;
    if m.unsigned_abs() < (1u128 << 53) && scale < POW10.len() {
        (m as i64) as f64 / POW10[scale]
    } else {
        decimal_to_f64(d)
    }
}

/// `rust_decimal`'s own conversion (`Decimal::to_f64`, version 1.43), step for step and so bit for
/// bit, with its one libm call — `f64::round`, a library call where the baseline target lacks
/// SSE4.1 — replaced by exact arithmetic. A property test holds it to the crate's function.
#[inline(never)]
fn decimal_to_f64(d: Decimal) -> f64 {
    let scale = d.scale();
    if scale == 0 {
        return d.mantissa() as f64;
    }
    let neg = d.is_sign_negative();
    let mantissa = d.mantissa().unsigned_abs();
    let precision = 10u128.pow(scale);
    // One division for quotient and remainder, on 64 bits where both operands fit (a 128-bit
    // division is a library call): the same integers either way.
    let (integral, frac) = match (u64::try_from(mantissa), u64::try_from(precision)) {
        (Ok(m), Ok(p)) => {
            let q = m / p;
            (u128::from(q), u128::from(m - q * p))
        }
        _ => {
            let q = mantissa / precision;
            (q, mantissa - q * precision)
        }
    };
    let frac_f64 = frac as f64 / precision as f64;
    let integral = integral as f64;
    let unsigned = if frac_f64 == 0.0 {
        integral
    } else {
        let round_to = 10f64.powi(scale as i32);
        round_half_away_non_negative((integral + frac_f64) * round_to) / round_to
    };
    if neg { -unsigned } else { unsigned }
}

/// `x.round()` for `x ≥ 0` (or NaN), exactly: at 2⁵² and above every f64 is an integer; below, the
/// truncation and the fraction `x − trunc(x)` are exact.
fn round_half_away_non_negative(x: f64) -> f64 {
    if x.is_nan() || x >= 4_503_599_627_370_496.0 {
        return x;
    }
    let t = (x as u64) as f64;
    if x - t >= 0.5 { t + 1.0 } else { t }
}

macro_rules! decimal_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Decimal);

        impl $name {
            pub const ZERO: $name = $name(Decimal::ZERO);

            /// The raw decimal.
            pub fn get(self) -> Decimal {
                self.0
            }

            /// For per-bar comparisons and charts only; never for booking.
            pub fn to_f64(self) -> f64 {
                self.0.to_f64().unwrap_or(f64::NAN)
            }

            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.normalize(), f)
            }
        }

        impl From<Decimal> for $name {
            fn from(d: Decimal) -> Self {
                $name(d)
            }
        }
    };
}

decimal_newtype!(
    /// A price in quote currency per unit of base (USDT per BTC for linear contracts).
    Price
);
decimal_newtype!(
    /// A position or order size: BTC for linear contracts, contracts for inverse ones. Always ≥ 0;
    /// the direction is a `Side`.
    Qty
);
decimal_newtype!(
    /// An amount of money in the margin currency (USDT for linear contracts). May be negative.
    Usd
);
decimal_newtype!(
    /// Leverage: notional divided by initial margin. At least 1.
    Leverage
);
decimal_newtype!(
    /// A rate as a plain fraction: 0.0004 is 0.04%, 0.0001 a funding rate of 0.01%.
    Rate
);

fn finite_decimal(what: &'static str, value: f64) -> Result<Decimal, DomainError> {
    if !value.is_finite() {
        return Err(DomainError::NotFinite {
            what,
            value: value.to_string(),
        });
    }
    Decimal::from_f64_retain(value)
        .or_else(|| Decimal::try_from(value).ok())
        .ok_or(DomainError::NotFinite {
            what,
            value: value.to_string(),
        })
}

impl Price {
    /// A price must be strictly positive.
    pub fn new_checked(d: Decimal) -> Result<Self, DomainError> {
        if d <= Decimal::ZERO {
            return Err(DomainError::NotPositive {
                what: "price",
                value: d.to_string(),
            });
        }
        Ok(Price(d))
    }

    /// From an f64 as read from a file, keeping the shortest decimal that prints the same
    /// (so 62749.5 stays 62749.5, not 62749.500000000001).
    pub fn from_f64_checked(v: f64) -> Result<Self, DomainError> {
        if !v.is_finite() {
            return Err(DomainError::NotFinite {
                what: "price",
                value: v.to_string(),
            });
        }
        let d: Decimal = v
            .to_string()
            .parse()
            .or_else(|_| finite_decimal("price", v))?;
        Price::new_checked(d)
    }
}

impl Qty {
    pub fn new_checked(d: Decimal) -> Result<Self, DomainError> {
        if d < Decimal::ZERO {
            return Err(DomainError::Negative {
                what: "quantity",
                value: d.to_string(),
            });
        }
        Ok(Qty(d))
    }
}

impl Leverage {
    pub fn new_checked(d: Decimal) -> Result<Self, DomainError> {
        if d < Decimal::ONE {
            return Err(DomainError::LeverageBelowOne(d.to_string()));
        }
        Ok(Leverage(d))
    }
}

impl Rate {
    /// A rate from basis points: 5 bps = 0.0005.
    pub fn from_bps(bps: Decimal) -> Rate {
        Rate(bps / Decimal::from(10_000))
    }
}

/// Quantity × price is notional money.
impl Mul<Price> for Qty {
    type Output = Usd;
    fn mul(self, rhs: Price) -> Usd {
        Usd(self.0 * rhs.0)
    }
}

/// Money × rate is money (fees, funding, maintenance margin).
impl Mul<Rate> for Usd {
    type Output = Usd;
    fn mul(self, rhs: Rate) -> Usd {
        Usd(self.0 * rhs.0)
    }
}

/// Notional ÷ leverage is initial margin.
impl Div<Leverage> for Usd {
    type Output = Usd;
    fn div(self, rhs: Leverage) -> Usd {
        Usd(self.0 / rhs.0)
    }
}

/// Notional ÷ price is quantity.
impl Div<Price> for Usd {
    type Output = Qty;
    fn div(self, rhs: Price) -> Qty {
        Qty(self.0 / rhs.0)
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}
impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}
impl Neg for Usd {
    type Output = Usd;
    fn neg(self) -> Usd {
        Usd(-self.0)
    }
}
impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}
impl SubAssign for Usd {
    fn sub_assign(&mut self, rhs: Usd) {
        self.0 -= rhs.0;
    }
}
impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        Usd(iter.map(|u| u.0).sum())
    }
}
impl Add for Qty {
    type Output = Qty;
    fn add(self, rhs: Qty) -> Qty {
        Qty(self.0 + rhs.0)
    }
}
impl Sub for Qty {
    type Output = Qty;
    fn sub(self, rhs: Qty) -> Qty {
        Qty(self.0 - rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    proptest::proptest! {
        #[test]
        fn long_decimals_convert_to_f64_exactly_as_rust_decimal_does(
            lo in proptest::prelude::any::<u32>(),
            mid in proptest::prelude::any::<u32>(),
            hi in proptest::prelude::any::<u32>(),
            negative in proptest::prelude::any::<bool>(),
            scale in 0u32..=28,
            short in 0u32..3,
        ) {
            // Full 96-bit mantissas, and shorter ones (one or two words) as booked amounts have.
            let (mid, hi) = match short {
                0 => (0, 0),
                1 => (mid, 0),
                _ => (mid, hi),
            };
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let want = d.to_f64().unwrap_or(f64::NAN);
            proptest::prop_assert_eq!(decimal_to_f64(d).to_bits(), want.to_bits(), "{}", d);
        }
    }

    #[test]
    fn rounding_half_away_from_zero_matches_f64_round() {
        for x in [
            0.0,
            0.49999999999999994,
            0.5,
            1.5,
            2.5,
            2.4999999999999996,
            1e15 + 0.5,
            4503599627370495.5,
            4503599627370496.0,
            9.1e18,
            1e300,
            f64::INFINITY,
        ] {
            assert_eq!(
                round_half_away_non_negative(x).to_bits(),
                x.round().to_bits(),
                "{x}"
            );
        }
        assert!(round_half_away_non_negative(f64::NAN).is_nan());
    }

    #[test]
    fn one_btc_at_sixty_thousand_is_sixty_thousand_usdt_of_notional() {
        assert_eq!(Qty(dec!(1)) * Price(dec!(60000)), Usd(dec!(60000)));
    }

    #[test]
    fn notional_over_twenty_x_leverage_is_the_initial_margin() {
        assert_eq!(Usd(dec!(60000)) / Leverage(dec!(20)), Usd(dec!(3000)));
    }

    #[test]
    fn prices_read_from_floats_keep_their_printed_digits() {
        assert_eq!(
            Price::from_f64_checked(62749.5).unwrap(),
            Price(dec!(62749.5))
        );
        assert_eq!(Price::from_f64_checked(0.1).unwrap(), Price(dec!(0.1)));
    }

    #[test]
    fn non_positive_prices_and_sub_one_leverage_are_refused() {
        assert!(Price::new_checked(dec!(0)).is_err());
        assert!(Price::from_f64_checked(f64::NAN).is_err());
        assert!(Leverage::new_checked(dec!(0.5)).is_err());
        assert!(Qty::new_checked(dec!(-1)).is_err());
    }

    #[test]
    fn five_basis_points_are_five_hundredths_of_a_percent() {
        assert_eq!(Rate::from_bps(dec!(5)), Rate(dec!(0.0005)));
    }
}
