//! Venue profiles: the one place that decides which formula a venue applies (one `match` per formula).
//!
//! | profile | contract | maintenance margin | liquidation price | rules |
//! |---|---|---|---|---|
//! | `binance` (default) | linear USDT | `N·MMR − cum` at mark | bracket at the liquidation price | §1.1–1.2 |
//! | `bybit` | linear USDT | fixed at entry value | `EP − side·(WB − MM_entry)/Q` | §4.1 (B01, B02) |
//! | `okx` | linear USDT | `N·(MMR + taker) − cum` at mark | as Binance with the close fee in MM | §4.2 (O01, Q10–Q12) |
//! | `binance-inverse` | 100 USD contracts, BTC margin | `(N/P)·MMR − cum` at mark | bracket at the liquidation price | §4.3 (I01–I03) |
//! | `bybit-inverse` | 1 USD contracts, BTC margin | fixed at entry value | `N/(PV + side·(WB − MM))` | §4.3 (B03) |
//!
//! Bybit and OKX close a liquidated position at the bankruptcy price (§4.1, §4.2); the engine's
//! isolated model books the whole isolated wallet as the loss on every venue (§1.4), which is the same.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::ExchangeError;
use super::brackets::BracketTable;
use super::fees::{Fees, Liquidity};
use super::funding::funding_cash_flow;
use super::inverse;
use super::margin::{self, LiqPrice, PositionRisk};
use crate::domain::{Leverage, Price, Qty, Rate, Side, Usd};

/// Linear (USDT-margined, qty in BTC) or inverse (coin-margined, qty in contracts of `contract_usd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contract {
    Linear,
    Inverse { contract_usd: Decimal },
}

/// A venue's rule set, chosen by name (`binance`, `bybit`, `okx`, `binance-inverse`, `bybit-inverse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Venue {
    #[default]
    Binance,
    Bybit,
    /// OKX: the taker fee of the liquidation order is part of the maintenance requirement (§4.2).
    Okx {
        close_fee: Rate,
    },
    BinanceInverse,
    BybitInverse,
}

/// Binance COIN-M BTCUSD_PERP: 100 USD per contract (§4.3).
pub const BINANCE_COINM_CONTRACT_USD: Decimal = dec!(100);

/// Bybit BTCUSD inverse: 1 USD per contract (§4.3, B03 counts 60,000 contracts for 60,000 USD).
pub const BYBIT_INVERSE_CONTRACT_USD: Decimal = Decimal::ONE;

/// OKX taker fee used in its maintenance requirement by default: 0.05% (O01).
pub const OKX_DEFAULT_CLOSE_FEE: Rate = Rate(dec!(0.0005));

