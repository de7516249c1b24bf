//! What the pipeline measures, and the result structs it hands upward. Every
//! field says its unit. Counts are over the statistics window (from the end
//! of the warm-up to the horizon) unless a field says otherwise; durations are
//! summarised by [`DurationStats`], whose fields are empty when nothing was
//! measured.

use crate::core::stats::{Histogram, mean, percentiles};
use crate::model::platform::Release;
use serde::Serialize;

/// Counts of what happened to one platform's builds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlatformCounts {
    /// Builds cut (count).
    pub builds: u64,
    /// Submissions to the gatekeeper, resubmissions included (count).
    pub submissions: u64,
    /// Resubmissions of rejected builds after a fix (count).
    pub resubmissions: u64,
    /// Approvals (count).
    pub approvals: u64,
    /// Rejections (count).
    pub rejections: u64,
    /// Pending submissions withdrawn from the gatekeeper for a newer build (count).
    pub withdrawals: u64,
    /// Builds replaced by a newer one before a decision: withdrawn, or
    /// replaced while kept back or being fixed (count).
    pub supersessions: u64,
    /// Expedited reviews used (count).
    pub expedites: u64,
    /// Releases started (count).
    pub releases: u64,
}

impl PlatformCounts {
    /// `self - earlier`, field by field.
    pub fn since(&self, earlier: &PlatformCounts) -> PlatformCounts {
        PlatformCounts {
            builds: self.builds - earlier.builds,
            submissions: self.submissions - earlier.submissions,
            resubmissions: self.resubmissions - earlier.resubmissions,
            approvals: self.approvals - earlier.approvals,
            rejections: self.rejections - earlier.rejections,
            withdrawals: self.withdrawals - earlier.withdrawals,
            supersessions: self.supersessions - earlier.supersessions,
            expedites: self.expedites - earlier.expedites,
            releases: self.releases - earlier.releases,
        }
    }
}

/// Mean and percentiles of a set of durations (unit given by the field
/// holding it); every statistic is `None` when `n = 0`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurationStats {
    /// Number of durations measured (count).
    pub n: u64,
    /// Mean.
    pub mean: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// Largest.
    pub max: Option<f64>,
}

impl DurationStats {
    /// Summarises `xs`.
    pub fn of(xs: &[f64]) -> DurationStats {
        let q = percentiles(xs, &[0.5, 0.95, 1.0]);
        DurationStats {
            n: xs.len() as u64,
            mean: mean(xs),
            p50: q[0],
            p95: q[1],
            max: q[2],
        }
    }
}

/// One platform on one day (the state at the end of the day).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlatformDay {
    /// Day number: the state at time `day` days since the start.
    pub day: u64,
    /// Days since the version users run was released, averaged over users (days).
    pub staleness_days: f64,
    /// Defects found and not yet fixed by a release (count).
    pub open_defects: u64,
    /// Share of users on the newest release (0 to 1).
    pub share_on_latest: f64,
    /// Builds cut since the start (count, cumulative).
    pub builds: u64,
    /// Submissions since the start (count, cumulative).
    pub submissions: u64,
    /// Approvals since the start (count, cumulative).
    pub approvals: u64,
    /// Rejections since the start (count, cumulative).
    pub rejections: u64,
    /// Supersessions since the start (count, cumulative).
    pub supersessions: u64,
    /// Releases since the start (count, cumulative).
    pub releases: u64,
}

/// The gatekeeper on one day (the state at the end of the day).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GateDay {
    /// Day number: the state at time `day` days since the start.
    pub day: u64,
    /// Submissions waiting for a reviewer (count).
    pub waiting: u64,
    /// Submissions being reviewed (count).
    pub in_review: u64,
    /// Submissions held before review (count).
    pub held: u64,
    /// Reviewers (count).
    pub reviewers: u32,
    /// Share of the reviewers' time spent reviewing since the day before
    /// (0 to 1; none on day 0; kept in scenarios with populations).
    pub utilisation: Option<f64>,
}

/// Running measurements of one platform.
#[derive(Clone, Debug, Default)]
pub struct PlatformMetrics {
    /// Counts since the start of the run.
    pub counts: PlatformCounts,
    /// Counts when the warm-up ended, once it has.
    pub counts_at_warmup: Option<PlatformCounts>,
    /// Submission-to-decision times of submissions made in the window (hours).
    pub decision_hours: Vec<f64>,
    /// Submission-to-withdrawal times of submissions made in the window and
    /// withdrawn undecided (hours).
    pub withdrawn_hours: Vec<f64>,
    /// Build-ready-to-release times of releases in the window (days).
    pub build_to_release_days: Vec<f64>,
    /// Daily states since the start.
    pub daily: Vec<PlatformDay>,
}

