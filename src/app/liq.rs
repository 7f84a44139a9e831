//! `wick liq`: validate the raw arguments into one position (or a leverage ladder of them), compute
//! margin, brackets, liquidation and bankruptcy prices with `exchange`, and print them for people
//! (thousands separators) or tools (`--json`, exact decimals as strings; see `render.rs`).

mod render;

use std::str::FromStr;

use anyhow::{Result, anyhow, bail};
use rust_decimal::Decimal;

use crate::cli::liq::LiqArgs;
use crate::domain::{Leverage, Price, Qty, Side, TimestampMs, Usd};
use crate::exchange::{
    Bracket, BracketSchedule, BracketTable, Contract, LeverageRefusal, LiqPrice, MarginMode,
    PositionRisk, Venue, check_leverage, lower_to_allowed,
};

/// How the position is sized (`--qty` is the default, 1 BTC).
#[derive(Debug, Clone, Copy)]
enum Size {
    Qty(Qty),
    Margin(Usd),
    Notional(Usd),
}

/// The validated command: everything but the leverage, which varies along a ladder.
#[derive(Debug)]
struct Calculator {
    venue: Venue,
    side: Side,
    entry: Price,
    size: Size,
    mode: MarginMode,
    wallet: Option<Usd>,
    other_maint: Usd,
    other_upnl: Usd,
    table: BracketTable,
    table_label: String,
    warnings: Vec<String>,
}

/// One computed position.
#[derive(Debug)]
struct Row {
    requested: Leverage,
    leverage: Leverage,
    qty: Qty,
    value: Usd,
    initial_margin: Usd,
    wallet: Usd,
    entry_bracket: Bracket,
    liq_bracket: Option<Bracket>,
    mm_entry: Usd,
    mm_liq: Option<Usd>,
    liq: LiqPrice,
    bankruptcy: LiqPrice,
}

pub fn run(args: LiqArgs) -> Result<()> {
    let calc = Calculator::from_args(&args)?;
    for w in &calc.warnings {
        eprintln!("warning: {w}");
    }
    if args.ladder.is_empty() {
        let raw = args.leverage.as_deref().unwrap_or_default();
        // A single position refuses an over-limit leverage with exit 1 (issue 3), unless asked to lower it.
        let row = calc
            .row(leverage_arg("--leverage", raw)?, args.clamp_leverage)
            .map_err(|e| {
                let hint = match e {
                    LeverageRefusal::AboveBracketMax { .. } => {
                        " (or pass --clamp-leverage to lower it to the maximum)"
                    }
                    LeverageRefusal::NotionalAboveTopCap { .. } => "",
                };
                anyhow!("leverage refused: {}{hint}", calc.refusal(&e))
            })?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&calc.to_json(&[(row.requested, Ok(row))]))?
            );
        } else {
            print!("{}", calc.render_single(&row));
        }
    } else {
        let levels: Vec<Leverage> = args
            .ladder
            .iter()
            .map(|s| leverage_arg("--ladder", s))
            .collect::<Result<_>>()?;
        // Along a ladder an over-limit leverage is a refused row, not an error.
        let rows: Vec<(Leverage, Result<Row, String>)> = levels
            .into_iter()
            .map(|l| {
                (
                    l,
                    calc.row(l, args.clamp_leverage)
                        .map_err(|e| calc.refusal(&e)),
                )
            })
            .collect();
        if args.json {
            println!("{}", serde_json::to_string_pretty(&calc.to_json(&rows))?);
        } else {
            print!("{}", calc.render_ladder(&rows));
        }
    }
    Ok(())
}

fn decimal_arg(flag: &str, s: &str, example: &str) -> Result<Decimal> {
    Decimal::from_str(s.trim()).map_err(|_| {
        anyhow!("{flag} '{s}' is not a number; write a plain decimal such as {example}")
    })
}

fn positive_arg(flag: &str, s: &str, example: &str) -> Result<Decimal> {
    let d = decimal_arg(flag, s, example)?;
    if d <= Decimal::ZERO {
        bail!("{flag} must be greater than zero, got {s}");
    }
    Ok(d)
}

fn leverage_arg(flag: &str, s: &str) -> Result<Leverage> {
    Leverage::new_checked(decimal_arg(flag, s, "20")?).map_err(|e| anyhow!("{flag}: {e}"))
}

