//! The queue of submissions waiting for a reviewer, ordered by a rank (the
//! discipline's priority) and then by the order they joined. Entries can be
//! withdrawn or re-ranked in place: a policy change may move a platform to a
//! class of another priority while its submission waits.

use std::collections::BTreeMap;

/// Waiting submissions keyed by `(rank, arrival number)`: the smallest rank
/// goes first, and within a rank the earliest arrival. The arrival number is
/// unique, so two entries never compare equal.
#[derive(Clone, Debug, Default)]
pub struct ReviewQueue {
    entries: BTreeMap<(u32, u64), usize>,
    arrivals: u64,
}

/// Where an entry sits in the queue; needed to withdraw or re-rank it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueuePos {
    rank: u32,
    arrival: u64,
}

impl ReviewQueue {
    /// Adds submission `sub` with `rank`; returns its position.
    pub fn push(&mut self, rank: u32, sub: usize) -> QueuePos {
        let arrival = self.arrivals;
        self.arrivals += 1;
        self.entries.insert((rank, arrival), sub);
        QueuePos { rank, arrival }
    }

    /// Removes and returns the next submission to review.
    pub fn pop(&mut self) -> Option<usize> {
        self.entries.pop_first().map(|(_, sub)| sub)
    }

    /// Removes the entry at `pos`; returns whether it was there.
    pub fn remove(&mut self, pos: QueuePos) -> bool {
        self.entries.remove(&(pos.rank, pos.arrival)).is_some()
    }

    /// Moves the entry at `pos` to `rank`, keeping its arrival order.
    pub fn rerank(&mut self, pos: QueuePos, rank: u32) -> QueuePos {
        match self.entries.remove(&(pos.rank, pos.arrival)) {
            Some(sub) => {
                self.entries.insert((rank, pos.arrival), sub);
                QueuePos {
                    rank,
                    arrival: pos.arrival,
                }
            }
            None => pos,
        }
    }

    /// Number of waiting submissions.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nobody waits.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smaller_rank_goes_first_then_arrival_order() {
        let mut q = ReviewQueue::default();
        q.push(2, 10);
        q.push(1, 11);
        q.push(2, 12);
        q.push(1, 13);
        let order: Vec<usize> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![11, 13, 10, 12]);
    }

    #[test]
    fn a_withdrawn_entry_is_gone_and_a_reranked_one_keeps_its_arrival() {
        let mut q = ReviewQueue::default();
        let a = q.push(2, 1);
        let b = q.push(2, 2);
        q.push(1, 3);
        assert!(q.remove(b));
        assert!(!q.remove(b));
        q.rerank(a, 0);
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop(), Some(1));
        assert_eq!(q.pop(), Some(3));
        assert!(q.is_empty());
    }
}
