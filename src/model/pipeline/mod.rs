//! The review pipeline as a state machine: platforms cut builds, submit them
//! to the gatekeeper, which holds, queues, reviews and decides them; approved
//! builds are released, rejected ones fixed and resubmitted, and the host's
//! one-version rule makes newer builds supersede pending ones.
//!
//! The pipeline never sees the event engine: [`Pipeline::handle`] takes one
//! [`PipelineEvent`] at its time and appends the events it wants to happen
//! later to a buffer, which [`crate::world`] schedules. Events that lose
//! their purpose (the hold of a withdrawn submission, the fix of a build a
//! newer one replaced) are recognised as stale when they fire and ignored,
//! one mechanism for every kind of cancellation. All randomness comes from
//! named per-platform streams (see [`streams`]), so one platform's parameters
//! never shift the numbers drawn for another.
//!
//! This module is the state machine only: the gatekeeper's reviewers and
//! queue are [`crate::model::gatekeeper::Desk`], the host's rationing
//! [`crate::model::gatekeeper::Quotas`], and the statistics [`recorder`].

mod metrics;
mod recorder;
mod state;
pub(crate) mod streams;
pub(crate) mod trace;

pub(crate) use metrics::{PipelineResult, PlatformDay};
pub(crate) use trace::{KeptBack, Skipped, TraceDetail, TraceKind, TraceRecord};

use crate::core::dist::Dist;
use crate::core::time::{SimDuration, SimTime};
use crate::model::gatekeeper::{ClassId, Desk, GatekeeperParams, InReview};
use crate::model::platform::{Build, ExpeditePolicy, PlatformParams, Release};
use crate::model::policy::{Change, PolicyChange};
use rand::RngExt;
use recorder::{PlatformSnapshot, Recorder};
use state::{PlatformState, SubState, Submission};
use streams::PlatformStreams;

/// Something that happens in the pipeline at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PipelineEvent {
    /// Platform `0` cuts a new build.
    BuildReady(usize),
    /// The hold of submission `sub` ends (stale unless `generation` matches).
    HoldEnd {
        /// The submission.
        sub: usize,
        /// Its hold generation when the hold was drawn.
        generation: u32,
    },
    /// The review of submission `0` ends.
    ReviewEnd(usize),
    /// A rejected build is fixed and ready to resubmit (stale if a newer
    /// build superseded it meanwhile).
    FixDone {
        /// The platform.
        platform: usize,
        /// The build's number.
        build: u32,
    },
    /// An approved build's release delay is over.
    ReleaseStart {
        /// The platform.
        platform: usize,
        /// The build's number.
        build: u32,
    },
    /// A phased release reaches every user.
    PhaseEnd(usize),
    /// Scheduled policy change number `0` takes effect.
    Policy(usize),
    /// Time reaches `0` whole days: the defects found during the day before
    /// are drawn and the day's state recorded (day 0 records the start).
    DayEnd(u64),
}

/// Where the pipeline wants an event scheduled.
pub(crate) type Scheduled = (SimTime, PipelineEvent);

/// The whole pipeline of one replication.
pub(crate) struct Pipeline {
    desk: Desk,
    platforms: Vec<PlatformState>,
    subs: Vec<Submission>,
    policy: Vec<PolicyChange>,
    books: Recorder,
    trace: Option<Vec<TraceRecord>>,
    /// The platforms' states at a day's end, kept from day to day (a day's
    /// record would otherwise allocate).
    snapshots: Vec<PlatformSnapshot>,
}

/// Room for the submissions of `builds` expected builds: a quarter more,
/// for resubmissions after rejections (the pipeline's submission list and
/// the recorder's duration lists are sized by it).
pub(crate) fn submissions_for(builds: usize) -> usize {
    builds + builds / 4
}

