//! The queue of submissions waiting for a reviewer, ordered by a rank (the
//! discipline's priority) and then by the order they joined. Entries can be
//! withdrawn or re-ranked in place: a policy change may move a platform to a
//! class of another priority while its submission waits.

use std::collections::VecDeque;

/// Entries of one rank in arrival order; a withdrawn entry stays as a
/// tombstone (`None`) until it reaches the front.
type Lane = VecDeque<(u64, Option<usize>)>;

/// Waiting submissions by rank: the smallest rank goes first, and within a
/// rank the earliest arrival (arrival numbers are unique). One first-in
/// first-out lane per rank in use, so joining and leaving cost O(1) (a
/// withdrawal or a re-rank finds its entry by binary search).
#[derive(Clone, Debug, Default)]
pub(crate) struct ReviewQueue {
    /// Lanes sorted by rank.
    lanes: Vec<(u32, Lane)>,
    len: usize,
    arrivals: u64,
}

/// Where an entry sits in the queue; needed to withdraw or re-rank it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct QueuePos {
    rank: u32,
    arrival: u64,
}

impl ReviewQueue {
    /// The lane of `rank`, made if missing.
    fn lane(&mut self, rank: u32) -> &mut Lane {
        let i = match self.lanes.binary_search_by_key(&rank, |l| l.0) {
            Ok(i) => i,
            Err(i) => {
                self.lanes.insert(i, (rank, VecDeque::new()));
                i
            }
        };
        &mut self.lanes[i].1
    }

    /// Adds submission `sub` with `rank`; returns its position.
    pub(crate) fn push(&mut self, rank: u32, sub: usize) -> QueuePos {
        let arrival = self.arrivals;
        self.arrivals += 1;
        self.lane(rank).push_back((arrival, Some(sub)));
        self.len += 1;
        QueuePos { rank, arrival }
    }

    /// Removes and returns the next submission to review.
    pub(crate) fn pop(&mut self) -> Option<usize> {
        for (_, lane) in &mut self.lanes {
            while let Some((_, entry)) = lane.pop_front() {
                if let Some(sub) = entry {
                    self.len -= 1;
                    return Some(sub);
                }
            }
        }
        None
    }

    /// Takes the submission at `pos` out, if it is there.
    fn take(&mut self, pos: QueuePos) -> Option<usize> {
        let l = self.lanes.binary_search_by_key(&pos.rank, |l| l.0).ok()?;
        let lane = &mut self.lanes[l].1;
        let i = lane.binary_search_by_key(&pos.arrival, |e| e.0).ok()?;
        let sub = lane[i].1.take()?;
        self.len -= 1;
        Some(sub)
    }

    /// Removes the entry at `pos`; returns whether it was there.
    pub(crate) fn remove(&mut self, pos: QueuePos) -> bool {
        self.take(pos).is_some()
    }

    /// Moves the entry at `pos` to `rank`, keeping its arrival order.
    pub(crate) fn rerank(&mut self, pos: QueuePos, rank: u32) -> QueuePos {
        match self.take(pos) {
            Some(sub) => {
                let lane = self.lane(rank);
                let i = lane.partition_point(|e| e.0 < pos.arrival);
                lane.insert(i, (pos.arrival, Some(sub)));
                self.len += 1;
                QueuePos {
                    rank,
                    arrival: pos.arrival,
                }
            }
            None => pos,
        }
    }

    /// Number of waiting submissions.
    pub(crate) fn len(&self) -> usize {
        self.len
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
        assert_eq!(q.len(), 0);
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn a_reranked_entry_takes_its_arrival_place_among_the_new_rank() {
        let mut q = ReviewQueue::default();
        let a = q.push(3, 1);
        q.push(1, 2);
        let c = q.push(3, 3);
        q.push(1, 4);
        assert!(q.remove(c));
        q.rerank(a, 1);
        let order: Vec<usize> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, vec![1, 2, 4]);
    }
}
