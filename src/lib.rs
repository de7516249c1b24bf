//! gatesim: a discrete-event simulator of a mini-program review pipeline and
//! its effect on users.
//!
//! Layers, bottom to top, each a folder that depends only on those below
//! it (ARCHITECTURE.md is the map):
//! - `core`: time, the named random streams, samplers, distributions,
//!   statistics, closed forms, numbers for people, the metric catalogue;
//! - `analysis`, beside the core: model-free estimators (sensitivity
//!   designs and indices, fits to the user's data); they know no scenario;
//! - `engine`: the generic discrete-event kernel;
//! - `model`: the gatekeeper, platforms, policy, pipeline and users;
//! - `scenario`: the TOML format and its validation;
//! - `world`: one replication, where engine and model meet;
//! - `experiments`: many replications and their statistics, comparisons,
//!   sweeps, sensitivity studies and shards;
//! - `present`: exporters, reports and charts, which see result types only;
//! - `app`: the command line, one type per command, and the wiring.
//!
//! These modules are private. The public surface is what the binary, the
//! tests, the benches and the fuzz targets use: the items re-exported at the
//! root (a scenario, one replication, many replications, comparisons and
//! sweeps) and a few facade modules for whole areas ([`charts`],
//! [`fitting`], [`survival`], [`reviews`], [`sensitivity`], [`calibration`], [`embed`], [`schema`], [`overrides`], [`sampling`],
//! [`user_model`], [`collect`], [`partials`], [`closed_form`]).

#![warn(missing_docs, unreachable_pub)]

mod analysis;
mod app;
mod core;
mod engine;
mod experiments;
mod model;
mod present;
mod scenario;
mod world;

pub use crate::app::{main, parse_command_line};
pub use crate::core::event::TraceKind;
pub use crate::core::metric::Metric;
pub use crate::core::money::Currency;
pub use crate::core::numbers::{human as human_number, signed_human as signed_human_number};
pub use crate::core::stats::Summary;
pub use crate::core::time::{SimDuration, SimTime};
pub use crate::engine::simulation::Simulation;
pub use crate::experiments::annotations::{Annotations, Marker};
pub use crate::experiments::compare::inputs::InputDifference;
pub use crate::experiments::compare::{CompareResult, Pairs, run as run_compare};
pub use crate::experiments::montecarlo::result::{AutoWarmup, MonteCarloResult};
pub use crate::experiments::montecarlo::{McError, PRECISION_BATCH, Plan, run as run_monte_carlo, thread_pool};
pub use crate::experiments::sweep::grid::{
    MAX_POINTS as MAX_SWEEP_POINTS, Param as SweepParam, grid as sweep_grid, parse as parse_sweep_param,
};
pub use crate::experiments::sweep::{SweepResult, load_points as load_sweep_points, run as run_sweep};
pub use crate::experiments::trace::{
    Trace, TraceRow, trace as trace_replication, trace_with as trace_replication_with,
};
pub use crate::model::pipeline::trace::{TraceDetail, TraceFilter, TraceRecord};
pub use crate::model::policy::{Change, PolicyChange};
pub use crate::model::users::params::MarketEvent;
pub use crate::model::users::record::{UserDay, UsersResult};
pub use crate::scenario::Scenario;
pub use crate::scenario::load::{
    Loaded, load as load_scenario, load_bytes as load_scenario_bytes, load_str as load_scenario_str,
};
pub use crate::scenario::uncertain::{Resolved, Uncertain};
pub use crate::world::{Replication, run_replication, run_replication_traced};

/// Charts of runs, comparisons, sweeps and sensitivity analyses, as PNG or
/// SVG bytes.
pub mod charts {
    pub use crate::present::plot::sensitivity::{Charted, SensitivityCharts, sensitivity_charts};
    pub use crate::present::plot::{
        CompareCharts, Format, Marker, RunCharts, SweepCharts, compare_charts, run_charts, sweep_charts,
    };
}