impl Venue {
    pub const NAMES: [&'static str; 5] = [
        "binance",
        "bybit",
        "okx",
        "binance-inverse",
        "bybit-inverse",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Venue::Binance => "binance",
            Venue::Bybit => "bybit",
            Venue::Okx { .. } => "okx",
            Venue::BinanceInverse => "binance-inverse",
            Venue::BybitInverse => "bybit-inverse",
        }
    }

    pub fn contract(&self) -> Contract {
        match self {
            Venue::Binance | Venue::Bybit | Venue::Okx { .. } => Contract::Linear,
            Venue::BinanceInverse => Contract::Inverse {
                contract_usd: BINANCE_COINM_CONTRACT_USD,
            },
            Venue::BybitInverse => Contract::Inverse {
                contract_usd: BYBIT_INVERSE_CONTRACT_USD,
            },
        }
    }

    /// VIP0 fees: Binance 0.02%/0.05% (§1.5; COIN-M 0.01%/0.05%, unverified), Bybit 0.02%/0.055% (§4.1), OKX with
    /// the close fee as taker and 0.02% maker.
    pub fn default_fees(&self) -> Fees {
        match self {
            Venue::Binance => Fees::binance_vip0(),
            Venue::Bybit | Venue::BybitInverse => Fees::bybit_vip0(),
            Venue::Okx { close_fee } => Fees {
                maker: Rate(dec!(0.0002)),
                taker: *close_fee,
            },
            Venue::BinanceInverse => Fees {
                maker: Rate(dec!(0.0001)),
                taker: Rate(dec!(0.0005)),
            },
        }
    }

    /// The position's value in the margin currency at `price`: `Q·P` USDT (linear) or `N/P` BTC
    /// (inverse). Brackets, initial margin, fees and funding are computed on it.
    pub fn position_value(&self, qty: Qty, price: Price) -> Usd {
        match self.contract() {
            Contract::Linear => qty * price,
            Contract::Inverse { contract_usd } => inverse::coin_value(qty, contract_usd, price),
        }
    }

    /// Initial margin `value(entry)/L` (§1.1).
    pub fn initial_margin(&self, qty: Qty, entry: Price, leverage: Leverage) -> Usd {
        margin::initial_margin(self.position_value(qty, entry), leverage)
    }

    /// Maintenance margin at `mark` under this venue's rule.
    pub fn maintenance_margin(&self, pos: &PositionRisk, table: &BracketTable, mark: Price) -> Usd {
        match self {
            Venue::Binance | Venue::BinanceInverse => {
                table.maintenance_margin(self.position_value(pos.qty, mark))
            }
            // Bybit fixes MM at the entry value (§4.1, §4.3).
            Venue::Bybit | Venue::BybitInverse => {
                table.maintenance_margin(self.position_value(pos.qty, pos.entry))
            }
            Venue::Okx { close_fee } => {
                let value = self.position_value(pos.qty, mark);
                let b = table.bracket_for(value);
                value * Rate(b.mmr.get() + close_fee.get()) - b.cum
            }
        }
    }

    pub fn liquidation_price(&self, pos: &PositionRisk, table: &BracketTable) -> LiqPrice {
        match self {
            Venue::Binance => margin::linear_liquidation_price(pos, table, Rate::ZERO),
            Venue::Okx { close_fee } => margin::linear_liquidation_price(pos, table, *close_fee),
            Venue::Bybit => bybit_linear_liquidation_price(pos, table),
            Venue::BinanceInverse => {
                inverse::binance_inverse_liquidation_price(pos, table, BINANCE_COINM_CONTRACT_USD)
            }
            Venue::BybitInverse => {
                inverse::bybit_inverse_liquidation_price(pos, table, BYBIT_INVERSE_CONTRACT_USD)
            }
        }
    }

    /// Where the margin balance reaches zero (§1.2, §4.3).
    pub fn bankruptcy_price(&self, pos: &PositionRisk) -> LiqPrice {
        match self.contract() {
            Contract::Linear => margin::linear_bankruptcy_price(pos),
            Contract::Inverse { contract_usd } => {
                inverse::inverse_bankruptcy_price(pos, contract_usd)
            }
        }
    }

    /// Realised or unrealised PnL of moving from `entry` to `exit`, in the margin currency.
    pub fn pnl(&self, side: Side, qty: Qty, entry: Price, exit: Price) -> Usd {
        match self.contract() {
            Contract::Linear => margin::linear_pnl(side, qty, entry, exit),
            Contract::Inverse { contract_usd } => {
                inverse::inverse_pnl(side, qty, contract_usd, entry, exit)
            }
        }
    }

    /// Margin balance at `mark`: wallet + other positions' UPNL₁ + this position's PnL.
    pub fn equity(&self, pos: &PositionRisk, mark: Price) -> Usd {
        pos.wallet + pos.other_upnl + self.pnl(pos.side, pos.qty, pos.entry, mark)
    }

    /// One funding settlement to the account (§2.3).
    pub fn funding_cash_flow(&self, side: Side, qty: Qty, mark: Price, rate: Rate) -> Usd {
        match self.contract() {
            Contract::Linear => funding_cash_flow(side, qty, mark, rate),
            Contract::Inverse { contract_usd } => {
                inverse::inverse_funding(side, qty, contract_usd, mark, rate)
            }
        }
    }

    /// Trading fee of a fill of `qty` at `price` (§1.5: on fill notional in the margin currency).
    pub fn fee(&self, fees: &Fees, qty: Qty, price: Price, liquidity: Liquidity) -> Usd {
        fees.fee(self.position_value(qty, price), liquidity)
    }
}

