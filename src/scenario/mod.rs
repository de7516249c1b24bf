//! Scenarios: the TOML format users write ([`raw`], [`dist_spec`]), its
//! loading with precise messages ([`load`]), `--set` overrides
//! ([`overrides`]), the assumptions declared uncertain ([`uncertain`]), and
//! its validation into the domain's parameters
//! ([`validate`]). The domain never sees this module; [`crate::world`] turns
//! a [`Scenario`] into a running simulation.

pub(crate) mod dates;
pub(crate) mod dist_spec;
pub(crate) mod load;
pub(crate) mod observed;
pub(crate) mod overrides;
pub(crate) mod problem;
pub(crate) mod raw;
pub(crate) mod schema;
pub(crate) mod uncertain;
pub(crate) mod validate;
pub(crate) mod warmup;

pub(crate) use load::{Loaded, load, load_str};
pub(crate) use problem::{Problem, ScenarioError};
pub(crate) use uncertain::{Resolved, Uncertain};

use crate::core::calendar::Date;
use crate::model::gatekeeper::GatekeeperParams;
use crate::model::platform::PlatformParams;
use crate::model::policy::PolicyChange;
use crate::model::population::PopulationParams;
use crate::model::users::MarketParams;

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
    /// Days left out of the statistics at the start (0 with an automatic warm-up).
    pub warmup_days: u32,
    /// Whether the warm-up is chosen after the run (`warmup_days = "auto"`).
    pub auto_warmup: bool,
    /// Replications run by default.
    pub replications: u64,
    /// The calendar date of day 0, if the scenario gives one.
    pub start_date: Option<Date>,
    /// The host's review.
    pub gatekeeper: GatekeeperParams,
    /// The platforms, in file order.
    pub platforms: Vec<PlatformParams>,
    /// The populations of many alike platforms, in file order.
    pub populations: Vec<PopulationParams>,
    /// Dated policy changes, in file order.
    pub changes: Vec<PolicyChange>,
    /// The market and its users, if the scenario simulates them.
    pub users: Option<MarketParams>,
}
