//! A calibration called from Rust rather than from the command line (the
//! simulation-based calibration example, the bench): the same calibration
//! as `gatesim calibrate` runs, on a loaded scenario, its uncertain keys and
//! the text of an observed data file, giving back the posterior's particles
//! and weights. No file is read or written.

use super::state::Progress;
use super::{Options, Problem};
use crate::experiments::montecarlo::thread_pool;
use crate::scenario::observed::parse_observed;
use crate::scenario::{Loaded, Resolved, Uncertain};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// How a calibration runs.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationOptions {
    /// Particles per population.
    pub particles: usize,
    /// Replications per candidate.
    pub replications: usize,
    /// The most simulations.
    pub budget: u64,
    /// The most generations, counting generation 0.
    pub generations: usize,
    /// The seed of every stream.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
}

/// A calibration's posterior.
#[derive(Clone, Debug, PartialEq)]
pub struct PosteriorSample {
    /// The parameters' names (key paths), in the order of each particle.
    pub names: Vec<String>,
    /// The particles' values.
    pub particles: Vec<Vec<f64>>,
    /// Their weights, summing to 1.
    pub weights: Vec<f64>,
    /// The simulations counted against the budget.
    pub simulations: u64,
    /// The generations run.
    pub generations: usize,
    /// Why it stopped.
    pub stopped: String,
}

/// Calibrates `parameters` of `loaded` to the observed series in `data`
/// (the text of a data file named `file` in messages) with `options`.
pub fn calibrate(
    loaded: &Loaded,
    parameters: &[Uncertain],
    file: &Path,
    data: &str,
    options: &CalibrationOptions,
) -> Result<PosteriorSample, String> {
    let observed = parse_observed(data, file, &loaded.scenario).map_err(|e| e.to_string())?;
    let opts = Options {
        particles: options.particles,
        replications: options.replications,
        budget: options.budget,
        generations: options.generations,
        seed: options.seed,
    };
    let problem = Problem::new(
        Resolved::of(&loaded.raw),
        loaded.scenario.clone(),
        parameters.to_vec(),
        observed,
        opts,
    )
    .map_err(|e| e.to_string())?;
    let pool = thread_pool(options.threads).map_err(|e| e.to_string())?;
    let start: Progress = problem.start();
    let outcome = problem
        .run(start, &pool, &AtomicBool::new(false), &|| {})
        .map_err(|e| e.to_string())?;
    let post = outcome
        .posterior
        .as_ref()
        .ok_or_else(|| "no generation completed".to_string())?;
    Ok(PosteriorSample {
        names: post.names().to_vec(),
        particles: post.parameters().to_vec(),
        weights: post.weights().to_vec(),
        simulations: outcome.simulations(),
        generations: outcome.history.len(),
        stopped: outcome.stop.map_or("in progress", |s| s.describe()).to_string(),
    })
}
