//! A calibration's result as the exporters, charts and report read it:
//! what was calibrated to what, each generation's figures, each
//! parameter's prior and posterior (mean, median, standard deviation, 90%
//! interval, how much the data narrowed it, whether the data informed it
//! at all), the posterior correlations, the observed series against the
//! posterior predictive, and an `--against` contrast over the posterior.

use super::posterior::{ContrastResult, SeriesFit};
use super::run::Outcome;
use super::{Options, Problem};
use crate::analysis::abc::{
    GenerationStats, Narrowing, ParameterSummary, Population, Prior, StopReason, UNINFORMED_RATIO, narrowing,
};
use crate::core::calendar::Date;

/// One calibrated parameter.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ParameterResult {
    /// The key path.
    pub(crate) name: String,
    /// Why its prior is what it is (may be empty).
    pub(crate) why: String,
    /// Whether the key takes whole numbers (values are rounded when set).
    pub(crate) whole: bool,
    /// The prior, described ("log-uniform 0.001 to 0.016").
    pub(crate) prior: String,
    /// The prior's mean.
    pub(crate) prior_mean: Option<f64>,
    /// The prior's 5th and 95th percentiles.
    pub(crate) prior_interval: (f64, f64),
    /// The posterior's weighted mean.
    pub(crate) mean: Option<f64>,
    /// The posterior's weighted median.
    pub(crate) median: Option<f64>,
    /// The posterior's weighted standard deviation.
    pub(crate) sd: Option<f64>,
    /// The posterior's 90% credible interval (5th and 95th percentiles).
    pub(crate) interval: Option<(f64, f64)>,
    /// How much the data narrowed it.
    pub(crate) narrowing: Narrowing,
}

/// A calibration's result, finished or in progress.
#[derive(Clone, Debug)]
pub(crate) struct CalibrationResult {
    /// The scenario's name.
    pub(crate) scenario: String,
    /// The scenario's description.
    pub(crate) description: String,
    /// The observed data file, as given.
    pub(crate) data_file: String,
    /// The length of the run (days).
    pub(crate) horizon_days: u32,
    /// The calendar date of day 0, when the scenario gives one.
    pub(crate) start_date: Option<Date>,
    /// The settings.
    pub(crate) options: Options,
    /// Each parameter, in order.
    pub(crate) parameters: Vec<ParameterResult>,
    /// Each generation's figures.
    pub(crate) generations: Vec<GenerationStats>,
    /// Why it stopped; `None` while it goes on (a sharded generation's
    /// merge).
    pub(crate) stop: Option<StopReason>,
    /// The simulations counted against the budget.
    pub(crate) simulations: u64,
    /// The simulations of the posterior predictive.
    pub(crate) predictive_simulations: u64,
    /// The simulations of the contrast.
    pub(crate) contrast_simulations: u64,
    /// The posterior (the last completed population).
    pub(crate) posterior: Option<Population>,
    /// The prior.
    pub(crate) prior: Prior,
    /// The posterior correlations, parameter by parameter.
    pub(crate) correlations: Vec<Vec<Option<f64>>>,
    /// Every observed series against the posterior predictive.
    pub(crate) fits: Vec<SeriesFit>,
    /// The contrast over the posterior, if asked for.
    pub(crate) contrast: Option<ContrastResult>,
}

impl CalibrationResult {
    /// The result of `problem` given `outcome`, the posterior predictive
    /// `fits` and the `contrast`.
    pub(crate) fn of(
        problem: &Problem,
        data_file: &str,
        outcome: &Outcome,
        fits: Vec<SeriesFit>,
        contrast: Option<ContrastResult>,
    ) -> CalibrationResult {
        let prior = problem.prior().clone();
        let post = outcome.posterior.as_ref();
        let narrowed = post.map(|p| narrowing(&prior, p, UNINFORMED_RATIO));
        let summaries: Option<Vec<ParameterSummary>> = post.map(Population::summary);
        let parameters = problem
            .parameters
            .iter()
            .enumerate()
            .map(|(j, u)| {
                let pp = &prior.parameters()[j];
                let summary = summaries.as_ref().and_then(|s| s.get(j));
                let n = narrowed.as_ref().map_or_else(
                    || Narrowing {
                        name: u.key.clone(),
                        prior_sd: pp.mean_sd().map(|m| m.1),
                        posterior_sd: None,
                        sd_ratio: None,
                        prior_width: Some(pp.interval(0.9).1 - pp.interval(0.9).0),
                        posterior_width: None,
                        width_ratio: None,
                        informed: None,
                    },
                    |n| n[j].clone(),
                );
                ParameterResult {
                    name: u.key.clone(),
                    why: u.why.clone(),
                    whole: u.whole,
                    prior: pp.describe().to_string(),
                    prior_mean: pp.mean_sd().map(|m| m.0),
                    prior_interval: pp.interval(0.9),
                    mean: summary.and_then(|s| s.mean),
                    median: summary.and_then(|s| s.median),
                    sd: summary.and_then(|s| s.sd),
                    interval: summary.and_then(|s| Some((s.q05?, s.q95?))),
                    narrowing: n,
                }
            })
            .collect();
        let predictive_simulations = if fits.is_empty() {
            0
        } else {
            post.map_or(0, |p| p.size() as u64)
        };
        let contrast_simulations = match (&contrast, post) {
            (Some(c), Some(p)) => 2 * c.replications * p.size() as u64,
            _ => 0,
        };
        CalibrationResult {
            scenario: problem.scenario.name.clone(),
            description: problem.scenario.description.clone(),
            data_file: data_file.to_string(),
            horizon_days: problem.scenario.horizon_days,
            start_date: problem.scenario.start_date,
            options: problem.options.clone(),
            parameters,
            generations: outcome.history.clone(),
            stop: outcome.stop,
            simulations: outcome.simulations(),
            predictive_simulations,
            contrast_simulations,
            posterior: outcome.posterior.clone(),
            prior,
            correlations: post.map(Population::correlation).unwrap_or_default(),
            fits,
            contrast,
        }
    }

    /// The weighted posterior median of every parameter (`None` before
    /// generation 0 completed).
    pub(crate) fn medians(&self) -> Option<Vec<f64>> {
        self.parameters.iter().map(|p| p.median).collect()
    }
}
