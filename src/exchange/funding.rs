//! Funding: the payment at a settlement (exchange-rules §2.3) and the rate formula (§2.2).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::domain::{Interval, Price, Qty, Rate, Side, TimestampMs, Usd};

/// Interest component per 8 hours: 0.01% (§2.2, "0.03% per day").
pub const INTEREST_PER_8H: Rate = Rate(dec!(0.0001));

/// The clamp band around `I − P`: ±0.05% (§2.2).
pub const PREMIUM_CLAMP: Rate = Rate(dec!(0.0005));

/// 2025-09-18 08:01 UTC: from then on Binance divides the 8-hour rate by `8/N` for an N-hour interval.
pub const PER_INTERVAL_RULE_FROM: TimestampMs = TimestampMs(1_758_182_460_000);

/// Cash flow of one settlement to a linear account: `−side·Q·mark(T)·F` (§2.3). Longs pay when the
/// rate is positive, shorts pay when it is negative.
pub fn funding_cash_flow(side: Side, qty: Qty, mark: Price, rate: Rate) -> Usd {
    Usd(-side.sign() * qty.get() * mark.get() * rate.get())
}

/// An optional cap and floor on the settled rate (§2.2 "capped rate = clamp(F, floor, cap)").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingClamp {
    pub floor: Rate,
    pub cap: Rate,
}

impl FundingClamp {
    /// A symmetric band `±limit` (Binance BTCUSDT ±0.30% [D/U, §2.2]; OKX BTC ±0.375% [V, §4.2]).
    pub fn symmetric(limit: Rate) -> FundingClamp {
        FundingClamp {
            floor: Rate(-limit.get().abs()),
            cap: Rate(limit.get().abs()),
        }
    }

    pub fn apply(&self, rate: Rate) -> Rate {
        Rate(rate.get().clamp(self.floor.get(), self.cap.get()))
    }
}

/// The rate from an average premium index `P` (§2.2): `F = P + clamp(I − P, −0.05%, +0.05%)` with
/// `I = 0.01%`; from 2025-09-18 08:01 UTC divided by `8/N` for an N-hour interval (no change for 8 h).
/// `settled_at` decides which rule applies; the optional clamp is applied last.
pub fn funding_rate_from_premium(
    avg_premium: Rate,
    interval: Interval,
    settled_at: TimestampMs,
    clamp: Option<FundingClamp>,
) -> Rate {
    let p = avg_premium.get();
    let band = PREMIUM_CLAMP.get();
    let mut f = p + (INTEREST_PER_8H.get() - p).clamp(-band, band);
    if settled_at >= PER_INTERVAL_RULE_FROM {
        let eight_hours = Decimal::from(8 * Interval::HOUR.ms());
        f /= eight_hours / Decimal::from(interval.ms());
    }
    let rate = Rate(f);
    clamp.map_or(rate, |c| c.apply(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EIGHT_H: Interval = Interval(8 * 3_600_000);

    #[test]
    fn a_long_pays_and_a_short_receives_six_usdt_at_one_basis_point() {
        let (q, m, r) = (Qty(dec!(1)), Price(dec!(60000)), Rate(dec!(0.0001)));
        assert_eq!(funding_cash_flow(Side::Long, q, m, r), Usd(dec!(-6)));
        assert_eq!(funding_cash_flow(Side::Short, q, m, r), Usd(dec!(6)));
    }

    #[test]
    fn a_premium_within_the_band_settles_at_exactly_the_interest_rate() {
        let f = funding_rate_from_premium(Rate(dec!(0.0002)), EIGHT_H, TimestampMs(0), None);
        assert_eq!(f, Rate(dec!(0.0001)));
    }

    #[test]
    fn the_per_interval_rule_applies_only_from_its_start() {
        let four_h = Interval(4 * 3_600_000);
        let before = funding_rate_from_premium(
            Rate(dec!(0.0008)),
            four_h,
            TimestampMs(PER_INTERVAL_RULE_FROM.get() - 1),
            None,
        );
        let after =
            funding_rate_from_premium(Rate(dec!(0.0008)), four_h, PER_INTERVAL_RULE_FROM, None);
        assert_eq!(before, Rate(dec!(0.0003)));
        assert_eq!(after, Rate(dec!(0.00015)));
    }

    #[test]
    fn a_clamp_caps_and_floors_the_rate() {
        let c = FundingClamp::symmetric(Rate(dec!(0.003)));
        assert_eq!(c.apply(Rate(dec!(0.0055))), Rate(dec!(0.003)));
        assert_eq!(c.apply(Rate(dec!(-0.01))), Rate(dec!(-0.003)));
        assert_eq!(c.apply(Rate(dec!(0.001))), Rate(dec!(0.001)));
    }
}
