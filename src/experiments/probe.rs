//! The outputs a sensitivity analysis reads from each replication: headline
//! metrics of a scope (a platform or the gatekeeper), picked by name
//! (`active_users_end` for every platform, `Taocaicai.orders_total` for
//! one, `gatekeeper.utilisation`), or by default the headline metrics of
//! every platform's users (of its pipeline when the scenario has no users).

use crate::analysis::sensitivity::Output;
use crate::core::metric::Metric;
use crate::experiments::montecarlo::headline::Read;
use crate::experiments::montecarlo::series::Scope;
use crate::scenario::Scenario;
use crate::scenario::problem::did_you_mean;
use crate::world::Replication;

/// One output: a headline metric of a scope, and how to read it.
#[derive(Clone, Copy)]
pub struct Probe {
    /// Whose.
    pub scope: Scope,
    /// Which.
    pub metric: Metric,
    read: Read,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Probe({:?}, {})", self.scope, self.metric)
    }
}

impl Probe {
    /// Its value in replication `r` of a scenario with `warmup` days of
    /// warm-up; `None` when undefined there.
    pub fn read(&self, r: &Replication, warmup: u64) -> Option<f64> {
        let p = crate::experiments::montecarlo::series::platform_index(self.scope);
        (self.read)(r, p, warmup).filter(|v| v.is_finite())
    }

    /// The output it is, named for scenario `s`.
    pub fn output(&self, s: &Scenario) -> Output {
        Output::new(scope_name(self.scope, s), self.metric.name(), self.metric.unit().name())
    }
}

/// A scope's name in outputs.
pub(crate) fn scope_name(scope: Scope, s: &Scenario) -> String {
    crate::experiments::montecarlo::series::Names::of(s).label(scope)
}

/// The probes `names` ask for in scenario `s` (every name's probes in
/// order, each once), or the defaults when `names` is empty.
pub fn select(s: &Scenario, names: &[String]) -> Result<Vec<Probe>, String> {
    let shape = crate::experiments::montecarlo::series::Shape::of(s);
    let all: Vec<Probe> = crate::experiments::montecarlo::headline::headlines_of(shape)
        .into_iter()
        .map(|h| Probe {
            scope: h.scope,
            metric: h.metric,
            read: h.read,
        })
        .collect();
    if names.is_empty() {
        let wanted: &[Metric] = if s.users.is_some() {
            &Metric::USER_HEADLINES
        } else {
            &Metric::PIPELINE_HEADLINES
        };
        return Ok(all
            .into_iter()
            .filter(|p| matches!(p.scope, Scope::Platform(_)) && wanted.contains(&p.metric))
            .collect());
    }
    let mut out: Vec<Probe> = Vec::new();
    for name in names {
        for p in pick(s, &all, name.trim())? {
            if !out.iter().any(|q| q.scope == p.scope && q.metric == p.metric) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// The probes one `--metric` names.
fn pick(s: &Scenario, all: &[Probe], name: &str) -> Result<Vec<Probe>, String> {
    let mut metric_names: Vec<&str> = Metric::headlines().map(Metric::name).collect();
    // The scenario's money headlines, named like the others (`gmv_total`).
    for p in all {
        if p.metric.unit().currency().is_some() && !metric_names.contains(&p.metric.name()) {
            metric_names.push(p.metric.name());
        }
    }
    let (scope, metric) = match name.rsplit_once('.') {
        Some((scope, metric)) => (Some(scope), metric),
        None => (None, name),
    };
    let named = all.iter().map(|p| p.metric).find(|m| m.name() == metric);
    if named.is_none() && metric == "gmv_total" {
        return Err(format!(
            "--metric {name}: `gmv_total` needs every platform's users.average_order_value and users.currency, which the scenario does not give"
        ));
    }
    let Some(m) = named.or_else(|| Metric::headline_named(metric)) else {
        return Err(format!(
            "--metric {name}: no headline metric named `{metric}`.{} Known: {}",
            did_you_mean(metric, metric_names.iter().copied()),
            metric_names.join(", ")
        ));
    };
    let found: Vec<Probe> = all
        .iter()
        .filter(|p| p.metric == m && scope.is_none_or(|sc| scope_name(p.scope, s) == sc))
        .copied()
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    let scopes: Vec<String> = all
        .iter()
        .filter(|p| p.metric == m)
        .map(|p| scope_name(p.scope, s))
        .collect();
    Err(match (scope, scopes.is_empty()) {
        (_, true) => format!("--metric {name}: `{metric}` needs the scenario's [users] table, which it does not have"),
        (Some(sc), false) => format!(
            "--metric {name}: `{metric}` has no scope named \"{sc}\".{} Scopes: {}",
            did_you_mean(sc, scopes.iter().map(String::as_str)),
            scopes.join(", ")
        ),
        (None, false) => format!("--metric {name}: nothing to read"),
    })
}
