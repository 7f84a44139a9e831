//! Random draws built from raw 64-bit ChaCha8 output with textbook formulas, not from a
//! distribution library, so that a seed gives the same series on every platform and with every
//! version of the `rand` crates (their sampling algorithms may change; ChaCha8's stream does not).

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// A seeded source of uniforms, normals and Student-t draws.
#[derive(Debug, Clone)]
pub(crate) struct Draw {
    rng: ChaCha8Rng,
}

impl Draw {
    /// Independent streams of one seed: 0 prices, 1 mark basis, 2 funding.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Draw { rng }
    }

    /// Uniform on the open interval (0, 1): 53 random bits, centred in their cell, so `ln` is finite.
    pub fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box–Muller, cosine branch).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Student-t with 4 degrees of freedom, scaled to unit variance: fat tails like BTC's minute
    /// returns. χ²₄ = 2(E₁ + E₂) with exponential Eᵢ = −ln Uᵢ; t = N / √(χ²₄/4); Var t₄ = 2.
    pub fn student_t4_unit(&mut self) -> f64 {
        let chi2 = -2.0 * (self.uniform().ln() + self.uniform().ln());
        let t = self.normal() / (chi2 / 4.0).sqrt();
        t / std::f64::consts::SQRT_2
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Exponential with mean 1.
    pub fn exponential(&mut self) -> f64 {
        -self.uniform().ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_stream_give_the_same_draws() {
        let (mut a, mut b) = (Draw::new(7, 0), Draw::new(7, 0));
        let xs: Vec<f64> = (0..100).map(|_| a.student_t4_unit()).collect();
        let ys: Vec<f64> = (0..100).map(|_| b.student_t4_unit()).collect();
        assert_eq!(
            xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            ys.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        assert_ne!(
            Draw::new(7, 1).uniform().to_bits(),
            Draw::new(7, 0).uniform().to_bits()
        );
    }

    #[test]
    fn unit_variance_draws_have_unit_variance() {
        let mut d = Draw::new(1, 0);
        let n = 200_000;
        let var_n = (0..n).map(|_| d.normal().powi(2)).sum::<f64>() / n as f64;
        let var_t = (0..n).map(|_| d.student_t4_unit().powi(2)).sum::<f64>() / n as f64;
        assert!((var_n - 1.0).abs() < 0.02, "normal variance {var_n}");
        // t₄ has infinite fourth moment, so its sample variance converges slowly.
        assert!((var_t - 1.0).abs() < 0.1, "t variance {var_t}");
    }
}
