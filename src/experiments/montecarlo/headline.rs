//! Headline metrics: the few numbers per platform (and for the market and
//! the gatekeeper)
//! that a report quotes, read from each replication and summarised across
//! replications with exact statistics (every replication's value is kept;
//! they are few).

use super::series::{Scope, Shape};
use crate::core::metric::Metric;
use crate::core::stats::concentration::{hhi, shares};
use crate::core::stats::interval::{Bootstrap, bootstrap_t, skew_check};
use crate::core::stats::{Summary, percentile};
use crate::model::pipeline::share_within;
use crate::world::Replication;
use serde::Serialize;

/// Reads a headline value from one replication: (replication, platform, warm-up day).
pub(crate) type Read = fn(&Replication, usize, u64) -> Option<f64>;

/// One headline metric of one scope.
#[derive(Clone, Copy)]
pub struct HeadlineSpec {
    /// Whose.
    pub scope: Scope,
    /// Which.
    pub metric: Metric,
    /// How to read it.
    pub read: Read,
}

fn users_headline(r: &Replication, p: usize, warmup: u64) -> Option<crate::model::users::UsersHeadline> {
    Some(r.users.as_ref()?.platforms.get(p)?.headline(warmup))
}

/// Every platform's value of `field` of its users' headline.
fn each_platform(
    r: &Replication,
    field: impl Fn(&crate::model::users::record::PlatformUsersResult) -> u64,
) -> Vec<f64> {
    r.users
        .as_ref()
        .map_or(&[][..], |u| u.platforms.as_slice())
        .iter()
        .map(|p| field(p) as f64)
        .collect()
}

/// How to read headline `m` from a replication; `None` for a daily series.
fn reader(m: Metric) -> Option<Read> {
    let read: Read = match m {
        Metric::ActiveUsersEnd => |r, p, w| Some(users_headline(r, p, w)?.active_end as f64),
        Metric::ActiveUsersChangePct => |r, p, w| users_headline(r, p, w)?.active_change_pct,
        Metric::OrdersTotal => |r, p, w| Some(users_headline(r, p, w)?.orders_total as f64),
        Metric::GmvTotal(_) => |r, p, w| r.users.as_ref()?.platforms.get(p)?.gmv_after(w),
        Metric::MeanDau => |r, p, w| users_headline(r, p, w)?.mean_dau,
        Metric::D30Retention => |r, p, w| users_headline(r, p, w)?.d30_retention,
        Metric::MarketShareEnd => |r, p, _| shares(&each_platform(r, |u| u.active_end()))?.get(p).copied(),
        Metric::HhiActiveUsersEnd => |r, _, _| hhi(&each_platform(r, |u| u.active_end())),
        Metric::HhiOrders => |r, _, w| hhi(&each_platform(r, |u| u.orders_after(w))),
        Metric::MeanStalenessDays => |r, p, _| r.result.platforms[p].mean_staleness_days,
        Metric::ShareOfBuildsReleased => |r, p, _| {
            let c = &r.result.platforms[p].counts;
            (c.builds > 0).then(|| c.releases as f64 / c.builds as f64)
        },
        Metric::Releases => |r, p, _| Some(r.result.platforms[p].counts.releases as f64),
        Metric::Rejections => |r, p, _| Some(r.result.platforms[p].counts.rejections as f64),
        Metric::DecisionHoursMean => |r, p, _| r.result.platforms[p].decision_hours.mean,
        Metric::DecisionHoursP95 => |r, p, _| r.result.platforms[p].decision_hours.p95,
        Metric::DecidedWithin24h => |r, p, _| share_within(&r.result.platforms[p].decision_hours_values, 24.0),
        Metric::DecidedWithin7d => |r, p, _| share_within(&r.result.platforms[p].decision_hours_values, 168.0),
        Metric::Utilisation => |r, _, _| r.result.gatekeeper.utilisation,
        Metric::MeanWaiting => |r, _, _| r.result.gatekeeper.mean_waiting,
        Metric::QueueWaitHoursMean => |r, _, _| r.result.gatekeeper.queue_wait_hours.mean,
        Metric::QueueWaitHoursP95 => |r, _, _| r.result.gatekeeper.queue_wait_hours.p95,
        Metric::ReviewedWaitHoursMean => |r, _, _| r.result.gatekeeper.reviewed_wait_hours.mean,
        Metric::StalenessDays
        | Metric::OpenDefects
        | Metric::ShareOnLatest
        | Metric::BuildsCumulative
        | Metric::SubmissionsCumulative
        | Metric::ApprovalsCumulative
        | Metric::RejectionsCumulative
        | Metric::SupersessionsCumulative
        | Metric::ReleasesCumulative
        | Metric::ActiveUsers
        | Metric::Dau
        | Metric::NewUsers
        | Metric::ChurnedUsers
        | Metric::SwitchedIn
        | Metric::SwitchedOut
        | Metric::Orders
        | Metric::Gmv(_)
        | Metric::Appeal
        | Metric::ChurnMultiplier
        | Metric::ChoiceShare
        | Metric::Pool
        | Metric::HhiActiveUsers
        | Metric::Waiting
        | Metric::InReview
        | Metric::Held
        | Metric::Reviewers
        | Metric::UtilisationDaily
        | Metric::Submissions
        | Metric::DailySubmissions
        | Metric::DailyDecisions
        | Metric::DailyRejections
        | Metric::DailyWithdrawals
        | Metric::DailyReleases
        | Metric::BuildsWaiting
        | Metric::StalenessMean
        | Metric::StalenessP50
        | Metric::StalenessP95 => return None,
    };
    Some(read)
}

