//! The far tier of the future-event list: the keys of events due after the
//! current window of time, sorted into buckets one window wide and kept
//! out of the heap until the clock reaches their window (a calendar queue
//! of fixed width, as in a timing wheel).
//!
//! A model with millions of entities each waiting for its next event (the
//! members of a population, each with its next build weeks ahead) would
//! otherwise keep millions of keys in one heap: every pop walks a path
//! through memory the caches cannot hold. Here a key waiting for a later
//! window costs one push onto the end of its bucket; when the clock reaches
//! the window, the bucket's keys go into the heap, which then holds one
//! window's events and stays in the caches. The order of events is not
//! changed: the heap still orders by (time, sequence number), and a key
//! only enters it once every earlier window has been emptied.
//!
//! This file knows windows and keys, not what the keys mean; the queue
//! ([`super::queue`]) decides what goes where and keeps the slab.

use std::collections::VecDeque;

/// Windows held in buckets ahead of the current one; a key further ahead
/// waits in the overflow list until its window comes within reach.
const MAX_BUCKETS: u64 = 1 << 16;

/// Keys sorted into buckets by window of `width` ticks: bucket `i` holds
/// the keys of window `first + i`, in the order they came.
#[derive(Debug)]
pub(super) struct Calendar<K> {
    /// Ticks per window (at least 1).
    width: u64,
    /// The window of `buckets[0]`: the one after the current window.
    first: u64,
    /// One bucket per window from `first` on (trailing windows with no
    /// key yet have no bucket).
    buckets: VecDeque<Vec<K>>,
    /// Keys of windows `MAX_BUCKETS` or more past `first` when they came.
    overflow: Vec<(u64, K)>,
    /// Smallest window in `overflow` (`u64::MAX` when empty).
    overflow_min: u64,
    /// Keys held (count), stale ones included.
    len: usize,
}

impl<K> Calendar<K> {
    /// An empty calendar of windows `width` ticks wide (at least 1), the
    /// current window being the one holding time 0.
    pub(super) fn new(width: u64) -> Calendar<K> {
        Calendar {
            width: width.max(1),
            first: 1,
            buckets: VecDeque::new(),
            overflow: Vec::new(),
            overflow_min: u64::MAX,
            len: 0,
        }
    }

    /// The first tick past the current window: keys due before it belong
    /// in the heap, the others here.
    #[inline]
    pub(super) fn near_end(&self) -> u64 {
        self.first.saturating_mul(self.width)
    }

    /// Keys held (count).
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Files `key`, due at tick `time` (at or after [`Calendar::near_end`]).
    #[inline]
    pub(super) fn push(&mut self, time: u64, key: K) {
        let window = time / self.width;
        let ahead = window.saturating_sub(self.first);
        self.len += 1;
        if ahead >= MAX_BUCKETS {
            self.overflow_min = self.overflow_min.min(window);
            self.overflow.push((window, key));
            return;
        }
        let i = ahead as usize;
        if i >= self.buckets.len() {
            self.buckets.resize_with(i + 1, Vec::new);
        }
        self.buckets[i].push(key);
    }

    /// Makes the next window the current one and hands over its keys
    /// (emptying `into` first); returns false, handing nothing, when no key
    /// is held. Empty windows are skipped at once.
    pub(super) fn next_window(&mut self, into: &mut Vec<K>) -> bool {
        into.clear();
        if self.len == 0 {
            return false;
        }
        if self.buckets.iter().all(Vec::is_empty) {
            // Only overflow keys are left: jump to the first of their windows.
            self.buckets.clear();
            self.first = self.overflow_min;
        }
        while self.buckets.front().is_some_and(Vec::is_empty) {
            self.buckets.pop_front();
            self.first += 1;
        }
        if self.overflow_min < self.first.saturating_add(MAX_BUCKETS) {
            self.refile_overflow();
        }
        let bucket = self.buckets.pop_front().unwrap_or_default();
        self.first += 1;
        self.len -= bucket.len();
        // The bucket's memory becomes the caller's scratch, and the
        // caller's previous scratch is dropped: buckets are not reused.
        *into = bucket;
        true
    }

    /// Moves the overflow keys whose window is now within reach into their
    /// buckets.
    fn refile_overflow(&mut self) {
        let overflow = std::mem::take(&mut self.overflow);
        self.overflow_min = u64::MAX;
        self.len -= overflow.len();
        for (window, key) in overflow {
            let ticks = window.saturating_mul(self.width);
            self.push(ticks, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(c: &mut Calendar<u64>) -> Vec<Vec<u64>> {
        let mut out = Vec::new();
        let mut scratch = Vec::new();
        while c.next_window(&mut scratch) {
            out.push(scratch.clone());
        }
        out
    }

    #[test]
    fn keys_come_back_window_by_window_in_the_order_they_came() {
        let mut c = Calendar::new(10);
        assert_eq!(c.near_end(), 10);
        for (time, key) in [(25, 1), (12, 2), (29, 3), (10, 4), (55, 5)] {
            c.push(time, key);
        }
        assert_eq!(c.len(), 5);
        assert_eq!(drain(&mut c), vec![vec![2, 4], vec![1, 3], vec![5]]);
        assert_eq!(c.near_end(), 60);
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn keys_beyond_the_buckets_wait_in_the_overflow_and_come_back_in_window_order() {
        let mut c = Calendar::new(1);
        let far = MAX_BUCKETS * 3;
        c.push(far + 1, 1);
        c.push(far, 2);
        c.push(5, 3);
        assert_eq!(drain(&mut c), vec![vec![3], vec![2], vec![1]]);
        assert_eq!(c.near_end(), far + 2);
    }
}
