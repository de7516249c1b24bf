//! Sweeps: one scenario run at every point of a grid of parameter values,
//! each point with the scenario's replications and common random numbers
//! across points (same seed, same replication indices), so the response to a
//! parameter is read without the noise of independent runs. A point is the
//! scenario with the point's values set in memory, run exactly as `gatesim
//! run --set` would run it. Knows nothing of files.

pub(crate) mod grid;

use crate::experiments::compare::{HeadlineDiff, headline_diffs};
use crate::experiments::montecarlo::collector::{Collector, CollectorState, ShapeMismatch};
use crate::experiments::montecarlo::{self, McError, MonteCarloResult, Plan};
use crate::scenario::overrides;
use crate::scenario::problem::Origin;
use crate::scenario::{Loaded, ScenarioError};
use std::path::Path;
use std::sync::atomic::AtomicBool;

pub(crate) use grid::{Param, grid, parse};

/// One point of a sweep.
#[derive(Clone, Debug)]
pub struct SweepPoint {
    /// The parameters' values at this point, as TOML text, in `--param` order.
    pub values: Vec<String>,
    /// The point's results.
    pub result: MonteCarloResult,
    /// Its headlines' paired differences from the reference point's
    /// (replication by replication, common random numbers), when a
    /// reference is given.
    pub differences: Vec<HeadlineDiff>,
}

/// Everything a sweep produced.
#[derive(Clone, Debug)]
pub struct SweepResult {
    /// The swept key paths, in `--param` order.
    pub keys: Vec<String>,
    /// What to call each parameter in charts (`--label`, else its key path).
    pub labels: Vec<String>,
    /// One entry per grid point, the first parameter varying slowest.
    pub points: Vec<SweepPoint>,
    /// The point the others are differenced against, if any.
    pub reference: Option<usize>,
}

impl SweepResult {
    /// The same sweep with every point differenced against point
    /// `reference` (paired by replication).
    pub fn against(mut self, reference: usize) -> SweepResult {
        let Some(base) = self.points.get(reference).map(|p| p.result.clone()) else {
            return self;
        };
        for p in &mut self.points {
            p.differences = headline_diffs(&base, &p.result);
        }
        self.reference = Some(reference);
        self
    }
}

/// The index of the grid point whose values are `wanted` (one `key=value`
/// per swept key, values compared as numbers where they are numbers), or
/// why there is none.
pub(crate) fn find_point(keys: &[String], points: &[Vec<String>], wanted: &[String]) -> Result<usize, String> {
    let same = |a: &str, b: &str| match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim().trim_matches('"') == b.trim().trim_matches('"'),
    };
    let mut want: Vec<Option<&str>> = vec![None; keys.len()];
    for w in wanted {
        let Some((k, v)) = w.split_once('=') else {
            return Err(format!("--reference {w}: expected key.path=value"));
        };
        let Some(i) = keys.iter().position(|key| key == k.trim()) else {
            return Err(format!(
                "--reference {w}: `{}` is not swept; swept: {}",
                k.trim(),
                keys.join(", ")
            ));
        };
        want[i] = Some(v);
    }
    if let Some(i) = want.iter().position(Option::is_none) {
        return Err(format!(
            "--reference names no value of `{}`: give one per swept key",
            keys[i]
        ));
    }
    points
        .iter()
        .position(|vals| vals.iter().zip(&want).all(|(v, w)| w.is_some_and(|w| same(v, w))))
        .ok_or_else(|| {
            format!(
                "--reference {}: no point of the grid has these values",
                wanted.join(" --reference ")
            )
        })
}

/// Every point of the grid, checked before anything runs (so a bad value
/// stops the sweep at once): scenario `base` with the point's values set,
/// in memory. `file` names the scenario in messages.
pub fn load_points(base: &Loaded, file: &Path, params: &[Param]) -> Result<Vec<(Vec<String>, Loaded)>, SweepLoadError> {
    let points = grid(params).map_err(|e| SweepLoadError::Usage(e.to_string()))?;
    points
        .into_iter()
        .map(|point| {
            let sets = point
                .iter()
                .map(|kv| overrides::parse(kv))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| SweepLoadError::Usage(e.for_flag("--param").to_string()))?;
            let values = point
                .iter()
                .map(|kv| kv.split_once('=').map_or(String::new(), |(_, v)| v.to_string()))
                .collect();
            base.with(&sets).map(|l| (values, l)).map_err(|problems| {
                let at = format!(" (at --param {})", point.join(" --param "));
                SweepLoadError::Scenario(ScenarioError {
                    file: file.to_path_buf(),
                    origin: Origin::File,
                    problems: problems
                        .into_iter()
                        .map(|mut p| {
                            p.message.push_str(&at);
                            p
                        })
                        .collect(),
                })
            })
        })
        .collect()
}

/// Why a sweep could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SweepLoadError {
    /// A malformed parameter or grid.
    #[error("{0}")]
    Usage(String),
    /// A point's scenario is invalid.
    #[error("{0}")]
    Scenario(ScenarioError),
}

/// Runs every point with `plan`; `done` is called after each replication.
/// `labels` name the parameters in charts, in `keys` order.
pub fn run(
    keys: Vec<String>,
    labels: Vec<String>,
    points: &[(Vec<String>, Loaded)],
    plan: &Plan,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<SweepResult, McError> {
    let collectors = run_range(points, 0..plan.replications, plan.threads, stop, done)?;
    // In a pool of the same threads: a steady-state mean's bootstrap shares them.
    Ok(montecarlo::thread_pool(plan.threads)?.install(|| finish(keys, labels, points, collectors)))
}

/// Runs replications `range` at every point (one shard of a sweep): each
/// point's collector, in point order.
pub(crate) fn run_range(
    points: &[(Vec<String>, Loaded)],
    range: std::ops::Range<u64>,
    threads: usize,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Collector>, McError> {
    points
        .iter()
        .map(|(_, loaded)| montecarlo::run_range(&loaded.scenario, range.clone(), threads, stop, done))
        .collect()
}

/// The sweep's results from the merged collector states of its shards,
/// one per point in point order.
pub(crate) fn merged_results(
    keys: Vec<String>,
    labels: Vec<String>,
    points: &[(Vec<String>, Loaded)],
    states: Vec<CollectorState>,
) -> Result<SweepResult, ShapeMismatch> {
    if states.len() != points.len() {
        return Err(ShapeMismatch);
    }
    let collectors = points
        .iter()
        .zip(states)
        .map(|((_, l), state)| montecarlo::collector_for(&l.scenario).with_state(state))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(finish(keys, labels, points, collectors))
}

/// The sweep's results from every point's finished collector.
pub(crate) fn finish(
    keys: Vec<String>,
    labels: Vec<String>,
    points: &[(Vec<String>, Loaded)],
    collectors: Vec<Collector>,
) -> SweepResult {
    let out = points
        .iter()
        .zip(collectors)
        .map(|((values, loaded), c)| SweepPoint {
            values: values.clone(),
            result: montecarlo::results(&loaded.scenario, c),
            differences: Vec::new(),
        })
        .collect();
    SweepResult {
        keys,
        labels,
        points: out,
        reference: None,
    }
}
