//! The review pipeline as a state machine: platforms cut builds, submit them
//! to the gatekeeper, which holds, queues, reviews and decides them; approved
//! builds are released, rejected ones fixed and resubmitted, and the host's
//! one-version rule makes newer builds supersede pending ones.
//!
//! The actors are the named platforms and every member of the populations
//! ([`actor`]); the rules are written once for both ([`actors`] answers for
//! either), so a population of n members is the same model as n named
//! platforms, sharing the one gatekeeper. A named platform keeps its whole
//! history (builds and releases, which its users read); a member keeps a
//! compact record ([`members`]) and is counted with its population
//! ([`population_books`]).
//!
//! The pipeline never sees the event engine: [`Pipeline::handle`] takes one
//! [`PipelineEvent`] at its time and appends the events it wants to happen
//! later to a buffer, which [`crate::world`] schedules. Events that lose
//! their purpose (the hold of a withdrawn submission, the fix of a build a
//! newer one replaced) are recognised as stale when they fire and ignored,
//! one mechanism for every kind of cancellation. All randomness comes from
//! named per-platform streams (see [`streams`]) and per-member keyed draws,
//! so one platform's parameters never shift the numbers drawn for another.
//!
//! This module is the state machine's frame (its state, events, start,
//! audit log and end); the rules are in [`flow`] (builds and submissions),
//! [`review`] (holds, the queue and decisions), [`release`] and [`changes`]
//! (dated changes and the daily record). The gatekeeper's reviewers and
//! queue are [`crate::model::gatekeeper::Desk`], the host's rationing
//! [`crate::model::gatekeeper::Quotas`], and the statistics [`recorder`].

pub(crate) mod actor;
mod actors;
mod changes;
mod flow;
mod members;
mod metrics;
mod population_books;
mod recorder;
mod release;
mod review;
mod staleness;
mod state;
pub(crate) mod steady;
pub(crate) mod streams;
pub(crate) mod trace;

pub(crate) use metrics::{PipelineResult, PlatformDay, PopulationDay, share_within};
pub(crate) use trace::{KeptBack, Skipped, TraceDetail, TraceFilter, TraceKind, TraceRecord};

use crate::core::time::SimTime;
use crate::model::gatekeeper::{Desk, GatekeeperParams};
use crate::model::platform::{PlatformParams, Release};
use crate::model::policy::PolicyChange;
use crate::model::population::PopulationParams;
use actor::{Actor, Roster, Who};
use actors::Actors;
use members::PopulationState;
use recorder::{PlatformSnapshot, Recorder};
use state::{PlatformState, Submissions};
use streams::PlatformStreams;

/// Something that happens in the pipeline at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PipelineEvent {
    /// Actor `0` cuts a new build.
    BuildReady(Actor),
    /// The hold of the submission in slot `sub` ends (stale unless
    /// `generation` matches).
    HoldEnd {
        /// The submission's slot.
        sub: u32,
        /// Its generation when the hold was drawn.
        generation: u32,
        /// Its actor (read ahead of the event to prefetch its record).
        actor: Actor,
    },
    /// The review of the submission in slot `sub` ends (stale unless
    /// `generation` matches).
    ReviewEnd {
        /// The submission's slot.
        sub: u32,
        /// Its generation when the review started.
        generation: u32,
        /// Its actor (read ahead of the event to prefetch its record).
        actor: Actor,
    },
    /// A rejected build is fixed and ready to resubmit (stale if a newer
    /// build superseded it meanwhile).
    FixDone {
        /// The actor.
        actor: Actor,
        /// The build's number.
        build: u32,
    },
    /// An approved build's release delay is over.
    ReleaseStart {
        /// The actor.
        actor: Actor,
        /// The build's number.
        build: u32,
    },
    /// A phased release reaches every user.
    PhaseEnd(Actor),
    /// Scheduled policy change number `0` takes effect.
    Policy(u32),
    /// Time reaches `0` whole days: the defects found during the day before
    /// are drawn and the day's state recorded (day 0 records the start).
    DayEnd(u64),
}

