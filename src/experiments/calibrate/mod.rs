//! A calibration of a scenario's uncertain assumptions to observed series
//! (`gatesim calibrate`): approximate Bayesian computation by sequential
//! Monte Carlo ([`crate::analysis::abc`]) with the scenario as the model.
//!
//! - [`Problem`]: the scenario (resolved, to be set at any parameter
//!   vector as `--set` would), the uncertain keys and their priors (the
//!   `[[uncertain]]` declarations or `--vary` ranges; an unbounded prior is
//!   truncated to the extremes its declaration was checked at, so every
//!   candidate is a valid scenario), the observed series and the settings.
//! - [`simulate`]: the model the ABC loop calls. A candidate is one
//!   scenario evaluated in memory ([`crate::scenario::Resolved::at`]) and
//!   run for R replications exactly as `run` runs one; only the observed
//!   days of the observed series are read from each, in parallel over the
//!   batch's candidates and replications, with no file written. The
//!   replications of parameter vector theta draw from the streams of the
//!   seed [`theta_seed`](crate::analysis::abc::theta_seed)(seed, theta), so
//!   a candidate's summaries depend on its values alone, whatever batch,
//!   thread or machine runs it. Particles do not share random numbers:
//!   common random numbers across particles would condition every
//!   simulation on one draw of the model's noise, and the posterior would
//!   be too narrow. Where an observation has a standard error, the
//!   Gaussian measurement model is simulated: a normal error of that
//!   standard deviation (from the candidate's own stream) is added to the
//!   simulated value before it is compared, so that as the tolerance
//!   shrinks the posterior becomes the one under measurement error.
//! - [`run`]: the drivers (whole, or one window of a generation's
//!   candidates for a shard, and the merge of the windows' results).
//! - [`posterior`]: what the posterior says about the series (the
//!   posterior predictive) and about an `--against` contrast (its cost
//!   given the data).
//! - [`state`]: a calibration in progress, to resume it or to shard its
//!   next generation.

pub(crate) mod library;
pub(crate) mod posterior;
pub(crate) mod result;
pub(crate) mod run;
pub(crate) mod simulate;
pub(crate) mod state;

use crate::analysis::abc::{AbcError, Calibration, Observed, Prior, PriorParameter, Series, Settings};
use crate::core::metric::Metric;
use crate::experiments::montecarlo::McError;
use crate::experiments::montecarlo::series::{Extract, Scope, series};
use crate::scenario::observed::{ObservedData, ObservedScope};
use crate::scenario::problem::ProblemList;
use crate::scenario::{Problem as ScenarioProblem, Resolved, Scenario, Uncertain};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Particles per population unless the flags say otherwise.
pub(crate) const PARTICLES: usize = 500;
/// Simulations over all generations unless the flags say otherwise.
pub(crate) const BUDGET: u64 = 20_000;
/// The most generations unless the flags say otherwise.
pub(crate) const GENERATIONS: usize = 20;

/// How a calibration runs: what the flags set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Options {
    /// Particles per population.
    pub(crate) particles: usize,
    /// Replications per candidate (its likelihood: the share within the
    /// tolerance).
    pub(crate) replications: usize,
    /// Simulations over all generations.
    pub(crate) budget: u64,
    /// The most generations, counting generation 0.
    pub(crate) generations: usize,
    /// The seed of every stream.
    pub(crate) seed: u64,
}

impl Options {
    /// The settings of the ABC loop.
    pub(crate) fn settings(&self) -> Settings {
        Settings {
            particles: self.particles,
            seed: self.seed,
            max_generations: self.generations,
            max_simulations: self.budget,
            replications: self.replications,
            ..Settings::default()
        }
    }
}

/// What to read from a replication for one observed series.
#[derive(Clone)]
pub(crate) struct Reading {
    /// How to read the series.
    extract: Extract,
    /// The platform it reads (0 for the market and the gatekeeper).
    platform: usize,
    /// The days observed.
    days: Vec<usize>,
    /// The observations' standard errors (the measurement model's).
    standard_errors: Vec<Option<f64>>,
}

impl fmt::Debug for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reading(platform {}, days {:?})", self.platform, self.days)
    }
}

/// Everything a calibration needs: checked, with the ABC calibration built.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    /// The scenario, resolved, to be set at each candidate.
    pub(crate) resolved: Resolved,
    /// The scenario at its base values (names, seed, horizon).
    pub(crate) scenario: Scenario,
    /// The uncertain keys calibrated, in the order of a parameter vector.
    pub(crate) parameters: Vec<Uncertain>,
    /// The observed series.
    pub(crate) data: ObservedData,
    /// The settings as given.
    pub(crate) options: Options,
    /// Prior, observed series and settings, for the ABC loop.
    pub(crate) calibration: Calibration,
    /// How each observed series is read from a replication.
    readings: Vec<Reading>,
}

