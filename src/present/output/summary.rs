//! `summary.json`: the run's identity (gatesim version, scenario, seed,
//! replications, precision), every headline metric with its mean, standard
//! deviation, 95% confidence interval and percentiles across replications,
//! the mean flows between platforms, and the resolved scenario. Undefined
//! statistics are `null` (e.g. a decision time when nothing was decided, or
//! an interval from a single replication).

use crate::experiments::montecarlo::{AutoWarmup, Headline, MonteCarloResult, PrecisionReport};
use serde::Serialize;

/// Identity of a run, written at the top of the summary. It holds nothing
/// that depends on how the run was computed (threads, timing), so the file
/// is byte-identical for the same inputs.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct RunInfo<'a> {
    /// gatesim's version.
    pub gatesim_version: &'a str,
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed of every random stream.
    pub seed: u64,
    /// Horizon (days).
    pub horizon_days: u32,
    /// Warm-up left out of the headline statistics (days; 0 with an
    /// automatic warm-up, whose choice is `auto_warmup`).
    pub warmup_days: u32,
    /// Whether the warm-up was chosen after the run (`warmup_days = "auto"`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warmup_auto: bool,
}

#[derive(Serialize)]
struct Market<'a> {
    /// Row labels: origins of adopters.
    origins: Vec<String>,
    /// Column labels: platforms adopted.
    platforms: &'a [String],
    /// Mean adoptions per replication (users).
    mean_flows: &'a [Vec<f64>],
}

#[derive(Serialize)]
struct Summary<'a> {
    run: &'a RunInfo<'a>,
    replications: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_warmup: Option<&'a AutoWarmup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'a PrecisionReport>,
    events_total: String,
    headlines: &'a [Headline],
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<Market<'a>>,
    resolved_scenario: &'a serde_json::Value,
}

/// The JSON bytes. `resolved` is the resolved scenario as JSON.
pub(crate) fn summary_json(info: &RunInfo<'_>, r: &MonteCarloResult, resolved: &serde_json::Value) -> Vec<u8> {
    let market = (!r.flows.is_empty()).then(|| Market {
        origins: std::iter::once("no platform before".to_string())
            .chain(r.platforms.iter().map(|p| format!("former users of {p}")))
            .collect(),
        platforms: &r.platforms,
        mean_flows: &r.flows,
    });
    let s = Summary {
        run: info,
        replications: r.replications,
        auto_warmup: r.auto_warmup.as_ref(),
        precision: r.precision.as_ref(),
        events_total: r.events.to_string(),
        headlines: &r.headlines,
        market,
        resolved_scenario: resolved,
    };
    let mut bytes = serde_json::to_vec_pretty(&s).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    bytes.push(b'\n');
    bytes
}
