//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC):
//! learning a model's uncertain parameters from observed aggregate series
//! (weekly active users per platform, say) when the model can be simulated
//! but its likelihood cannot be written down. Model-free: the caller
//! supplies the priors ([`Prior`]), the observed series ([`Observed`]) and
//! an evaluator, `Fn(&[Vec<f64>]) -> Result<Vec<Vec<f64>>, E>`, that
//! simulates a batch of parameter vectors and returns, for each, the
//! model's values at the observed points.
//!
//! The algorithm is ABC population Monte Carlo (Toni et al. 2009, "ABC
//! scheme for parameter inference and model selection in dynamical
//! systems"; Beaumont et al. 2009, "Adaptive approximate Bayesian
//! computation"): generation 0 samples the prior; each later generation
//! picks parents by weight, perturbs them with a multivariate normal of
//! twice the previous population's weighted covariance ([`kernel`]),
//! accepts a candidate whose distance to the data is within the
//! generation's tolerance, and weights it by prior over proposal density.
//! The tolerance is the median (or another quantile) of the previous
//! population's distances (Del Moral et al. 2012), and the distance's
//! per-series scales adapt each generation to the spread of what was just
//! simulated (Prangle 2017, "Adapting the ABC distance function"), so that
//! a series in millions does not drown one in percent ([`distance`]).
//!
//! An observation's own standard error enters the distance as a scaled
//! residual, (simulated - observed) / se. The alternative, Wilkinson's
//! (2013) Gaussian measurement model as stochastic acceptance (accept with
//! probability exp(-z^2 / 2)), targets the posterior under measurement
//! error exactly, but its acceptance rate is fixed by the data's precision
//! and no tolerance schedule can raise it, and it would sit beside the
//! adaptive distance of the other series as a second mechanism. With the
//! scaled residual, precise observations count for more, the whole
//! distance shrinks under one schedule, and as the tolerance goes to 0
//! the posterior is the one conditioned on the model matching the data
//! (for a stochastic model, its own noise widens it; measurement noise
//! beyond that is not added).
//!
//! Determinism and sharding: candidate i of generation t draws only from
//! the stream (seed, i, "calibrate/gen-{t}") given the previous
//! population, and candidates are accepted in index order, so the result
//! is the same for any batch size, thread count or split across machines.
//! One generation is exposed as pure steps ([`Generation::propose`],
//! [`Acceptor::accept`], [`Acceptor::close`]; a generation travels as
//! [`GenerationParts`], in a format that keeps every bit of a double, such
//! as postcard, since a last-bit change moves every later candidate)
//! beside the drivers [`run_generation`] and [`run`].
//! For the evaluator to be a function of its inputs, its own randomness
//! can be seeded by [`theta_seed`].
//!
//! Files: [`prior`] (densities and draws of the priors), [`observed`] (the
//! series), [`posterior_file`] (a posterior read back from its CSV), [`distance`], [`kernel`], [`tolerance`] (the schedule and its
//! stopping rule), [`population`] (weighted particles and their
//! statistics), [`smc`] (the generations and drivers), [`narrowing`]
//! (prior against posterior) and [`error`].

pub(crate) mod distance;
pub(crate) mod error;
pub(crate) mod kernel;
pub(crate) mod narrowing;
pub(crate) mod observed;
pub(crate) mod population;
pub(crate) mod posterior_file;
pub(crate) mod prior;
pub(crate) mod smc;
pub(crate) mod tolerance;

#[cfg(test)]
mod tests;

pub(crate) use error::{AbcError, RunError};
pub(crate) use narrowing::{Narrowing, UNINFORMED_RATIO, narrowing};
pub(crate) use observed::{Observed, Series};
pub(crate) use population::{ParameterSummary, Population};
pub(crate) use prior::{Prior, PriorParameter};
pub(crate) use smc::{
    Acceptor, Calibration, Evaluated, Generation, GenerationParts, GenerationStats, Next, Settings, Status, Step,
    StopReason, continue_generation, evaluate, theta_seed,
};
// The whole-run drivers, for the module's tests.
#[cfg(test)]
pub(crate) use smc::{Calibrated, Candidate, run, run_generation};
