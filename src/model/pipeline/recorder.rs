//! What the pipeline measures while it runs: counts per platform, durations
//! (decision, withdrawal, build to release, queue waits, reviews), the
//! time-average levels of the gatekeeper, and the daily records. The state
//! machine ([`super::Pipeline`]) tells it what happened; it keeps the books
//! over the statistics window and builds the result structs at the end.

use super::metrics::{DurationStats, GateDay, GateResult, PlatformDay, PlatformMetrics, PlatformResult};
use crate::core::stats::TimeIntegrals;
use crate::core::time::SimTime;
use crate::model::gatekeeper::Levels;
use crate::model::platform::Release;

/// One platform's state at a day's record, as the state machine sees it.
pub(crate) struct PlatformSnapshot {
    /// Days since the version users run was released, averaged over users.
    pub(crate) staleness_days: f64,
    /// Defects found and not yet fixed by a release (count).
    pub(crate) open_defects: u64,
    /// Share of users on the newest release (0 to 1).
    pub(crate) share_on_latest: f64,
}

/// The books of one replication's pipeline.
pub(crate) struct Recorder {
    warmup: SimTime,
    /// Time integrals of the numbers waiting, in review and held, and of
    /// the reviewers' capacity, in that order.
    areas: TimeIntegrals<4>,
    queue_entries: u64,
    queue_waits_hours: Vec<f64>,
    reviewed_waits_hours: Vec<f64>,
    review_hours: Vec<f64>,
    max_waiting: usize,
    gate_days: Vec<GateDay>,
    platforms: Vec<PlatformMetrics>,
}

impl Recorder {
    /// Books for platforms expecting `builds` builds each and a gatekeeper
    /// starting with `reviewers`, with room for `days` daily records and
    /// those builds' durations; statistics count from `warmup`.
    pub(crate) fn new(warmup: SimTime, reviewers: u32, builds: &[usize], days: usize) -> Recorder {
        let start = warmup.as_hours();
        let all = super::submissions_for(builds.iter().sum());
        Recorder {
            warmup,
            areas: TimeIntegrals::new(start, [0.0, 0.0, 0.0, f64::from(reviewers)]),
            queue_entries: 0,
            queue_waits_hours: Vec::with_capacity(all),
            reviewed_waits_hours: Vec::with_capacity(all),
            review_hours: Vec::with_capacity(all),
            max_waiting: 0,
            gate_days: Vec::with_capacity(days),
            platforms: builds
                .iter()
                .map(|&n| PlatformMetrics {
                    daily: Vec::with_capacity(days),
                    decision_hours: Vec::with_capacity(super::submissions_for(n)),
                    build_to_release_days: Vec::with_capacity(n),
                    ..PlatformMetrics::default()
                })
                .collect(),
        }
    }

    fn counting(&self, t: SimTime) -> bool {
        t >= self.warmup
    }

    /// Platform `p` cut a build.
    pub(crate) fn build(&mut self, p: usize) {
        self.platforms[p].counts.builds += 1;
    }

    /// Platform `p` submitted a build.
    pub(crate) fn submit(&mut self, p: usize, resubmission: bool, expedited: bool) {
        let c = &mut self.platforms[p].counts;
        c.submissions += 1;
        c.resubmissions += u64::from(resubmission);
        c.expedites += u64::from(expedited);
    }

    /// A build of `p` not at the gatekeeper was replaced by a newer one.
    pub(crate) fn supersede(&mut self, p: usize) {
        self.platforms[p].counts.supersessions += 1;
    }

    /// A submission of `p` made at `submitted` was withdrawn at `now`.
    pub(crate) fn withdraw(&mut self, p: usize, now: SimTime, submitted: SimTime) {
        let counting = self.counting(submitted);
        let m = &mut self.platforms[p];
        m.counts.withdrawals += 1;
        m.counts.supersessions += 1;
        if counting {
            m.withdrawn_hours.push(now.since(submitted).as_hours());
        }
    }

    /// A submission of `p` made at `submitted` was decided at `now`.
    pub(crate) fn decide(&mut self, p: usize, now: SimTime, submitted: SimTime, rejected: bool) {
        let counting = self.counting(submitted);
        let m = &mut self.platforms[p];
        if counting {
            m.decision_hours.push(now.since(submitted).as_hours());
        }
        if rejected {
            m.counts.rejections += 1;
        } else {
            m.counts.approvals += 1;
        }
    }