/// Where the pipeline wants an event scheduled.
pub(crate) type Scheduled = (SimTime, PipelineEvent);

/// What a pipeline is made of.
pub(crate) struct Setup {
    /// The host's review.
    pub(crate) gatekeeper: GatekeeperParams,
    /// The named platforms, each with its random streams.
    pub(crate) platforms: Vec<(PlatformParams, PlatformStreams)>,
    /// The populations, each with the key of its members' draws.
    pub(crate) populations: Vec<(PopulationParams, u64)>,
    /// Dated policy changes.
    pub(crate) policy: Vec<PolicyChange>,
    /// When statistics start.
    pub(crate) warmup: SimTime,
    /// Whether to keep the steady-state sums by block (for a warm-up
    /// chosen after the run).
    pub(crate) steady: bool,
    /// The horizon, in whole days (records are kept for days 0 to it).
    pub(crate) horizon_days: u64,
    /// Whose records the audit log keeps; none kept without it.
    pub(crate) trace: Option<TraceFilter>,
}

/// A watched member's history, kept as a named platform's is.
struct Watched {
    population: usize,
    index: u32,
    /// When each build was cut (days), by number from 1.
    ready_days: Vec<f64>,
    releases: Vec<Release>,
}

/// The audit log and whose records it keeps.
struct Tracer {
    records: Vec<TraceRecord>,
    filter: TraceFilter,
}

/// The whole pipeline of one replication.
pub(crate) struct Pipeline {
    desk: Desk,
    actors: Actors,
    subs: Submissions,
    policy: Vec<PolicyChange>,
    books: Recorder,
    trace: Option<Tracer>,
    /// The tracked platforms' states at a day's end, kept from day to day
    /// (a day's record would otherwise allocate).
    snapshots: Vec<PlatformSnapshot>,
    /// The watched members, by tracked number past the platforms.
    watched: Vec<Watched>,
    /// Scratch: the staleness of a population's members in a phase.
    phased: Vec<f64>,
}

/// Room for the submissions of `builds` expected builds: a quarter more,
/// for resubmissions after rejections (the recorder's duration lists are
/// sized by it).
pub(crate) fn submissions_for(builds: usize) -> usize {
    builds + builds / 4
}

/// Most durations the gatekeeper's lists make room for at the start.
const MAX_ROOM: usize = 1 << 24;

impl Pipeline {
    /// A pipeline at time zero.
    pub(crate) fn new(setup: Setup) -> Pipeline {
        let days = setup.horizon_days as usize + 1;
        let per_build = |d: &crate::core::dist::Dist| d.mean().filter(|m| *m >= 1.0).unwrap_or(1.0);
        // Room for the builds each platform is expected to cut (the
        // records of builds, releases, submissions and their durations
        // then grow without copying, in the common case); a watched member
        // as a platform.
        let mut rooms: Vec<usize> = setup
            .platforms
            .iter()
            .map(|(p, _)| ((days as f64 / per_build(&p.cadence_days)) as usize + 4).min(1 << 12))
            .collect();
        let mut expected = 0f64;
        for (pop, _) in &setup.populations {
            let room = ((days as f64 / per_build(&pop.cadence_days)) as usize + 4).min(1 << 12);
            rooms.extend(pop.watch.iter().map(|_| room));
            expected += f64::from(pop.count) * days as f64 / per_build(&pop.cadence_days);
        }
        let expected = (submissions_for(expected as usize)).min(MAX_ROOM);
        let gk = setup.gatekeeper;
        let rationed =
            gk.withdrawal_caps.per_day.is_some() || gk.withdrawal_caps.per_month.is_some() || gk.expedite.is_some();
        let platforms: Vec<PlatformState> = setup
            .platforms
            .into_iter()
            .zip(&rooms)
            .map(|((p, s), &room)| PlatformState::new(p, s, room))
            .collect();
        let roster = Roster::new(platforms.len(), setup.populations.iter().map(|(p, _)| p.count));
        let mut first_tracked = platforms.len();
        let mut watched = Vec::new();
        let populations: Vec<PopulationState> = setup
            .populations
            .into_iter()
            .enumerate()
            .map(|(k, (params, key))| {
                let state = PopulationState::new(params, key, rationed, first_tracked);
                first_tracked += state.watched.len();
                watched.extend(state.watched.iter().map(|&(index, _)| Watched {
                    population: k,
                    index,
                    ready_days: Vec::new(),
                    releases: Vec::new(),
                }));
                state
            })
            .collect();
        let horizon = SimTime::from_days(setup.horizon_days);
        let pop_books = populations
            .iter()
            .map(|p| p.books(setup.warmup, days, horizon))
            .collect();
        let books = Recorder::new(
            setup.warmup,
            gk.reviewers,
            &rooms,
            (pop_books, expected),
            days,
            setup.steady,
        );
        Pipeline {
            desk: Desk::new(gk),
            actors: Actors {
                roster,
                platforms,
                populations,
            },
            subs: Submissions::with_capacity(64),
            policy: setup.policy,
            books,
            trace: setup.trace.map(|filter| Tracer {
                records: Vec::new(),
                filter,
            }),
            snapshots: Vec::new(),
            watched,
            phased: Vec::new(),
        }
    }

