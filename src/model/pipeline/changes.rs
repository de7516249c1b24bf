//! Dated changes and the daily record: a platform or a whole population
//! moves to another review class (held submissions get a new hold under
//! it, queued ones are re-ranked in place, reviews under way finish under
//! the class they started in), the number of reviewers changes; and at
//! each whole day the tracked platforms' states, the populations' and the
//! gatekeeper's are recorded.

use super::actor::Who;
use super::recorder::PlatformSnapshot;
use super::state::SubState;
use super::{Pipeline, Scheduled, TraceDetail, TraceKind};
use crate::core::time::SimTime;
use crate::model::policy::Change;

impl Pipeline {
    pub(super) fn on_policy(&mut self, now: SimTime, i: usize, out: &mut Vec<Scheduled>) {
        match self.policy[i].change.clone() {
            Change::Reviewers(n) => {
                self.desk.set_reviewers(n);
                self.log(
                    now,
                    None,
                    0,
                    None,
                    TraceKind::ReviewersChange,
                    TraceDetail::Reviewers(n),
                );
                self.try_start_reviews(now, out);
            }
            Change::PlatformClass { platform, class } => {
                self.actors.platforms[platform].class = class;
                let who = Who::Platform(platform);
                self.log(
                    now,
                    Some(who),
                    0,
                    None,
                    TraceKind::ClassChange,
                    TraceDetail::Class(class),
                );
                let actor = self.actors.actor(who);
                let open = self.subs.open_of(|a| a == actor);
                self.reclass(now, open, out);
            }
            Change::PopulationClass { population, class } => {
                self.actors.populations[population].class = class;
                self.log_population(now, population, TraceKind::ClassChange, TraceDetail::Class(class));
                let roster = &self.actors.roster;
                let open = self
                    .subs
                    .open_of(|a| matches!(roster.who(a), Who::Member { population: k, .. } if k == population));
                self.reclass(now, open, out);
            }
        }
    }

    /// After a change of class: the held submissions in `open` (in the
    /// order they were made) get a new hold drawn under the new class from
    /// now, the queued ones are re-ranked in place.
    fn reclass(&mut self, now: SimTime, open: Vec<usize>, out: &mut Vec<Scheduled>) {
        for sub in open {
            match self.subs[sub].state {
                SubState::Held => self.start_hold(now, sub, out),
                SubState::Queued(pos) => {
                    let rank = self.rank(sub);
                    self.subs[sub].state = SubState::Queued(self.desk.rerank(pos, rank));
                }
                _ => {}
            }
        }
        self.try_start_reviews(now, out);
    }

    pub(super) fn on_day_end(&mut self, now: SimTime, day: u64) {
        let mut snapshots = std::mem::take(&mut self.snapshots);
        snapshots.clear();
        snapshots.extend(self.actors.platforms.iter_mut().map(|st| {
            if day > 0 && st.params.defects_per_day > 0.0 {
                st.defects_found += crate::core::sample::poisson(&mut st.streams.defects, st.params.defects_per_day);
            }
            PlatformSnapshot {
                staleness_days: st.staleness_days(now),
                open_defects: st.defects_found - st.defects_fixed_upto,
                share_on_latest: st
                    .releases
                    .last()
                    .map_or(1.0, |r| crate::model::platform::share_on_latest(r, now.as_days())),
            }
        }));
        if !self.watched.is_empty() {
            let pops = &self.actors.populations;
            snapshots.extend(self.watched.iter().map(|w| {
                let pop = &pops[w.population];
                PlatformSnapshot {
                    staleness_days: pop.staleness_days(w.index, now),
                    open_defects: 0,
                    share_on_latest: pop.share_on_latest(w.index, now),
                }
            }));
        }
        self.books.day(now, day, &snapshots, self.desk.levels());
        self.snapshots = snapshots;
        if self.actors.populations.is_empty() {
            return;
        }
        let mut phased = std::mem::take(&mut self.phased);
        for (k, pop) in self.actors.populations.iter().enumerate() {
            pop.phased_staleness(now, &mut phased);
            self.books.population(k).day(now, day, &phased);
        }
        self.phased = phased;
    }
}
