//! What the charts need to know about a scenario: the dated policy changes
//! to mark, the platform to pick out (the one whose class blocks it, or
//! else the one a change moves), and whether every experience effect is off
//! (then the cohort chart shows the sBG closed form). Turns a run's results
//! into chart files under `charts/`.

use super::AppError;
use crate::core::theory::sbg_survival;
use crate::experiments::montecarlo::MonteCarloResult;
use crate::model::policy::Change;
use crate::present::plot::{Format, Marker, RunCharts, run_charts};
use crate::scenario::Scenario;
use crate::world::run_replication;

/// The dated changes and market events within the run, as chart markers.
pub(super) fn markers(s: &Scenario) -> Vec<Marker> {
    let changes = s.changes.iter().map(|c| {
        let label = match &c.change {
            Change::PlatformClass { platform, class } => {
                format!(
                    "{} → {}",
                    s.platforms[*platform].name, s.gatekeeper.classes[*class].name
                )
            }
            Change::Reviewers(n) => format!("{n} reviewers"),
        };
        (c.day, label)
    });
    let events = s.users.iter().flat_map(|u| &u.events).map(|e| {
        (
            e.day,
            format!("{} utility {:+}", s.platforms[e.platform].name, e.base_utility),
        )
    });
    changes
        .chain(events)
        .filter(|(day, _)| *day > 0.0 && *day < f64::from(s.horizon_days))
        .map(|(day, label)| Marker { day, label })
        .collect()
}

/// The platform to pick out: the first whose starting class never ends its
/// hold, else the first moved by a change.
pub(super) fn focal(s: &Scenario) -> Option<usize> {
    s.platforms
        .iter()
        .position(|p| s.gatekeeper.classes[p.class].hold_days.is_never())
        .or_else(|| {
            s.changes.iter().find_map(|c| match c.change {
                Change::PlatformClass { platform, .. } => Some(platform),
                Change::Reviewers(_) => None,
            })
        })
}

/// Per platform, the sBG closed-form survival at ages 0 to the horizon,
/// when nothing moves churn.
fn sbg_reference(s: &Scenario) -> Option<Vec<Vec<(f64, f64)>>> {
    let u = s.users.as_ref().filter(|u| u.sensitivities.churn_effects_off())?;
    let ages = 0..=u64::from(s.horizon_days);
    let curve = |a: f64, b: f64| ages.clone().map(|t| (t as f64, sbg_survival(a, b, t as f64))).collect();
    Some(u.platforms.iter().map(|p| curve(p.churn_alpha, p.churn_beta)).collect())
}

/// The chart files of a run, named `charts/<chart>.<format>`.
pub(super) fn run_chart_files(
    s: &Scenario,
    r: &MonteCarloResult,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    let timeline = run_replication(s, 0, true)
        .map_err(AppError::failed)?
        .trace
        .unwrap_or_default();
    let input = RunCharts {
        scenario: &s.name,
        seed: s.seed,
        result: r,
        timeline: &timeline,
        horizon_days: s.horizon_days,
        markers: markers(s),
        focal: focal(s),
        potential_users: s.users.as_ref().map(|u| u.potential_users),
        sbg_reference: sbg_reference(s),
    };
    let files = run_charts(&input, formats).map_err(|e| AppError::run_because("cannot draw the charts", e))?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("charts/{name}"), bytes))
        .collect())
}
