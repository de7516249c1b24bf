//! Experiments on scenarios: many replications and their statistics
//! ([`montecarlo`]), paired comparisons of scenarios under common random
//! numbers ([`compare`]), grids of parameter values ([`sweep`]),
//! sensitivity studies over a scenario's uncertain assumptions
//! ([`sensitivity`], reading the outputs [`probe`] selects), a scenario as
//! a function of its keys' values for other tools ([`points`]), and the
//! partial results of shards that `gatesim merge` adds up ([`shard`]).
//! Built on `world` and the model-free estimators of
//! [`crate::analysis`]; knows nothing of files, charts or the command line.

pub(crate) mod annotations;
pub(crate) mod calibrate;
pub(crate) mod compare;
pub(crate) mod montecarlo;
pub(crate) mod points;
pub(crate) mod probe;
pub(crate) mod provenance;
pub(crate) mod sensitivity;
pub(crate) mod shard;
pub(crate) mod sweep;
pub(crate) mod trace;
