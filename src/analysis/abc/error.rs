//! What can go wrong in a calibration: an invalid prior, observed series
//! or setting, candidates handed back that do not fit their generation,
//! and (in the drivers, which call the caller's evaluator) the evaluator's
//! own error, passed through unchanged.

/// Why a calibration could not be set up, or evaluated candidates not
/// accepted.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub(crate) enum AbcError {
    /// A parameter's prior is invalid.
    #[error("prior of `{name}`: {message}")]
    Prior {
        /// The parameter's name (empty when the name itself is missing).
        name: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The observed data are invalid.
    #[error("observed data: {0}")]
    Observed(String),
    /// A setting is out of its range.
    #[error("calibration settings: {0}")]
    Settings(String),
    /// Evaluated candidates do not fit their generation (out of order,
    /// summaries missing or of the wrong length), or a generation's parts
    /// do not fit the calibration.
    #[error("the candidates do not fit the generation: {0}")]
    Shape(String),
}

/// Why a driver stopped: the calibration's own error, or the evaluator's.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RunError<E> {
    /// The calibration's own error.
    #[error(transparent)]
    Abc(#[from] AbcError),
    /// The caller's evaluator failed; its error, unchanged.
    #[error("the model failed on a batch of candidates: {0}")]
    Evaluate(E),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_is_wrong_and_where() {
        let e = AbcError::Prior {
            name: "users.churn".into(),
            message: "sd must not be negative".into(),
        };
        assert_eq!(e.to_string(), "prior of `users.churn`: sd must not be negative");
        let r: RunError<String> = RunError::Evaluate("disk full".into());
        assert_eq!(r.to_string(), "the model failed on a batch of candidates: disk full");
        let r: RunError<String> = AbcError::Settings("particles must be at least 1".into()).into();
        assert_eq!(r.to_string(), "calibration settings: particles must be at least 1");
    }
}
