//! gatesim embedded in another program (the Python package): a command line
//! run in this process with its outputs handed back in memory ([`capture`])
//! instead of written, and written later, on request, by the same checks
//! and the same atomic writer ([`Captured::write`]); scenarios given as text
//! rather than as files ([`capture`]'s `texts`); and a stop the host raises
//! ([`stop`], Python's KeyboardInterrupt) where the command-line program
//! handles signals. The outputs are those of the `gatesim` command given
//! the same arguments, byte for byte: the same command runs, and only the
//! last step, the write, waits.
//!
//! One embedded command runs at a time in a process (they share the stop
//! flag and the recorded command line); each may use many threads.

use super::command::Context;
use super::error::AppError;
use super::flags::parse_name;
use super::outputs::{check_same_run, write};
use super::session;
pub use super::session::Captured;
use super::{Cli, finish_merged, signals};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Held for the whole of an embedded command: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The gatesim library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How an embedded command failed: as the `gatesim` command would exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// Bad usage or invalid input (exit code 2).
    Usage,
    /// The run failed (exit code 1).
    Run,
    /// Stopped by [`stop`]: nothing was written.
    Interrupted,
}

/// Why an embedded command produced nothing: its kind and the message the
/// `gatesim` command prints after `error: `.
#[derive(Clone, Debug)]
pub struct Failure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        let kind = match e {
            AppError::Usage { .. } => FailureKind::Usage,
            AppError::Run { .. } => FailureKind::Run,
            AppError::Interrupted => FailureKind::Interrupted,
        };
        let message = match kind {
            FailureKind::Interrupted => "interrupted: nothing was written; previous results are untouched".into(),
            _ => crate::scenario::problem::readable_numbers(e.chain().trim_end()),
        };
        Failure { kind, message }
    }
}

/// Runs the command line `args` (`["gatesim", "run", "x.toml", ...]`) in
/// this process, without writing anything or printing: its outputs come
/// back. A path in `texts` is read from the text given there instead of
/// from a file. A [`stop`] from another thread makes it give up
/// ([`FailureKind::Interrupted`]).
pub fn capture(args: &[String], texts: &[(PathBuf, String)]) -> Result<Captured, Failure> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let cli = Cli::try_parse_from(args).map_err(|e| Failure {
        kind: FailureKind::Usage,
        message: e.render().to_string().trim_end().to_string(),
    })?;
    signals::reset();
    session::begin(args, texts);
    let result = cli.command.command().execute(&Context { finish_merged });
    let captured = session::end();
    if signals::stopped() {
        return Err(AppError::Interrupted.into());
    }
    result?;
    captured.ok_or_else(|| Failure {
        kind: FailureKind::Usage,
        message: format!("`{}` has no outputs to hand back", args.join(" ")),
    })
}

/// Asks the embedded command in progress (a [`capture`] or a
/// [`Captured::write`]) to stop: it gives up and leaves nothing behind.
pub fn stop() {
    signals::raise();
}

/// Replications done and to do so far in the embedded command in progress.
pub fn progress() -> (u64, u64) {
    session::progress()
}

impl Captured {
    /// Writes the outputs into `out/<folder>` (or `out/<name>`) as `gatesim`
    /// with `--out out` writes them: refused if that folder holds another
    /// run's results, written atomically, given up on [`stop`] before the
    /// swap (the previous results stay whole). Returns the folder written.
    pub fn write(&self, out: &Path, name: Option<&str>) -> Result<PathBuf, Failure> {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        signals::reset();
        let folder = match name {
            Some(n) => parse_name(n).map_err(|e| AppError::usage(format!("--name {n}: {e}")))?,
            None => self.folder.clone(),
        };
        let target = out.join(folder);
        std::fs::create_dir_all(out).map_err(|e| AppError::usage_because(format!("--out {}", out.display()), e))?;
        check_same_run(&target, self.json, &self.provenance)?;
        let files: Vec<(&str, Vec<u8>)> = self.files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        write(&target, &files)?;
        Ok(target)
    }
}
