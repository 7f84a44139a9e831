//! How `wick liq` prints: a block or a ladder table for people (thousands separators, prices to the
//! cent, moves to 0.01%), JSON for tools (decimals as strings, to 10 places).

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use super::{Calculator, Row, Size};
use crate::domain::{Leverage, Price, Qty, Usd};
use crate::exchange::{Bracket, Contract, LeverageRefusal, LiqPrice, MarginMode};

impl Calculator {
    pub(super) fn refusal(&self, refusal: &LeverageRefusal) -> String {
        let cur = self.currency();
        match refusal {
            LeverageRefusal::AboveBracketMax {
                bracket,
                notional,
                requested,
                allowed,
            } => format!(
                "{requested}x is above the maximum leverage of bracket {bracket} ({allowed}x) for a notional of {} {cur}; \
                 use {allowed}x or less, or a smaller position",
                self.money(*notional)
            ),
            LeverageRefusal::NotionalAboveTopCap { notional, cap } => format!(
                "a notional of {} {cur} is above the table's largest position ({} {cur}); use a smaller position",
                self.money(*notional),
                self.money(*cap)
            ),
        }
    }

    fn currency(&self) -> &'static str {
        match self.venue.contract() {
            Contract::Linear => "USDT",
            Contract::Inverse { .. } => "BTC",
        }
    }

    /// Decimals for margin amounts: cents of USDT, satoshis of BTC.
    fn money(&self, d: Usd) -> String {
        let dp = if self.currency() == "BTC" { 8 } else { 2 };
        thousands(
            d.get()
                .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero),
            dp,
        )
    }

    /// `short 1 BTC at 60,000.00, 20x isolated on binance` and the table line.
    fn headline(&self, leverage: Option<Leverage>, qty: Qty) -> String {
        let size = match (self.size, leverage) {
            // A margin-sized ladder has a different quantity on every row.
            (Size::Margin(m), None) => format!("{} {} of margin", self.money(m), self.currency()),
            _ => {
                let unit = if self.currency() == "BTC" {
                    "contracts"
                } else {
                    "BTC"
                };
                format!("{} {unit}", thousands(qty.get().round_dp(8).normalize(), 0))
            }
        };
        let lev = leverage.map_or(String::new(), |l| format!("{l}x "));
        let mode = match self.mode {
            MarginMode::Isolated => "isolated",
            MarginMode::Cross => "cross",
        };
        format!(
            "{} {size} at {}, {lev}{mode} on {}\nbracket table: {}\n",
            self.side,
            price(Some(self.entry)),
            self.venue,
            self.table_label
        )
    }

    pub(super) fn render_single(&self, r: &Row) -> String {
        let cur = self.currency();
        let mut out = self.headline(Some(r.leverage), r.qty);
        if r.leverage != r.requested {
            out += &format!(
                "  leverage lowered from {}x to {}x, the maximum of bracket {} (--clamp-leverage)\n",
                r.requested, r.leverage, r.entry_bracket.number
            );
        }
        let wallet_note = match self.mode {
            MarginMode::Isolated => format!("isolated wallet {}", self.money(r.wallet)),
            MarginMode::Cross => format!(
                "cross wallet {}; other positions: MM {}, PnL {}",
                self.money(r.wallet),
                self.money(self.other_maint),
                signed(self.money(self.other_upnl))
            ),
        };
        out += &format!("  {:<20} {:>12} {cur}\n", "notional", self.money(r.value));
        out += &format!(
            "  {:<20} {:>12} {cur}  ({wallet_note})\n",
            "initial margin",
            self.money(r.initial_margin)
        );
        out += &format!(
            "  {:<20} {}\n",
            "bracket at entry",
            self.describe(&r.entry_bracket)
        );
        if let Some(b) = r
            .liq_bracket
            .as_ref()
            .filter(|b| b.number != r.entry_bracket.number)
        {
            out += &format!("  {:<20} {}\n", "bracket at liq.", self.describe(b));
        }
        let mm_liq = r.mm_liq.map_or(String::new(), |m| {
            format!(", {} at the liquidation price", self.money(m))
        });
        out += &format!(
            "  {:<20} {:>12} {cur} at entry{mm_liq}\n",
            "maintenance margin",
            self.money(r.mm_entry)
        );
        for (label, p) in [
            ("liquidation price", r.liq),
            ("bankruptcy price", r.bankruptcy),
        ] {
            match p {
                LiqPrice::Never => {
                    out += &format!(
                        "  {label:<20} {:>12}       no mark price reaches it\n",
                        "never"
                    )
                }
                LiqPrice::At(_) => {
                    out += &format!(
                        "  {label:<20} {:>12}  {:>9} from entry\n",
                        price(p.price()),
                        pct(p.move_pct_from(self.entry))
                    )
                }
            }
        }
        out
    }

    pub(super) fn render_ladder(&self, rows: &[(Leverage, Result<Row, String>)]) -> String {
        let qty = rows
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .next()
            .map_or(Qty::ZERO, |r| r.qty);
        let mut out = self.headline(None, qty);
        out += &format!(
            "{:>9} {:>17} {:>15} {:>8} {:>7} {:>13} {:>14} {:>9} {:>14} {:>9}\n",
            "leverage",
            "notional",
            "initial margin",
            "bracket",
            "MMR",
            "maint margin",
            "liquidation",
            "move",
            "bankruptcy",
            "move"
        );
        for (requested, row) in rows {
            match row {
                Err(refusal) => {
                    out += &format!("{:>9} refused: {refusal}\n", format!("{requested}x"))
                }
                Ok(r) => {
                    let lev = if r.leverage == r.requested {
                        format!("{}x", r.leverage)
                    } else {
                        format!("{}→{}x", r.requested, r.leverage)
                    };
                    out += &format!(
                        "{lev:>9} {:>17} {:>15} {:>8} {:>7} {:>13} {:>14} {:>9} {:>14} {:>9}\n",
                        self.money(r.value),
                        self.money(r.initial_margin),
                        r.entry_bracket.number,
                        pct_of(r.entry_bracket.mmr.get()),
                        self.money(r.mm_entry),
                        price(r.liq.price()),
                        pct(r.liq.move_pct_from(self.entry)),
                        price(r.bankruptcy.price()),
                        pct(r.bankruptcy.move_pct_from(self.entry)),
                    )
                }
            }
        }
        if rows
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .any(|r| r.leverage != r.requested)
        {
            out += "a → b: leverage a lowered to b, the bracket's maximum (--clamp-leverage)\n";
        }
        out
    }

    fn describe(&self, b: &Bracket) -> String {
        let cap = b
            .cap
            .map_or("no cap".to_string(), |c| thousands(c.get().normalize(), 0));
        format!(
            "{} of {}: notional {} to {cap}, MMR {}, cum {}, max {}x",
            b.number,
            self.table.brackets().len(),
            thousands(b.floor.get().normalize(), 0),
            pct_of(b.mmr.get()),
            thousands(b.cum.get().normalize(), 0),
            b.max_leverage
        )
    }

    pub(super) fn to_json(&self, rows: &[(Leverage, Result<Row, String>)]) -> Value {
        let positions: Vec<Value> = rows
            .iter()
            .map(|(requested, row)| match row {
                Err(refusal) => {
                    json!({ "requested_leverage": s(requested.get()), "refused": refusal })
                }
                Ok(r) => json!({
                    "refused": null,
                    "requested_leverage": s(r.requested.get()),
                    "leverage": s(r.leverage.get()),
                    "qty": s(r.qty.get()),
                    "notional": s(r.value.get()),
                    "initial_margin": s(r.initial_margin.get()),
                    "wallet": s(r.wallet.get()),
                    "bracket_at_entry": bracket_json(&r.entry_bracket),
                    "bracket_at_liquidation": r.liq_bracket.as_ref().map(bracket_json),
                    "maintenance_margin_at_entry": s(r.mm_entry.get()),
                    "maintenance_margin_at_liquidation": r.mm_liq.map(|m| s(m.get())),
                    "liquidation_price": r.liq.price().map(|p| s(p.get())),
                    "liquidation_move_pct": r.liq.move_pct_from(self.entry).map(s),
                    "bankruptcy_price": r.bankruptcy.price().map(|p| s(p.get())),
                    "bankruptcy_move_pct": r.bankruptcy.move_pct_from(self.entry).map(s),
                }),
            })
            .collect();
        json!({
            "venue": self.venue.name(),
            "side": self.side.as_str(),
            "mode": if self.mode == MarginMode::Cross { "cross" } else { "isolated" },
            "entry": s(self.entry.get()),
            "margin_currency": self.currency(),
            "bracket_table": self.table_label,
            "warnings": self.warnings,
            "positions": positions,
        })
    }
}

