//! The beta-discrete-Weibull model (Fader, Hardie, Liu, Davin and
//! Steenburgh 2018): a user with propensity theta ~ Beta(alpha, beta)
//! survives t periods with probability (1 - theta)^(t^c), so a cohort's
//! survival is S(t) = B(alpha, beta + t^c) / B(alpha, beta). With c = 1 it
//! is the sBG; c < 1 means each user's churn falls with tenure, c > 1 that
//! it rises. Fitted through the boundary likelihood, with the analytic
//! gradient (digamma differences), and tested against the sBG by the
//! likelihood ratio (one degree of freedom: c = 1 is inside the space).

use super::boundary::{self, Curve};
use super::optimise::{Minimum, Objective, minimise};
use super::retention_data::Counts;
use super::special::{chi_square_sf, digamma_rise, ln_gamma_rise};
use serde::Serialize;

/// Names of the parameters, in order.
pub(crate) const NAMES: [&str; 3] = ["alpha", "beta", "c"];

/// The curve ln S(t) = ln B(a, b + t^c) - ln B(a, b) at one (a, b, c),
/// with the terms that do not depend on t computed once.
pub(crate) struct Shape {
    a: f64,
    b: f64,
    c: f64,
    /// ln Gamma(a + b) - ln Gamma(b) and psi(a + b) - psi(b).
    ln_rise: f64,
    psi_rise: f64,
}

impl Shape {
    pub(crate) fn new(a: f64, b: f64, c: f64) -> Shape {
        Shape {
            a,
            b,
            c,
            ln_rise: ln_gamma_rise(b, a),
            psi_rise: digamma_rise(b, a),
        }
    }

    /// ln S(t) and its gradient in (ln a, ln b, ln c).
    pub(crate) fn ln_survival(&self, t: f64) -> (f64, [f64; 3]) {
        let (a, b, c) = (self.a, self.b, self.c);
        if t <= 0.0 {
            return (0.0, [0.0; 3]);
        }
        let ln_t = libm::log(t);
        let u = libm::exp(c * ln_t);
        // ln Gamma(b + u) - ln Gamma(a + b + u) - ln Gamma(b) + ln Gamma(a + b).
        let ls = self.ln_rise - ln_gamma_rise(b + u, a);
        let d_late = digamma_rise(b + u, a);
        let da = a * -digamma_rise(a + b, u);
        let db = b * (self.psi_rise - d_late);
        let dc = c * -(u * ln_t * d_late);
        (ls, [da, db, dc])
    }
}

/// The beta-discrete-Weibull curve, parameters (ln alpha, ln beta, ln c).
pub(crate) struct Bdw;

impl Curve for Bdw {
    fn at<'a>(&'a self, x: &[f64]) -> Box<dyn Fn(f64) -> (f64, [f64; 3]) + 'a> {
        let shape = Shape::new(libm::exp(x[0]), libm::exp(x[1]), libm::exp(x[2]));
        Box::new(move |t| shape.ln_survival(t))
    }
}

/// S(t) at t = 0..=n.
pub(crate) fn survival(a: f64, b: f64, c: f64, n: usize) -> Vec<f64> {
    let shape = Shape::new(a, b, c);
    (0..=n).map(|t| libm::exp(shape.ln_survival(t as f64).0)).collect()
}

/// The maximum-likelihood fit of `c`, started from the sBG fit `sbg` with
/// c = 1 and on either side of it.
pub(crate) fn fit(counts: &Counts, sbg: &[f64]) -> Option<Minimum> {
    let f = |x: &[f64]| -boundary::log_likelihood(&Bdw, counts, 1.0, x).0;
    let g = |x: &[f64]| {
        boundary::log_likelihood(&Bdw, counts, 1.0, x)
            .1
            .iter()
            .map(|v| -v)
            .collect::<Vec<f64>>()
    };
    let bound = super::sbg::BOUND;
    let obj = Objective {
        f: &f,
        grad: Some(&g),
        bounds: vec![(-bound, bound), (-bound, bound), (-4.0, 2.5)],
    };
    let starts: Vec<Vec<f64>> = [1.0f64, 0.5, 2.0]
        .iter()
        .map(|&c| vec![sbg[0], sbg[1], libm::log(c)])
        .collect();
    minimise(&obj, &starts)
}

/// The likelihood-ratio test of the BdW against the sBG it contains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LrTest {
    /// 2 (ln L_BdW - ln L_sBG), at least 0.
    pub statistic: f64,
    /// Degrees of freedom (1: the parameter c).
    pub df: u32,
    /// P(chi-square(1) > statistic).
    pub p_value: f64,
}

/// The test from the two maximised log-likelihoods.
pub(crate) fn lr_test(ll_bdw: f64, ll_sbg: f64) -> LrTest {
    let statistic = (2.0 * (ll_bdw - ll_sbg)).max(0.0);
    LrTest {
        statistic,
        df: 1,
        p_value: chi_square_sf(statistic, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_c_one_it_is_the_sbg_and_its_gradient_matches_finite_differences() {
        let (a, b) = (0.704, 1.182);
        let s = super::super::sbg::survival(a, b, 12);
        for (t, st) in s.iter().enumerate() {
            assert!((libm::exp(Shape::new(a, b, 1.0).ln_survival(t as f64).0) - st).abs() < 1e-12);
        }
        let c = Counts {
            lost: vec![0.0, 369.0, 163.0, 86.0, 56.0, 37.0],
            remaining: vec![0.0, 0.0, 0.0, 0.0, 10.0, 279.0],
        };
        for x in [[0.1f64, 0.4, -0.3], [-0.5, 3.0, 0.2]] {
            let (_, g) = boundary::log_likelihood(&Bdw, &c, 1.0, &x);
            let h = 1e-6;
            for i in 0..3 {
                let (mut u, mut d) = (x, x);
                u[i] += h;
                d[i] -= h;
                let num = (boundary::log_likelihood(&Bdw, &c, 1.0, &u).0
                    - boundary::log_likelihood(&Bdw, &c, 1.0, &d).0)
                    / (2.0 * h);
                assert!((g[i] - num).abs() < 1e-5 * num.abs().max(1.0), "{i}: {} vs {num}", g[i]);
            }
        }
    }

    #[test]
    fn the_likelihood_ratio_test_reads_the_chi_square_tail() {
        let t = lr_test(-100.0, -101.920_729_4);
        assert!((t.statistic - 3.841_458_8).abs() < 1e-6);
        assert!((t.p_value - 0.05).abs() < 1e-7);
        assert_eq!(lr_test(-100.0, -99.999_999).statistic, 0.0);
    }
}
