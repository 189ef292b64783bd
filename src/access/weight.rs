//! Weight functions of travel cost, as in PySAL access's `weights` module.

/// A weight function of travel cost, as in access's `weights` module.
#[derive(Debug, Clone, PartialEq)]
pub enum Weight {
    /// f(c) = 1.
    Flat,
    /// f(c) = (max(c, min) / scale)^alpha. alpha is not negated for you: use a negative alpha
    /// for decay.
    Gravity {
        /// Scale the cost is divided by.
        scale: f64,
        /// Power.
        alpha: f64,
        /// Costs below this count as this (avoids an infinite weight at zero cost).
        min: f64,
    },
    /// f(c) = w_k for the first threshold t_k (ascending) with c ≤ t_k; 0 beyond the last.
    Step(Vec<(f64, f64)>),
    /// f(c) = exp(−c² / 2σ²), not normalised.
    Gaussian {
        /// σ.
        sigma: f64,
    },
}

impl Weight {
    /// The weight of a cost.
    pub fn of(&self, c: f64) -> f64 {
        match self {
            Weight::Flat => 1.0,
            Weight::Gravity { scale, alpha, min } => (c.max(*min) / scale).powf(*alpha),
            Weight::Step(steps) => steps
                .iter()
                .find(|(t, _)| c <= *t)
                .map(|&(_, w)| w)
                .unwrap_or(0.0),
            Weight::Gaussian { sigma } => (-(c * c) / (2.0 * sigma * sigma)).exp(),
        }
    }

    /// Luo & Qi's (2009) E2SFCA steps, access's default: {10: 1, 20: 0.68, 30: 0.22}.
    pub fn e2sfca_default() -> Weight {
        Weight::Step(vec![(10.0, 1.0), (20.0, 0.68), (30.0, 0.22)])
    }

    /// access's default 3SFCA steps: {10: 0.962, 20: 0.704, 30: 0.377, 60: 0.042}.
    pub fn three_stage_default() -> Weight {
        Weight::Step(vec![
            (10.0, 0.962),
            (20.0, 0.704),
            (30.0, 0.377),
            (60.0, 0.042),
        ])
    }
}
