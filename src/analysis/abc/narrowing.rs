//! Prior against posterior: how much the data narrowed each parameter. Two
//! ratios, posterior over prior: of the standard deviations and of the 90%
//! interval widths (the posterior's 5% to 95% weighted quantiles against
//! the prior's). The width ratio decides the flag: it exists for every
//! prior (a log-normal's standard deviation is dominated by its tail) and
//! is robust to a few outlying particles. A parameter whose width ratio is
//! above a threshold (0.8 unless the caller says otherwise) is flagged as
//! not informed by the data: its posterior is nearly its prior, and its
//! "estimate" is the prior's.

use super::population::Population;
use super::prior::Prior;
use serde::Serialize;

/// The width ratio above which a parameter is not informed, unless the
/// caller chooses another.
pub(crate) const UNINFORMED_RATIO: f64 = 0.8;

/// How much the data narrowed one parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Narrowing {
    /// The parameter's name.
    pub(crate) name: String,
    /// The prior's standard deviation (`None` when it overflows).
    pub(crate) prior_sd: Option<f64>,
    /// The posterior's standard deviation.
    pub(crate) posterior_sd: Option<f64>,
    /// Posterior over prior standard deviation.
    pub(crate) sd_ratio: Option<f64>,
    /// The width of the prior's 90% interval.
    pub(crate) prior_width: Option<f64>,
    /// The width of the posterior's 90% interval.
    pub(crate) posterior_width: Option<f64>,
    /// Posterior over prior width.
    pub(crate) width_ratio: Option<f64>,
    /// Whether the data informed it (width ratio at most the threshold);
    /// `None` for a fixed parameter.
    pub(crate) informed: Option<bool>,
}

/// Each parameter's narrowing from `prior` to `posterior` (of the same
/// parameters), flagged as not informed above width ratio `threshold`.
pub(crate) fn narrowing(prior: &Prior, posterior: &Population, threshold: f64) -> Vec<Narrowing> {
    let ratio = |a: Option<f64>, b: Option<f64>| {
        let r = a? / b?;
        (r.is_finite() && b? > 0.0).then_some(r)
    };
    prior
        .parameters()
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let prior_sd = p.mean_sd().map(|(_, sd)| sd);
            let posterior_sd = posterior.sd(j);
            let (lo, hi) = p.interval(0.9);
            let prior_width = Some(hi - lo);
            let posterior_width = posterior.interval90(j).map(|(a, b)| b - a);
            let width_ratio = ratio(posterior_width, prior_width);
            let informed = if p.fixed_value().is_some() {
                None
            } else {
                width_ratio.map(|r| r <= threshold)
            };
            Narrowing {
                name: p.name().to_owned(),
                prior_sd,
                posterior_sd,
                sd_ratio: ratio(posterior_sd, prior_sd),
                prior_width,
                posterior_width,
                width_ratio,
                informed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::abc::prior::PriorParameter;
    use crate::analysis::sensitivity::distribution::Distribution;

    #[test]
    fn a_posterior_like_its_prior_is_flagged_and_a_narrow_one_is_not() {
        let prior = Prior::new(vec![
            PriorParameter::new("wide", Distribution::uniform(0.0, 10.0).unwrap()).unwrap(),
            PriorParameter::new("narrow", Distribution::uniform(0.0, 10.0).unwrap()).unwrap(),
            PriorParameter::fixed("fixed", 3.0).unwrap(),
        ])
        .unwrap();
        // 1001 equally weighted particles: "wide" spread evenly over the
        // prior, "narrow" over [4, 5].
        let n = 1001;
        let params: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let u = i as f64 / (n - 1) as f64;
                vec![10.0 * u, 4.0 + u, 3.0]
            })
            .collect();
        let names = prior.names();
        let pop = Population::new(3, names, params, vec![1.0; n], vec![None; n], vec![vec![]; n]).unwrap();
        let r = narrowing(&prior, &pop, UNINFORMED_RATIO);
        assert_eq!(r[0].informed, Some(false));
        assert!((r[0].width_ratio.unwrap() - 1.0).abs() < 0.01, "{:?}", r[0]);
        assert!((r[0].sd_ratio.unwrap() - 1.0).abs() < 0.01);
        assert_eq!(r[1].informed, Some(true));
        assert!((r[1].width_ratio.unwrap() - 0.1).abs() < 0.001, "{:?}", r[1]);
        assert_eq!(r[2].informed, None);
        assert_eq!(
            (r[2].prior_width, r[2].posterior_sd, r[2].width_ratio),
            (Some(0.0), Some(0.0), None)
        );
    }
}