/// A sign in front of a non-negative amount: PnL reads `+500.00`.
fn signed(text: String) -> String {
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// A decimal as a string, to 10 decimal places without trailing zeros: exact for every figure that
/// terminates there, and free of the 28th-digit noise of divisions such as margin / price.
fn s(d: Decimal) -> String {
    d.round_dp_with_strategy(10, RoundingStrategy::MidpointNearestEven)
        .normalize()
        .to_string()
}

fn bracket_json(b: &Bracket) -> Value {
    json!({
        "number": b.number,
        "floor": s(b.floor.get()),
        "cap": b.cap.map(|c| s(c.get())),
        "mmr": s(b.mmr.get()),
        "cum": s(b.cum.get()),
        "max_leverage": s(b.max_leverage.get()),
    })
}

fn price(p: Option<Price>) -> String {
    p.map_or("never".to_string(), |p| {
        thousands(
            p.get()
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            2,
        )
    })
}

fn pct(m: Option<Decimal>) -> String {
    m.map_or("-".to_string(), |m| {
        format!(
            "{:+.2}%",
            m.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        )
    })
}

/// A rate as a percentage with at least two decimals: 0.004 → 0.40%, 0.00375 → 0.375%.
fn pct_of(rate: Decimal) -> String {
    let p = (rate * Decimal::ONE_HUNDRED).normalize();
    if p.scale() <= 2 {
        format!("{p:.2}%")
    } else {
        format!("{p}%")
    }
}

/// `1234567.5` → `1,234,567.50` with at least `min_dp` decimals.
fn thousands(d: Decimal, min_dp: u32) -> String {
    let text = if d.scale() < min_dp {
        format!("{d:.prec$}", prec = min_dp as usize)
    } else {
        d.to_string()
    };
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    frac.map_or(format!("{sign}{grouped}"), |f| {
        format!("{sign}{grouped}.{f}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn thousands_are_grouped_and_decimals_padded() {
        assert_eq!(thousands(dec!(62749.00), 2), "62,749.00");
        assert_eq!(thousands(dec!(1234567.5), 2), "1,234,567.50");
        assert_eq!(thousands(dec!(-3000), 2), "-3,000.00");
        assert_eq!(thousands(dec!(300), 0), "300");
        assert_eq!(thousands(dec!(0.33333), 0), "0.33333");
    }

    #[test]
    fn rates_print_as_percentages_with_two_decimals_at_least() {
        assert_eq!(pct_of(dec!(0.004)), "0.40%");
        assert_eq!(pct_of(dec!(0.125)), "12.50%");
        assert_eq!(pct_of(dec!(0.00375)), "0.375%");
        assert_eq!(pct(Some(dec!(4.581673))), "+4.58%");
        assert_eq!(pct(None), "-");
    }
}
