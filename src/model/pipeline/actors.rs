//! Every actor's state behind one interface: the pipeline's rules ask for
//! an actor's class, pending submission, kept-back build, fixes, quotas
//! and draws, and this answers from a named platform's own state
//! ([`super::state`]) or from a member's compact record
//! ([`super::members`]). A platform draws from its named streams
//! ([`super::streams`]); a member draws by address ([`crate::core::keyed`]):
//! its cadence after build b, its fix after submission s, the hold, review
//! and decision of submission s, the release delay of build b. So a member
//! is the same model as a named platform with other random numbers.

use super::actor::{Actor, Roster, Who};
use super::members::{FIXING, PopulationState};
use super::recorder::Book;
use super::state::PlatformState;
use crate::core::dist::Dist;
use crate::core::keyed::{Keyed, entity_key};
use crate::model::gatekeeper::{ClassId, Quotas};
use crate::model::platform::ExpeditePolicy;
use rand::RngExt;

/// What a member draws: the purposes of its keyed draws.
mod purpose {
    pub(super) const FIRST_BUILD: u64 = 1;
    pub(super) const CADENCE: u64 = 2;
    pub(super) const FIX: u64 = 3;
    pub(super) const HOLD: u64 = 4;
    pub(super) const REVIEW: u64 = 5;
    pub(super) const DECISION: u64 = 6;
    pub(super) const RELEASE: u64 = 7;
}

/// The named platforms and the populations.
pub(super) struct Actors {
    pub(super) roster: Roster,
    pub(super) platforms: Vec<PlatformState>,
    pub(super) populations: Vec<PopulationState>,
}

impl Actors {
    /// What actor `a` is.
    #[inline]
    pub(super) fn who(&self, a: Actor) -> Who {
        self.roster.who(a)
    }

    /// Where `who`'s events are booked.
    #[inline]
    pub(super) fn book(&self, who: Who) -> Book {
        match who {
            Who::Platform(p) => Book {
                tracked: Some(p),
                population: None,
            },
            Who::Member { population, index } => {
                let pop = &self.populations[population];
                let watched = pop.members[index as usize].flags & super::members::WATCHED != 0;
                Book {
                    tracked: if watched { pop.tracked(index) } else { None },
                    population: Some(population),
                }
            }
        }
    }

    /// `who`'s review class now.
    #[inline]
    pub(super) fn class(&self, who: Who) -> ClassId {
        match who {
            Who::Platform(p) => self.platforms[p].class,
            Who::Member { population, .. } => self.populations[population].class,
        }
    }

    /// `who`'s use of expedited reviews.
    #[inline]
    pub(super) fn expedite_policy(&self, who: Who) -> ExpeditePolicy {
        match who {
            Who::Platform(p) => self.platforms[p].params.expedite,
            Who::Member { population, .. } => self.populations[population].params.expedite,
        }
    }

    /// `who`'s pending submission (one-version rule only).
    #[inline]
    pub(super) fn pending(&self, who: Who) -> Option<usize> {
        match who {
            Who::Platform(p) => self.platforms[p].pending,
            Who::Member { population, index } => {
                let slot = self.populations[population].members[index as usize].pending;
                slot.checked_sub(1).map(|s| s as usize)
            }
        }
    }

    /// Sets `who`'s pending submission.
    #[inline]
    pub(super) fn set_pending(&mut self, who: Who, sub: Option<usize>) {
        match who {
            Who::Platform(p) => self.platforms[p].pending = sub,
            Who::Member { population, index } => {
                self.populations[population].members[index as usize].pending = sub.map_or(0, |s| s as u32 + 1);
            }
        }
    }

    /// Takes `who`'s kept-back build.
    #[inline]
    pub(super) fn take_staged(&mut self, who: Who) -> Option<u32> {
        match who {
            Who::Platform(p) => self.platforms[p].staged.take(),
            Who::Member { population, index } => {
                let m = &mut self.populations[population].members[index as usize];
                Some(std::mem::take(&mut m.staged)).filter(|&b| b > 0)
            }
        }
    }

