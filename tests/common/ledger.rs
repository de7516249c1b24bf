//! Replays a pipeline's audit log build by build and checks that its books
//! balance: every build cut follows a legal path (cut, kept back, submitted,
//! held, queued, reviewed, approved or rejected, fixed and resubmitted,
//! withdrawn, superseded, released or skipped) and ends in exactly one fate:
//! released, skipped because a newer build was released, superseded or
//! withdrawn, or still pending at the horizon (kept back, held, queued, in
//! review, in its fix, or approved and waiting for its release). Every
//! rejection is followed by exactly one resubmission (at the end of the fix
//! it announced) or supersession, unless the horizon comes first.

#![allow(dead_code)]

use gatesim::{SimDuration, SimTime};
use gatesim::{TraceDetail, TraceKind, TraceRecord};
use std::collections::HashMap;

/// Where a build is in its life.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fate {
    /// Cut and not yet submitted or kept back (never a state between events).
    Cut,
    /// Kept back until the pending submission is decided.
    Staged,
    /// Submitted and held before review.
    Held,
    /// In the review queue.
    Queued,
    /// Being reviewed.
    InReview,
    /// Rejected and being fixed until this time (ms).
    Fixing(u64),
    /// Rejected and replaced at once by a newer build kept back.
    RejectedReplaced,
    /// Approved, its release not started yet.
    Approved,
    /// Released to users (terminal).
    Released,
    /// Approved but not released: a newer build went first (terminal).
    Skipped,
    /// Replaced by a newer build before reaching (or after leaving) the gatekeeper (terminal).
    Superseded,
    /// Withdrawn from the gatekeeper by a newer build (terminal).
    Withdrawn,
}

impl Fate {
    fn terminal(self) -> bool {
        matches!(
            self,
            Fate::Released | Fate::Skipped | Fate::Superseded | Fate::Withdrawn
        )
    }
}

/// What the replay found, per platform: every build's fate at the horizon.
#[derive(Debug, Default)]
pub struct Books {
    /// (platform, build) -> fate at the horizon.
    pub fates: HashMap<(usize, u32), Fate>,
    /// Rejections seen.
    pub rejections: u64,
    /// Resubmissions seen.
    pub resubmissions: u64,
}

impl Books {
    /// Builds of `platform` in `fate`.
    pub fn count(&self, platform: usize, fate: Fate) -> u64 {
        self.fates
            .iter()
            .filter(|((p, _), f)| *p == platform && **f == fate)
            .count() as u64
    }
}

fn by_build(detail: &TraceDetail) -> Option<u32> {
    match *detail {
        TraceDetail::By(b) => Some(b),
        _ => None,
    }
}

fn is_resubmission(detail: &TraceDetail) -> bool {
    matches!(detail, TraceDetail::Submit { resubmission: true, .. })
}

/// Replays `trace` of a run that ended at `horizon_ms`; returns the books or
/// the first illegal step, described.
pub fn replay(trace: &[TraceRecord], horizon_ms: u64) -> Result<Books, String> {
    let mut books = Books::default();
    let mut newest: HashMap<usize, u32> = HashMap::new();
    let mut released: HashMap<usize, u32> = HashMap::new();
    // A rejection replaced at once by a newer build kept back: the very next
    // record must be its supersession.
    let mut must_supersede: Option<(usize, u32)> = None;
    for (i, r) in trace.iter().enumerate() {
        let here = |what: &str| format!("record {i} ({r:?}): {what}");
        if let Some(key) = must_supersede.take()
            && (r.kind != TraceKind::Supersede || (r.platform, r.build) != (Some(key.0), key.1))
        {
            return Err(here("a rejection replaced by a newer build must be superseded at once"));
        }
        let Some(p) = r.platform else { continue };
        let b = r.build;
        if r.kind == TraceKind::Build {
            let last = newest.entry(p).or_insert(0);
            if b != *last + 1 {
                return Err(here("builds are not numbered in order"));
            }
            *last = b;
            books.fates.insert((p, b), Fate::Cut);
            continue;
        }
        if matches!(r.kind, TraceKind::ClassChange) {
            continue;
        }
        let Some(&fate) = books.fates.get(&(p, b)) else {
            return Err(here("an event for a build never cut"));
        };
        if fate.terminal() && r.kind != TraceKind::ReleaseFull {
            return Err(here(&format!("an event after the build's end ({fate:?})")));
        }
        let next = match (r.kind, fate) {
            (TraceKind::Stage, Fate::Cut) => Fate::Staged,
            (TraceKind::Submit, Fate::Cut | Fate::Staged) if !is_resubmission(&r.detail) => Fate::Held,
            (TraceKind::Submit, Fate::Fixing(until)) if is_resubmission(&r.detail) => {
                if r.time_ms != until {
                    return Err(here(&format!("resubmitted at another time than its fix's end {until}")));
                }
                books.resubmissions += 1;
                Fate::Held
            }
            (TraceKind::Hold, Fate::Held) => Fate::Held,
            (TraceKind::Queue, Fate::Held) => Fate::Queued,
            (TraceKind::ReviewStart, Fate::Queued) => Fate::InReview,
            (TraceKind::Approve, Fate::InReview) => Fate::Approved,
            (TraceKind::Reject, Fate::InReview) => {
                books.rejections += 1;
                match r.detail {
                    TraceDetail::Fix(d) => Fate::Fixing(
                        SimTime::from_ticks(r.time_ms)
                            .saturating_add(SimDuration::from_days(d))
                            .ticks(),
                    ),
                    TraceDetail::None => {
                        must_supersede = Some((p, b));
                        Fate::RejectedReplaced
                    }
                    _ => return Err(here("a rejection neither fixed nor replaced")),
                }
            }
            (TraceKind::Withdraw, Fate::Held | Fate::Queued | Fate::InReview) => Fate::Withdrawn,
            (TraceKind::Supersede, Fate::Staged | Fate::Fixing(_) | Fate::RejectedReplaced) => {
                let Some(by) = by_build(&r.detail) else {
                    return Err(here("a supersession that names no newer build"));
                };
                if by <= b || by > newest[&p] {
                    return Err(here("superseded by a build that is not newer or not cut"));
                }
                Fate::Superseded
            }
            (TraceKind::ReleaseStart, Fate::Approved) => {
                let last = released.entry(p).or_insert(0);
                if b <= *last {
                    return Err(here("a release older than the one already released"));
                }
                *last = b;
                Fate::Released
            }
            (TraceKind::SkipRelease, Fate::Approved) => Fate::Skipped,
            (TraceKind::ReleaseFull, Fate::Released) => Fate::Released,
            (kind, fate) => return Err(here(&format!("{kind:?} is not allowed for a build that is {fate:?}"))),
        };
        if let Some(withdrawn_by) = (r.kind == TraceKind::Withdraw).then(|| by_build(&r.detail)) {
            match withdrawn_by {
                Some(by) if by > b && by <= newest[&p] => {}
                _ => return Err(here("a withdrawal that names no newer build")),
            }
        }
        books.fates.insert((p, b), next);
    }
    for (&(p, b), &fate) in &books.fates {
        match fate {
            Fate::Cut | Fate::RejectedReplaced => {
                return Err(format!("platform {p} build {b} ends in an impossible state {fate:?}"));
            }
            Fate::Fixing(until) if until <= horizon_ms => {
                return Err(format!(
                    "platform {p} build {b}: its fix ended at {until} ms, within the horizon, but it was never resubmitted nor superseded"
                ));
            }
            _ => {}
        }
    }
    Ok(books)
}
