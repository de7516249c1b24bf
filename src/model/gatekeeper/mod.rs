//! The gatekeeper (the host app's review): its review classes, reviewers and
//! rules as validated parameters, and the queue of submissions waiting for a
//! reviewer, its reviewers at work ([`desk`]) and its rationing of
//! withdrawals and expedited reviews ([`quota`]). The flow of a submission
//! through hold, queue and review is driven by [`crate::model::pipeline`]; this
//! module holds the host's side of the rules and mechanics, and knows
//! nothing of the engine or of scenario files.

mod desk;
mod queue;
mod quota;

pub(crate) use desk::{Desk, Levels};
pub(crate) use queue::QueuePos;
pub(crate) use quota::Quotas;

use crate::core::dist::Dist;

/// Index of a review class in [`GatekeeperParams::classes`].
pub(crate) type ClassId = usize;

/// How waiting submissions are ordered for the next free reviewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discipline {
    /// First come, first served (expedited reviews still go first).
    Fifo,
    /// By the class's priority (smaller first), then first come, first served.
    Priority,
}

/// What a newer build does when the pending one is already being reviewed
/// (under the one-version rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InReview {
    /// The newer build waits for the decision, then is submitted; if several
    /// arrive meanwhile only the newest is kept.
    Wait,
    /// The review is interrupted and the newer build submitted in its place
    /// (a withdrawal, subject to the same caps).
    Withdraw,
}

/// A review class: how the host treats the submissions of the platforms in it.
#[derive(Clone, Debug)]
pub struct ReviewClass {
    /// Name used by platforms and policy changes.
    pub name: String,
    /// Order under [`Discipline::Priority`]: smaller is reviewed first.
    pub priority: u32,
    /// Duration of a review by one reviewer, in hours.
    pub review_hours: Dist,
    /// Extra hold before a submission may queue for review, in days;
    /// [`Dist::Never`] blocks the class.
    pub hold_days: Dist,
    /// Probability that a review ends in rejection.
    pub rejection_probability: f64,
}

/// Expedited reviews: a yearly quota per platform and a faster review.
#[derive(Clone, Debug)]
pub struct ExpediteParams {
    /// Expedited reviews each platform may use per 365-day year of the run.
    pub per_platform_per_year: u32,
    /// Duration of an expedited review, in hours.
    pub review_hours: Dist,
}

/// Caps on withdrawals of a pending submission (the host's rationing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WithdrawalCaps {
    /// Most withdrawals per platform per day; `None` means no cap.
    pub per_day: Option<u32>,
    /// Most withdrawals per platform per 30-day month; `None` means no cap.
    pub per_month: Option<u32>,
}

/// Validated parameters of the gatekeeper.
#[derive(Clone, Debug)]
pub struct GatekeeperParams {
    /// Number of reviewers working in parallel at the start (at least 1).
    pub reviewers: u32,
    /// Queue discipline.
    pub discipline: Discipline,
    /// The host's rule that one version per platform is under review at a
    /// time; when off every build queues on its own, as in a plain queue.
    pub one_version: bool,
    /// What a newer build does while the pending one is in review.
    pub in_review: InReview,
    /// Withdrawal caps (off by default).
    pub withdrawal_caps: WithdrawalCaps,
    /// Expedited reviews, if the host offers them.
    pub expedite: Option<ExpediteParams>,
    /// The review classes; platforms refer to them by index.
    pub classes: Vec<ReviewClass>,
}
