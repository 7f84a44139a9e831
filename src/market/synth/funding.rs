//! The synthetic funding series: one settlement every 8 hours at 00:00, 08:00 and 16:00 UTC
//! (Binance's BTCUSDT schedule, exchange-rules §2.1), within the candles' span.
//!
//! The rate is an AR(1) around 0.01% per period (the interest term I, exchange-rules §2.2), pushed by the
//! last 8 hours' price move (a rally makes longs pay more, as the premium index does), with
//! occasional spikes, and clamped to ±0.3% — BTCUSDT's cap (exchange-rules §2.2; the real funding
//! file's minimum and maximum sit exactly there). The mark price of a settlement
//! is the mark open of the bar it falls in, as in the real funding file.

use super::SynthParams;
use super::draw::Draw;
use super::price::{Generated, round_to};

const PERIOD_MS: i64 = 8 * 3_600_000;
const MEAN_RATE: f64 = 0.0001;
const CAP: f64 = 0.003;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Funding {
    pub time: Vec<i64>,
    pub rate: Vec<f64>,
    pub mark: Vec<f64>,
}

pub(crate) fn generate(p: &SynthParams, g: &Generated) -> Funding {
    let mut out = Funding::default();
    let n = g.close.len();
    if n == 0 {
        return out;
    }
    let start = p.start.0;
    let step = p.interval.ms();
    let end = start + n as i64 * step; // exclusive: the last bar closes here
    let mut rng = Draw::new(p.seed, 2);
    // First settlement at or after the first bar's open.
    let mut t = start + (PERIOD_MS - start.rem_euclid(PERIOD_MS)) % PERIOD_MS;
    let mut rate = MEAN_RATE;
    let mut last_close = g.open[0];
    while t < end {
        let bar = ((t - start) / step) as usize;
        let price_now = g.open[bar];
        let move_8h = (price_now / last_close).ln();
        last_close = price_now;
        rate = MEAN_RATE + 0.7 * (rate - MEAN_RATE) + 0.003 * move_8h + 4e-5 * rng.normal();
        if rng.chance(0.03) {
            let size = 3e-4 + 1.7e-3 * rng.uniform();
            rate += if rng.chance(0.65) { size } else { -size };
        }
        out.time.push(t);
        out.rate.push(round_to(rate.clamp(-CAP, CAP), 1e-8));
        out.mark.push(g.mark_open[bar]);
        t += PERIOD_MS;
    }
    out
}
