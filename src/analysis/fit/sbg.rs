//! The shifted-beta-geometric model (Fader and Hardie 2007): each user
//! churns with a fixed probability theta per period, theta ~ Beta(alpha,
//! beta) across users. The probability of churning in period t and the
//! survival after t periods follow exact rational recursions,
//!
//! P(T = 1) = alpha / (alpha + beta),
//! P(T = t) = P(T = t - 1) (beta + t - 2) / (alpha + beta + t - 1),
//! S(t) = S(t - 1) (beta + t - 1) / (alpha + beta + t - 1),
//!
//! so the log-likelihood (lost users times ln P(T = t) plus the survivors
//! at each cohort's last period times ln S(t), summed over cohorts) and its
//! gradient in (ln alpha, ln beta) need no special function.

use super::optimise::{Minimum, Objective, minimise};
use super::retention_data::Counts;

/// Names of the parameters, in order.
pub(crate) const NAMES: [&str; 2] = ["alpha", "beta"];
/// Half-width of the search box in ln alpha and ln beta (e^18 is 6.6e7).
pub(crate) const BOUND: f64 = 18.0;

/// Accumulates ln P(T = t) and ln S(t) for t = 0..=n with their
/// derivatives in (ln alpha, ln beta), handing each period to `visit(t,
/// (ln P, d ln P), (ln S, d ln S))`; at t = 0, ln P is -infinity.
fn walk(a: f64, b: f64, n: usize, mut visit: impl FnMut(usize, (f64, [f64; 2]), (f64, [f64; 2]))) {
    // d/d ln a = a d/da.
    let mut lp = libm::log(a) - libm::log(a + b);
    let mut dp = [1.0 - a / (a + b), -b / (a + b)];
    let (mut ls, mut ds) = (0.0, [0.0, 0.0]);
    visit(0, (f64::NEG_INFINITY, [0.0; 2]), (ls, ds));
    for t in 1..=n {
        let tf = t as f64;
        if t >= 2 {
            let (num, den) = (b + tf - 2.0, a + b + tf - 1.0);
            lp += libm::log(num) - libm::log(den);
            dp[0] -= a / den;
            dp[1] += b / num - b / den;
        }
        let (num, den) = (b + tf - 1.0, a + b + tf - 1.0);
        ls += libm::log(num) - libm::log(den);
        ds[0] -= a / den;
        ds[1] += b / num - b / den;
        visit(t, (lp, dp), (ls, ds));
    }
}

/// The survival S(t) = B(alpha, beta + t) / B(alpha, beta) at t = 0..=n.
pub fn survival(a: f64, b: f64, n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n + 1);
    walk(a, b, n, |_, _, (ls, _)| out.push(libm::exp(ls)));
    out
}

/// The log-likelihood of `c` and its gradient at x = (ln alpha, ln beta).
pub(crate) fn log_likelihood(c: &Counts, x: &[f64]) -> (f64, [f64; 2]) {
    let (a, b) = (libm::exp(x[0]), libm::exp(x[1]));
    let mut ll = 0.0;
    let mut g = [0.0, 0.0];
    walk(a, b, c.last_period(), |t, (lp, dp), (ls, ds)| {
        let (lost, kept) = (c.lost[t], c.remaining[t]);
        if lost > 0.0 {
            ll += lost * lp;
            g[0] += lost * dp[0];
            g[1] += lost * dp[1];
        }
        if kept > 0.0 {
            ll += kept * ls;
            g[0] += kept * ds[0];
            g[1] += kept * ds[1];
        }
    });
    (ll, g)
}

/// The maximum-likelihood fit of `c`, from starts spread along the ratio
/// the first period's churn fixes (alpha / (alpha + beta)).
pub(crate) fn fit(c: &Counts) -> Option<Minimum> {
    let f = |x: &[f64]| -log_likelihood(c, x).0;
    let g = |x: &[f64]| log_likelihood(c, x).1.iter().map(|v| -v).collect::<Vec<f64>>();
    let obj = Objective {
        f: &f,
        grad: Some(&g),
        bounds: vec![(-BOUND, BOUND); 2],
    };
    let p1 = c.first_period_churn().clamp(1e-6, 1.0 - 1e-6);
    let starts: Vec<Vec<f64>> = [0.1, 0.5, 1.0, 3.0, 10.0]
        .iter()
        .map(|&a: &f64| vec![libm::log(a), libm::log(a * (1.0 - p1) / p1)])
        .collect();
    minimise(&obj, &starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::theory::ln_beta;

    #[test]
    fn the_recursions_match_the_beta_function_forms() {
        let (a, b) = (0.704, 1.182);
        let s = survival(a, b, 30);
        // P(T = t), the share of a cohort lost in period t, at t = 1..=30.
        let mut p = Vec::new();
        walk(a, b, 30, |t, (lp, _), _| {
            if t >= 1 {
                p.push(libm::exp(lp));
            }
        });
        for t in 1..=30 {
            let closed = libm::exp(ln_beta(a, b + t as f64) - ln_beta(a, b));
            assert!((s[t] - closed).abs() < 1e-13, "S({t})");
            let pmf = libm::exp(ln_beta(a + 1.0, b + t as f64 - 1.0) - ln_beta(a, b));
            assert!((p[t - 1] - pmf).abs() < 1e-13, "P({t})");
            assert!((s[t - 1] - s[t] - p[t - 1]).abs() < 1e-13);
        }
    }

    #[test]
    fn the_analytic_gradient_matches_finite_differences() {
        let c = Counts {
            lost: vec![0.0, 369.0, 163.0, 86.0, 56.0],
            remaining: vec![0.0, 0.0, 20.0, 0.0, 306.0],
        };
        let x = [libm::log(0.8), libm::log(1.5)];
        let (_, g) = log_likelihood(&c, &x);
        let h = 1e-6;
        for i in 0..2 {
            let (mut u, mut d) = (x, x);
            u[i] += h;
            d[i] -= h;
            let num = (log_likelihood(&c, &u).0 - log_likelihood(&c, &d).0) / (2.0 * h);
            assert!((g[i] - num).abs() < 1e-5 * num.abs().max(1.0), "{i}: {} vs {num}", g[i]);
        }
    }
}
