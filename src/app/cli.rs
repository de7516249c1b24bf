//! The command-line interface as data: clap's derive definitions of every
//! subcommand and flag, with their help texts. It imports nothing from the
//! rest of gatesim; [`crate::app`] acts on what is parsed here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Simulates a mini-program review pipeline (a gatekeeper reviewing the
/// updates of competing platforms) and writes what it measured.
#[derive(Debug, Parser)]
#[command(name = "gatesim", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a scenario's replications and write its results to OUT/<scenario name>/.
    Run(RunArgs),
    /// Validate a scenario and print it resolved (defaults filled in), or its errors.
    Check(CheckArgs),
    /// Write every pipeline event of one replication as CSV: an auditable log.
    Trace(TraceArgs),
    /// Run several scenarios with common random numbers and report their
    /// paired differences against the first (the baseline).
    Compare(CompareArgs),
    /// Run a scenario at every point of a grid of parameter values.
    Sweep(SweepArgs),
    /// Fit the user model's retention or a duration distribution to your
    /// own data by maximum likelihood, and print the scenario lines to paste.
    Fit(FitArgs),
    /// How much of the answer rests on each uncertain assumption: tornado,
    /// Morris and Sobol analyses, and the answer's range over the assumptions.
    Sensitivity(SensitivityArgs),
    /// Print the JSON Schema of the scenario format (draft-07, for editors
    /// and validators), or with --markdown the reference of every key.
    Schema(SchemaArgs),
    /// Merge the partial results of every shard of a run, comparison,
    /// sweep or sensitivity analysis (written with --shard K/N) into the
    /// outputs of the unsharded command, byte for byte.
    Merge(MergeArgs),
}

/// `gatesim schema`
#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Print the Markdown reference (docs/scenario-reference.md) instead of the JSON Schema.
    #[arg(long)]
    pub markdown: bool,
}

/// Flags shared by the commands that run many replications.
#[derive(Debug, Args)]
pub(crate) struct RunFlags {
    /// Replications per scenario or point (default: simulation.replications of the (first) scenario).
    #[arg(long, short = 'n', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub replications: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    #[command(flatten)]
    pub output: OutputFlags,
    /// Run only shard K of N of the replications (K from 1; for
    /// sensitivity, of the design points) and write its partial result to
    /// OUT/<name>.shard-K-of-N.partial instead of the outputs; `gatesim
    /// merge` puts the shards together.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Where and how the commands that write a run's outputs write them.
#[derive(Debug, Args)]
pub(crate) struct OutputFlags {
    /// Folder that receives the output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Chart formats, comma-separated: png, svg (charts go to OUT/<name>/charts/).
    #[arg(long, value_name = "LIST", default_value = "png,svg")]
    pub format: String,
    /// Write no charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Write no report.html (the one-page report with the charts inlined).
    #[arg(long)]
    pub no_report: bool,
}

/// `gatesim merge`
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// Partial result files, or folders of them (their *.partial files), in any order.
    #[arg(required = true, value_name = "PARTIAL")]
    pub partials: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputFlags,
}

/// `gatesim compare`
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Two or more scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Seed of every scenario (default: the baseline's simulation.seed; all scenarios use the same).
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub flags: RunFlags,
}

/// `gatesim sweep`
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A swept key and its values: a list `key.path=0,7,30` or a range
    /// `key.path=0:210:15` (start:end:step, end included). Several form a full grid.
    #[arg(long = "param", required = true, value_name = "KEY.PATH=VALUES")]
    pub params: Vec<String>,
    /// What to call a parameter in charts, e.g. "day the block is lifted"
    /// (repeatable: the first --label names the first --param, and so on).
    #[arg(long = "label", value_name = "TEXT")]
    pub labels: Vec<String>,
    #[command(flatten)]
    pub flags: RunFlags,
}

/// `gatesim sensitivity`
#[derive(Debug, Args)]
pub(crate) struct SensitivityArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// sobol (first-order and total indices), morris (screening), tornado
    /// (one at a time) or uncertainty (the outputs' distribution).
    #[arg(long, default_value = "sobol", value_parser = ["sobol", "morris", "tornado", "uncertainty"])]
    pub method: String,
    /// Base sample (sobol: N, run N (p + 2) points; uncertainty: points)
    /// or trajectories (morris: r, run r (p + 1) points). Default 256, 20
    /// and 256.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=65_536))]
    pub samples: Option<u64>,
    /// Analyse this key over this range instead of the scenario's
    /// [[uncertain]] entries (repeatable): KEY=LOW:HIGH (uniform) or
    /// KEY=DIST:A:B, DIST loguniform (low, high), normal (mean, sd) or
    /// lognormal (median, sigma).
    #[arg(long = "vary", value_name = "KEY=LOW:HIGH")]
    pub vary: Vec<String>,
    /// Output to analyse (repeatable): a headline metric (every platform's,
    /// e.g. active_users_end) or one scope's (Taocaicai.orders_total,
    /// gatekeeper.utilisation). Default: every platform's user metrics.
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Analyse the difference from the scenario with this key set
    /// (repeatable), paired replication by replication at every point,
    /// e.g. --against platforms.Taocaicai.class=standard.
    #[arg(long = "against", value_name = "KEY.PATH=VALUE")]
    pub against: Vec<String>,
    /// What to call the --against scenario in tables and charts, e.g. "updating weekly".
    #[arg(long, value_name = "TEXT", requires = "against")]
    pub label: Option<String>,
    /// Points behind a Sobol design: sobol (scrambled Sobol sequence) or lhs (Latin hypercube).
    #[arg(long, value_name = "KIND", value_parser = ["sobol", "lhs"])]
    pub sampling: Option<String>,
    /// Morris: grid levels per parameter (even; default 4).
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u64).range(2..=64))]
    pub levels: Option<u64>,
    /// Morris: Campolongo's sampling, keeping the most spread --samples of this many candidate trajectories.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(3..=2_000))]
    pub candidates: Option<u64>,
    #[command(flatten)]
    pub flags: RunFlags,
}

