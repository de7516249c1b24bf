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
use super::outputs::{check_same_run, write};
use super::{Cli, finish_merged, signals};
use crate::experiments::provenance::Provenance;
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The gatesim library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the embedded command in progress was given, and what it produced.
#[derive(Default)]
struct Session {
    /// Its command line (the program's name first).
    args: Vec<String>,
    /// Scenario texts standing for files: (the path the command line names, the text).
    texts: Vec<(PathBuf, String)>,
    /// The outputs, once the command delivered them.
    captured: Option<Captured>,
}

/// The session of the embedded command in progress (None outside one).
static SESSION: Mutex<Option<Session>> = Mutex::new(None);

/// Held for the whole of an embedded command: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Replications done and to do in the embedded command in progress.
static DONE: AtomicU64 = AtomicU64::new(0);
static TOTAL: AtomicU64 = AtomicU64::new(0);

fn session() -> MutexGuard<'static, Option<Session>> {
    SESSION.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The outputs of a command, in memory: what `gatesim` would have written
/// into `OUT/<folder>/`, file by file, and what it would have printed.
#[derive(Clone, Debug)]
pub struct Captured {
    /// The output folder's name under `--out`.
    pub folder: String,
    /// Every file (path under the folder, bytes), charts and report included.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the command prints (its summary), without the line saying
    /// where the outputs went.
    pub text: String,
    /// The command line the result records (`gatesim run ...`): the one
    /// that reproduces it.
    pub command_line: Vec<String>,
    /// The file among `files` that records the provenance.
    json: &'static str,
    /// Where the result came from.
    provenance: Provenance,
}

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
    DONE.store(0, Ordering::SeqCst);
    TOTAL.store(0, Ordering::SeqCst);
    *session() = Some(Session {
        args: args.to_vec(),
        texts: texts.to_vec(),
        captured: None,
    });
    let result = cli.command.command().execute(&Context { finish_merged });
    let captured = session().take().and_then(|s| s.captured);
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
    (DONE.load(Ordering::Relaxed), TOTAL.load(Ordering::Relaxed))
}

impl Captured {
    /// Writes the outputs into `out/<folder>` (or `out/<name>`) as `gatesim`
    /// with `--out out` writes them: refused if that folder holds another
    /// run's results, written atomically, given up on [`stop`] before the
    /// swap (the previous results stay whole). Returns the folder written.
    pub fn write(&self, out: &Path, name: Option<&str>) -> Result<PathBuf, Failure> {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        signals::reset();
        let target = out.join(name.unwrap_or(&self.folder));
        std::fs::create_dir_all(out).map_err(|e| AppError::usage_because(format!("--out {}", out.display()), e))?;
        check_same_run(&target, self.json, &self.provenance)?;
        let files: Vec<(&str, Vec<u8>)> = self.files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        write(&target, &files)?;
        Ok(target)
    }
}

/// Whether an embedded command is in progress (its outputs are captured).
pub(super) fn capturing() -> bool {
    session().is_some()
}

/// Hands the embedded command's outputs over.
pub(super) fn hand_over(
    folder: String,
    files: Vec<(String, Vec<u8>)>,
    text: String,
    json: &'static str,
    provenance: Provenance,
) {
    if let Some(s) = session().as_mut() {
        s.captured = Some(Captured {
            folder,
            files,
            text,
            command_line: provenance.command_line.clone(),
            json,
            provenance,
        });
    }
}

/// The embedded command's command line, if one is in progress.
pub(super) fn command_line() -> Option<Vec<String>> {
    session().as_ref().map(|s| s.args.clone())
}

/// The text standing for the file `path` in the embedded command in progress.
pub(super) fn text_of(path: &Path) -> Option<String> {
    session()
        .as_ref()
        .and_then(|s| s.texts.iter().find(|(p, _)| p == path).map(|(_, t)| t.clone()))
}

/// Counts progress for the host: `total` replications to do (`afresh`:
/// none done yet).
pub(super) fn set_total(total: u64, afresh: bool) {
    TOTAL.store(total, Ordering::Relaxed);
    if afresh {
        DONE.store(0, Ordering::Relaxed);
    }
}

/// Counts progress for the host: one more replication done.
pub(super) fn inc() {
    DONE.fetch_add(1, Ordering::Relaxed);
}
