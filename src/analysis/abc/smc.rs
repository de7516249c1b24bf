//! The ABC-SMC loop (Toni et al. 2009; Beaumont et al. 2009, with the
//! adaptive tolerance of Del Moral et al. 2012 and the adaptive distance of
//! Prangle 2017, algorithm 4), as pure steps that a driver may shard, and a
//! driver that runs whole generations.
//!
//! A generation proposes candidates by index. Candidate i of generation t
//! draws only from the named stream (seed, i, "calibrate/gen-{t}"), given
//! the previous population: generation 0 draws from the prior; a later
//! generation picks a parent by weight and perturbs it with the kernel
//! ([`Kernel`]). A proposal outside the prior's support has prior density
//! 0: parent and perturbation are drawn again, from the same stream, until
//! one lands inside (Toni et al. 2009, algorithm S2.1). Redrawing both (not
//! the perturbation alone) makes the proposal density sum_j w_j K(theta |
//! theta_j) restricted to the support, divided by one constant that every
//! candidate shares and that the normalised weights drop, so the weights
//! below stay exact; and a generation's acceptance rate is that of its
//! simulations, not of draws that fell outside bounded priors (with a dozen
//! parameters, most perturbations leave the box somewhere). After
//! [`SUPPORT_ATTEMPTS`] draws outside, the candidate is rejected without a
//! simulation. The caller evaluates
//! the candidates inside the support in batches, in any order, on any
//! number of threads or machines; the acceptor then takes the evaluated
//! candidates in index order, and accepts candidate i when its distance
//! (under the distance adapted after the previous generation) is at most
//! the generation's tolerance (generation 0 accepts every simulation whose
//! summaries are all finite). The generation completes at its N-th
//! acceptance; candidates evaluated past it are counted as wasted, and
//! everything else (the population, the simulations counted against the
//! budget) depends only on the index order, so it is the same whatever the
//! batch size, thread count or sharding.
//!
//! Closing a generation weights its particles, w_i proportional to
//! prior(theta_i) / sum_j w_j K(theta_i | theta_j) over the previous
//! population (1 / N in generation 0), adapts the distance's series scales
//! to the summaries simulated in the generation (accepted or not: the
//! first `scale_sample` of them in index order), and sets the next
//! tolerance to the chosen quantile of the new population's distances
//! under the new distance.
//!
//! Replications: with R > 1 each candidate is simulated R times (the
//! evaluator returns the R summary vectors one after the other), and its
//! ABC likelihood, the probability that a simulation lands within the
//! tolerance, is estimated by the share k / R of its replications that
//! do (Del Moral et al. 2012). A candidate is accepted when k > 0 and its
//! weight is multiplied by k / R: an unbiased estimate of the likelihood in
//! an importance weight leaves the target exact (pseudo-marginal
//! importance sampling), and the weights vary less than with one
//! replication. A particle keeps the summaries and the distance of its
//! first replication within the tolerance (in generation 0, its first),
//! and the next tolerance is the quantile of those: distributed as the
//! accepted distances with one replication, so the schedule is the usual
//! one. (A quantile of all R distances would not shrink: at the
//! posterior, the replications that were not within the tolerance are
//! spread by the model's own noise; one of the nearest would shrink too
//! fast for the acceptance rate.) Averaging the R
//! replications into one summary instead would shrink the model's noise by
//! sqrt(R) and give a posterior too narrow for data observed once. With
//! R = 1 every share is 1 and this is the usual rejection step.
//!
//! Stopping: at the simulation budget (a generation that cannot complete
//! within it is abandoned), when the acceptance rate falls below its
//! minimum (a generation that has proposed N / minimum candidates without
//! completing is abandoned), when the tolerance stops shrinking (under the
//! new distance, the new population's quantile is less than `min_decrease`
//! below the previous population's), or at the maximum number of
//! generations. The result keeps every completed population and, per
//! generation, the tolerance, counts, acceptance rate and effective sample
//! size.

use super::distance::Distance;
use super::error::{AbcError, RunError};
use super::kernel::Kernel;
use super::observed::Observed;
use super::population::Population;
use super::prior::Prior;
use super::tolerance::{DEFAULT_QUANTILE, quantile_tolerance, relative_decrease};
use crate::analysis::sensitivity::draws::open_unit;
use crate::core::rng::{stream, stream_key};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// A kernel coordinate's floor standard deviation, as a share of its prior
/// 90% width.
const FLOOR_SHARE: f64 = 1e-3;

/// Draws of parent and perturbation a candidate makes before it gives up
/// on landing inside the prior's support.
pub(crate) const SUPPORT_ATTEMPTS: usize = 1_000;

