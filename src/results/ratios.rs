//! Return-based ratios from daily equity closes.
//!
//! Crypto trades every day of the year, so daily returns are annualised over 365 days (not the 252
//! trading days of equity markets): Sharpe = mean / std × √365 with a zero risk-free rate, Sortino the
//! same over the downside deviation (root mean square of the negative daily returns, over all days),
//! CAGR over the calendar span of the curve, Calmar = CAGR ÷ max drawdown.

/// Risk-adjusted figures; `None` where the figure is undefined (e.g. no variation, or under two days).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratios {
    pub cagr: Option<f64>,
    pub sharpe: Option<f64>,
    pub sortino: Option<f64>,
    pub calmar: Option<f64>,
}

const DAYS_PER_YEAR: f64 = 365.0;
const DAY_MS: f64 = 86_400_000.0;

/// Daily simple returns between consecutive daily closes; a day starting at or below zero equity
/// ends the series (returns of a ruined account mean nothing).
pub fn daily_returns(closes: &[(i64, f64)], initial: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(closes.len());
    let mut prev = initial;
    for &(_, e) in closes {
        if prev <= 0.0 {
            break;
        }
        out.push(e / prev - 1.0);
        prev = e;
    }
    out
}

/// `span_ms` is the calendar length of the run (first bar open to last bar close).
pub fn ratios(
    initial: f64,
    final_equity: f64,
    span_ms: i64,
    returns: &[f64],
    max_drawdown: f64,
) -> Ratios {
    let years = span_ms as f64 / DAY_MS / DAYS_PER_YEAR;
    let cagr = if years > 0.0 && initial > 0.0 {
        if final_equity <= 0.0 {
            Some(-1.0)
        } else {
            Some((final_equity / initial).powf(1.0 / years) - 1.0)
        }
    } else {
        None
    };
    let n = returns.len() as f64;
    let (sharpe, sortino) = if returns.len() >= 2 {
        let mean = returns.iter().sum::<f64>() / n;
        let var = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let downside = (returns.iter().map(|r| r.min(0.0).powi(2)).sum::<f64>() / n).sqrt();
        let ann = DAYS_PER_YEAR.sqrt();
        let sharpe = (var > 0.0).then(|| mean / var.sqrt() * ann);
        let sortino = (downside > 0.0).then(|| mean / downside * ann);
        (sharpe, sortino)
    } else {
        (None, None)
    };
    let calmar = match cagr {
        Some(c) if max_drawdown > 0.0 => Some(c / max_drawdown),
        _ => None,
    };
    Ratios {
        cagr,
        sharpe,
        sortino,
        calmar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_in_exactly_one_year_is_a_cagr_of_one_hundred_percent() {
        let r = ratios(100.0, 200.0, 365 * 86_400_000, &[], 0.5);
        assert!((r.cagr.unwrap() - 1.0).abs() < 1e-12);
        assert!((r.calmar.unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(r.sharpe, None);
    }

    #[test]
    fn sharpe_annualises_daily_mean_over_std_by_root_365() {
        // Returns +1% and −0.5% alternate: mean 0.25%, sample std 0.8660%.
        let rets = [0.01, -0.005, 0.01, -0.005];
        let r = ratios(1.0, 1.0, 4 * 86_400_000, &rets, 0.0);
        let mean: f64 = 0.0025;
        let std = (4.0 * 0.0075f64.powi(2) / 3.0).sqrt();
        assert!((r.sharpe.unwrap() - mean / std * 365f64.sqrt()).abs() < 1e-9);
        // Downside deviation: sqrt((2 × 0.005²) / 4).
        let dd = (2.0 * 0.005f64.powi(2) / 4.0).sqrt();
        assert!((r.sortino.unwrap() - mean / dd * 365f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn daily_returns_stop_once_equity_is_gone() {
        let closes = [(0, 110.0), (1, 0.0), (2, 5.0)];
        assert_eq!(daily_returns(&closes, 100.0).len(), 2);
    }
}
