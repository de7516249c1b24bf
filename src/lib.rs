//! gatesim: a discrete-event simulator of a mini-program review pipeline and
//! its effect on users.
//!
//! Layers, bottom to top (each depends only on those below it):
//! - core: `time`, `rng`, `dist`, `sample`, `stats`, `theory`, and the
//!   designs and estimators of sensitivity analysis, `sensitivity`;
//! - `engine`: the generic discrete-event kernel;
//! - domain: `gatekeeper`, `platform`, `policy`, `pipeline`, `users`;
//! - `scenario`: the TOML format and its validation;
//! - `world`: one replication, where engine and domain meet;
//! - `fit`: maximum-likelihood fits of the retention and duration models
//!   to the user's own data (on the core only);
//! - `montecarlo`: many replications and their statistics; `compare`,
//!   `sweep` and `experiment` (sensitivity analyses of scenarios) on top of
//!   it;
//! - `output` (exporters and the atomic writer) and `plot` (charts), which
//!   see result structs only;
//! - `cli` (the command line as data) and `app` (the wiring).
//!
//! These modules are private. The public surface is what the binary, the
//! tests, the benches and the fuzz targets use: the items re-exported at the
//! root (a scenario, one replication, many replications, comparisons and
//! sweeps) and a few facade modules for whole areas ([`charts`],
//! [`fitting`], [`analysis`], [`schema`], [`overrides`], [`sampling`],
//! [`user_model`], [`collect`], [`partials`], [`closed_form`]).

#![warn(missing_docs, unreachable_pub)]

mod app;
mod cli;
mod compare;
mod dist;
mod engine;
mod experiment;
mod fit;
mod gatekeeper;
mod metric;
mod montecarlo;
mod numbers;
mod output;
mod pipeline;
mod platform;
mod plot;
mod policy;
mod progress;
mod rng;
mod sample;
mod scenario;
mod sensitivity;
mod shard;
mod stats;
mod sweep;
mod theory;
mod time;
mod users;
mod world;

pub use app::main;
pub use compare::{CompareResult, run as run_compare};
pub use engine::simulation::Simulation;
pub use metric::Metric;
pub use montecarlo::result::MonteCarloResult;
pub use montecarlo::{McError, PRECISION_BATCH, Plan, run as run_monte_carlo, thread_pool};
pub use numbers::{human as human_number, signed_human as signed_human_number};
pub use pipeline::trace::{TraceDetail, TraceKind, TraceRecord};
pub use policy::{Change, PolicyChange};
pub use scenario::Scenario;
pub use scenario::load::{
    Loaded, load as load_scenario, load_bytes as load_scenario_bytes, load_str as load_scenario_str,
};
pub use scenario::uncertain::{Resolved, Uncertain};
pub use stats::Summary;
pub use sweep::grid::{
    MAX_POINTS as MAX_SWEEP_POINTS, Param as SweepParam, grid as sweep_grid, parse as parse_sweep_param,
};
pub use sweep::{SweepResult, load_points as load_sweep_points, run as run_sweep};
pub use time::{SimDuration, SimTime};
pub use users::params::MarketEvent;
pub use users::record::{UserDay, UsersResult};
pub use world::{Replication, run_replication};

/// Charts of runs, comparisons, sweeps and sensitivity analyses, as PNG or
/// SVG bytes.
pub mod charts {
    pub use crate::plot::sensitivity::{Charted, SensitivityCharts, sensitivity_charts};
    pub use crate::plot::{
        CompareCharts, Format, Marker, RunCharts, SweepCharts, compare_charts, run_charts, sweep_charts,
    };
}

/// Maximum-likelihood fits of the retention and duration models to
/// observed data, and their text reports.
pub mod fitting {
    pub use crate::fit::duration_data::{DurationData, parse_durations, read_durations};
    pub use crate::fit::durations::{Family, Unit, fit_durations};
    pub use crate::fit::retention::{Model, RetentionFit, RetentionOptions, fit_retention};
    pub use crate::fit::retention_data::{RetentionData, parse_retention, read_retention};
    pub use crate::fit::sbg::survival;
    pub use crate::fit::{Param, Period};
    pub use crate::output::fit::durations::durations_text;
    pub use crate::output::fit::retention::retention_text;
}

/// Sensitivity analysis: designs, estimators and their results (on any
/// model), and studies of a scenario's uncertain inputs.
pub mod analysis {
    pub use crate::experiment::probe::{Probe, select};
    pub use crate::experiment::sensitivity::{
        Contrast, DesignOptions, Points, SensitivityRun, Study, StudyError, design,
    };
    pub use crate::output::sensitivity::design_csv;
    pub use crate::scenario::uncertain::from_vary;
    pub use crate::sensitivity::analyse;
    pub use crate::sensitivity::bootstrap::RESAMPLES;
    pub use crate::sensitivity::design::{Design, Method, Sampling};
    pub use crate::sensitivity::distribution::Distribution;
    pub use crate::sensitivity::error::SensitivityError;
    pub use crate::sensitivity::evaluations::{Evaluations, Output};
    pub use crate::sensitivity::morris::{MorrisOptions, morris_design};
    pub use crate::sensitivity::result::{Index, SensitivityResult};
    pub use crate::sensitivity::saltelli::sobol_design;
    pub use crate::sensitivity::space::{Parameter, ParameterSpace};
    pub use crate::sensitivity::tornado::tornado_design;
    pub use crate::sensitivity::uncertainty::uncertainty_design;
}

/// The scenario format's JSON Schema and its Markdown reference.
pub mod schema {
    pub use crate::scenario::schema::reference::reference_markdown;
    pub use crate::scenario::schema::{REFERENCE_PATH, REGENERATE, SCHEMA_PATH, scenario_schema, schema_json};
}

/// `--set key.path=value` overrides of a scenario's TOML.
pub mod overrides {
    pub use crate::scenario::overrides::{apply, parse};
}

/// The named random streams, the portable samplers and the duration
/// distributions.
pub mod sampling {
    pub use crate::dist::Dist;
    pub use crate::rng::stream;
    pub use crate::sample::ziggurat::{exp1, normal};
    pub use crate::sample::{beta, binomial, gamma, poisson};
}

/// The user model's rules: a platform's release, the experience it gives
/// its users, their sensitivities and churn law.
pub mod user_model {
    pub use crate::platform::Release;
    pub use crate::users::churn::ChurnLaw;
    pub use crate::users::experience::{Experience, appeal, conditions};
    pub use crate::users::params::{MarketParams, Mode, PlatformUsers, Sensitivities};
}

/// How replications accumulate into a Monte Carlo result: the collector and
/// the series and headline metrics it keeps.
pub mod collect {
    pub use crate::montecarlo::collector::Collector;
    pub use crate::montecarlo::headline::headlines;
    pub use crate::montecarlo::series::series;
}

/// The partial-result file of a shard (`--shard K/N`) and what `gatesim
/// merge` checks of a set of them.
pub mod partials {
    pub use crate::shard::partial::{
        FORMAT_VERSION, Header, MAGIC, PartialError, check_complete, decode, encode, read_header, sha256_hex,
    };
    pub use crate::shard::payload::Payload;
}

/// Closed forms the simulation is checked against: sBG survival, the M/M/c
/// mean wait, the log of the beta function.
pub mod closed_form {
    pub use crate::theory::{ln_beta, mmc_mean_wait, sbg_survival};
}
