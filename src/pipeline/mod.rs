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

mod metrics;
mod state;
pub mod streams;
pub mod trace;

pub use metrics::{DurationStats, GateDay, GateResult, PipelineResult, PlatformCounts, PlatformDay, PlatformResult};
pub use trace::{TraceKind, TraceRecord};

use crate::dist::Dist;
use crate::gatekeeper::{ClassId, Discipline, GatekeeperParams, InReview, ReviewQueue};
use crate::platform::{Build, ExpeditePolicy, PlatformParams, Release};
use crate::policy::{Change, PolicyChange};
use crate::stats::TimeIntegral;
use crate::time::{SimDuration, SimTime};
use rand::RngExt;
use state::{PlatformState, SubState, Submission};
use streams::PlatformStreams;

/// Something that happens in the pipeline at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipelineEvent {
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
pub type Scheduled = (SimTime, PipelineEvent);

/// The whole pipeline of one replication.
pub struct Pipeline {
    gk: GatekeeperParams,
    reviewers: u32,
    busy: u32,
    queue: ReviewQueue,
    held: usize,
    platforms: Vec<PlatformState>,
    subs: Vec<Submission>,
    policy: Vec<PolicyChange>,
    warmup: SimTime,
    waiting_area: TimeIntegral,
    review_area: TimeIntegral,
    held_area: TimeIntegral,
    capacity_area: TimeIntegral,
    queue_entries: u64,
    queue_waits_hours: Vec<f64>,
    reviewed_waits_hours: Vec<f64>,
    review_hours: Vec<f64>,
    max_waiting: usize,
    gate_days: Vec<GateDay>,
    trace: Option<Vec<TraceRecord>>,
}

impl Pipeline {
    /// A pipeline at time zero. `streams` gives each platform's random
    /// streams (same order as `platforms`); `warmup` is when statistics start.
    pub fn new(
        gk: GatekeeperParams,
        platforms: Vec<PlatformParams>,
        streams: Vec<PlatformStreams>,
        policy: Vec<PolicyChange>,
        warmup: SimTime,
        record_trace: bool,
    ) -> Pipeline {
        let start = warmup.as_hours();
        let reviewers = gk.reviewers;
        let platforms = platforms
            .into_iter()
            .zip(streams)
            .map(|(p, s)| PlatformState::new(p, s))
            .collect();
        Pipeline {
            reviewers,
            busy: 0,
            queue: ReviewQueue::default(),
            held: 0,
            platforms,
            subs: Vec::new(),
            policy,
            warmup,
            waiting_area: TimeIntegral::new(start, 0.0),
            review_area: TimeIntegral::new(start, 0.0),
            held_area: TimeIntegral::new(start, 0.0),
            capacity_area: TimeIntegral::new(start, f64::from(reviewers)),
            queue_entries: 0,
            queue_waits_hours: Vec::new(),
            reviewed_waits_hours: Vec::new(),
            review_hours: Vec::new(),
            max_waiting: 0,
            gate_days: Vec::new(),
            trace: record_trace.then(Vec::new),
            gk,
        }
    }

    /// The events that start the run: each platform's first build and every
    /// dated policy change, at or after time zero.
    pub fn initial_events(&mut self, out: &mut Vec<Scheduled>) {
        for p in 0..self.platforms.len() {
            let st = &mut self.platforms[p];
            if let Some(days) = st.params.first_build_days.sample(&mut st.streams.development) {
                out.push((SimTime::from_days_f64(days), PipelineEvent::BuildReady(p)));
            }
        }
        for (i, change) in self.policy.iter().enumerate().filter(|(_, c)| c.change.is_pipeline()) {
            out.push((SimTime::from_days_f64(change.day), PipelineEvent::Policy(i)));
        }
    }

