//! The daily series summarised across replications: what each one is (its
//! scope, name, unit and kind) and how to read its value on a day from one
//! replication. One table, used by the collector and the exporters alike.

use crate::core::metric::Metric;
use crate::core::stats::Kind;
use crate::core::stats::concentration::hhi;
use crate::world::Replication;

/// Whose series it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Platform number `0` (scenario order).
    Platform(usize),
    /// Population number `0` (scenario order), over its members.
    Population(usize),
    /// Watched member number `0` (populations in order, then by index),
    /// measured as a platform is.
    Watched(usize),
    /// The market as a whole.
    Market,
    /// The gatekeeper.
    Gatekeeper,
}

/// The names of a scenario's scopes: its platforms, populations and
/// watched members (`population#index`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// Platform names, in scenario order.
    pub platforms: Vec<String>,
    /// Population names, in scenario order.
    pub populations: Vec<String>,
    /// Watched members' names, in the order of their series.
    pub watched: Vec<String>,
}

impl Names {
    /// The names of scenario `s`'s scopes.
    pub fn of(s: &crate::scenario::Scenario) -> Names {
        Names {
            platforms: s.platforms.iter().map(|p| p.name.clone()).collect(),
            populations: s.populations.iter().map(|p| p.name.clone()).collect(),
            watched: s
                .populations
                .iter()
                .flat_map(|p| p.watch.iter().map(|&i| p.member_name(i)))
                .collect(),
        }
    }

    /// The name of `scope` in outputs: a platform's, a population's or a
    /// watched member's name, `market` or `gatekeeper` (empty if unknown).
    pub fn label(&self, scope: Scope) -> String {
        let get = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        match scope {
            Scope::Platform(p) => get(&self.platforms, p),
            Scope::Population(k) => get(&self.populations, k),
            Scope::Watched(w) => get(&self.watched, w),
            Scope::Market => "market".into(),
            Scope::Gatekeeper => "gatekeeper".into(),
        }
    }
}

impl Scope {
    /// The scope's name in outputs, its scenario's scopes named by `names`.
    pub(crate) fn label(self, names: &Names) -> String {
        names.label(self)
    }
}

impl From<Vec<String>> for Names {
    /// The names of a scenario of these platforms and no population.
    fn from(platforms: Vec<String>) -> Names {
        Names {
            platforms,
            ..Names::default()
        }
    }
}

/// What a scenario's results hold: how many platforms, populations and
/// watched members, whether there are users, and the currency of their
/// orders' value if the scenario gives one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Named platforms (count).
    pub platforms: usize,
    /// Whether the scenario simulates users.
    pub users: bool,
    /// Populations (count).
    pub populations: usize,
    /// Watched members of populations (count).
    pub watched: usize,
    /// The currency of every platform's average order value, when the
    /// scenario gives them (then there are GMV metrics).
    pub money: Option<crate::core::money::Currency>,
}