/// Why a calibration could not run or finish.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CalibrationError {
    /// The priors, series or settings are invalid.
    #[error(transparent)]
    Setup(#[from] AbcError),
    /// The scenario is invalid at a candidate.
    #[error("{0}")]
    Point(String),
    /// A replication failed, or the run was interrupted.
    #[error(transparent)]
    Run(#[from] McError),
    /// A saved calibration (a state or partial results) does not fit.
    #[error("{0}")]
    State(String),
}

/// The prior of `parameters`: each declaration's distribution, an
/// unbounded one truncated to the extremes its declaration was checked at.
pub(crate) fn prior_of(parameters: &[Uncertain]) -> Result<Prior, AbcError> {
    Prior::new(
        parameters
            .iter()
            .map(|u| {
                let d = u.distribution.clone();
                if d.is_bounded() {
                    PriorParameter::new(u.key.clone(), d)
                } else {
                    let (lo, hi) = d.extremes();
                    PriorParameter::truncated(u.key.clone(), d, lo, hi)
                }
            })
            .collect::<Result<_, _>>()?,
    )
}

/// The observed series of `data`, as the ABC loop compares them.
pub(crate) fn observed_of(data: &ObservedData) -> Result<Observed, AbcError> {
    Observed::new(
        data.series
            .iter()
            .map(|s| Series::new(s.name(), s.values.clone()).with_standard_errors(s.standard_errors.clone()))
            .collect(),
    )
}

/// The scope a replication's series are read by.
pub(crate) fn scope_of(s: ObservedScope) -> Scope {
    match s {
        ObservedScope::Platform(p) => Scope::Platform(p),
        ObservedScope::Market => Scope::Market,
        ObservedScope::Gatekeeper => Scope::Gatekeeper,
    }
}

/// How to read daily series `metric` of `scope` from a replication of
/// `scenario`.
pub(crate) fn extractor(scenario: &Scenario, scope: Scope, metric: Metric) -> Option<Extract> {
    series(scenario.platforms.len(), scenario.users.is_some())
        .into_iter()
        .find(|s| s.scope == scope && s.metric == metric)
        .map(|s| s.extract)
}

impl Problem {
    /// The calibration of `parameters` of `scenario` (resolved as
    /// `resolved`) to `data`, with `options`.
    pub(crate) fn new(
        resolved: Resolved,
        scenario: Scenario,
        parameters: Vec<Uncertain>,
        data: ObservedData,
        options: Options,
    ) -> Result<Problem, CalibrationError> {
        let prior = prior_of(&parameters)?;
        let observed = observed_of(&data)?;
        let calibration = Calibration::new(prior, observed, options.settings())?;
        let readings = data
            .series
            .iter()
            .map(|s| {
                let scope = scope_of(s.scope);
                let extract = extractor(&scenario, scope, s.metric)
                    .ok_or_else(|| CalibrationError::State(format!("the scenario has no daily series {}", s.name())))?;
                Ok(Reading {
                    extract,
                    platform: match scope {
                        Scope::Platform(i) | Scope::Population(i) | Scope::Watched(i) => i,
                        Scope::Market | Scope::Gatekeeper => 0,
                    },
                    days: s.days.iter().map(|&d| d as usize).collect(),
                    standard_errors: s.standard_errors.clone(),
                })
            })
            .collect::<Result<_, CalibrationError>>()?;
        Ok(Problem {
            resolved,
            scenario,
            parameters,
            data,
            options,
            calibration,
            readings,
        })
    }

    /// The prior.
    pub(crate) fn prior(&self) -> &Prior {
        self.calibration.prior()
    }

    /// The scenario at parameter vector `theta`, its replications seeded
    /// from `theta` (see the module's documentation).
    pub(crate) fn scenario_at(&self, theta: &[f64]) -> Result<Scenario, CalibrationError> {
        let sets: Vec<_> = self.parameters.iter().zip(theta).map(|(u, &v)| u.set(v)).collect();
        let mut s = self
            .resolved
            .at(&sets)
            .map_err(|p| point_error(&sets.iter().map(|o| o.text.clone()).collect::<Vec<_>>(), &p))?;
        s.seed = crate::analysis::abc::theta_seed(self.options.seed, theta);
        Ok(s)
    }
}

/// The message of a candidate whose scenario is invalid.
pub(crate) fn point_error(values: &[String], problems: &[ScenarioProblem]) -> CalibrationError {
    let heading = format!("at the candidate {}, the scenario is invalid:", values.join(", "));
    CalibrationError::Point(ProblemList::headed(heading, problems).to_string())
}