/// How a calibration runs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Settings {
    /// Particles per population, N (at least 1).
    pub(crate) particles: usize,
    /// The seed of every candidate's stream.
    pub(crate) seed: u64,
    /// The quantile of the previous distances that sets each tolerance,
    /// in (0, 1] (default the median).
    pub(crate) quantile: f64,
    /// The most generations, counting generation 0 (at least 1).
    pub(crate) max_generations: usize,
    /// The simulation budget, over all generations (at least 1), counted
    /// in index order up to each generation's end (R per candidate
    /// simulated); a driver's last batch of a generation may run up to
    /// `batch - 1` candidates past that end (counted as wasted, not
    /// against the budget).
    pub(crate) max_simulations: u64,
    /// Replications per candidate, R (at least 1): its likelihood is the
    /// share of them within the tolerance.
    pub(crate) replications: usize,
    /// The lowest acceptance rate (accepted over proposed candidates) a
    /// generation may have, in [0, 1]; 0 for no limit (then only the
    /// budget ends a generation that cannot complete).
    pub(crate) min_acceptance: f64,
    /// The smallest relative decrease of the tolerance that keeps the
    /// calibration going, in [0, 1).
    pub(crate) min_decrease: f64,
    /// Whether the distance's series scales adapt each generation (else
    /// raw residuals, divided only by standard errors).
    pub(crate) adaptive_scales: bool,
    /// How many of a generation's simulations (the first, in index order)
    /// its scales are adapted to (at least 1).
    pub(crate) scale_sample: usize,
    /// Candidates per evaluator call in the drivers (at least 1).
    pub(crate) batch: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            particles: 1000,
            seed: 0,
            quantile: DEFAULT_QUANTILE,
            max_generations: 20,
            max_simulations: 1_000_000,
            replications: 1,
            min_acceptance: 0.01,
            min_decrease: 0.01,
            adaptive_scales: true,
            scale_sample: 1000,
            batch: 64,
        }
    }
}

impl Settings {
    /// Checks every setting's range.
    fn check(&self) -> Result<(), AbcError> {
        let bad = |m: &str| Err(AbcError::Settings(m.to_owned()));
        if self.particles == 0 {
            return bad("particles must be at least 1");
        }
        if !(self.quantile > 0.0 && self.quantile <= 1.0) {
            return bad("the tolerance quantile must be above 0 and at most 1");
        }
        if self.max_generations == 0 {
            return bad("max_generations must be at least 1");
        }
        if self.max_simulations == 0 {
            return bad("max_simulations must be at least 1");
        }
        if self.replications == 0 {
            return bad("replications must be at least 1");
        }
        if !(0.0..=1.0).contains(&self.min_acceptance) {
            return bad("min_acceptance must be between 0 and 1");
        }
        if !(0.0..1.0).contains(&self.min_decrease) {
            return bad("min_decrease must be at least 0 and below 1");
        }
        if self.scale_sample == 0 {
            return bad("scale_sample must be at least 1");
        }
        if self.batch == 0 {
            return bad("batch must be at least 1");
        }
        Ok(())
    }
}

/// What every generation of a calibration shares.
#[derive(Debug)]
struct Setup {
    /// The prior.
    prior: Prior,
    /// The observed data.
    observed: Observed,
    /// The settings.
    settings: Settings,
    /// The indices of the free parameters.
    free: Vec<usize>,
    /// Each free parameter's floor kernel standard deviation.
    floors: Vec<f64>,
}

/// A calibration: prior, observed data and settings, checked.
#[derive(Clone, Debug)]
pub(crate) struct Calibration {
    /// What its generations share.
    setup: Arc<Setup>,
}

impl Calibration {
    /// The calibration of `prior` to `observed` with `settings`.
    pub(crate) fn new(prior: Prior, observed: Observed, settings: Settings) -> Result<Calibration, AbcError> {
        settings.check()?;
        let free = prior.free();
        let floors = free
            .iter()
            .map(|&j| {
                let (lo, hi) = prior.parameters()[j].interval(0.9);
                (FLOOR_SHARE * (hi - lo)).max(f64::MIN_POSITIVE)
            })
            .collect();
        Ok(Calibration {
            setup: Arc::new(Setup {
                prior,
                observed,
                settings,
                free,
                floors,
            }),
        })
    }

    /// The prior.
    pub(crate) fn prior(&self) -> &Prior {
        &self.setup.prior
    }

    /// The observed data.
    pub(crate) fn observed(&self) -> &Observed {
        &self.setup.observed
    }

    /// The settings.
    pub(crate) fn settings(&self) -> &Settings {
        &self.setup.settings
    }

    /// Generation 0: draws from the prior, accepts every simulation with
    /// finite summaries.
    pub(crate) fn first_generation(&self) -> Generation {
        Generation::new(
            self.setup.clone(),
            0,
            None,
            Distance::unscaled(&self.setup.observed),
            None,
            0,
        )
    }

