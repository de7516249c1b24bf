//! The books of one population: what its members did, counted for the
//! population as a whole (never member by member): cumulative counts, the
//! builds at the gatekeeper, the decision times by bin with their exact
//! sum and the shares within 24 hours and 7 days, the members' staleness
//! ([`super::staleness`]) and one record a day. Their size does not grow
//! with the number of members but for the staleness tracker's hours.

use super::metrics::{PlatformCounts, PopulationDay, PopulationResult};
use super::staleness::{StalenessDay, StalenessTracker};
use crate::core::stats::Histogram;
use crate::core::time::SimTime;

/// A day in hours.
const DAY_HOURS: f64 = 24.0;
/// A week in hours.
const WEEK_HOURS: f64 = 7.0 * 24.0;

/// One population's running measurements.
pub(crate) struct PopulationBooks {
    warmup: SimTime,
    members: u32,
    /// Counts since the start.
    pub(crate) counts: PlatformCounts,
    at_warmup: Option<PlatformCounts>,
    /// Counts at the previous daily record.
    at_last_day: PlatformCounts,
    /// Submissions at the gatekeeper now (count).
    waiting: u64,
    decided: u64,
    decision_sum_hours: f64,
    within_day: u64,
    within_week: u64,
    decision_hours: Histogram,
    withdrawn_hours: Histogram,
    /// The release starts of members not in a phase.
    pub(crate) staleness: StalenessTracker,
    /// Sum and number of the window's daily mean staleness.
    staleness_sum: f64,
    staleness_days: u64,
    daily: Vec<PopulationDay>,
}

impl PopulationBooks {
    /// Books for `members` members whose users all run a version
    /// `initial_age_days` old at the start, counting from `warmup`, with
    /// room for `days` records; releases start no later than `horizon`.
    pub(crate) fn new(
        members: u32,
        initial_age_days: f64,
        warmup: SimTime,
        days: usize,
        horizon: SimTime,
    ) -> PopulationBooks {
        let initial = -(SimTime::from_days_f64(initial_age_days).ticks() as i64);
        let mut staleness = StalenessTracker::new(initial, horizon.ticks() as i64);
        staleness.add(initial, members);
        PopulationBooks {
            warmup,
            members,
            counts: PlatformCounts::default(),
            at_warmup: None,
            at_last_day: PlatformCounts::default(),
            waiting: 0,
            decided: 0,
            decision_sum_hours: 0.0,
            within_day: 0,
            within_week: 0,
            decision_hours: Histogram::default(),
            withdrawn_hours: Histogram::default(),
            staleness,
            staleness_sum: 0.0,
            staleness_days: 0,
            daily: Vec::with_capacity(days),
        }
    }

    /// A member submitted a build.
    #[inline]
    pub(crate) fn submit(&mut self) {
        self.waiting += 1;
    }

    /// A submission made at `submitted` was withdrawn at `now`.
    #[inline]
    pub(crate) fn withdraw(&mut self, now: SimTime, submitted: SimTime) {
        self.waiting -= 1;
        if submitted >= self.warmup {
            self.withdrawn_hours.add(now.since(submitted).as_hours());
        }
    }

    /// A submission made at `submitted` was decided at `now`.
    #[inline]
    pub(crate) fn decide(&mut self, now: SimTime, submitted: SimTime) {
        self.waiting -= 1;
        if submitted >= self.warmup {
            let hours = now.since(submitted).as_hours();
            self.decided += 1;
            self.decision_sum_hours += hours;
            self.within_day += u64::from(hours <= DAY_HOURS);
            self.within_week += u64::from(hours <= WEEK_HOURS);
            self.decision_hours.add(hours);
        }
    }

    /// Day `day`'s record at `now`; `phased` holds the blended staleness
    /// (days) of the members in a phased release.
    pub(crate) fn day(&mut self, now: SimTime, day: u64, phased: &[f64]) {
        let counting = now >= self.warmup;
        if counting && self.at_warmup.is_none() {
            self.at_warmup = Some(self.counts);
        }
        let StalenessDay { mean, p50, p95 } = self.staleness.day(now.ticks() as i64, phased);
        if now > self.warmup
            && let Some(m) = mean
        {
            self.staleness_sum += m;
            self.staleness_days += 1;
        }
        let since = self.counts.since(&self.at_last_day);
        self.at_last_day = self.counts;
        self.daily.push(PopulationDay {
            day,
            submissions: since.submissions,
            decisions: since.approvals + since.rejections,
            rejections: since.rejections,
            withdrawals: since.withdrawals,
            releases: since.releases,
            builds_waiting: self.waiting,
            staleness_mean: mean,
            staleness_p50: p50,
            staleness_p95: p95,
        });
    }

    /// The population's results, named `name`.
    pub(crate) fn finish(self, name: String) -> PopulationResult {
        let counts = match &self.at_warmup {
            Some(w) => self.counts.since(w),
            None => PlatformCounts::default(),
        };
        let decided = self.decided;
        let share = |k: u64| (decided > 0).then(|| k as f64 / decided as f64);
        PopulationResult {
            name,
            members: self.members,
            counts,
            decided,
            decision_hours_mean: (decided > 0).then(|| self.decision_sum_hours / decided as f64),
            decision_hours_p95: self.decision_hours.quantile(0.95),
            decided_within_24h: share(self.within_day),
            decided_within_7d: share(self.within_week),
            mean_staleness_days: (self.staleness_days > 0).then(|| self.staleness_sum / self.staleness_days as f64),
            decision_hours: self.decision_hours,
            withdrawn_hours: self.withdrawn_hours,
            daily: self.daily,
        }
    }
}
