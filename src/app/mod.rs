//! Wires the command line to the library: loads scenarios, runs them,
//! hands results to the exporters, the chart renderer and the output
//! manager, and maps every failure to its exit code (0 ok, 1 run failure,
//! 2 bad usage or invalid scenario, 130 interrupted by SIGINT, 143 by
//! SIGTERM). One file per command; no simulation logic lives here.

mod charts;
pub(crate) mod cli;
mod compare;
mod fit;
mod inspect;
mod progress;
mod run;
mod schema;
mod sensitivity;
mod sensitivity_flags;
mod shard;
mod signals;
mod sweep;

pub(crate) use signals::STOP;

use crate::app::cli::{Cli, Command, OutputFlags, ScenarioArgs};
use crate::app::progress::Progress;
use crate::experiments::montecarlo::McError;
use crate::present::output::write::{prepare_out_dir, write_dir_atomically_unless};
use crate::scenario::problem::readable_numbers;
use crate::scenario::{Loaded, ScenarioError, load};
use clap::Parser;
use std::process::ExitCode;

/// The cause of a failure, kept so the message can name it.
type Source = Box<dyn std::error::Error + Send + Sync>;

/// A failure, by exit code, with what caused it: printed as the message
/// followed by each cause in turn (`cannot write out/guizhou: No space left
/// on device`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppError {
    /// Bad usage or invalid input (a scenario, a flag, a data file): exit
    /// code 2.
    #[error("{message}")]
    Usage {
        /// What was wrong, and where.
        message: String,
        /// Why, if another error says it.
        #[source]
        source: Option<Source>,
    },
    /// The run itself failed: exit code 1.
    #[error("{message}")]
    Run {
        /// What could not be done.
        message: String,
        /// Why.
        #[source]
        source: Option<Source>,
    },
    /// Interrupted by SIGINT (Ctrl-C) or SIGTERM: exit code 130 or 143,
    /// nothing written.
    #[error("interrupted")]
    Interrupted,
}

impl AppError {
    /// Bad usage or input, said in `message`.
    pub(crate) fn usage(message: impl Into<String>) -> AppError {
        AppError::Usage {
            message: message.into(),
            source: None,
        }
    }

    /// Bad usage or input: `message`, because of `source`.
    pub(crate) fn usage_because(message: impl Into<String>, source: impl Into<Source>) -> AppError {
        AppError::Usage {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The run failed: `message`, because of `source`.
    pub(crate) fn run_because(message: impl Into<String>, source: impl Into<Source>) -> AppError {
        AppError::Run {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The run failed, as `source` says.
    pub(crate) fn failed(source: impl std::fmt::Display) -> AppError {
        AppError::Run {
            message: source.to_string(),
            source: None,
        }
    }

    /// The message and every cause, joined by ": ".
    fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        AppError::usage(e.to_string())
    }
}

/// Parses the command line, runs it, prints errors and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    signals::arm();
    let result = match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Check(a) => inspect::check(&a),
        Command::Trace(a) => inspect::trace(&a),
        Command::Compare(a) => compare::compare(&a),
        Command::Sweep(a) => sweep::sweep(&a),
        Command::Fit(a) => fit::fit(&a),
        Command::Sensitivity(a) => sensitivity::sensitivity(&a),
        Command::Schema(a) => schema::schema(&a),
        Command::Merge(a) => shard::merge(&a),
    };
    match result {
        Ok(()) if signals::stopped() => {
            eprintln!(
                "interrupted by {} after the work was done: its outputs are complete",
                signals::name()
            );
            ExitCode::from(signals::exit_code())
        }
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ AppError::Usage { .. }) => {
            eprintln!("error: {}", readable_numbers(e.chain().trim_end()));
            ExitCode::from(2)
        }
        Err(e @ AppError::Run { .. }) => {
            eprintln!("error: {}", readable_numbers(e.chain().trim_end()));
            ExitCode::from(1)
        }
        Err(AppError::Interrupted) => {
            eprintln!(
                "interrupted by {}: nothing was written; previous results are untouched",
                signals::name()
            );
            ExitCode::from(signals::exit_code())
        }
    }
}