    /// The generation described by `parts` (from [`Generation::parts`],
    /// perhaps on another machine), checked against this calibration.
    pub(crate) fn generation(&self, parts: GenerationParts) -> Result<Generation, AbcError> {
        let bad = |m: String| Err(AbcError::Shape(m));
        let s = &self.setup;
        if !parts.distance.fits(&s.observed) {
            return bad("the distance does not fit the observed data".into());
        }
        if parts.simulations_before > s.settings.max_simulations {
            return bad("the simulations already used exceed the budget".into());
        }
        match (parts.index, parts.tolerance, parts.previous) {
            (0, None, None) => Ok(Generation::new(
                s.clone(),
                0,
                None,
                parts.distance,
                None,
                parts.simulations_before,
            )),
            (t, Some(eps), Some(previous)) if t > 0 && eps.is_finite() && eps >= 0.0 => {
                let Some(previous) = previous.checked() else {
                    return bad("the previous population is malformed".into());
                };
                if previous.generation() + 1 != t || previous.names() != s.prior.names().as_slice() {
                    return bad(format!(
                        "the previous population (generation {}) does not precede generation {t} of this prior",
                        previous.generation()
                    ));
                }
                let outside = previous.parameters().iter().any(|p| s.prior.ln_density(p).is_none());
                let misfit = previous.summaries().iter().any(|x| x.len() != s.observed.points());
                if outside || misfit {
                    return bad("the previous population does not fit the prior or the observed data".into());
                }
                Ok(Generation::new(
                    s.clone(),
                    t,
                    Some(eps),
                    parts.distance,
                    Some(previous),
                    parts.simulations_before,
                ))
            }
            (t, ..) => bad(format!(
                "generation {t} needs a finite tolerance and a previous population exactly when t > 0"
            )),
        }
    }
}

/// The previous population, as the next generation proposes from it.
#[derive(Debug)]
struct Parents {
    /// The population.
    population: Population,
    /// The running sums of its weights, for picking a parent.
    cumulative: Vec<f64>,
    /// The perturbation kernel.
    kernel: Kernel,
    /// Each particle whitened by the kernel.
    whitened: Vec<Vec<f64>>,
}

/// One generation, fixed at its start: what proposing and accepting its
/// candidates need. Cheap to clone; every clone proposes the same
/// candidates.
#[derive(Clone, Debug)]
pub(crate) struct Generation {
    /// What the calibration's generations share.
    setup: Arc<Setup>,
    /// Its index t (0 draws from the prior).
    index: usize,
    /// Its tolerance (`None` in generation 0).
    tolerance: Option<f64>,
    /// The distance its candidates are measured with.
    distance: Distance,
    /// The previous population, with its kernel (`None` in generation 0).
    parents: Option<Arc<Parents>>,
    /// The simulations counted in earlier generations.
    simulations_before: u64,
    /// The name of its candidates' streams.
    stream_name: String,
}

/// A generation as plain data, to rebuild it elsewhere with
/// [`Calibration::generation`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct GenerationParts {
    /// Its index.
    pub(crate) index: usize,
    /// Its tolerance (`None` exactly in generation 0).
    pub(crate) tolerance: Option<f64>,
    /// Its distance.
    pub(crate) distance: Distance,
    /// The previous population (`None` exactly in generation 0).
    pub(crate) previous: Option<Population>,
    /// The simulations counted in earlier generations.
    pub(crate) simulations_before: u64,
}

/// A proposed parameter vector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Candidate {
    /// Its index in its generation.
    pub(crate) index: u64,
    /// The parameter vector, in the prior's order.
    pub(crate) theta: Vec<f64>,
    /// Whether it lies in the prior's support (only those are simulated).
    pub(crate) in_support: bool,
}

/// A candidate with the summaries simulated at it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Evaluated {
    /// The candidate.
    pub(crate) candidate: Candidate,
    /// Its simulated summaries, one per observed point, series after
    /// series, for each of its R replications one after the other (`None`
    /// exactly when it lies outside the support).
    pub(crate) summaries: Option<Vec<f64>>,
}

impl Generation {
    /// Generation `index` of `setup`, proposing from `previous`.
    fn new(
        setup: Arc<Setup>,
        index: usize,
        tolerance: Option<f64>,
        distance: Distance,
        previous: Option<Population>,
        simulations_before: u64,
    ) -> Generation {
        let parents = previous.map(|population| {
            let kernel = Kernel::new(&population, &setup.free, &setup.floors);
            let mut total = 0.0;
            let cumulative = population
                .weights()
                .iter()
                .map(|w| {
                    total += w;
                    total
                })
                .collect();
            let whitened = population.parameters().iter().map(|p| kernel.whiten(p)).collect();
            Arc::new(Parents {
                population,
                cumulative,
                kernel,
                whitened,
            })
        });
        Generation {
            setup,
            index,
            tolerance,
            distance,
            parents,
            simulations_before,
            stream_name: format!("calibrate/gen-{index}"),
        }
    }

    /// Its index t (0 draws from the prior).
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    /// Its tolerance (`None` in generation 0, which accepts every
    /// simulation with finite summaries).
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn tolerance(&self) -> Option<f64> {
        self.tolerance
    }