/// Intervals of a mean across independent replications: Student's t,
/// Johnson's modified t, the bootstrap-t, and the skewness check.
pub mod intervals {
    pub use crate::core::stats::interval::{
        Bootstrap, Interval, Method, RESAMPLES, SkewCheck, bootstrap_t, johnson, n_for_tail_error, skew_check,
        skewness, student_t,
    };
}

/// Maximum-likelihood fits of the retention and duration models to
/// observed data, and their text reports.
pub mod fitting {
    pub use crate::analysis::fit::duration_data::{DurationData, parse_durations, read_durations};
    pub use crate::analysis::fit::durations::{Family, Unit, fit_durations};
    pub use crate::analysis::fit::retention::{Model, RetentionFit, RetentionOptions, fit_retention};
    pub use crate::analysis::fit::retention_data::{
        RetentionColumns, RetentionData, parse_retention, parse_retention_with, read_retention, read_retention_with,
    };
    pub use crate::analysis::fit::sbg::survival;
    pub use crate::analysis::fit::special::chi_square_sf;
    pub use crate::analysis::fit::{InputError, Param, Period};
    pub use crate::present::output::fit::durations::durations_text;
    pub use crate::present::output::fit::retention::retention_text;
}

/// Survival statistics of review times (the time from a submission to its
/// decision, pending submissions right-censored): Kaplan-Meier curves,
/// log-rank tests, the two-sample Cox model, shares and multiple tests.
pub mod survival {
    pub use crate::analysis::survival::cox::{CoxEstimate, CoxTwoSample, NoEstimate, Ties, cox_two_sample};
    pub use crate::analysis::survival::kaplan_meier::{
        BandScale, KaplanMeier, Quantile, RestrictedMean, Step, kaplan_meier, kaplan_meier_by_group,
    };
    pub use crate::analysis::survival::logrank::{
        DIRECT_GROUPS, DIRECT_WORK, GroupCounts, GroupVsRest, KSampleError, KSampleLogRank, TwoSampleLogRank,
        logrank_each_vs_rest, logrank_k_sample, logrank_two_sample,
    };
    pub use crate::analysis::survival::multiple::{NotAProbability, holm};
    pub use crate::analysis::survival::proportions::{
        MAX_FISHER_TABLES, Share, TableError, chi_square_homogeneity, fisher_exact, wilson,
    };
    pub use crate::analysis::survival::{ChiSquareTest, GroupedSample, InputError, Observation};
}

/// Review logs: the reader, the analysis of unequal treatment and the
/// review classes that reproduce a log, and their reports.
pub mod reviews {
    pub use crate::analysis::reviews::classes::MAX_FITTED;
    pub use crate::analysis::reviews::log::{MAX_NUMBER, PlatformClass};
    pub use crate::analysis::reviews::stepdown::STEP_DOWN_WORK;
    pub use crate::analysis::reviews::{
        ALPHA, Analysis, By, COX_WORK, Class, ClassReview, Curve, Estimate, Figures, Global, GroupFit, GroupStats,
        Hazard, LogOptions, MAX_CURVES, MAX_GROUP_FITS, MAX_STEPS, MAX_TICKS, Outcome, PTest, Reference, RestTest,
        ReviewError, ReviewLog, ReviewOptions, ShareCi, StepDown, TimeScale, analyse, parse_log, read_log,
    };
    pub use crate::experiments::trace::{LogOutcome, LogRow};
    pub use crate::present::output::fit::reviews::{findings, reviews_text, scenario_lines};
    pub use crate::present::output::trace::trace_log_csv;
}

