//! The embedded command in progress (see [`super::embed`]): what it was
//! given (its command line, scenario texts standing for files) and what it
//! produced (its outputs, its progress). The output manager, the scenario
//! loader and the progress bar consult it; it imports none of them.

use crate::experiments::provenance::Provenance;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

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
    pub(super) json: &'static str,
    /// Where the result came from.
    pub(super) provenance: Provenance,
}

/// Starts a session: the command line `args`, scenario `texts`.
pub(super) fn begin(args: &[String], texts: &[(PathBuf, String)]) {
    DONE.store(0, Ordering::SeqCst);
    TOTAL.store(0, Ordering::SeqCst);
    *session() = Some(Session {
        args: args.to_vec(),
        texts: texts.to_vec(),
        captured: None,
    });
}

/// Ends the session, with the outputs it captured.
pub(super) fn end() -> Option<Captured> {
    session().take().and_then(|s| s.captured)
}

/// Replications done and to do so far.
pub(super) fn progress() -> (u64, u64) {
    (DONE.load(Ordering::Relaxed), TOTAL.load(Ordering::Relaxed))
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
