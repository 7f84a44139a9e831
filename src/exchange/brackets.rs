//! Maintenance-margin brackets ("leverage brackets", exchange-rules §1.1).
//!
//! A bracket covers the notional range `(floor, cap]` (Binance's own announcement convention; bracket 1
//! also holds a notional of exactly 0). Maintenance margin is `N·MMR − cum` of the bracket holding `N`.
//! Because `cum_n = cum_{n−1} + floor_n·(MMR_n − MMR_{n−1})`, that margin is continuous in `N`: which side
//! of a boundary a notional falls on changes only the maximum leverage, never the margin.

use rust_decimal::Decimal;

use crate::domain::{Leverage, Rate, Usd};

/// One row of a bracket table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bracket {
    /// 1-based, as the exchange numbers them.
    pub number: u32,
    /// Exclusive lower end of the notional range (bracket 1: 0, inclusive).
    pub floor: Usd,
    /// Inclusive upper end; `None` when the exchange gives no real cap (Binance wrote 2^63−1 once,
    /// Java's `Long.MAX_VALUE`, meaning "no cap" — see binance-btcusdt-brackets.md).
    pub cap: Option<Usd>,
    /// Maintenance-margin rate.
    pub mmr: Rate,
    /// Maintenance amount (`cum`), subtracted from `N·MMR`.
    pub cum: Usd,
    /// The highest leverage allowed for a position whose notional falls in this bracket.
    pub max_leverage: Leverage,
}

impl Bracket {
    /// Whether `notional` falls in `(floor, cap]` (bracket 1 also takes 0).
    pub fn contains(&self, notional: Usd) -> bool {
        let above_floor = notional > self.floor || (self.number == 1 && notional >= self.floor);
        above_floor && self.cap.is_none_or(|cap| notional <= cap)
    }

    /// `N·MMR − cum` with this bracket's figures (exchange-rules §1.1).
    pub fn maintenance_margin(&self, notional: Usd) -> Usd {
        notional * self.mmr - self.cum
    }
}

/// The problem found in a bracket list, with the index of the bracket it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableProblem {
    pub index: usize,
    pub reason: String,
}

/// A validated bracket table: numbered 1..n, contiguous, `cum` recurrence exact, MMR in `[0, 1)` and
/// never falling, max leverage never rising.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BracketTable {
    brackets: Vec<Bracket>,
}

impl BracketTable {
    /// Validate and build a table. The error names the first broken bracket and the fix.
    pub fn new(brackets: Vec<Bracket>) -> Result<Self, super::ExchangeError> {
        Self::checked(brackets).map_err(|p| super::ExchangeError::InvalidTable {
            bracket: p.index as u32 + 1,
            reason: p.reason,
        })
    }

    pub(crate) fn checked(brackets: Vec<Bracket>) -> Result<Self, TableProblem> {
        validate(&brackets)?;
        Ok(BracketTable { brackets })
    }

    pub fn brackets(&self) -> &[Bracket] {
        &self.brackets
    }

    /// The bracket holding `notional`. A notional above the top cap gets the top bracket (the
    /// exchange would refuse such a position — see [`super::check_leverage`] — but its margin formula
    /// still extends there); a negative notional gets bracket 1.
    pub fn bracket_for(&self, notional: Usd) -> &Bracket {
        self.brackets
            .iter()
            .find(|b| b.contains(notional))
            .unwrap_or_else(|| {
                if notional < Usd::ZERO {
                    &self.brackets[0]
                } else {
                    self.top()
                }
            })
    }

    /// Maintenance margin `N·MMR − cum` of the bracket holding `notional` (exchange-rules §1.1).
    pub fn maintenance_margin(&self, notional: Usd) -> Usd {
        self.bracket_for(notional).maintenance_margin(notional)
    }

    /// The last (largest) bracket.
    pub fn top(&self) -> &Bracket {
        // `validate` refuses an empty table, so there is always a last bracket.
        &self.brackets[self.brackets.len() - 1]
    }
}

fn problem(index: usize, reason: String) -> Result<(), TableProblem> {
    Err(TableProblem { index, reason })
}

