//! The daily series summarised across replications: what each one is (its
//! scope, name, unit and kind) and how to read its value on a day from one
//! replication. One table, used by the collector and the exporters alike.

use crate::metric::Metric;
use crate::stats::Kind;
use crate::world::Replication;

/// Whose series it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Platform number `0` (scenario order).
    Platform(usize),
    /// The market as a whole.
    Market,
    /// The gatekeeper.
    Gatekeeper,
}

/// Reads the value of a series on a day: (replication, platform, day).
pub type Extract = fn(&Replication, usize, usize) -> Option<f64>;

/// One daily series of one scope.
#[derive(Clone, Copy)]
pub struct SeriesSpec {
    /// Whose.
    pub scope: Scope,
    /// Which.
    pub metric: Metric,
    /// Count or real.
    pub kind: Kind,
    /// How to read it.
    pub extract: Extract,
}

fn user_day(r: &Replication, p: usize, d: usize) -> Option<&crate::users::UserDay> {
    r.users.as_ref()?.platforms.get(p)?.daily.get(d)
}

fn platform_day(r: &Replication, p: usize, d: usize) -> Option<&crate::pipeline::PlatformDay> {
    r.result.platforms.get(p)?.daily.get(d)
}

fn gate_day(r: &Replication, d: usize) -> Option<&crate::pipeline::GateDay> {
    r.result.gatekeeper.daily.get(d)
}

/// How to read series `m` from a replication; `None` for a headline metric.
fn extractor(m: Metric) -> Option<Extract> {
    let read: Extract = match m {
        Metric::StalenessDays => |r, p, d| Some(platform_day(r, p, d)?.staleness_days),
        Metric::OpenDefects => |r, p, d| Some(platform_day(r, p, d)?.open_defects as f64),
        Metric::ShareOnLatest => |r, p, d| Some(platform_day(r, p, d)?.share_on_latest),
        Metric::BuildsCumulative => |r, p, d| Some(platform_day(r, p, d)?.builds as f64),
        Metric::SubmissionsCumulative => |r, p, d| Some(platform_day(r, p, d)?.submissions as f64),
        Metric::ApprovalsCumulative => |r, p, d| Some(platform_day(r, p, d)?.approvals as f64),
        Metric::RejectionsCumulative => |r, p, d| Some(platform_day(r, p, d)?.rejections as f64),
        Metric::SupersessionsCumulative => |r, p, d| Some(platform_day(r, p, d)?.supersessions as f64),
        Metric::ReleasesCumulative => |r, p, d| Some(platform_day(r, p, d)?.releases as f64),
        Metric::ActiveUsers => |r, p, d| Some(user_day(r, p, d)?.active as f64),
        Metric::Dau => |r, p, d| Some(user_day(r, p, d)?.dau as f64),
        Metric::NewUsers => |r, p, d| Some(user_day(r, p, d)?.new_users as f64),
        Metric::ChurnedUsers => |r, p, d| Some(user_day(r, p, d)?.churned as f64),
        Metric::SwitchedIn => |r, p, d| Some(user_day(r, p, d)?.switched_in as f64),
        Metric::SwitchedOut => |r, p, d| Some(user_day(r, p, d)?.switched_out as f64),
        Metric::Orders => |r, p, d| Some(user_day(r, p, d)?.orders as f64),
        Metric::Appeal => |r, p, d| Some(user_day(r, p, d)?.appeal),
        Metric::ChurnMultiplier => |r, p, d| Some(user_day(r, p, d)?.churn_multiplier),
        Metric::ChoiceShare => |r, p, d| Some(user_day(r, p, d)?.choice_share),
        Metric::Pool => |r, _, d| Some(*r.users.as_ref()?.pool.get(d)? as f64),
        Metric::Waiting => |r, _, d| Some(gate_day(r, d)?.waiting as f64),
        Metric::InReview => |r, _, d| Some(gate_day(r, d)?.in_review as f64),
        Metric::Held => |r, _, d| Some(gate_day(r, d)?.held as f64),
        Metric::Reviewers => |r, _, d| Some(f64::from(gate_day(r, d)?.reviewers)),
        Metric::ActiveUsersEnd
        | Metric::ActiveUsersChangePct
        | Metric::OrdersTotal
        | Metric::MeanDau
        | Metric::D30Retention
        | Metric::MeanStalenessDays
        | Metric::ShareOfBuildsReleased
        | Metric::Releases
        | Metric::Rejections
        | Metric::DecisionHoursMean
        | Metric::DecisionHoursP95
        | Metric::Utilisation
        | Metric::MeanWaiting
        | Metric::QueueWaitHoursMean
        | Metric::QueueWaitHoursP95
        | Metric::ReviewedWaitHoursMean => return None,
    };
    Some(read)
}

/// Every daily series of a scenario with `platforms` platforms (and users if `users`).
pub fn series(platforms: usize, users: bool) -> Vec<SeriesSpec> {
    let spec = |scope, metric: &Metric| {
        extractor(*metric).map(|extract| SeriesSpec {
            scope,
            metric: *metric,
            kind: if metric.is_count() { Kind::Count } else { Kind::Real },
            extract,
        })
    };
    let mut out = Vec::new();
    for p in 0..platforms {
        out.extend(
            Metric::PIPELINE_SERIES
                .iter()
                .filter_map(|m| spec(Scope::Platform(p), m)),
        );
        if users {
            out.extend(Metric::USER_SERIES.iter().filter_map(|m| spec(Scope::Platform(p), m)));
        }
    }
    if users {
        out.extend(Metric::MARKET_SERIES.iter().filter_map(|m| spec(Scope::Market, m)));
    }
    out.extend(Metric::GATE_SERIES.iter().filter_map(|m| spec(Scope::Gatekeeper, m)));
    out
}

/// The platform index a series reads (0 for market and gatekeeper series).
pub fn platform_index(scope: Scope) -> usize {
    match scope {
        Scope::Platform(p) => p,
        Scope::Market | Scope::Gatekeeper => 0,
    }
}