/// Sensitivity analysis: designs, estimators and their results (on any
/// model), and studies of a scenario's uncertain inputs.
pub mod sensitivity {
    pub use crate::analysis::sensitivity::analyse;
    pub use crate::analysis::sensitivity::bootstrap::RESAMPLES;
    pub use crate::analysis::sensitivity::design::{Design, Method, Sampling};
    pub use crate::analysis::sensitivity::distribution::Distribution;
    pub use crate::analysis::sensitivity::error::SensitivityError;
    pub use crate::analysis::sensitivity::evaluations::{Evaluations, Output};
    pub use crate::analysis::sensitivity::morris::{MorrisOptions, morris_design};
    pub use crate::analysis::sensitivity::result::{Index, SensitivityResult};
    pub use crate::analysis::sensitivity::saltelli::sobol_design;
    pub use crate::analysis::sensitivity::space::{Parameter, ParameterSpace};
    pub use crate::analysis::sensitivity::tornado::tornado_design;
    pub use crate::analysis::sensitivity::uncertainty::{posterior_design, uncertainty_design};
    pub use crate::experiments::probe::{Probe, select};
    pub use crate::experiments::sensitivity::{
        Contrast, DesignOptions, Points, SensitivityRun, Study, StudyError, design,
    };
    pub use crate::present::output::sensitivity::design_csv;
    pub use crate::scenario::uncertain::from_vary;
}

/// Calibration of a scenario's uncertain assumptions to observed series
/// (`gatesim calibrate`): the observed data file's reader and the
/// calibration itself, called from Rust.
pub mod calibration {
    pub use crate::experiments::calibrate::library::{CalibrationOptions, PosteriorSample, calibrate};
    pub use crate::scenario::observed::{ObservedData, ObservedScope, ObservedSeries, parse_observed, read_observed};
}

/// gatesim embedded in another program (the Python package): a command
/// line run in-process with its outputs handed back in memory and written
/// on request, byte for byte those of the `gatesim` command; a stop raised
/// by the host; a scenario as a function of its keys' values.
pub mod embed {
    pub use crate::app::embed::{Captured, Failure, FailureKind, VERSION, capture, progress, stop};
    pub use crate::app::main_from;
    pub use crate::experiments::points::{ModelError, PointModel};
    pub use crate::scenario::problem::{Origin, Problem, ScenarioError, readable_numbers as readable};
}

/// The scenario format's JSON Schema and its Markdown reference, and the
/// command-line reference.
pub mod schema {
    pub use crate::app::cli_reference::{CLI_REFERENCE_PATH, CLI_REGENERATE};
    pub use crate::app::cli_reference_markdown;
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
    pub use crate::core::dist::Dist;
    pub use crate::core::rng::stream;
    pub use crate::core::sample::ziggurat::{exp1, normal};
    pub use crate::core::sample::{beta, binomial, gamma, poisson};
}

/// The user model's rules: a platform's release, the experience it gives
/// its users, their sensitivities and churn law.
pub mod user_model {
    pub use crate::model::platform::Release;
    pub use crate::model::users::churn::ChurnLaw;
    pub use crate::model::users::experience::{Experience, appeal, conditions};
    pub use crate::model::users::params::{MarketParams, Mode, PlatformUsers, Sensitivities};
}

/// How replications accumulate into a Monte Carlo result: the collector and
/// the series and headline metrics it keeps.
pub mod collect {
    pub use crate::experiments::montecarlo::collector::Collector;
    pub use crate::experiments::montecarlo::headline::{headlines, headlines_of};
    pub use crate::experiments::montecarlo::series::{Names, Shape, series, series_of};
}

/// The partial-result file of a shard (`--shard K/N`) and what `gatesim
/// merge` checks of a set of them.
pub mod partials {
    pub use crate::experiments::shard::partial::{
        FORMAT_VERSION, Header, MAGIC, PartialError, check_complete, decode, encode, read_header, sha256_hex,
    };
    pub use crate::experiments::shard::payload::Payload;
}

/// Closed forms the simulation is checked against: sBG survival, the M/M/c
/// mean wait, the log of the beta function.
pub mod closed_form {
    pub use crate::core::theory::{ln_beta, mmc_mean_wait, sbg_survival};
}
