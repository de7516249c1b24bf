//! gatesim: a discrete-event simulator of a mini-program review pipeline and
//! its effect on users.
//!
//! Layers, bottom to top (each depends only on those below it):
//! - core: [`time`], [`rng`], [`dist`], [`stats`], [`theory`], and the designs
//!   and estimators of sensitivity analysis, [`sensitivity`];
//! - [`engine`]: the generic discrete-event kernel;
//! - domain: [`gatekeeper`], [`platform`], [`policy`], [`pipeline`], [`users`];
//! - [`scenario`]: the TOML format and its validation;
//! - [`world`]: one replication, where engine and domain meet;
//! - [`fit`]: maximum-likelihood fits of the retention and duration models
//!   to the user's own data (on the core only);
//! - [`montecarlo`]: many replications and their statistics; [`compare`],
//!   [`sweep`] and [`experiment`] (sensitivity analyses of scenarios) on
//!   top of it;
//! - [`output`]: exporters and the atomic writer;
//! - [`cli`] (the command line as data) and [`app`] (the wiring).

pub mod app;
pub mod cli;
pub mod compare;
pub mod dist;
pub mod engine;
pub mod experiment;
pub mod fit;
pub mod gatekeeper;
pub mod metric;
pub mod montecarlo;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod platform;
pub mod plot;
pub mod policy;
pub mod progress;
pub mod rng;
pub mod sample;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod stats;
pub mod sweep;
pub mod theory;
pub mod time;
pub mod users;
pub mod world;
