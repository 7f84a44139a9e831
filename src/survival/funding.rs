//! Funding booked against an isolated position moves its liquidation price (exchange-rules §2.3,
//! vector F12). For a position of `Q = N/EP` the cash flow at settlement `T` is
//! `−side·Q·mark(T)·rate(T)`; it changes the wallet `WB`, and `LP = (WB + cum − side·Q·EP) /
//! (Q·(MMR − side))` moves by `ΔWB / (Q·(MMR − side)) = −side·ΔS / (MMR − side)` where
//! `S = Σ mark(T)·rate(T)`. `Q` cancels, so one running sum `S` serves every entry and leverage:
//! the level at bar `j` is `LP₀ + slope·(S_through[j] − S_before[i])` with
//! `slope = −side / (MMR − side)` (long: `+1/(1 − MMR)`, paying positive funding lifts a long's
//! liquidation price; short: `+1/(1 + MMR)`, receiving it lifts the short's away from the price).
//!
//! Timing (§2.4, §5.1 step 1): a settlement at `T` is paid by a position open at `T`, and is booked
//! before the price path of the bar that contains `T`. An entry at the open of bar `i` pays the
//! settlement at exactly that open. The bracket at the liquidation price is the entry's for the
//! life of the position: funding moves LP by a few percent at most, which keeps the notional at LP
//! in the same bracket unless it sits within that distance of a bracket boundary.

use crate::market::FundingSeries;

/// Running funding sums on the bar grid.
#[derive(Debug, Clone, PartialEq)]
pub struct FundingSums {
    /// `S` over settlements with `T < time[j] + interval` (booked by the end of bar `j`).
    pub through: Vec<f64>,
    /// `S` over settlements with `T < time[i]` (before an entry at the open of bar `i`).
    pub before: Vec<f64>,
    /// Settlements that fell inside the bars used.
    pub settlements: usize,
}

impl FundingSums {
    /// `mark_open` is the mark open per bar (last price where the mark has none): the price of a
    /// settlement whose file row carries no mark price.
    pub fn new(
        f: &FundingSeries,
        time: &[i64],
        interval_ms: i64,
        mark_open: &[f64],
    ) -> FundingSums {
        let n = time.len();
        let mut through = vec![0.0; n];
        let mut before = vec![0.0; n];
        let Some((&first, &last)) = time.first().zip(time.last()) else {
            return FundingSums {
                through,
                before,
                settlements: 0,
            };
        };
        // Amounts of the settlements inside [first open, last close), in time order.
        let mut amounts: Vec<(i64, f64)> = Vec::new();
        for k in 0..f.len() {
            let t = f.time[k];
            if t < first || t >= last + interval_ms {
                continue;
            }
            let bar = time.partition_point(|&x| x + interval_ms <= t).min(n - 1);
            let mark = if f.mark[k].is_finite() {
                f.mark[k]
            } else {
                mark_open[bar]
            };
            amounts.push((t, mark * f.rate[k]));
        }
        let (mut s_through, mut s_before) = (0.0, 0.0);
        let (mut a, mut b) = (0, 0);
        for j in 0..n {
            while b < amounts.len() && amounts[b].0 < time[j] {
                s_before += amounts[b].1;
                b += 1;
            }
            while a < amounts.len() && amounts[a].0 < time[j] + interval_ms {
                s_through += amounts[a].1;
                a += 1;
            }
            before[j] = s_before;
            through[j] = s_through;
        }
        FundingSums {
            through,
            before,
            settlements: amounts.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn a_settlement_at_a_bar_open_is_booked_in_that_bar_and_paid_by_an_entry_at_that_open() {
        // Hourly bars 00:00..04:00; settlements at 01:00 (mark 60,000, 0.01%) and 03:00 (no mark in the
        // file: the bar's mark open 61,000 is used, rate −0.02%).
        let time: Vec<i64> = (0..4).map(|k| k * H).collect();
        let mark_open = [59_000.0, 60_500.0, 60_800.0, 61_000.0];
        let f = FundingSeries {
            source: "test".into(),
            time: vec![H, 3 * H],
            rate: vec![0.0001, -0.0002],
            mark: vec![60_000.0, f64::NAN],
        };
        let s = FundingSums::new(&f, &time, H, &mark_open);
        assert_eq!(s.settlements, 2);
        let paid1 = 60_000.0 * 0.0001;
        let paid2 = paid1 + 61_000.0 * -0.0002;
        assert_eq!(s.through, vec![0.0, paid1, paid1, paid2]);
        // An entry at 01:00 has paid nothing before it opens, so it pays the 01:00 settlement itself.
        assert_eq!(s.before, vec![0.0, 0.0, paid1, paid1]);
    }

    #[test]
    fn paying_six_usdt_moves_a_20x_long_liquidation_price_as_vector_f12_says() {
        // F12: 1 BTC long at 60,000, 20x, pays 6 USDT → LP 57,228.92 → 57,234.94. Here ΔS = 6 per BTC.
        let mmr: f64 = 0.004;
        let slope = -1.0 / (mmr - 1.0);
        let lp0 = 60_000.0 * (1.0 - 1.0 / 20.0) / (1.0 - mmr);
        assert!(
            (lp0 + slope * 6.0 - 57_234.94).abs() < 0.01,
            "{}",
            lp0 + slope * 6.0
        );
    }
}