    /// The distance its candidates are measured with.
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn distance(&self) -> &Distance {
        &self.distance
    }

    /// The population it proposes from (`None` in generation 0).
    pub(crate) fn previous(&self) -> Option<&Population> {
        self.parents.as_ref().map(|p| &p.population)
    }

    /// Whether its kernel fell back to a diagonal covariance (`None` in
    /// generation 0).
    pub(crate) fn kernel_is_diagonal(&self) -> Option<bool> {
        self.parents.as_ref().map(|p| p.kernel.is_diagonal())
    }

    /// The simulations counted in earlier generations.
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn simulations_before(&self) -> u64 {
        self.simulations_before
    }

    /// The simulations this generation may count: what the budget leaves.
    pub(crate) fn simulation_budget(&self) -> u64 {
        self.setup
            .settings
            .max_simulations
            .saturating_sub(self.simulations_before)
    }

    /// The candidates it may propose before its acceptance rate is
    /// necessarily below the minimum: N / minimum, rounded up.
    pub(crate) fn max_candidates(&self) -> u64 {
        let s = &self.setup.settings;
        if s.min_acceptance > 0.0 {
            ((s.particles as f64 / s.min_acceptance).ceil() as u64).max(1)
        } else {
            u64::MAX
        }
    }

    /// Its plain data, to rebuild it elsewhere.
    pub(crate) fn parts(&self) -> GenerationParts {
        GenerationParts {
            index: self.index,
            tolerance: self.tolerance,
            distance: self.distance.clone(),
            previous: self.previous().cloned(),
            simulations_before: self.simulations_before,
        }
    }

    /// Candidate `index`, from its own stream alone.
    pub(crate) fn candidate(&self, index: u64) -> Candidate {
        let s = &self.setup;
        let mut rng = stream(s.settings.seed, index, &self.stream_name);
        match &self.parents {
            None => Candidate {
                index,
                theta: s.prior.sample(&mut rng),
                in_support: true,
            },
            Some(parents) => {
                let total = parents.cumulative.last().copied().unwrap_or(0.0);
                let n = parents.cumulative.len();
                let mut draw = || {
                    let u = open_unit(&mut rng) * total;
                    let j = parents.cumulative.partition_point(|&c| c <= u).min(n - 1);
                    parents.kernel.perturb(&parents.population.parameters()[j], &mut rng)
                };
                let mut theta = draw();
                let mut in_support = s.prior.ln_density(&theta).is_some();
                for _ in 1..SUPPORT_ATTEMPTS {
                    if in_support {
                        break;
                    }
                    theta = draw();
                    in_support = s.prior.ln_density(&theta).is_some();
                }
                Candidate {
                    index,
                    theta,
                    in_support,
                }
            }
        }
    }

    /// Candidates `indices`, in order (proposed in parallel; each from its
    /// own stream).
    pub(crate) fn propose(&self, indices: Range<u64>) -> Vec<Candidate> {
        let n = indices.end.saturating_sub(indices.start);
        (0..n)
            .into_par_iter()
            .map(|k| self.candidate(indices.start + k))
            .collect()
    }

    /// A new acceptor for this generation's candidates.
    pub(crate) fn acceptor(&self) -> Acceptor {
        let status = if self.simulation_budget() < self.setup.settings.replications as u64 {
            Status::Budget
        } else {
            Status::Open
        };
        Acceptor {
            generation: self.index,
            next: 0,
            outside: 0,
            simulations: 0,
            undefined: 0,
            wasted: 0,
            thetas: Vec::new(),
            distances: Vec::new(),
            shares: Vec::new(),
            summaries: Vec::new(),
            scale_sample: Vec::new(),
            status,
        }
    }
}

/// Where a generation's acceptance stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Status {
    /// It needs more candidates.
    Open,
    /// It has accepted N particles.
    Complete,
    /// It has used the budget without completing.
    Budget,
    /// It has proposed N / minimum acceptance rate candidates without
    /// completing.
    AcceptanceRate,
}

/// Accepts a generation's evaluated candidates in index order. It travels
/// (serialised) between the machines of a sharded generation that needs
/// more than one round of candidates; read back, it is checked against its
/// generation ([`Acceptor::checked`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Acceptor {
    /// The generation it belongs to.
    generation: usize,
    /// The index of the next candidate it expects.
    next: u64,
    /// Candidates outside the support so far.
    outside: u64,
    /// Simulations counted so far.
    simulations: u64,
    /// Simulations with a non-finite summary so far.
    undefined: u64,
    /// Simulations handed over after the generation ended.
    wasted: u64,
    /// The accepted parameter vectors.
    thetas: Vec<Vec<f64>>,
    /// The distances that accepted them, each its first replication's
    /// within the tolerance (`None` in generation 0).
    distances: Vec<Option<f64>>,
    /// The share of each one's replications within the tolerance (1 in
    /// generation 0 and with one replication).
    shares: Vec<f64>,
    /// Their summaries: each its first replication's within the tolerance
    /// (its first in generation 0).
    summaries: Vec<Vec<f64>>,
    /// The first finite summary vectors simulated, for the scales.
    scale_sample: Vec<Vec<f64>>,
    /// Where it stands.
    status: Status,
}

