//! A sensitivity analysis of a scenario: the design over its uncertain
//! keys ([`design`], one of the four methods, with whole-number keys
//! rounded), the scenario loaded at every point exactly as `--set` of the
//! point's values would load it ([`Points`], all checked before anything
//! runs, so that an invalid point stops the analysis with its values), every point
//! run for replications `0..n` with the same replication indices everywhere
//! (common random numbers: given the seed, each point's outputs are a
//! deterministic function of its values), in parallel over points x
//! replications ([`evaluate`]), and the estimates ([`analyse`]).
//!
//! With a contrast (`--against KEY=VALUE ...`), every point also runs with
//! the contrast's values, replication by replication, and the outputs are
//! the paired differences, point minus contrast: the effect of what the
//! contrast changes, at every point of the design.
//!
//! Results are the same for any number of threads: every (point,
//! replication) is determined by its indices and collected in order.

use super::probe::Probe;
use crate::analysis::sensitivity::{
    Design, Evaluations, Method, MorrisOptions, Output, Parameter, ParameterSpace, RESAMPLES, Sampling,
    SensitivityError, SensitivityResult, UndefinedOutput, morris_design, sobol_design, tornado_design,
    uncertainty_design,
};
use crate::experiments::montecarlo::{McError, thread_pool};
use crate::scenario::overrides::Override;
use crate::scenario::problem::ProblemList;
use crate::scenario::{Problem, Resolved, Scenario, Uncertain};
use crate::world::run_replication;
use rayon::prelude::*;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

/// Saltelli's base sample by default: N (p + 2) points.
pub(crate) const SOBOL_SAMPLES: usize = 256;
/// Morris trajectories by default: r (p + 1) points.
pub(crate) const MORRIS_TRAJECTORIES: usize = 20;
/// Latin hypercube points of an uncertainty analysis by default.
pub(crate) const UNCERTAINTY_SAMPLES: usize = 256;
/// Replications per point by default: the tornado reads paired
/// differences with Student t intervals, so it needs several; the other
/// methods read each point's mean, a deterministic function of the values
/// under common random numbers, and spend their runs on points instead.
pub(crate) fn default_replications(method: Method) -> u64 {
    match method {
        Method::Tornado => 50,
        Method::Sobol | Method::Morris => 2,
        Method::Uncertainty => 4,
    }
}

/// How the design is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DesignOptions {
    /// The method.
    pub method: Method,
    /// Base sample (Sobol, uncertainty) or trajectories (Morris); the
    /// method's default when `None`. A tornado takes none.
    pub samples: Option<usize>,
    /// The unit-cube points behind a Sobol design.
    pub sampling: Sampling,
    /// Morris' grid levels.
    pub levels: usize,
    /// Morris with Campolongo's sampling: candidate trajectories.
    pub candidates: Option<usize>,
}

impl DesignOptions {
    /// The method's defaults.
    pub fn new(method: Method) -> DesignOptions {
        DesignOptions {
            method,
            samples: None,
            sampling: Sampling::ScrambledSobol,
            levels: 4,
            candidates: None,
        }
    }
}

/// The parameter space of `parameters`.
pub(crate) fn space(parameters: &[Uncertain]) -> Result<ParameterSpace, SensitivityError> {
    ParameterSpace::new(
        parameters
            .iter()
            .map(|u| Parameter::new(u.key.clone(), u.distribution.clone()).with_why(u.why.clone()))
            .collect(),
    )
}

