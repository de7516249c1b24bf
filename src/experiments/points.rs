//! The model function of a scenario: its headline outputs at points the
//! caller chooses (values of named keys: the scenario's `[[uncertain]]`
//! entries, or keys given as `--vary` gives them), for the analysis tools
//! of other languages (SALib, the EMA Workbench, pyABC through the Python
//! package). Every point is loaded exactly as `--set` of its values would
//! load it (whole-number keys rounded), run for replications `0..n` with
//! the same replication indices at every point (common random numbers, as
//! `gatesim sensitivity` runs its designs), in parallel over points x
//! replications, and each output is the mean over the replications (NaN
//! where undefined in some replication). Results are the same for any
//! number of threads and any batching of the points.

use super::montecarlo::{McError, thread_pool};
use super::probe::{Probe, select};
use crate::analysis::sensitivity::Output;
use crate::scenario::uncertain::from_vary;
use crate::scenario::{Loaded, Problem, Resolved, Scenario, Uncertain};
use crate::world::run_replication;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Points loaded at a time: bounds the memory held.
const CHUNK: usize = 256;

/// Why a model cannot be built or evaluated.
#[derive(Debug)]
pub enum ModelError {
    /// A key or a point is invalid in the scenario: the problems, with key paths.
    Scenario(Vec<Problem>),
    /// Bad usage (an unknown metric, a point of the wrong length, ...).
    Usage(String),
    /// The runs failed or were interrupted.
    Run(McError),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::Scenario(p) => {
                let lines: Vec<String> = p
                    .iter()
                    .map(|p| {
                        if p.path.is_empty() {
                            p.message.clone()
                        } else {
                            format!("{}: {}", p.path, p.message)
                        }
                    })
                    .collect();
                f.write_str(&lines.join("\n"))
            }
            ModelError::Usage(m) => f.write_str(m),
            ModelError::Run(e) => write!(f, "{e}"),
        }
    }
}

/// A scenario as a function from values of its keys to its headline outputs.
pub struct PointModel {
    /// The scenario, resolved, ready to take values.
    resolved: Resolved,
    /// The keys a point sets, in order.
    parameters: Vec<Uncertain>,
    /// What is read from each replication.
    probes: Vec<Probe>,
    /// The outputs, named.
    outputs: Vec<Output>,
    /// Replications per point.
    replications: u64,
    /// The worker threads, kept between calls.
    pool: rayon::ThreadPool,
}

impl std::fmt::Debug for PointModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointModel")
            .field("parameters", &self.parameters.len())
            .field("outputs", &self.outputs.len())
            .field("replications", &self.replications)
            .finish()
    }
}

impl PointModel {
    /// The model of `loaded` over `vary` (`KEY=LOW:HIGH` or `KEY=DIST:A:B`,
    /// as `--vary`; the scenario's `[[uncertain]]` entries when empty),
    /// reading the headline metrics `metrics` (as `--metric`; every
    /// platform's user metrics when empty), `replications` per point on
    /// `threads` threads.
    pub fn new(
        loaded: &Loaded,
        vary: &[String],
        metrics: &[String],
        replications: u64,
        threads: usize,
    ) -> Result<PointModel, ModelError> {
        let parameters = if vary.is_empty() {
            loaded.uncertain.clone()
        } else {
            from_vary(&loaded.raw, vary).map_err(ModelError::Scenario)?
        };
        if parameters.is_empty() {
            return Err(ModelError::Usage(
                "the scenario declares no [[uncertain]] keys: name the keys to vary".into(),
            ));
        }
        if replications == 0 {
            return Err(ModelError::Usage("replications must be at least 1".into()));
        }
        let s = &loaded.scenario;
        let probes = select(s, metrics).map_err(ModelError::Usage)?;
        let outputs = probes.iter().map(|p| p.output(s)).collect();
        Ok(PointModel {
            resolved: Resolved::of(&loaded.raw),
            parameters,
            probes,
            outputs,
            replications,
            pool: thread_pool(threads).map_err(ModelError::Run)?,
        })
    }

