//! The progress bar over replications: the only place that knows indicatif.
//! It draws on standard error, and only when that is a terminal and the user
//! did not ask for quiet; otherwise it is hidden and costs nothing. It also
//! counts for a program gatesim is embedded in (its own progress bar).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing.
pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar over `total` replications; hidden when `quiet` or when standard
    /// error is not a terminal.
    pub(crate) fn new(total: u64, quiet: bool) -> Progress {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} replications  {per_sec}  ETA {eta}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        super::session::set_total(total, true);
        Progress { bar }
    }

    /// One more replication done (callable from any thread).
    pub(crate) fn inc(&self) {
        self.bar.inc(1);
        super::session::inc();
    }

    /// The total grew to `total` (a sequential run added a batch).
    pub(crate) fn set_total(&self, total: u64) {
        self.bar.set_length(total);
        super::session::set_total(total, false);
    }

    /// Removes the bar from the terminal.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