/// How to read population headline `m` from a replication (the index is
/// the population's); `None` for a metric populations do not have.
fn population_reader(m: Metric) -> Option<Read> {
    let read: Read = match m {
        Metric::Submissions => |r, k, _| Some(r.result.populations[k].counts.submissions as f64),
        Metric::Releases => |r, k, _| Some(r.result.populations[k].counts.releases as f64),
        Metric::Rejections => |r, k, _| Some(r.result.populations[k].counts.rejections as f64),
        Metric::ShareOfBuildsReleased => |r, k, _| {
            let c = &r.result.populations[k].counts;
            (c.builds > 0).then(|| c.releases as f64 / c.builds as f64)
        },
        Metric::MeanStalenessDays => |r, k, _| r.result.populations[k].mean_staleness_days,
        Metric::DecisionHoursMean => |r, k, _| r.result.populations[k].decision_hours_mean,
        Metric::DecisionHoursP95 => |r, k, _| r.result.populations[k].decision_hours_p95,
        Metric::DecidedWithin24h => |r, k, _| r.result.populations[k].decided_within_24h,
        Metric::DecidedWithin7d => |r, k, _| r.result.populations[k].decided_within_7d,
        _ => return None,
    };
    Some(read)
}

/// Every headline metric of a scenario with `platforms` platforms (and
/// users if `users`), and no population.
pub fn headlines(platforms: usize, users: bool) -> Vec<HeadlineSpec> {
    headlines_of(Shape {
        platforms,
        users,
        ..Shape::default()
    })
}

/// Every headline metric of a scenario of shape `shape`: each platform's,
/// each population's, the gatekeeper's.
pub fn headlines_of(shape: Shape) -> Vec<HeadlineSpec> {
    let Shape {
        platforms,
        users,
        money,
        ..
    } = shape;
    let spec = |scope, metric: &Metric| {
        reader(*metric).map(|read| HeadlineSpec {
            scope,
            metric: *metric,
            read,
        })
    };
    // The gatekeeper's reads of metrics a platform has too.
    let gate = |m: &Metric| -> Option<Read> {
        Some(match m {
            Metric::DecidedWithin24h => |r, _, _| r.result.gatekeeper.decided_within_24h,
            Metric::DecidedWithin7d => |r, _, _| r.result.gatekeeper.decided_within_7d,
            _ => return reader(*m),
        })
    };
    // The market's reads of metrics a platform has too: the sum over platforms.
    let market = |m: &Metric| -> Option<Read> {
        Some(match m {
            Metric::GmvTotal(_) => |r, _, w| {
                let platforms = &r.users.as_ref()?.platforms;
                platforms.iter().map(|p| p.gmv_after(w)).sum()
            },
            _ => return reader(*m),
        })
    };
    let mut out = Vec::new();
    for p in 0..platforms {
        if users {
            out.extend(
                Metric::user_headlines(money)
                    .iter()
                    .filter_map(|m| spec(Scope::Platform(p), m)),
            );
        }
        out.extend(
            Metric::PIPELINE_HEADLINES
                .iter()
                .filter_map(|m| spec(Scope::Platform(p), m)),
        );
    }
    for k in 0..shape.populations {
        out.extend(Metric::POPULATION_HEADLINES.iter().filter_map(|m| {
            population_reader(*m).map(|read| HeadlineSpec {
                scope: Scope::Population(k),
                metric: *m,
                read,
            })
        }));
    }
    if users && platforms > 0 {
        out.extend(Metric::market_headlines(money).iter().filter_map(|m| {
            market(m).map(|read| HeadlineSpec {
                scope: Scope::Market,
                metric: *m,
                read,
            })
        }));
    }
    out.extend(Metric::GATE_HEADLINES.iter().filter_map(|m| {
        gate(m).map(|read| HeadlineSpec {
            scope: Scope::Gatekeeper,
            metric: *m,
            read,
        })
    }));
    out
}

