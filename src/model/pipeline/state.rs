//! The mutable state of the pipeline's entities: each platform's builds,
//! pending submission, staged and rejected builds and releases, and each
//! submission's place in the gatekeeper.

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
    pub platform: usize,
    pub build: u32,
    pub submitted: SimTime,
    pub enqueued: SimTime,
    pub expedited: bool,
    /// Bumped each time a hold is drawn, so an older hold's end is stale.
    pub hold_generation: u32,
    pub state: SubState,
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
