//! The model the ABC loop calls: a batch of parameter vectors in, for
//! each its R replications' values at the observed points out (series
//! after series, replication after replication). Each replication is one
//! scenario run exactly as `run` runs it, in memory; only the observed days
//! of the observed series are read from it. The batch's candidates and
//! replications run in parallel (rayon, on the caller's pool) and come back
//! in order; every one draws from its own streams, so the values do not
//! depend on the batch, the thread or the machine.

use super::{CalibrationError, Problem};
use crate::core::rng::stream;
use crate::core::sample::normal;
use crate::experiments::montecarlo::McError;
use crate::scenario::Scenario;
use crate::world::{Replication, run_replication};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// The stream of the measurement errors added to replication `r` of a
/// scenario seeded with `seed`.
const MEASUREMENT: &str = "calibrate/measurement";

impl Problem {
    /// The values at the observed points of `rep` (replication `r` of
    /// scenario `s`), the measurement model's errors added where an
    /// observation has a standard error; `buffer` holds one series' days.
    fn read(&self, s: &Scenario, rep: &Replication, r: u64, buffer: &mut Vec<f64>) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.calibration.observed().points());
        let mut noise = None;
        buffer.clear();
        buffer.resize(s.horizon_days as usize + 1, f64::NAN);
        for reading in &self.readings {
            buffer.fill(f64::NAN);
            (reading.extract)(rep, reading.platform, buffer, 1);
            for (&d, se) in reading.days.iter().zip(&reading.standard_errors) {
                let x = buffer.get(d).copied().unwrap_or(f64::NAN);
                let x = match se {
                    Some(se) => {
                        let rng = noise.get_or_insert_with(|| stream(s.seed, r, MEASUREMENT));
                        x + se * normal(rng)
                    }
                    None => x,
                };
                out.push(x);
            }
        }
        out
    }

    /// Replication `r` at parameter vector `theta`: the values at the
    /// observed points.
    fn replicate(&self, s: &Scenario, r: u64) -> Result<Vec<f64>, McError> {
        let rep = run_replication(s, r, false).map_err(|source| McError::Replication { replication: r, source })?;
        let mut buffer = Vec::new();
        Ok(self.read(s, &rep, r, &mut buffer))
    }

    /// Simulates every parameter vector of `thetas`, R replications each,
    /// in parallel: for each, the R replications' values at the observed
    /// points, one after the other. `done` is called after each
    /// replication; raising `stop` interrupts.
    pub(crate) fn simulate(
        &self,
        thetas: &[Vec<f64>],
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<Vec<f64>>, CalibrationError> {
        let reps = self.options.replications;
        let scenarios: Vec<Scenario> = thetas
            .par_iter()
            .map(|t| self.scenario_at(t))
            .collect::<Result<_, _>>()?;
        let values: Vec<Vec<f64>> = (0..thetas.len() * reps)
            .into_par_iter()
            .map(|k| {
                if stop.load(Ordering::Relaxed) {
                    return Err(McError::Interrupted);
                }
                let v = self.replicate(&scenarios[k / reps], (k % reps) as u64)?;
                done();
                Ok(v)
            })
            .collect::<Result<_, McError>>()?;
        Ok(values.chunks(reps.max(1)).map(|c| c.concat()).collect())
    }

    /// Replication `r` of the scenario at `theta`, whole (for the
    /// posterior's predictions and contrasts).
    pub(crate) fn replication_at(&self, s: &Scenario, r: u64) -> Result<Replication, McError> {
        run_replication(s, r, false).map_err(|source| McError::Replication { replication: r, source })
    }
}
