//! The catalogue of pipeline events: what can happen to a build (cut,
//! submitted, held, queued, reviewed, decided, withdrawn, released) or to
//! the rules (a policy change), by the names the audit log writes. The
//! model records them; results, files and charts read them.

use serde::Serialize;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// A build was cut.
    Build,
    /// A build was submitted for review (or resubmitted after a fix).
    Submit,
    /// The submission was held before review (detail: hold in days, or never).
    Hold,
    /// The submission joined the review queue.
    Queue,
    /// A reviewer started reviewing it (detail: expedited or not).
    ReviewStart,
    /// Approved.
    Approve,
    /// Rejected (detail: the fix's length, `fix 3 days`; empty when a newer
    /// build kept back replaces it at once).
    Reject,
    /// Withdrawn from the gatekeeper because a newer build superseded it
    /// (detail: `by build N`).
    Withdraw,
    /// A newer build replaced this one while it was not at the gatekeeper:
    /// kept back, or rejected and being fixed (detail: `by build N`).
    Supersede,
    /// Kept back: it will be submitted when the pending one is decided
    /// (detail: `pending build in review` or `withdrawal cap reached`).
    Stage,
    /// A release to users started.
    ReleaseStart,
    /// A phased release reached every user.
    ReleaseFull,
    /// An approved build was not released because a newer one went first.
    SkipRelease,
    /// The platform moved to another review class.
    ClassChange,
    /// The number of reviewers changed.
    ReviewersChange,
}

impl TraceKind {
    /// The snake_case name written to files.
    pub fn as_str(self) -> &'static str {
        match self {
            TraceKind::Build => "build",
            TraceKind::Submit => "submit",
            TraceKind::Hold => "hold",
            TraceKind::Queue => "queue",
            TraceKind::ReviewStart => "review_start",
            TraceKind::Approve => "approve",
            TraceKind::Reject => "reject",
            TraceKind::Withdraw => "withdraw",
            TraceKind::Supersede => "supersede",
            TraceKind::Stage => "stage",
            TraceKind::ReleaseStart => "release_start",
            TraceKind::ReleaseFull => "release_full",
            TraceKind::SkipRelease => "skip_release",
            TraceKind::ClassChange => "class_change",
            TraceKind::ReviewersChange => "reviewers_change",
        }
    }
}
