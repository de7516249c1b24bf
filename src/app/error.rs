//! The application's error: a failure by exit code (2 bad usage or input,
//! 1 the run failed, 130/143 interrupted), keeping its cause chain so the
//! message names every cause in turn.

use crate::experiments::montecarlo::McError;
use crate::scenario::ScenarioError;

/// The cause of a failure, kept so the message can name it.
type Source = Box<dyn std::error::Error + Send + Sync>;

/// A failure, by exit code, with what caused it: printed as the message
/// followed by each cause in turn (`cannot write out/guizhou: No space left
/// on device`).
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppError {
    /// Bad usage or invalid input (a scenario, a flag, a data file): exit
    /// code 2.
    #[error("{message}")]
    Usage {
        /// What was wrong, and where.
        message: String,
        /// Why, if another error says it.
        #[source]
        source: Option<Source>,
    },
    /// The run itself failed: exit code 1.
    #[error("{message}")]
    Run {
        /// What could not be done.
        message: String,
        /// Why.
        #[source]
        source: Option<Source>,
    },
    /// Interrupted by SIGINT (Ctrl-C) or SIGTERM: exit code 130 or 143,
    /// nothing written.
    #[error("interrupted")]
    Interrupted,
}

impl AppError {
    /// Bad usage or input, said in `message`.
    pub(crate) fn usage(message: impl Into<String>) -> AppError {
        AppError::Usage {
            message: message.into(),
            source: None,
        }
    }

    /// Bad usage or input: `message`, because of `source`.
    pub(crate) fn usage_because(message: impl Into<String>, source: impl Into<Source>) -> AppError {
        AppError::Usage {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The run failed: `message`, because of `source`.
    pub(crate) fn run_because(message: impl Into<String>, source: impl Into<Source>) -> AppError {
        AppError::Run {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The run failed, as `source` says.
    pub(crate) fn failed(source: impl std::fmt::Display) -> AppError {
        AppError::Run {
            message: source.to_string(),
            source: None,
        }
    }

    /// The message and every cause, joined by ": ".
    pub(crate) fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        AppError::usage(e.to_string())
    }
}

/// Maps a Monte Carlo failure to an exit.
pub(crate) fn mc_error(e: McError) -> AppError {
    match e {
        McError::Interrupted => AppError::Interrupted,
        e => AppError::failed(e),
    }
}
