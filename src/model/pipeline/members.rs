//! The state of a population's members, compactly: 32 bytes per member in
//! one array (the fields one event reads or writes, in one or two cache
//! lines), plus 24 bytes of withdrawal and expedite counts in a second
//! array when the host rations either, and side tables for the few
//! members in an unusual state (fixing a rejected build, in a phased
//! release). Everything the members share (class, parameters, the key of
//! their draws) is kept once for the population.

use super::population_books::PopulationBooks;
use crate::core::time::SimTime;
use crate::model::gatekeeper::{ClassId, Quotas};
use crate::model::population::PopulationParams;
use std::collections::BTreeMap;

/// A member has rejected builds being fixed (listed in `fixing`).
pub(super) const FIXING: u32 = 1;
/// A member is in a phased release (its state in `phases`).
pub(super) const IN_PHASE: u32 = 2;
/// A member's daily state is recorded as a platform's.
pub(super) const WATCHED: u32 = 4;

/// One member's state: 32 bytes.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Member {
    /// When the version its users run (the newest release) started, in
    /// milliseconds since the start of the run (negative before it).
    pub(super) release_start: i64,
    /// Builds cut (the newest build's number).
    pub(super) builds: u32,
    /// Submissions made (numbers its draws).
    pub(super) submissions: u32,
    /// The pending submission's slot plus one (0: none).
    pub(super) pending: u32,
    /// The build kept back until the pending one is decided (0: none).
    pub(super) staged: u32,
    /// The newest build released (0: none).
    pub(super) released: u32,
    /// [`FIXING`], [`IN_PHASE`], [`WATCHED`].
    pub(super) flags: u32,
}

/// A member in a phased release.
#[derive(Clone, Copy, Debug)]
pub(super) struct Phase {
    /// When the previous version started (milliseconds, negative before the run).
    pub(super) previous_start: i64,
    /// When every user has the new one.
    pub(super) full: SimTime,
    /// The newest approved build waiting for the phase to end.
    pub(super) waiting: Option<u32>,
}

/// One population during a run.
pub(super) struct PopulationState {
    /// Its parameters.
    pub(super) params: PopulationParams,
    /// Every member's review class now.
    pub(super) class: ClassId,
    /// The key of its members' draws (see [`crate::core::keyed`]).
    pub(super) key: u64,
    /// Each member's state.
    pub(super) members: Vec<Member>,
    /// Each member's withdrawals and expedited reviews (empty when the
    /// host rations neither).
    pub(super) quotas: Vec<Quotas>,
    /// Rejected builds being fixed, oldest first, by member.
    pub(super) fixing: BTreeMap<u32, Vec<u32>>,
    /// Members in a phased release.
    pub(super) phases: BTreeMap<u32, Phase>,
    /// Watched members: (index, tracked number), by index.
    pub(super) watched: Vec<(u32, usize)>,
}

impl PopulationState {
    /// The population at time zero; `rationed` if the host caps
    /// withdrawals or offers expedited reviews; its watched members are
    /// tracked from number `first_tracked` on.
    pub(super) fn new(params: PopulationParams, key: u64, rationed: bool, first_tracked: usize) -> PopulationState {
        let n = params.count as usize;
        let initial = -(SimTime::from_days_f64(params.initial_version_age_days).ticks() as i64);
        let mut members = vec![
            Member {
                release_start: initial,
                ..Member::default()
            };
            n
        ];
        let watched: Vec<(u32, usize)> = params
            .watch
            .iter()
            .enumerate()
            .map(|(w, &i)| (i, first_tracked + w))
            .collect();
        for &(i, _) in &watched {
            members[i as usize].flags |= WATCHED;
        }
        PopulationState {
            class: params.class,
            key,
            members,
            quotas: if rationed {
                vec![Quotas::default(); n]
            } else {
                Vec::new()
            },
            fixing: BTreeMap::new(),
            phases: BTreeMap::new(),
            watched,
            params,
        }
    }

    /// The tracked number of watched member `index`.
    pub(super) fn tracked(&self, index: u32) -> Option<usize> {
        self.watched
            .binary_search_by_key(&index, |w| w.0)
            .ok()
            .map(|w| self.watched[w].1)
    }

    /// Member `index`'s staleness at `now` (days): the age of its newest
    /// release, blended during a phase as a platform's is.
    pub(super) fn staleness_days(&self, index: u32, now: SimTime) -> f64 {
        let m = &self.members[index as usize];
        let d = now.as_days();
        let age = |start_ms: i64| d - start_ms as f64 / crate::core::time::TICKS_PER_DAY as f64;
        match self.phases.get(&index) {
            Some(p) => {
                let s = self.share_on_latest(index, now);
                s * age(m.release_start) + (1.0 - s) * age(p.previous_start)
            }
            None => age(m.release_start),
        }
    }

    /// The share of member `index`'s users on its newest release at `now`.
    pub(super) fn share_on_latest(&self, index: u32, now: SimTime) -> f64 {
        let m = &self.members[index as usize];
        match self.phases.get(&index) {
            Some(p) if p.full.ticks() as i64 > m.release_start => {
                let t = now.ticks() as f64;
                let start = m.release_start as f64;
                ((t - start) / (p.full.ticks() as f64 - start)).clamp(0.0, 1.0)
            }
            _ => 1.0,
        }
    }

    /// The blended staleness (days) at `now` of every member in a phase,
    /// into `out`.
    pub(super) fn phased_staleness(&self, now: SimTime, out: &mut Vec<f64>) {
        out.clear();
        out.extend(self.phases.keys().map(|&i| self.staleness_days(i, now)));
    }

    /// The books of this population for a run counting from `warmup`,
    /// with room for `days` records, to `horizon`.
    pub(super) fn books(&self, warmup: SimTime, days: usize, horizon: SimTime) -> PopulationBooks {
        PopulationBooks::new(
            self.params.count,
            self.params.initial_version_age_days,
            warmup,
            days,
            horizon,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<Member>(), 32);
        assert_eq!(std::mem::size_of::<Quotas>(), 24);
    }
}