impl Acceptor {
    /// The index of the next candidate it expects.
    pub(crate) fn next_index(&self) -> u64 {
        self.next
    }

    /// Where it stands.
    pub(crate) fn status(&self) -> Status {
        self.status
    }

    /// The particles accepted so far.
    pub(crate) fn accepted(&self) -> usize {
        self.thetas.len()
    }

    /// The simulations counted so far.
    pub(crate) fn simulations(&self) -> u64 {
        self.simulations
    }

    /// The same acceptor when it fits `generation` (read back from
    /// elsewhere): the same generation, one distance, share and summary
    /// vector per accepted parameter vector, each of the right length and
    /// every value finite, and counts that add up; `None` otherwise.
    pub(crate) fn checked(self, generation: &Generation) -> Option<Acceptor> {
        let s = &generation.setup;
        let n = self.thetas.len();
        let fits = self.generation == generation.index
            && self.distances.len() == n
            && self.shares.len() == n
            && self.summaries.len() == n
            && n <= s.settings.particles
            && self.thetas.iter().all(|t| s.prior.ln_density(t).is_some())
            && self
                .summaries
                .iter()
                .all(|x| x.len() == s.observed.points() && x.iter().all(|v| v.is_finite()))
            && self.shares.iter().all(|k| *k > 0.0 && *k <= 1.0)
            && self.distances.iter().all(|d| match (d, generation.tolerance) {
                (None, None) => true,
                (Some(d), Some(eps)) => d.is_finite() && *d >= 0.0 && eps.is_finite(),
                _ => false,
            })
            && self.scale_sample.len() <= s.settings.scale_sample
            && self
                .scale_sample
                .iter()
                .all(|x| x.len() == s.observed.points() && x.iter().all(|v| v.is_finite()))
            && self.outside <= self.next
            && self.undefined <= self.simulations
            && (n as u64).saturating_mul(s.settings.replications as u64) <= self.simulations
            && self.simulations <= self.next.saturating_mul(s.settings.replications as u64);
        fits.then_some(self)
    }

    /// Takes `evaluated` candidates, which must continue the index order
    /// from [`Acceptor::next_index`]; returns where the generation then
    /// stands. Simulations past the generation's end (in this batch or in
    /// any batch handed over after it) are only counted as wasted. On an
    /// error nothing is taken.
    pub(crate) fn accept(&mut self, generation: &Generation, evaluated: Vec<Evaluated>) -> Result<Status, AbcError> {
        let setup = &generation.setup;
        if generation.index != self.generation {
            return Err(AbcError::Shape(format!(
                "candidates of generation {} handed to the acceptor of generation {}",
                generation.index, self.generation
            )));
        }
        let reps = setup.settings.replications;
        if self.status != Status::Open {
            self.wasted += evaluated.iter().filter(|e| e.summaries.is_some()).count() as u64 * reps as u64;
            return Ok(self.status);
        }
        let points = setup.observed.points();
        let width = points * reps;
        for (k, e) in evaluated.iter().enumerate() {
            let c = &e.candidate;
            let expected = self.next + k as u64;
            let problem = if c.index != expected {
                Some(format!(
                    "candidate {} arrived where candidate {expected} was expected (in index order, each once)",
                    c.index
                ))
            } else if c.theta.len() != setup.prior.dimension() {
                Some(format!("candidate {} has {} parameters", c.index, c.theta.len()))
            } else {
                match (&e.summaries, c.in_support) {
                    (None, true) => Some(format!(
                        "candidate {} lies in the support but has no summaries",
                        c.index
                    )),
                    (Some(_), false) => Some(format!("candidate {} lies outside the support: no summaries", c.index)),
                    (Some(x), true) if x.len() != width => Some(format!(
                        "candidate {} has {} summaries; the observed data have {points} points{}",
                        c.index,
                        x.len(),
                        if reps > 1 {
                            format!(", {width} over {reps} replications")
                        } else {
                            String::new()
                        }
                    )),
                    _ => None,
                }
            };
            if let Some(p) = problem {
                return Err(AbcError::Shape(p));
            }
        }
        let budget = generation.simulation_budget();
        let cap = generation.max_candidates();
        for e in evaluated {
            if self.status != Status::Open {
                self.wasted += u64::from(e.summaries.is_some()) * reps as u64;
                continue;
            }
            self.take(generation, e);
            self.status = if self.thetas.len() >= setup.settings.particles {
                Status::Complete
            } else if self.simulations + reps as u64 > budget {
                // Not even one more candidate's replications fit.
                Status::Budget
            } else if self.next >= cap {
                Status::AcceptanceRate
            } else {
                Status::Open
            };
        }
        Ok(self.status)
    }

