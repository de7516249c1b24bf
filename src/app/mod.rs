//! The command line: parses it, runs the command and maps every failure to
//! its exit code (0 ok, 1 run failure, 2 bad usage or invalid input, 130
//! interrupted by SIGINT, 143 by SIGTERM). Each command is one type in its
//! own file, owning its flags ([`command::Command`]); this file registers
//! them (the [`Commands`] enum, and [`finish_merged`] for the commands whose
//! work shards). Shared flags are in [`flags`], the output manager in
//! [`outputs`]. No simulation logic lives in `app/`, and no command file
//! imports another.

mod calibrate;
mod check;
pub(crate) mod cli_reference;
mod command;
mod compare;
pub(crate) mod embed;
mod error;
mod fit;
mod flags;
mod members;
mod merge;
mod outputs;
mod progress;
mod run;
mod schema;
mod sensitivity;
mod sensitivity_setup;
pub(crate) mod session;
mod shard;
mod signals;
mod sweep;
mod trace;

use crate::scenario::problem::readable_numbers;
use clap::{CommandFactory, Parser, Subcommand};
use command::{Command, Context, Merged, Sharded};
use error::AppError;
use flags::OutputFlags;
use std::process::ExitCode;

/// Simulates a mini-program review pipeline (a gatekeeper reviewing the
/// updates of competing platforms) and writes what it measured.
#[derive(Debug, Parser)]
#[command(name = "gatesim", version, about, long_about = None)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Commands,
}

/// Every command: the registry.
#[derive(Debug, Subcommand)]
enum Commands {
    /// Run a scenario's replications and write its results to OUT/<scenario name>/.
    Run(run::Run),
    /// Validate a scenario and print it resolved (defaults filled in), or its errors.
    Check(check::Check),
    /// Write every pipeline event of one replication as CSV: an auditable log.
    Trace(trace::Trace),
    /// Run several scenarios with common random numbers and report their
    /// paired differences against the first (the baseline).
    Compare(compare::Compare),
    /// Run a scenario at every point of a grid of parameter values.
    Sweep(sweep::Sweep),
    /// Fit the user model's retention or a duration distribution to your
    /// own data by maximum likelihood, and print the scenario lines to paste.
    Fit(fit::Fit),
    /// How much of the answer rests on each uncertain assumption: tornado,
    /// Morris and Sobol analyses, and the answer's range over the assumptions.
    Sensitivity(sensitivity::Sensitivity),
    /// Learn the scenario's uncertain assumptions from observed series (ABC-SMC):
    /// their posterior, the series against the posterior predictive, and an
    /// --against contrast given the data.
    Calibrate(calibrate::Calibrate),
    /// Print the JSON Schema of the scenario format (draft-07, for editors
    /// and validators), or with --markdown the reference of every key, or
    /// with --cli-markdown the reference of every command and flag.
    Schema(schema::Schema),
    /// Merge the partial results of every shard of a run, comparison,
    /// sweep, sensitivity analysis or calibration round (written with
    /// --shard K/N) into the outputs of the unsharded command, byte for byte.
    Merge(merge::Merge),
}

impl Commands {
    /// The command as the type that runs it.
    fn command(&self) -> &dyn Command {
        match self {
            Commands::Run(c) => c,
            Commands::Check(c) => c,
            Commands::Trace(c) => c,
            Commands::Compare(c) => c,
            Commands::Sweep(c) => c,
            Commands::Fit(c) => c,
            Commands::Sensitivity(c) => c,
            Commands::Calibrate(c) => c,
            Commands::Schema(c) => c,
            Commands::Merge(c) => c,
        }
    }
}

/// The command line's definition, as clap reads it (for its reference).
pub(crate) fn cli() -> clap::Command {
    Cli::command()
}

/// The command-line reference in Markdown (`docs/src/reference/cli.md`).
pub fn cli_reference_markdown() -> String {
    cli_reference::cli_markdown(cli())
}

/// Whether `args` (the words after `gatesim`) parse as a command line,
/// without running it: the clap error's text if not.
pub fn parse_command_line(args: &[String]) -> Result<(), String> {
    let words = std::iter::once("gatesim".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(words).map(|_| ()).map_err(|e| e.to_string())
}

/// Finishes merged partial results by the sharded command that wrote them.
fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
    let i = &merged.inputs;
    if run::Run::wrote(i) {
        run::Run::finish_merged(merged, flags)
    } else if compare::Compare::wrote(i) {
        compare::Compare::finish_merged(merged, flags)
    } else if sweep::Sweep::wrote(i) {
        sweep::Sweep::finish_merged(merged, flags)
    } else if sensitivity::Sensitivity::wrote(i) {
        sensitivity::Sensitivity::finish_merged(merged, flags)
    } else if calibrate::Calibrate::wrote(i) {
        calibrate::Calibrate::finish_merged(merged, flags)
    } else {
        Err(AppError::usage(format!(
            "{}: its results do not match its command",
            merged.from
        )))
    }
}

/// Parses the command line, runs it, prints errors and returns the exit code.
pub fn main() -> ExitCode {
    ExitCode::from(main_from(
        std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect(),
    ))
}

/// [`main`] for the command line `args` (the program's name first): what a
/// program that embeds gatesim (the Python package's `gatesim` command)
/// calls to be the `gatesim` command, signals included; returns the exit
/// code.
pub fn main_from(args: Vec<String>) -> u8 {
    let _ = command::GIVEN_ARGS.set(args.clone());
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    signals::arm();
    let cx = Context { finish_merged };
    let result = cli.command.command().execute(&cx);
    match result {
        Ok(()) if signals::stopped() => {
            eprintln!(
                "interrupted by {} after the work was done: its outputs are complete",
                signals::name()
            );
            signals::exit_code()
        }
        Ok(()) => 0,
        Err(e @ AppError::Usage { .. }) => {
            eprintln!("error: {}", readable_numbers(e.chain().trim_end()));
            2
        }
        Err(e @ AppError::Run { .. }) => {
            eprintln!("error: {}", readable_numbers(e.chain().trim_end()));
            1
        }
        Err(AppError::Interrupted) => {
            eprintln!(
                "interrupted by {}: nothing was written; previous results are untouched",
                signals::name()
            );
            signals::exit_code()
        }
    }
}
