//! The steady-state quantities of one replication summed by blocks of
//! five days, kept when the warm-up is chosen after the run
//! (`warmup_days = "auto"`): enough to pick the warm-up by MSER-5 from
//! the replication-averaged series and then to recompute the waits,
//! utilisation and queue length of each replication from any block on.
//!
//! A wait belongs to the block of the instant it started (a submission's
//! decision to the block it was submitted in, a queue wait to the block
//! it joined the queue in), as the window of a declared warm-up counts
//! submissions made after it; time integrals belong to the block they
//! are lived in.

use serde::{Deserialize, Serialize};

/// Days per block: MSER-5's batch.
pub(crate) const BLOCK_DAYS: u64 = 5;

/// The gatekeeper's sums of a block, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GateSum {
    /// Queue waits that started in the block (count).
    QueueWaits = 0,
    /// Their hours.
    QueueWaitHours,
    /// Queue waits that ended in a review (count).
    ReviewedWaits,
    /// Their hours.
    ReviewedWaitHours,
    /// Time integral of the number waiting (count x hours).
    WaitingArea,
    /// Time integral of the number in review (count x hours).
    InReviewArea,
    /// Time integral of the reviewers' capacity (count x hours).
    CapacityArea,
    /// Hours of the block lived.
    Hours,
    /// Decisions on submissions made in the block, every actor (count).
    Decided,
    /// Of those, within 24 hours (count).
    Within24h,
    /// Of those, within 7 days (count).
    Within7d,
}

/// Sums per block kept by the gatekeeper.
pub(crate) const GATE_SUMS: usize = 11;

/// A book's (a tracked platform's or a population's) sums of a block, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BookSum {
    /// Decisions on submissions made in the block (count).
    Decided = 0,
    /// Their submission-to-decision hours.
    DecisionHours,
    /// Of those, within 24 hours (count).
    Within24h,
    /// Of those, within 7 days (count).
    Within7d,
}

/// Sums per block kept by each book.
pub(crate) const BOOK_SUMS: usize = 4;

/// One replication's sums by block: block `b` covers days `5b .. 5b + 5`
/// (the last one may be shorter). Each block holds the gatekeeper's
/// [`GATE_SUMS`] values, then [`BOOK_SUMS`] for each tracked platform
/// (named, then watched) and each population, in that order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SteadyBlocks {
    /// Tracked platforms (named, then watched members).
    pub(crate) tracked: usize,
    /// Populations.
    pub(crate) populations: usize,
    /// The sums, block after block.
    pub(crate) sums: Vec<f64>,
}

impl SteadyBlocks {
    /// Empty sums of `blocks` blocks.
    pub(crate) fn new(tracked: usize, populations: usize, blocks: usize) -> SteadyBlocks {
        SteadyBlocks {
            tracked,
            populations,
            sums: vec![0.0; blocks * (GATE_SUMS + BOOK_SUMS * (tracked + populations))],
        }
    }

    /// Values per block.
    pub(crate) fn width(&self) -> usize {
        GATE_SUMS + BOOK_SUMS * (self.tracked + self.populations)
    }

    /// Number of blocks.
    pub(crate) fn blocks(&self) -> usize {
        self.sums.len().checked_div(self.width()).unwrap_or(0)
    }

    /// Block `b`'s values.
    pub(crate) fn block(&self, b: usize) -> &[f64] {
        let w = self.width();
        &self.sums[b * w..(b + 1) * w]
    }

    /// The block of an instant `days` into the run (the last block for
    /// anything at or past its end).
    pub(crate) fn block_of(&self, days: f64) -> usize {
        let b = (days / BLOCK_DAYS as f64).floor().max(0.0) as usize;
        b.min(self.blocks().saturating_sub(1))
    }

    /// Adds `v` to the gatekeeper's `sum` of block `b`.
    pub(crate) fn add_gate(&mut self, b: usize, sum: GateSum, v: f64) {
        let w = self.width();
        if let Some(x) = self.sums.get_mut(b * w + sum as usize) {
            *x += v;
        }
    }

    /// Adds `v` to book `k`'s `sum` of block `b` (tracked platforms first,
    /// then populations at `tracked + k`).
    pub(crate) fn add_book(&mut self, b: usize, book: usize, sum: BookSum, v: f64) {
        let w = self.width();
        if let Some(x) = self.sums.get_mut(b * w + GATE_SUMS + BOOK_SUMS * book + sum as usize) {
            *x += v;
        }
    }

    /// A decision of `hours` on a submission made `submitted_days` into the
    /// run, for the gatekeeper and the books `books`.
    pub(crate) fn decision(&mut self, submitted_days: f64, hours: f64, books: impl IntoIterator<Item = usize>) {
        let b = self.block_of(submitted_days);
        let (day, week) = (f64::from(u8::from(hours <= 24.0)), f64::from(u8::from(hours <= 168.0)));
        self.add_gate(b, GateSum::Decided, 1.0);
        self.add_gate(b, GateSum::Within24h, day);
        self.add_gate(b, GateSum::Within7d, week);
        for k in books {
            self.add_book(b, k, BookSum::Decided, 1.0);
            self.add_book(b, k, BookSum::DecisionHours, hours);
            self.add_book(b, k, BookSum::Within24h, day);
            self.add_book(b, k, BookSum::Within7d, week);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_booked_in_the_block_of_its_submission_for_the_gatekeeper_and_its_books() {
        let mut s = SteadyBlocks::new(1, 1, 3);
        assert_eq!((s.width(), s.blocks()), (19, 3));
        s.decision(7.5, 30.0, [0, 1]);
        s.decision(99.0, 2.0, [1]);
        let b1 = s.block(1);
        assert_eq!(
            &b1[GateSum::Decided as usize..=GateSum::Within7d as usize],
            &[1.0, 0.0, 1.0]
        );
        assert_eq!(&b1[GATE_SUMS..GATE_SUMS + BOOK_SUMS], &[1.0, 30.0, 0.0, 1.0]);
        // Past the end: the last block.
        assert_eq!(&s.block(2)[GATE_SUMS + BOOK_SUMS..], &[1.0, 2.0, 1.0, 1.0]);
        assert_eq!(s.block(2)[GATE_SUMS], 0.0);
    }
}
