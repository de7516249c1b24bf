//! `gatesim trace`: every pipeline event of one replication as CSV, an
//! auditable log, to standard output or (atomically) to a file; the named
//! platforms' events, or those of the platforms and populations named; with
//! `--format log`, the replication's submissions as a review log, the form
//! `gatesim fit reviews` reads.

use super::command::{Command, Context, load_scenario};
use super::error::AppError;
use super::flags::ScenarioFlags;
use super::signals;
use crate::experiments::trace::trace_with;
use crate::present::output::trace::{trace_csv, trace_log_csv};
use crate::present::output::write::{check_out_file, write_file_atomically};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// `gatesim trace`
#[derive(Debug, Args)]
pub(crate) struct Trace {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: ScenarioFlags,
    /// Which replication to trace, numbered from 0 (as in replications.csv).
    #[arg(long, default_value_t = 0)]
    replication: u64,
    /// Write the CSV to this file instead of standard output (a file: where
    /// the other commands' --out is a folder, this is the CSV itself).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Keep only this platform's events (repeatable; with neither flag,
    /// every named platform's).
    #[arg(long = "platform", value_name = "NAME")]
    platforms: Vec<String>,
    /// Keep this population's events and its members' (repeatable;
    /// members' events are kept only for the populations named).
    #[arg(long = "population", value_name = "NAME")]
    populations: Vec<String>,
    /// What to write: `events` (every pipeline event) or `log` (one row
    /// per submission: platform, class, build, submitted, decided,
    /// outcome, times in hours from the start; the review log `gatesim fit
    /// reviews` reads, taken at the end of the run).
    #[arg(long, value_enum, default_value_t = TraceFormat::Events)]
    format: TraceFormat,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// What `gatesim trace` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TraceFormat {
    /// Every pipeline event.
    Events,
    /// One row per submission: the review log `gatesim fit reviews` reads.
    Log,
}

impl Command for Trace {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let loaded = load_scenario(&self.scenario, &self.overrides)?;
        if let Some(path) = &self.out {
            check_out_file(path).map_err(|e| AppError::usage_because(format!("--out {}", path.display()), e))?;
        }
        let filter = super::members::trace_filter(&loaded, &self.platforms, &self.populations)?;
        let log = trace_with(&loaded.scenario, self.replication, filter).map_err(AppError::failed)?;
        let bytes = match self.format {
            TraceFormat::Events => trace_csv(&log),
            TraceFormat::Log => trace_log_csv(&log),
        };
        match &self.out {
            Some(path) => signals::while_writing(|| {
                if signals::stopped() {
                    return Err(AppError::Interrupted);
                }
                write_file_atomically(path, &bytes)
                    .map_err(|e| AppError::run_because(format!("cannot write {}", path.display()), e))?;
                if !self.quiet {
                    println!("outputs: {}", path.display());
                }
                Ok(())
            }),
            None => {
                let mut out = std::io::stdout().lock();
                match out.write_all(&bytes).and_then(|_| out.flush()) {
                    Ok(()) => Ok(()),
                    // A closed pipe (e.g. `| head`) is not a failure.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(AppError::run_because("cannot write the trace", e)),
                }
            }
        }
    }
}