    /// Keeps `build` back for `who`; returns the build it replaces.
    #[inline]
    pub(super) fn replace_staged(&mut self, who: Who, build: u32) -> Option<u32> {
        match who {
            Who::Platform(p) => self.platforms[p].staged.replace(build),
            Who::Member { population, index } => {
                let m = &mut self.populations[population].members[index as usize];
                Some(std::mem::replace(&mut m.staged, build)).filter(|&b| b > 0)
            }
        }
    }

    /// Takes every rejected build `who` is fixing, oldest first.
    #[inline]
    pub(super) fn take_fixing(&mut self, who: Who) -> Vec<u32> {
        match who {
            Who::Platform(p) => std::mem::take(&mut self.platforms[p].fixing),
            Who::Member { population, index } => {
                let pop = &mut self.populations[population];
                let m = &mut pop.members[index as usize];
                if m.flags & FIXING == 0 {
                    return Vec::new();
                }
                m.flags &= !FIXING;
                pop.fixing.remove(&index).unwrap_or_default()
            }
        }
    }

    /// `who` starts fixing rejected build `build`.
    #[inline]
    pub(super) fn push_fixing(&mut self, who: Who, build: u32) {
        match who {
            Who::Platform(p) => self.platforms[p].fixing.push(build),
            Who::Member { population, index } => {
                let pop = &mut self.populations[population];
                pop.members[index as usize].flags |= FIXING;
                pop.fixing.entry(index).or_default().push(build);
            }
        }
    }

    /// Whether `who` was fixing `build` (no longer, if so).
    #[inline]
    pub(super) fn finish_fixing(&mut self, who: Who, build: u32) -> bool {
        let list = match who {
            Who::Platform(p) => &mut self.platforms[p].fixing,
            Who::Member { population, index } => {
                let pop = &mut self.populations[population];
                if pop.members[index as usize].flags & FIXING == 0 {
                    return false;
                }
                match pop.fixing.get_mut(&index) {
                    Some(list) => list,
                    None => return false,
                }
            }
        };
        let Some(i) = list.iter().position(|&b| b == build) else {
            return false;
        };
        list.remove(i);
        if let Who::Member { population, index } = who
            && list.is_empty()
        {
            let pop = &mut self.populations[population];
            pop.fixing.remove(&index);
            pop.members[index as usize].flags &= !FIXING;
        }
        true
    }

    /// `who`'s withdrawal and expedite counts, if it keeps any.
    #[inline]
    pub(super) fn quotas(&mut self, who: Who) -> Option<&mut Quotas> {
        match who {
            Who::Platform(p) => Some(&mut self.platforms[p].quotas),
            Who::Member { population, index } => self.populations[population].quotas.get_mut(index as usize),
        }
    }

    /// Cuts `who`'s next build; returns its number.
    #[inline]
    pub(super) fn next_build(&mut self, who: Who) -> u32 {
        match who {
            // The platform pushes the build's record itself.
            Who::Platform(p) => self.platforms[p].builds.len() as u32 + 1,
            Who::Member { population, index } => {
                let m = &mut self.populations[population].members[index as usize];
                m.builds += 1;
                m.builds
            }
        }
    }

    /// Numbers `who`'s next submission (its draws' address).
    #[inline]
    pub(super) fn next_submission(&mut self, who: Who) -> u32 {
        match who {
            Who::Platform(_) => 0,
            Who::Member { population, index } => {
                let m = &mut self.populations[population].members[index as usize];
                m.submissions += 1;
                m.submissions
            }
        }
    }

    /// A draw of member `index` of `population` for `purpose` and thing `n`.
    #[inline]
    fn keyed(&self, population: usize, index: u32, purpose: u64, n: u64) -> Keyed {
        Keyed::at(entity_key(self.populations[population].key, index), purpose, n)
    }

    /// `who`'s first build (days after the start), if any.
    pub(super) fn draw_first_build(&mut self, who: Who) -> Option<f64> {
        match who {
            Who::Platform(p) => {
                let st = &mut self.platforms[p];
                st.params.first_build_days.sample(&mut st.streams.development)
            }
            Who::Member { population, index } => {
                let mut rng = self.keyed(population, index, purpose::FIRST_BUILD, 0);
                self.populations[population].params.first_build_days.sample(&mut rng)
            }
        }
    }

