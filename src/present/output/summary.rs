//! `summary.json`: the run's identity (gatesim version, scenario, seed,
//! replications, precision), every headline metric with its mean, standard
//! deviation, 95% confidence interval and percentiles across replications,
//! the mean flows between platforms, and the resolved scenario. Undefined
//! statistics are `null` (e.g. a decision time when nothing was decided, or
//! an interval from a single replication).

use crate::core::calendar::Date;
use crate::core::numbers::counted;
use crate::experiments::annotations::Annotations;
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
    /// The calendar date of day 0 (YYYY-MM-DD), if the scenario gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Whether the warm-up was chosen after the run (`warmup_days = "auto"`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warmup_auto: bool,
}

impl<'a> RunInfo<'a> {
    /// The identity of a run of the scenario annotated by `a`.
    pub(crate) fn of(a: &'a Annotations) -> RunInfo<'a> {
        RunInfo {
            gatesim_version: env!("CARGO_PKG_VERSION"),
            scenario: &a.scenario,
            seed: a.seed,
            horizon_days: a.horizon_days,
            warmup_days: a.warmup_days,
            start_date: a.start_date.map(|d| d.to_string()),
            warmup_auto: a.warmup_auto,
        }
    }

    /// The run's span for a reader: `365 days`, or `365 days, 2021-11-16
    /// to 2022-11-16` when it starts on a date.
    pub(crate) fn span(&self) -> String {
        let days = counted(self.horizon_days, "day");
        match self.start_date.as_deref().map(Date::parse) {
            Some(Ok(start)) => format!("{days}, {start} to {}", start.plus_days(i64::from(self.horizon_days))),
            _ => days,
        }
    }
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
