//! The likelihood of cohort counts observed at period boundaries under any
//! survival curve S(t; theta): users lost in period k churned between the
//! boundaries t_(k-1) and t_k, with probability S(t_(k-1)) - S(t_k), and
//! those still active at their cohort's last boundary t_k survived it, with
//! probability S(t_k). Boundaries are t_k = k * step: step 1 fits a model
//! in the table's own period (the beta-discrete-Weibull), step P fits a
//! per-day model to a table of P-day periods (the rescaled sBG). The
//! difference S(t_(k-1)) - S(t_k) is taken in logs, without cancellation.

use super::retention_data::Counts;
use super::special::ln_one_minus_exp;

/// A survival curve with its gradient in log parameters (at most three).
pub(crate) trait Curve {
    /// The curve at the log parameters `x`: for a time t >= 0, ln S(t) and
    /// its gradient in `x` (its first `x.len()` entries). What does not
    /// depend on t is computed once, here.
    fn at<'a>(&'a self, x: &[f64]) -> Box<dyn Fn(f64) -> (f64, [f64; 3]) + 'a>;
}

/// The log-likelihood of `c` with boundaries every `step` under `curve`,
/// and its gradient, at the log parameters `x`.
pub(crate) fn log_likelihood(curve: &dyn Curve, c: &Counts, step: f64, x: &[f64]) -> (f64, Vec<f64>) {
    let n = x.len();
    let at = curve.at(x);
    let mut ll = 0.0;
    let mut g = vec![0.0; n];
    let (mut prev, mut dprev) = (0.0, [0.0; 3]);
    for k in 0..=c.last_period() {
        let (ls, ds) = if k == 0 { (0.0, [0.0; 3]) } else { at(k as f64 * step) };
        let lost = c.lost[k];
        if k >= 1 && lost > 0.0 {
            let diff = ls - prev;
            let one_minus_r = -libm::expm1(diff);
            if diff.is_nan() || diff >= 0.0 {
                return (f64::NEG_INFINITY, g);
            }
            ll += lost * (prev + ln_one_minus_exp(diff));
            let r = libm::exp(diff);
            for i in 0..n {
                g[i] += lost * (dprev[i] - r * ds[i]) / one_minus_r;
            }
        }
        let kept = c.remaining[k];
        if kept > 0.0 {
            ll += kept * ls;
            for i in 0..n {
                g[i] += kept * ds[i];
            }
        }
        (prev, dprev) = (ls, ds);
    }
    (ll, g)
}

/// S(k step) for k = 0..=n under `curve` at `x`.
pub(crate) fn survival(curve: &dyn Curve, x: &[f64], step: f64, n: usize) -> Vec<f64> {
    let at = curve.at(x);
    (0..=n)
        .map(|k| if k == 0 { 1.0 } else { libm::exp(at(k as f64 * step).0) })
        .collect()
}