    /// The events that start the run: every dated policy change first (a
    /// change comes before anything else at its instant, first builds
    /// included), then each platform's first build and each member's.
    pub(crate) fn initial_events(&mut self, out: &mut Vec<Scheduled>) {
        for (i, change) in self.policy.iter().enumerate() {
            out.push((SimTime::from_days_f64(change.day), PipelineEvent::Policy(i as u32)));
        }
        let actors: Vec<Actor> = self.actors.roster.all().collect();
        out.reserve(actors.len());
        for a in actors {
            let who = self.actors.who(a);
            if let Some(days) = self.actors.draw_first_build(who) {
                out.push((SimTime::from_days_f64(days), PipelineEvent::BuildReady(a)));
            }
        }
    }

    /// Members of every population (count): the work of a run grows with it.
    pub(crate) fn members(&self) -> u64 {
        self.actors.populations.iter().map(|p| u64::from(p.params.count)).sum()
    }

    /// Handles `event` at time `now`, appending follow-up events to `out`.
    /// Inlined into the event loop, whose one call site it is.
    #[inline(always)]
    pub(crate) fn handle(&mut self, now: SimTime, event: PipelineEvent, out: &mut Vec<Scheduled>) {
        match event {
            PipelineEvent::BuildReady(a) => self.on_build(now, a, out),
            PipelineEvent::HoldEnd { sub, generation, .. } => {
                let sub = sub as usize;
                let s = &self.subs[sub];
                if s.state == state::SubState::Held && s.generation == generation {
                    self.desk.unhold();
                    self.enqueue(now, sub, out);
                }
            }
            PipelineEvent::ReviewEnd { sub, generation, .. } => self.on_review_end(now, sub as usize, generation, out),
            PipelineEvent::FixDone { actor, build } => {
                let who = self.actors.who(actor);
                if self.actors.finish_fixing(who, build) {
                    self.submit(now, who, build, true, out);
                }
            }
            PipelineEvent::ReleaseStart { actor, build } => self.on_release_due(now, actor, build, out),
            PipelineEvent::PhaseEnd(a) => self.on_phase_end(now, a, out),
            PipelineEvent::Policy(i) => self.on_policy(now, i as usize, out),
            PipelineEvent::DayEnd(day) => self.on_day_end(now, day),
        }
        self.books.levels(now, self.desk.levels());
    }

