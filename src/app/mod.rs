//! Wires the command line to the library: loads scenarios, runs them,
//! hands results to the exporters, the chart renderer and the output
//! manager, and maps every failure to its exit code (0 ok, 1 run failure,
//! 2 bad usage or invalid scenario, 130 interrupted). One file per command;
//! no simulation logic lives here.

mod charts;
mod compare;
mod fit;
mod inspect;
mod run;
mod schema;
mod sweep;

use crate::cli::{Cli, Command, RunFlags, ScenarioArgs};
use crate::montecarlo::McError;
use crate::output::write::{prepare_out_dir, write_dir_atomically};
use crate::progress::Progress;
use crate::scenario::{Loaded, ScenarioError, load};
use clap::Parser;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// A failure, by exit code.
#[derive(Debug)]
pub enum AppError {
    /// Bad usage or an invalid scenario: exit code 2.
    Usage(String),
    /// The run itself failed: exit code 1.
    Run(String),
    /// Interrupted by Ctrl-C: exit code 130, nothing written.
    Interrupted,
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        AppError::Usage(e.to_string())
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
    let result = match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Check(a) => inspect::check(&a),
        Command::Trace(a) => inspect::trace(&a),
        Command::Compare(a) => compare::compare(&a),
        Command::Sweep(a) => sweep::sweep(&a),
        Command::Fit(a) => fit::fit(&a),
        Command::Schema(a) => schema::schema(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(AppError::Usage(m)) => {
            eprintln!("error: {}", m.trim_end());
            ExitCode::from(2)
        }
        Err(AppError::Run(m)) => {
            eprintln!("error: {}", m.trim_end());
            ExitCode::from(1)
        }
        Err(AppError::Interrupted) => {
            eprintln!("interrupted: nothing was written; previous results are untouched");
            ExitCode::from(INTERRUPTED)
        }
    }
}

/// Loads the scenario with `--set` and `--seed` applied.
pub(super) fn load_scenario(a: &ScenarioArgs) -> Result<Loaded, AppError> {
    let mut sets = a.sets.clone();
    if let Some(seed) = a.seed {
        if seed > i64::MAX as u64 {
            return Err(AppError::Usage(format!(
                "--seed must be at most {}, got {seed}",
                i64::MAX
            )));
        }
        sets.push(format!("simulation.seed={seed}"));
    }
    Ok(load(&a.scenario, &sets)?)
}

pub(super) fn resolved_json(loaded: &Loaded) -> serde_json::Value {
    serde_json::to_value(&loaded.raw).unwrap_or(serde_json::Value::Null)
}

/// Raised by Ctrl-C; the run stops at the next replication.
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT).
pub(super) const INTERRUPTED: u8 = 130;

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
        e => AppError::Run(e.to_string()),
    }
}

/// Runs `work` with the Ctrl-C flag armed and a progress bar over `total` replications.
pub(super) fn with_progress<T>(
    total: u64,
    quiet: bool,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> Result<T, McError>,
) -> Result<T, AppError> {
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    let progress = Progress::new(total, quiet);
    let result = work(&|| progress.inc());
    progress.finish();
    let r = result.map_err(mc_error)?;
    if STOP.load(Ordering::SeqCst) {
        return Err(AppError::Interrupted);
    }
    Ok(r)
}

pub(super) fn prepare(flags: &RunFlags) -> Result<(), AppError> {
    prepare_out_dir(&flags.out).map_err(|e| AppError::Usage(format!("--out {}: {e}", flags.out.display())))
}

pub(super) fn write_outputs(target: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Result<(), AppError> {
    write_dir_atomically(target, files).map_err(|e| AppError::Run(format!("cannot write {}: {e}", target.display())))
}

/// The chart formats to render: those asked for, plus SVG when a report
/// is written (its charts are inlined as SVG) and charts are drawn at all.
pub(super) fn render_formats(asked: &[crate::plot::Format], report: bool) -> Vec<crate::plot::Format> {
    let mut out = asked.to_vec();
    if report && !out.is_empty() && !out.contains(&crate::plot::Format::Svg) {
        out.push(crate::plot::Format::Svg);
    }
    out
}

/// The chart files to write: those of the formats asked for (an SVG
/// rendered only for the report is not written).
pub(super) fn asked_only(files: &[(String, Vec<u8>)], asked: &[crate::plot::Format]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .filter(|(name, _)| asked.iter().any(|f| name.ends_with(&format!(".{}", f.extension()))))
        .cloned()
        .collect()
}

/// The chart formats asked for (none with --no-charts).
pub(super) fn chart_formats(flags: &RunFlags) -> Result<Vec<crate::plot::Format>, AppError> {
    if flags.no_charts {
        return Ok(Vec::new());
    }
    crate::plot::Format::parse_list(&flags.format).map_err(|e| AppError::Usage(format!("--format: {e}")))
}
