//! The drivers of a calibration. [`Problem::run`] goes on from a
//! [`Progress`] (a start, or a calibration resumed) generation after
//! generation until a stopping rule holds, in batches of candidates on the
//! caller's thread pool. A sharded calibration runs a generation in rounds
//! instead: every shard of a round evaluates its block of the round's
//! window of candidate indices ([`Problem::window`],
//! [`Problem::evaluate_window`]), and the merge takes the window's
//! evaluated candidates in index order ([`Problem::take_window`]): the
//! generation then completes (or stops) and the next one is set up, or it
//! needs another round. Candidates are accepted in index order from their
//! own streams either way, so the populations and every figure but the
//! simulations wasted past a generation's end are the same however the
//! calibration was run.

use super::state::Progress;
use super::{CalibrationError, Problem};
use crate::analysis::abc::{
    Acceptor, Evaluated, Generation, GenerationStats, Next, Population, RunError, Status, Step, StopReason,
    continue_generation, evaluate,
};
use std::ops::Range;
use std::sync::atomic::AtomicBool;

/// A calibration's result so far.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// Every closed generation's figures, in order.
    pub(crate) history: Vec<GenerationStats>,
    /// The last completed population: the posterior (when the calibration
    /// stopped) or the best so far.
    pub(crate) posterior: Option<Population>,
    /// Why it stopped; `None` while it goes on.
    pub(crate) stop: Option<StopReason>,
    /// Where it stands, while it goes on.
    pub(crate) progress: Option<Progress>,
}

impl Outcome {
    /// The simulations counted against the budget.
    pub(crate) fn simulations(&self) -> u64 {
        self.history.iter().map(|g| g.simulations).sum()
    }
}

/// The evaluator's error as the calibration's.
fn lift(e: RunError<CalibrationError>) -> CalibrationError {
    match e {
        RunError::Abc(e) => CalibrationError::Setup(e),
        RunError::Evaluate(e) => e,
    }
}

impl Problem {
    /// A calibration's start.
    pub(crate) fn start(&self) -> Progress {
        Progress::start(self.calibration.first_generation().parts())
    }

    /// The generation `progress` runs next and the acceptor of what it has
    /// taken of it, both checked against this calibration.
    fn resume(&self, progress: &Progress) -> Result<(Generation, Acceptor), CalibrationError> {
        let generation = self
            .calibration
            .generation(progress.next.clone())
            .map_err(|e| CalibrationError::State(format!("the saved calibration does not fit: {e}")))?;
        if generation.index() != progress.history.len() {
            return Err(CalibrationError::State(format!(
                "the saved calibration does not fit: generation {} follows {} closed ones",
                generation.index(),
                progress.history.len()
            )));
        }
        let acceptor = match &progress.open {
            None => generation.acceptor(),
            Some(a) => a.clone().checked(&generation).ok_or_else(|| {
                CalibrationError::State("the saved calibration does not fit: its open generation is malformed".into())
            })?,
        };
        Ok((generation, acceptor))
    }

    /// Where the calibration stands after a closed generation `step`,
    /// which followed `history`; `last` is the last population before it.
    fn after(history: Vec<GenerationStats>, last: Option<Population>, step: Step) -> (Outcome, Option<Generation>) {
        let mut history = history;
        history.push(step.stats);
        let posterior = step.population.or(last);
        match step.next {
            Next::Continue(next) => {
                let progress = Progress {
                    history: history.clone(),
                    next: next.parts(),
                    open: None,
                };
                (
                    Outcome {
                        history,
                        posterior,
                        stop: None,
                        progress: Some(progress),
                    },
                    Some(next),
                )
            }
            Next::Stop(reason) => (
                Outcome {
                    history,
                    posterior,
                    stop: Some(reason),
                    progress: None,
                },
                None,
            ),
        }
    }