    /// Takes the next candidate, `e` (checked): counts it, and accepts it
    /// when its summaries are finite and (after generation 0) at least one
    /// of its replications is within the tolerance.
    fn take(&mut self, generation: &Generation, e: Evaluated) {
        let setup = &generation.setup;
        let reps = setup.settings.replications;
        let points = setup.observed.points().max(1);
        self.next += 1;
        let Some(x) = e.summaries else {
            self.outside += 1;
            return;
        };
        self.simulations += reps as u64;
        let blocks = || x.chunks(points).take(reps);
        let undefined = blocks().filter(|b| !b.iter().all(|v| v.is_finite())).count();
        if undefined > 0 {
            self.undefined += undefined as u64;
            return;
        }
        for b in blocks() {
            if self.scale_sample.len() < setup.settings.scale_sample {
                self.scale_sample.push(b.to_vec());
            }
        }
        let verdict = match generation.tolerance {
            None => Some((None, 1.0, 0)),
            Some(eps) => {
                let d: Vec<f64> = blocks()
                    .map(|b| generation.distance.between(setup.observed.values(), b))
                    .collect::<Option<_>>()
                    .unwrap_or_default();
                let within = d.iter().filter(|d| **d <= eps).count();
                d.iter()
                    .position(|d| *d <= eps)
                    .map(|k| (Some(d[k]), within as f64 / reps as f64, k))
            }
        };
        if let Some((d, share, k)) = verdict {
            self.thetas.push(e.candidate.theta);
            self.distances.push(d);
            self.shares.push(share);
            self.summaries.push(x[k * points..(k + 1) * points].to_vec());
        }
    }

    /// Closes the generation: its population (when complete), its figures
    /// and what comes next. Closing an open generation stops the
    /// calibration (interrupted).
    pub(crate) fn close(self, generation: &Generation) -> Step {
        let setup = &generation.setup;
        let settings = &setup.settings;
        let mut stats = GenerationStats {
            generation: generation.index,
            tolerance: generation.tolerance,
            candidates: self.next,
            outside_support: self.outside,
            simulations: self.simulations,
            undefined: self.undefined,
            wasted: self.wasted,
            accepted: self.thetas.len(),
            acceptance_rate: (self.next > 0).then(|| self.thetas.len() as f64 / self.next as f64),
            ess: None,
            complete: self.status == Status::Complete && self.generation == generation.index,
            kernel_diagonal: generation.kernel_is_diagonal(),
            scales: generation.distance.scales().to_vec(),
            next_tolerance: None,
            tolerance_decrease: None,
        };
        let stop = |stats: GenerationStats, population: Option<Population>, reason: StopReason| Step {
            stats,
            population,
            next: Next::Stop(reason),
        };
        if !stats.complete {
            let reason = match self.status {
                Status::Budget => StopReason::Budget,
                Status::AcceptanceRate => StopReason::AcceptanceRate,
                Status::Open | Status::Complete => StopReason::Interrupted,
            };
            return stop(stats, None, reason);
        }
        let mut weights = match &generation.parents {
            None => vec![1.0; self.thetas.len()],
            Some(parents) => importance_weights(&setup.prior, parents, &self.thetas),
        };
        for (w, k) in weights.iter_mut().zip(&self.shares) {
            *w *= k;
        }
        let population = Population::new(
            generation.index,
            setup.prior.names(),
            self.thetas,
            weights,
            self.distances,
            self.summaries,
        );
        let Some(population) = population else {
            return stop(stats, None, StopReason::Degenerate);
        };
        stats.ess = Some(population.ess());
        let distance = if settings.adaptive_scales {
            Distance::adapted(&setup.observed, &self.scale_sample, &generation.distance)
        } else {
            generation.distance.clone()
        };
        let under = |p: &Population| -> Vec<Option<f64>> {
            p.summaries()
                .iter()
                .map(|x| distance.between(setup.observed.values(), x))
                .collect()
        };
        let next_tolerance = quantile_tolerance(&under(&population), settings.quantile);
        stats.next_tolerance = next_tolerance;
        let decrease = generation.previous().and_then(|previous| {
            let before = quantile_tolerance(&under(previous), settings.quantile)?;
            relative_decrease(before, next_tolerance?)
        });
        stats.tolerance_decrease = decrease;
        let used = generation.simulations_before + self.simulations;
        let reason = if generation.index + 1 >= settings.max_generations {
            Some(StopReason::MaxGenerations)
        } else if next_tolerance.is_none()
            || (generation.index > 0 && decrease.is_none_or(|d| d < settings.min_decrease))
        {
            Some(StopReason::ToleranceStalled)
        } else if used >= settings.max_simulations {
            Some(StopReason::Budget)
        } else {
            None
        };
        match (reason, next_tolerance) {
            (None, Some(eps)) => {
                let next = Generation::new(
                    setup.clone(),
                    generation.index + 1,
                    Some(eps),
                    distance,
                    Some(population.clone()),
                    used,
                );
                Step {
                    stats,
                    population: Some(population),
                    next: Next::Continue(next),
                }
            }
            (reason, _) => stop(stats, Some(population), reason.unwrap_or(StopReason::ToleranceStalled)),
        }
    }
}

