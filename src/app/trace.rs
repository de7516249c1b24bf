//! `gatesim trace`: every pipeline event of one replication as CSV, an
//! auditable log, to standard output or (atomically) to a file; with
//! `--format log`, the replication's submissions as a review log, the
//! form `gatesim fit reviews` reads.

use super::command::{Command, Context, load_scenario};
use super::error::AppError;
use super::flags::ScenarioFlags;
use super::signals;
use crate::experiments::trace::trace;
use crate::present::output::trace::{trace_csv, trace_log_csv};
use crate::present::output::write::{check_out_file, write_file_atomically};
use clap::Args;
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
    /// What to write: `events` (every pipeline event) or `log` (one row
    /// per submission: platform, class, build, submitted, decided,
    /// outcome, times in hours from the start; the review log `gatesim fit
    /// reviews` reads, taken at the end of the run).
    #[arg(long, default_value = "events", value_parser = ["events", "log"])]
    format: String,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

impl Command for Trace {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let loaded = load_scenario(&self.scenario, &self.overrides)?;
        if let Some(path) = &self.out {
            check_out_file(path).map_err(|e| AppError::usage_because(format!("--out {}", path.display()), e))?;
        }
        let log = trace(&loaded.scenario, self.replication).map_err(AppError::failed)?;
        let bytes = if self.format == "log" {
            trace_log_csv(&log)
        } else {
            trace_csv(&log)
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
