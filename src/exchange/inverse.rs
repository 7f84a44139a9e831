//! Inverse (coin-margined) perpetuals, exchange-rules §4.3: a contract is worth a fixed number of USD
//! (`contract_usd`: 100 on Binance COIN-M BTCUSD, 1 on Bybit BTCUSD); margin, PnL, fees and funding are
//! in BTC. `qty` counts contracts and `N = qty·contract_usd` is the USD face value. Brackets are keyed
//! by the position's coin value `X = N/P` (BTC), as `GET /dapi/v2/leverageBracket` gives them.

use rust_decimal::Decimal;

use super::brackets::{Bracket, BracketTable};
use super::margin::{LiqPrice, PositionRisk};
use crate::domain::{Price, Qty, Rate, Side, Usd};

/// USD face value of `qty` contracts.
pub fn face_value(qty: Qty, contract_usd: Decimal) -> Decimal {
    qty.get() * contract_usd
}

/// Coin value `N/P` in BTC: the inverse contract's notional, used for brackets, fees and funding.
pub fn coin_value(qty: Qty, contract_usd: Decimal, price: Price) -> Usd {
    Usd(face_value(qty, contract_usd) / price.get())
}

/// PnL in BTC: `side·N·(1/EP − 1/exit)` (§4.3).
pub fn inverse_pnl(side: Side, qty: Qty, contract_usd: Decimal, entry: Price, exit: Price) -> Usd {
    let n = face_value(qty, contract_usd);
    Usd(side.sign() * n * (Decimal::ONE / entry.get() - Decimal::ONE / exit.get()))
}

/// Funding in BTC to the account: `−side·(N/mark)·F` (§2.3, COIN-M).
pub fn inverse_funding(
    side: Side,
    qty: Qty,
    contract_usd: Decimal,
    mark: Price,
    rate: Rate,
) -> Usd {
    Usd(-side.sign() * coin_value(qty, contract_usd, mark).get() * rate.get())
}

/// The price an account treats as "liquidated at any price" for an inverse long whose margin is gone
/// even at an infinite price (only a cross account already under water): no mark is above it.
const ANY_PRICE: Price = Price(Decimal::MAX);

/// Binance COIN-M liquidation price (§4.3): `WB + side·N·(1/EP − 1/P) = (N/P)·MMR − cum`, with the
/// bracket that holds the coin value at the liquidation price (as for USDⓈ-M, §1.2), so
/// `LP = (N·MMR + side·N) / (WB + cum + side·N/EP)` for that bracket.
///
/// In `X = N/P` the gap `h(X) = A − side·X − X·MMR_b + cum_b`, `A = WB − TMM₁ + UPNL₁ + side·N/EP`,
/// falls in X for a long and rises for a short, so the bracket is found from the sign of `h(cap)`
/// exactly as in the linear case. A short with `A ≥ 0` (e.g. 1x: margin = coin value) is solvent at any
/// price, however high: it can never be liquidated (I03).
pub fn binance_inverse_liquidation_price(
    pos: &PositionRisk,
    table: &BracketTable,
    contract_usd: Decimal,
) -> LiqPrice {
    let side = pos.side.sign();
    let n = face_value(pos.qty, contract_usd);
    if n.is_zero() {
        return LiqPrice::Never;
    }
    let a = pos.wallet.get() - pos.other_maint.get()
        + pos.other_upnl.get()
        + side * n / pos.entry.get();
    match pos.side {
        Side::Short if a >= Decimal::ZERO => return LiqPrice::Never,
        Side::Long if a <= Decimal::ZERO => return LiqPrice::At(ANY_PRICE),
        _ => {}
    }
    let h = |b: &Bracket, x: Decimal| a - side * x - x * b.mmr.get() + b.cum.get();
    let root_at_or_below = |b: &Bracket| match b.cap {
        None => true,
        Some(cap) => match pos.side {
            Side::Long => h(b, cap.get()) <= Decimal::ZERO,
            Side::Short => h(b, cap.get()) >= Decimal::ZERO,
        },
    };
    let b = table
        .brackets()
        .iter()
        .find(|b| root_at_or_below(b))
        .unwrap_or_else(|| table.top());
    let x = (a + b.cum.get()) / (b.mmr.get() + side);
    LiqPrice::At(Price(n / x))
}

