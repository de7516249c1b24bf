//! The mutable state of the pipeline's entities: each named platform's
//! builds, pending submission, staged and rejected builds and releases, and
//! each submission's place in the gatekeeper, in slots reused once a
//! submission is decided or withdrawn (a population's millions of
//! submissions a year never pile up).

use super::actor::Actor;
use super::streams::PlatformStreams;
use crate::core::time::SimTime;
use crate::model::gatekeeper::{ClassId, QueuePos, Quotas};
use crate::model::platform::{Build, PlatformParams, Release};

/// Where a submission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SubState {
    /// Held before review (possibly indefinitely).
    Held,
    /// Waiting in the review queue.
    Queued(QueuePos),
    /// Being reviewed under `class`.
    InReview {
        /// The class whose rules decide it.
        class: ClassId,
    },
    /// Withdrawn by the platform (superseded).
    Withdrawn,
    /// Approved or rejected.
    Decided,
}

/// One submission of a build to the gatekeeper.
pub(super) struct Submission {
    pub actor: Actor,
    pub build: u32,
    /// Its number in the run (submissions are numbered from 0 as made).
    pub number: u64,
    /// Its number among its actor's submissions (a member's draws' address).
    pub seq: u32,
    /// Holds drawn for it (a member's draws' address).
    pub holds: u32,
    pub submitted: SimTime,
    pub enqueued: SimTime,
    pub expedited: bool,
    /// Bumped each time a hold is drawn and each time the slot is reused,
    /// so an older hold's or review's end is recognised as stale.
    pub generation: u32,
    pub state: SubState,
}

/// The submissions at the gatekeeper, in reusable slots.
#[derive(Default)]
pub(super) struct Submissions {
    slots: Vec<Submission>,
    free: Vec<usize>,
    made: u64,
}

impl Submissions {
    /// Room for `n` submissions at once.
    pub(super) fn with_capacity(n: usize) -> Submissions {
        Submissions {
            slots: Vec::with_capacity(n),
            free: Vec::new(),
            made: 0,
        }
    }

    /// A new submission (held), in a free slot; returns the slot.
    #[inline]
    pub(super) fn add(&mut self, actor: Actor, build: u32, seq: u32, now: SimTime, expedited: bool) -> usize {
        let number = self.made;
        self.made += 1;
        let (slot, generation) = match self.free.pop() {
            Some(slot) => (slot, self.slots[slot].generation.wrapping_add(1)),
            None => {
                self.slots.push(Submission {
                    actor,
                    build,
                    number,
                    seq,
                    holds: 0,
                    submitted: now,
                    enqueued: now,
                    expedited,
                    generation: 0,
                    state: SubState::Held,
                });
                return self.slots.len() - 1;
            }
        };
        let s = &mut self.slots[slot];
        s.actor = actor;
        s.build = build;
        s.number = number;
        s.seq = seq;
        s.holds = 0;
        s.submitted = now;
        s.enqueued = now;
        s.expedited = expedited;
        s.generation = generation;
        s.state = SubState::Held;
        slot
    }

    /// Frees `slot` (its submission decided or withdrawn).
    #[inline]
    pub(super) fn free(&mut self, slot: usize) {
        self.free.push(slot);
    }

    /// Prefetches the submission in `slot`.
    #[inline]
    pub(super) fn prefetch(&self, slot: usize) {
        crate::core::prefetch::prefetch(self.slots.as_ptr().wrapping_add(slot));
    }

    /// The slots of the open submissions (held or queued) of the actors
    /// `of` selects, in the order they were made.
    pub(super) fn open_of(&self, of: impl Fn(Actor) -> bool) -> Vec<usize> {
        let mut open: Vec<usize> = (0..self.slots.len())
            .filter(|&s| {
                let sub = &self.slots[s];
                matches!(sub.state, SubState::Held | SubState::Queued(_)) && of(sub.actor)
            })
            .collect();
        open.sort_by_key(|&s| self.slots[s].number);
        open
    }
}

impl std::ops::Index<usize> for Submissions {
    type Output = Submission;

    #[inline]
    fn index(&self, slot: usize) -> &Submission {
        &self.slots[slot]
    }
}

impl std::ops::IndexMut<usize> for Submissions {
    #[inline]
    fn index_mut(&mut self, slot: usize) -> &mut Submission {
        &mut self.slots[slot]
    }
}

/// One platform's state.
pub(super) struct PlatformState {
    pub params: PlatformParams,
    pub streams: PlatformStreams,
    pub class: ClassId,
    pub builds: Vec<Build>,
    /// The submission at the gatekeeper (one-version rule only).
    pub pending: Option<usize>,
    /// The newest build kept back until the pending one is decided.
    pub staged: Option<u32>,
    /// The rejected builds being fixed, oldest first (at most one under
    /// the one-version rule). A newer build's cut supersedes them all.
    pub fixing: Vec<u32>,
    /// The newest approved build waiting for a phase to end.
    pub approved_waiting: Option<u32>,
    pub releases: Vec<Release>,
    pub phase_end: Option<SimTime>,
    pub defects_found: u64,
    pub defects_fixed_upto: u64,
    /// Withdrawals and expedited reviews used, by period.
    pub quotas: Quotas,
}

impl PlatformState {
    /// A platform at time zero, with room for `builds` builds and releases.
    pub(super) fn new(params: PlatformParams, streams: PlatformStreams, builds: usize) -> PlatformState {
        PlatformState {
            class: params.class,
            streams,
            builds: Vec::with_capacity(builds),
            pending: None,
            staged: None,
            fixing: Vec::new(),
            approved_waiting: None,
            releases: Vec::with_capacity(builds),
            phase_end: None,
            defects_found: 0,
            defects_fixed_upto: 0,
            quotas: Quotas::default(),
            params,
        }
    }

    /// Days since the release users run reached them, averaged over users:
    /// during a phased release the share already on the new version counts
    /// the new version's age, the rest the previous one's.
    pub(super) fn staleness_days(&self, now: SimTime) -> f64 {
        let d = now.as_days();
        let initial = -self.params.initial_version_age_days;
        match self.releases.as_slice() {
            [] => d - initial,
            [.., prev, last] => blend(d, last, prev.start_day),
            [last] => blend(d, last, initial),
        }
    }
}

fn blend(d: f64, last: &Release, prev_start: f64) -> f64 {
    let s = crate::model::platform::share_on_latest(last, d);
    s * (d - last.start_day) + (1.0 - s) * (d - prev_start)
}