    /// Prefetches what handling `event` will touch first (a member's
    /// record, a submission's slot): a hint, it changes nothing.
    #[inline]
    pub(crate) fn prefetch(&self, event: &PipelineEvent) {
        match *event {
            PipelineEvent::BuildReady(a)
            | PipelineEvent::FixDone { actor: a, .. }
            | PipelineEvent::ReleaseStart { actor: a, .. }
            | PipelineEvent::PhaseEnd(a) => self.actors.prefetch(a),
            PipelineEvent::HoldEnd { sub, actor, .. } | PipelineEvent::ReviewEnd { sub, actor, .. } => {
                self.subs.prefetch(sub as usize);
                self.actors.prefetch(actor);
            }
            PipelineEvent::Policy(_) | PipelineEvent::DayEnd(_) => {}
        }
    }

    /// Platform `p`'s staleness at `now` (days; see [`state`]).
    pub(crate) fn staleness_days(&self, p: usize, now: SimTime) -> f64 {
        self.actors.platforms[p].staleness_days(now)
    }

    /// Platform `p`'s defects found and not yet fixed by a release (count).
    pub(crate) fn open_defects(&self, p: usize) -> u64 {
        let st = &self.actors.platforms[p];
        st.defects_found - st.defects_fixed_upto
    }

    /// Platform `p`'s releases so far, in order.
    pub(crate) fn releases(&self, p: usize) -> &[Release] {
        &self.actors.platforms[p].releases
    }

    /// Finishes the run at `end` and returns its results.
    pub(crate) fn finish(self, end: SimTime) -> (PipelineResult, Option<Vec<TraceRecord>>) {
        let named = self.actors.platforms.len();
        let pops = &self.actors.populations;
        let watched_names: Vec<String> = self
            .watched
            .iter()
            .map(|w| pops[w.population].params.member_name(w.index))
            .collect();
        let population_names: Vec<String> = pops.iter().map(|p| p.params.name.clone()).collect();
        let tracked = self
            .actors
            .platforms
            .into_iter()
            .map(|st| (st.params.name, st.releases))
            .chain(
                watched_names
                    .into_iter()
                    .zip(self.watched.into_iter().map(|w| w.releases)),
            );
        let (mut platforms, populations, gatekeeper) =
            self.books.finish(end, self.desk.levels(), tracked, population_names);
        let watched = platforms.split_off(named);
        (
            PipelineResult {
                platforms,
                watched,
                populations,
                gatekeeper,
            },
            self.trace.map(|t| t.records),
        )
    }

    /// Records `kind` at `now` for `who` (or the gatekeeper), if the
    /// audit log is kept and wants it; `sub` names a submission's slot.
    fn log(
        &mut self,
        now: SimTime,
        who: Option<Who>,
        build: u32,
        sub: Option<usize>,
        kind: TraceKind,
        detail: TraceDetail,
    ) {
        let Some(t) = &mut self.trace else {
            return;
        };
        let (platform, population, member) = match who {
            None => (None, None, None),
            Some(Who::Platform(p)) => (Some(p), None, None),
            Some(Who::Member { population, index }) => (None, Some(population), Some(index)),
        };
        let wanted = match (platform, population) {
            (Some(p), _) => t.filter.platforms.get(p).copied().unwrap_or(false),
            (None, Some(k)) => t.filter.populations.get(k).copied().unwrap_or(false),
            (None, None) => true,
        };
        if wanted {
            t.records.push(TraceRecord {
                time_ms: now.ticks(),
                platform,
                population,
                member,
                build,
                submission: sub.map(|s| self.subs[s].number as usize),
                kind,
                detail,
            });
        }
    }

    /// Records a population-wide `kind` at `now` (a class change).
    fn log_population(&mut self, now: SimTime, population: usize, kind: TraceKind, detail: TraceDetail) {
        if let Some(t) = &mut self.trace
            && t.filter.populations.get(population).copied().unwrap_or(false)
        {
            t.records.push(TraceRecord {
                time_ms: now.ticks(),
                platform: None,
                population: Some(population),
                member: None,
                build: 0,
                submission: None,
                kind,
                detail,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_takes_16_bytes() {
        assert_eq!(std::mem::size_of::<PipelineEvent>(), 16);
    }
}
