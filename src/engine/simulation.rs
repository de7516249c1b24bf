//! The simulation clock and its event loop: [`Simulation`] owns the current
//! time and the future-event list, refuses events in the past, and hands
//! events out one by one in (time, scheduling order) order.
//!
//! Its edge: it is generic over the event payload `E` and never looks inside
//! it. What an event means, and what happens when it fires, is the caller's
//! business — either by pulling events with [`Simulation::step`] /
//! [`Simulation::next_until`], or by passing a handler to
//! [`Simulation::run_until`]. It knows nothing of mini-programs, reviews or
//! users.

use std::fmt;

use super::queue::{EventId, EventQueue};
use crate::core::time::{SimDuration, SimTime};

/// Why an event could not be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The requested time `at` lies before the current time `now`.
    #[error("cannot schedule an event at {at} before the current time {now}")]
    InThePast {
        /// The simulation clock when scheduling was attempted.
        now: SimTime,
        /// The requested firing time.
        at: SimTime,
    },
    /// The current time plus the requested delay overflows the clock.
    #[error("the event time overflows the clock")]
    Overflow,
}

/// A discrete-event simulation over event payloads of type `E`: a clock
/// plus the pending events, fired in order of time and, for equal times, in
/// the order they were scheduled.
///
/// The clock starts at [`SimTime::ZERO`] and only moves forward: to the time
/// of each event handed out, or to a horizon passed to
/// [`next_until`](Simulation::next_until) / [`run_until`](Simulation::run_until).
pub struct Simulation<E> {
    /// Pending events.
    queue: EventQueue<E>,
    /// Current simulated time.
    now: SimTime,
    /// Events handed out so far.
    processed: u64,
}

impl<E> Simulation<E> {
    /// An empty simulation at time zero.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty simulation at time zero with room for `n` pending events
    /// before it allocates.
    pub fn with_capacity(n: usize) -> Self {
        Simulation {
            queue: EventQueue::with_capacity(n),
            now: SimTime::ZERO,
            processed: 0,
        }
    }

