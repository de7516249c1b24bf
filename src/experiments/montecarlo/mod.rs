//! Monte Carlo: many replications of a scenario, run in parallel and
//! summarised with honest statistics. Replication `i` draws only from streams
//! seeded by (seed, i, stream name), and the statistics are exact integer
//! accumulations (see [`collector`]), so the results are byte-identical for
//! any number of threads and any order in which replications finish.
//!
//! With a precision target, replications are added in fixed batches until
//! the 95% confidence half-width of every targeted headline metric is within
//! the target share of its mean (Law and Kelton's sequential procedure), or
//! a cap is reached (with an automatic warm-up, the steady-state means
//! are targeted too: the waits, utilisation and builds waiting). The
//! batches do not depend on the number of threads, so the stopping point
//! does not either.

pub(crate) mod collector;
pub(crate) mod headline;
pub(crate) mod result;
pub(crate) mod series;
mod tally;
pub(crate) mod warmup;

pub(crate) use headline::HeadlineStat;
pub(crate) use result::{
    AutoWarmup, CohortCurve, DailySeries, DayStat, Durations, Headline, MonteCarloResult, PrecisionReport,
};

use crate::engine::ScheduleError;
use crate::experiments::annotations::Annotations;
use crate::experiments::trace::Trace;
use crate::model::pipeline::TraceFilter;
use crate::scenario::Scenario;
use crate::world::{Replication, run_replication_traced};
use collector::{Collector, CollectorState, ShapeMismatch};
use rayon::prelude::*;
use series::{Names, Shape};
use std::sync::atomic::{AtomicBool, Ordering};

/// Replications added per step of a sequential (precision) run.
pub const PRECISION_BATCH: u64 = 50;

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Replications to run (the first batch, with a precision target).
    pub replications: u64,
    /// Relative precision target for the headline metrics, if any.
    pub precision: Option<f64>,
    /// Cap on replications with a precision target.
    pub max_replications: u64,
    /// Worker threads (at least 1).
    pub threads: usize,
}

/// Why a Monte Carlo run stopped without results.
#[derive(Debug, thiserror::Error)]
pub enum McError {
    /// The stop flag was raised (Ctrl-C).
    #[error("interrupted")]
    Interrupted,
    /// A replication failed.
    #[error("replication {replication} failed: {source}")]
    Replication {
        /// Its index.
        replication: u64,
        /// Why.
        source: ScheduleError,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Why not.
        message: String,
    },
}

/// A pool of `threads` worker threads.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, McError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| McError::Threads {
            threads,
            message: e.to_string(),
        })
}

/// Runs replications `range` of every scenario in `scenarios` on `pool`,
/// handing `sink` batches of consecutive indices, each index with its
/// replications (one per scenario, in order), in increasing index order.
/// Replication `i` of every scenario uses the same streams, so scenarios are
/// compared with common random numbers. With `trace_first`, replication 0
/// records its audit log (it draws the same numbers either way).
pub(crate) fn replicate(
    pool: &rayon::ThreadPool,
    scenarios: &[&Scenario],
    range: std::ops::Range<u64>,
    trace_first: bool,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
    sink: &mut dyn FnMut(Vec<Vec<Replication>>),
) -> Result<(), McError> {
    // Batches bound the memory held at once (two at most: one being
    // handed to `sink` while the next is computed); their size does not
    // affect results. Longer horizons make bigger replications, so fewer
    // of them per batch.
    let horizon = scenarios
        .iter()
        .map(|s| u64::from(s.horizon_days))
        .max()
        .unwrap_or(0)
        .max(365);
    let per_batch = (64 * 365 / horizon).max(2 * pool.current_num_threads() as u64);
    let compute = |from: u64, to: u64| -> Result<Vec<Vec<Replication>>, McError> {
        (from..to)
            .into_par_iter()
            .map(|i| {
                scenarios
                    .iter()
                    .map(|s| {
                        if stop.load(Ordering::Relaxed) {
                            return Err(McError::Interrupted);
                        }
                        // Replication 0 keeps its audit log when asked (the
                        // release timeline): the named platforms' only, not
                        // millions of members'.
                        let filter = (trace_first && i == 0)
                            .then(|| TraceFilter::platforms_only(s.platforms.len(), s.populations.len()));
                        let r = run_replication_traced(s, i, filter)
                            .map_err(|source| McError::Replication { replication: i, source });
                        done();
                        r
                    })
                    .collect()
            })
            .collect()
    };
    let mut next = range.start;
    let mut ready: Option<Vec<Vec<Replication>>> = None;
    loop {
        let end = (next + per_batch).min(range.end);
        let mut computed = None;
        // The workers compute the next batch while this thread hands the
        // previous one to the sink, in index order.
        pool.in_place_scope(|scope| {
            if next < end {
                let slot = &mut computed;
                let compute = &compute;
                scope.spawn(move |_| *slot = Some(compute(next, end)));
            }
            if let Some(batch) = ready.take() {
                sink(batch);
            }
        });
        match computed {
            Some(batch) => {
                ready = Some(batch?);
                next = end;
            }
            None => return Ok(()),
        }
    }
}

