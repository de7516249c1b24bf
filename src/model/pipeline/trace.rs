//! The audit log of a pipeline: one record per thing that happened to a
//! build (cut, submitted, held, queued, reviewed, decided, withdrawn,
//! released) or to the rules (a policy change), with a typed detail (what
//! was drawn, or why). Recorded only when asked for; a detail is a small
//! value, turned into text only when the log is written, so ordinary runs
//! pay nothing for it.

pub(crate) use crate::core::event::TraceKind;
use crate::core::numbers::trim;
use crate::model::gatekeeper::ClassId;
use serde::Serialize;
use std::fmt::Write;

/// Why a build was kept back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum KeptBack {
    /// The pending submission is in review and the rule says wait.
    InReview,
    /// A withdrawal would exceed the daily or monthly cap.
    Cap,
}

/// Why an approved build was not released.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Skipped {
    /// A newer approved build is waiting for the phase to end.
    NewerWaiting,
    /// A newer build was approved while this one waited for the phase.
    NewerApproved,
    /// This build (or a newer one) is already released.
    AlreadyReleased(u32),
}

/// What a record says beyond its kind: the value drawn or the reason.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum TraceDetail {
    /// Nothing to add.
    None,
    /// A build's appeal value (appeal points).
    Appeal(f64),
    /// A submission: whether it is a resubmission, and expedited.
    Submit {
        /// A rejected build resubmitted after its fix.
        resubmission: bool,
        /// It uses the expedite quota.
        expedited: bool,
    },
    /// A hold drawn (days).
    HoldDays(f64),
    /// An indefinite hold.
    HoldNever,
    /// An expedited review.
    Expedited,
    /// A rejection with the fix drawn for it (days).
    Fix(f64),
    /// Withdrawn or superseded by this newer build.
    By(u32),
    /// Kept back, and why.
    KeptBack(KeptBack),
    /// A release started, phased over this many days.
    Phase(f64),
    /// An approved build not released, and why.
    Skipped(Skipped),
    /// The platform's new review class.
    Class(ClassId),
    /// The gatekeeper's new number of reviewers.
    Reviewers(u32),
}

impl TraceDetail {
    /// The detail as written to the trace CSV; `classes` names the review
    /// classes by index.
    pub fn render(&self, classes: &[String]) -> String {
        let mut s = String::new();
        let _ = match *self {
            TraceDetail::None => Ok(()),
            TraceDetail::Appeal(a) => write!(s, "appeal={}", trim(format!("{a:.4}"))),
            TraceDetail::Submit {
                resubmission,
                expedited,
            } => {
                let parts = [(resubmission, "resubmission"), (expedited, "expedited")];
                let words: Vec<&str> = parts.iter().filter(|p| p.0).map(|p| p.1).collect();
                write!(s, "{}", words.join(" "))
            }
            TraceDetail::HoldDays(d) => write!(s, "{} days", days(d)),
            TraceDetail::HoldNever => write!(s, "never"),
            TraceDetail::Expedited => write!(s, "expedited"),
            TraceDetail::Fix(d) => write!(s, "fix {} days", days(d)),
            TraceDetail::By(b) => write!(s, "by build {b}"),
            TraceDetail::KeptBack(KeptBack::InReview) => write!(s, "pending build in review"),
            TraceDetail::KeptBack(KeptBack::Cap) => write!(s, "withdrawal cap reached"),
            TraceDetail::Phase(d) => write!(s, "phase {} days", days(d)),
            TraceDetail::Skipped(Skipped::NewerWaiting) => write!(s, "newer build waiting"),
            TraceDetail::Skipped(Skipped::NewerApproved) => write!(s, "newer build approved"),
            TraceDetail::Skipped(Skipped::AlreadyReleased(b)) => write!(s, "build {b} already released"),
            TraceDetail::Class(c) => write!(s, "{}", classes.get(c).map_or("", |n| n.as_str())),
            TraceDetail::Reviewers(n) => write!(s, "reviewers={n}"),
        };
        s
    }
}

/// Days to the millisecond, the resolution of simulated time (8
/// decimals keep every millisecond apart), without trailing zeros.
pub(crate) fn days(d: f64) -> String {
    trim(format!("{d:.8}"))
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceRecord {
    /// When, in milliseconds since the start (exact).
    pub time_ms: u64,
    /// The named platform's index, `None` for others.
    pub platform: Option<usize>,
    /// The population's index, for its members' records and its own
    /// (a class change of the whole population).
    pub population: Option<usize>,
    /// The member's index in its population, for a member's records.
    pub member: Option<u32>,
    /// The build's number within its platform (0 for none).
    pub build: u32,
    /// The submission's number (unique in the run, from 0 in the order
    /// submissions were made), if one is concerned.
    pub submission: Option<usize>,
    /// What happened.
    pub kind: TraceKind,
    /// What was drawn, or why.
    pub detail: TraceDetail,
}

/// Whose records the audit log keeps (gatekeeper-wide records always).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceFilter {
    /// Per named platform, whether its records are kept.
    pub platforms: Vec<bool>,
    /// Per population, whether its records and its members' are kept.
    pub populations: Vec<bool>,
}

impl TraceFilter {
    /// Every record of `platforms` platforms and `populations` populations.
    pub fn everything(platforms: usize, populations: usize) -> TraceFilter {
        TraceFilter {
            platforms: vec![true; platforms],
            populations: vec![true; populations],
        }
    }

    /// The records of the named platforms only (and gatekeeper-wide ones).
    pub fn platforms_only(platforms: usize, populations: usize) -> TraceFilter {
        TraceFilter {
            platforms: vec![true; platforms],
            populations: vec![false; populations],
        }
    }
}
