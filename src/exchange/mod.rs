//! The venue's rules, as pure exact `Decimal` arithmetic with no I/O (except reading a user's bracket
//! file): maintenance-margin brackets in force by date, margin, liquidation and bankruptcy prices
//! (isolated and cross, one-way mode), position limits, funding, fees and slippage, and venue profiles.
//! The specification is `../shared/exchange-rules.md` (section numbers below refer to it); every
//! formula is tested against `../shared/exchange-vectors.csv` in `tests/exchange_vectors.rs`.
//!
//! # Public API
//!
//! Brackets (§1.1) — `brackets.rs`, `schedule.rs`:
//! - [`Bracket`] `{ number: u32, floor: Usd, cap: Option<Usd> /* None = open-ended */, mmr: Rate, cum: Usd,
//!   max_leverage: Leverage }` covering `(floor, cap]`; `contains(Usd) -> bool`, `maintenance_margin(Usd) -> Usd`.
//! - [`BracketTable`]: `new(Vec<Bracket>) -> Result<Self, ExchangeError>` (checks numbering, contiguity, the
//!   `cum` recurrence, rates and limits), `brackets() -> &[Bracket]`, `bracket_for(notional: Usd) -> &Bracket`,
//!   `maintenance_margin(notional: Usd) -> Usd`, `top() -> &Bracket`.
//! - [`BracketSchedule`]: `binance_btcusdt() -> BracketSchedule` (embedded, 11 tables 2022-02-12 … 2025-08-21),
//!   `from_csv_path(&Path) -> Result<_, ExchangeError>`, `from_csv_str(text, file_name)`, `single(BracketTable)`,
//!   `table_at(TimestampMs) -> TableInForce<'_>`, `latest() -> TableInForce<'_>`,
//!   `change_times() -> impl Iterator<Item = TimestampMs>` (when an open position's MM/LP must be recomputed),
//!   `first_known() -> TimestampMs`, `tables() -> &[DatedTable]`.
//! - [`TableInForce`] `{ table: &BracketTable, in_force_from: TimestampMs, before_first_known: bool }`
//!   (`before_first_known`: the earliest table is used and the caller warns).
//!
//! Margin and prices (§1.2, §4) — `margin.rs`, `inverse.rs`, `venue.rs`:
//! - [`PositionRisk`] `{ side, qty, entry, wallet /* isolated margin or cross wallet */, other_maint /* TMM₁ */,
//!   other_upnl /* UPNL₁ */ }`, with `isolated(side, qty, entry, wallet)` and `cross(…, other_maint, other_upnl)`.
//! - [`LiqPrice`] `{ Never, At(Price) }` with `as_f64_trigger() -> Option<f64>`, `price() -> Option<Price>`,
//!   `move_pct_from(entry) -> Option<Decimal>`; used for liquidation and bankruptcy prices.
//! - [`MarginMode`] `{ Isolated, Cross }`; [`initial_margin`]`(notional, leverage) -> Usd`.
//! - [`Venue`] `{ Binance (default), Bybit, Okx { close_fee }, BinanceInverse, BybitInverse }` — the one seam:
//!   `liquidation_price(&PositionRisk, &BracketTable) -> LiqPrice`, `bankruptcy_price(&PositionRisk) -> LiqPrice`,
//!   `maintenance_margin(&PositionRisk, &BracketTable, mark) -> Usd`, `initial_margin(qty, entry, leverage)`,
//!   `position_value(qty, price) -> Usd` (bracket key: Q·P USDT, or N/P BTC for inverse),
//!   `pnl(side, qty, entry, exit) -> Usd`, `equity(&PositionRisk, mark) -> Usd`,
//!   `funding_cash_flow(side, qty, mark, rate) -> Usd`, `fee(&Fees, qty, price, Liquidity) -> Usd`,
//!   `default_fees() -> Fees`, `contract() -> Contract`, `name()`, `FromStr`
//!   (`binance|bybit|okx|binance-inverse|bybit-inverse`).
//! - Lower-level formulas: [`linear_liquidation_price`]`(pos, table, close_fee)`, [`linear_bankruptcy_price`],
//!   [`bracket_at_liquidation`], [`linear_pnl`], [`linear_equity`], and in [`inverse`] the COIN-M ones.
//!
//! Limits (§1.1) — `limits.rs`: [`check_leverage`]`(table, notional, leverage) -> Result<(), LeverageRefusal>`;
//! [`lower_to_allowed`]`(…) -> Result<LeverageDecision, LeverageRefusal>` (`Kept(L)` or `Lowered { requested,
//! allowed, bracket }`).
//!
//! Funding (§2) — `funding.rs`: [`funding_cash_flow`]`(side, qty, mark, rate) -> Usd` (= −side·Q·mark·F);
//! [`FundingClamp`] `{ floor, cap }` with `symmetric(limit)` and `apply(rate)`;
//! [`funding_rate_from_premium`]`(avg_premium, interval, settled_at, Option<FundingClamp>) -> Rate`.
//!
//! Fees and slippage (§1.5) — `fees.rs`: [`Fees`] `{ maker, taker }` (`Default` = Binance VIP0 0.02%/0.05%)
//! with `taker_fee(notional)`, `maker_fee(notional)`, `fee(notional, Liquidity)`; [`Slippage`] `{ bps }` with
//! `fill_price(price, buying: bool) -> Price` (against the trader).
//!
//! Errors: [`ExchangeError`] (bad bracket file or table, unknown venue).