/// The importance weights of the accepted `thetas`, proportional to
/// prior(theta) / sum_j w_j K(theta | theta_j) over the parents (in log
/// space, each particle's sum by log-sum-exp; the kernel's and prior's
/// normalising constants cancel). Computed in parallel, each particle's
/// in a fixed order, so they do not depend on the thread count.
fn importance_weights(prior: &Prior, parents: &Parents, thetas: &[Vec<f64>]) -> Vec<f64> {
    let ln_w: Vec<f64> = parents
        .population
        .weights()
        .iter()
        .map(|&w| if w > 0.0 { libm::log(w) } else { f64::NEG_INFINITY })
        .collect();
    let ln: Vec<Option<f64>> = thetas
        .par_iter()
        .map(|theta| {
            let y = parents.kernel.whiten(theta);
            let terms: Vec<f64> = parents
                .whitened
                .iter()
                .zip(&ln_w)
                .map(|(yj, lw)| lw - 0.5 * y.iter().zip(yj).map(|(a, b)| (a - b) * (a - b)).sum::<f64>())
                .collect();
            let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = terms.iter().map(|t| libm::exp(t - max)).sum();
            let v = prior.ln_density(theta)? - (max + libm::log(sum));
            v.is_finite().then_some(v)
        })
        .collect();
    let top = ln.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    ln.iter().map(|v| v.map_or(0.0, |v| libm::exp(v - top))).collect()
}

/// Why a calibration stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) enum StopReason {
    /// The simulation budget is used up.
    Budget,
    /// A generation's acceptance rate fell below the minimum.
    AcceptanceRate,
    /// The tolerance stopped shrinking.
    ToleranceStalled,
    /// The maximum number of generations is reached.
    MaxGenerations,
    /// A generation was closed before it completed.
    Interrupted,
    /// The importance weights could not be computed (all underflowed).
    Degenerate,
}

impl StopReason {
    /// A sentence for outputs.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            StopReason::Budget => "the simulation budget is used up",
            StopReason::AcceptanceRate => "the acceptance rate fell below its minimum",
            StopReason::ToleranceStalled => "the tolerance stopped shrinking",
            StopReason::MaxGenerations => "the maximum number of generations is reached",
            StopReason::Interrupted => "a generation was closed before it completed",
            StopReason::Degenerate => "the importance weights could not be computed",
        }
    }
}

/// One generation's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct GenerationStats {
    /// Its index.
    pub(crate) generation: usize,
    /// Its tolerance (`None` in generation 0, which accepts every
    /// simulation with finite summaries).
    pub(crate) tolerance: Option<f64>,
    /// Candidates proposed, in index order up to its end.
    pub(crate) candidates: u64,
    /// Of these, outside the prior's support (not simulated).
    pub(crate) outside_support: u64,
    /// Simulations counted against the budget.
    pub(crate) simulations: u64,
    /// Of these, with a non-finite summary (rejected).
    pub(crate) undefined: u64,
    /// Simulations run past its end (the last batch's overshoot; not
    /// counted against the budget, and the only figure that depends on
    /// the batch size).
    pub(crate) wasted: u64,
    /// Particles accepted (N when complete).
    pub(crate) accepted: usize,
    /// Accepted over proposed candidates.
    pub(crate) acceptance_rate: Option<f64>,
    /// The population's effective sample size (when complete).
    pub(crate) ess: Option<f64>,
    /// Whether it accepted N particles.
    pub(crate) complete: bool,
    /// Whether its kernel fell back to a diagonal covariance (`None` in
    /// generation 0).
    pub(crate) kernel_diagonal: Option<bool>,
    /// The series scales of the distance it measured candidates with
    /// (`None`: raw residuals, or a series left out).
    pub(crate) scales: Vec<Option<f64>>,
    /// The tolerance it sets for the next generation (when complete).
    pub(crate) next_tolerance: Option<f64>,
    /// The relative decrease of the tolerance under the new distance
    /// (from generation 1 on, when complete).
    pub(crate) tolerance_decrease: Option<f64>,
}

/// What closing a generation gives.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    /// Its figures.
    pub(crate) stats: GenerationStats,
    /// Its population, when it completed.
    pub(crate) population: Option<Population>,
    /// The next generation, or why the calibration stops.
    pub(crate) next: Next,
}

/// What follows a generation.
#[derive(Clone, Debug)]
pub(crate) enum Next {
    /// The next generation.
    Continue(Generation),
    /// The calibration stops, for this reason.
    Stop(StopReason),
}

