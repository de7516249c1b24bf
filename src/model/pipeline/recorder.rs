//! What the pipeline measures while it runs: counts per platform, durations
//! (decision, withdrawal, build to release, queue waits, reviews), the
//! time-average levels of the gatekeeper, and the daily records. The state
//! machine ([`super::Pipeline`]) tells it what happened; it keeps the books
//! over the statistics window and builds the result structs at the end.
//! Every event is booked under a [`Book`]: the platform's own measurements
//! (a named platform, or a watched member of a population) and the
//! population's ([`super::population_books`]), either or both.

use super::metrics::{
    DurationBook, GateDay, GateResult, PlatformDay, PlatformMetrics, PlatformResult, PopulationResult,
};
use super::population_books::PopulationBooks;
use super::steady::{BLOCK_DAYS, GateSum, SteadyBlocks};
use crate::core::stats::TimeIntegrals;
use crate::core::time::SimTime;
use crate::model::gatekeeper::Levels;
use crate::model::platform::Release;

/// Where an actor's events are booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Book {
    /// Its own measurements: a named platform's index, or past the
    /// platforms a watched member's.
    pub(crate) tracked: Option<usize>,
    /// Its population, for a member.
    pub(crate) population: Option<usize>,
}

/// The reviewers' time in review and available since the previous daily
/// record, in reviewer-milliseconds (whole numbers: a day of 4 billion
/// reviewers fits in 64 bits), for each day's utilisation.
#[derive(Clone, Copy, Debug, Default)]
struct BusyTime {
    /// When the levels last changed (milliseconds).
    last: u64,
    /// Reviewers in review and available since then.
    in_review: u64,
    capacity: u64,
    /// Their time since the previous daily record, up to `last`.
    in_review_ms: u64,
    capacity_ms: u64,
}

impl BusyTime {
    /// The levels become `l` at `now` (milliseconds).
    #[inline]
    fn set(&mut self, now: u64, l: Levels) {
        let dt = now.saturating_sub(self.last);
        self.in_review_ms = self.in_review_ms.wrapping_add(self.in_review.wrapping_mul(dt));
        self.capacity_ms = self.capacity_ms.wrapping_add(self.capacity.wrapping_mul(dt));
        self.last = now.max(self.last);
        self.in_review = u64::from(l.in_review);
        self.capacity = u64::from(l.capacity);
    }

    /// The utilisation since the previous daily record, which `now` (a
    /// day's instant, when the levels are set before anything else
    /// happens) becomes.
    fn day(&mut self, now: u64) -> Option<f64> {
        let dt = now.saturating_sub(self.last);
        let r = self.in_review_ms.wrapping_add(self.in_review.wrapping_mul(dt));
        let c = self.capacity_ms.wrapping_add(self.capacity.wrapping_mul(dt));
        self.in_review_ms = 0;
        self.capacity_ms = 0;
        self.last = now.max(self.last);
        (c > 0).then(|| r as f64 / c as f64)
    }
}

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
    /// Kept with populations only (their charts read the daily utilisation).
    busy: Option<BusyTime>,
    queue_entries: u64,
    /// Waits for a reviewer (all, and of the submissions reviewed) and
    /// reviews (hours), kept whole, or binned with populations.
    queue_waits_hours: DurationBook,
    reviewed_waits_hours: DurationBook,
    review_hours: DurationBook,
    max_waiting: usize,
    /// Decisions on submissions made in the window, and those within 24
    /// hours and 7 days of the submission (counts, every actor).
    decided: [u64; 3],
    gate_days: Vec<GateDay>,
    /// The named platforms, then the watched members.
    platforms: Vec<PlatformMetrics>,
    populations: Vec<PopulationBooks>,
    /// Sums by block of five days, kept for a warm-up chosen after the run.
    steady: Option<SteadyBook>,
}

/// The sums by block and where the last closed block ended.
struct SteadyBook {
    blocks: SteadyBlocks,
    /// Blocks closed so far.
    closed: usize,
    /// The integrals of waiting, in review, held and capacity, and the
    /// hour, when the last block closed.
    at_close: ([f64; 4], f64),
}

