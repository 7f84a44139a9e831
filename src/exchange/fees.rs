//! Trading fees and slippage (exchange-rules §1.5).

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::domain::{Price, Rate, Usd};

/// Whether a fill added liquidity (maker) or took it (taker). Market and stop-market orders are taker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Liquidity {
    Maker,
    Taker,
}

/// Maker and taker fee rates, charged on fill notional: `fee = |Q·fill_price|·rate` (§1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fees {
    pub maker: Rate,
    pub taker: Rate,
}

impl Default for Fees {
    /// Binance USDⓈ-M VIP0.
    fn default() -> Self {
        Fees::binance_vip0()
    }
}

impl Fees {
    /// Binance USDⓈ-M VIP0: maker 0.0200%, taker 0.0500% (§1.5).
    pub fn binance_vip0() -> Fees {
        Fees {
            maker: Rate(dec!(0.0002)),
            taker: Rate(dec!(0.0005)),
        }
    }

    /// Bybit perpetual VIP0: maker 0.0200%, taker 0.0550% (§4.1).
    pub fn bybit_vip0() -> Fees {
        Fees {
            maker: Rate(dec!(0.0002)),
            taker: Rate(dec!(0.00055)),
        }
    }

    pub fn maker_fee(&self, notional: Usd) -> Usd {
        Usd(notional.get().abs() * self.maker.get())
    }

    pub fn taker_fee(&self, notional: Usd) -> Usd {
        Usd(notional.get().abs() * self.taker.get())
    }

    pub fn fee(&self, notional: Usd, liquidity: Liquidity) -> Usd {
        match liquidity {
            Liquidity::Maker => self.maker_fee(notional),
            Liquidity::Taker => self.taker_fee(notional),
        }
    }
}

/// Slippage in basis points, always against the trader: a buy fills higher, a sell lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slippage {
    pub bps: Decimal,
}

impl Slippage {
    pub fn fill_price(&self, price: Price, buying: bool) -> Price {
        let shift = Rate::from_bps(self.bps).get();
        let factor = if buying {
            Decimal::ONE + shift
        } else {
            Decimal::ONE - shift
        };
        Price(price.get() * factor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_taker_fee_on_sixty_thousand_is_thirty_usdt() {
        let fees = Fees::default();
        assert_eq!(fees.taker_fee(Usd(dec!(60000))), Usd(dec!(30)));
        assert_eq!(fees.fee(Usd(dec!(-60000)), Liquidity::Maker), Usd(dec!(12)));
    }

    #[test]
    fn slippage_moves_buys_up_and_sells_down() {
        let s = Slippage { bps: dec!(5) };
        assert_eq!(s.fill_price(Price(dec!(60000)), true), Price(dec!(60030)));
        assert_eq!(s.fill_price(Price(dec!(60000)), false), Price(dec!(59970)));
        assert_eq!(
            Slippage::default().fill_price(Price(dec!(60000)), true),
            Price(dec!(60000))
        );
    }
}
