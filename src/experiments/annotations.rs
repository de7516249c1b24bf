//! What a reader of a scenario's results needs besides the numbers: its
//! name, question, seed, length and calendar start, the dated changes to mark on charts
//! over days, the platform to pick out, the market's size and, when nothing
//! moves churn, the retention law's parameters to draw the closed form
//! beside the simulated curves. Taken from the scenario once, carried by
//! the results, so files and charts never read the scenario or the model.

use crate::core::calendar::Date;
use crate::model::policy::Change;
use crate::scenario::Scenario;
use serde::Serialize;

/// A dated change to mark on a chart over days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Marker {
    /// Day (days since the start).
    pub day: f64,
    /// Label, e.g. "Taocaicai → standard".
    pub label: String,
}

/// The scenario's facts a result carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    /// Scenario name.
    pub scenario: String,
    /// The question the scenario asks (its description; may be empty).
    pub description: String,
    /// Seed.
    pub seed: u64,
    /// Length of the run (days).
    pub horizon_days: u32,
    /// Days left out of the statistics at the start.
    pub warmup_days: u32,
    /// Whether the warm-up is chosen after the run (`warmup_days = "auto"`).
    pub warmup_auto: bool,
    /// The calendar date of day 0, if the scenario gives one.
    pub start_date: Option<Date>,
    /// Dated policy changes and market events within the run.
    pub markers: Vec<Marker>,
    /// The platform to pick out, if any: the first whose starting class
    /// never ends its hold, else the first a change moves.
    pub focal: Option<usize>,
    /// Market size (households), when the scenario has users.
    pub potential_users: Option<u64>,
    /// Per platform, the sBG churn parameters (alpha, beta), given when
    /// every experience effect on churn is off (then the closed form holds).
    pub sbg: Option<Vec<(f64, f64)>>,
}

impl Annotations {
    /// The annotations of scenario `s`.
    pub(crate) fn of(s: &Scenario) -> Annotations {
        Annotations {
            scenario: s.name.clone(),
            description: s.description.clone(),
            seed: s.seed,
            horizon_days: s.horizon_days,
            warmup_days: s.warmup_days,
            warmup_auto: s.auto_warmup,
            start_date: s.start_date,
            markers: markers(s),
            focal: focal(s),
            potential_users: s.users.as_ref().map(|u| u.potential_users),
            sbg: s
                .users
                .as_ref()
                .filter(|u| u.sensitivities.churn_effects_off())
                .map(|u| u.platforms.iter().map(|p| (p.churn_alpha, p.churn_beta)).collect()),
        }
    }
}

/// The dated changes and market events within the run, as markers.
fn markers(s: &Scenario) -> Vec<Marker> {
    let changes = s.changes.iter().map(|c| {
        let label = match &c.change {
            Change::PlatformClass { platform, class } => {
                format!(
                    "{} → {}",
                    s.platforms[*platform].name, s.gatekeeper.classes[*class].name
                )
            }
            Change::PopulationClass { population, class } => {
                format!(
                    "{} → {}",
                    s.populations[*population].name, s.gatekeeper.classes[*class].name
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
fn focal(s: &Scenario) -> Option<usize> {
    s.platforms
        .iter()
        .position(|p| s.gatekeeper.classes[p.class].hold_days.is_never())
        .or_else(|| {
            s.changes.iter().find_map(|c| match c.change {
                Change::PlatformClass { platform, .. } => Some(platform),
                Change::Reviewers(_) | Change::PopulationClass { .. } => None,
            })
        })
}
