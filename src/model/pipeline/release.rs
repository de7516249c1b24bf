//! Releases: an approved build's release starts when its delay is over,
//! unless a phased release is running (then the newest approved build
//! waits for it and older ones are skipped) or a newer build is out. A
//! named platform keeps every release; a member its newest, whose start
//! moves it in its population's staleness tracker.

use super::actor::{Actor, Who};
use super::members::{IN_PHASE, Phase};
use super::{Pipeline, PipelineEvent, Scheduled, Skipped, TraceDetail, TraceKind};
use crate::core::time::{SimDuration, SimTime};
use crate::model::platform::Release;

impl Pipeline {
    /// The slot of the newest approved build waiting for `who`'s phase to
    /// end, if a phase runs.
    fn waiting_for_phase(&mut self, who: Who) -> Option<&mut Option<u32>> {
        match who {
            Who::Platform(p) => {
                let st = &mut self.actors.platforms[p];
                st.phase_end.is_some().then_some(&mut st.approved_waiting)
            }
            Who::Member { population, index } => self.actors.populations[population]
                .phases
                .get_mut(&index)
                .map(|ph| &mut ph.waiting),
        }
    }

    pub(super) fn on_release_due(&mut self, now: SimTime, a: Actor, build: u32, out: &mut Vec<Scheduled>) {
        let who = self.actors.who(a);
        if let Some(waiting) = self.waiting_for_phase(who) {
            // No new release while a phase runs: keep the newest approved build.
            match *waiting {
                Some(w) if w > build => self.log(
                    now,
                    Some(who),
                    build,
                    None,
                    TraceKind::SkipRelease,
                    TraceDetail::Skipped(Skipped::NewerWaiting),
                ),
                Some(w) => {
                    *waiting = Some(build);
                    self.log(
                        now,
                        Some(who),
                        w,
                        None,
                        TraceKind::SkipRelease,
                        TraceDetail::Skipped(Skipped::NewerApproved),
                    );
                }
                None => *waiting = Some(build),
            }
            return;
        }
        self.start_release(now, who, build, out);
    }

    /// The newest build `who` released (0: none).
    fn released(&self, who: Who) -> u32 {
        match who {
            Who::Platform(p) => self.actors.platforms[p].releases.last().map_or(0, |r| r.build),
            Who::Member { population, index } => self.actors.populations[population].members[index as usize].released,
        }
    }

    pub(super) fn start_release(&mut self, now: SimTime, who: Who, build: u32, out: &mut Vec<Scheduled>) {
        let current = self.released(who);
        if build <= current {
            self.log(
                now,
                Some(who),
                build,
                None,
                TraceKind::SkipRelease,
                TraceDetail::Skipped(Skipped::AlreadyReleased(current)),
            );
            return;
        }
        let book = self.actors.book(who);
        let a = self.actors.actor(who);
        let phase = match who {
            Who::Platform(p) => {
                let st = &mut self.actors.platforms[p];
                let b = &st.builds[(build - 1) as usize];
                let phase = st.params.phase_days;
                let full = now.saturating_add(SimDuration::from_days(phase));
                st.releases.push(Release {
                    build,
                    start_day: now.as_days(),
                    full_day: full.as_days(),
                    appeal: b.appeal,
                    fixes_defects_upto: b.fixes_defects_upto,
                });
                st.defects_fixed_upto = st.defects_fixed_upto.max(b.fixes_defects_upto);
                let ready_day = b.ready_day;
                if full > now {
                    st.phase_end = Some(full);
                    out.push((full, PipelineEvent::PhaseEnd(a)));
                }
                self.books.release(book, now, Some(ready_day));
                phase
            }
            Who::Member { population, index } => {
                let pop = &mut self.actors.populations[population];
                let phase = pop.params.phase_days;
                let full = now.saturating_add(SimDuration::from_days(phase));
                let m = &mut pop.members[index as usize];
                let previous = m.release_start;
                m.release_start = now.ticks() as i64;
                m.released = build;
                let tracker = &mut self.books.population(population).staleness;
                tracker.remove(previous);
                if full > now {
                    // Counted apart until every user has it.
                    m.flags |= IN_PHASE;
                    pop.phases.insert(
                        index,
                        Phase {
                            previous_start: previous,
                            full,
                            waiting: None,
                        },
                    );
                    out.push((full, PipelineEvent::PhaseEnd(a)));
                } else {
                    tracker.add(now.ticks() as i64, 1);
                }
                let ready = self.watched_of(book).map(|w| {
                    let watched = &mut self.watched[w];
                    watched.releases.push(Release {
                        build,
                        start_day: now.as_days(),
                        full_day: full.as_days(),
                        appeal: 0.0,
                        fixes_defects_upto: 0,
                    });
                    watched.ready_days[(build - 1) as usize]
                });
                self.books.release(book, now, ready);
                phase
            }
        };
        self.log(
            now,
            Some(who),
            build,
            None,
            TraceKind::ReleaseStart,
            TraceDetail::Phase(phase),
        );
    }

    /// Actor `a`'s phased release reaches every user at `now`.
    pub(super) fn on_phase_end(&mut self, now: SimTime, a: Actor, out: &mut Vec<Scheduled>) {
        let who = self.actors.who(a);
        let (build, waiting) = match who {
            Who::Platform(p) => {
                let st = &mut self.actors.platforms[p];
                st.phase_end = None;
                (st.releases.last().map_or(0, |r| r.build), st.approved_waiting.take())
            }
            Who::Member { population, index } => {
                let pop = &mut self.actors.populations[population];
                let m = &mut pop.members[index as usize];
                m.flags &= !IN_PHASE;
                let waiting = pop.phases.remove(&index).and_then(|ph| ph.waiting);
                self.books.population(population).staleness.add(m.release_start, 1);
                (m.released, waiting)
            }
        };
        self.log(now, Some(who), build, None, TraceKind::ReleaseFull, TraceDetail::None);
        if let Some(b) = waiting {
            self.start_release(now, who, b, out);
        }
    }
}