mod brackets;
mod fees;
mod funding;
pub mod inverse;
mod limits;
mod margin;
mod schedule;
mod venue;

use thiserror::Error;

pub use brackets::{Bracket, BracketTable};
pub use fees::{Fees, Liquidity, Slippage};
pub use funding::{
    FundingClamp, INTEREST_PER_8H, PER_INTERVAL_RULE_FROM, PREMIUM_CLAMP, funding_cash_flow,
    funding_rate_from_premium,
};
pub use limits::{LeverageDecision, LeverageRefusal, check_leverage, lower_to_allowed};
pub use margin::{
    LiqPrice, MarginMode, PositionRisk, bracket_at_liquidation, initial_margin,
    linear_bankruptcy_price, linear_equity, linear_liquidation_price, linear_pnl,
};
pub use schedule::{BracketSchedule, DatedTable, TableInForce};
pub use venue::{
    BINANCE_COINM_CONTRACT_USD, BYBIT_INVERSE_CONTRACT_USD, Contract, OKX_DEFAULT_CLOSE_FEE, Venue,
};

/// What can go wrong with exchange inputs. Messages name the file, line (header = line 1), column,
/// value and the fix.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ExchangeError {
    #[error("cannot read bracket file {file}: {message}")]
    Io { file: String, message: String },
    #[error("{file} line {line}: {message}")]
    BadFile {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{file}: the header has no column '{column}'; the header must name in_force_from, bracket, notional_floor, \
         notional_cap, maint_margin_rate, maint_amount, max_leverage"
    )]
    MissingColumn { file: String, column: String },
    #[error("{file} line {line}, column {column}: '{value}' is not valid; {fix}")]
    BadCell {
        file: String,
        line: usize,
        column: String,
        value: String,
        fix: String,
    },
    #[error("{file} line {line}: table in force from {in_force_from}, bracket {bracket} {reason}")]
    BrokenTable {
        file: String,
        in_force_from: String,
        line: usize,
        bracket: u32,
        reason: String,
    },
    #[error("bracket {bracket} {reason}")]
    InvalidTable { bracket: u32, reason: String },
    #[error("'{0}' is not a venue; write one of binance|bybit|okx|binance-inverse|bybit-inverse")]
    UnknownVenue(String),
}