impl Pipeline {
    /// A pipeline at time zero. `streams` gives each platform's random
    /// streams (same order as `platforms`); `warmup` is when statistics
    /// start; `days` records are expected (room is made for them at once).
    pub(crate) fn new(
        gk: GatekeeperParams,
        platforms: Vec<PlatformParams>,
        streams: Vec<PlatformStreams>,
        policy: Vec<PolicyChange>,
        (warmup, days): (SimTime, usize),
        record_trace: bool,
    ) -> Pipeline {
        // Room for the builds each platform is expected to cut (the
        // records of builds, releases, submissions and their durations
        // then grow without copying, in the common case).
        let rooms: Vec<usize> = platforms
            .iter()
            .map(|p| {
                let per_build = p.cadence_days.mean().filter(|m| *m >= 1.0).unwrap_or(1.0);
                ((days as f64 / per_build) as usize + 4).min(1 << 12)
            })
            .collect();
        let all: usize = rooms.iter().sum();
        let books = Recorder::new(warmup, gk.reviewers, &rooms, days);
        let platforms = platforms
            .into_iter()
            .zip(streams)
            .zip(&rooms)
            .map(|((p, s), &room)| PlatformState::new(p, s, room))
            .collect();
        Pipeline {
            desk: Desk::new(gk),
            platforms,
            subs: Vec::with_capacity(submissions_for(all)),
            policy,
            books,
            trace: record_trace.then(Vec::new),
            snapshots: Vec::new(),
        }
    }

    /// The events that start the run: each platform's first build and every
    /// dated policy change, at or after time zero.
    pub(crate) fn initial_events(&mut self, out: &mut Vec<Scheduled>) {
        for p in 0..self.platforms.len() {
            let st = &mut self.platforms[p];
            if let Some(days) = st.params.first_build_days.sample(&mut st.streams.development) {
                out.push((SimTime::from_days_f64(days), PipelineEvent::BuildReady(p)));
            }
        }
        for (i, change) in self.policy.iter().enumerate() {
            out.push((SimTime::from_days_f64(change.day), PipelineEvent::Policy(i)));
        }
    }

    /// Handles `event` at time `now`, appending follow-up events to `out`.
    pub(crate) fn handle(&mut self, now: SimTime, event: PipelineEvent, out: &mut Vec<Scheduled>) {
        match event {
            PipelineEvent::BuildReady(p) => self.on_build(now, p, out),
            PipelineEvent::HoldEnd { sub, generation } => {
                if self.subs[sub].state == SubState::Held && self.subs[sub].hold_generation == generation {
                    self.desk.unhold();
                    self.enqueue(now, sub, out);
                }
            }
            PipelineEvent::ReviewEnd(sub) => self.on_review_end(now, sub, out),
            PipelineEvent::FixDone { platform, build } => {
                let st = &mut self.platforms[platform];
                if let Some(i) = st.fixing.iter().position(|&b| b == build) {
                    st.fixing.remove(i);
                    self.submit(now, platform, build, true, out);
                }
            }
            PipelineEvent::ReleaseStart { platform, build } => self.on_release_due(now, platform, build, out),
            PipelineEvent::PhaseEnd(p) => {
                let st = &mut self.platforms[p];
                st.phase_end = None;
                let build = st.releases.last().map_or(0, |r| r.build);
                self.log(now, Some(p), build, None, TraceKind::ReleaseFull, TraceDetail::None);
                if let Some(b) = self.platforms[p].approved_waiting.take() {
                    self.start_release(now, p, b, out);
                }
            }
            PipelineEvent::Policy(i) => self.on_policy(now, i, out),
            PipelineEvent::DayEnd(day) => self.on_day_end(now, day),
        }
        self.books.levels(now, self.desk.levels());
    }

    /// Platform `p`'s staleness at `now` (days; see [`state`]).
    pub(crate) fn staleness_days(&self, p: usize, now: SimTime) -> f64 {
        self.platforms[p].staleness_days(now)
    }

