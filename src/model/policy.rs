//! Dated changes to the review pipeline: a regulator lifting a block (a
//! platform, or a whole population, moves to another review class) or the
//! host changing its number of reviewers. Validated domain values only; the
//! pipeline applies each at the start of its day (whole days), before
//! anything else happening at that instant. Market events (a rival's subsidy war) are the user
//! model's: see [`crate::model::users::MarketEvent`].

use crate::model::gatekeeper::ClassId;

/// What changes in the pipeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Platform `platform` (index) moves to review class `class`.
    PlatformClass {
        /// Index of the platform.
        platform: usize,
        /// Index of its new class.
        class: ClassId,
    },
    /// Every member of population `population` (index) moves to review
    /// class `class`.
    PopulationClass {
        /// Index of the population.
        population: usize,
        /// Index of its new class.
        class: ClassId,
    },
    /// The gatekeeper now has this many reviewers (at least 1).
    Reviewers(u32),
}

/// A change taking effect at a given time.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyChange {
    /// The day at whose start it takes effect (a whole number of days).
    pub day: f64,
    /// What changes.
    pub change: Change,
}