/// Bybit USDT perpetual (§4.1): `LP = EP − side·(WB − TMM₁ + UPNL₁ − MM_entry)/Q` with
/// `MM_entry = Q·EP·MMR − deduction` of the bracket at the entry value. TMM₁/UPNL₁ enter as for Binance
/// (an assumption: §4.1 gives the isolated form). A long whose LP would be ≤ 0 is never liquidated.
fn bybit_linear_liquidation_price(pos: &PositionRisk, table: &BracketTable) -> LiqPrice {
    if pos.qty.is_zero() {
        return LiqPrice::Never;
    }
    let mm = table.maintenance_margin(pos.qty * pos.entry);
    let free = pos.wallet - pos.other_maint + pos.other_upnl - mm;
    let lp = pos.entry.get() - pos.side.sign() * free.get() / pos.qty.get();
    match (lp > Decimal::ZERO, pos.side) {
        (true, _) => LiqPrice::At(Price(lp)),
        (false, Side::Long) => LiqPrice::Never,
        (false, Side::Short) => LiqPrice::At(Price::ZERO),
    }
}

impl fmt::Display for Venue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Venue {
    type Err = ExchangeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "binance" => Ok(Venue::Binance),
            "bybit" => Ok(Venue::Bybit),
            "okx" => Ok(Venue::Okx {
                close_fee: OKX_DEFAULT_CLOSE_FEE,
            }),
            "binance-inverse" | "binance-coinm" => Ok(Venue::BinanceInverse),
            "bybit-inverse" => Ok(Venue::BybitInverse),
            _ => Err(ExchangeError::UnknownVenue(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::BracketSchedule;

    #[test]
    fn venues_parse_from_their_names_and_print_them_back() {
        for name in Venue::NAMES {
            assert_eq!(name.parse::<Venue>().unwrap().name(), name);
        }
        assert_eq!("Binance".parse::<Venue>().unwrap(), Venue::Binance);
        let err = "kraken".parse::<Venue>().unwrap_err().to_string();
        assert!(
            err.contains("kraken") && err.contains("binance|bybit|okx"),
            "{err}"
        );
    }

    #[test]
    fn the_seed_short_on_bybit_liquidates_at_62700() {
        let table = BracketSchedule::binance_btcusdt().latest().table.clone();
        // Bybit BTC base MMR is 0.5% (§4.1); one bracket at that rate stands in for its risk limit.
        let bybit = BracketSchedule::from_csv_str(
            "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n2024-01-01,1,0,,0.005,0,100\n",
            "bybit test",
        )
        .unwrap();
        let pos = PositionRisk::isolated(
            Side::Short,
            Qty(dec!(1)),
            Price(dec!(60000)),
            Usd(dec!(3000)),
        );
        assert_eq!(
            Venue::Bybit.liquidation_price(&pos, bybit.latest().table),
            LiqPrice::At(Price(dec!(62700)))
        );
        // MM stays at the entry value on Bybit whatever the mark; Binance re-evaluates it.
        assert_eq!(
            Venue::Bybit.maintenance_margin(&pos, bybit.latest().table, Price(dec!(70000))),
            Usd(dec!(300))
        );
        assert_eq!(
            Venue::Binance.maintenance_margin(&pos, &table, Price(dec!(70000))),
            Usd(dec!(280))
        );
    }

    #[test]
    fn okx_adds_its_close_fee_to_the_maintenance_rate() {
        let table = BracketSchedule::binance_btcusdt().latest().table.clone();
        let pos = PositionRisk::isolated(
            Side::Short,
            Qty(dec!(1)),
            Price(dec!(60000)),
            Usd(dec!(3000)),
        );
        let okx: Venue = "okx".parse().unwrap();
        assert_eq!(
            okx.maintenance_margin(&pos, &table, Price(dec!(60000))),
            Usd(dec!(270))
        );
        let lp = okx.liquidation_price(&pos, &table).price().unwrap();
        assert_eq!(lp.get().round_dp(2), dec!(62717.77));
    }
}