/// Results of one platform in one replication.
#[derive(Clone, Debug, Serialize)]
pub struct PlatformResult {
    /// Platform name.
    pub name: String,
    /// Counts over the statistics window.
    pub counts: PlatformCounts,
    /// Time from submission to decision (hours), submissions made in the window.
    pub decision_hours: DurationStats,
    /// Every submission-to-decision time summarised above (hours), for distributions.
    #[serde(skip)]
    pub decision_hours_values: Vec<f64>,
    /// Submission-to-withdrawal times of submissions withdrawn undecided (hours).
    #[serde(skip)]
    pub withdrawn_hours_values: Vec<f64>,
    /// Time from build ready to the start of its release (days), releases in the window.
    pub build_to_release_days: DurationStats,
    /// Mean of the daily staleness over the window (days).
    pub mean_staleness_days: Option<f64>,
    /// Staleness at the horizon (days).
    pub final_staleness_days: Option<f64>,
    /// Every release since the start, in order.
    pub releases: Vec<Release>,
    /// Daily states since the start.
    pub daily: Vec<PlatformDay>,
}

impl PlatformResult {
    /// Builds the result from the running measurements, whose window
    /// starts at the end of day `warmup_day`.
    pub fn from_metrics(name: String, m: PlatformMetrics, releases: Vec<Release>, warmup_day: u64) -> PlatformResult {
        let counts = match &m.counts_at_warmup {
            Some(w) => m.counts.since(w),
            None => PlatformCounts::default(),
        };
        // Daily values average over the days lived in the window, W+1..H.
        let (n, sum) = m
            .daily
            .iter()
            .filter(|d| d.day > warmup_day)
            .fold((0usize, 0.0), |(n, sum), d| (n + 1, sum + d.staleness_days));
        let mean_staleness_days = (n > 0).then(|| sum / n as f64);
        PlatformResult {
            name,
            counts,
            decision_hours: DurationStats::of(&m.decision_hours),
            decision_hours_values: m.decision_hours,
            withdrawn_hours_values: m.withdrawn_hours,
            build_to_release_days: DurationStats::of(&m.build_to_release_days),
            mean_staleness_days,
            final_staleness_days: m.daily.last().map(|d| d.staleness_days),
            releases,
            daily: m.daily,
        }
    }
}

/// Results of the gatekeeper in one replication, over the statistics window.
#[derive(Clone, Debug, Serialize)]
pub struct GateResult {
    /// Reviewers at the horizon (count).
    pub reviewers_at_end: u32,
    /// Time-average number of submissions waiting for a reviewer (count).
    pub mean_waiting: Option<f64>,
    /// Time-average number of submissions in review (count).
    pub mean_in_review: Option<f64>,
    /// Time-average number of submissions held before review (count).
    pub mean_held: Option<f64>,
    /// Share of reviewer time spent reviewing (0 to 1): time-average in
    /// review over time-average reviewers (after a cut in reviewers, those
    /// finishing a review count until they finish).
    pub utilisation: Option<f64>,
    /// Submissions that joined the review queue (count).
    pub queue_entries: u64,
    /// Queue entries per hour of the window (per hour).
    pub arrival_rate_per_hour: Option<f64>,
    /// Time from joining the queue to the start of review or withdrawal
    /// (hours), for entries in the window that left the queue: submissions
    /// withdrawn from the queue count with the time they waited.
    pub queue_wait_hours: DurationStats,
    /// Time from joining the queue to the start of review (hours), for
    /// entries in the window that reached a reviewer: what Erlang C predicts.
    pub reviewed_wait_hours: DurationStats,
    /// Review durations drawn for reviews started in the window (hours).
    pub review_hours: DurationStats,
    /// Largest number waiting at once (count).
    pub max_waiting: u64,
    /// Share of the decisions on submissions made in the window, of every
    /// platform and member, that came within 24 hours (0 to 1).
    pub decided_within_24h: Option<f64>,
    /// The same within 7 days (0 to 1).
    pub decided_within_7d: Option<f64>,
    /// Daily states since the start.
    pub daily: Vec<GateDay>,
    /// The steady-state sums by block of five days, kept for a warm-up
    /// chosen after the run.
    #[serde(skip)]
    pub(crate) steady: Option<super::steady::SteadyBlocks>,
}

