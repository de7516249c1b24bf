//! The gatekeeper's mechanics during a run: its reviewers (how many, how
//! many busy), the queue of submissions waiting for one, the number held
//! before review, and the rank a submission takes in the queue. The
//! pipeline decides when a submission moves; this says whether a reviewer
//! is free and who goes next.

use super::queue::{QueuePos, ReviewQueue};
use super::{ClassId, Discipline, GatekeeperParams};

/// How many submissions are where, at an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Levels {
    /// Waiting for a reviewer (count).
    pub(crate) waiting: usize,
    /// Being reviewed (count).
    pub(crate) in_review: u32,
    /// Held before review (count).
    pub(crate) held: usize,
    /// Reviewers at work or available: after a cut in reviewers, those still
    /// finishing a review count until they finish (count).
    pub(crate) capacity: u32,
    /// Reviewers the host employs now (count).
    pub(crate) reviewers: u32,
}

/// The gatekeeper's state in one replication.
pub(crate) struct Desk {
    params: GatekeeperParams,
    reviewers: u32,
    busy: u32,
    queue: ReviewQueue,
    held: usize,
}

impl Desk {
    /// The gatekeeper at time zero: nobody waiting, nobody busy.
    pub(crate) fn new(params: GatekeeperParams) -> Desk {
        Desk {
            reviewers: params.reviewers,
            busy: 0,
            queue: ReviewQueue::default(),
            held: 0,
            params,
        }
    }

    /// The host's rules.
    pub(crate) fn params(&self) -> &GatekeeperParams {
        &self.params
    }

    /// The queue rank of a submission of class `class`: expedited reviews
    /// first (rank 0), then by the discipline (FIFO: one rank; priority: the
    /// class's priority, smaller first).
    pub(crate) fn rank(&self, expedited: bool, class: ClassId) -> u32 {
        if expedited {
            return 0;
        }
        match self.params.discipline {
            Discipline::Fifo => 1,
            Discipline::Priority => self.params.classes[class].priority.saturating_add(1),
        }
    }

    /// A submission starts its hold.
    pub(crate) fn hold(&mut self) {
        self.held += 1;
    }

    /// A held submission leaves its hold (queued or withdrawn).
    pub(crate) fn unhold(&mut self) {
        self.held -= 1;
    }

    /// Queues submission `sub` with `rank`; returns its place.
    pub(crate) fn enqueue(&mut self, rank: u32, sub: usize) -> QueuePos {
        self.queue.push(rank, sub)
    }

    /// Withdraws the queued entry at `pos`.
    pub(crate) fn dequeue(&mut self, pos: QueuePos) {
        self.queue.remove(pos);
    }

    /// Moves the queued entry at `pos` to `rank`, keeping its arrival order.
    pub(crate) fn rerank(&mut self, pos: QueuePos, rank: u32) -> QueuePos {
        self.queue.rerank(pos, rank)
    }

    /// The next submission to review, if a reviewer is free and someone
    /// waits; the reviewer is then busy.
    pub(crate) fn next_review(&mut self) -> Option<usize> {
        if self.busy >= self.reviewers {
            return None;
        }
        let sub = self.queue.pop()?;
        self.busy += 1;
        Some(sub)
    }

    /// A review ends (decided or withdrawn): its reviewer is free.
    pub(crate) fn end_review(&mut self) {
        self.busy -= 1;
    }

    /// The host now employs `n` reviewers; reviews under way finish.
    pub(crate) fn set_reviewers(&mut self, n: u32) {
        self.reviewers = n;
    }

    /// How many submissions are where, now.
    pub(crate) fn levels(&self) -> Levels {
        Levels {
            waiting: self.queue.len(),
            in_review: self.busy,
            held: self.held,
            capacity: self.reviewers.max(self.busy),
            reviewers: self.reviewers,
        }
    }
}
