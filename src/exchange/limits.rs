//! Position limits: an order is allowed only if its leverage is at most the maximum of the bracket
//! holding its notional (exchange-rules §1.1, vector V26), and only if that notional is within the top cap.

use std::fmt;

use crate::domain::{Leverage, Usd};

use super::brackets::BracketTable;

/// Why an order's leverage is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeverageRefusal {
    /// The bracket holding the notional allows at most `allowed`.
    AboveBracketMax {
        bracket: u32,
        notional: Usd,
        requested: Leverage,
        allowed: Leverage,
    },
    /// The notional is above the top bracket's cap: no leverage makes it allowed.
    NotionalAboveTopCap { notional: Usd, cap: Usd },
}

impl fmt::Display for LeverageRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LeverageRefusal::AboveBracketMax {
                bracket,
                notional,
                requested,
                allowed,
            } => write!(
                f,
                "leverage {requested}x is above the maximum {allowed}x of bracket {bracket} (notional {notional}); \
                 use at most {allowed}x or a smaller position"
            ),
            LeverageRefusal::NotionalAboveTopCap { notional, cap } => write!(
                f,
                "notional {notional} is above the largest position the table allows ({cap}); use a smaller position"
            ),
        }
    }
}

impl std::error::Error for LeverageRefusal {}

/// Whether an order of `notional` at `leverage` is allowed by `table`.
pub fn check_leverage(
    table: &BracketTable,
    notional: Usd,
    leverage: Leverage,
) -> Result<(), LeverageRefusal> {
    let top = table.top();
    if let Some(cap) = top.cap.filter(|cap| notional > *cap) {
        return Err(LeverageRefusal::NotionalAboveTopCap { notional, cap });
    }
    let b = table.bracket_for(notional);
    if leverage > b.max_leverage {
        return Err(LeverageRefusal::AboveBracketMax {
            bracket: b.number,
            notional,
            requested: leverage,
            allowed: b.max_leverage,
        });
    }
    Ok(())
}

/// What [`lower_to_allowed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeverageDecision {
    /// The requested leverage is allowed as is.
    Kept(Leverage),
    /// The requested leverage was above the bracket's maximum and was lowered to it (the notional is
    /// kept, so the initial margin grows).
    Lowered {
        requested: Leverage,
        allowed: Leverage,
        bracket: u32,
    },
}

impl LeverageDecision {
    /// The leverage to use.
    pub fn leverage(&self) -> Leverage {
        match self {
            LeverageDecision::Kept(l) => *l,
            LeverageDecision::Lowered { allowed, .. } => *allowed,
        }
    }
}

/// Like [`check_leverage`], but lowers an over-limit leverage to the bracket's maximum and reports it,
/// for users who ask for that. A notional above the top cap is still refused.
pub fn lower_to_allowed(
    table: &BracketTable,
    notional: Usd,
    leverage: Leverage,
) -> Result<LeverageDecision, LeverageRefusal> {
    match check_leverage(table, notional, leverage) {
        Ok(()) => Ok(LeverageDecision::Kept(leverage)),
        Err(LeverageRefusal::AboveBracketMax {
            bracket,
            requested,
            allowed,
            ..
        }) => Ok(LeverageDecision::Lowered {
            requested,
            allowed,
            bracket,
        }),
        Err(refusal) => Err(refusal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::BracketSchedule;
    use rust_decimal_macros::dec;

    fn latest() -> BracketTable {
        BracketSchedule::binance_btcusdt().latest().table.clone()
    }

    #[test]
    fn three_hundred_thousand_at_125x_is_allowed_because_the_cap_is_inclusive() {
        assert_eq!(
            check_leverage(&latest(), Usd(dec!(300000)), Leverage(dec!(125))),
            Ok(())
        );
    }

    #[test]
    fn three_hundred_sixty_thousand_at_125x_is_refused_with_the_100x_maximum() {
        let err = check_leverage(&latest(), Usd(dec!(360000)), Leverage(dec!(125))).unwrap_err();
        assert_eq!(
            err,
            LeverageRefusal::AboveBracketMax {
                bracket: 2,
                notional: Usd(dec!(360000)),
                requested: Leverage(dec!(125)),
                allowed: Leverage(dec!(100))
            }
        );
        assert!(err.to_string().contains("at most 100x"));
    }

    #[test]
    fn lowering_reports_the_change_and_keeps_an_allowed_leverage() {
        let t = latest();
        let d = lower_to_allowed(&t, Usd(dec!(360000)), Leverage(dec!(125))).unwrap();
        assert_eq!(
            d,
            LeverageDecision::Lowered {
                requested: Leverage(dec!(125)),
                allowed: Leverage(dec!(100)),
                bracket: 2
            }
        );
        assert_eq!(d.leverage(), Leverage(dec!(100)));
        assert_eq!(
            lower_to_allowed(&t, Usd(dec!(1000)), Leverage(dec!(10))).unwrap(),
            LeverageDecision::Kept(Leverage(dec!(10)))
        );
    }

    #[test]
    fn a_notional_above_the_top_cap_is_refused_at_any_leverage() {
        let t = latest();
        let err = lower_to_allowed(&t, Usd(dec!(2000000000)), Leverage(dec!(1))).unwrap_err();
        assert!(matches!(err, LeverageRefusal::NotionalAboveTopCap { .. }));
    }
}
