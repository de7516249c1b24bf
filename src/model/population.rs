//! Populations: many independent platforms that share one set of
//! parameters (the gatekeeper's whole ecosystem of mini-programs, beside
//! the few platforms a question names). Each member cuts, submits, fixes
//! and releases builds exactly as a named platform does, under the same
//! rules and the same shared gatekeeper; what a population lacks is users
//! (a member's releases move no market) and the per-build appeal and
//! defects that only users read. Validated parameters only; the pipeline
//! keeps each member's state compactly and counts the population as a
//! whole.

use crate::core::dist::Dist;
use crate::model::gatekeeper::ClassId;
use crate::model::platform::ExpeditePolicy;

/// Most members all populations of a scenario may hold together.
pub(crate) const MAX_MEMBERS: u64 = 10_000_000;

/// Most members of a scenario whose daily series are written.
pub(crate) const MAX_WATCHED: usize = 100;

/// Validated parameters of one population.
#[derive(Clone, Debug)]
pub struct PopulationParams {
    /// Display name, unique among platforms and populations.
    pub name: String,
    /// Members (count, at least 1).
    pub count: u32,
    /// Review class of every member at the start.
    pub class: ClassId,
    /// Interval between a member's builds, in days.
    pub cadence_days: Dist,
    /// Time of a member's first build after the start, in days.
    pub first_build_days: Dist,
    /// Time to fix and resubmit a rejected build, in days.
    pub fix_days: Dist,
    /// Delay from approval to the start of the release, in hours.
    pub release_delay_hours: Dist,
    /// Length of a phased release in days (0: everyone at once).
    pub phase_days: f64,
    /// Use of expedited reviews.
    pub expedite: ExpeditePolicy,
    /// Age of the version each member's users have at the start, in days.
    pub initial_version_age_days: f64,
    /// Members (0-based indices, sorted, distinct) whose daily states are
    /// recorded as a named platform's are.
    pub watch: Vec<u32>,
}

impl PopulationParams {
    /// The display name of member `index`: `name#index`.
    pub fn member_name(&self, index: u32) -> String {
        format!("{}#{index}", self.name)
    }
}
