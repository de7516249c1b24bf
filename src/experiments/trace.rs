//! One replication's audit log as a result: every pipeline event in the
//! order it happened, with the platform (or population member) named and
//! the detail written out, so that files and charts read it without
//! knowing the model. `gatesim trace` writes it; a run keeps replication
//! 0's for its release timeline (the named platforms' records only).
//! [`Trace::review_log`] turns it into a review log, one row per
//! submission, as `gatesim fit reviews` reads them.

use crate::core::event::TraceKind;
use crate::model::pipeline::{TraceFilter, TraceRecord};
use crate::scenario::Scenario;
use crate::world::run_replication_traced;

/// The audit log of one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// The scenario's name.
    pub scenario: String,
    /// The replication's index (0-based).
    pub replication: u64,
    /// The run's length, in milliseconds: when its log is taken.
    pub horizon_ms: u64,
    /// Platform names, in scenario order (a row's `platform` indexes them).
    pub platforms: Vec<String>,
    /// Population names, in scenario order (a row's `population` indexes them).
    pub populations: Vec<String>,
    /// Each platform's review class at the start (a `class_change` row's
    /// detail names its next).
    pub classes: Vec<String>,
    /// The events, in the order they happened.
    pub rows: Vec<TraceRow>,
}

/// One event of the audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    /// When, in milliseconds since the start (exact).
    pub time_ms: u64,
    /// The named platform's index, `None` for other events.
    pub platform: Option<usize>,
    /// The population's index, for its members' events and its own.
    pub population: Option<usize>,
    /// The member's index in its population, for a member's events.
    pub member: Option<u32>,
    /// The build's number within its platform (0 for none).
    pub build: u32,
    /// The submission's number (unique in the run), if one is concerned.
    pub submission: Option<usize>,
    /// What happened.
    pub kind: TraceKind,
    /// What was drawn, or why, as the audit log writes it.
    pub detail: String,
}

impl Trace {
    /// The log `records` of replication `replication` of scenario `s`,
    /// with its review classes and platforms named.
    pub(crate) fn of(s: &Scenario, replication: u64, records: &[TraceRecord]) -> Trace {
        let classes: Vec<String> = s.gatekeeper.classes.iter().map(|c| c.name.clone()).collect();
        Trace {
            scenario: s.name.clone(),
            replication,
            horizon_ms: u64::from(s.horizon_days) * crate::core::time::TICKS_PER_DAY,
            platforms: s.platforms.iter().map(|p| p.name.clone()).collect(),
            populations: s.populations.iter().map(|p| p.name.clone()).collect(),
            classes: s
                .platforms
                .iter()
                .map(|p| classes.get(p.class).cloned().unwrap_or_default())
                .collect(),
            rows: records
                .iter()
                .map(|r| TraceRow {
                    time_ms: r.time_ms,
                    platform: r.platform,
                    population: r.population,
                    member: r.member,
                    build: r.build,
                    submission: r.submission,
                    kind: r.kind,
                    detail: r.detail.render(&classes),
                })
                .collect(),
        }
    }

    /// The platform's name of `row`, if it has one.
    pub fn platform_of(&self, row: &TraceRow) -> Option<&str> {
        row.platform.and_then(|p| self.platforms.get(p)).map(String::as_str)
    }

    /// Whose event `row` is: a platform's name, a member's
    /// (`population#index`) or a population's; `None` for the gatekeeper's.
    pub fn actor_of(&self, row: &TraceRow) -> Option<String> {
        if let Some(p) = self.platform_of(row) {
            return Some(p.to_string());
        }
        let population = self.populations.get(row.population?)?;
        Some(match row.member {
            Some(i) => format!("{population}#{i}"),
            None => population.clone(),
        })
    }

    /// The log's submissions as a review log: one row per submission (a
    /// build submitted, or resubmitted after a fix), in the order they
    /// were made, with its platform's class at the time, and its decision
    /// (approval or rejection) or withdrawal (a newer build superseded it
    /// at the gatekeeper) if one came before the end of the run.
    pub fn review_log(&self) -> Vec<LogRow> {
        let mut class: Vec<String> = self.classes.clone();
        let mut rows: Vec<LogRow> = Vec::new();
        let mut open: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for r in &self.rows {
            match (r.kind, r.platform, r.submission) {
                (TraceKind::ClassChange, Some(p), _) => {
                    if let Some(c) = class.get_mut(p) {
                        c.clone_from(&r.detail);
                    }
                }
                (TraceKind::Submit, Some(p), Some(id)) => {
                    open.insert(id, rows.len());
                    rows.push(LogRow {
                        platform: p,
                        class: class.get(p).cloned().unwrap_or_default(),
                        build: r.build,
                        submitted_ms: r.time_ms,
                        decided: None,
                    });
                }
                (kind @ (TraceKind::Approve | TraceKind::Reject | TraceKind::Withdraw), _, Some(id)) => {
                    if let Some(i) = open.remove(&id) {
                        let outcome = match kind {
                            TraceKind::Approve => LogOutcome::Approved,
                            TraceKind::Reject => LogOutcome::Rejected,
                            _ => LogOutcome::Withdrawn,
                        };
                        rows[i].decided = Some((r.time_ms, outcome));
                    }
                }
                _ => {}
            }
        }
        rows
    }
}

/// How a submission of a [`LogRow`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogOutcome {
    /// Approved.
    Approved,
    /// Rejected.
    Rejected,
    /// Withdrawn: a newer build superseded it at the gatekeeper.
    Withdrawn,
}

impl LogOutcome {
    /// As a review log writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            LogOutcome::Approved => "approved",
            LogOutcome::Rejected => "rejected",
            LogOutcome::Withdrawn => "withdrawn",
        }
    }
}

/// One submission of a review log drawn from a trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRow {
    /// The platform's index.
    pub platform: usize,
    /// Its review class when the submission was made.
    pub class: String,
    /// The build's number within its platform.
    pub build: u32,
    /// When it was submitted, milliseconds since the start.
    pub submitted_ms: u64,
    /// When and how it ended, if it did before the end of the run.
    pub decided: Option<(u64, LogOutcome)>,
}

/// Runs replication `replication` of `s` and returns its audit log: the
/// named platforms' events and the gatekeeper's (members only when a
/// filter names their population: see [`trace_with`]).
pub fn trace(s: &Scenario, replication: u64) -> Result<Trace, crate::engine::ScheduleError> {
    let filter = TraceFilter::platforms_only(s.platforms.len(), s.populations.len());
    trace_with(s, replication, filter)
}

/// Runs replication `replication` of `s` and returns the audit log of the
/// platforms and populations `filter` keeps (and the gatekeeper's events).
pub fn trace_with(s: &Scenario, replication: u64, filter: TraceFilter) -> Result<Trace, crate::engine::ScheduleError> {
    let rep = run_replication_traced(s, replication, Some(filter))?;
    Ok(Trace::of(s, replication, rep.trace.as_deref().unwrap_or(&[])))
}
