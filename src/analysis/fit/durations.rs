//! Duration distributions fitted to observed durations by maximum
//! likelihood: exponential (mean), gamma (shape, scale), log-normal
//! (median, sigma) and Weibull (shape, scale), parameterised exactly as a
//! scenario's distribution tables. A completed duration contributes its
//! density, a pending one (right-censored) its survival. Each family gets
//! its AIC (2 parameters - 2 ln L; lower is better), its Akaike weight and
//! its Kolmogorov-Smirnov distance from the empirical distribution (the
//! Kaplan-Meier estimate when some durations are censored; without
//! censoring that is the ordinary empirical CDF). Gradients are analytic
//! except for the gamma's censored part (central differences).

use super::duration_data::DurationData;
use super::optimise::{Minimum, Objective, minimise};
use super::special::{digamma, ln_gamma_pq, ln_normal_pdf, ln_normal_sf};
use super::{Param, retention::FitError};
use crate::core::theory::ln_gamma;
use rayon::prelude::*;
use serde::Serialize;

/// The unit of a log's durations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Hours.
    Hours,
    /// Days.
    Days,
}

impl Unit {
    /// Hours in one unit.
    pub fn hours(self) -> f64 {
        match self {
            Unit::Hours => 1.0,
            Unit::Days => 24.0,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::Days => "days",
        }
    }
}

/// A family of distributions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Exponential (mean).
    Exponential,
    /// Gamma (shape, scale).
    Gamma,
    /// Log-normal (median, sigma of the log).
    Lognormal,
    /// Weibull (shape, scale).
    Weibull,
}

impl Family {
    /// Every family, in the order ties are broken.
    pub const ALL: [Family; 4] = [Family::Exponential, Family::Gamma, Family::Lognormal, Family::Weibull];

    /// Its name, as a scenario's `dist`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Gamma => "gamma",
            Family::Lognormal => "lognormal",
            Family::Weibull => "weibull",
        }
    }

    /// Its parameters' names, as a scenario's keys.
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            Family::Exponential => &["mean"],
            Family::Gamma | Family::Weibull => &["shape", "scale"],
            Family::Lognormal => &["median", "sigma"],
        }
    }

    /// Whether parameter `i` scales with the unit of time (a mean, a
    /// median, a scale) rather than being a pure number (a shape, sigma).
    pub fn scales_with_time(self, i: usize) -> bool {
        match self {
            Family::Exponential => true,
            Family::Gamma | Family::Weibull => i == 1,
            Family::Lognormal => i == 0,
        }
    }

    /// The CDF at `t` given the parameters in order.
    pub fn cdf(self, p: &[f64], t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        match self {
            Family::Exponential => -libm::expm1(-t / p[0]),
            Family::Gamma => libm::exp(ln_gamma_pq(p[0], t / p[1]).0),
            Family::Lognormal => libm::exp(ln_normal_sf(-(libm::log(t) - libm::log(p[0])) / p[1])),
            Family::Weibull => -libm::expm1(-libm::pow(t / p[1], p[0])),
        }
    }
}

/// The data reduced for the likelihoods.
struct Sample {
    t: Vec<f64>,
    ln_t: Vec<f64>,
    censored: Vec<bool>,
    /// Completed durations.
    d: f64,
    /// Sums over completed durations of t, ln t and (ln t)^2.
    s_t: f64,
    s_ln: f64,
    s_ln2: f64,
    /// Sum of every duration.
    s_t_all: f64,
    any_censored: bool,
}

impl Sample {
    fn of(data: &DurationData) -> Sample {
        let ln_t: Vec<f64> = data.values.iter().map(|&t| libm::log(t)).collect();
        let mut s = Sample {
            t: data.values.clone(),
            ln_t,
            censored: data.censored.clone(),
            d: 0.0,
            s_t: 0.0,
            s_ln: 0.0,
            s_ln2: 0.0,
            s_t_all: 0.0,
            any_censored: data.censored.iter().any(|&c| c),
        };
        for i in 0..s.t.len() {
            s.s_t_all += s.t[i];
            if !s.censored[i] {
                s.d += 1.0;
                s.s_t += s.t[i];
                s.s_ln += s.ln_t[i];
                s.s_ln2 += s.ln_t[i] * s.ln_t[i];
            }
        }
        s
    }

