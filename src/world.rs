//! One replication: builds the pipeline of a [`Scenario`] with the random
//! streams of replication `i`, runs it on the event engine to the horizon and
//! returns what it measured. The one place where the generic engine and the
//! domain meet; it decides nothing about either.

use crate::core::time::SimTime;
use crate::engine::{ScheduleError, Simulation};
use crate::model::pipeline::streams::PlatformStreams;
use crate::model::pipeline::{Pipeline, PipelineEvent, PipelineResult, Scheduled, TraceRecord};
use crate::model::users::{Experience, UserModel, UsersResult};
use crate::scenario::Scenario;

/// What one replication produced.
#[derive(Clone, Debug)]
pub struct Replication {
    /// The user model's measurements, if the scenario has users.
    pub users: Option<UsersResult>,
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
pub fn run_replication(scenario: &Scenario, index: u64, trace: bool) -> Result<Replication, ScheduleError> {
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
        (
            SimTime::from_days(u64::from(scenario.warmup_days)),
            scenario.horizon_days as usize + 1,
        ),
        trace,
    );
    let horizon_day = u64::from(scenario.horizon_days);
    let horizon = SimTime::from_days(horizon_day);
    let mut sim = Simulation::with_capacity(64);
    let mut pending: Vec<Scheduled> = Vec::new();
    pipeline.initial_events(&mut pending);
    for (at, ev) in pending.drain(..) {
        sim.schedule_at(at, ev)?;
    }
    let names: Vec<String> = scenario.platforms.iter().map(|p| p.name.clone()).collect();
    let mut users = scenario
        .users
        .clone()
        .map(|m| UserModel::new(m, &names, scenario.seed, index, horizon_day));
    // Day ends are not queued: each is handled when time reaches its day,
    // before anything else happening at that instant, so each day's record
    // is the state at that instant (as if scheduled before every other event).
    let mut next_day = 0u64;
    let mut days = 0u64;
    loop {
        let due = sim.peek_time().filter(|&t| t <= horizon);
        let day_first = next_day <= horizon_day && due.is_none_or(|t| t >= SimTime::from_days(next_day));
        let (now, ev) = if day_first {
            let ev = PipelineEvent::DayEnd(next_day);
            next_day += 1;
            days += 1;
            (SimTime::from_days(next_day - 1), ev)
        } else if let Some(ev) = sim.next_until(horizon) {
            (sim.now(), ev)
        } else {
            break;
        };
        pipeline.handle(now, ev, &mut pending);
        for (at, ev) in pending.drain(..) {
            sim.schedule_at(at, ev)?;
        }
        // Users live by the day: each day end moves them with the
        // platforms' state at that instant.
        if let (PipelineEvent::DayEnd(day), Some(u)) = (ev, users.as_mut()) {
            let exp: Vec<Experience<'_>> = (0..names.len())
                .map(|p| Experience {
                    staleness_days: pipeline.staleness_days(p, now),
                    open_defects: pipeline.open_defects(p),
                    releases: pipeline.releases(p),
                })
                .collect();
            u.step(day, &exp);
        }
    }
    let events = sim.events_processed() + days;
    let (result, trace) = pipeline.finish(horizon);
    Ok(Replication {
        users: users.map(UserModel::finish),
        index,
        result,
        trace,
        events,
    })
}