/// Bybit inverse liquidation price (§4.3): maintenance margin fixed at the entry value,
/// `LP = N / (PV + side·(WB − MM_entry))`, `PV = N/EP`, `MM_entry = PV·MMR − cum` (B03). The other
/// positions' TMM₁/UPNL₁ (cross) are added to the margin as for Binance — an assumption; §4.3 gives
/// only the isolated form.
pub fn bybit_inverse_liquidation_price(
    pos: &PositionRisk,
    table: &BracketTable,
    contract_usd: Decimal,
) -> LiqPrice {
    let n = face_value(pos.qty, contract_usd);
    if n.is_zero() {
        return LiqPrice::Never;
    }
    let pv = n / pos.entry.get();
    let mm = table.maintenance_margin(Usd(pv)).get();
    let free = pos.wallet.get() - pos.other_maint.get() + pos.other_upnl.get() - mm;
    price_from_coin_value(pos.side, n, pv + pos.side.sign() * free)
}

/// Inverse bankruptcy price (§4.3): `BP = N / (N/EP + side·(WB + UPNL₁))`; a short with margin ≥ its
/// coin value never goes bankrupt.
pub fn inverse_bankruptcy_price(pos: &PositionRisk, contract_usd: Decimal) -> LiqPrice {
    let n = face_value(pos.qty, contract_usd);
    if n.is_zero() {
        return LiqPrice::Never;
    }
    let denominator =
        n / pos.entry.get() + pos.side.sign() * (pos.wallet.get() + pos.other_upnl.get());
    price_from_coin_value(pos.side, n, denominator)
}

/// `P = N / X` for a coin value `X` at the trigger; `X ≤ 0` means no finite price reaches it.
fn price_from_coin_value(side: Side, n: Decimal, x: Decimal) -> LiqPrice {
    if x > Decimal::ZERO {
        return LiqPrice::At(Price(n / x));
    }
    match side {
        Side::Short => LiqPrice::Never,
        Side::Long => LiqPrice::At(ANY_PRICE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::BracketSchedule;
    use rust_decimal_macros::dec;

    fn one_bracket(mmr: Decimal) -> BracketTable {
        let csv = format!(
            "in_force_from,bracket,notional_floor,notional_cap,maint_margin_rate,maint_amount,max_leverage\n\
             2021-01-01,1,0,,{mmr},0,125\n"
        );
        BracketSchedule::from_csv_str(&csv, "test")
            .unwrap()
            .latest()
            .table
            .clone()
    }

    #[test]
    fn a_ten_x_inverse_long_liquidates_at_45636_and_goes_bankrupt_at_45455() {
        let pos = PositionRisk::isolated(
            Side::Long,
            Qty(dec!(100)),
            Price(dec!(50000)),
            Usd(dec!(0.02)),
        );
        let lp = binance_inverse_liquidation_price(&pos, &one_bracket(dec!(0.004)), dec!(100))
            .price()
            .unwrap();
        assert_eq!(lp.get().round_dp(2), dec!(45636.36));
        let bp = inverse_bankruptcy_price(&pos, dec!(100)).price().unwrap();
        assert_eq!(bp.get().round_dp(2), dec!(45454.55));
    }

    #[test]
    fn a_one_x_inverse_short_never_liquidates_nor_goes_bankrupt() {
        let pos = PositionRisk::isolated(
            Side::Short,
            Qty(dec!(100)),
            Price(dec!(50000)),
            Usd(dec!(0.2)),
        );
        assert_eq!(
            binance_inverse_liquidation_price(&pos, &one_bracket(dec!(0.004)), dec!(100)),
            LiqPrice::Never
        );
        assert_eq!(inverse_bankruptcy_price(&pos, dec!(100)), LiqPrice::Never);
    }

    #[test]
    fn inverse_pnl_and_funding_are_in_coin() {
        let pnl = inverse_pnl(
            Side::Long,
            Qty(dec!(100)),
            dec!(100),
            Price(dec!(50000)),
            Price(dec!(55000)),
        );
        assert_eq!(pnl.get().round_dp(6), dec!(0.018182));
        let f = inverse_funding(
            Side::Long,
            Qty(dec!(100)),
            dec!(100),
            Price(dec!(50000)),
            Rate(dec!(0.0001)),
        );
        assert_eq!(f, Usd(dec!(-0.00002)));
    }
}