/// Runs replications `range` of scenario `s` into a fresh collector: one
/// shard of a run, whose collector's state merges exactly with the others'.
pub(crate) fn run_range(
    s: &Scenario,
    range: std::ops::Range<u64>,
    threads: usize,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<Collector, McError> {
    let pool = thread_pool(threads)?;
    let mut collector = collector_for(s);
    replicate(&pool, &[s], range, false, stop, done, &mut |batch| {
        collector.add_batch(batch.into_iter().flatten().collect());
    })?;
    Ok(collector)
}

/// The results of scenario `s` from its finished collector (no precision target).
pub(crate) fn results(s: &Scenario, collector: Collector) -> MonteCarloResult {
    MonteCarloResult::from_parts_named(collector.into_parts(), Names::of(s), Annotations::of(s), None)
}

/// The results of scenario `s` from the merged collector state of its
/// shards, with replication 0's audit log (run again: it draws the same
/// numbers as in the shard that ran it).
pub(crate) fn merged_results(s: &Scenario, state: CollectorState) -> Result<MonteCarloResult, ShapeMismatch> {
    let collector = collector_for(s).with_state(state)?;
    let mut r = results(s, collector);
    r.timeline = crate::experiments::trace::trace(s, 0).ok();
    Ok(r)
}

/// A collector for scenario `s`.
pub(crate) fn collector_for(s: &Scenario) -> Collector {
    let shape = Shape::of(s);
    Collector::new(
        series::series_of(shape),
        headline::headlines_of(shape),
        s.horizon_days as usize + 1,
        u64::from(s.warmup_days),
    )
}

/// Runs `plan` on scenario `s`. `done` is called after each replication
/// (from worker threads), `grow` when a precision run raises its target;
/// raising `stop` interrupts the run.
pub fn run(
    s: &Scenario,
    plan: &Plan,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
    grow: &dyn Fn(u64),
) -> Result<MonteCarloResult, McError> {
    let pool = thread_pool(plan.threads)?;
    let names = Names::of(s);
    let mut collector = collector_for(s);
    let mut target = plan.replications;
    let mut next = 0u64;
    let mut timeline = None;
    let precision = loop {
        replicate(&pool, &[s], next..target, true, stop, done, &mut |mut batch| {
            if let Some(first) = batch.first_mut().and_then(|b| b.first_mut())
                && first.index == 0
            {
                timeline = first.trace.take().map(|t| Trace::of(s, 0, &t));
            }
            collector.add_batch(batch.into_iter().flatten().collect());
        })?;
        next = target;
        let Some(goal) = plan.precision else { break None };
        let specs = headline::headlines_of(Shape::of(s));
        let targeted = |spec: &headline::HeadlineSpec| {
            spec.metric.precision_target() || (s.auto_warmup && warmup::is_steady_mean(spec.scope, spec.metric))
        };
        // In the pool: a steady-state mean's bootstrap shares its threads.
        let stats = pool.install(|| collector.headline_stats(|h| specs.get(h).is_some_and(targeted)));
        let worst = specs
            .iter()
            .zip(&stats)
            .filter_map(|(spec, st)| Some((spec, st.as_ref()?)))
            .map(|(spec, st)| {
                let rel = match (st.mean, st.ci_low, st.ci_high) {
                    (Some(m), Some(lo), Some(hi)) if m != 0.0 => 0.5 * (hi - lo) / m.abs(),
                    (Some(_), Some(lo), Some(hi)) if hi == lo => 0.0,
                    _ => f64::INFINITY,
                };
                let label = format!("{} {}", names.label(spec.scope), spec.metric);
                (label, rel, st.meets(goal) || rel == 0.0)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let met = worst.as_ref().is_none_or(|w| w.2);
        if met || target >= plan.max_replications {
            break Some(PrecisionReport {
                target: goal,
                max_replications: plan.max_replications,
                met,
                worst_relative_half_width: worst.as_ref().map(|w| w.1).filter(|r| r.is_finite()),
                worst: worst.map(|w| w.0),
            });
        }
        target = (target + PRECISION_BATCH).min(plan.max_replications);
        grow(target);
    };
    let mut r = pool
        .install(|| MonteCarloResult::from_parts_named(collector.into_parts(), names, Annotations::of(s), precision));
    r.timeline = timeline;
    Ok(r)
}
