//! Scheduled changes: dated interventions in the pipeline, such as a
//! regulator lifting a block (a platform moves to another review class) or
//! the host changing its number of reviewers, and dated market events, such
//! as a rival's subsidy war (a platform's choice utility changes). Validated
//! domain values only; the pipeline applies its changes when their day
//! comes, the user model its events from that day on.

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
    /// A market event: platform `platform`'s choice utility becomes
    /// `utility` (e.g. a subsidy war makes a rival more attractive).
    BaseUtility {
        /// Index of the platform.
        platform: usize,
        /// Its new base utility.
        utility: f64,
    },
}

impl Change {
    /// Whether the pipeline acts on it (else it is a market event).
    pub fn is_pipeline(&self) -> bool {
        !matches!(self, Change::BaseUtility { .. })
    }
}

/// A change taking effect at the start of a given day.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyChange {
    /// When it takes effect, in days since the start (fractions allowed).
    pub day: f64,
    /// What changes.
    pub change: Change,
}