    /// Mean and standard deviation of ln t over completed durations.
    fn log_moments(&self) -> (f64, f64) {
        let m = self.s_ln / self.d;
        (m, (self.s_ln2 / self.d - m * m).max(1e-6).sqrt())
    }
}

/// Log-likelihood and gradient in the log parameters `x` of `family`.
fn log_likelihood(family: Family, s: &Sample, x: &[f64]) -> (f64, Vec<f64>) {
    match family {
        Family::Exponential => {
            let m = libm::exp(x[0]);
            (-s.d * x[0] - s.s_t_all / m, vec![-s.d + s.s_t_all / m])
        }
        Family::Weibull => {
            let (k, ln_l) = (libm::exp(x[0]), x[1]);
            let (mut sz, mut szl) = (0.0, 0.0);
            for &lt in &s.ln_t {
                let z = libm::exp(k * (lt - ln_l));
                sz += z;
                szl += z * (lt - ln_l);
            }
            let ll = s.d * x[0] + (k - 1.0) * s.s_ln - s.d * k * ln_l - sz;
            (ll, vec![s.d + k * (s.s_ln - s.d * ln_l) - k * szl, k * (sz - s.d)])
        }
        Family::Lognormal => {
            let (mu, sigma) = (x[0], libm::exp(x[1]));
            let sz2 = (s.s_ln2 - 2.0 * mu * s.s_ln + s.d * mu * mu) / (sigma * sigma);
            let mut ll = -s.s_ln - s.d * x[1] + s.d * ln_normal_pdf(0.0) - 0.5 * sz2;
            let mut g = [(s.s_ln - s.d * mu) / (sigma * sigma), -s.d + sz2];
            if s.any_censored {
                for i in (0..s.t.len()).filter(|&i| s.censored[i]) {
                    let z = (s.ln_t[i] - mu) / sigma;
                    let lsf = ln_normal_sf(z);
                    let hazard = libm::exp(ln_normal_pdf(z) - lsf);
                    ll += lsf;
                    g[0] += hazard / sigma;
                    g[1] += hazard * z;
                }
            }
            (ll, g.to_vec())
        }
        Family::Gamma => {
            let (k, theta) = (libm::exp(x[0]), libm::exp(x[1]));
            let mut ll = (k - 1.0) * s.s_ln - s.s_t / theta - s.d * (ln_gamma(k) + k * x[1]);
            let g = vec![k * (s.s_ln - s.d * digamma(k) - s.d * x[1]), s.s_t / theta - s.d * k];
            if s.any_censored {
                for i in (0..s.t.len()).filter(|&i| s.censored[i]) {
                    ll += ln_gamma_pq(k, s.t[i] / theta).1;
                }
            }
            (ll, g)
        }
    }
}

/// Starting points (log parameters) from the completed durations' moments.
fn starts(family: Family, s: &Sample) -> Vec<Vec<f64>> {
    let (m_ln, sd_ln) = s.log_moments();
    let mean = s.s_t / s.d;
    let around = |a: f64, b: f64| vec![vec![a, b], vec![a - 0.7, b], vec![a + 0.7, b]];
    match family {
        Family::Exponential => vec![vec![libm::log(s.s_t_all / s.d)]],
        Family::Lognormal => vec![vec![m_ln, libm::log(sd_ln)], vec![m_ln, libm::log(2.0 * sd_ln)]],
        Family::Weibull => {
            let k = 1.2825 / sd_ln;
            around(libm::log(k), m_ln + 0.5772 / k)
        }
        Family::Gamma => {
            let var =
                s.t.iter()
                    .zip(&s.censored)
                    .filter(|p| !*p.1)
                    .map(|p| (p.0 - mean) * (p.0 - mean))
                    .sum::<f64>()
                    / s.d;
            let k = (mean * mean / var.max(1e-12 * mean * mean)).clamp(1e-3, 1e5);
            around(libm::log(k), libm::log(mean / k))
        }
    }
}

