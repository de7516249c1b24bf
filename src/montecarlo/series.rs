//! The daily series summarised across replications: what each one is (its
//! scope, name, unit and kind) and how to read its value on a day from one
//! replication. One table, used by the collector and the exporters alike.

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

/// One daily series.
#[derive(Clone, Copy)]
pub struct SeriesSpec {
    /// Whose.
    pub scope: Scope,
    /// Name in outputs.
    pub metric: &'static str,
    /// Unit in outputs.
    pub unit: &'static str,
    /// Count or real.
    pub kind: Kind,
    /// How to read it.
    pub extract: Extract,
}

type Def = (&'static str, &'static str, Kind, Extract);

/// Per-platform series of the pipeline.
const PIPELINE: [Def; 9] = [
    ("staleness_days", "days", Kind::Real, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.staleness_days)
    }),
    ("open_defects", "defects", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.open_defects as f64)
    }),
    ("share_on_latest", "share", Kind::Real, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.share_on_latest)
    }),
    ("builds", "builds, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.builds as f64)
    }),
    ("submissions", "submissions, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.submissions as f64)
    }),
    ("approvals", "approvals, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.approvals as f64)
    }),
    ("rejections", "rejections, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.rejections as f64)
    }),
    ("supersessions", "supersessions, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.supersessions as f64)
    }),
    ("releases", "releases, cumulative", Kind::Count, |r, p, d| {
        Some(r.result.platforms[p].daily.get(d)?.releases as f64)
    }),
];

fn user_day(r: &Replication, p: usize, d: usize) -> Option<&crate::users::UserDay> {
    r.users.as_ref()?.platforms.get(p)?.daily.get(d)
}

/// Per-platform series of the users.
const USERS: [Def; 10] = [
    ("active_users", "users", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.active as f64)
    }),
    ("dau", "users", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.dau as f64)
    }),
    ("new_users", "users per day", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.new_users as f64)
    }),
    ("churned_users", "users per day", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.churned as f64)
    }),
    ("switched_in", "users per day", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.switched_in as f64)
    }),
    ("switched_out", "users per day", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.switched_out as f64)
    }),
    ("orders", "orders per day", Kind::Count, |r, p, d| {
        Some(user_day(r, p, d)?.orders as f64)
    }),
    ("appeal", "appeal points", Kind::Real, |r, p, d| {
        Some(user_day(r, p, d)?.appeal)
    }),
    ("churn_multiplier", "multiplier", Kind::Real, |r, p, d| {
        Some(user_day(r, p, d)?.churn_multiplier)
    }),
    ("choice_share", "share", Kind::Real, |r, p, d| {
        Some(user_day(r, p, d)?.choice_share)
    }),
];

const MARKET: [Def; 1] = [("pool", "users", Kind::Count, |r, _, d| {
    Some(*r.users.as_ref()?.pool.get(d)? as f64)
})];

const GATEKEEPER: [Def; 4] = [
    ("waiting", "submissions", Kind::Count, |r, _, d| {
        Some(r.result.gatekeeper.daily.get(d)?.waiting as f64)
    }),
    ("in_review", "submissions", Kind::Count, |r, _, d| {
        Some(r.result.gatekeeper.daily.get(d)?.in_review as f64)
    }),
    ("held", "submissions", Kind::Count, |r, _, d| {
        Some(r.result.gatekeeper.daily.get(d)?.held as f64)
    }),
    ("reviewers", "reviewers", Kind::Count, |r, _, d| {
        Some(f64::from(r.result.gatekeeper.daily.get(d)?.reviewers))
    }),
];

/// Every daily series of a scenario with `platforms` platforms (and users if `users`).
pub fn series(platforms: usize, users: bool) -> Vec<SeriesSpec> {
    let spec = |scope, (metric, unit, kind, extract): Def| SeriesSpec {
        scope,
        metric,
        unit,
        kind,
        extract,
    };
    let mut out = Vec::new();
    for p in 0..platforms {
        out.extend(PIPELINE.iter().map(|&d| spec(Scope::Platform(p), d)));
        if users {
            out.extend(USERS.iter().map(|&d| spec(Scope::Platform(p), d)));
        }
    }
    if users {
        out.extend(MARKET.iter().map(|&d| spec(Scope::Market, d)));
    }
    out.extend(GATEKEEPER.iter().map(|&d| spec(Scope::Gatekeeper, d)));
    out
}

/// The platform index a series reads (0 for market and gatekeeper series).
pub fn platform_index(scope: Scope) -> usize {
    match scope {
        Scope::Platform(p) => p,
        Scope::Market | Scope::Gatekeeper => 0,
    }
}