    /// The keys a point sets, in order, with their declared distributions.
    pub fn parameters(&self) -> &[Uncertain] {
        &self.parameters
    }

    /// The outputs, in the order of a point's values.
    pub fn outputs(&self) -> &[Output] {
        &self.outputs
    }

    /// The worker threads the points run on (a caller may start an
    /// evaluation there and wait for it).
    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    /// Replications per point.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// The scenario at `x` (one value per parameter).
    fn at(&self, i: usize, x: &[f64]) -> Result<Scenario, ModelError> {
        if x.len() != self.parameters.len() {
            return Err(ModelError::Usage(format!(
                "point {i} has {} values for {} keys",
                x.len(),
                self.parameters.len()
            )));
        }
        let sets: Vec<_> = self.parameters.iter().zip(x).map(|(u, &v)| u.set(v)).collect();
        self.resolved.at(&sets).map_err(|problems| {
            let values: Vec<String> = sets.iter().map(|o| o.text.clone()).collect();
            ModelError::Scenario(
                problems
                    .into_iter()
                    .map(|p| Problem {
                        message: format!("at point {i} ({}): {}", values.join(", "), p.message),
                        ..p
                    })
                    .collect(),
            )
        })
    }

    /// The outputs at every point of `points` (values of the keys, or with
    /// `unit` their quantiles in (0, 1) under the declared distributions):
    /// `out[i][o]`, output `o`'s mean over the replications at point `i`.
    /// Raising `stop` interrupts.
    pub fn evaluate(&self, points: &[Vec<f64>], unit: bool, stop: &AtomicBool) -> Result<Vec<Vec<f64>>, ModelError> {
        let reps = self.replications as usize;
        let m = self.probes.len();
        let natural = |x: &Vec<f64>| -> Vec<f64> {
            if unit {
                x.iter()
                    .zip(&self.parameters)
                    .map(|(&u, p)| p.distribution.quantile(u))
                    .collect()
            } else {
                x.clone()
            }
        };
        if unit && let Some(i) = points.iter().position(|x| x.iter().any(|u| !(0.0..=1.0).contains(u))) {
            return Err(ModelError::Usage(format!(
                "point {i}: a quantile must be between 0 and 1"
            )));
        }
        let read = |s: &Scenario, r: u64| -> Result<Vec<f64>, McError> {
            if stop.load(Ordering::Relaxed) {
                return Err(McError::Interrupted);
            }
            let rep = run_replication(s, r, false).map_err(|source| McError::Replication { replication: r, source })?;
            let warmup = u64::from(s.warmup_days);
            Ok(self
                .probes
                .iter()
                .map(|p| p.read(&rep, warmup).unwrap_or(f64::NAN))
                .collect())
        };
        if let ([x], 1) = (points, reps) {
            // One replication runs on the calling thread: handing it to a
            // worker would cost more than the work saves.
            let s = self.at(0, &natural(x))?;
            return Ok(vec![read(&s, 0).map_err(ModelError::Run)?]);
        }
        let mut out = Vec::with_capacity(points.len());
        for start in (0..points.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(points.len());
            let chunk: Vec<Scenario> = self.pool.install(|| {
                (start..end)
                    .into_par_iter()
                    .map(|i| self.at(i, &natural(&points[i])))
                    .collect::<Result<_, _>>()
            })?;
            let flat: Vec<Vec<f64>> = self
                .pool
                .install(|| {
                    (0..chunk.len() * reps)
                        .into_par_iter()
                        .map(|k| read(&chunk[k / reps], (k % reps) as u64))
                        .collect::<Result<_, McError>>()
                })
                .map_err(ModelError::Run)?;
            for rows in flat.chunks(reps) {
                let mut mean = vec![0.0; m];
                for row in rows {
                    for (a, v) in mean.iter_mut().zip(row) {
                        *a += v;
                    }
                }
                out.push(mean.into_iter().map(|a| a / reps as f64).collect());
            }
        }
        Ok(out)
    }
}