impl Recorder {
    /// Books for tracked platforms (named ones, then watched members)
    /// expecting `builds` builds each, for `populations`, and a gatekeeper
    /// starting with `reviewers`, with room for `days` daily records and
    /// those builds' durations (`expected` submissions in all at the
    /// gatekeeper); statistics count from `warmup`.
    pub(crate) fn new(
        warmup: SimTime,
        reviewers: u32,
        builds: &[usize],
        (populations, expected): (Vec<PopulationBooks>, usize),
        days: usize,
        steady: bool,
    ) -> Recorder {
        let start = warmup.as_hours();
        let blocks = (days.saturating_sub(1) as u64).div_ceil(BLOCK_DAYS).max(1) as usize;
        let steady = steady.then(|| SteadyBook {
            blocks: SteadyBlocks::new(builds.len(), populations.len(), blocks),
            closed: 0,
            at_close: ([0.0; 4], start),
        });
        // A population's millions of submissions a year are binned.
        let binned = !populations.is_empty();
        let all = super::submissions_for(builds.iter().sum::<usize>()) + if binned { 0 } else { expected };
        Recorder {
            warmup,
            areas: TimeIntegrals::new(start, [0.0, 0.0, 0.0, f64::from(reviewers)]),
            busy: (!populations.is_empty()).then(|| BusyTime {
                capacity: u64::from(reviewers),
                ..BusyTime::default()
            }),
            queue_entries: 0,
            queue_waits_hours: DurationBook::new(binned, all),
            reviewed_waits_hours: DurationBook::new(binned, all),
            review_hours: DurationBook::new(binned, all),
            max_waiting: 0,
            decided: [0; 3],
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
            populations,
            steady,
        }
    }

    /// Closes the next block of the steady sums at `now` (hours).
    fn close_block(&mut self, now: f64) {
        let Some(st) = &mut self.steady else { return };
        let areas = self.areas.areas(now);
        let (before, hour) = st.at_close;
        let b = st.closed;
        for (sum, i) in [
            (GateSum::WaitingArea, 0),
            (GateSum::InReviewArea, 1),
            (GateSum::CapacityArea, 3),
        ] {
            st.blocks.add_gate(b, sum, areas[i] - before[i]);
        }
        st.blocks.add_gate(b, GateSum::Hours, now - hour);
        st.closed += 1;
        st.at_close = (areas, now);
    }

    fn counting(&self, t: SimTime) -> bool {
        t >= self.warmup
    }

    /// The counts of `b`'s platform and population, in turn.
    #[inline]
    fn each_count(&mut self, b: Book, f: impl Fn(&mut super::metrics::PlatformCounts)) {
        if let Some(t) = b.tracked {
            f(&mut self.platforms[t].counts);
        }
        if let Some(k) = b.population {
            f(&mut self.populations[k].counts);
        }
    }

    /// A build was cut.
    #[inline]
    pub(crate) fn build(&mut self, b: Book) {
        self.each_count(b, |c| c.builds += 1);
    }

    /// A build was submitted.
    #[inline]
    pub(crate) fn submit(&mut self, b: Book, resubmission: bool, expedited: bool) {
        self.each_count(b, |c| {
            c.submissions += 1;
            c.resubmissions += u64::from(resubmission);
            c.expedites += u64::from(expedited);
        });
        if let Some(k) = b.population {
            self.populations[k].submit();
        }
    }

    /// A build not at the gatekeeper was replaced by a newer one.
    #[inline]
    pub(crate) fn supersede(&mut self, b: Book) {
        self.each_count(b, |c| c.supersessions += 1);
    }

    /// A submission made at `submitted` was withdrawn at `now`.
    pub(crate) fn withdraw(&mut self, b: Book, now: SimTime, submitted: SimTime) {
        let counting = self.counting(submitted);
        self.each_count(b, |c| {
            c.withdrawals += 1;
            c.supersessions += 1;
        });
        if let Some(t) = b.tracked
            && counting
        {
            self.platforms[t].withdrawn_hours.push(now.since(submitted).as_hours());
        }
        if let Some(k) = b.population {
            self.populations[k].withdraw(now, submitted);
        }
    }

    /// A submission made at `submitted` was decided at `now`.
    #[inline]
    pub(crate) fn decide(&mut self, b: Book, now: SimTime, submitted: SimTime, rejected: bool) {
        let counting = self.counting(submitted);
        if counting {
            let hours = now.since(submitted).as_hours();
            self.decided[0] += 1;
            self.decided[1] += u64::from(hours <= 24.0);
            self.decided[2] += u64::from(hours <= 168.0);
            if let Some(t) = b.tracked {
                self.platforms[t].decision_hours.push(hours);
            }
            if let Some(st) = &mut self.steady {
                let books = b.tracked.into_iter().chain(b.population.map(|k| st.blocks.tracked + k));
                st.blocks.decision(submitted.as_days(), hours, books);
            }
        }
        self.each_count(b, |c| {
            if rejected {
                c.rejections += 1;
            } else {
                c.approvals += 1;
            }
        });
        if let Some(k) = b.population {
            self.populations[k].decide(now, submitted);
        }
    }