/// Everything one replication of the pipeline measured.
#[derive(Clone, Debug, Serialize)]
pub struct PipelineResult {
    /// One entry per platform, in scenario order.
    pub platforms: Vec<PlatformResult>,
    /// One entry per watched member of a population (in population order,
    /// then by index), measured as a platform is.
    pub watched: Vec<PlatformResult>,
    /// One entry per population, in scenario order.
    pub populations: Vec<PopulationResult>,
    /// The gatekeeper.
    pub gatekeeper: GateResult,
}

/// A population on one day: what its members did since the day before,
/// and their state at the day's instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopulationDay {
    /// Day number: the state at time `day` days since the start.
    pub day: u64,
    /// Submissions since the day before, resubmissions included (count).
    pub submissions: u64,
    /// Decisions (approvals and rejections) since the day before (count).
    pub decisions: u64,
    /// Rejections since the day before (count).
    pub rejections: u64,
    /// Withdrawals since the day before (count).
    pub withdrawals: u64,
    /// Releases started since the day before (count).
    pub releases: u64,
    /// Builds at the gatekeeper: submitted and not yet decided or
    /// withdrawn (held, queued or in review; count).
    pub builds_waiting: u64,
    /// Mean over members of the age of the version their users run (days).
    pub staleness_mean: Option<f64>,
    /// Its median over members (days, rounded up to the hour).
    pub staleness_p50: Option<f64>,
    /// Its 95th percentile over members (days, rounded up to the hour).
    pub staleness_p95: Option<f64>,
}

/// Results of one population in one replication.
#[derive(Clone, Debug, Serialize)]
pub struct PopulationResult {
    /// Population name.
    pub name: String,
    /// Members (count).
    pub members: u32,
    /// Counts over the statistics window, summed over members.
    pub counts: PlatformCounts,
    /// Decisions on submissions made in the window (count).
    pub decided: u64,
    /// Mean time from submission to decision (hours), submissions made in the window.
    pub decision_hours_mean: Option<f64>,
    /// Its 95th percentile (hours; within 0.1%, from the histogram).
    pub decision_hours_p95: Option<f64>,
    /// Share of those decisions that came within 24 hours (0 to 1).
    pub decided_within_24h: Option<f64>,
    /// Share of those decisions that came within 7 days (0 to 1).
    pub decided_within_7d: Option<f64>,
    /// Mean over the window's days (W+1 to H) of the members' mean staleness (days).
    pub mean_staleness_days: Option<f64>,
    /// The submission-to-decision times summarised above (hours), by bin.
    #[serde(skip)]
    pub decision_hours: Histogram,
    /// Submission-to-withdrawal times of submissions withdrawn undecided (hours), by bin.
    #[serde(skip)]
    pub withdrawn_hours: Histogram,
    /// Daily records since the start.
    pub daily: Vec<PopulationDay>,
}

/// The share of `hours` at most `limit`, if there are any.
pub(crate) fn share_within(hours: &[f64], limit: f64) -> Option<f64> {
    (!hours.is_empty()).then(|| hours.iter().filter(|&&h| h <= limit).count() as f64 / hours.len() as f64)
}

/// A list of durations (the gatekeeper's waits and reviews) kept whole,
/// for exact percentiles, or, at the scale of a population's millions of
/// submissions a year, as a count, an exact sum and a histogram (the
/// percentiles then within 0.1%, see [`crate::core::stats::histogram`]).
#[derive(Clone, Debug)]
pub(crate) enum DurationBook {
    /// Every duration.
    Whole(Vec<f64>),
    /// Count, sum and bins of the durations.
    Binned {
        /// Durations (count).
        n: u64,
        /// Their sum.
        sum: f64,
        /// Their bins.
        bins: Histogram,
    },
}

impl DurationBook {
    /// A book kept whole with room for `n` durations, or binned.
    pub(crate) fn new(binned: bool, n: usize) -> DurationBook {
        if binned {
            DurationBook::Binned {
                n: 0,
                sum: 0.0,
                bins: Histogram::default(),
            }
        } else {
            DurationBook::Whole(Vec::with_capacity(n))
        }
    }

    /// Adds a duration.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        match self {
            DurationBook::Whole(xs) => xs.push(x),
            DurationBook::Binned { n, sum, bins } => {
                *n += 1;
                *sum += x;
                bins.add(x);
            }
        }
    }

    /// Their summary.
    pub(crate) fn stats(&self) -> DurationStats {
        match self {
            DurationBook::Whole(xs) => DurationStats::of(xs),
            DurationBook::Binned { n, sum, bins } => {
                let q = bins.quantiles(&[0.5, 0.95, 1.0]);
                DurationStats {
                    n: *n,
                    mean: (*n > 0).then(|| sum / *n as f64),
                    p50: q[0],
                    p95: q[1],
                    max: q[2],
                }
            }
        }
    }
}
