//! From a table of P-day periods to gatesim's daily churn parameters.
//!
//! An sBG fitted per period is exact only at its own period: if each
//! user's churn probability per period is Beta-distributed, the per-day
//! probability 1 - (1 - theta)^(1/P) is not, so no daily sBG reproduces it
//! exactly. gatesim steps daily, so its `churn_alpha` and `churn_beta` are
//! estimated by fitting the daily sBG to the same counts by maximum
//! likelihood, each period's losses churning on one of its P days: the
//! boundary likelihood with boundaries every P days, S_day(t) = B(alpha,
//! beta + t) / B(alpha, beta) at t = P, 2P, ... This is exact when users
//! do churn daily as the sBG says, gives standard errors, and its error
//! against the per-period fit is measured and reported: the largest gap
//! between the two survival curves at the period ends over the data and
//! the projection. The shortcut that keeps alpha and multiplies beta by P
//! (right only for users who rarely churn) is used as a start.

use super::Param;
use super::boundary::{self, Curve};
use super::optimise::{Objective, minimise};
use super::retention_data::Counts;
use serde::Serialize;

/// The daily sBG, parameters (ln alpha, ln beta).
struct DailySbg;

impl Curve for DailySbg {
    fn at<'a>(&'a self, x: &[f64]) -> Box<dyn Fn(f64) -> (f64, [f64; 3]) + 'a> {
        let shape = super::bdw::Shape::new(libm::exp(x[0]), libm::exp(x[1]), 1.0);
        Box::new(move |t| {
            let (ls, g) = shape.ln_survival(t);
            (ls, [g[0], g[1], 0.0])
        })
    }
}

/// The per-day parameters derived from a table of longer periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailyParams {
    /// Days in the table's period.
    pub days_per_period: u32,
    /// `churn_alpha` and `churn_beta` per day, with standard errors.
    pub parameters: Vec<Param>,
    /// The daily model's log-likelihood on the table.
    pub log_likelihood: f64,
    /// The largest gap between the daily model's survival at the period
    /// ends and the per-period fit's, up to `compared_periods`.
    pub max_gap: f64,
    /// The periods compared (data and projection).
    pub compared_periods: usize,
    /// Survival of the daily model at each period end, 0..=compared_periods.
    pub survival: Vec<f64>,
}

/// Fits the daily sBG to `counts` of `days`-day periods, given the
/// per-period fit `per_period` (alpha, beta) and its survival curve
/// `per_period_survival` over the periods to compare.
pub(crate) fn per_day(
    counts: &Counts,
    days: u32,
    per_period: (f64, f64),
    per_period_survival: &[f64],
) -> Option<DailyParams> {
    let step = f64::from(days);
    let f = |x: &[f64]| -boundary::log_likelihood(&DailySbg, counts, step, x).0;
    let g = |x: &[f64]| {
        boundary::log_likelihood(&DailySbg, counts, step, x)
            .1
            .iter()
            .map(|v| -v)
            .collect::<Vec<f64>>()
    };
    let bound = super::sbg::BOUND;
    let obj = Objective {
        f: &f,
        grad: Some(&g),
        bounds: vec![(-bound, bound); 2],
    };
    let (a, b) = per_period;
    let starts: Vec<Vec<f64>> = [1.0, 0.7, 1.4]
        .iter()
        .map(|k| vec![libm::log(a), libm::log(b * step * k)])
        .collect();
    let m = minimise(&obj, &starts)?;
    let n = per_period_survival.len().saturating_sub(1);
    let survival = boundary::survival(&DailySbg, &m.x, step, n);
    let max_gap = survival
        .iter()
        .zip(per_period_survival)
        .map(|(d, p)| (d - p).abs())
        .fold(0.0, f64::max);
    Some(DailyParams {
        days_per_period: days,
        parameters: m.params(&["churn_alpha", "churn_beta"]),
        log_likelihood: -m.value,
        max_gap,
        compared_periods: n,
        survival,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_curve_has_the_daily_sbg_survival_at_every_period_end() {
        let x = [libm::log(0.7), libm::log(400.0)];
        let s = boundary::survival(&DailySbg, &x, 365.0, 3);
        let direct = super::super::sbg::survival(0.7, 400.0, 3 * 365);
        for k in 0..=3 {
            assert!((s[k] - direct[365 * k]).abs() < 1e-12, "{k}");
        }
    }
}
