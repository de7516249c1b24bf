//! What the posterior says beyond its parameters.
//!
//! - [`Problem::predictive`]: the posterior predictive of every observed
//!   series, on every day of the run: each particle's scenario run once
//!   more, in a replication it was not accepted with (index R, after its
//!   calibration replications 0 to R - 1), so that the band is the model's
//!   spread at the posterior, not the spread of simulations selected for
//!   being near the data; per day, the weighted median and 5th and 95th
//!   percentiles across the particles.
//! - [`Problem::contrast`]: an `--against` contrast over the posterior.
//!   Every particle's scenario and the same scenario with the contrast's
//!   values run the particle's replications 0 to n - 1 under common random
//!   numbers (the same streams: those the particle was calibrated with);
//!   per particle, the mean paired difference of each output. Across the
//!   particles, weighted by the posterior: the mean, the standard
//!   deviation and the 5th, 50th and 95th percentiles (a 90% credible
//!   interval that holds both the parameters' uncertainty and Monte Carlo
//!   noise, since each particle's mean carries its own noise), and the
//!   share of the variance that is Monte Carlo noise (the weighted mean of
//!   each particle's within variance over n, over the variance across
//!   particles; the rest is the parameters').

use super::{CalibrationError, Problem};
use crate::analysis::abc::Population;
use crate::analysis::abc::population::weighted_quantile;
use crate::core::metric::Metric;
use crate::experiments::montecarlo::McError;
use crate::experiments::probe::Probe;
use crate::experiments::sensitivity::Contrast;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// One observed series against the posterior predictive.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SeriesFit {
    /// `scope.metric`.
    pub(crate) name: String,
    /// A platform's name, `market` or `gatekeeper`.
    pub(crate) scope: String,
    /// The daily series.
    pub(crate) metric: Metric,
    /// The days observed.
    pub(crate) days: Vec<u32>,
    /// The observed values.
    pub(crate) values: Vec<f64>,
    /// Their standard errors, if any.
    pub(crate) standard_errors: Vec<Option<f64>>,
    /// Every day of the run: (day, 5th percentile, median, 95th percentile)
    /// of the posterior predictive.
    pub(crate) band: Vec<(u32, f64, f64, f64)>,
}

/// One output of a contrast over the posterior.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ContrastOutput {
    /// A platform's name or `gatekeeper`.
    pub(crate) scope: String,
    /// The headline metric.
    pub(crate) metric: Metric,
    /// Weighted mean of the particles' mean differences.
    pub(crate) mean: Option<f64>,
    /// Their weighted standard deviation.
    pub(crate) sd: Option<f64>,
    /// 5th percentile.
    pub(crate) p05: Option<f64>,
    /// Median.
    pub(crate) p50: Option<f64>,
    /// 95th percentile.
    pub(crate) p95: Option<f64>,
    /// The share of the variance that is Monte Carlo noise (held at 1 at
    /// most).
    pub(crate) noise_share: Option<f64>,
    /// Particles where it is defined.
    pub(crate) particles: usize,
}

/// An `--against` contrast over the posterior.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ContrastResult {
    /// What the contrast is called.
    pub(crate) label: String,
    /// Its overrides.
    pub(crate) sets: Vec<String>,
    /// Replications per particle.
    pub(crate) replications: u64,
    /// Each output.
    pub(crate) outputs: Vec<ContrastOutput>,
}

/// Runs `f` for every index of `0..n` on `pool`, in parallel, in order;
/// raising `stop` interrupts.
fn each<T: Send>(
    pool: &rayon::ThreadPool,
    n: usize,
    stop: &AtomicBool,
    f: impl Fn(usize) -> Result<T, CalibrationError> + Sync + Send,
) -> Result<Vec<T>, CalibrationError> {
    pool.install(|| {
        (0..n)
            .into_par_iter()
            .map(|k| {
                if stop.load(Ordering::Relaxed) {
                    return Err(CalibrationError::Run(McError::Interrupted));
                }
                f(k)
            })
            .collect()
    })
}

impl Problem {
    /// The scenario at each particle of `population`.
    fn scenarios(&self, population: &Population, pool: &rayon::ThreadPool) -> Result<Vec<Scenario>, CalibrationError> {
        let thetas = population.parameters();
        pool.install(|| thetas.par_iter().map(|t| self.scenario_at(t)).collect())
    }

