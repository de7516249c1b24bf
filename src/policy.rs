//! Scheduled policy changes: dated interventions in the pipeline, such as a
//! regulator lifting a block (a platform moves to another review class) or
//! the host changing its number of reviewers. Validated domain values only;
//! the pipeline applies them when their day comes.

use crate::gatekeeper::ClassId;

/// What changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Platform `platform` (index) moves to review class `class`.
    PlatformClass {
        /// Index of the platform.
        platform: usize,
        /// Index of its new class.
        class: ClassId,
    },
    /// The gatekeeper now has this many reviewers (at least 1).
    Reviewers(u32),
}

/// A change taking effect at the start of a given day.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyChange {
    /// When it takes effect, in days since the start (fractions allowed).
    pub day: f64,
    /// What changes.
    pub change: Change,
}