    /// A release started at `now`, of a build cut on `ready_day` (known
    /// for tracked platforms).
    #[inline]
    pub(crate) fn release(&mut self, b: Book, now: SimTime, ready_day: Option<f64>) {
        let counting = self.counting(now);
        self.each_count(b, |c| c.releases += 1);
        if let (Some(t), Some(ready)) = (b.tracked, ready_day)
            && counting
        {
            self.platforms[t].build_to_release_days.push(now.as_days() - ready);
        }
    }

    /// Population `k`'s books.
    #[inline]
    pub(crate) fn population(&mut self, k: usize) -> &mut PopulationBooks {
        &mut self.populations[k]
    }

    /// A submission joined the review queue at `now`.
    #[inline]
    pub(crate) fn queue_entry(&mut self, now: SimTime) {
        if self.counting(now) {
            self.queue_entries += 1;
        }
    }

    /// A submission that joined the queue at `entered` left it at `now`, to
    /// a reviewer (`reviewed`) or withdrawn.
    #[inline]
    pub(crate) fn queue_exit(&mut self, now: SimTime, entered: SimTime, reviewed: bool) {
        if self.counting(entered) {
            let hours = now.since(entered).as_hours();
            self.queue_waits_hours.push(hours);
            if reviewed {
                self.reviewed_waits_hours.push(hours);
            }
            if let Some(st) = &mut self.steady {
                let b = st.blocks.block_of(entered.as_days());
                st.blocks.add_gate(b, GateSum::QueueWaits, 1.0);
                st.blocks.add_gate(b, GateSum::QueueWaitHours, hours);
                if reviewed {
                    st.blocks.add_gate(b, GateSum::ReviewedWaits, 1.0);
                    st.blocks.add_gate(b, GateSum::ReviewedWaitHours, hours);
                }
            }
        }
    }

    /// A review of `hours` started at `now`.
    #[inline]
    pub(crate) fn review_start(&mut self, now: SimTime, hours: f64) {
        if self.counting(now) {
            self.review_hours.push(hours);
        }
    }

    /// The gatekeeper's levels as of `now`.
    #[inline]
    pub(crate) fn levels(&mut self, now: SimTime, l: Levels) {
        let values = [
            l.waiting as f64,
            f64::from(l.in_review),
            l.held as f64,
            f64::from(l.capacity),
        ];
        self.areas.set(now.as_hours(), values);
        if let Some(busy) = &mut self.busy {
            busy.set(now.ticks(), l);
        }
        self.max_waiting = self.max_waiting.max(l.waiting);
    }

    /// Day `day`'s record, at time `now`: every tracked platform's state
    /// and the gatekeeper's levels (the populations record their own).
    pub(crate) fn day(&mut self, now: SimTime, day: u64, platforms: &[PlatformSnapshot], gate: Levels) {
        if day > 0 && day.is_multiple_of(BLOCK_DAYS) {
            self.close_block(now.as_hours());
        }
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
        let utilisation = match &mut self.busy {
            Some(busy) if day > 0 => busy.day(now.ticks()),
            _ => None,
        };
        self.gate_days.push(GateDay {
            day,
            waiting: gate.waiting as u64,
            in_review: u64::from(gate.in_review),
            held: gate.held as u64,
            reviewers: gate.reviewers,
            utilisation,
        });
    }

    /// The results at `end`: each tracked platform's (given its name and
    /// releases, in order), each population's (given its name) and the
    /// gatekeeper's, whose last levels are `gate`.
    pub(crate) fn finish(
        mut self,
        end: SimTime,
        gate: Levels,
        platforms: impl IntoIterator<Item = (String, Vec<Release>)>,
        populations: impl IntoIterator<Item = String>,
    ) -> (Vec<PlatformResult>, Vec<PopulationResult>, GateResult) {
        self.levels(end, gate);
        let end_h = end.as_hours();
        if self.steady.as_ref().is_some_and(|st| st.closed < st.blocks.blocks()) {
            self.close_block(end_h);
        }
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
            queue_wait_hours: self.queue_waits_hours.stats(),
            reviewed_wait_hours: self.reviewed_waits_hours.stats(),
            review_hours: self.review_hours.stats(),
            max_waiting: self.max_waiting as u64,
            decided_within_24h: (self.decided[0] > 0).then(|| self.decided[1] as f64 / self.decided[0] as f64),
            decided_within_7d: (self.decided[0] > 0).then(|| self.decided[2] as f64 / self.decided[0] as f64),
            daily: self.gate_days,
            steady: self.steady.take().map(|st| st.blocks),
        };
        let platforms = platforms
            .into_iter()
            .zip(self.platforms)
            .map(|((name, releases), m)| PlatformResult::from_metrics(name, m, releases, self.warmup.day()))
            .collect();
        let populations = populations
            .into_iter()
            .zip(self.populations)
            .map(|(name, books)| books.finish(name))
            .collect();
        (platforms, populations, result)
    }
}
