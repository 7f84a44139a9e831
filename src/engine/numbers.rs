//! Numbers crossing from the market's f64 quotes into booked `Decimal`s, and the products and the
//! division the booking needs, done exactly on integers instead of through `Decimal`'s general
//! arithmetic. The products give the `Decimal` result bit for bit; the division rounds the exact
//! quotient once, where `Decimal` would round a 28-digit quotient again (see [`div_to_book_dp`]).
//! Each falls back to `Decimal` where its operands are too long for 128-bit integers.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::domain::{Price, Rate};

use super::position::BOOK_DP;

/// A market quote (f64, as read from the file) as a `Decimal` price, keeping its printed digits
/// (62749.5 stays 62749.5). Quotes with at most 8 decimals — every exchange tick — take an exact
/// integer route (the f64 nearest `k / 1e8` is `v` itself, so `k / 1e8` is the shortest decimal that
/// prints as `v`); anything else goes through the shortest printed form.
pub(crate) fn quote(v: f64) -> Price {
    // Round half away from zero by a truncating cast rather than `f64::round`, which without
    // SSE4.1 in the baseline target is a libm call; any mis-rounding only fails the check below.
    let x = v * 1e8;
    if x.abs() < 9.0e15 {
        let k = (x + 0.5f64.copysign(x)) as i64;
        if (k as f64 / 1e8).to_bits() == v.to_bits() {
            return Price(normalized(k.into(), 8));
        }
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

/// A booked decimal as the nearest f64 (the engine's short name for [`nearest_f64`]).
pub(crate) use crate::domain::nearest_f64 as f64_of;

/// `10^k` for the scales a `Decimal` can have (0..=28) and the shifts below (up to 28 + 8).
fn pow10(k: u32) -> Option<i128> {
    10i128.checked_pow(k)
}

/// The exact product of two decimals as (mantissa, scale), when `Decimal`'s own multiplication
/// would be exact too (mantissa below 2⁹⁶, scale ≤ 28) and non-zero (the sign of a zero product is
/// left to `Decimal`); `None` otherwise.
fn exact_product(a: (i128, u32), b: Decimal) -> Option<(i128, u32)> {
    let m = a.0.checked_mul(b.mantissa())?;
    let scale = a.1 + b.scale();
    (m != 0 && m.unsigned_abs() < (1u128 << 96) && scale <= 28).then_some((m, scale))
}

/// Round an exact (mantissa, scale) to `BOOK_DP` decimals, half to even — what
/// `Decimal::round_dp` does — keeping the scale when it is already at most `BOOK_DP`. `None` when
/// the result would be zero (its sign is left to `Decimal`).
fn round_to_book(m: i128, scale: u32) -> Option<Decimal> {
    if scale <= BOOK_DP {
        return Some(Decimal::from_i128_with_scale(m, scale));
    }
    let d = pow10(scale - BOOK_DP)?;
    let (q, r) = (m / d, m % d);
    let (r2, half) = (r.unsigned_abs() * 2, d.unsigned_abs());
    let up = r2 > half || (r2 == half && q % 2 != 0);
    let q = if up { q + m.signum() } else { q };
    (q != 0).then(|| Decimal::from_i128_with_scale(q, BOOK_DP))
}

/// `(a × b).round_dp(BOOK_DP)`, bit for bit (same digits, same scale), on integers: the product
/// of a quantity and a price (or of an amount and a rate) fits easily, and this avoids
/// `Decimal`'s general multiplication and rescaling. Falls back to `Decimal` where they could differ.
pub(crate) fn mul_to_book_dp(a: Decimal, b: Decimal) -> Decimal {
    exact_product((a.mantissa(), a.scale()), b)
        .and_then(|(m, s)| round_to_book(m, s))
        .unwrap_or_else(|| (a * b).round_dp(BOOK_DP))
}

/// `a × b` exactly as `Decimal` gives it, on integers where it fits (most booking products do).
pub(crate) fn product(a: Decimal, b: Decimal) -> Decimal {
    exact_product((a.mantissa(), a.scale()), b)
        .map(|(m, s)| Decimal::from_i128_with_scale(m, s))
        .unwrap_or_else(|| a * b)
}

/// `(a × b × c).round_dp(BOOK_DP)` — the product taken left to right as `Decimal` does — bit for bit.
pub(crate) fn mul3_to_book_dp(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    exact_product((a.mantissa(), a.scale()), b)
        .and_then(|ab| exact_product(ab, c))
        .and_then(|(m, s)| round_to_book(m, s))
        .unwrap_or_else(|| (a * b * c).round_dp(BOOK_DP))
}

/// `x ÷ y` (both positive), the exact quotient rounded once to `BOOK_DP` decimals with `mode`
/// (`ToZero` or `AwayFromZero`), normalised: one integer division, `x·10^(8+s_y) ÷ (y·10^(s_x))`.
///
/// This is deliberately not `(x / y).round_dp_with_strategy(..)`: `Decimal`'s division first
/// rounds the quotient to 28 digits, so where only digits past the 28th decide, rounding that again
/// lands one unit of the 8th decimal off. 2.423050718e-11 ÷ 697123895835517087 ≈ 3.5e-29 becomes
/// `0` in `Decimal`, and so stays 0 rounded away from zero, where the exact answer is 0.00000001.
/// Rounding once is what keeps an opening margin, rounded up, never below `notional ÷ leverage`.
/// The two agree whenever `Decimal`'s quotient is exact, and for every quotient a real order
/// produces (its divisor would need over 20 digits for the 28th digit to matter).
/// Operands too long for 128-bit integers fall back to `Decimal`'s division and its two roundings.
pub(crate) fn div_to_book_dp(x: Decimal, y: Decimal, mode: RoundingStrategy) -> Decimal {
    let exact = || (x / y).round_dp_with_strategy(BOOK_DP, mode);
    if x.is_sign_negative() || y <= Decimal::ZERO {
        return exact();
    }
    let num = pow10(BOOK_DP + y.scale()).and_then(|p| x.mantissa().checked_mul(p));
    let den = pow10(x.scale()).and_then(|p| y.mantissa().checked_mul(p));
    let (Some(num), Some(den)) = (num, den) else {
        return exact();
    };
    let (q, r) = (num / den, num % den);
    let up = !matches!(mode, RoundingStrategy::ToZero) && r != 0;
    let k = if up { q + 1 } else { q };
    if k.unsigned_abs() >= (1u128 << 96) {
        return exact();
    }
    normalized(k, BOOK_DP)
}

/// `Decimal::from_i128_with_scale(m, scale).normalize()`, with the trailing zeros stripped on the
/// integer (a division by a constant) instead of by `Decimal`'s 96-bit division loop.
fn normalized(m: i128, mut scale: u32) -> Decimal {
    // On 64 bits where the mantissa fits (every quote, most amounts): `i128 % 10` is a library call.
    if let Ok(mut m) = i64::try_from(m) {
        while scale > 0 && m % 10 == 0 {
            m /= 10;
            scale -= 1;
        }
        return Decimal::new(m, scale);
    }
    let mut m = m;
    while scale > 0 && m % 10 == 0 {
        m /= 10;
        scale -= 1;
    }
    Decimal::from_i128_with_scale(m, scale)
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
        // Trailing zeros are stripped as `normalize` does, bit for bit.
        for v in [100.0, 0.0, -0.5, 62_000.1, 1e-8, 123_456_789.0, -42.25] {
            let want = Decimal::from_f64(v).unwrap().normalize();
            assert_eq!(quote(v).get().serialize(), want.serialize(), "{v}");
        }
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

    /// `(a × b × c).round_dp(BOOK_DP)` in `Decimal`, `None` where it overflows.
    fn reference_product(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
        let ab = a.checked_mul(b)?;
        let abc = if c == Decimal::ONE && c.scale() == 0 {
            ab
        } else {
            ab.checked_mul(c)?
        };
        Some(abc.round_dp(BOOK_DP))
    }

    /// Bit for bit: same mantissa, scale and sign (what `serialize` holds).
    fn same_bits(a: Decimal, b: Decimal) -> bool {
        a.serialize() == b.serialize()
    }

    #[test]
    fn products_rounded_on_integers_are_the_decimal_ones_bit_for_bit() {
        let xs = [
            dec!(0.03140983),
            dec!(62749.5),
            dec!(-7948.37945377),
            dec!(0.0005),
            dec!(0.00000001),
            dec!(1.50),
            dec!(3),
            dec!(-0.00000000004999),
            dec!(0.000000005),
            dec!(0.000000015),
            dec!(-0.000000025),
            dec!(57228.915662650602409638554217),
            dec!(79228162514264.337593543950335),
        ];
        for &a in &xs {
            for &b in &xs {
                // Products `Decimal` itself cannot hold are not the booking's concern.
                if let Some(want) = reference_product(a, b, Decimal::ONE) {
                    assert!(same_bits(mul_to_book_dp(a, b), want), "{a} × {b}");
                }
                for &c in &xs[..4] {
                    if let Some(want) = reference_product(a, b, c) {
                        assert!(same_bits(mul3_to_book_dp(a, b, c), want), "{a} × {b} × {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn exact_division_to_eight_decimals_matches_decimal_division() {
        let cases = [
            (dec!(10000), dec!(67010.65)),
            (dec!(9999.9999696065), dec!(20)),
            (dec!(5005), dec!(50050)),
            (dec!(1), dec!(3)),
            (dec!(60000), dec!(20)),
            (dec!(2000.00), dec!(62749.5)),
            (dec!(0.00000001), dec!(3)),
            (dec!(57228.915662650602409638554217), dec!(7)),
        ];
        for (x, y) in cases {
            for mode in [RoundingStrategy::ToZero, RoundingStrategy::AwayFromZero] {
                let want = (x / y).round_dp_with_strategy(BOOK_DP, mode);
                assert_eq!(div_to_book_dp(x, y, mode), want, "{x} / {y}");
                assert!(same_bits(div_to_book_dp(x, y, mode), want.normalize()));
            }
        }
    }

    #[test]
    fn the_quotient_is_rounded_once_where_decimal_division_would_round_twice() {
        let (x, y) = (dec!(0.00000000002423050718), dec!(697123895835517087));
        // The quotient is about 3.5e-29: `Decimal` rounds it to 0 before any rounding to 8 places.
        assert_eq!(
            (x / y).round_dp_with_strategy(BOOK_DP, RoundingStrategy::AwayFromZero),
            Decimal::ZERO
        );
        assert_eq!(
            div_to_book_dp(x, y, RoundingStrategy::AwayFromZero),
            dec!(0.00000001)
        );
        assert_eq!(
            div_to_book_dp(x, y, RoundingStrategy::ToZero),
            Decimal::ZERO
        );
    }

    /// `a × b` against `c` for non-negative decimals, compared exactly on unbounded integers:
    /// `m_a·m_b·10^(s_c)` against `m_c·10^(s_a+s_b)`.
    fn cmp_product(a: Decimal, b: Decimal, c: Decimal) -> std::cmp::Ordering {
        let m = |d: Decimal| d.mantissa().unsigned_abs();
        // 10^n as factors of at most 10^19 each, so that none overflows.
        let ten_to = |n: u32| (0..n).step_by(19).map(move |i| 10u128.pow((n - i).min(19)));
        let left: Vec<u128> = [m(a), m(b)].into_iter().chain(ten_to(c.scale())).collect();
        let right: Vec<u128> = [m(c)]
            .into_iter()
            .chain(ten_to(a.scale() + b.scale()))
            .collect();
        let (left, right) = (big(&left), big(&right));
        // Without leading zero limbs, the longer number is the larger one.
        left.len()
            .cmp(&right.len())
            .then_with(|| left.iter().rev().cmp(right.iter().rev()))
    }

    /// The product of the factors as little-endian 32-bit limbs, without leading zero limbs
    /// (schoolbook multiplication; a limb product plus two limbs always fits in 64 bits).
    fn big(factors: &[u128]) -> Vec<u32> {
        let mut acc = vec![1u32];
        for &f in factors {
            let limbs = (0..4).map(|i| (f >> (32 * i)) as u32 as u64);
            let mut out = vec![0u32; acc.len() + 4];
            for (j, b) in limbs.enumerate() {
                let mut carry = 0u64;
                for (i, &a) in acc.iter().enumerate() {
                    let t = out[i + j] as u64 + a as u64 * b + carry;
                    out[i + j] = t as u32;
                    carry = t >> 32;
                }
                out[acc.len() + j] = carry as u32;
            }
            while out.len() > 1 && out.last() == Some(&0) {
                out.pop();
            }
            acc = out;
        }
        acc
    }

    #[test]
    fn the_exact_comparison_of_products_orders_known_cases() {
        use std::cmp::Ordering::*;
        assert_eq!(cmp_product(dec!(0.5), dec!(4), dec!(2)), Equal);
        assert_eq!(
            cmp_product(
                dec!(0.00000001),
                dec!(697123895835517087),
                dec!(0.00000000002423050718)
            ),
            Greater
        );
        assert_eq!(
            cmp_product(Decimal::ZERO, dec!(3), dec!(0.0000000001)),
            Less
        );
        let huge = Decimal::MAX;
        assert_eq!(cmp_product(huge, huge, huge), Greater);
        assert_eq!(cmp_product(dec!(1), huge, huge), Equal);
    }

    fn decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        (any::<i64>(), 0u32..=20).prop_map(|(m, s)| Decimal::new(m >> (m as u64 % 40), s))
    }

    proptest::proptest! {
        #[test]
        fn integer_products_equal_decimal_ones_and_quotients_are_rounded_once(
            a in decimal(), b in decimal(), c in decimal()
        ) {
            if let Some(want) = reference_product(a, b, Decimal::ONE) {
                proptest::prop_assert!(same_bits(mul_to_book_dp(a, b), want), "{} × {}", a, b);
            }
            if let Some(want) = reference_product(a, b, c) {
                proptest::prop_assert!(same_bits(mul3_to_book_dp(a, b, c), want), "{} × {} × {}", a, b, c);
            }
            let (x, y) = (a.abs(), b.abs());
            if let Some(q) = x.checked_div(y).filter(|q| *q < Decimal::from(1_000_000_000_000i64)) {
                // Operands short enough for the integer route (the rest fall back to `Decimal`).
                let fits = |m: i128, p: u32| pow10(p).and_then(|p| m.checked_mul(p)).is_some();
                let integer_route = fits(x.mantissa(), BOOK_DP + y.scale()) && fits(y.mantissa(), x.scale());
                for mode in [RoundingStrategy::ToZero, RoundingStrategy::AwayFromZero] {
                    let k = div_to_book_dp(x, y, mode);
                    proptest::prop_assert!(k >= Decimal::ZERO);
                    // `Decimal`'s quotient, rounded a second time, is at most one unit away, and
                    // equal wherever that quotient is exact.
                    let ulp = Decimal::new(1, BOOK_DP);
                    let twice = q.round_dp_with_strategy(BOOK_DP, mode);
                    proptest::prop_assert!((k - twice).abs() <= ulp, "{} / {}: {} vs {}", x, y, k, twice);
                    if cmp_product(q, y, x).is_eq() || !integer_route {
                        proptest::prop_assert_eq!(k, twice);
                        continue;
                    }
                    // On the integer route the exact quotient lies between k and its neighbour on
                    // the side `mode` rounds from, checked by exact multiplication, not by dividing;
                    // and k comes normalised.
                    proptest::prop_assert!(same_bits(k, k.normalize()));
                    if matches!(mode, RoundingStrategy::ToZero) {
                        proptest::prop_assert!(cmp_product(k, y, x).is_le());
                        proptest::prop_assert!(cmp_product(k + ulp, y, x).is_gt());
                    } else {
                        proptest::prop_assert!(cmp_product(k, y, x).is_ge());
                        let below = (k - ulp).max(Decimal::ZERO);
                        proptest::prop_assert!(cmp_product(below, y, x).is_lt() || k.is_zero());
                    }
                }
            }
        }
    }
}