    /// Handles `event` at time `now`, appending follow-up events to `out`.
    pub fn handle(&mut self, now: SimTime, event: PipelineEvent, out: &mut Vec<Scheduled>) {
        match event {
            PipelineEvent::BuildReady(p) => self.on_build(now, p, out),
            PipelineEvent::HoldEnd { sub, generation } => {
                if self.subs[sub].state == SubState::Held && self.subs[sub].hold_generation == generation {
                    self.held -= 1;
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
                self.log(now, Some(p), build, None, TraceKind::ReleaseFull, String::new());
                if let Some(b) = self.platforms[p].approved_waiting.take() {
                    self.start_release(now, p, b, out);
                }
            }
            PipelineEvent::Policy(i) => self.on_policy(now, i, out),
            PipelineEvent::DayEnd(day) => self.on_day_end(now, day),
        }
        self.sync_levels(now);
    }

    /// Platform `p`'s staleness at `now` (days; see [`state`]).
    pub fn staleness_days(&self, p: usize, now: SimTime) -> f64 {
        self.platforms[p].staleness_days(now)
    }

    /// Platform `p`'s defects found and not yet fixed by a release (count).
    pub fn open_defects(&self, p: usize) -> u64 {
        let st = &self.platforms[p];
        st.defects_found - st.defects_fixed_upto
    }

    /// Platform `p`'s releases so far, in order.
    pub fn releases(&self, p: usize) -> &[Release] {
        &self.platforms[p].releases
    }

    /// Finishes the run at `end` and returns its results.
    pub fn finish(mut self, end: SimTime) -> (PipelineResult, Option<Vec<TraceRecord>>) {
        self.sync_levels(end);
        let end_h = end.as_hours();
        let window_h = (end_h - self.warmup.as_hours()).max(0.0);
        let capacity = self.capacity_area.average(end_h);
        let in_review = self.review_area.average(end_h);
        let gate = GateResult {
            reviewers_at_end: self.reviewers,
            mean_waiting: self.waiting_area.average(end_h),
            mean_in_review: in_review,
            mean_held: self.held_area.average(end_h),
            utilisation: match (in_review, capacity) {
                (Some(r), Some(c)) if c > 0.0 => Some(r / c),
                _ => None,
            },
            queue_entries: self.queue_entries,
            arrival_rate_per_hour: (window_h > 0.0).then(|| self.queue_entries as f64 / window_h),
            queue_wait_hours: DurationStats::of(&self.queue_waits_hours),
            reviewed_wait_hours: DurationStats::of(&self.reviewed_waits_hours),
            review_hours: DurationStats::of(&self.review_hours),
            max_waiting: self.max_waiting as u64,
            daily: self.gate_days,
        };
        let platforms = self
            .platforms
            .into_iter()
            .map(|st| PlatformResult::from_metrics(st.params.name, st.metrics, st.releases, end))
            .collect();
        (
            PipelineResult {
                platforms,
                gatekeeper: gate,
            },
            self.trace,
        )
    }

    fn counting(&self, now: SimTime) -> bool {
        now >= self.warmup
    }

    fn log(
        &mut self,
        now: SimTime,
        platform: Option<usize>,
        build: u32,
        sub: Option<usize>,
        kind: TraceKind,
        detail: String,
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

    /// Records the levels (waiting, in review, held, reviewers) as of `now`.
    fn sync_levels(&mut self, now: SimTime) {
        let h = now.as_hours();
        self.waiting_area.set(h, self.queue.len() as f64);
        self.review_area.set(h, f64::from(self.busy));
        self.held_area.set(h, self.held as f64);
        // After a cut in reviewers, those still finishing a review count
        // until they finish, so utilisation never exceeds 1.
        self.capacity_area.set(h, f64::from(self.reviewers.max(self.busy)));
        self.max_waiting = self.max_waiting.max(self.queue.len());
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
        st.metrics.counts.builds += 1;
        if let Some(days) = st.params.cadence_days.sample(&mut st.streams.development) {
            out.push((
                now.saturating_add(SimDuration::from_days(days)),
                PipelineEvent::BuildReady(p),
            ));
        }
        self.log(now, Some(p), id, None, TraceKind::Build, format!("appeal={appeal}"));

        // Builds being fixed are abandoned for the newer one, which carries
        // their fixes (in both modes).
        for old in std::mem::take(&mut self.platforms[p].fixing) {
            self.supersede_local(now, p, old, id);
        }
        if !self.gk.one_version {
            self.submit(now, p, id, false, out);
            return;
        }
        let Some(pending) = self.platforms[p].pending else {
            self.submit(now, p, id, false, out);
            return;
        };
        let in_review = matches!(self.subs[pending].state, SubState::InReview { .. });
        let may_withdraw = (!in_review || self.gk.in_review == InReview::Withdraw) && self.withdrawal_allowed(now, p);
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
            let why = if in_review && self.gk.in_review == InReview::Wait {
                "pending build in review"
            } else {
                "withdrawal cap reached"
            };
            self.log(now, Some(p), id, None, TraceKind::Stage, why.to_string());
        }
    }

    /// A build that is not at the gatekeeper (kept back, or rejected and
    /// being fixed) is replaced by the newer build `by`.
    fn supersede_local(&mut self, now: SimTime, p: usize, build: u32, by: u32) {
        self.platforms[p].metrics.counts.supersessions += 1;
        self.log(
            now,
            Some(p),
            build,
            None,
            TraceKind::Supersede,
            format!("by build {by}"),
        );
    }

    fn withdrawal_allowed(&self, now: SimTime, p: usize) -> bool {
        let caps = self.gk.withdrawal_caps;
        let st = &self.platforms[p];
        let day = now.day();
        let month = day / 30;
        let today = if st.withdrawals_day.0 == day {
            st.withdrawals_day.1
        } else {
            0
        };
        let this_month = if st.withdrawals_month.0 == month {
            st.withdrawals_month.1
        } else {
            0
        };
        caps.per_day.is_none_or(|c| today < c) && caps.per_month.is_none_or(|c| this_month < c)
    }

    /// Withdraws a pending submission from the gatekeeper for the newer build `by`.
    fn withdraw(&mut self, now: SimTime, sub: usize, by: u32) {
        let p = self.subs[sub].platform;
        match self.subs[sub].state {
            SubState::Held => self.held -= 1,
            SubState::Queued(pos) => {
                self.queue.remove(pos);
                self.note_queue_exit(now, sub, false);
            }
            SubState::InReview { .. } => self.busy -= 1,
            SubState::Withdrawn | SubState::Decided => return,
        }
        self.subs[sub].state = SubState::Withdrawn;
        let st = &mut self.platforms[p];
        st.pending = None;
        let day = now.day();
        st.withdrawals_day = if st.withdrawals_day.0 == day {
            (day, st.withdrawals_day.1 + 1)
        } else {
            (day, 1)
        };
        let month = day / 30;
        st.withdrawals_month = if st.withdrawals_month.0 == month {
            (month, st.withdrawals_month.1 + 1)
        } else {
            (month, 1)
        };
        st.metrics.counts.withdrawals += 1;
        let submitted = self.subs[sub].submitted;
        if submitted >= self.warmup {
            st.metrics.withdrawn_hours.push(now.since(submitted).as_hours());
        }
        st.metrics.counts.supersessions += 1;
        let build = self.subs[sub].build;
        self.log(
            now,
            Some(p),
            build,
            Some(sub),
            TraceKind::Withdraw,
            format!("by build {by}"),
        );
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
        if self.gk.one_version {
            st.pending = Some(sub);
        }
        st.metrics.counts.submissions += 1;
        st.metrics.counts.resubmissions += u64::from(resubmission);
        st.metrics.counts.expedites += u64::from(expedited);
        let detail = match (resubmission, expedited) {
            (false, false) => "",
            (true, false) => "resubmission",
            (false, true) => "expedited",
            (true, true) => "resubmission expedited",
        };
        self.log(now, Some(p), build, Some(sub), TraceKind::Submit, detail.to_string());
        self.held += 1;
        self.start_hold(now, sub, out);
        self.try_start_reviews(now, out);
    }

    /// Whether this submission uses the platform's expedite quota (and uses it).
    fn take_expedite(&mut self, now: SimTime, p: usize, resubmission: bool) -> bool {
        let Some(ex) = &self.gk.expedite else {
            return false;
        };
        let st = &mut self.platforms[p];
        let wants = match st.params.expedite {
            ExpeditePolicy::Never => false,
            ExpeditePolicy::Resubmissions => resubmission,
            ExpeditePolicy::All => true,
        };
        if !wants {
            return false;
        }
        let year = now.day() / 365;
        if st.expedites_year.0 != year {
            st.expedites_year = (year, 0);
        }
        if st.expedites_year.1 >= ex.per_platform_per_year {
            return false;
        }
        st.expedites_year.1 += 1;
        true
    }

    /// Draws the hold of a held submission under its platform's current
    /// class, counted from `now`, and queues it at once if there is none.
    fn start_hold(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let p = self.subs[sub].platform;
        let st = &mut self.platforms[p];
        let class = &self.gk.classes[st.class];
        let hold = class.hold_days.sample(&mut st.streams.hold);
        self.subs[sub].hold_generation += 1;
        let generation = self.subs[sub].hold_generation;
        let build = self.subs[sub].build;
        match hold {
            Some(d) if d <= 0.0 => {
                self.held -= 1;
                self.enqueue(now, sub, out);
            }
            Some(d) => {
                let at = now.saturating_add(SimDuration::from_days(d));
                out.push((at, PipelineEvent::HoldEnd { sub, generation }));
                self.log(now, Some(p), build, Some(sub), TraceKind::Hold, format!("{d} days"));
            }
            None => self.log(now, Some(p), build, Some(sub), TraceKind::Hold, "never".to_string()),
        }
    }

    fn rank(&self, sub: usize) -> u32 {
        let s = &self.subs[sub];
        if s.expedited {
            return 0;
        }
        match self.gk.discipline {
            Discipline::Fifo => 1,
            Discipline::Priority => self.gk.classes[self.platforms[s.platform].class]
                .priority
                .saturating_add(1),
        }
    }

    fn enqueue(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let rank = self.rank(sub);
        let pos = self.queue.push(rank, sub);
        self.subs[sub].state = SubState::Queued(pos);
        self.subs[sub].enqueued = now;
        if self.counting(now) {
            self.queue_entries += 1;
        }
        let (p, build) = (self.subs[sub].platform, self.subs[sub].build);
        self.log(now, Some(p), build, Some(sub), TraceKind::Queue, String::new());
        self.try_start_reviews(now, out);
    }

    /// Statistics of a submission leaving the queue (to review or withdrawn).
    fn note_queue_exit(&mut self, now: SimTime, sub: usize, reviewed: bool) {
        let entered = self.subs[sub].enqueued;
        if entered >= self.warmup {
            let hours = now.since(entered).as_hours();
            self.queue_waits_hours.push(hours);
            if reviewed {
                self.reviewed_waits_hours.push(hours);
            }
        }
    }

    fn try_start_reviews(&mut self, now: SimTime, out: &mut Vec<Scheduled>) {
        while self.busy < self.reviewers {
            let Some(sub) = self.queue.pop() else { break };
            self.note_queue_exit(now, sub, true);
            self.busy += 1;
            let p = self.subs[sub].platform;
            let st = &mut self.platforms[p];
            let class = st.class;
            let dist: &Dist = match (&self.gk.expedite, self.subs[sub].expedited) {
                (Some(ex), true) => &ex.review_hours,
                _ => &self.gk.classes[class].review_hours,
            };
            let hours = dist.sample(&mut st.streams.review).unwrap_or(0.0);
            if now >= self.warmup {
                self.review_hours.push(hours);
            }
            self.subs[sub].state = SubState::InReview { class };
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReviewEnd(sub),
            ));
            let build = self.subs[sub].build;
            let detail = if self.subs[sub].expedited { "expedited" } else { "" };
            self.log(
                now,
                Some(p),
                build,
                Some(sub),
                TraceKind::ReviewStart,
                detail.to_string(),
            );
        }
    }

    fn on_review_end(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let SubState::InReview { class } = self.subs[sub].state else {
            return; // withdrawn during review
        };
        self.busy -= 1;
        self.subs[sub].state = SubState::Decided;
        let p = self.subs[sub].platform;
        let build = self.subs[sub].build;
        let reject_p = self.gk.classes[class].rejection_probability;
        let st = &mut self.platforms[p];
        let rejected = reject_p > 0.0 && st.streams.decision.random::<f64>() < reject_p;
        if st.pending == Some(sub) {
            st.pending = None;
        }
        if self.subs[sub].submitted >= self.warmup {
            st.metrics
                .decision_hours
                .push(now.since(self.subs[sub].submitted).as_hours());
        }
        if rejected {
            st.metrics.counts.rejections += 1;
            // Under the one-version rule a newer build kept back replaces the
            // rejected one at once; otherwise the rejected build is fixed (a
            // newer build cut before the rejection does not carry the fix,
            // one cut during the fix does: see `on_build`).
            if let Some(newer) = st.staged.take() {
                self.log(now, Some(p), build, Some(sub), TraceKind::Reject, String::new());
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
                    format!("fix {days} days"),
                );
            }
        } else {
            st.metrics.counts.approvals += 1;
            let hours = st
                .params
                .release_delay_hours
                .sample(&mut st.streams.release)
                .unwrap_or(0.0);
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReleaseStart { platform: p, build },
            ));
            self.log(now, Some(p), build, Some(sub), TraceKind::Approve, String::new());
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
                    "newer build waiting".into(),
                ),
                Some(w) => {
                    st.approved_waiting = Some(build);
                    self.log(
                        now,
                        Some(p),
                        w,
                        None,
                        TraceKind::SkipRelease,
                        "newer build approved".into(),
                    );
                }
                None => st.approved_waiting = Some(build),
            }
            return;
        }
        self.start_release(now, p, build, out);
    }

    fn start_release(&mut self, now: SimTime, p: usize, build: u32, out: &mut Vec<Scheduled>) {
        let counting = self.counting(now);
        let st = &mut self.platforms[p];
        let current = st.releases.last().map_or(0, |r| r.build);
        if build <= current {
            self.log(
                now,
                Some(p),
                build,
                None,
                TraceKind::SkipRelease,
                format!("build {current} already released"),
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
        st.metrics.counts.releases += 1;
        if counting {
            st.metrics.build_to_release_days.push(now.as_days() - b.ready_day);
        }
        if full > now {
            st.phase_end = Some(full);
            out.push((full, PipelineEvent::PhaseEnd(p)));
        }
        self.log(
            now,
            Some(p),
            build,
            None,
            TraceKind::ReleaseStart,
            format!("phase {phase} days"),
        );
    }

    fn on_policy(&mut self, now: SimTime, i: usize, out: &mut Vec<Scheduled>) {
        match self.policy[i].change.clone() {
            Change::Reviewers(n) => {
                self.reviewers = n;
                self.log(now, None, 0, None, TraceKind::ReviewersChange, format!("reviewers={n}"));
                self.try_start_reviews(now, out);
            }
            Change::PlatformClass { platform, class } => self.move_class(now, platform, class, out),
            // A market event: the user model's business.
            Change::BaseUtility { .. } => {}
        }
    }

    /// Moves platform `p` to `class`: its held submissions get a new hold
    /// drawn under the new class from now, its queued ones are re-ranked in
    /// place, and reviews under way finish under the class they started in.
    fn move_class(&mut self, now: SimTime, p: usize, class: ClassId, out: &mut Vec<Scheduled>) {
        self.platforms[p].class = class;
        let name = self.gk.classes[class].name.clone();
        self.log(now, Some(p), 0, None, TraceKind::ClassChange, name);
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
                    self.subs[sub].state = SubState::Queued(self.queue.rerank(pos, rank));
                }
                _ => {}
            }
        }
        self.try_start_reviews(now, out);
    }

    fn on_day_end(&mut self, now: SimTime, day: u64) {
        let counting = self.counting(now);
        for st in &mut self.platforms {
            if day > 0 && st.params.defects_per_day > 0.0 {
                st.defects_found += crate::sample::poisson(&mut st.streams.defects, st.params.defects_per_day);
            }
            if counting && st.metrics.counts_at_warmup.is_none() {
                st.metrics.counts_at_warmup = Some(st.metrics.counts);
            }
            let staleness = st.staleness_days(now);
            // Daily values average over the days lived in the window, W+1..H.
            if day > self.warmup.day() {
                st.metrics.staleness.push(staleness);
            }
            let c = &st.metrics.counts;
            st.metrics.daily.push(PlatformDay {
                day,
                staleness_days: staleness,
                open_defects: st.defects_found - st.defects_fixed_upto,
                share_on_latest: st
                    .releases
                    .last()
                    .map_or(1.0, |r| crate::platform::share_on_latest(r, now.as_days())),
                builds: c.builds,
                submissions: c.submissions,
                approvals: c.approvals,
                rejections: c.rejections,
                supersessions: c.supersessions,
                releases: c.releases,
                pending: st.pending.map_or("none", |s| self.subs[s].state.name()),
            });
        }
        self.gate_days.push(GateDay {
            day,
            waiting: self.queue.len() as u64,
            in_review: u64::from(self.busy),
            held: self.held as u64,
            reviewers: self.reviewers,
        });
    }
}