/// A headline metric summarised across replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeadlineStat {
    /// Replications in which the metric is defined (count).
    pub n: u64,
    /// Mean across replications (the metric's unit).
    pub mean: Option<f64>,
    /// Standard deviation across replications (the metric's unit).
    pub sd: Option<f64>,
    /// Lower end of the 95% confidence interval of the mean (Student t).
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval of the mean (Student t).
    pub ci_high: Option<f64>,
    /// 5th percentile across replications.
    pub p05: Option<f64>,
    /// Median across replications.
    pub p50: Option<f64>,
    /// 95th percentile across replications.
    pub p95: Option<f64>,
    /// Skewness of the replication values (adjusted Fisher-Pearson G1);
    /// `None` with fewer than three values or no spread.
    pub skewness: Option<f64>,
    /// Replications from which the t interval can be trusted at this
    /// skewness (Cochran's rule, n > 25 G1^2); the interval may cover less
    /// than 95% below it.
    pub replications_for_t: Option<u64>,
}

impl HeadlineStat {
    /// The same statistics of the values multiplied by `k` (> 0).
    pub fn scaled(&self, k: f64) -> HeadlineStat {
        let m = |x: Option<f64>| x.map(|v| v * k);
        HeadlineStat {
            n: self.n,
            mean: m(self.mean),
            sd: m(self.sd),
            ci_low: m(self.ci_low),
            ci_high: m(self.ci_high),
            p05: m(self.p05),
            p50: m(self.p50),
            p95: m(self.p95),
            skewness: self.skewness,
            replications_for_t: self.replications_for_t,
        }
    }

    /// Summarises the defined values of `values`.
    pub fn of(values: &[Option<f64>]) -> HeadlineStat {
        let xs: Vec<f64> = values.iter().flatten().copied().collect();
        let s = Summary::of(&xs);
        let check = skew_check(&xs);
        HeadlineStat {
            n: s.n,
            mean: s.mean,
            sd: s.sd,
            ci_low: s.ci_low,
            ci_high: s.ci_high,
            p05: percentile(&xs, 0.05),
            p50: percentile(&xs, 0.5),
            p95: percentile(&xs, 0.95),
            skewness: check.map(|c| c.skewness),
            replications_for_t: check.map(|c| c.replications_needed),
        }
    }

    /// These statistics with the mean, its interval and the skewness check
    /// taken from `z`, the linearised values of a ratio estimator (a
    /// steady-state mean after an automatic warm-up): the interval is the
    /// bootstrap-t of `z` (1,999 resamples seeded by the values; the
    /// Student t interval when it has none), which the coverage benchmark
    /// found to hold on skewed waits where t does not; the spread and
    /// percentiles stay those of the replications' own values.
    pub(crate) fn with_interval_of(self, z: &[f64]) -> HeadlineStat {
        let s = Summary::of(z);
        let check = skew_check(z);
        let boot = bootstrap_t(z, &Bootstrap::seeded_by(z, "intervals/bootstrap-t"));
        HeadlineStat {
            mean: s.mean,
            ci_low: boot.map(|i| i.low).or(s.ci_low),
            ci_high: boot.map(|i| i.high).or(s.ci_high),
            skewness: check.map(|c| c.skewness),
            replications_for_t: check.map(|c| c.replications_needed),
            ..self
        }
    }

    /// Whether the skewness of the replication values is large enough for
    /// the t interval to cover less than 95% at this number of them.
    pub fn may_under_cover(&self) -> bool {
        self.replications_for_t.is_some_and(|n| self.n < n)
    }

    /// Whether the 95% half-width is within `relative` of |mean| (Law and
    /// Kelton's relative precision, with their correction r / (1 + r)). A
    /// constant metric meets any target; one with fewer than two values none.
    pub fn meets(&self, relative: f64) -> bool {
        match (self.mean, self.ci_low, self.ci_high) {
            (Some(m), Some(lo), Some(hi)) => 0.5 * (hi - lo) <= relative / (1.0 + relative) * m.abs(),
            _ => false,
        }
    }
}
