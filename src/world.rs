//! One replication: builds the pipeline of a [`Scenario`] with the random
//! streams of replication `i`, runs it on the event engine to the horizon and
//! returns what it measured. The one place where the generic engine and the
//! domain meet; it decides nothing about either.

use crate::core::time::{SimDuration, SimTime};
use crate::engine::{ScheduleError, Simulation};
use crate::model::pipeline::streams::{PlatformStreams, population_key};
use crate::model::pipeline::{Pipeline, PipelineEvent, PipelineResult, Scheduled, Setup, TraceFilter, TraceRecord};
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

/// Runs replication `index` of `scenario`; records the audit log of every
/// platform and every population's members if `trace`.
pub fn run_replication(scenario: &Scenario, index: u64, trace: bool) -> Result<Replication, ScheduleError> {
    let filter = trace.then(|| TraceFilter::everything(scenario.platforms.len(), scenario.populations.len()));
    run_replication_traced(scenario, index, filter)
}

/// Members' builds expected per window of the engine's calendar: enough
/// to make moving a window into the heap cheap, few enough for the heap
/// to stay in the caches.
const BUILDS_PER_WINDOW: f64 = 2048.0;

/// Runs replication `index` of `scenario`, recording the audit log of the
/// platforms and populations `trace` keeps (none without it).
pub fn run_replication_traced(
    scenario: &Scenario,
    index: u64,
    trace: Option<TraceFilter>,
) -> Result<Replication, ScheduleError> {
    let platforms = scenario
        .platforms
        .iter()
        .map(|p| (p.clone(), PlatformStreams::new(scenario.seed, index, &p.name)))
        .collect();
    let populations = scenario
        .populations
        .iter()
        .map(|p| (p.clone(), population_key(scenario.seed, index, &p.name)))
        .collect();
    let horizon_day = u64::from(scenario.horizon_days);
    let mut pipeline = Pipeline::new(Setup {
        gatekeeper: scenario.gatekeeper.clone(),
        platforms,
        populations,
        policy: scenario.changes.clone(),
        warmup: SimTime::from_days(u64::from(scenario.warmup_days)),
        steady: scenario.auto_warmup,
        horizon_days: horizon_day,
        trace,
    });
    let horizon = SimTime::from_days(horizon_day);
    // Members wait weeks for their next build, millions of them: their
    // builds wait in the engine's calendar, in windows of about
    // BUILDS_PER_WINDOW builds (a minute to a day).
    let builds_per_day: f64 = scenario
        .populations
        .iter()
        .map(|p| f64::from(p.count) / p.cadence_days.mean().filter(|m| *m > 0.0).unwrap_or(1.0))
        .sum();
    let prefetching = pipeline.members() > 0;
    let mut sim = if prefetching {
        let window = (BUILDS_PER_WINDOW / builds_per_day.max(1.0)).clamp(1.0 / 1440.0, 1.0);
        Simulation::with_calendar(64, SimDuration::from_days(window))
    } else {
        Simulation::with_capacity(64)
    };
    let mut pending: Vec<Scheduled> = Vec::new();
    pipeline.initial_events(&mut pending);
    for (at, ev) in pending.drain(..) {
        sim.schedule_at(at, ev)?;
    }
    // A population's first builds filled it by the million; a handful at
    // a time follow.
    pending.shrink_to(64);
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
            // With millions of members, the next event's member lies at
            // random in memory: ask for it now, it arrives while this
            // event is handled.
            if prefetching && let Some(next) = sim.peek() {
                pipeline.prefetch(next);
            }
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