/// The design over `parameters`, drawn with `seed`; whole-number keys get
/// whole numbers.
pub fn design(parameters: &[Uncertain], options: &DesignOptions, seed: u64) -> Result<Design, SensitivityError> {
    let space = space(parameters)?;
    let samples = options.samples;
    let d = match options.method {
        Method::Tornado => {
            if let Some(n) = samples {
                return Err(SensitivityError::Design(format!(
                    "a tornado takes no sample size (its points are the base and each parameter's two ends), got --samples {n}"
                )));
            }
            let base: Vec<f64> = parameters.iter().map(|u| u.base).collect();
            tornado_design(&space, &base, seed)?
        }
        Method::Sobol => sobol_design(&space, samples.unwrap_or(SOBOL_SAMPLES), options.sampling, seed)?,
        Method::Morris => morris_design(
            &space,
            &MorrisOptions {
                trajectories: samples.unwrap_or(MORRIS_TRAJECTORIES),
                levels: options.levels,
                candidates: options.candidates,
            },
            seed,
        )?,
        Method::Uncertainty => uncertainty_design(&space, samples.unwrap_or(UNCERTAINTY_SAMPLES), seed)?,
    };
    let whole: Vec<bool> = parameters.iter().map(|u| u.whole).collect();
    Ok(d.with_whole_numbers(&whole))
}

/// A contrast: the same scenario with other values of some keys.
#[derive(Clone, Debug)]
pub struct Contrast {
    /// The overrides, as `--set` takes them.
    pub sets: Vec<Override>,
    /// What to call it in outputs ("updating weekly").
    pub label: String,
}

/// A design point whose scenario is invalid.
#[derive(Clone, Debug)]
pub struct PointError {
    /// The point's index in the design.
    pub point: usize,
    /// Its values, as `key=value`.
    pub values: Vec<String>,
    /// Whether it is the contrast's scenario at that point.
    pub contrast: bool,
    /// What is wrong.
    pub problems: Vec<Problem>,
}

impl fmt::Display for PointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heading = format!(
            "design point {} ({}){}: the scenario is invalid there:",
            self.point,
            self.values.join(", "),
            if self.contrast {
                ", with the contrast's values"
            } else {
                ""
            }
        );
        write!(f, "{}", ProblemList::headed(heading, &self.problems))
    }
}

/// One point's scenario, and its contrast's.
pub(crate) type PointScenarios = (Scenario, Option<Scenario>);

/// Points loaded at a time while running: bounds the memory held
/// whatever the design's size, and leaves every thread work.
const CHUNK: usize = 256;

/// The scenarios at the points of a design: `design`'s coordinates are
/// `parameters`' values, set on `resolved`, and the contrast's values after
/// them.
#[derive(Clone, Copy, Debug)]
pub struct Points<'a> {
    /// The scenario, resolved.
    pub resolved: &'a Resolved,
    /// The keys the coordinates set.
    pub parameters: &'a [Uncertain],
    /// The design.
    pub design: &'a Design,
    /// The contrast, if any.
    pub contrast: Option<&'a Contrast>,
}

impl Points<'_> {
    /// The scenario at point `i` (and the contrast's).
    pub fn load(&self, i: usize) -> Result<PointScenarios, PointError> {
        let x = &self.design.points()[i];
        let sets: Vec<Override> = self.parameters.iter().zip(x).map(|(u, &v)| u.set(v)).collect();
        let fail = |contrast: bool, problems: Vec<Problem>| PointError {
            point: i,
            values: sets.iter().map(|o| o.text.clone()).collect(),
            contrast,
            problems,
        };
        let s = self.resolved.at(&sets).map_err(|p| fail(false, p))?;
        let c = match self.contrast {
            Some(c) => {
                let mut all = sets.clone();
                all.extend(c.sets.iter().cloned());
                Some(self.resolved.at(&all).map_err(|p| fail(true, p))?)
            }
            None => None,
        };
        Ok((s, c))
    }

    /// Loads points `range` on `pool`.
    fn load_range(
        &self,
        pool: &rayon::ThreadPool,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<PointScenarios>, PointError> {
        pool.install(|| range.into_par_iter().map(|i| self.load(i)).collect())
    }

    /// Checks that every point loads (the first invalid one, by index, is
    /// the error), keeping nothing.
    pub fn check(&self, pool: &rayon::ThreadPool) -> Result<(), PointError> {
        let n = self.design.len();
        (0..n)
            .step_by(CHUNK)
            .try_for_each(|start| self.load_range(pool, start..(start + CHUNK).min(n)).map(|_| ()))
    }
}