/// Flags shared by every command that reads a scenario.
#[derive(Debug, Args)]
pub(crate) struct ScenarioArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Override a scenario key, e.g. `--set gatekeeper.reviewers=3` or
    /// `--set platforms.Taocaicai.class=standard` (repeatable; values are TOML,
    /// or else strings).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// Seed of every random stream (overrides simulation.seed; 0 to 2^63-1).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// `gatesim run`
#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub flags: RunFlags,
    /// Add replications until every headline metric's 95% confidence
    /// half-width is within this share of its mean (e.g. 0.01 for 1%).
    #[arg(long, value_name = "SHARE")]
    pub precision: Option<f64>,
    /// Cap on replications with --precision.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub max_replications: u64,
}

/// `gatesim check`
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}

/// `gatesim trace`
#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Which replication to trace (0-based).
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    /// Write the CSV to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `gatesim fit`
#[derive(Debug, Args)]
pub(crate) struct FitArgs {
    /// What to fit.
    #[command(subcommand)]
    pub what: FitCommand,
}

/// The kinds of data `gatesim fit` reads.
#[derive(Debug, Subcommand)]
pub(crate) enum FitCommand {
    /// Fit the shifted-beta-geometric retention model (churn_alpha,
    /// churn_beta) to cohort counts: a CSV `period,active` (one cohort) or
    /// `cohort,period,active` (several, e.g. a cohort triangle).
    Retention(FitRetentionArgs),
    /// Fit exponential, gamma, log-normal and Weibull distributions to
    /// observed durations (one per row), ranked by AIC.
    Durations(FitDurationsArgs),
}

/// What one period of a retention table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PeriodArg {
    /// One day.
    Day,
    /// Seven days.
    Week,
    /// Thirty days.
    Month,
    /// 365 days.
    Year,
}

/// The retention model to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RetentionModelArg {
    /// Shifted-beta-geometric: each user churns with a fixed probability per period.
    Sbg,
    /// Beta-discrete-Weibull, with the likelihood-ratio test against sBG.
    Bdw,
}

/// The unit of durations in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum UnitArg {
    /// Hours.
    Hours,
    /// Days.
    Days,
}

/// Where and how `gatesim fit` writes its results.
#[derive(Debug, Args)]
pub(crate) struct FitOutputFlags {
    /// Write fit.json, fit.md and charts to DIR/fit-STEM/, STEM being the file name without
    /// its extension (without --out, print only).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Chart formats, comma-separated: png, svg (charts go to DIR/fit-STEM/charts/).
    #[arg(long, value_name = "LIST", default_value = "png,svg")]
    pub format: String,
    /// Write no charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Write no report.html (the one-page report with the charts inlined).
    #[arg(long)]
    pub no_report: bool,
}

/// `gatesim fit retention`
#[derive(Debug, Args)]
pub(crate) struct FitRetentionArgs {
    /// The retention table (CSV with a header).
    pub file: PathBuf,
    /// What one period of the table is; the per-day parameters are derived from it.
    #[arg(long, value_enum, default_value_t = PeriodArg::Day)]
    pub period: PeriodArg,
    /// The model: sbg, or bdw (also fits sBG and tests one against the other).
    #[arg(long, value_enum, default_value_t = RetentionModelArg::Sbg)]
    pub model: RetentionModelArg,
    /// Periods to project beyond the data (default: as many as observed, at least 3).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub project: Option<u32>,
    #[command(flatten)]
    pub output: FitOutputFlags,
}

/// `gatesim fit durations`
#[derive(Debug, Args)]
pub(crate) struct FitDurationsArgs {
    /// The durations (CSV with a header, one duration per row).
    pub file: PathBuf,
    /// The column holding the durations (default: the only other column than
    /// the censoring one, or one named duration, hours or days).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// The unit of the durations.
    #[arg(long, value_enum, default_value_t = UnitArg::Hours)]
    pub unit: UnitArg,
    /// A column saying the row was still pending when observed (1/0,
    /// true/false, yes/no): its duration is a lower bound (right-censored).
    /// Default: a column named `censored` or `pending`, if any.
    #[arg(long, value_name = "NAME")]
    pub censored_column: Option<String>,
    #[command(flatten)]
    pub output: FitOutputFlags,
}
