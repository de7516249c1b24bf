//! The future-event list: a priority queue of pending events ordered by
//! (time, scheduling sequence number), with O(1) cancellation.
//!
//! Payloads live in a slab (a `Vec` of reusable slots with a free list); the
//! heap itself holds only small, `Copy` keys that name a slot, so scheduling
//! and firing move 24-byte keys around and never allocate once the vectors
//! have grown to the working size. Cancelling empties the slot at once and
//! leaves its key in the heap; such stale keys are recognised (their slot no
//! longer holds the event with their sequence number) and dropped when they
//! reach the top, or all at once when they come to outnumber the live ones.
//! The heap is a hand-written 4-ary min-heap moved with the hole technique.
//! Optionally ([`EventQueue::with_calendar`]) keys due after the current
//! window of time wait in a calendar of buckets ([`super::calendar`]) and
//! enter the heap when the clock reaches their window, so the heap holds
//! one window's events however many are pending; the order is the same.
//!
//! This is the edge of the engine's storage: it knows times, sequence numbers
//! and opaque payloads of type `E`, but not the clock rules (which live in
//! [`Simulation`](super::Simulation)) and nothing of what the events mean.

use super::calendar::Calendar;
use crate::core::prefetch::prefetch;
use crate::core::time::SimTime;

/// Opaque handle of a scheduled event, used to cancel it.
///
/// A handle stays harmless after its event has fired or been cancelled: the
/// slot it names may be reused by a later event, but the sequence number it
/// carries then no longer matches, so it cannot touch the newcomer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventId {
    /// Index of the slab slot the event was stored in.
    slot: usize,
    /// Sequence number the event was given when it was scheduled.
    seq: u64,
}

/// The heap entry of one scheduled event: its firing time, its sequence
/// number, and the slab slot that holds its payload.
///
/// Keys order by `(time, seq)`. The sequence number is a counter incremented
/// on every scheduling, so it is unique and grows with scheduling order, and
/// breaking ties on it has two consequences:
///
/// * Events scheduled for the same instant fire first-in, first-out, in the
///   order they were scheduled — the rule a model's author expects and the
///   one nexosim follows for simultaneous events.
/// * The firing order is a total order fixed by the model alone. A heap is
///   not a stable sort: which of two equal keys surfaces first depends on the
///   heap's shape, its arity and the history of pushes and pops. With the
///   counter no two keys are ever equal, so the order cannot depend on heap
///   internals, on the standard library version or on the platform, and a
///   seeded run replays identically everywhere.
///
/// The slot index takes no part in the order.
#[derive(Clone, Copy, Debug)]
struct Key {
    /// When the event fires.
    time: SimTime,
    /// Scheduling order; unique, breaks ties between equal times.
    seq: u64,
    /// Slab slot holding the payload.
    slot: usize,
}

impl Key {
    /// Whether `self` fires strictly before `other`.
    #[inline(always)]
    fn before(&self, other: &Key) -> bool {
        // One 128-bit comparison: the time in the high half, the sequence
        // number in the low half. Compiles to a branch-free compare pair.
        let a = (u128::from(self.time.ticks()) << 64) | u128::from(self.seq);
        let b = (u128::from(other.time.ticks()) << 64) | u128::from(other.seq);
        a < b
    }
}

/// One slab slot: the payload of a pending event, or empty.
#[derive(Debug)]
struct Slot<E> {
    /// Sequence number of the event that last occupied the slot.
    seq: u64,
    /// The payload while the event is pending; `None` once it fired, was
    /// cancelled, or before the slot is reused.
    event: Option<E>,
    /// Whether the event's key is in the heap (else in the calendar).
    near: bool,
}

/// Heap arity: each node has this many children.
const ARITY: usize = 4;

/// Stale keys tolerated beyond the number of live ones before a cancel
/// compacts the heap (keeps small queues from rebuilding over and over).
const COMPACT_SLACK: usize = 32;