/// Loads the scenario with `--set` and `--seed` applied.
pub(super) fn load_scenario(a: &ScenarioArgs) -> Result<Loaded, AppError> {
    let mut sets = a.sets.clone();
    if let Some(seed) = a.seed {
        if seed > i64::MAX as u64 {
            return Err(AppError::usage(format!(
                "--seed must be at most {}, got {seed}",
                i64::MAX
            )));
        }
        sets.push(format!("simulation.seed={seed}"));
    }
    Ok(load(&a.scenario, &sets)?)
}

/// The resolved scenario as JSON, for summary.json: the inputs of the run
/// (its `[[uncertain]]` entries, which change nothing in a run, left out).
pub(super) fn resolved_json(loaded: &Loaded) -> serde_json::Value {
    let mut v = serde_json::to_value(&loaded.raw).unwrap_or(serde_json::Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.remove("uncertain");
    }
    v
}

pub(super) fn threads(t: Option<u64>) -> usize {
    match t {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// Maps a Monte Carlo failure to an exit.
pub(super) fn mc_error(e: McError) -> AppError {
    match e {
        McError::Interrupted => AppError::Interrupted,
        e => AppError::failed(e),
    }
}

/// Runs `work` with a progress bar over `total` replications; a signal stops it.
pub(super) fn with_progress<T>(
    total: u64,
    quiet: bool,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> Result<T, McError>,
) -> Result<T, AppError> {
    let progress = Progress::new(total, quiet);
    let result = work(&|| progress.inc());
    progress.finish();
    let r = result.map_err(mc_error)?;
    if signals::stopped() {
        return Err(AppError::Interrupted);
    }
    Ok(r)
}

pub(super) fn prepare(flags: &OutputFlags) -> Result<(), AppError> {
    signals::shielded(|| prepare_out_dir(&flags.out))
        .map_err(|e| AppError::usage_because(format!("--out {}", flags.out.display()), e))
}

/// Writes the output folder atomically; a signal that arrives while the
/// files are written stops it before the swap.
/// Writes one file atomically.
pub(super) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    crate::present::output::write::write_file_atomically(path, bytes)
        .map_err(|e| AppError::run_because(format!("cannot write {}", path.display()), e))
}

pub(super) fn write_outputs(target: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Result<(), AppError> {
    signals::while_writing(|| write_dir_atomically_unless(target, files, &signals::stopped)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::Interrupted && signals::stopped() {
            AppError::Interrupted
        } else {
            AppError::run_because(format!("cannot write {}", target.display()), e)
        }
    })
}

/// Whether a signal asked to stop.
pub(super) fn stopped() -> bool {
    signals::stopped()
}

/// Runs `write` with signals deferred until it is done or gives up.
pub(super) fn while_writing<T>(write: impl FnOnce() -> T) -> T {
    signals::while_writing(write)
}

/// The chart formats to render: those asked for, plus SVG when a report
/// is written (its charts are inlined as SVG) and charts are drawn at all.
pub(super) fn render_formats(
    asked: &[crate::present::plot::Format],
    report: bool,
) -> Vec<crate::present::plot::Format> {
    let mut out = asked.to_vec();
    if report && !out.is_empty() && !out.contains(&crate::present::plot::Format::Svg) {
        out.push(crate::present::plot::Format::Svg);
    }
    out
}

/// The chart files to write: those of the formats asked for (an SVG
/// rendered only for the report is not written).
pub(super) fn asked_only(
    files: &[(String, Vec<u8>)],
    asked: &[crate::present::plot::Format],
) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .filter(|(name, _)| asked.iter().any(|f| name.ends_with(&format!(".{}", f.extension()))))
        .cloned()
        .collect()
}

/// The chart formats asked for (none with --no-charts).
pub(super) fn chart_formats(flags: &OutputFlags) -> Result<Vec<crate::present::plot::Format>, AppError> {
    if flags.no_charts {
        return Ok(Vec::new());
    }
    crate::present::plot::Format::parse_list(&flags.format).map_err(|e| AppError::usage_because("--format", e))
}
