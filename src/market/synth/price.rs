//! The synthetic last-price and mark-price candles.
//!
//! Log returns follow GARCH(1,1) with unit-variance Student-t(4) shocks (volatility clusters and
//! fat tails), plus rare jumps (Laplace sizes, 60% of them down, like BTC's crashes), plus a weak
//! pull of the log price towards its start (half-life two years) so that series of tens of
//! millions of bars stay in a BTC-like range instead of drifting to 0 or infinity. The volatility
//! target is annualised; GARCH persistence is set per unit of wall-clock time, so a 1m and a 1h
//! series cluster over the same number of hours.
//!
//! Inside a bar, the high and low are drawn from the law of the maximum of a Brownian bridge from
//! open to close: P(max ≥ m) = exp(−2m(m − b)/σ²), i.e. m = (b + √(b² − 2σ² ln U)) / 2.
//! Prices are rounded to Binance's BTCUSDT tick (0.1), volumes to 0.001 BTC; rounding is monotone,
//! so high ≥ max(open, close) and low ≤ min(open, close) survive it.
//!
//! Mark candles: the mark close is the last close times exp(basis), the basis an AR(1) with a
//! 30-minute half-life and a 3 bp spread; mark wicks are 60% of the last-price wicks, because the
//! mark price is an index average that ignores most single-venue spikes (exchange-rules §1.3, §3).

use super::SynthParams;
use super::draw::Draw;

const MINUTES_PER_YEAR: f64 = 525_960.0;
const TICK: f64 = 0.1;
const MARK_TICK: f64 = 0.01;

/// Round to a decimal tick. Dividing the integer tick count by the ticks per unit (10, 100, 1000)
/// gives the double nearest the decimal, so files print `30000.1`, not `30000.100000000002`.
pub(crate) fn round_to(x: f64, tick: f64) -> f64 {
    let per_unit = (1.0 / tick).round();
    (x * per_unit).round() / per_unit
}

/// Column-wise OHLCV plus mark OHLC, all of the same length.
#[derive(Debug, Clone, Default)]
pub(crate) struct Generated {
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
    pub mark_open: Vec<f64>,
    pub mark_high: Vec<f64>,
    pub mark_low: Vec<f64>,
    pub mark_close: Vec<f64>,
}

pub(crate) fn generate(p: &SynthParams) -> Generated {
    let n = p.bars;
    let bar_minutes = p.interval.ms() as f64 / 60_000.0;
    let sigma_bar = p.annual_vol * (bar_minutes / MINUTES_PER_YEAR).sqrt();
    // Persistence 0.985 per hour (volatility half-life ≈ 46 h), converted to this bar length.
    let persistence = (1.0 - 0.015 * bar_minutes / 60.0).clamp(0.5, 0.9999);
    let alpha = (0.04 * (bar_minutes / 60.0).sqrt())
        .min(0.25)
        .min(persistence * 0.5);
    let beta = persistence - alpha;
    let omega = sigma_bar * sigma_bar * (1.0 - persistence);
    let max_var = (10.0 * sigma_bar).powi(2);
    // About one jump every three days; sizes ~1% (Laplace), slightly more often down.
    let jump_p = (bar_minutes / (3.0 * 1440.0)).min(0.5);
    let jump_scale = 0.01;
    let kappa = std::f64::consts::LN_2 / (2.0 * MINUTES_PER_YEAR / bar_minutes);
    let base_volume = 150.0 * bar_minutes;

    let mut g = Generated {
        open: Vec::with_capacity(n),
        high: Vec::with_capacity(n),
        low: Vec::with_capacity(n),
        close: Vec::with_capacity(n),
        volume: Vec::with_capacity(n),
        mark_open: Vec::with_capacity(n),
        mark_high: Vec::with_capacity(n),
        mark_low: Vec::with_capacity(n),
        mark_close: Vec::with_capacity(n),
    };
    let mut rng = Draw::new(p.seed, 0);
    let mut basis_rng = Draw::new(p.seed, 1);
    let basis_phi = 0.5f64.powf(bar_minutes / 30.0);
    let basis_sd = 3e-4 * (1.0 - basis_phi * basis_phi).sqrt();

    let x0 = p.start_price.ln();
    let (mut x, mut var, mut last_eps) = (x0, sigma_bar * sigma_bar, 0.0f64);
    let mut basis = 3e-4 * basis_rng.normal();
    let mut prev_close = round_to(p.start_price, TICK);
    let mut prev_mark_close = round_to(p.start_price * basis.exp(), MARK_TICK);
    for _ in 0..n {
        var = (omega + alpha * last_eps * last_eps + beta * var).min(max_var);
        let sigma = var.sqrt();
        let eps = sigma * rng.student_t4_unit().clamp(-15.0, 15.0);
        let jump = if rng.chance(jump_p) {
            let size = jump_scale * rng.exponential();
            if rng.chance(0.6) { -size } else { size }
        } else {
            0.0
        };
        let drift = -kappa * (x - x0);
        let open_x = x;
        x += drift + eps + jump;
        last_eps = eps + jump;

        let open = prev_close;
        let close = round_to(x.exp(), TICK).max(TICK);
        // Bridge extremes in log space, measured from the open.
        let b = x - open_x;
        let spread = sigma * sigma + jump * jump;
        let up = 0.5 * (b + (b * b - 2.0 * spread * rng.uniform().ln()).sqrt());
        let down = 0.5 * (-b + (b * b - 2.0 * spread * rng.uniform().ln()).sqrt());
        let raw_open = open_x.exp();
        let high = round_to(raw_open * up.exp(), TICK).max(open.max(close));
        let low = round_to(raw_open * (-down).exp(), TICK)
            .min(open.min(close))
            .max(TICK);
        let activity = 0.5 + 0.5 * (last_eps.abs() / sigma_bar).min(20.0);
        let volume = round_to(
            base_volume * activity * (0.6 * rng.normal() - 0.18).exp(),
            0.001,
        );

        basis = basis_phi * basis + basis_sd * basis_rng.normal();
        let mark_open = prev_mark_close;
        let mark_close = round_to(x.exp() * basis.exp(), MARK_TICK);
        let wick_up = high / open.max(close) - 1.0;
        let wick_down = 1.0 - low / open.min(close);
        let mark_high = round_to(mark_open.max(mark_close) * (1.0 + 0.6 * wick_up), MARK_TICK);
        let mark_low = round_to(
            mark_open.min(mark_close) * (1.0 - 0.6 * wick_down),
            MARK_TICK,
        )
        .max(MARK_TICK);

        g.open.push(open);
        g.high.push(high);
        g.low.push(low);
        g.close.push(close);
        g.volume.push(volume);
        g.mark_open.push(mark_open);
        g.mark_high.push(mark_high.max(mark_open.max(mark_close)));
        g.mark_low.push(mark_low.min(mark_open.min(mark_close)));
        g.mark_close.push(mark_close);
        prev_close = close;
        prev_mark_close = mark_close;
    }
    g
}
