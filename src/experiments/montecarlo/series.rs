//! The daily series summarised across replications: what each one is (its
//! scope, name, unit and kind) and how to read its value on a day from one
//! replication. One table, used by the collector and the exporters alike.

use crate::core::metric::Metric;
use crate::core::stats::Kind;
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

impl Scope {
    /// The scope's name in outputs, the platforms named by `platforms`:
    /// the platform's name, `market` or `gatekeeper`.
    pub(crate) fn label(self, platforms: &[String]) -> String {
        match self {
            Scope::Platform(p) => platforms.get(p).cloned().unwrap_or_default(),
            Scope::Market => "market".into(),
            Scope::Gatekeeper => "gatekeeper".into(),
        }
    }
}

/// Reads a series from a replication: (replication, platform, out, stride)
/// writes its value on day d to `out[d * stride]`, for each day it has (as
/// many as `out` holds), and returns how many days that is. One call reads
/// every day, in a loop the compiler specialises for the field; the stride
/// lets the collector write straight into its table of replications by day.
pub(crate) type Extract = fn(&Replication, usize, &mut [f64], usize) -> usize;

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

fn user_days(r: &Replication, p: usize) -> &[crate::model::users::UserDay] {
    r.users
        .as_ref()
        .and_then(|u| u.platforms.get(p))
        .map_or(&[], |u| u.daily.as_slice())
}

fn platform_days(r: &Replication, p: usize) -> &[crate::model::pipeline::PlatformDay] {
    r.result.platforms.get(p).map_or(&[], |x| x.daily.as_slice())
}

fn fill<T>(out: &mut [f64], stride: usize, days: &[T], value: impl Fn(&T) -> f64) -> usize {
    // Chunks of `stride` starting at each slot: a pointer step per day
    // (stepping an iterator by `stride` costs a call to `nth` per day).
    let mut written = 0;
    for (chunk, d) in out.chunks_mut(stride.max(1)).zip(days) {
        if let Some(slot) = chunk.first_mut() {
            *slot = value(d);
            written += 1;
        }
    }
    written
}

/// An [`Extract`] of a field of platform `p`'s pipeline day.
macro_rules! platform_field {
    ($f:ident) => {
        |r, p, out, stride| fill(out, stride, platform_days(r, p), |d| d.$f as f64)
    };
}

/// An [`Extract`] of a field of platform `p`'s user day.
macro_rules! user_field {
    ($f:ident) => {
        |r, p, out, stride| fill(out, stride, user_days(r, p), |d| d.$f as f64)
    };
}

/// An [`Extract`] of a field of the gatekeeper's day.
macro_rules! gate_field {
    ($f:ident) => {
        |r, _, out, stride| fill(out, stride, &r.result.gatekeeper.daily, |d| d.$f as f64)
    };
}

/// How to read series `m` from a replication; `None` for a headline metric.
fn extractor(m: Metric) -> Option<Extract> {
    let read: Extract = match m {
        Metric::StalenessDays => platform_field!(staleness_days),
        Metric::OpenDefects => platform_field!(open_defects),
        Metric::ShareOnLatest => platform_field!(share_on_latest),
        Metric::BuildsCumulative => platform_field!(builds),
        Metric::SubmissionsCumulative => platform_field!(submissions),
        Metric::ApprovalsCumulative => platform_field!(approvals),
        Metric::RejectionsCumulative => platform_field!(rejections),
        Metric::SupersessionsCumulative => platform_field!(supersessions),
        Metric::ReleasesCumulative => platform_field!(releases),
        Metric::ActiveUsers => user_field!(active),
        Metric::Dau => user_field!(dau),
        Metric::NewUsers => user_field!(new_users),
        Metric::ChurnedUsers => user_field!(churned),
        Metric::SwitchedIn => user_field!(switched_in),
        Metric::SwitchedOut => user_field!(switched_out),
        Metric::Orders => user_field!(orders),
        Metric::Appeal => user_field!(appeal),
        Metric::ChurnMultiplier => user_field!(churn_multiplier),
        Metric::ChoiceShare => user_field!(choice_share),
        Metric::Pool => |r, _, out, stride| {
            let pool = r.users.as_ref().map_or(&[][..], |u| u.pool.as_slice());
            fill(out, stride, pool, |&n| n as f64)
        },
        Metric::Waiting => gate_field!(waiting),
        Metric::InReview => gate_field!(in_review),
        Metric::Held => gate_field!(held),
        Metric::Reviewers => gate_field!(reviewers),
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
pub(crate) fn platform_index(scope: Scope) -> usize {
    match scope {
        Scope::Platform(p) => p,
        Scope::Market | Scope::Gatekeeper => 0,
    }
}