fn validate(brackets: &[Bracket]) -> Result<(), TableProblem> {
    if brackets.is_empty() {
        return problem(0, "the table has no brackets; give at least one row".into());
    }
    for (i, b) in brackets.iter().enumerate() {
        let n = i + 1;
        if b.number as usize != n {
            return problem(
                i,
                format!(
                    "is numbered {} but is row {n} of the table; number brackets 1, 2, 3, … in order",
                    b.number
                ),
            );
        }
        if b.mmr.get() < Decimal::ZERO || b.mmr.get() >= Decimal::ONE {
            return problem(
                i,
                format!(
                    "maintenance margin rate {} must be at least 0 and below 1 (0.004 means 0.4%)",
                    b.mmr
                ),
            );
        }
        if b.max_leverage.get() < Decimal::ONE {
            return problem(
                i,
                format!("max leverage {} must be at least 1", b.max_leverage),
            );
        }
        if let Some(cap) = b.cap {
            if cap <= b.floor {
                return problem(i, format!("cap {cap} must be above its floor {}", b.floor));
            }
        } else if n != brackets.len() {
            return problem(
                i,
                "has no cap but is not the last bracket; only the last bracket may be open-ended"
                    .into(),
            );
        }
        if i == 0 {
            if !b.floor.is_zero() || !b.cum.is_zero() {
                return problem(
                    i,
                    format!(
                        "bracket 1 must start at notional 0 with cum 0, got floor {} and cum {}",
                        b.floor, b.cum
                    ),
                );
            }
            continue;
        }
        let prev = &brackets[i - 1];
        if prev.cap != Some(b.floor) {
            let prev_cap = prev.cap.map_or("none".to_string(), |c| c.to_string());
            return problem(
                i,
                format!(
                    "floor {} does not meet bracket {}'s cap {prev_cap}; brackets must be contiguous",
                    b.floor,
                    n - 1
                ),
            );
        }
        if b.mmr < prev.mmr {
            return problem(
                i,
                format!(
                    "maintenance margin rate {} is below bracket {}'s {}; rates never fall as notional grows",
                    b.mmr,
                    n - 1,
                    prev.mmr
                ),
            );
        }
        if b.max_leverage > prev.max_leverage {
            return problem(
                i,
                format!(
                    "max leverage {} is above bracket {}'s {}; limits never rise as notional grows",
                    b.max_leverage,
                    n - 1,
                    prev.max_leverage
                ),
            );
        }
        // cum_n = cum_{n−1} + floor_n·(MMR_n − MMR_{n−1}) keeps MM continuous (exchange-rules §1.1).
        let expected = prev.cum.get() + b.floor.get() * (b.mmr.get() - prev.mmr.get());
        if b.cum.get() != expected {
            return problem(
                i,
                format!(
                    "cum {} breaks the recurrence cum_n = cum_(n-1) + floor_n·(MMR_n − MMR_(n-1)), which gives {}; correct the cum or the rates",
                    b.cum,
                    expected.normalize()
                ),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    pub(crate) fn bracket(
        number: u32,
        floor: Decimal,
        cap: Option<Decimal>,
        mmr: Decimal,
        cum: Decimal,
        max: Decimal,
    ) -> Bracket {
        Bracket {
            number,
            floor: Usd(floor),
            cap: cap.map(Usd),
            mmr: Rate(mmr),
            cum: Usd(cum),
            max_leverage: Leverage(max),
        }
    }

    fn two_brackets() -> Vec<Bracket> {
        vec![
            bracket(
                1,
                dec!(0),
                Some(dec!(300000)),
                dec!(0.004),
                dec!(0),
                dec!(150),
            ),
            bracket(
                2,
                dec!(300000),
                Some(dec!(800000)),
                dec!(0.005),
                dec!(300),
                dec!(100),
            ),
        ]
    }

    #[test]
    fn a_notional_exactly_at_a_cap_belongs_to_the_lower_bracket() {
        let t = BracketTable::new(two_brackets()).unwrap();
        assert_eq!(t.bracket_for(Usd(dec!(300000))).number, 1);
        assert_eq!(t.bracket_for(Usd(dec!(300000.01))).number, 2);
        assert_eq!(t.bracket_for(Usd(dec!(0))).number, 1);
    }

    #[test]
    fn maintenance_margin_is_the_same_from_both_sides_of_a_boundary() {
        let t = BracketTable::new(two_brackets()).unwrap();
        let at = Usd(dec!(300000));
        assert_eq!(t.brackets()[0].maintenance_margin(at), Usd(dec!(1200)));
        assert_eq!(t.brackets()[1].maintenance_margin(at), Usd(dec!(1200)));
    }

    #[test]
    fn a_notional_above_the_top_cap_uses_the_top_bracket() {
        let t = BracketTable::new(two_brackets()).unwrap();
        assert_eq!(t.bracket_for(Usd(dec!(900000))).number, 2);
    }

    #[test]
    fn a_wrong_cum_is_refused_naming_the_bracket_and_the_expected_value() {
        let mut b = two_brackets();
        b[1].cum = Usd(dec!(350));
        let err = BracketTable::new(b).unwrap_err().to_string();
        assert!(err.contains("bracket 2"), "{err}");
        assert!(err.contains("gives 300"), "{err}");
    }

    #[test]
    fn a_gap_between_brackets_is_refused() {
        let mut b = two_brackets();
        b[1].floor = Usd(dec!(310000));
        let err = BracketTable::new(b).unwrap_err().to_string();
        assert!(
            err.contains("bracket 2") && err.contains("contiguous"),
            "{err}"
        );
    }

    #[test]
    fn only_the_last_bracket_may_be_open_ended() {
        let mut b = two_brackets();
        b[0].cap = None;
        let err = BracketTable::new(b).unwrap_err().to_string();
        assert!(
            err.contains("bracket 1") && err.contains("open-ended"),
            "{err}"
        );
        let mut b = two_brackets();
        b[1].cap = None;
        let t = BracketTable::new(b).unwrap();
        assert_eq!(t.bracket_for(Usd(dec!(1e20))).number, 2);
    }

    #[test]
    fn misnumbered_rising_leverage_and_bad_rates_are_refused() {
        let mut b = two_brackets();
        b[1].number = 3;
        assert!(
            BracketTable::new(b)
                .unwrap_err()
                .to_string()
                .contains("numbered 3")
        );
        let mut b = two_brackets();
        b[1].max_leverage = Leverage(dec!(200));
        assert!(
            BracketTable::new(b)
                .unwrap_err()
                .to_string()
                .contains("never rise")
        );
        let mut b = two_brackets();
        b[0].mmr = Rate(dec!(1.5));
        assert!(
            BracketTable::new(b)
                .unwrap_err()
                .to_string()
                .contains("below 1")
        );
        assert!(BracketTable::new(vec![]).is_err());
    }
}