    /// A release of `p` started at `now`, of a build cut on `ready_day`.
    pub(crate) fn release(&mut self, p: usize, now: SimTime, ready_day: f64) {
        let counting = self.counting(now);
        let m = &mut self.platforms[p];
        m.counts.releases += 1;
        if counting {
            m.build_to_release_days.push(now.as_days() - ready_day);
        }
    }

    /// A submission joined the review queue at `now`.
    pub(crate) fn queue_entry(&mut self, now: SimTime) {
        if self.counting(now) {
            self.queue_entries += 1;
        }
    }

    /// A submission that joined the queue at `entered` left it at `now`, to
    /// a reviewer (`reviewed`) or withdrawn.
    pub(crate) fn queue_exit(&mut self, now: SimTime, entered: SimTime, reviewed: bool) {
        if self.counting(entered) {
            let hours = now.since(entered).as_hours();
            self.queue_waits_hours.push(hours);
            if reviewed {
                self.reviewed_waits_hours.push(hours);
            }
        }
    }

    /// A review of `hours` started at `now`.
    pub(crate) fn review_start(&mut self, now: SimTime, hours: f64) {
        if self.counting(now) {
            self.review_hours.push(hours);
        }
    }

    /// The gatekeeper's levels as of `now`.
    pub(crate) fn levels(&mut self, now: SimTime, l: Levels) {
        let values = [
            l.waiting as f64,
            f64::from(l.in_review),
            l.held as f64,
            f64::from(l.capacity),
        ];
        self.areas.set(now.as_hours(), values);
        self.max_waiting = self.max_waiting.max(l.waiting);
    }

    /// Day `day`'s record, at time `now`: every platform's state and the
    /// gatekeeper's levels.
    pub(crate) fn day(&mut self, now: SimTime, day: u64, platforms: &[PlatformSnapshot], gate: Levels) {
        let counting = self.counting(now);
        for (m, s) in self.platforms.iter_mut().zip(platforms) {
            if counting && m.counts_at_warmup.is_none() {
                m.counts_at_warmup = Some(m.counts);
            }
            let c = &m.counts;
            m.daily.push(PlatformDay {
                day,
                staleness_days: s.staleness_days,
                open_defects: s.open_defects,
                share_on_latest: s.share_on_latest,
                builds: c.builds,
                submissions: c.submissions,
                approvals: c.approvals,
                rejections: c.rejections,
                supersessions: c.supersessions,
                releases: c.releases,
            });
        }
        self.gate_days.push(GateDay {
            day,
            waiting: gate.waiting as u64,
            in_review: u64::from(gate.in_review),
            held: gate.held as u64,
            reviewers: gate.reviewers,
        });
    }

    /// The results at `end`: each platform's (given its name and releases,
    /// in order) and the gatekeeper's, whose last levels are `gate`.
    pub(crate) fn finish(
        mut self,
        end: SimTime,
        gate: Levels,
        platforms: impl IntoIterator<Item = (String, Vec<Release>)>,
    ) -> (Vec<PlatformResult>, GateResult) {
        self.levels(end, gate);
        let end_h = end.as_hours();
        let window_h = (end_h - self.warmup.as_hours()).max(0.0);
        let [waiting, in_review, held, capacity] = self.areas.averages(end_h);
        let result = GateResult {
            reviewers_at_end: gate.reviewers,
            mean_waiting: waiting,
            mean_in_review: in_review,
            mean_held: held,
            utilisation: match (in_review, capacity) {
                (Some(r), Some(c)) if c > 0.0 => Some(r / c),
                _ => None,
            },
            queue_entries: self.queue_entries,
            arrival_rate_per_hour: (window_h > 0.0).then(|| self.queue_entries as f64 / window_h),
            queue_wait_hours: DurationStats::of(&self.queue_waits_hours),
            reviewed_wait_hours: DurationStats::of(&self.reviewed_waits_hours),
            review_hours: DurationStats::of(&self.review_hours),
            max_waiting: self.max_waiting as u64,
            daily: self.gate_days,
        };
        let platforms = platforms
            .into_iter()
            .zip(self.platforms)
            .map(|((name, releases), m)| PlatformResult::from_metrics(name, m, releases, self.warmup.day()))
            .collect();
        (platforms, result)
    }
}
