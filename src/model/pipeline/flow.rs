//! Builds and submissions: an actor cuts a build, which supersedes the
//! builds it is fixing; under the one-version rule it withdraws the pending
//! submission (within the caps) or is kept back; it is submitted, with an
//! expedited review if the actor asks and its quota allows.

use super::actor::{Actor, Who};
use super::recorder::Book;
use super::state::SubState;
use super::{KeptBack, Pipeline, PipelineEvent, Scheduled, TraceDetail, TraceKind};
use crate::core::time::{SimDuration, SimTime};
use crate::model::gatekeeper::InReview;
use crate::model::platform::{Build, ExpeditePolicy};

impl Pipeline {
    /// Actor `a` cuts its next build at `now`.
    pub(super) fn on_build(&mut self, now: SimTime, a: Actor, out: &mut Vec<Scheduled>) {
        let who = self.actors.who(a);
        let book = self.actors.book(who);
        let id = self.actors.next_build(who);
        let detail = match who {
            Who::Platform(p) => {
                let st = &mut self.actors.platforms[p];
                let appeal = st
                    .params
                    .appeal_per_build
                    .sample(&mut st.streams.development)
                    .unwrap_or(0.0);
                st.builds.push(Build {
                    id,
                    ready_day: now.as_days(),
                    appeal,
                    fixes_defects_upto: st.defects_found,
                });
                TraceDetail::Appeal(appeal)
            }
            Who::Member { .. } => {
                if let Some(w) = self.watched_of(book) {
                    self.watched[w].ready_days.push(now.as_days());
                }
                TraceDetail::None
            }
        };
        self.books.build(book);
        if let Some(days) = self.actors.draw_cadence(who, id) {
            out.push((
                now.saturating_add(SimDuration::from_days(days)),
                PipelineEvent::BuildReady(a),
            ));
        }
        self.log(now, Some(who), id, None, TraceKind::Build, detail);

        // Builds being fixed are abandoned for the newer one, which carries
        // their fixes (in both modes).
        for old in self.actors.take_fixing(who) {
            self.supersede_local(now, who, book, old, id);
        }
        if !self.desk.params().one_version {
            self.submit(now, who, id, false, out);
            return;
        }
        let Some(pending) = self.actors.pending(who) else {
            self.submit(now, who, id, false, out);
            return;
        };
        let in_review = matches!(self.subs[pending].state, SubState::InReview { .. });
        let gk = self.desk.params();
        let rule_allows = !in_review || gk.in_review == InReview::Withdraw;
        let caps = gk.withdrawal_caps;
        let may_withdraw = rule_allows
            && self
                .actors
                .quotas(who)
                .is_none_or(|q| q.withdrawal_allowed(caps, now.day()));
        if may_withdraw {
            self.withdraw(now, pending, id);
            if let Some(old) = self.actors.take_staged(who) {
                self.supersede_local(now, who, book, old, id);
            }
            self.submit(now, who, id, false, out);
        } else {
            if let Some(old) = self.actors.replace_staged(who, id) {
                self.supersede_local(now, who, book, old, id);
            }
            // In "withdraw" mode a build in review would have been withdrawn
            // but for the cap.
            let why = if rule_allows { KeptBack::Cap } else { KeptBack::InReview };
            self.log(now, Some(who), id, None, TraceKind::Stage, TraceDetail::KeptBack(why));
        }
    }

    /// The watched member's number among the watched, if `book` is one's.
    #[inline]
    pub(super) fn watched_of(&self, book: Book) -> Option<usize> {
        book.tracked
            .and_then(|t| t.checked_sub(self.actors.platforms.len()))
            .filter(|_| book.population.is_some())
    }

    /// A build that is not at the gatekeeper (kept back, or rejected and
    /// being fixed) is replaced by the newer build `by`.
    pub(super) fn supersede_local(&mut self, now: SimTime, who: Who, book: Book, build: u32, by: u32) {
        self.books.supersede(book);
        self.log(now, Some(who), build, None, TraceKind::Supersede, TraceDetail::By(by));
    }

    /// Withdraws a pending submission from the gatekeeper for the newer build `by`.
    pub(super) fn withdraw(&mut self, now: SimTime, sub: usize, by: u32) {
        match self.subs[sub].state {
            SubState::Held => self.desk.unhold(),
            SubState::Queued(pos) => {
                self.desk.dequeue(pos);
                self.books.queue_exit(now, self.subs[sub].enqueued, false);
            }
            SubState::InReview { .. } => self.desk.end_review(),
            SubState::Withdrawn | SubState::Decided => return,
        }
        self.subs[sub].state = SubState::Withdrawn;
        let who = self.actors.who(self.subs[sub].actor);
        let book = self.actors.book(who);
        self.actors.set_pending(who, None);
        if let Some(q) = self.actors.quotas(who) {
            q.withdrew(now.day());
        }
        self.books.withdraw(book, now, self.subs[sub].submitted);
        let build = self.subs[sub].build;
        self.log(
            now,
            Some(who),
            build,
            Some(sub),
            TraceKind::Withdraw,
            TraceDetail::By(by),
        );
        self.subs.free(sub);
    }

    /// Submits `who`'s build `build` at `now` (a resubmission after a fix
    /// if `resubmission`).
    pub(super) fn submit(&mut self, now: SimTime, who: Who, build: u32, resubmission: bool, out: &mut Vec<Scheduled>) {
        let expedited = self.take_expedite(now, who, resubmission);
        let seq = self.actors.next_submission(who);
        let sub = self.subs.add(self.actors.actor(who), build, seq, now, expedited);
        if self.desk.params().one_version {
            self.actors.set_pending(who, Some(sub));
        }
        let book = self.actors.book(who);
        self.books.submit(book, resubmission, expedited);
        let detail = TraceDetail::Submit {
            resubmission,
            expedited,
        };
        self.log(now, Some(who), build, Some(sub), TraceKind::Submit, detail);
        self.desk.hold();
        self.start_hold(now, sub, out);
        self.try_start_reviews(now, out);
    }

    /// Whether this submission uses the actor's expedite quota (and uses it).
    fn take_expedite(&mut self, now: SimTime, who: Who, resubmission: bool) -> bool {
        let Some(per_year) = self.desk.params().expedite.as_ref().map(|ex| ex.per_platform_per_year) else {
            return false;
        };
        let wants = match self.actors.expedite_policy(who) {
            ExpeditePolicy::Never => false,
            ExpeditePolicy::Resubmissions => resubmission,
            ExpeditePolicy::All => true,
        };
        wants
            && self
                .actors
                .quotas(who)
                .is_some_and(|q| q.take_expedite(per_year, now.day()))
    }
}