    /// Platform `p`'s defects found and not yet fixed by a release (count).
    pub(crate) fn open_defects(&self, p: usize) -> u64 {
        let st = &self.platforms[p];
        st.defects_found - st.defects_fixed_upto
    }

    /// Platform `p`'s releases so far, in order.
    pub(crate) fn releases(&self, p: usize) -> &[Release] {
        &self.platforms[p].releases
    }

    /// Finishes the run at `end` and returns its results.
    pub(crate) fn finish(self, end: SimTime) -> (PipelineResult, Option<Vec<TraceRecord>>) {
        let (platforms, gatekeeper) = self.books.finish(
            end,
            self.desk.levels(),
            self.platforms.into_iter().map(|st| (st.params.name, st.releases)),
        );
        (PipelineResult { platforms, gatekeeper }, self.trace)
    }

    fn log(
        &mut self,
        now: SimTime,
        platform: Option<usize>,
        build: u32,
        sub: Option<usize>,
        kind: TraceKind,
        detail: TraceDetail,
    ) {
        if let Some(t) = &mut self.trace {
            t.push(TraceRecord {
                time_ms: now.ticks(),
                platform,
                build,
                submission: sub,
                kind,
                detail,
            });
        }
    }

    fn on_build(&mut self, now: SimTime, p: usize, out: &mut Vec<Scheduled>) {
        let st = &mut self.platforms[p];
        let appeal = st
            .params
            .appeal_per_build
            .sample(&mut st.streams.development)
            .unwrap_or(0.0);
        let id = st.builds.len() as u32 + 1;
        st.builds.push(Build {
            id,
            ready_day: now.as_days(),
            appeal,
            fixes_defects_upto: st.defects_found,
        });
        self.books.build(p);
        if let Some(days) = st.params.cadence_days.sample(&mut st.streams.development) {
            out.push((
                now.saturating_add(SimDuration::from_days(days)),
                PipelineEvent::BuildReady(p),
            ));
        }
        self.log(now, Some(p), id, None, TraceKind::Build, TraceDetail::Appeal(appeal));

        // Builds being fixed are abandoned for the newer one, which carries
        // their fixes (in both modes).
        for old in std::mem::take(&mut self.platforms[p].fixing) {
            self.supersede_local(now, p, old, id);
        }
        if !self.desk.params().one_version {
            self.submit(now, p, id, false, out);
            return;
        }
        let Some(pending) = self.platforms[p].pending else {
            self.submit(now, p, id, false, out);
            return;
        };
        let in_review = matches!(self.subs[pending].state, SubState::InReview { .. });
        let gk = self.desk.params();
        let rule_allows = !in_review || gk.in_review == InReview::Withdraw;
        let may_withdraw = rule_allows
            && self.platforms[p]
                .quotas
                .withdrawal_allowed(gk.withdrawal_caps, now.day());
        if may_withdraw {
            self.withdraw(now, pending, id);
            if let Some(old) = self.platforms[p].staged.take() {
                self.supersede_local(now, p, old, id);
            }
            self.submit(now, p, id, false, out);
        } else {
            if let Some(old) = self.platforms[p].staged.replace(id) {
                self.supersede_local(now, p, old, id);
            }
            // In "withdraw" mode a build in review would have been withdrawn
            // but for the cap.
            let why = if rule_allows { KeptBack::Cap } else { KeptBack::InReview };
            self.log(now, Some(p), id, None, TraceKind::Stage, TraceDetail::KeptBack(why));
        }
    }

    /// A build that is not at the gatekeeper (kept back, or rejected and
    /// being fixed) is replaced by the newer build `by`.
    fn supersede_local(&mut self, now: SimTime, p: usize, build: u32, by: u32) {
        self.books.supersede(p);
        self.log(now, Some(p), build, None, TraceKind::Supersede, TraceDetail::By(by));
    }

