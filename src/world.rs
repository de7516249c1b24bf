//! One replication: builds the pipeline of a [`Scenario`] with the random
//! streams of replication `i`, runs it on the event engine to the horizon and
//! returns what it measured. The one place where the generic engine and the
//! domain meet; it decides nothing about either.

use crate::engine::{ScheduleError, Simulation};
use crate::pipeline::streams::PlatformStreams;
use crate::pipeline::{Pipeline, PipelineEvent, PipelineResult, Scheduled, TraceRecord};
use crate::scenario::Scenario;
use crate::time::SimTime;

/// What one replication produced.
#[derive(Clone, Debug)]
pub struct Replication {
    /// Replication index (0-based); with the seed, it fixes every random number.
    pub index: u64,
    /// The pipeline's measurements.
    pub result: PipelineResult,
    /// The audit log, when asked for.
    pub trace: Option<Vec<TraceRecord>>,
    /// Events the engine processed (count).
    pub events: u64,
}

/// Runs replication `index` of `scenario`; records the audit log if `trace`.
pub fn run_replication(
    scenario: &Scenario,
    index: u64,
    trace: bool,
) -> Result<Replication, ScheduleError> {
    let streams = scenario
        .platforms
        .iter()
        .map(|p| PlatformStreams::new(scenario.seed, index, &p.name))
        .collect();
    let mut pipeline = Pipeline::new(
        scenario.gatekeeper.clone(),
        scenario.platforms.clone(),
        streams,
        scenario.changes.clone(),
        SimTime::from_days(u64::from(scenario.warmup_days)),
        trace,
    );
    let horizon_day = u64::from(scenario.horizon_days);
    let horizon = SimTime::from_days(horizon_day);
    let mut sim = Simulation::with_capacity(64 + horizon_day as usize);
    // Day ends are scheduled first, so each day's record is the state at
    // that instant, before anything else happening at the same time.
    for day in 0..=horizon_day {
        sim.schedule_at(SimTime::from_days(day), PipelineEvent::DayEnd(day))?;
    }
    let mut pending: Vec<Scheduled> = Vec::new();
    pipeline.initial_events(&mut pending);
    for (at, ev) in pending.drain(..) {
        sim.schedule_at(at, ev)?;
    }
    while let Some(ev) = sim.next_until(horizon) {
        pipeline.handle(sim.now(), ev, &mut pending);
        for (at, ev) in pending.drain(..) {
            sim.schedule_at(at, ev)?;
        }
    }
    let events = sim.events_processed();
    let (result, trace) = pipeline.finish(horizon);
    Ok(Replication {
        index,
        result,
        trace,
        events,
    })
}
