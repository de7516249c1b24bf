//! `summary.json`: the run's identity (gatesim version, scenario, seed,
//! replication) and every metric of the replication except the daily series
//! (in `timeseries.csv`) and the cohort curves (in `cohorts.csv`): per
//! platform its pipeline and, with users, its users' headline outcomes; the
//! market's pool and flows between platforms (row 0: users new to every
//! platform, row 1 + q: former users of platform q; column: platform
//! adopted). Undefined statistics are `null`.

use crate::pipeline::{DurationStats, PipelineResult, PlatformCounts};
use crate::platform::Release;
use crate::users::{UsersHeadline, UsersResult};
use serde::Serialize;

/// Identity of a run, written at the top of the summary.
#[derive(Clone, Debug, Serialize)]
pub struct RunInfo<'a> {
    /// gatesim's version.
    pub gatesim_version: &'a str,
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replication index.
    pub replication: u64,
    /// Horizon (days).
    pub horizon_days: u32,
    /// Warm-up left out of the statistics (days).
    pub warmup_days: u32,
    /// Events processed by the engine (count).
    pub events: u64,
}

#[derive(Serialize)]
struct PlatformView<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    users: Option<UsersHeadline>,
    counts: &'a PlatformCounts,
    decision_hours: &'a DurationStats,
    build_to_release_days: &'a DurationStats,
    mean_staleness_days: Option<f64>,
    final_staleness_days: Option<f64>,
    releases: &'a [Release],
}

#[derive(Serialize)]
struct GateView<'a> {
    reviewers_at_end: u32,
    mean_waiting: Option<f64>,
    mean_in_review: Option<f64>,
    mean_held: Option<f64>,
    utilisation: Option<f64>,
    queue_entries: u64,
    arrival_rate_per_hour: Option<f64>,
    queue_wait_hours: &'a DurationStats,
    review_hours: &'a DurationStats,
    max_waiting: u64,
}

#[derive(Serialize)]
struct MarketView<'a> {
    potential_users: u64,
    pool_start: u64,
    pool_end: u64,
    flows: &'a [Vec<u64>],
}

#[derive(Serialize)]
struct Summary<'a> {
    run: &'a RunInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<MarketView<'a>>,
    platforms: Vec<PlatformView<'a>>,
    gatekeeper: GateView<'a>,
    resolved_scenario: &'a serde_json::Value,
}

/// The JSON bytes. `resolved` is the resolved scenario as JSON.
pub fn summary_json(
    info: &RunInfo<'_>,
    r: &PipelineResult,
    users: Option<&UsersResult>,
    resolved: &serde_json::Value,
) -> Vec<u8> {
    let g = &r.gatekeeper;
    let warmup = u64::from(info.warmup_days);
    let s = Summary {
        run: info,
        market: users.map(|u| MarketView {
            potential_users: u.potential_users,
            pool_start: u.pool.get(warmup as usize).copied().unwrap_or(0),
            pool_end: u.pool.last().copied().unwrap_or(0),
            flows: &u.flows,
        }),
        platforms: r
            .platforms
            .iter()
            .enumerate()
            .map(|(i, p)| PlatformView {
                name: &p.name,
                users: users.and_then(|u| u.platforms.get(i)).map(|pu| pu.headline(warmup)),
                counts: &p.counts,
                decision_hours: &p.decision_hours,
                build_to_release_days: &p.build_to_release_days,
                mean_staleness_days: p.mean_staleness_days,
                final_staleness_days: p.final_staleness_days,
                releases: &p.releases,
            })
            .collect(),
        gatekeeper: GateView {
            reviewers_at_end: g.reviewers_at_end,
            mean_waiting: g.mean_waiting,
            mean_in_review: g.mean_in_review,
            mean_held: g.mean_held,
            utilisation: g.utilisation,
            queue_entries: g.queue_entries,
            arrival_rate_per_hour: g.arrival_rate_per_hour,
            queue_wait_hours: &g.queue_wait_hours,
            review_hours: &g.review_hours,
            max_waiting: g.max_waiting,
        },
        resolved_scenario: resolved,
    };
    let mut bytes = serde_json::to_vec_pretty(&s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    bytes.push(b'\n');
    bytes
}