    /// Withdraws a pending submission from the gatekeeper for the newer build `by`.
    fn withdraw(&mut self, now: SimTime, sub: usize, by: u32) {
        let p = self.subs[sub].platform;
        match self.subs[sub].state {
            SubState::Held => self.desk.unhold(),
            SubState::Queued(pos) => {
                self.desk.dequeue(pos);
                self.books.queue_exit(now, self.subs[sub].enqueued, false);
            }
            SubState::InReview { .. } => self.desk.end_review(),
            SubState::Withdrawn | SubState::Decided => return,
        }
        self.subs[sub].state = SubState::Withdrawn;
        let st = &mut self.platforms[p];
        st.pending = None;
        st.quotas.withdrew(now.day());
        self.books.withdraw(p, now, self.subs[sub].submitted);
        let build = self.subs[sub].build;
        self.log(now, Some(p), build, Some(sub), TraceKind::Withdraw, TraceDetail::By(by));
    }

    fn submit(&mut self, now: SimTime, p: usize, build: u32, resubmission: bool, out: &mut Vec<Scheduled>) {
        let expedited = self.take_expedite(now, p, resubmission);
        let sub = self.subs.len();
        let st = &mut self.platforms[p];
        self.subs.push(Submission {
            platform: p,
            build,
            submitted: now,
            enqueued: now,
            expedited,
            hold_generation: 0,
            state: SubState::Held,
        });
        if self.desk.params().one_version {
            st.pending = Some(sub);
        }
        self.books.submit(p, resubmission, expedited);
        let detail = TraceDetail::Submit {
            resubmission,
            expedited,
        };
        self.log(now, Some(p), build, Some(sub), TraceKind::Submit, detail);
        self.desk.hold();
        self.start_hold(now, sub, out);
        self.try_start_reviews(now, out);
    }

    /// Whether this submission uses the platform's expedite quota (and uses it).
    fn take_expedite(&mut self, now: SimTime, p: usize, resubmission: bool) -> bool {
        let Some(ex) = &self.desk.params().expedite else {
            return false;
        };
        let st = &mut self.platforms[p];
        let wants = match st.params.expedite {
            ExpeditePolicy::Never => false,
            ExpeditePolicy::Resubmissions => resubmission,
            ExpeditePolicy::All => true,
        };
        wants && st.quotas.take_expedite(ex.per_platform_per_year, now.day())
    }

    /// Draws the hold of a held submission under its platform's current
    /// class, counted from `now`, and queues it at once if there is none.
    fn start_hold(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let p = self.subs[sub].platform;
        let st = &mut self.platforms[p];
        let class = &self.desk.params().classes[st.class];
        let hold = class.hold_days.sample(&mut st.streams.hold);
        self.subs[sub].hold_generation += 1;
        let generation = self.subs[sub].hold_generation;
        let build = self.subs[sub].build;
        match hold {
            Some(d) if d <= 0.0 => {
                self.desk.unhold();
                self.enqueue(now, sub, out);
            }
            Some(d) => {
                let at = now.saturating_add(SimDuration::from_days(d));
                out.push((at, PipelineEvent::HoldEnd { sub, generation }));
                self.log(
                    now,
                    Some(p),
                    build,
                    Some(sub),
                    TraceKind::Hold,
                    TraceDetail::HoldDays(d),
                );
            }
            None => self.log(now, Some(p), build, Some(sub), TraceKind::Hold, TraceDetail::HoldNever),
        }
    }

    fn rank(&self, sub: usize) -> u32 {
        let s = &self.subs[sub];
        self.desk.rank(s.expedited, self.platforms[s.platform].class)
    }

    fn enqueue(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let pos = self.desk.enqueue(self.rank(sub), sub);
        self.subs[sub].state = SubState::Queued(pos);
        self.subs[sub].enqueued = now;
        self.books.queue_entry(now);
        let (p, build) = (self.subs[sub].platform, self.subs[sub].build);
        self.log(now, Some(p), build, Some(sub), TraceKind::Queue, TraceDetail::None);
        self.try_start_reviews(now, out);
    }