/// Runs replications `0..replications` of the points `range` of the design
/// on `pool` and reads `probes`: `out[i][r][o]` is probe `o` in
/// replication `r` at point `range.start + i` (NaN where undefined), the
/// point's value minus the contrast's when there is one. A point's values
/// do not depend on the range it is run in, so blocks of points run apart
/// and put together in order give exactly the whole design's. Points are
/// loaded [`CHUNK`] at a time. `done` is called after each replication run
/// (two per point and replication with a contrast); raising `stop`
/// interrupts.
pub(crate) fn evaluate(
    pool: &rayon::ThreadPool,
    points: &Points<'_>,
    range: Range<usize>,
    probes: &[Probe],
    replications: u64,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<Vec<Vec<f64>>>, StudyError> {
    let reps = replications as usize;
    let read = |s: &Scenario, r: u64| -> Result<Vec<Option<f64>>, McError> {
        if stop.load(Ordering::Relaxed) {
            return Err(McError::Interrupted);
        }
        let rep = run_replication(s, r, false).map_err(|source| McError::Replication { replication: r, source })?;
        done();
        Ok(probes.iter().map(|p| p.read(&rep, u64::from(s.warmup_days))).collect())
    };
    let n = range.end.min(points.design.len());
    let mut out = Vec::with_capacity(n.saturating_sub(range.start));
    for start in (range.start..n).step_by(CHUNK) {
        let chunk = points
            .load_range(pool, start..(start + CHUNK).min(n))
            .map_err(StudyError::Point)?;
        let flat: Vec<Vec<f64>> = pool
            .install(|| {
                (0..chunk.len() * reps)
                    .into_par_iter()
                    .map(|k| {
                        let ((s, c), r) = (&chunk[k / reps], (k % reps) as u64);
                        let a = read(s, r)?;
                        let b = match c {
                            Some(c) => Some(read(c, r)?),
                            None => None,
                        };
                        Ok(a.iter()
                            .enumerate()
                            .map(|(o, x)| {
                                let y = match &b {
                                    Some(b) => x.zip(b[o]).map(|(x, y)| x - y),
                                    None => *x,
                                };
                                y.unwrap_or(f64::NAN)
                            })
                            .collect())
                    })
                    .collect::<Result<_, McError>>()
            })
            .map_err(StudyError::Run)?;
        let mut it = flat.into_iter();
        for _ in 0..chunk.len() {
            out.push(it.by_ref().take(reps).collect());
        }
    }
    Ok(out)
}

/// What a sensitivity analysis of a scenario produced.
#[derive(Clone, Debug)]
pub struct SensitivityRun {
    /// The estimates.
    pub result: SensitivityResult,
    /// The design.
    pub design: Design,
    /// Every output at every point (the outputs analysed).
    pub evaluations: Evaluations,
    /// The contrast's label, when the outputs are differences from it.
    pub against: Option<String>,
    /// Outputs left out because they are undefined at some points (only
    /// when they were not asked for by name).
    pub skipped: Vec<UndefinedOutput>,
}

/// Analyses `per_point` (from [`evaluate`]) of `design` for `outputs`. An
/// output undefined (NaN) at some points is never averaged into an index:
/// if the outputs were asked for by name (`named`), the analysis is
/// refused, naming each such output and its points; otherwise such outputs
/// are left out and listed in `skipped` (refused if none is left).
pub(crate) fn analyse(
    design: &Design,
    outputs: Vec<Output>,
    per_point: Vec<Vec<Vec<f64>>>,
    named: bool,
    against: Option<String>,
) -> Result<SensitivityRun, SensitivityError> {
    let all = Evaluations::from_replications(outputs.clone(), &per_point)?;
    let skipped = all.undefined();
    if !skipped.is_empty() && (named || skipped.len() == outputs.len()) {
        return Err(SensitivityError::Undefined(skipped));
    }
    let evaluations = if skipped.is_empty() {
        all
    } else {
        let keep: Vec<usize> = (0..outputs.len())
            .filter(|&o| {
                !skipped
                    .iter()
                    .any(|u| u.scope == outputs[o].scope && u.metric == outputs[o].metric)
            })
            .collect();
        let kept: Vec<Vec<Vec<f64>>> = per_point
            .iter()
            .map(|reps| reps.iter().map(|row| keep.iter().map(|&o| row[o]).collect()).collect())
            .collect();
        Evaluations::from_replications(keep.iter().map(|&o| outputs[o].clone()).collect(), &kept)?
    };
    let result = crate::analysis::sensitivity::analyse(design, &evaluations, RESAMPLES)?;
    Ok(SensitivityRun {
        result,
        design: design.clone(),
        evaluations,
        against,
        skipped,
    })
}

/// Everything an analysis of a scenario needs.
#[derive(Clone, Debug)]
pub struct Study<'a> {
    /// The scenario, resolved.
    pub resolved: &'a Resolved,
    /// The scenario at its base (names its outputs).
    pub scenario: &'a Scenario,
    /// The uncertain keys.
    pub parameters: &'a [Uncertain],
    /// The contrast, if the outputs are differences from one.
    pub against: Option<&'a Contrast>,
    /// The outputs to read.
    pub probes: &'a [Probe],
    /// Whether the outputs were asked for by name.
    pub named: bool,
    /// The design (from [`design`]).
    pub design: &'a Design,
    /// Replications per point.
    pub replications: u64,
    /// Worker threads.
    pub threads: usize,
}