fn fit_family(family: Family, s: &Sample) -> Option<Minimum> {
    let f = |x: &[f64]| -log_likelihood(family, s, x).0;
    let g = |x: &[f64]| log_likelihood(family, s, x).1.iter().map(|v| -v).collect::<Vec<f64>>();
    let analytic = !(family == Family::Gamma && s.any_censored);
    let bounds = match family {
        Family::Exponential => vec![(-40.0, 40.0)],
        Family::Lognormal => vec![(-40.0, 40.0), (-12.0, 5.0)],
        Family::Gamma | Family::Weibull => vec![(-8.0, 12.0), (-40.0, 40.0)],
    };
    let obj = Objective {
        f: &f,
        grad: if analytic { Some(&g) } else { None },
        bounds,
    };
    minimise(&obj, &starts(family, s))
}

/// One family fitted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FamilyFit {
    /// The family.
    pub family: Family,
    /// Its parameters, in the file's unit, with standard errors.
    pub parameters: Vec<Param>,
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Akaike's information criterion, 2 k - 2 ln L.
    pub aic: f64,
    /// AIC minus the best AIC.
    pub delta_aic: f64,
    /// Akaike weight: exp(-delta / 2), normalised over the families.
    pub akaike_weight: f64,
    /// Largest gap between the fitted and the empirical CDF.
    pub ks_distance: f64,
    /// Whether an estimate ran to the edge of the search box or the
    /// likelihood is flat at the optimum (then there are no standard errors).
    pub at_bound: bool,
}

impl FamilyFit {
    /// The estimates, in order.
    pub fn estimates(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.estimate).collect()
    }

    /// The fitted CDF at `t` (in the file's unit).
    pub fn cdf(&self, t: f64) -> f64 {
        self.family.cdf(&self.estimates(), t)
    }
}

/// Everything fitted to one duration log.
#[derive(Clone, Debug, PartialEq)]
pub struct DurationsFit {
    /// The unit of the durations.
    pub unit: Unit,
    /// The column read.
    pub column: String,
    /// The pending column, if any.
    pub censored_column: Option<String>,
    /// Durations read.
    pub n: usize,
    /// Of which pending (right-censored).
    pub censored: usize,
    /// The families, best (lowest AIC) first.
    pub families: Vec<FamilyFit>,
    /// The empirical CDF (Kaplan-Meier with censoring) as its jumps:
    /// `(t, F(t))`, t increasing.
    pub empirical: Vec<(f64, f64)>,
    /// Shortest and longest duration.
    pub range: (f64, f64),
}

/// The Kaplan-Meier estimate of the CDF at each completed duration
/// (censored durations leave the risk set after the completions at the
/// same time); without censoring, the empirical CDF.
pub(crate) fn kaplan_meier(values: &[f64], censored: &[bool]) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(censored[a].cmp(&censored[b])));
    let mut at_risk = values.len() as f64;
    let mut surv = 1.0;
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let t = values[order[i]];
        let (mut done, mut left) = (0.0, 0.0);
        while i < order.len() && values[order[i]] == t {
            if censored[order[i]] {
                left += 1.0;
            } else {
                done += 1.0;
            }
            i += 1;
        }
        if done > 0.0 {
            surv *= 1.0 - done / at_risk;
            out.push((t, 1.0 - surv));
        }
        at_risk -= done + left;
    }
    out
}

/// The Kolmogorov-Smirnov distance between `cdf` and the empirical steps:
/// the largest gap just before and at each jump.
pub(crate) fn ks_distance(empirical: &[(f64, f64)], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut before = 0.0;
    let mut d: f64 = 0.0;
    for &(t, f) in empirical {
        let c = cdf(t);
        d = d.max((c - before).abs()).max((c - f).abs());
        before = f;
    }
    d
}

