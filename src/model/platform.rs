//! Platforms (the host's tenants, e.g. group-buy services): how each one
//! develops builds, fixes rejected ones and releases approved ones, as
//! validated parameters, plus the records of what a build carries and when a
//! release reached users. The pipeline drives them; the user model reads the
//! release records. Nothing here knows of the engine or of scenario files.

use crate::core::dist::Dist;
use crate::model::gatekeeper::ClassId;
use serde::Serialize;

/// When a platform spends its expedited-review quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpeditePolicy {
    /// Never asks for an expedited review.
    Never,
    /// Asks when resubmitting a rejected build.
    Resubmissions,
    /// Asks for every submission while the quota lasts.
    All,
}

/// Validated parameters of one platform.
#[derive(Clone, Debug)]
pub struct PlatformParams {
    /// Display name, unique in a scenario.
    pub name: String,
    /// Review class at the start.
    pub class: ClassId,
    /// Interval between builds, in days.
    pub cadence_days: Dist,
    /// Time of the first build after the start, in days.
    pub first_build_days: Dist,
    /// Time to fix and resubmit a rejected build, in days.
    pub fix_days: Dist,
    /// Appeal value each build carries (appeal points; the user model's unit).
    pub appeal_per_build: Dist,
    /// Defects found per day (Poisson rate); a build fixes those known when it is cut.
    pub defects_per_day: f64,
    /// Delay from approval to the start of the release, in hours.
    pub release_delay_hours: Dist,
    /// Length of a phased release in days (0: everyone at once).
    pub phase_days: f64,
    /// Use of expedited reviews.
    pub expedite: ExpeditePolicy,
    /// Age of the version users have at the start, in days.
    pub initial_version_age_days: f64,
}

/// One build: what a release would bring to users.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Build {
    /// Build number within its platform, from 1.
    pub id: u32,
    /// When the build was cut (days since the start).
    pub ready_day: f64,
    /// Appeal value it carries (appeal points).
    pub appeal: f64,
    /// Defects found up to its cut, all of which it fixes (count, cumulative).
    pub fixes_defects_upto: u64,
}

/// A release of a build to users.
#[derive(Clone, Debug, Serialize)]
pub struct Release {
    /// The released build's number.
    pub build: u32,
    /// When the release started (days since the start).
    pub start_day: f64,
    /// When every user has it (days since the start); equals `start_day`
    /// for a release to everyone at once.
    pub full_day: f64,
    /// Appeal value of the build (appeal points).
    pub appeal: f64,
    /// Defects found up to its cut, all fixed by it (count, cumulative).
    pub fixes_defects_upto: u64,
}

/// The share of users on `release` on (fractional) day `d`: 0 before it
/// starts, growing linearly during its phase, 1 once everyone has it.
pub(crate) fn share_on_latest(release: &Release, d: f64) -> f64 {
    if release.full_day <= release.start_day {
        return if d >= release.start_day { 1.0 } else { 0.0 };
    }
    ((d - release.start_day) / (release.full_day - release.start_day)).clamp(0.0, 1.0)
}