impl Calculator {
    fn from_args(a: &LiqArgs) -> Result<Calculator> {
        let side = Side::from_str(&a.side).map_err(|e| anyhow!("--side: {e}"))?;
        let venue = Venue::from_str(&a.venue).map_err(|e| anyhow!("--venue: {e}"))?;
        let entry = Price(positive_arg("--entry", &a.entry, "60000")?);
        let size = match (&a.qty, &a.margin, &a.notional) {
            (_, Some(m), _) => Size::Margin(Usd(positive_arg("--margin", m, "3000")?)),
            (_, _, Some(n)) => Size::Notional(Usd(positive_arg("--notional", n, "60000")?)),
            (q, _, _) => Size::Qty(Qty(positive_arg(
                "--qty",
                q.as_deref().unwrap_or("1"),
                "1",
            )?)),
        };
        let mode = match a.mode.trim().to_ascii_lowercase().as_str() {
            "isolated" => MarginMode::Isolated,
            "cross" => MarginMode::Cross,
            other => bail!("--mode '{other}' is not a margin mode; write isolated or cross"),
        };
        let wallet = a
            .wallet
            .as_deref()
            .map(|w| positive_arg("--wallet", w, "10000"))
            .transpose()?
            .map(Usd);
        let other = |flag: &str, v: &Option<String>| {
            v.as_deref().map(|s| decimal_arg(flag, s, "0")).transpose()
        };
        let (other_maint, other_upnl) = (
            other("--other-maint", &a.other_maint)?,
            other("--other-upnl", &a.other_upnl)?,
        );
        match mode {
            MarginMode::Cross if wallet.is_none() => {
                bail!(
                    "--mode cross needs --wallet W: the cross wallet balance that backs the position"
                )
            }
            MarginMode::Isolated if other_maint.is_some() || other_upnl.is_some() => {
                bail!(
                    "--other-maint and --other-upnl describe other cross positions; use them with --mode cross"
                )
            }
            // Each rung of an isolated ladder is funded with its own initial margin; one wallet for
            // all of them would make the leverage column meaningless.
            MarginMode::Isolated if wallet.is_some() && !a.ladder.is_empty() => {
                bail!(
                    "--wallet with --ladder: each isolated leverage has its own margin; drop --wallet, or use --leverage"
                )
            }
            _ => {}
        }
        let mut warnings = Vec::new();
        let (schedule, source) = match &a.brackets {
            Some(path) => (
                BracketSchedule::from_csv_path(path)?,
                format!("{}", path.display()),
            ),
            None if matches!(venue.contract(), Contract::Inverse { .. }) => bail!(
                "--venue {venue} needs --brackets FILE: a coin-margined table in BTC of position value \
                 (no inverse table ships with wick)"
            ),
            None => {
                if venue != Venue::Binance {
                    warnings.push(format!(
                        "no {venue} table ships with wick; using Binance BTCUSDT's brackets (pass --brackets FILE for the venue's own)"
                    ));
                }
                (
                    BracketSchedule::binance_btcusdt(),
                    "Binance BTCUSDT".to_string(),
                )
            }
        };
        let in_force = match &a.date {
            None => schedule.latest(),
            Some(d) => {
                let t = TimestampMs::parse_user(d).map_err(|_| {
                    anyhow!("--date '{d}' is not a date; write a UTC date such as 2024-06-01 (or 2024-06-01T08:00)")
                })?;
                schedule.table_at(t)
            }
        };
        let from = in_force.in_force_from;
        if in_force.before_first_known {
            warnings.push(format!(
                "{} is before the first known {source} table ({}); using that earliest table",
                a.date.as_deref().unwrap_or_default(),
                from.to_human().get(..10).unwrap_or_default()
            ));
        }
        let table_label = if from == TimestampMs(i64::MIN) {
            source
        } else {
            format!(
                "{source}, in force from {}",
                from.to_human().trim_end_matches(" 00:00")
            )
        };
        Ok(Calculator {
            venue,
            side,
            entry,
            size,
            mode,
            wallet,
            other_maint: Usd(other_maint.unwrap_or_default()),
            other_upnl: Usd(other_upnl.unwrap_or_default()),
            table: in_force.table.clone(),
            table_label,
            warnings,
        })
    }

    /// Quantity and value in the margin currency at entry for a leverage. `--margin` sizes the value
    /// as margin × leverage; the value is kept exact so that the initial margin prints as typed.
    fn size(&self, leverage: Leverage) -> (Qty, Usd) {
        let contract_usd = match self.venue.contract() {
            Contract::Linear => None,
            Contract::Inverse { contract_usd } => Some(contract_usd),
        };
        let entry = self.entry.get();
        match (self.size, contract_usd) {
            (Size::Qty(q), _) => (q, self.venue.position_value(q, self.entry)),
            (Size::Notional(n), None) => (Qty(n.get() / entry), n),
            // Inverse notional is the USD face value; its value in BTC is face / entry.
            (Size::Notional(n), Some(c)) => (Qty(n.get() / c), Usd(n.get() / entry)),
            (Size::Margin(m), None) => {
                let value = m.get() * leverage.get();
                (Qty(value / entry), Usd(value))
            }
            (Size::Margin(m), Some(c)) => {
                let value = m.get() * leverage.get();
                (Qty(value * entry / c), Usd(value))
            }
        }
    }

    /// Compute one position; `Err` is the refusal of an over-limit leverage (§1.1). With `clamp` the
    /// leverage is lowered to the bracket's maximum and the position size kept (the margin grows).
    fn row(&self, requested: Leverage, clamp: bool) -> Result<Row, LeverageRefusal> {
        let (qty, value) = self.size(requested);
        let leverage = if clamp {
            lower_to_allowed(&self.table, value, requested)?.leverage()
        } else {
            check_leverage(&self.table, value, requested)?;
            requested
        };
        // Margin from the quantity, so that wallet and position agree to the last digit (a 1x long
        // funded with exactly its notional must stay "never liquidated"); the typed value above
        // decides the bracket and the limit.
        let initial_margin = self.venue.initial_margin(qty, self.entry, leverage);
        let wallet = self.wallet.unwrap_or(initial_margin);
        let pos = PositionRisk::cross(
            self.side,
            qty,
            self.entry,
            wallet,
            self.other_maint,
            self.other_upnl,
        );
        let liq = self.venue.liquidation_price(&pos, &self.table);
        let at_liq = liq.price().filter(|p| !p.is_zero());
        Ok(Row {
            requested,
            leverage,
            qty,
            value,
            initial_margin,
            wallet,
            entry_bracket: self.table.bracket_for(value).clone(),
            liq_bracket: at_liq.map(|p| {
                self.table
                    .bracket_for(self.venue.position_value(qty, p))
                    .clone()
            }),
            mm_entry: self.venue.maintenance_margin(&pos, &self.table, self.entry),
            mm_liq: at_liq.map(|p| self.venue.maintenance_margin(&pos, &self.table, p)),
            liq,
            bankruptcy: self.venue.bankruptcy_price(&pos),
        })
    }
}