/// Fits every family to `data` (in `unit`) and ranks them by AIC.
pub fn fit_durations(data: &DurationData, unit: Unit) -> Result<DurationsFit, FitError> {
    let s = Sample::of(data);
    let empirical = kaplan_meier(&data.values, &data.censored);
    // The families are fitted side by side (each alone: the same figures
    // on any number of threads).
    let mut families: Vec<FamilyFit> = Family::ALL
        .par_iter()
        .filter_map(|&family| {
            let m = fit_family(family, &s)?;
            // For the log-normal the first log parameter is mu = ln(median).
            let parameters = m.params(family.param_names());
            let ll = -m.value;
            let k = parameters.len() as f64;
            let est: Vec<f64> = parameters.iter().map(|p| p.estimate).collect();
            Some(FamilyFit {
                family,
                ks_distance: ks_distance(&empirical, |t| family.cdf(&est, t)),
                parameters,
                log_likelihood: ll,
                aic: 2.0 * k - 2.0 * ll,
                delta_aic: 0.0,
                akaike_weight: 0.0,
                at_bound: m.at_bound || m.covariance.is_none(),
            })
        })
        .collect();
    if families.is_empty() {
        return Err(FitError::Durations);
    }
    families.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    let best = families[0].aic;
    let total: f64 = families.iter().map(|f| libm::exp(-0.5 * (f.aic - best))).sum();
    for f in &mut families {
        f.delta_aic = f.aic - best;
        f.akaike_weight = libm::exp(-0.5 * f.delta_aic) / total;
    }
    let lo = data.values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = data.values.iter().copied().fold(0.0, f64::max);
    Ok(DurationsFit {
        unit,
        column: data.column.clone(),
        censored_column: data.censored_column.clone(),
        n: data.values.len(),
        censored: data.censored_count(),
        families,
        empirical,
        range: (lo, hi),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(values: &[f64], censored: &[bool]) -> Sample {
        Sample::of(&DurationData {
            column: "t".into(),
            censored_column: None,
            values: values.to_vec(),
            censored: censored.to_vec(),
        })
    }

    #[test]
    fn analytic_gradients_match_finite_differences_with_and_without_censoring() {
        let v = [0.5, 1.2, 3.0, 4.4, 7.0, 9.5, 15.0, 2.2];
        for cens in [[false; 8], [false, true, false, false, true, false, true, false]] {
            let s = sample(&v, &cens);
            for family in Family::ALL {
                let x: Vec<f64> = if family == Family::Exponential {
                    vec![1.1]
                } else {
                    vec![0.3, 1.2]
                };
                let (_, g) = log_likelihood(family, &s, &x);
                if family == Family::Gamma && s.any_censored {
                    continue;
                }
                for i in 0..x.len() {
                    let h = 1e-6;
                    let (mut u, mut d) = (x.clone(), x.clone());
                    u[i] += h;
                    d[i] -= h;
                    let num = (log_likelihood(family, &s, &u).0 - log_likelihood(family, &s, &d).0) / (2.0 * h);
                    assert!(
                        (g[i] - num).abs() < 1e-5 * num.abs().max(1.0),
                        "{family:?} {i}: {} vs {num}",
                        g[i]
                    );
                }
            }
        }
    }

    #[test]
    fn kaplan_meier_is_the_empirical_cdf_without_censoring_and_steps_over_pending_rows() {
        let km = kaplan_meier(&[3.0, 1.0, 2.0, 2.0], &[false; 4]);
        assert_eq!(km, vec![(1.0, 0.25), (2.0, 0.75), (3.0, 1.0)]);
        // 4 at risk: one done at 1 (S = 3/4), one pending at 2, one done at 3 of 2 at risk (S = 3/8).
        let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[false, true, false, true]);
        assert_eq!(km, vec![(1.0, 0.25), (3.0, 1.0 - 0.375)]);
        let d = ks_distance(&[(1.0, 0.5), (2.0, 1.0)], |t| if t < 1.5 { 0.2 } else { 0.9 });
        // The gap at t = 2 from the step before it: 0.9 - 0.5.
        assert!((d - 0.4).abs() < 1e-15);
    }

    #[test]
    fn the_densities_integrate_to_their_cdfs() {
        // Each family's CDF at the median-ish point against a numerical integral of its density.
        let p_of = |f: Family| {
            if f == Family::Exponential {
                vec![2.0]
            } else {
                vec![1.7, 2.5]
            }
        };
        for family in Family::ALL {
            let p = p_of(family);
            let x: Vec<f64> = p.iter().map(|v| libm::log(*v)).collect();
            let density = |t: f64| libm::exp(log_likelihood(family, &sample(&[t; 1], &[false]), &x).0);
            let (n, upto) = (20_000, 3.0);
            let h = upto / n as f64;
            let integral: f64 = (0..n).map(|i| density((i as f64 + 0.5) * h) * h).sum();
            assert!(
                (integral - family.cdf(&p, upto)).abs() < 2e-4,
                "{family:?}: {integral} vs {}",
                family.cdf(&p, upto)
            );
        }
    }
}