    /// Runs the calibration from `progress` to its end on `pool`; `done`
    /// is called after each simulation, raising `stop` interrupts.
    pub(crate) fn run(
        &self,
        progress: Progress,
        pool: &rayon::ThreadPool,
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Outcome, CalibrationError> {
        let (mut generation, mut acceptor) = self.resume(&progress)?;
        let mut history = progress.history;
        let mut last = generation.previous().cloned();
        let evaluator = |thetas: &[Vec<f64>]| self.simulate(thetas, stop, done);
        loop {
            let step = pool
                .install(|| continue_generation(&generation, acceptor, &evaluator))
                .map_err(lift)?;
            let (outcome, next) = Problem::after(history, last, step);
            match next {
                Some(next) => {
                    history = outcome.history;
                    last = outcome.posterior;
                    acceptor = next.acceptor();
                    generation = next;
                }
                None => return Ok(outcome),
            }
        }
    }

    /// The window of candidate indices the next round of shards evaluates
    /// from `progress`: from the first candidate not yet taken, about
    /// enough for the particles still needed at the acceptance rate
    /// expected (all of them in generation 0, which accepts every defined
    /// simulation; later, half the previous generation's rate, or the rate
    /// so far of a generation already under way), a quarter more, and 16;
    /// never past the candidates the generation may propose nor the
    /// simulations the budget leaves. A window too short only costs
    /// another round; one too long, simulations past the generation's end.
    pub(crate) fn window(&self, progress: &Progress) -> Result<Range<u64>, CalibrationError> {
        let (generation, acceptor) = self.resume(progress)?;
        let start = acceptor.next_index();
        let settings = self.calibration.settings();
        let need = settings.particles.saturating_sub(acceptor.accepted()) as f64;
        let rate = if acceptor.next_index() > 0 && acceptor.accepted() > 0 {
            acceptor.accepted() as f64 / acceptor.next_index() as f64
        } else if generation.index() == 0 {
            1.0
        } else {
            progress
                .history
                .last()
                .and_then(|g| g.acceptance_rate)
                .map_or(0.1, |a| 0.5 * a)
                .max(settings.min_acceptance)
                .max(1e-6)
        };
        let margin = if generation.index() == 0 { 1.02 } else { 1.25 };
        let wanted = (margin * need / rate).ceil() as u64 + 16;
        let reps = settings.replications as u64;
        let affordable = generation
            .simulation_budget()
            .saturating_sub(acceptor.simulations())
            .checked_div(reps)
            .unwrap_or(0)
            .max(1);
        let room = generation.max_candidates().saturating_sub(start).max(1);
        Ok(start..start + wanted.min(affordable).min(room))
    }

    /// Proposes and evaluates the candidates `block` (of the window of
    /// `progress`) on `pool`.
    pub(crate) fn evaluate_window(
        &self,
        progress: &Progress,
        block: Range<u64>,
        pool: &rayon::ThreadPool,
        stop: &AtomicBool,
        done: &(dyn Fn() + Sync),
    ) -> Result<Vec<Evaluated>, CalibrationError> {
        let (generation, _) = self.resume(progress)?;
        let evaluator = |thetas: &[Vec<f64>]| self.simulate(thetas, stop, done);
        pool.install(|| evaluate(generation.propose(block), &evaluator))
            .map_err(lift)
    }

    /// Takes the evaluated candidates of a round's window (every shard's
    /// block, in order) into the generation of `progress`: it completes,
    /// stops or needs another round.
    pub(crate) fn take_window(
        &self,
        progress: Progress,
        evaluated: Vec<Evaluated>,
    ) -> Result<Outcome, CalibrationError> {
        let (generation, mut acceptor) = self.resume(&progress)?;
        let status = acceptor
            .accept(&generation, evaluated)
            .map_err(|e| CalibrationError::State(format!("the shards' candidates do not fit their generation: {e}")))?;
        let last = generation.previous().cloned();
        if status == Status::Open {
            let progress = Progress {
                open: Some(acceptor),
                ..progress
            };
            return Ok(Outcome {
                history: progress.history.clone(),
                posterior: last,
                stop: None,
                progress: Some(progress),
            });
        }
        let step = acceptor.close(&generation);
        Ok(Problem::after(progress.history, last, step).0)
    }
}
