//! Numbers crossing from the market's f64 quotes into booked `Decimal`s, and the one division the
//! sizing needs, done exactly without paying for a full `Decimal` division.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{Price, Rate};

use super::position::BOOK_DP;

/// A market quote (f64, as read from the file) as a `Decimal` price, keeping its printed digits
/// (62749.5 stays 62749.5). Quotes with at most 8 decimals — every exchange tick — take an exact
/// integer route (the f64 nearest `k / 1e8` is `v` itself, so `k / 1e8` is the shortest decimal that
/// prints as `v`); anything else goes through the shortest printed form.
pub(crate) fn quote(v: f64) -> Price {
    let scaled = (v * 1e8).round();
    if scaled.abs() < 9.0e15 && (scaled / 1e8).to_bits() == v.to_bits() {
        return Price(Decimal::new(scaled as i64, 8).normalize());
    }
    Price::from_f64_checked(v).unwrap_or_else(|_| Price(Decimal::from_f64(v).unwrap_or_default()))
}

pub(crate) fn rate(v: f64) -> Rate {
    Rate(
        quote(v.abs()).get()
            * if v < 0.0 {
                Decimal::NEGATIVE_ONE
            } else {
                Decimal::ONE
            },
    )
}

/// A booked decimal as f64, for comparisons and the equity curve. Decimals whose mantissa fits in
/// 2^53 (every booked amount, every quote) convert with one correctly rounded division by an exact
/// power of ten — the f64 nearest the decimal; longer ones (a liquidation price carries 28 digits)
/// take `rust_decimal`'s own conversion.
pub(crate) fn f64_of(d: Decimal) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let m = d.mantissa();
    let scale = d.scale() as usize;
    if m.unsigned_abs() < (1u128 << 53) && scale < POW10.len() {
        (m as i64) as f64 / POW10[scale]
    } else {
        d.to_f64().unwrap_or(f64::NAN)
    }
}

/// `x ÷ y` (both positive) rounded to `BOOK_DP` decimals with `mode` (`ToZero` or
/// `AwayFromZero`), exactly: an f64 guess of the 1e-8 multiple is checked and corrected with
/// `Decimal` multiplications, which cost a fraction of a `Decimal` division (the fallback).
pub(crate) fn div_to_book_dp(x: Decimal, y: Decimal, mode: RoundingStrategy) -> Decimal {
    let exact = || (x / y).round_dp_with_strategy(BOOK_DP, mode);
    let guess = f64_of(x) / f64_of(y) * 1e8;
    if !(guess.is_finite() && guess.abs() < 9.0e15) || x.is_sign_negative() || y <= Decimal::ZERO {
        return exact();
    }
    let scaled_x = x * Decimal::new(100_000_000, 0);
    let up = !matches!(mode, RoundingStrategy::ToZero);
    // ToZero wants k with k·y ≤ 1e8·x < (k+1)·y; AwayFromZero the k+1 with k·y < 1e8·x ≤ (k+1)·y.
    let base = guess.floor() as i64;
    for k in [base, base - 1, base + 1] {
        let (lo, hi) = (Decimal::from(k) * y, Decimal::from(k + 1) * y);
        if !up && lo <= scaled_x && scaled_x < hi {
            return Decimal::new(k, BOOK_DP).normalize();
        }
        if up && lo < scaled_x && scaled_x <= hi {
            return Decimal::new(k + 1, BOOK_DP).normalize();
        }
    }
    exact()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn quotes_keep_the_digits_they_print_with() {
        assert_eq!(quote(62749.5), Price(dec!(62749.5)));
        assert_eq!(quote(0.1), Price(dec!(0.1)));
        assert_eq!(quote(29105.38675505), Price(dec!(29105.38675505)));
        assert_eq!(quote(0.00026336), Price(dec!(0.00026336)));
        // More than 8 decimals: the shortest printed form.
        assert_eq!(quote(1.0 / 3.0), Price(dec!(0.3333333333333333)));
        assert_eq!(rate(-0.0003).get(), dec!(-0.0003));
    }

    #[test]
    fn decimals_convert_to_the_nearest_f64() {
        for d in [
            dec!(0.1),
            dec!(62749.5),
            dec!(-7948.37945377),
            dec!(0.00026336),
            dec!(1e-8),
            dec!(3),
        ] {
            assert_eq!(
                f64_of(d).to_bits(),
                d.to_string().parse::<f64>().unwrap().to_bits(),
                "{d}"
            );
        }
        let long = dec!(57228.915662650602409638554217);
        assert!((f64_of(long) - 57_228.915_662_650_6).abs() < 1e-9);
    }

    #[test]
    fn exact_division_to_eight_decimals_matches_decimal_division() {
        let cases = [
            (dec!(10000), dec!(67010.65)),
            (dec!(9999.9999696065), dec!(20)),
            (dec!(5005), dec!(50050)),
            (dec!(1), dec!(3)),
            (dec!(60000), dec!(20)),
        ];
        for (x, y) in cases {
            for mode in [RoundingStrategy::ToZero, RoundingStrategy::AwayFromZero] {
                let want = (x / y).round_dp_with_strategy(BOOK_DP, mode);
                assert_eq!(div_to_book_dp(x, y, mode), want, "{x} / {y}");
            }
        }
    }
}