/// The pending events of a simulation, ordered by (time, sequence number).
///
/// Invariant: every pending event has exactly one key, in `heap` if it is
/// due before the calendar's current window ends, else in the calendar;
/// the key at the top of the heap, if any, is live (names a pending event).
/// Once [`EventQueue::settle`] has run, the heap holds a live key whenever
/// an event is pending, so its top is the next event.
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    /// 4-ary min-heap of keys, live and stale.
    heap: Vec<Key>,
    /// Payload storage, indexed by `Key::slot`.
    slots: Vec<Slot<E>>,
    /// Indices of empty slots, reused last-freed first.
    free: Vec<usize>,
    /// Number of pending events whose key is in the heap.
    live: usize,
    /// Number of pending events whose key is in the calendar.
    live_far: usize,
    /// Sequence number for the next scheduled event.
    next_seq: u64,
    /// Keys due after the current window, if the queue has a calendar.
    far: Option<Calendar<Key>>,
    /// The first tick after the current window (`u64::MAX` without a calendar).
    near_end: u64,
    /// Scratch for a window's keys on their way into the heap.
    arriving: Vec<Key>,
}

impl<E> EventQueue<E> {
    /// An empty queue with room for `n` pending events before it reallocates.
    pub(crate) fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(n),
            slots: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
            live: 0,
            live_far: 0,
            next_seq: 0,
            far: None,
            near_end: u64::MAX,
            arriving: Vec::new(),
        }
    }

    /// An empty queue with room for `n` pending events whose keys due
    /// after the current window of `width` ticks wait in a calendar (see
    /// [`super::calendar`]); the order of events is that of a plain queue.
    pub(crate) fn with_calendar(n: usize, width: u64) -> Self {
        let far = Calendar::new(width);
        EventQueue {
            near_end: far.near_end(),
            far: Some(far),
            ..Self::with_capacity(n)
        }
    }

    /// Number of pending events.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.live + self.live_far
    }

    /// Time of the next pending event.
    #[inline]
    pub(crate) fn peek_time(&mut self) -> Option<SimTime> {
        self.settle();
        // The top key is live by the invariant.
        self.heap.first().map(|k| k.time)
    }

    /// Brings the next windows' keys into the heap while it holds no
    /// pending event and the calendar does.
    #[inline(always)]
    fn settle(&mut self) {
        // Without a calendar `live_far` stays 0: one test.
        if self.live_far > 0 && self.live == 0 {
            self.bring_next_window();
        }
    }

    /// Moves the calendar's next windows into the heap until a pending
    /// event is there (stale keys are dropped on the way).
    #[cold]
    fn bring_next_window(&mut self) {
        let Some(far) = self.far.as_mut() else {
            return;
        };
        // Every key left in the heap is stale: none is pending.
        self.heap.clear();
        let mut arriving = std::mem::take(&mut self.arriving);
        while self.live == 0 && far.next_window(&mut arriving) {
            self.near_end = far.near_end();
            for key in arriving.drain(..) {
                if let Some(slot) = self.slots.get_mut(key.slot)
                    && slot.seq == key.seq
                    && slot.event.is_some()
                {
                    slot.near = true;
                    self.live += 1;
                    self.live_far -= 1;
                    self.heap.push(key);
                }
            }
        }
        self.arriving = arriving;
        // Build the heap at once (O(n)) instead of key by key.
        let len = self.heap.len();
        if len > 1 {
            for pos in (0..=(len - 2) / ARITY).rev() {
                let key = self.heap[pos];
                self.sift_down(pos, key);
            }
        }
        if self.far.as_ref().is_some_and(|f| f.len() == 0) {
            // Only stale keys were left there.
            self.live_far = 0;
        }
    }

    /// Schedules `event` at `time` (no clock check here) and returns its handle.
    #[inline]
    pub(crate) fn push(&mut self, time: SimTime, event: E) -> EventId {
        let seq = self.next_seq;
        // 2^64 schedulings take centuries at a billion a second; wrapping
        // keeps the path free of overflow panics in debug builds.
        self.next_seq = seq.wrapping_add(1);
        let near = time.ticks() < self.near_end;
        let slot = match self.free.pop() {
            Some(index) => match self.slots.get_mut(index) {
                Some(s) => {
                    s.seq = seq;
                    s.event = Some(event);
                    s.near = near;
                    index
                }
                // Free indices always name existing slots; fall back to a
                // fresh slot rather than panic should that ever break.
                None => self.new_slot(seq, event, near),
            },
            None => self.new_slot(seq, event, near),
        };
        let key = Key { time, seq, slot };
        match self.far.as_mut() {
            Some(far) if !near => {
                far.push(time.ticks(), key);
                self.live_far += 1;
            }
            _ => {
                self.live += 1;
                self.push_key(key);
            }
        }
        EventId { slot, seq }
    }

    /// Appends a slot holding `event` and returns its index.
    #[inline]
    fn new_slot(&mut self, seq: u64, event: E, near: bool) -> usize {
        let index = self.slots.len();
        self.slots.push(Slot {
            seq,
            event: Some(event),
            near,
        });
        index
    }

    /// Cancels the event `id`; `true` if it was pending. O(1) amortised:
    /// the slot is emptied at once, its key is left for later disposal.
    pub(crate) fn cancel(&mut self, id: EventId) -> bool {
        let Some(slot) = self.slots.get_mut(id.slot) else {
            return false;
        };
        if slot.seq != id.seq {
            return false;
        }
        let Some(event) = slot.event.take() else {
            return false;
        };
        self.free.push(id.slot);
        if !slot.near {
            // Its key stays in the calendar and is dropped on the way in.
            self.live_far -= 1;
            return true;
        }
        self.live -= 1;
        if self.heap.first().is_some_and(|k| k.seq == id.seq) {
            // The next event is gone: restore the live-top invariant.
            self.discard_stale_top();
        } else if self.heap.len() > 2 * self.live + COMPACT_SLACK {
            self.compact();
        }
        drop(event);
        true
    }

    /// Removes and returns the next pending event with its time.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(SimTime, E)> {
        self.settle();
        self.pop_settled()
    }

    /// [`EventQueue::pop`] once the queue is settled.
    #[inline(always)]
    fn pop_settled(&mut self) -> Option<(SimTime, E)> {
        loop {
            let key = self.pop_key()?;
            if let Some(slot) = self.slots.get_mut(key.slot)
                && slot.seq == key.seq
                && let Some(event) = slot.event.take()
            {
                self.free.push(key.slot);
                self.live -= 1;
                self.discard_stale_top();
                self.prefetch_next();
                return Some((key.time, event));
            }
            // Only reachable if the live-top invariant were broken: the key
            // was stale, so keep looking.
        }
    }

    /// Removes and returns the next pending event if it fires at or before
    /// `horizon`.
    #[inline]
    pub(crate) fn pop_until(&mut self, horizon: SimTime) -> Option<(SimTime, E)> {
        match self.peek_time() {
            Some(t) if t <= horizon => self.pop_settled(),
            _ => None,
        }
    }

    /// Prefetches the payloads of the next two events (the top of the heap
    /// and the earliest of its children): in a large queue each lies at
    /// random in the slab, and the fetch then overlaps with the handling
    /// of the event just popped.
    #[inline(always)]
    fn prefetch_next(&self) {
        if self.far.is_none() {
            return;
        }
        if let Some(top) = self.heap.first() {
            prefetch(self.slots.as_ptr().wrapping_add(top.slot));
        }
        let children = self.heap.get(1..self.heap.len().min(1 + ARITY)).unwrap_or(&[]);
        if let Some(next) = children.iter().reduce(|a, b| if b.before(a) { b } else { a }) {
            prefetch(self.slots.as_ptr().wrapping_add(next.slot));
        }
    }

    /// The next pending event's payload (after settling).
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<&E> {
        self.settle();
        let top = self.heap.first()?;
        self.slots.get(top.slot)?.event.as_ref()
    }

    /// Whether `key` names a pending event.
    #[inline(always)]
    fn is_live(slots: &[Slot<E>], key: &Key) -> bool {
        slots
            .get(key.slot)
            .is_some_and(|s| s.seq == key.seq && s.event.is_some())
    }

    /// Pops stale keys off the top until the top is live or the heap empty.
    #[inline(always)]
    fn discard_stale_top(&mut self) {
        // Each pending event has one key, so extra keys are exactly the
        // stale ones; with none, there is nothing to look at.
        while self.heap.len() > self.live {
            match self.heap.first() {
                Some(top) if !Self::is_live(&self.slots, top) => {
                    self.pop_key();
                }
                _ => break,
            }
        }
    }

    /// Drops every stale key and rebuilds the heap in O(n).
    fn compact(&mut self) {
        let slots = &self.slots;
        self.heap.retain(|k| Self::is_live(slots, k));
        let len = self.heap.len();
        if len > 1 {
            for pos in (0..=(len - 2) / ARITY).rev() {
                let key = self.heap[pos];
                self.sift_down(pos, key);
            }
        }
    }

    /// Inserts `key` into the heap.
    #[inline(always)]
    fn push_key(&mut self, key: Key) {
        let mut pos = self.heap.len();
        self.heap.push(key);
        // Move the hole up while the parent fires later than `key`.
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            let p = self.heap[parent];
            if !key.before(&p) {
                break;
            }
            self.heap[pos] = p;
            pos = parent;
        }
        self.heap[pos] = key;
    }

    /// Removes and returns the smallest key.
    #[inline(always)]
    fn pop_key(&mut self) -> Option<Key> {
        let last = self.heap.pop()?;
        match self.heap.first().copied() {
            Some(top) => {
                self.sift_down(0, last);
                Some(top)
            }
            None => Some(last),
        }
    }

    /// Fills the hole at `pos` with `key`, moving the hole down past every
    /// child that fires earlier than `key`.
    #[inline(always)]
    fn sift_down(&mut self, mut pos: usize, key: Key) {
        let heap = &mut self.heap[..];
        let len = heap.len();
        loop {
            let first = ARITY * pos + 1;
            if first >= len {
                break;
            }
            let end = if first + ARITY <= len { first + ARITY } else { len };
            let mut best = first;
            let mut best_key = heap[first];
            for (i, k) in heap[first + 1..end].iter().enumerate() {
                if k.before(&best_key) {
                    best = first + 1 + i;
                    best_key = *k;
                }
            }
            if !best_key.before(&key) {
                break;
            }
            heap[pos] = best_key;
            pos = best;
        }
        if let Some(slot) = heap.get_mut(pos) {
            *slot = key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ticks: u64) -> SimTime {
        SimTime::from_ticks(ticks)
    }

    #[test]
    fn keys_order_by_time_then_by_sequence_number() {
        let k = |time, seq| Key {
            time: t(time),
            seq,
            slot: 0,
        };
        assert!(k(1, 9).before(&k(2, 0)));
        assert!(k(2, 0).before(&k(2, 1)));
        assert!(!k(2, 1).before(&k(2, 1)));
        assert!(!k(u64::MAX, 0).before(&k(1, u64::MAX)));
    }

    #[test]
    fn heap_pops_a_scrambled_sequence_in_sorted_order() {
        let mut q = EventQueue::with_capacity(0);
        let mut expected = Vec::new();
        for i in 0..1000u64 {
            let time = (i * 7919) % 257;
            q.push(t(time), i);
            expected.push((time, i));
        }
        expected.sort();
        let got: Vec<_> = std::iter::from_fn(|| q.pop())
            .map(|(time, e)| (time.ticks(), e))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn slots_are_reused_after_events_fire() {
        let mut q = EventQueue::with_capacity(0);
        for round in 0..10u64 {
            for i in 0..8 {
                q.push(t(round * 10 + i), i);
            }
            while q.pop().is_some() {}
        }
        assert_eq!(q.slots.len(), 8);
        assert_eq!(q.len(), 0);
    }

    #[test]
    fn compaction_drops_stale_keys_and_keeps_the_order() {
        let mut q = EventQueue::with_capacity(0);
        let ids: Vec<_> = (0..1000u64).map(|i| q.push(t(1000 - i), i)).collect();
        for id in ids.iter().skip(1).step_by(3) {
            assert!(q.cancel(*id));
        }
        for id in ids.iter().skip(2).step_by(3) {
            assert!(q.cancel(*id));
        }
        assert!(q.heap.len() <= 2 * q.len() + COMPACT_SLACK);
        let got: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        let want: Vec<_> = (0..1000u64).rev().filter(|i| i % 3 == 0).collect();
        assert_eq!(got, want);
    }
}
