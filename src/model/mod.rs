//! The domain model: the gatekeeper's review desk ([`gatekeeper`]), the
//! platforms that cut builds ([`platform`]) and the populations of many
//! alike ([`population`]), the dated changes of policy
//! ([`policy`]), the pipeline that moves every build from cut to release
//! ([`pipeline`]) and the market of users that a platform's releases keep
//! or lose ([`users`]). Built on the core only; it never imports the
//! engine's scheduling, scenario loading, output or plotting: `world`
//! joins it to the engine.

pub(crate) mod gatekeeper;
pub(crate) mod pipeline;
pub(crate) mod platform;
pub(crate) mod policy;
pub(crate) mod population;
pub(crate) mod users;