/// Why an analysis did not produce results.
#[derive(Debug)]
pub enum StudyError {
    /// A design point's scenario is invalid.
    Point(PointError),
    /// The runs failed or were interrupted.
    Run(McError),
    /// The outputs cannot be analysed (undefined values).
    Analysis(SensitivityError),
}

impl Study<'_> {
    /// Replication runs the study needs: points x replications, twice with
    /// a contrast.
    pub fn runs(&self) -> u64 {
        self.runs_of(0..self.design.len())
    }

    /// Replication runs of the points `range`.
    pub fn runs_of(&self, range: Range<usize>) -> u64 {
        range.len() as u64 * self.replications * if self.against.is_some() { 2 } else { 1 }
    }

    /// Loads every point, runs them and analyses the outputs; `done` is
    /// called after each of [`Study::runs`] runs.
    pub fn run(&self, stop: &AtomicBool, done: &(dyn Fn() + Sync)) -> Result<SensitivityRun, StudyError> {
        let per_point = self.evaluate(0..self.design.len(), stop, done)?;
        self.analyse(per_point)
    }

    /// Checks that every point of the design loads (so that every block
    /// of points refuses an invalid design alike), then runs the points
    /// `range` ([`evaluate`]); `done` is called after each of
    /// [`Study::runs_of`] runs.
    pub(crate) fn evaluate(
        &self,
        range: Range<usize>,
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<Vec<Vec<f64>>>, StudyError> {
        let pool = thread_pool(self.threads).map_err(StudyError::Run)?;
        let points = Points {
            resolved: self.resolved,
            parameters: self.parameters,
            design: self.design,
            contrast: self.against,
        };
        points.check(&pool).map_err(StudyError::Point)?;
        evaluate(&pool, &points, range, self.probes, self.replications, stop, done)
    }

    /// The analysis of `per_point`, the outputs at every point of the
    /// design (from [`Study::evaluate`], blocks put together in order).
    pub(crate) fn analyse(&self, per_point: Vec<Vec<Vec<f64>>>) -> Result<SensitivityRun, StudyError> {
        let pool = thread_pool(self.threads).map_err(StudyError::Run)?;
        let outputs = self.probes.iter().map(|p| p.output(self.scenario)).collect();
        let against = self.against.map(|c| c.label.clone());
        pool.install(|| analyse(self.design, outputs, per_point, self.named, against))
            .map_err(StudyError::Analysis)
    }
}
