//! Stopping cleanly on SIGINT (Ctrl-C) and SIGTERM, with exit code 128 +
//! the signal's number (130 for SIGINT, 143 for SIGTERM). Until results are
//! being written, nothing exists that a sudden end could damage, so a signal
//! ends the process at once. While they are written, it raises [`STOP`]
//! instead: the writer gives up before the swap and the previous results
//! stay as they were (or, past the swap, the new ones are complete). A
//! second signal ends the process at once in any case; the atomic writer
//! leaves the results whole even then.

use signal_hook::consts::{SIGINT, SIGTERM};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Raised by a signal that arrives while results are written (or while a
/// [`shielded`] step runs).
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);

/// The signal that raised [`STOP`] (0 before any).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Whether results are being written (a signal then waits for the swap).
static WRITING: AtomicBool = AtomicBool::new(false);

/// Whether the handlers are installed: the process is the `gatesim`
/// command. Embedded in another program (the Python package), the host
/// raises [`STOP`] itself and the process is never ended here.
static ARMED: AtomicBool = AtomicBool::new(false);

/// Installs the handlers, once per process. A closed standard output
/// (`gatesim check x.toml | head -1`) ends the process quietly, as it ends
/// any command-line tool: results are written to files, and printed only
/// once written, so nothing is lost.
pub(super) fn arm() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        ARMED.store(true, Ordering::SeqCst);
        #[cfg(unix)]
        // SAFETY: restores the default action of SIGPIPE (Rust's runtime
        // ignores it, which turns a closed pipe into a panic in println!).
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
        for sig in [SIGINT, SIGTERM] {
            // SAFETY: the action only touches atomics, writes to standard
            // error and calls `_exit`, all safe in a signal handler.
            let _ = unsafe { signal_hook::low_level::register(sig, move || on_signal(sig)) };
        }
    });
}

fn on_signal(sig: i32) {
    // The first signal's number, recorded before STOP is raised, so that
    // whoever sees STOP sees it.
    let _ = SIGNAL.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    let again = STOP.swap(true, Ordering::SeqCst);
    if again || !WRITING.load(Ordering::SeqCst) {
        end_now(sig);
    }
}

/// Ends the process for signal `sig`, saying so (safe in a signal handler).
fn end_now(sig: i32) -> ! {
    say(if sig == SIGTERM {
        "\ninterrupted by SIGTERM: nothing was written; previous results are untouched\n"
    } else {
        "\ninterrupted by SIGINT: nothing was written; previous results are untouched\n"
    });
    signal_hook::low_level::exit(128 + sig)
}

/// Runs `step`, a short one that leaves nothing behind once it has returned
/// (the output folder's probe file), with signals deferred, then ends the
/// process at once if one came meanwhile: a signal never ends the process
/// in the middle of it, with its file still there.
pub(super) fn shielded<T>(step: impl FnOnce() -> T) -> T {
    let r = while_writing(step);
    if stopped() {
        end_now(SIGNAL.load(Ordering::SeqCst));
    }
    r
}

/// Writes `message` to standard error from a signal handler.
fn say(message: &str) {
    #[cfg(unix)]
    // SAFETY: write(2) on a static buffer is safe in a signal handler.
    unsafe {
        libc::write(2, message.as_ptr().cast(), message.len());
    }
    #[cfg(not(unix))]
    let _ = message;
}

/// Runs `write` with signals deferred until it is done or gives up.
pub(super) fn while_writing<T>(write: impl FnOnce() -> T) -> T {
    WRITING.store(true, Ordering::SeqCst);
    let r = write();
    WRITING.store(false, Ordering::SeqCst);
    r
}

/// Asks the work under way to stop, as a first SIGINT would (the embedding
/// host's interrupt); [`reset`] before the next command.
pub(super) fn raise() {
    let _ = SIGNAL.compare_exchange(0, SIGINT, Ordering::SeqCst, Ordering::SeqCst);
    STOP.store(true, Ordering::SeqCst);
}

/// Clears a stop raised by [`raise`], before an embedded command starts.
pub(super) fn reset() {
    STOP.store(false, Ordering::SeqCst);
    SIGNAL.store(0, Ordering::SeqCst);
}

/// Whether a signal asked to stop.
pub(super) fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// The exit code of a run stopped by a signal: 128 + its number.
pub(super) fn exit_code() -> u8 {
    match SIGNAL.load(Ordering::SeqCst) {
        s if s == SIGTERM => 128 + SIGTERM as u8,
        _ => 128 + SIGINT as u8,
    }
}

/// The signal's name, for messages.
pub(super) fn name() -> &'static str {
    match SIGNAL.load(Ordering::SeqCst) {
        s if s == SIGTERM => "SIGTERM",
        _ => "SIGINT",
    }
}
