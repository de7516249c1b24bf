//! What every command is: a type that owns its parsed flags and runs
//! ([`Command`]); the commands whose work shards also finish from their
//! shards' merged partial results ([`Sharded`]). And the few things every
//! command shares: loading a scenario with `--set` and `--seed`, and running
//! work under the progress bar, stopped by a signal.

use super::error::{AppError, mc_error};
use super::flags::{OutputFlags, ScenarioFlags};
use super::progress::Progress;
use super::signals;
use crate::experiments::montecarlo::McError;
use crate::experiments::provenance::{InputFile, Provenance};
use crate::experiments::shard::partial::{sha256_hex, sha256_hex_of};
use crate::experiments::shard::payload::{Inputs, State};
use crate::scenario::{Loaded, load, load_str};
use std::path::Path;

/// What a command may need from the application beyond its own flags.
pub(crate) struct Context {
    /// Finishes the merged partial results of a sharded command by the
    /// command that wrote them (the registry in [`crate::app`]).
    pub finish_merged: fn(Merged, &OutputFlags) -> Result<(), AppError>,
}

/// The merged partial results of every shard of one command's work.
pub(crate) struct Merged {
    /// The inputs every shard recorded (the same in each).
    pub inputs: Inputs,
    /// Their accumulators, added together.
    pub state: State,
    /// The first partial file's name, for messages.
    pub from: String,
    /// The provenance the shards recorded: the unsharded command's.
    pub provenance: Provenance,
}

/// A command of gatesim.
pub(crate) trait Command {
    /// Runs it: reads and checks its inputs, does the work, hands the
    /// results to the output manager. Nothing is written on an error.
    fn execute(&self, cx: &Context) -> Result<(), AppError>;
}

/// A command whose work splits into shards (`--shard K/N`).
pub(crate) trait Sharded {
    /// Whether partial results with `inputs` were written by this command.
    fn wrote(inputs: &Inputs) -> bool;

    /// Writes the outputs of the unsharded command from `merged`.
    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError>;
}

/// Flags that change nothing in the results, left out of the command line
/// a result records: with a value, and without.
const PRESENTATION_FLAGS: [&str; 6] = ["--out", "--format", "--shard", "--name", "-j", "--threads"];
const PRESENTATION_SWITCHES: [&str; 4] = ["-q", "--quiet", "--no-charts", "--no-report"];

/// The command line [`super::main_from`] was given (else the process's).
pub(super) static GIVEN_ARGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// The command line of this process as a result records it: `gatesim`,
/// then every argument but those that change nothing in the results.
fn recorded_command_line() -> Vec<String> {
    let mut out = vec!["gatesim".to_string()];
    let given = super::session::command_line()
        .or_else(|| GIVEN_ARGS.get().cloned())
        .unwrap_or_else(|| std::env::args().collect());
    let mut args = given.into_iter().skip(1);
    while let Some(a) = args.next() {
        let flag = a.split_once('=').map_or(a.as_str(), |(f, _)| f);
        if PRESENTATION_SWITCHES.contains(&a.as_str()) {
            continue;
        }
        if PRESENTATION_FLAGS.contains(&flag) {
            if !a.contains('=') {
                args.next();
            }
            continue;
        }
        if a.starts_with("-j") && a.len() > 2 {
            continue;
        }
        out.push(a);
    }
    out
}

/// The provenance of a result of `command` (`run`, `fit retention`, ...)
/// computed from the files `inputs` with the scenario `overrides` and
/// `seed`.
pub(crate) fn provenance(command: &str, inputs: &[&Path], overrides: Vec<String>, seed: Option<u64>) -> Provenance {
    Provenance {
        gatesim_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: recorded_command_line(),
        command: command.to_string(),
        overrides,
        seed,
        inputs: inputs
            .iter()
            .map(|p| InputFile {
                path: p.display().to_string(),
                sha256: match super::session::text_of(p) {
                    Some(text) => sha256_hex(text.as_bytes()),
                    None => std::fs::File::open(p).and_then(sha256_hex_of).unwrap_or_default(),
                },
            })
            .collect(),
    }
}

/// Loads the scenario at `path` with the overrides of `flags` applied
/// (embedded, from the text standing for that path if one was given).
pub(crate) fn load_scenario(path: &Path, flags: &ScenarioFlags) -> Result<Loaded, AppError> {
    if let Some(text) = super::session::text_of(path) {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
        return Ok(load_str(&text, path, stem, &flags.all_sets())?);
    }
    Ok(load(path, &flags.all_sets())?)
}

/// A scenario loaded from resolved TOML a command recorded (in a partial
/// result, or in memory), named `from` in messages.
pub(crate) fn load_resolved(text: &str, from: &str) -> Result<Loaded, AppError> {
    load_str(text, Path::new(from), "scenario", &[]).map_err(AppError::from)
}

/// Runs `work` with a progress bar over `total` steps; a signal stops it.
pub(crate) fn with_progress<T>(
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