/// A whole calibration's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Calibrated {
    /// Each generation's figures, including an abandoned last one.
    pub(crate) generations: Vec<GenerationStats>,
    /// Each completed generation's population; the last is the posterior.
    pub(crate) populations: Vec<Population>,
    /// Why it stopped.
    pub(crate) stop: StopReason,
}

#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "the whole-run driver of the tests; the command drives generations itself"
    )
)]
impl Calibrated {
    /// The posterior: the last completed population (`None` when not even
    /// generation 0 completed).
    pub(crate) fn posterior(&self) -> Option<&Population> {
        self.populations.last()
    }

    /// The simulations counted against the budget.
    pub(crate) fn simulations(&self) -> u64 {
        self.generations.iter().map(|g| g.simulations).sum()
    }
}

/// Evaluates the candidates inside the support with one call of
/// `evaluator` (which must return one summary vector per parameter vector,
/// in order).
pub(crate) fn evaluate<E, F>(candidates: Vec<Candidate>, evaluator: &F) -> Result<Vec<Evaluated>, RunError<E>>
where
    F: Fn(&[Vec<f64>]) -> Result<Vec<Vec<f64>>, E>,
{
    let thetas: Vec<Vec<f64>> = candidates
        .iter()
        .filter(|c| c.in_support)
        .map(|c| c.theta.clone())
        .collect();
    let mut results = if thetas.is_empty() {
        Vec::new()
    } else {
        evaluator(&thetas).map_err(RunError::Evaluate)?
    };
    if results.len() != thetas.len() {
        return Err(AbcError::Shape(format!(
            "the evaluator returned {} summary vectors for {} parameter vectors",
            results.len(),
            thetas.len()
        ))
        .into());
    }
    results.reverse();
    Ok(candidates
        .into_iter()
        .map(|candidate| {
            let summaries = if candidate.in_support { results.pop() } else { None };
            Evaluated { candidate, summaries }
        })
        .collect())
}

/// Runs one generation: proposes batches of `settings.batch` candidates
/// (never more than its candidate cap, nor more simulations than the
/// budget leaves), evaluates them and accepts them, then closes it.
pub(crate) fn run_generation<E, F>(generation: &Generation, evaluator: &F) -> Result<Step, RunError<E>>
where
    F: Fn(&[Vec<f64>]) -> Result<Vec<Vec<f64>>, E>,
{
    continue_generation(generation, generation.acceptor(), evaluator)
}

/// Runs the rest of a generation whose candidates `acceptor` has taken so
/// far (a new acceptor: the whole generation), as [`run_generation`]
/// does, then closes it.
pub(crate) fn continue_generation<E, F>(
    generation: &Generation,
    mut acceptor: Acceptor,
    evaluator: &F,
) -> Result<Step, RunError<E>>
where
    F: Fn(&[Vec<f64>]) -> Result<Vec<Vec<f64>>, E>,
{
    let batch = generation.setup.settings.batch as u64;
    let cap = generation.max_candidates();
    let budget = generation.simulation_budget();
    while acceptor.status() == Status::Open {
        let first = acceptor.next_index();
        let end = first.saturating_add(batch).min(cap);
        let mut candidates = generation.propose(first..end);
        // No more simulations than the budget leaves.
        let left = budget.saturating_sub(acceptor.simulations());
        let reps = generation.setup.settings.replications as u64;
        let mut inside = 0u64;
        let keep = candidates
            .iter()
            .position(|c| {
                inside += u64::from(c.in_support) * reps;
                inside > left
            })
            .unwrap_or(candidates.len());
        candidates.truncate(keep);
        let evaluated = evaluate(candidates, evaluator)?;
        acceptor.accept(generation, evaluated)?;
    }
    Ok(acceptor.close(generation))
}

/// Runs a whole calibration from generation 0 until a stopping rule holds.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "the whole-run driver of the tests; the command drives generations itself"
    )
)]
pub(crate) fn run<E, F>(calibration: &Calibration, evaluator: F) -> Result<Calibrated, RunError<E>>
where
    F: Fn(&[Vec<f64>]) -> Result<Vec<Vec<f64>>, E>,
{
    let mut generation = calibration.first_generation();
    let mut generations = Vec::new();
    let mut populations = Vec::new();
    let stop = loop {
        let step = run_generation(&generation, &evaluator)?;
        generations.push(step.stats);
        populations.extend(step.population);
        match step.next {
            Next::Continue(next) => generation = next,
            Next::Stop(reason) => break reason,
        }
    };
    Ok(Calibrated {
        generations,
        populations,
        stop,
    })
}

/// A seed for simulating at `theta` in a calibration seeded with `seed`:
/// an evaluator whose replications draw from streams of this seed is a
/// function of the parameter vector alone, so its results do not depend
/// on the batch it lands in, nor on the thread or machine.
pub(crate) fn theta_seed(seed: u64, theta: &[f64]) -> u64 {
    // FNV-1a over the values' bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for x in theta {
        for b in x.to_bits().to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    stream_key(seed, h, "calibrate/model")
}
