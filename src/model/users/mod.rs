//! The user model: a market of potential users, each in the pool or an
//! active user of one platform, moved day by day by what the review pipeline
//! releases. Each day, every platform's experience (staleness, open defects,
//! appeal) sets its users' churn multiplier, engagement and share of
//! adopters ([`experience`]); then users churn, pool members adopt, and
//! active users open the app and order. Two representations follow the same
//! equations: [`aggregate`] (exact, cost independent of the market size;
//! optionally with one churn draw per cohort, [`cohort_draw`], and old
//! groups merged, [`group`]) and [`agents`] (one record
//! per user). This module knows nothing of the engine,
//! of the pipeline's internals or of scenario files: it is handed each day's
//! [`Experience`].

pub(crate) mod agents;
pub(crate) mod aggregate;
pub(crate) mod churn;
pub(crate) mod cohort_draw;
pub(crate) mod experience;
pub(crate) mod group;
pub(crate) mod params;
pub(crate) mod record;
pub(crate) mod streams;

pub(crate) use experience::{Conditions, Experience};
pub(crate) use params::{MarketEvent, MarketParams, Mode, PlatformUsers, Sensitivities};
pub(crate) use record::{UserDay, UsersHeadline, UsersResult};

use record::Recorder;
use streams::UserStreams;

enum Representation {
    Aggregate(aggregate::Aggregate),
    Agents(agents::Agents),
}

/// The user model of one replication.
pub(crate) struct UserModel {
    params: MarketParams,
    streams: UserStreams,
    recorder: Recorder,
    repr: Representation,
    appeals: experience::AppealBook,
}

impl UserModel {
    /// The market at day 0, with the streams of replication `replication`.
    pub(crate) fn new(
        params: MarketParams,
        names: &[String],
        seed: u64,
        replication: u64,
        horizon_days: u64,
    ) -> UserModel {
        let mut streams = UserStreams::new(seed, replication, names);
        let mut recorder = Recorder::new(names.len(), params.potential_users, horizon_days);
        let repr = match params.mode {
            Mode::Aggregate | Mode::Merged { .. } => {
                Representation::Aggregate(aggregate::Aggregate::new(&params, &mut streams, &mut recorder))
            }
            Mode::Agents => {
                Representation::Agents(agents::Agents::new(&params, horizon_days, &mut streams, &mut recorder))
            }
        };
        UserModel {
            params,
            streams,
            recorder,
            repr,
            appeals: experience::AppealBook::default(),
        }
    }

    /// Day `day`: the platforms' experiences at that time move the users,
    /// after the market events due by then take effect. Day 0 records the
    /// start.
    pub(crate) fn step(&mut self, day: u64, experiences: &[Experience<'_>]) {
        let due = self.params.events.iter().take_while(|e| e.day <= day as f64).count();
        for e in self.params.events.drain(..due) {
            if let Some(pu) = self.params.platforms.get_mut(e.platform) {
                pu.base_utility = e.base_utility;
            }
        }
        let half_life = self.params.sensitivities.appeal_half_life_days;
        let appeals: Vec<f64> = experiences
            .iter()
            .zip(&self.params.platforms)
            .enumerate()
            .map(|(p, (e, pu))| {
                self.appeals
                    .appeal(p, pu.base_appeal, e.releases, day as f64, half_life)
            })
            .collect();
        let cond = experience::conditions_with_appeals(&self.params, experiences, &appeals);
        match &mut self.repr {
            Representation::Aggregate(a) => a.step(&self.params, day, &cond, &mut self.streams, &mut self.recorder),
            Representation::Agents(a) => a.step(&self.params, day, &cond, &mut self.streams, &mut self.recorder),
        }
    }

    /// The results.
    pub(crate) fn finish(self) -> UsersResult {
        let mut result = self.recorder.finish();
        for (r, pu) in result.platforms.iter_mut().zip(&self.params.platforms) {
            r.average_order_value = pu.average_order_value;
        }
        result
    }
}