impl Shape {
    /// The shape of scenario `s`.
    pub fn of(s: &crate::scenario::Scenario) -> Shape {
        Shape {
            platforms: s.platforms.len(),
            users: s.users.is_some(),
            populations: s.populations.len(),
            watched: s.populations.iter().map(|p| p.watch.len()).sum(),
            money: s.users.as_ref().and_then(|u| u.currency),
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

fn watched_days(r: &Replication, w: usize) -> &[crate::model::pipeline::PlatformDay] {
    r.result.watched.get(w).map_or(&[], |x| x.daily.as_slice())
}

fn population_days(r: &Replication, k: usize) -> &[crate::model::pipeline::PopulationDay] {
    r.result.populations.get(k).map_or(&[], |x| x.daily.as_slice())
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

/// An [`Extract`] of a field of watched member `w`'s pipeline day.
macro_rules! watched_field {
    ($f:ident) => {
        |r, w, out, stride| fill(out, stride, watched_days(r, w), |d| d.$f as f64)
    };
}

/// An [`Extract`] of a field of population `k`'s day.
macro_rules! population_field {
    ($f:ident) => {
        |r, k, out, stride| fill(out, stride, population_days(r, k), |d| d.$f as f64)
    };
}

/// An [`Extract`] of an optional field of population `k`'s day (NaN where
/// it is undefined, which the statistics leave out).
macro_rules! population_option {
    ($f:ident) => {
        |r, k, out, stride| fill(out, stride, population_days(r, k), |d| d.$f.unwrap_or(f64::NAN))
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
        Metric::Gmv(_) => |r, p, out, stride| {
            let Some(u) = r.users.as_ref().and_then(|u| u.platforms.get(p)) else {
                return 0;
            };
            let Some(value) = u.average_order_value else {
                return 0;
            };
            fill(out, stride, &u.daily, |d| d.orders as f64 * value)
        },
        Metric::Appeal => user_field!(appeal),
        Metric::ChurnMultiplier => user_field!(churn_multiplier),
        Metric::ChoiceShare => user_field!(choice_share),
        Metric::Pool => |r, _, out, stride| {
            let pool = r.users.as_ref().map_or(&[][..], |u| u.pool.as_slice());
            fill(out, stride, pool, |&n| n as f64)
        },
        Metric::HhiActiveUsers => |r, _, out, stride| {
            let platforms = r.users.as_ref().map_or(&[][..], |u| u.platforms.as_slice());
            let days = platforms.iter().map(|p| p.daily.len()).min().unwrap_or(0);
            let mut active = vec![0.0; platforms.len()];
            let mut written = 0;
            for (d, slot) in out.chunks_mut(stride.max(1)).take(days).enumerate() {
                for (a, p) in active.iter_mut().zip(platforms) {
                    *a = p.daily[d].active as f64;
                }
                if let Some(slot) = slot.first_mut() {
                    *slot = hhi(&active).unwrap_or(f64::NAN);
                    written += 1;
                }
            }
            written
        },
        Metric::Waiting => gate_field!(waiting),
        Metric::InReview => gate_field!(in_review),
        Metric::Held => gate_field!(held),
        Metric::Reviewers => gate_field!(reviewers),
        Metric::UtilisationDaily => |r, _, out, stride| {
            fill(out, stride, &r.result.gatekeeper.daily, |d| {
                d.utilisation.unwrap_or(f64::NAN)
            })
        },
        Metric::DailySubmissions => population_field!(submissions),
        Metric::DailyDecisions => population_field!(decisions),
        Metric::DailyRejections => population_field!(rejections),
        Metric::DailyWithdrawals => population_field!(withdrawals),
        Metric::DailyReleases => population_field!(releases),
        Metric::BuildsWaiting => population_field!(builds_waiting),
        Metric::StalenessMean => population_option!(staleness_mean),
        Metric::StalenessP50 => population_option!(staleness_p50),
        Metric::StalenessP95 => population_option!(staleness_p95),
        Metric::ActiveUsersEnd
        | Metric::ActiveUsersChangePct
        | Metric::OrdersTotal
        | Metric::GmvTotal(_)
        | Metric::MarketShareEnd
        | Metric::HhiActiveUsersEnd
        | Metric::HhiOrders
        | Metric::MeanDau
        | Metric::D30Retention
        | Metric::MeanStalenessDays
        | Metric::ShareOfBuildsReleased
        | Metric::Releases
        | Metric::Rejections
        | Metric::DecisionHoursMean
        | Metric::DecisionHoursP95
        | Metric::DecidedWithin24h
        | Metric::DecidedWithin7d
        | Metric::Submissions
        | Metric::Utilisation
        | Metric::MeanWaiting
        | Metric::QueueWaitHoursMean
        | Metric::QueueWaitHoursP95
        | Metric::ReviewedWaitHoursMean => return None,
    };
    Some(read)
}

/// How to read a watched member's series `m` (a platform's pipeline series).
fn watched_extractor(m: Metric) -> Option<Extract> {
    let read: Extract = match m {
        Metric::StalenessDays => watched_field!(staleness_days),
        Metric::ShareOnLatest => watched_field!(share_on_latest),
        Metric::BuildsCumulative => watched_field!(builds),
        Metric::SubmissionsCumulative => watched_field!(submissions),
        Metric::ApprovalsCumulative => watched_field!(approvals),
        Metric::RejectionsCumulative => watched_field!(rejections),
        Metric::SupersessionsCumulative => watched_field!(supersessions),
        Metric::ReleasesCumulative => watched_field!(releases),
        _ => return None,
    };
    Some(read)
}

/// Every daily series of a scenario with `platforms` platforms (and users
/// if `users`), and no population.
pub fn series(platforms: usize, users: bool) -> Vec<SeriesSpec> {
    series_of(Shape {
        platforms,
        users,
        ..Shape::default()
    })
}

/// Every daily series of a scenario of shape `shape`: each platform's,
/// each population's and each watched member's, the market's, the
/// gatekeeper's.
pub fn series_of(shape: Shape) -> Vec<SeriesSpec> {
    let Shape {
        platforms,
        users,
        populations,
        watched,
        money,
    } = shape;
    let kind = |metric: &Metric| if metric.is_count() { Kind::Count } else { Kind::Real };
    let spec = |scope, metric: &Metric| {
        extractor(*metric).map(|extract| SeriesSpec {
            scope,
            metric: *metric,
            kind: kind(metric),
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
            out.extend(
                Metric::user_series(money)
                    .iter()
                    .filter_map(|m| spec(Scope::Platform(p), m)),
            );
        }
    }
    for k in 0..populations {
        out.extend(
            Metric::POPULATION_SERIES
                .iter()
                .filter_map(|m| spec(Scope::Population(k), m)),
        );
    }
    for w in 0..watched {
        out.extend(Metric::PIPELINE_SERIES.iter().filter_map(|m| {
            watched_extractor(*m).map(|extract| SeriesSpec {
                scope: Scope::Watched(w),
                metric: *m,
                kind: kind(m),
                extract,
            })
        }));
    }
    if users {
        out.extend(Metric::MARKET_SERIES.iter().filter_map(|m| spec(Scope::Market, m)));
    }
    out.extend(Metric::GATE_SERIES.iter().filter_map(|m| spec(Scope::Gatekeeper, m)));
    if populations > 0 {
        out.extend(
            Metric::GATE_POPULATION_SERIES
                .iter()
                .filter_map(|m| spec(Scope::Gatekeeper, m)),
        );
    }
    out
}

/// The index a series reads: its platform's, population's or watched
/// member's (0 for market and gatekeeper series).
pub(crate) fn platform_index(scope: Scope) -> usize {
    match scope {
        Scope::Platform(i) | Scope::Population(i) | Scope::Watched(i) => i,
        Scope::Market | Scope::Gatekeeper => 0,
    }
}