    fn try_start_reviews(&mut self, now: SimTime, out: &mut Vec<Scheduled>) {
        while let Some(sub) = self.desk.next_review() {
            self.books.queue_exit(now, self.subs[sub].enqueued, true);
            let p = self.subs[sub].platform;
            let st = &mut self.platforms[p];
            let class = st.class;
            let gk = self.desk.params();
            let expedited = self.subs[sub].expedited;
            let dist: &Dist = match (&gk.expedite, expedited) {
                (Some(ex), true) => &ex.review_hours,
                _ => &gk.classes[class].review_hours,
            };
            let hours = dist.sample(&mut st.streams.review).unwrap_or(0.0);
            self.books.review_start(now, hours);
            self.subs[sub].state = SubState::InReview { class };
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReviewEnd(sub),
            ));
            let build = self.subs[sub].build;
            let detail = if expedited {
                TraceDetail::Expedited
            } else {
                TraceDetail::None
            };
            self.log(now, Some(p), build, Some(sub), TraceKind::ReviewStart, detail);
        }
    }

    fn on_review_end(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let SubState::InReview { class } = self.subs[sub].state else {
            return; // withdrawn during review
        };
        self.desk.end_review();
        self.subs[sub].state = SubState::Decided;
        let p = self.subs[sub].platform;
        let build = self.subs[sub].build;
        let reject_p = self.desk.params().classes[class].rejection_probability;
        let st = &mut self.platforms[p];
        let rejected = reject_p > 0.0 && st.streams.decision.random::<f64>() < reject_p;
        if st.pending == Some(sub) {
            st.pending = None;
        }
        self.books.decide(p, now, self.subs[sub].submitted, rejected);
        let st = &mut self.platforms[p];
        if rejected {
            // Under the one-version rule a newer build kept back replaces the
            // rejected one at once; otherwise the rejected build is fixed (a
            // newer build cut before the rejection does not carry the fix,
            // one cut during the fix does: see `on_build`).
            if let Some(newer) = st.staged.take() {
                self.log(now, Some(p), build, Some(sub), TraceKind::Reject, TraceDetail::None);
                self.supersede_local(now, p, build, newer);
                self.submit(now, p, newer, false, out);
            } else {
                let days = st.params.fix_days.sample(&mut st.streams.development).unwrap_or(0.0);
                st.fixing.push(build);
                out.push((
                    now.saturating_add(SimDuration::from_days(days)),
                    PipelineEvent::FixDone { platform: p, build },
                ));
                self.log(
                    now,
                    Some(p),
                    build,
                    Some(sub),
                    TraceKind::Reject,
                    TraceDetail::Fix(days),
                );
            }
        } else {
            let hours = st
                .params
                .release_delay_hours
                .sample(&mut st.streams.release)
                .unwrap_or(0.0);
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReleaseStart { platform: p, build },
            ));
            self.log(now, Some(p), build, Some(sub), TraceKind::Approve, TraceDetail::None);
            if let Some(newer) = self.platforms[p].staged.take() {
                self.submit(now, p, newer, false, out);
            }
        }
        self.try_start_reviews(now, out);
    }

    fn on_release_due(&mut self, now: SimTime, p: usize, build: u32, out: &mut Vec<Scheduled>) {
        let st = &mut self.platforms[p];
        if st.phase_end.is_some() {
            // No new release while a phase runs: keep the newest approved build.
            match st.approved_waiting {
                Some(w) if w > build => self.log(
                    now,
                    Some(p),
                    build,
                    None,
                    TraceKind::SkipRelease,
                    TraceDetail::Skipped(Skipped::NewerWaiting),
                ),
                Some(w) => {
                    st.approved_waiting = Some(build);
                    self.log(
                        now,
                        Some(p),
                        w,
                        None,
                        TraceKind::SkipRelease,
                        TraceDetail::Skipped(Skipped::NewerApproved),
                    );
                }
                None => st.approved_waiting = Some(build),
            }
            return;
        }
        self.start_release(now, p, build, out);
    }

    fn start_release(&mut self, now: SimTime, p: usize, build: u32, out: &mut Vec<Scheduled>) {
        let st = &mut self.platforms[p];
        let current = st.releases.last().map_or(0, |r| r.build);
        if build <= current {
            self.log(
                now,
                Some(p),
                build,
                None,
                TraceKind::SkipRelease,
                TraceDetail::Skipped(Skipped::AlreadyReleased(current)),
            );
            return;
        }
        let b = &st.builds[(build - 1) as usize];
        let phase = st.params.phase_days;
        let full = now.saturating_add(SimDuration::from_days(phase));
        st.releases.push(Release {
            build,
            start_day: now.as_days(),
            full_day: full.as_days(),
            appeal: b.appeal,
            fixes_defects_upto: b.fixes_defects_upto,
        });
        st.defects_fixed_upto = st.defects_fixed_upto.max(b.fixes_defects_upto);
        let ready_day = b.ready_day;
        if full > now {
            st.phase_end = Some(full);
            out.push((full, PipelineEvent::PhaseEnd(p)));
        }
        self.books.release(p, now, ready_day);
        self.log(
            now,
            Some(p),
            build,
            None,
            TraceKind::ReleaseStart,
            TraceDetail::Phase(phase),
        );
    }

    fn on_policy(&mut self, now: SimTime, i: usize, out: &mut Vec<Scheduled>) {
        match self.policy[i].change.clone() {
            Change::Reviewers(n) => {
                self.desk.set_reviewers(n);
                self.log(
                    now,
                    None,
                    0,
                    None,
                    TraceKind::ReviewersChange,
                    TraceDetail::Reviewers(n),
                );
                self.try_start_reviews(now, out);
            }
            Change::PlatformClass { platform, class } => self.move_class(now, platform, class, out),
        }
    }

    /// Moves platform `p` to `class`: its held submissions get a new hold
    /// drawn under the new class from now, its queued ones are re-ranked in
    /// place, and reviews under way finish under the class they started in.
    fn move_class(&mut self, now: SimTime, p: usize, class: ClassId, out: &mut Vec<Scheduled>) {
        self.platforms[p].class = class;
        self.log(now, Some(p), 0, None, TraceKind::ClassChange, TraceDetail::Class(class));
        let open: Vec<usize> = (0..self.subs.len())
            .filter(|&s| {
                self.subs[s].platform == p && matches!(self.subs[s].state, SubState::Held | SubState::Queued(_))
            })
            .collect();
        for sub in open {
            match self.subs[sub].state {
                SubState::Held => self.start_hold(now, sub, out),
                SubState::Queued(pos) => {
                    let rank = self.rank(sub);
                    self.subs[sub].state = SubState::Queued(self.desk.rerank(pos, rank));
                }
                _ => {}
            }
        }
        self.try_start_reviews(now, out);
    }

    fn on_day_end(&mut self, now: SimTime, day: u64) {
        let mut snapshots = std::mem::take(&mut self.snapshots);
        snapshots.clear();
        snapshots.extend(self.platforms.iter_mut().map(|st| {
            if day > 0 && st.params.defects_per_day > 0.0 {
                st.defects_found += crate::core::sample::poisson(&mut st.streams.defects, st.params.defects_per_day);
            }
            PlatformSnapshot {
                staleness_days: st.staleness_days(now),
                open_defects: st.defects_found - st.defects_fixed_upto,
                share_on_latest: st
                    .releases
                    .last()
                    .map_or(1.0, |r| crate::model::platform::share_on_latest(r, now.as_days())),
            }
        }));
        self.books.day(now, day, &snapshots, self.desk.levels());
        self.snapshots = snapshots;
    }
}
