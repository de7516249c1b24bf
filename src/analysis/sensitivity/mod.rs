//! Sensitivity and uncertainty analysis of any model with uncertain
//! parameters: how much of an answer rests on each assumption. Pure
//! statistics, no simulation: the caller declares the parameters and their
//! distributions ([`ParameterSpace`]), asks a method for its design (the
//! points to run, in parameter units), evaluates every point (one value
//! per output in each replication, the same replications everywhere) and
//! hands the [`Evaluations`] back to [`analyse`], which returns the
//! estimates in long form ([`SensitivityResult`], one [`Record`] per
//! parameter, output and index, with 95% intervals).
//!
//! Methods: [`tornado_design`] (one at a time, paired differences from the
//! base), [`morris_design`] (elementary effects: mu, mu*, sigma),
//! [`sobol_design`] (Saltelli's scheme: first-order and total indices) and
//! [`uncertainty_design`] (a Latin hypercube: the outputs' distribution;
//! [`posterior_design`]: points drawn from a calibration's posterior).
//! Designs and bootstrap resamples come from gatesim's named streams, so
//! everything is determined by the seed, whatever the number of threads.
//!
//! Files: [`distribution`] and [`space`] (the parameters), [`draws`],
//! [`sobol_points`] and [`latin_hypercube`] (points in the unit cube),
//! [`design`] (a design and its structure), [`evaluations`] (the model's
//! outputs), [`bootstrap`], the methods [`tornado`], [`morris`] (with
//! [`campolongo`]'s sampling), [`saltelli`] and [`uncertainty`], and
//! [`result`] (records); [`error`] says what can go wrong.

pub(crate) mod bootstrap;
pub(crate) mod campolongo;
pub(crate) mod design;
pub(crate) mod distribution;
pub(crate) mod draws;
pub(crate) mod error;
pub(crate) mod evaluations;
pub(crate) mod latin_hypercube;
pub(crate) mod morris;
pub(crate) mod result;
pub(crate) mod saltelli;
pub(crate) mod sobol_points;
pub(crate) mod space;
pub(crate) mod tornado;
pub(crate) mod uncertainty;

pub(crate) use bootstrap::RESAMPLES;
pub(crate) use design::{Design, Method, Sampling};
pub(crate) use distribution::Distribution;
pub(crate) use error::{SensitivityError, UndefinedOutput};
pub(crate) use evaluations::{Evaluations, Output};
pub(crate) use morris::{MorrisOptions, morris_design};
pub(crate) use result::{Index, Record, SensitivityResult};
pub(crate) use saltelli::sobol_design;
pub(crate) use space::{Parameter, ParameterSpace, ParameterSummary};
pub(crate) use tornado::tornado_design;
pub(crate) use uncertainty::{posterior_design, uncertainty_design};

/// Analyses `evaluations` of `design` with the design's method, with
/// `resamples` bootstrap resamples behind the intervals of Morris, Sobol
/// and uncertainty estimates ([`RESAMPLES`] is a sound default). Refuses
/// evaluations that do not fit the design, and any output that is NaN or
/// infinite anywhere (naming the output and the points).
pub fn analyse(
    design: &Design,
    evaluations: &Evaluations,
    resamples: usize,
) -> Result<SensitivityResult, SensitivityError> {
    evaluations.check(design)?;
    let mut distributions = Vec::new();
    let (records, resamples) = match design.method {
        Method::Tornado => (tornado::analyse(design, evaluations), 0),
        Method::Morris => (morris::analyse(design, evaluations, resamples), resamples),
        Method::Sobol => (saltelli::analyse(design, evaluations, resamples), resamples),
        Method::Uncertainty => {
            let (r, d) = uncertainty::analyse(design, evaluations, resamples);
            distributions = d;
            (r, resamples)
        }
    };
    Ok(SensitivityResult {
        method: design.method,
        design: design.describe(),
        seed: design.seed,
        parameters: design.parameters.clone(),
        outputs: evaluations.outputs().to_vec(),
        points: design.len(),
        replications: evaluations.replications(),
        samples: design.samples(),
        resamples,
        records,
        distributions,
    })
}