    /// The posterior predictive of every observed series (see the module's
    /// documentation); `done` is called after each of the population's
    /// size simulations.
    pub(crate) fn predictive(
        &self,
        population: &Population,
        pool: &rayon::ThreadPool,
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<SeriesFit>, CalibrationError> {
        let scenarios = self.scenarios(population, pool)?;
        let r = self.options.replications as u64;
        let days = self.scenario.horizon_days as usize + 1;
        // Per particle: every observed series' every day, one after the other.
        let runs: Vec<Vec<f64>> = each(pool, scenarios.len(), stop, |i| {
            let rep = self.replication_at(&scenarios[i], r)?;
            let mut out = vec![f64::NAN; days * self.readings.len()];
            for (k, reading) in self.readings.iter().enumerate() {
                (reading.extract)(&rep, reading.platform, &mut out[k * days..(k + 1) * days], 1);
            }
            done();
            Ok(out)
        })?;
        let w = population.weights();
        let fits = self
            .data
            .series
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let band = (0..days)
                    .filter_map(|d| {
                        let (xs, ws): (Vec<f64>, Vec<f64>) = runs
                            .iter()
                            .zip(w)
                            .map(|(run, &w)| (run[k * days + d], w))
                            .filter(|(x, _)| x.is_finite())
                            .unzip();
                        let q = |p| weighted_quantile(&xs, &ws, p);
                        Some((d as u32, q(0.05)?, q(0.5)?, q(0.95)?))
                    })
                    .collect();
                SeriesFit {
                    name: s.name(),
                    scope: s.scope_name.clone(),
                    metric: s.metric,
                    days: s.days.clone(),
                    values: s.values.clone(),
                    standard_errors: s.standard_errors.clone(),
                    band,
                }
            })
            .collect();
        Ok(fits)
    }

    /// `contrast` over the posterior `population` for `probes`, with
    /// `replications` per particle (see the module's documentation);
    /// `done` is called after each of the population's size x
    /// replications x 2 simulations.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn contrast(
        &self,
        population: &Population,
        contrast: &Contrast,
        probes: &[Probe],
        replications: u64,
        pool: &rayon::ThreadPool,
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<ContrastResult, CalibrationError> {
        let thetas = population.parameters();
        let n = thetas.len();
        let reps = replications.max(1) as usize;
        let warmup = u64::from(self.scenario.warmup_days);
        // Per particle, its scenario and the contrast's (same seed).
        let pairs: Vec<(Scenario, Scenario)> = each(pool, n, stop, |i| {
            let s = self.scenario_at(&thetas[i])?;
            let mut sets: Vec<_> = self.parameters.iter().zip(&thetas[i]).map(|(u, &v)| u.set(v)).collect();
            sets.extend(contrast.sets.iter().cloned());
            let mut c = self
                .resolved
                .at(&sets)
                .map_err(|p| super::point_error(&sets.iter().map(|o| o.text.clone()).collect::<Vec<_>>(), &p))?;
            c.seed = s.seed;
            Ok((s, c))
        })?;
        // Per (particle, replication): each output's difference.
        let diffs: Vec<Vec<f64>> = each(pool, n * reps, stop, |k| {
            let (s, c) = &pairs[k / reps];
            let r = (k % reps) as u64;
            let a = self.replication_at(s, r)?;
            done();
            let b = self.replication_at(c, r)?;
            done();
            Ok(probes
                .iter()
                .map(|p| match (p.read(&a, warmup), p.read(&b, warmup)) {
                    (Some(x), Some(y)) => x - y,
                    _ => f64::NAN,
                })
                .collect())
        })?;
        let w = population.weights();
        let outputs = probes
            .iter()
            .enumerate()
            .map(|(o, p)| {
                // Each particle's mean and within variance of the difference.
                let per: Vec<Option<(f64, f64)>> = (0..n)
                    .map(|i| {
                        let xs: Vec<f64> = (0..reps).map(|r| diffs[i * reps + r][o]).collect();
                        if !xs.iter().all(|x| x.is_finite()) {
                            return None;
                        }
                        let m = xs.iter().sum::<f64>() / reps as f64;
                        let v = if reps > 1 {
                            xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (reps - 1) as f64
                        } else {
                            f64::NAN
                        };
                        Some((m, v))
                    })
                    .collect();
                summarise(&per, w, reps, p, &self.scenario)
            })
            .collect();
        Ok(ContrastResult {
            label: contrast.label.clone(),
            sets: contrast.sets.iter().map(|o| o.text.clone()).collect(),
            replications: reps as u64,
            outputs,
        })
    }
}

/// The weighted statistics of the particles' (mean, within variance) of
/// one output, `None` where undefined.
fn summarise(per: &[Option<(f64, f64)>], w: &[f64], reps: usize, probe: &Probe, s: &Scenario) -> ContrastOutput {
    let (ms, vs, ws): (Vec<f64>, Vec<f64>, Vec<f64>) =
        per.iter().zip(w).filter_map(|(x, &w)| x.map(|(m, v)| (m, v, w))).fold(
            (Vec::new(), Vec::new(), Vec::new()),
            |(mut a, mut b, mut c), (m, v, w)| {
                a.push(m);
                b.push(v);
                c.push(w);
                (a, b, c)
            },
        );
    let total: f64 = ws.iter().sum();
    let defined = total > 0.0 && total.is_finite();
    let mean = defined.then(|| ms.iter().zip(&ws).map(|(m, w)| w * m).sum::<f64>() / total);
    let s2: f64 = if defined {
        ws.iter().map(|w| (w / total) * (w / total)).sum()
    } else {
        1.0
    };
    let var = mean.and_then(|mean| {
        let v = ms
            .iter()
            .zip(&ws)
            .map(|(m, w)| w / total * (m - mean) * (m - mean))
            .sum::<f64>()
            / (1.0 - s2);
        (v.is_finite() && 1.0 - s2 > 0.0).then_some(v)
    });
    let noise = (reps > 1 && defined)
        .then(|| {
            vs.iter()
                .zip(&ws)
                .map(|(v, w)| w / total * v / reps as f64)
                .sum::<f64>()
        })
        .filter(|x| x.is_finite());
    let noise_share = match (noise, var) {
        (Some(n), Some(v)) if v > 0.0 => Some((n / v).min(1.0)),
        (Some(_), Some(_)) => Some(1.0),
        _ => None,
    };
    let q = |p| if defined { weighted_quantile(&ms, &ws, p) } else { None };
    let scope = crate::experiments::montecarlo::series::Names::of(s).label(probe.scope);
    ContrastOutput {
        scope,
        metric: probe.metric,
        mean,
        sd: var.map(f64::sqrt),
        p05: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
        noise_share,
        particles: ms.len(),
    }
}
