//! The gatekeeper's side of a submission: its hold under the actor's class,
//! its place in the queue, the review a free reviewer starts, and the
//! decision at the review's end (a rejected build is fixed, or replaced at
//! once by a build kept back; an approved one goes to its release).

use super::state::SubState;
use super::{Pipeline, PipelineEvent, Scheduled, TraceDetail, TraceKind};
use crate::core::dist::Dist;
use crate::core::time::{SimDuration, SimTime};

impl Pipeline {
    /// Draws the hold of a held submission under its actor's current
    /// class, counted from `now`, and queues it at once if there is none.
    pub(super) fn start_hold(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let who = self.actors.who(self.subs[sub].actor);
        let class = self.actors.class(who);
        self.subs[sub].holds += 1;
        let address = (self.subs[sub].seq, self.subs[sub].holds);
        let dist = &self.desk.params().classes[class].hold_days;
        let hold = self.actors.draw_hold(who, address, dist);
        self.subs[sub].generation = self.subs[sub].generation.wrapping_add(1);
        let generation = self.subs[sub].generation;
        let build = self.subs[sub].build;
        match hold {
            Some(d) if d <= 0.0 => {
                self.desk.unhold();
                self.enqueue(now, sub, out);
            }
            Some(d) => {
                let at = now.saturating_add(SimDuration::from_days(d));
                out.push((
                    at,
                    PipelineEvent::HoldEnd {
                        sub: sub as u32,
                        generation,
                        actor: self.subs[sub].actor,
                    },
                ));
                self.log(
                    now,
                    Some(who),
                    build,
                    Some(sub),
                    TraceKind::Hold,
                    TraceDetail::HoldDays(d),
                );
            }
            None => self.log(
                now,
                Some(who),
                build,
                Some(sub),
                TraceKind::Hold,
                TraceDetail::HoldNever,
            ),
        }
    }

    /// The queue rank of the submission in `sub`.
    pub(super) fn rank(&self, sub: usize) -> u32 {
        let s = &self.subs[sub];
        let who = self.actors.who(s.actor);
        self.desk.rank(s.expedited, self.actors.class(who))
    }

    pub(super) fn enqueue(&mut self, now: SimTime, sub: usize, out: &mut Vec<Scheduled>) {
        let pos = self.desk.enqueue(self.rank(sub), sub);
        self.subs[sub].state = SubState::Queued(pos);
        self.subs[sub].enqueued = now;
        self.books.queue_entry(now);
        let who = self.actors.who(self.subs[sub].actor);
        let build = self.subs[sub].build;
        self.log(now, Some(who), build, Some(sub), TraceKind::Queue, TraceDetail::None);
        self.try_start_reviews(now, out);
    }

    pub(super) fn try_start_reviews(&mut self, now: SimTime, out: &mut Vec<Scheduled>) {
        while let Some(sub) = self.desk.next_review() {
            self.books.queue_exit(now, self.subs[sub].enqueued, true);
            let who = self.actors.who(self.subs[sub].actor);
            let class = self.actors.class(who);
            let gk = self.desk.params();
            let expedited = self.subs[sub].expedited;
            let dist: &Dist = match (&gk.expedite, expedited) {
                (Some(ex), true) => &ex.review_hours,
                _ => &gk.classes[class].review_hours,
            };
            let hours = self.actors.draw_review(who, self.subs[sub].seq, dist);
            self.books.review_start(now, hours);
            self.subs[sub].state = SubState::InReview { class };
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReviewEnd {
                    sub: sub as u32,
                    generation: self.subs[sub].generation,
                    actor: self.subs[sub].actor,
                },
            ));
            let build = self.subs[sub].build;
            let detail = if expedited {
                TraceDetail::Expedited
            } else {
                TraceDetail::None
            };
            self.log(now, Some(who), build, Some(sub), TraceKind::ReviewStart, detail);
        }
    }

    pub(super) fn on_review_end(&mut self, now: SimTime, sub: usize, generation: u32, out: &mut Vec<Scheduled>) {
        let SubState::InReview { class } = self.subs[sub].state else {
            return; // withdrawn during review
        };
        if self.subs[sub].generation != generation {
            return; // withdrawn during review, and the slot reused
        }
        self.desk.end_review();
        self.subs[sub].state = SubState::Decided;
        let (actor, build, seq, submitted) = {
            let s = &self.subs[sub];
            (s.actor, s.build, s.seq, s.submitted)
        };
        let who = self.actors.who(actor);
        let book = self.actors.book(who);
        let reject_p = self.desk.params().classes[class].rejection_probability;
        let rejected = self.actors.draw_rejection(who, seq, reject_p);
        if self.actors.pending(who) == Some(sub) {
            self.actors.set_pending(who, None);
        }
        self.books.decide(book, now, submitted, rejected);
        if rejected {
            // Under the one-version rule a newer build kept back replaces the
            // rejected one at once; otherwise the rejected build is fixed (a
            // newer build cut before the rejection does not carry the fix,
            // one cut during the fix does: see `on_build`).
            if let Some(newer) = self.actors.take_staged(who) {
                self.log(now, Some(who), build, Some(sub), TraceKind::Reject, TraceDetail::None);
                self.subs.free(sub);
                self.supersede_local(now, who, book, build, newer);
                self.submit(now, who, newer, false, out);
            } else {
                let days = self.actors.draw_fix(who, seq);
                self.actors.push_fixing(who, build);
                out.push((
                    now.saturating_add(SimDuration::from_days(days)),
                    PipelineEvent::FixDone { actor, build },
                ));
                self.log(
                    now,
                    Some(who),
                    build,
                    Some(sub),
                    TraceKind::Reject,
                    TraceDetail::Fix(days),
                );
                self.subs.free(sub);
            }
        } else {
            let hours = self.actors.draw_release_delay(who, build);
            out.push((
                now.saturating_add(SimDuration::from_hours(hours)),
                PipelineEvent::ReleaseStart { actor, build },
            ));
            self.log(now, Some(who), build, Some(sub), TraceKind::Approve, TraceDetail::None);
            self.subs.free(sub);
            if let Some(newer) = self.actors.take_staged(who) {
                self.submit(now, who, newer, false, out);
            }
        }
        self.try_start_reviews(now, out);
    }
}
