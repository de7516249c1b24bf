//! Scenarios: the TOML format users write ([`raw`], [`dist_spec`]), its
//! loading with precise messages ([`load`]), `--set` overrides
//! ([`overrides`]), the assumptions declared uncertain ([`uncertain`]), and
//! its validation into the domain's parameters
//! ([`validate`]). The domain never sees this module; [`crate::world`] turns
//! a [`Scenario`] into a running simulation.

pub mod dist_spec;
pub mod load;
pub mod overrides;
pub mod problem;
pub mod raw;
pub mod schema;
pub mod uncertain;
pub mod validate;

pub use load::{Loaded, load, load_bytes, load_str};
pub use problem::{Problem, ScenarioError};
pub use uncertain::{Resolved, Uncertain};

use crate::gatekeeper::GatekeeperParams;
use crate::platform::PlatformParams;
use crate::policy::PolicyChange;
use crate::users::MarketParams;

/// A validated scenario: everything one replication needs.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name (also of the output folder).
    pub name: String,
    /// What the scenario is about.
    pub description: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Length of the run (days).
    pub horizon_days: u32,
    /// Days left out of the statistics at the start.
    pub warmup_days: u32,
    /// Replications run by default.
    pub replications: u64,
    /// The host's review.
    pub gatekeeper: GatekeeperParams,
    /// The platforms, in file order.
    pub platforms: Vec<PlatformParams>,
    /// Dated policy changes, in file order.
    pub changes: Vec<PolicyChange>,
    /// The market and its users, if the scenario simulates them.
    pub users: Option<MarketParams>,
}