    /// The interval after `who` cuts build `build` (days), if another comes.
    #[inline]
    pub(super) fn draw_cadence(&mut self, who: Who, build: u32) -> Option<f64> {
        match who {
            Who::Platform(p) => {
                let st = &mut self.platforms[p];
                st.params.cadence_days.sample(&mut st.streams.development)
            }
            Who::Member { population, index } => {
                let mut rng = self.keyed(population, index, purpose::CADENCE, u64::from(build));
                self.populations[population].params.cadence_days.sample(&mut rng)
            }
        }
    }

    /// The fix of the build rejected in `who`'s submission `seq` (days).
    #[inline]
    pub(super) fn draw_fix(&mut self, who: Who, seq: u32) -> f64 {
        match who {
            Who::Platform(p) => {
                let st = &mut self.platforms[p];
                st.params.fix_days.sample(&mut st.streams.development).unwrap_or(0.0)
            }
            Who::Member { population, index } => {
                let mut rng = self.keyed(population, index, purpose::FIX, u64::from(seq));
                self.populations[population]
                    .params
                    .fix_days
                    .sample(&mut rng)
                    .unwrap_or(0.0)
            }
        }
    }

    /// The hold of `who`'s submission `seq`, its `holds`-th (days; `None`:
    /// indefinite), from `dist`.
    #[inline]
    pub(super) fn draw_hold(&mut self, who: Who, (seq, holds): (u32, u32), dist: &Dist) -> Option<f64> {
        match who {
            Who::Platform(p) => dist.sample(&mut self.platforms[p].streams.hold),
            Who::Member { population, index } => {
                let n = u64::from(seq) | (u64::from(holds) << 32);
                dist.sample(&mut self.keyed(population, index, purpose::HOLD, n))
            }
        }
    }

    /// The review of `who`'s submission `seq` (hours), from `dist`.
    #[inline]
    pub(super) fn draw_review(&mut self, who: Who, seq: u32, dist: &Dist) -> f64 {
        match who {
            Who::Platform(p) => dist.sample(&mut self.platforms[p].streams.review),
            Who::Member { population, index } => {
                dist.sample(&mut self.keyed(population, index, purpose::REVIEW, u64::from(seq)))
            }
        }
        .unwrap_or(0.0)
    }

    /// Whether the review of `who`'s submission `seq` rejects it, with
    /// probability `p` (no draw when `p` is 0).
    #[inline]
    pub(super) fn draw_rejection(&mut self, who: Who, seq: u32, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        let u: f64 = match who {
            Who::Platform(q) => self.platforms[q].streams.decision.random(),
            Who::Member { population, index } => self
                .keyed(population, index, purpose::DECISION, u64::from(seq))
                .random(),
        };
        u < p
    }

    /// The delay before `who` releases approved build `build` (hours).
    #[inline]
    pub(super) fn draw_release_delay(&mut self, who: Who, build: u32) -> f64 {
        match who {
            Who::Platform(p) => {
                let st = &mut self.platforms[p];
                st.params.release_delay_hours.sample(&mut st.streams.release)
            }
            Who::Member { population, index } => {
                let mut rng = self.keyed(population, index, purpose::RELEASE, u64::from(build));
                self.populations[population].params.release_delay_hours.sample(&mut rng)
            }
        }
        .unwrap_or(0.0)
    }

    /// Prefetches actor `a`'s record, if a member's.
    #[inline]
    pub(super) fn prefetch(&self, a: Actor) {
        if let Who::Member { population, index } = self.who(a) {
            let members = &self.populations[population].members;
            crate::core::prefetch::prefetch(members.as_ptr().wrapping_add(index as usize));
        }
    }

    /// The actor of `who`.
    #[inline]
    pub(super) fn actor(&self, who: Who) -> Actor {
        self.roster.actor(who)
    }
}