    /// An empty simulation at time zero, with room for `n` pending events,
    /// whose events due after the current window of `window` wait in a
    /// calendar of buckets instead of the heap. Meant for models with very
    /// many pending events far ahead (each member of a large population
    /// waiting for its next build): the heap then holds one window's
    /// events and stays in the processor's caches. The events fire in the
    /// same order as without it.
    pub fn with_calendar(n: usize, window: SimDuration) -> Self {
        Simulation {
            queue: EventQueue::with_calendar(n, window.ticks()),
            now: SimTime::ZERO,
            processed: 0,
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` to fire at `at`, which may equal but not precede the
    /// current time. Events at equal times fire in scheduling order.
    #[inline]
    pub fn schedule_at(&mut self, at: SimTime, event: E) -> Result<EventId, ScheduleError> {
        if at < self.now {
            return Err(ScheduleError::InThePast { now: self.now, at });
        }
        Ok(self.queue.push(at, event))
    }

    /// Schedules `event` to fire `delay` after the current time.
    #[inline]
    pub fn schedule_in(&mut self, delay: SimDuration, event: E) -> Result<EventId, ScheduleError> {
        let at = self.now.checked_add(delay).ok_or(ScheduleError::Overflow)?;
        Ok(self.queue.push(at, event))
    }

    /// Cancels a pending event. Returns `true` if it was pending and is now
    /// cancelled, `false` if it had already fired or been cancelled. O(1)
    /// amortised; the payload is dropped at once.
    pub fn cancel(&mut self, id: EventId) -> bool {
        self.queue.cancel(id)
    }

    /// Number of pending (scheduled, not yet fired, not cancelled) events.
    #[inline]
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Time of the next pending event, if any. Takes `&mut self` because
    /// a queue with a calendar may bring its next window into the heap.
    #[inline]
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// The next pending event, without removing it (a model may prepare
    /// for it, e.g. prefetch what it will touch).
    #[inline]
    pub fn peek(&mut self) -> Option<&E> {
        self.queue.peek()
    }

    /// Removes the next pending event, advances the clock to its time, counts
    /// it, and returns it with its time; `None` when nothing is pending.
    #[inline]
    pub fn step(&mut self) -> Option<(SimTime, E)> {
        let (at, event) = self.queue.pop()?;
        self.now = at;
        self.processed += 1;
        Some((at, event))
    }

    /// Like [`step`](Simulation::step), but only hands out an event firing at
    /// or before `horizon`. When no such event is left, sets the clock to the
    /// later of now and `horizon` and returns `None`.
    #[inline]
    pub fn next_until(&mut self, horizon: SimTime) -> Option<E> {
        match self.queue.pop_until(horizon) {
            Some((at, event)) => {
                self.now = at;
                self.processed += 1;
                Some(event)
            }
            None => {
                self.now = self.now.max(horizon);
                None
            }
        }
    }

    /// Hands every event firing at or before `horizon` to `handler`, in order,
    /// including those the handler schedules within the horizon; then sets the
    /// clock to the later of now and `horizon`.
    #[inline]
    pub fn run_until(&mut self, horizon: SimTime, mut handler: impl FnMut(&mut Self, E)) {
        while let Some(event) = self.next_until(horizon) {
            handler(self, event);
        }
    }

    /// Number of events handed out so far (by `step`, `next_until` or
    /// `run_until`); cancelled events are not counted.
    #[inline]
    pub fn events_processed(&self) -> u64 {
        self.processed
    }
}

impl<E> Default for Simulation<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> fmt::Debug for Simulation<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulation")
            .field("now", &self.now)
            .field("pending", &self.pending())
            .field("events_processed", &self.processed)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::Stream;
    use rand::{RngExt, SeedableRng};

    fn t(ticks: u64) -> SimTime {
        SimTime::from_ticks(ticks)
    }

    fn d(ticks: u64) -> SimDuration {
        SimDuration::from_ticks(ticks)
    }

    fn drain<E>(sim: &mut Simulation<E>) -> Vec<(u64, E)> {
        std::iter::from_fn(|| sim.step())
            .map(|(at, e)| (at.ticks(), e))
            .collect()
    }

    #[test]
    fn events_fire_in_order_of_time_and_move_the_clock() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        sim.schedule_at(t(30), 'c')?;
        sim.schedule_at(t(10), 'a')?;
        sim.schedule_at(t(20), 'b')?;
        assert_eq!(sim.peek_time(), Some(t(10)));
        assert_eq!(sim.step(), Some((t(10), 'a')));
        assert_eq!(sim.now(), t(10));
        assert_eq!(sim.step(), Some((t(20), 'b')));
        assert_eq!(sim.step(), Some((t(30), 'c')));
        assert_eq!(sim.now(), t(30));
        assert_eq!(sim.step(), None);
        assert_eq!(sim.now(), t(30));
        assert_eq!(sim.peek_time(), None);
        Ok(())
    }

    #[test]
    fn simultaneous_events_fire_in_scheduling_order() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        let mut scheduled = Vec::new();
        // 200 events at time 50 interleaved with events at other times,
        // some of which also land on 50 or share another instant.
        for i in 0..200u32 {
            sim.schedule_at(t(50), i)?;
            scheduled.push((50, i));
            let time = if i % 2 == 0 { 10 + u64::from(i) } else { 100 };
            sim.schedule_at(t(time), 1000 + i)?;
            scheduled.push((time, 1000 + i));
        }
        // The expected order is a stable sort by time of the scheduling order.
        scheduled.sort_by_key(|&(time, _)| time);
        let fired = drain(&mut sim);
        assert_eq!(fired, scheduled);
        let at_50: Vec<_> = fired.iter().filter(|&&(at, _)| at == 50).collect();
        assert_eq!(at_50.len(), 201);
        assert_eq!(*at_50[41], (50, 1040));
        Ok(())
    }

    #[test]
    fn an_event_scheduled_now_from_a_handler_fires_after_those_already_due_now() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        sim.schedule_at(t(5), "first")?;
        sim.schedule_at(t(5), "second")?;
        let mut seen = Vec::new();
        sim.run_until(t(5), |sim, e| {
            seen.push(e);
            if e == "first" {
                // `at == now` is allowed and joins the back of the line.
                assert!(sim.schedule_in(SimDuration::ZERO, "third").is_ok());
            }
        });
        assert_eq!(seen, ["first", "second", "third"]);
        Ok(())
    }

    #[test]
    fn scheduling_in_the_past_is_an_error_and_changes_nothing() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        sim.schedule_at(t(10), 1)?;
        sim.schedule_at(t(20), 2)?;
        assert_eq!(sim.step(), Some((t(10), 1)));
        let err = sim.schedule_at(t(9), 3);
        assert_eq!(err, Err(ScheduleError::InThePast { now: t(10), at: t(9) }));
        assert_eq!(sim.pending(), 1);
        assert_eq!(sim.now(), t(10));
        assert_eq!(sim.peek_time(), Some(t(20)));
        assert_eq!(drain(&mut sim), [(20, 2)]);
        assert!(sim.schedule_at(t(20), 4).is_ok());
        Ok(())
    }

    #[test]
    fn an_overflowing_delay_is_refused_and_changes_nothing() {
        let mut sim = Simulation::new();
        assert!(sim.schedule_at(t(10), ()).is_ok());
        sim.step();
        assert!(sim.schedule_in(d(u64::MAX - 10), ()).is_ok());
        assert_eq!(sim.schedule_in(d(u64::MAX - 9), ()), Err(ScheduleError::Overflow));
        assert_eq!(sim.pending(), 1);
        assert_eq!(sim.peek_time(), Some(SimTime::MAX));
    }

    #[test]
    fn the_error_messages_name_the_times() {
        let err = ScheduleError::InThePast {
            now: SimTime::from_days(2),
            at: SimTime::from_days(1),
        };
        assert_eq!(
            err.to_string(),
            "cannot schedule an event at day 1.0000 before the current time day 2.0000"
        );
        assert_eq!(
            ScheduleError::Overflow.to_string(),
            "the event time overflows the clock"
        );
    }

    #[test]
    fn cancel_succeeds_once_and_the_event_never_fires() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        sim.schedule_at(t(1), 'a')?;
        let b = sim.schedule_at(t(2), 'b')?;
        sim.schedule_at(t(3), 'c')?;
        assert_eq!(sim.pending(), 3);
        assert!(sim.cancel(b));
        assert!(!sim.cancel(b));
        assert_eq!(sim.pending(), 2);
        assert_eq!(drain(&mut sim), [(1, 'a'), (3, 'c')]);
        assert!(!sim.cancel(b));
        assert_eq!(sim.events_processed(), 2);
        Ok(())
    }

    #[test]
    fn cancelling_the_next_event_exposes_the_one_after() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        let a = sim.schedule_at(t(1), 'a')?;
        let b = sim.schedule_at(t(1), 'b')?;
        sim.schedule_at(t(7), 'c')?;
        assert!(sim.cancel(a));
        assert_eq!(sim.peek_time(), Some(t(1)));
        assert!(sim.cancel(b));
        assert_eq!(sim.peek_time(), Some(t(7)));
        assert_eq!(drain(&mut sim), [(7, 'c')]);
        Ok(())
    }

    #[test]
    fn cancelling_a_fired_event_returns_false() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        let a = sim.schedule_at(t(1), 'a')?;
        assert_eq!(sim.step(), Some((t(1), 'a')));
        assert!(!sim.cancel(a));
        Ok(())
    }

    #[test]
    fn a_stale_id_does_not_cancel_the_event_that_reused_its_slot() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        let old = sim.schedule_at(t(1), "old")?;
        assert!(sim.cancel(old));
        // The freed slot is reused by the next event.
        let new = sim.schedule_at(t(2), "new")?;
        assert_ne!(old, new);
        assert!(!sim.cancel(old));
        assert_eq!(sim.pending(), 1);
        assert_eq!(sim.step(), Some((t(2), "new")));
        // Same after firing instead of cancelling.
        let fired = new;
        let newer = sim.schedule_at(t(3), "newer")?;
        assert!(!sim.cancel(fired));
        assert_eq!(sim.step(), Some((t(3), "newer")));
        assert!(!sim.cancel(newer));
        Ok(())
    }

    #[test]
    fn pending_counts_scheduled_minus_fired_minus_cancelled() -> Result<(), ScheduleError> {
        let mut sim = Simulation::with_capacity(4);
        assert_eq!(sim.pending(), 0);
        let ids: Vec<_> = (0..10).map(|i| sim.schedule_at(t(i), i)).collect::<Result<_, _>>()?;
        assert_eq!(sim.pending(), 10);
        sim.step();
        sim.step();
        assert_eq!(sim.pending(), 8);
        assert!(sim.cancel(ids[5]));
        assert!(!sim.cancel(ids[0]));
        assert_eq!(sim.pending(), 7);
        drain(&mut sim);
        assert_eq!(sim.pending(), 0);
        Ok(())
    }

    #[test]
    fn next_until_stops_at_the_horizon_and_sets_the_clock() -> Result<(), ScheduleError> {
        let mut sim = Simulation::default();
        sim.schedule_at(t(10), 1)?;
        sim.schedule_at(t(20), 2)?;
        sim.schedule_at(t(30), 3)?;
        assert_eq!(sim.next_until(t(20)), Some(1));
        assert_eq!(sim.now(), t(10));
        assert_eq!(sim.next_until(t(20)), Some(2));
        assert_eq!(sim.now(), t(20));
        assert_eq!(sim.next_until(t(25)), None);
        assert_eq!(sim.now(), t(25));
        // A horizon behind the clock leaves the clock alone.
        assert_eq!(sim.next_until(t(5)), None);
        assert_eq!(sim.now(), t(25));
        assert_eq!(sim.pending(), 1);
        assert_eq!(sim.events_processed(), 2);
        Ok(())
    }

    #[test]
    fn run_until_processes_events_up_to_the_horizon_including_new_ones() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        sim.schedule_at(t(0), 0u64)?;
        let mut seen = Vec::new();
        // Each event schedules the next one 7 ticks later.
        sim.run_until(t(50), |sim, n| {
            seen.push((sim.now().ticks(), n));
            assert!(sim.schedule_in(d(7), n + 1).is_ok());
        });
        let want: Vec<_> = (0..=7).map(|n| (7 * n, n)).collect();
        assert_eq!(seen, want);
        assert_eq!(sim.now(), t(50));
        assert_eq!(sim.peek_time(), Some(t(56)));
        assert_eq!(sim.events_processed(), 8);
        sim.run_until(t(56), |_, _| {});
        assert_eq!(sim.now(), t(56));
        assert_eq!(sim.events_processed(), 9);
        Ok(())
    }

    #[test]
    fn events_processed_counts_every_event_handed_out() -> Result<(), ScheduleError> {
        let mut sim = Simulation::new();
        for i in 0..100 {
            sim.schedule_at(t(i), ())?;
        }
        let doomed = sim.schedule_at(t(1000), ())?;
        sim.cancel(doomed);
        assert_eq!(sim.events_processed(), 0);
        for _ in 0..10 {
            sim.step();
        }
        assert_eq!(sim.events_processed(), 10);
        sim.next_until(t(50));
        assert_eq!(sim.events_processed(), 11);
        sim.run_until(SimTime::MAX, |_, ()| {});
        assert_eq!(sim.events_processed(), 100);
        assert_eq!(sim.now(), SimTime::MAX);
        Ok(())
    }

    /// One operation of the random scenario.
    #[derive(Debug, Clone)]
    enum Op {
        /// Schedule at `now + delay`.
        Schedule(u64),
        /// Cancel the `i % len`-th handle ever returned (perhaps stale).
        Cancel(usize),
        /// Cancel the `i % len`-th pending event.
        CancelPending(usize),
        /// Fire one event.
        Step,
    }

    /// Operations drawn from `rng` with the given relative weights of
    /// schedule, cancel of any handle, cancel of a pending event, and step:
    /// up to 600 of them.
    fn ops(rng: &mut Stream, weights: [u32; 4]) -> Vec<Op> {
        let total: u32 = weights.iter().sum();
        let len = rng.random_range(0..600);
        (0..len)
            .map(|_| {
                let mut r = rng.random_range(0..total);
                let mut kind = 0;
                while r >= weights[kind] {
                    r -= weights[kind];
                    kind += 1;
                }
                match kind {
                    0 => Op::Schedule(rng.random_range(0..20)),
                    1 => Op::Cancel(rng.random::<u64>() as usize),
                    2 => Op::CancelPending(rng.random::<u64>() as usize),
                    _ => Op::Step,
                }
            })
            .collect()
    }

    /// Runs `check` on 512 random cases drawn from a fixed seed (the same
    /// cases on every run and machine); a failure names its case.
    fn for_cases(seed: u64, check: impl Fn(&mut Stream, &str)) {
        let mut rng = Stream::seed_from_u64(seed);
        for case in 0..512 {
            check(&mut rng, &format!("case {case} of seed {seed}"));
        }
    }

    /// Replays `ops` on a simulation and on a reference model (a list of
    /// pending `(time, seq)` pairs, sorted when one is popped) and checks
    /// that they agree after every operation.
    fn check_against_sorted_model(ops: Vec<Op>, case: &str) {
        check_on(Simulation::new(), ops, case)
    }

    /// [`check_against_sorted_model`] on `sim`.
    fn check_on(mut sim: Simulation<u64>, ops: Vec<Op>, case: &str) {
        let mut model: Vec<(u64, u64)> = Vec::new();
        let mut ids: Vec<(EventId, u64)> = Vec::new();
        let mut seq = 0u64;
        for (k, op) in ops.into_iter().enumerate() {
            let at_op = || format!("{case}, operation {k} ({op:?})");
            match op {
                Op::Schedule(delay) => {
                    let at = sim.now().ticks() + delay;
                    let id = sim.schedule_in(d(delay), seq);
                    assert!(id.is_ok(), "{}", at_op());
                    if let Ok(id) = id {
                        ids.push((id, seq));
                    }
                    model.push((at, seq));
                    seq += 1;
                }
                Op::Cancel(i) if !ids.is_empty() => {
                    let (id, s) = ids[i % ids.len()];
                    let was_pending = model.iter().any(|&(_, m)| m == s);
                    assert_eq!(sim.cancel(id), was_pending, "{}", at_op());
                    model.retain(|&(_, m)| m != s);
                }
                Op::Cancel(_) => {}
                Op::CancelPending(i) if !model.is_empty() => {
                    let s = model[i % model.len()].1;
                    let id = ids.iter().find(|&&(_, m)| m == s).map(|&(id, _)| id);
                    assert!(id.is_some_and(|id| sim.cancel(id)), "{}", at_op());
                    model.retain(|&(_, m)| m != s);
                }
                Op::CancelPending(_) => {}
                Op::Step => {
                    model.sort_unstable();
                    let want = if model.is_empty() { None } else { Some(model.remove(0)) };
                    let got = sim.step().map(|(at, s)| (at.ticks(), s));
                    assert_eq!(got, want, "{}", at_op());
                }
            }
            assert_eq!(sim.pending(), model.len(), "{}", at_op());
            assert_eq!(
                sim.peek_time().map(SimTime::ticks),
                model.iter().min().map(|m| m.0),
                "{}",
                at_op()
            );
        }
        model.sort_unstable();
        let rest: Vec<_> = std::iter::from_fn(|| sim.step())
            .map(|(at, s)| (at.ticks(), s))
            .collect();
        assert_eq!(rest, model, "{case}: what is left after the operations");
    }

    #[test]
    fn random_schedules_and_cancels_fire_in_time_then_sequence_order() {
        for_cases(7, |rng, case| check_against_sorted_model(ops(rng, [4, 1, 1, 2]), case));
    }

    #[test]
    fn heavy_cancelling_with_heap_compaction_keeps_the_same_order() {
        for_cases(8, |rng, case| check_against_sorted_model(ops(rng, [5, 1, 3, 1]), case));
    }

    #[test]
    fn a_calendar_of_far_events_keeps_the_same_order_whatever_its_window() {
        for_cases(9, |rng, case| {
            let window = rng.random_range(1..12);
            check_on(Simulation::with_calendar(0, d(window)), ops(rng, [4, 1, 1, 2]), case)
        });
    }

    #[test]
    fn a_calendar_under_heavy_cancelling_keeps_the_same_order() {
        for_cases(10, |rng, case| {
            let window = rng.random_range(1..6);
            check_on(Simulation::with_calendar(0, d(window)), ops(rng, [5, 1, 3, 1]), case)
        });
    }
}
