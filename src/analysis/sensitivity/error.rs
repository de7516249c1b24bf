//! What can go wrong in a sensitivity analysis: an invalid parameter or
//! design request, evaluations that do not fit their design, and model
//! outputs that are undefined (NaN or infinite) at some design points, named
//! with the points affected so that nothing undefined slips into an index.

use std::fmt;

/// An output that is undefined at some design points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndefinedOutput {
    /// Platform name, `gatekeeper` or `market`.
    pub scope: String,
    /// Metric name.
    pub metric: String,
    /// Indices of the design points where some replication gave NaN or an
    /// infinite value, ascending.
    pub points: Vec<usize>,
}

/// How many point indices an error message lists before "and N more".
const LISTED: usize = 10;

impl fmt::Display for UndefinedOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.points.len();
        let shown: Vec<String> = self.points.iter().take(LISTED).map(usize::to_string).collect();
        write!(
            f,
            "{} of {} at {n} point{} ({}",
            self.metric,
            self.scope,
            if n == 1 { "" } else { "s" },
            shown.join(", ")
        )?;
        if n > LISTED {
            write!(f, " and {} more", n - LISTED)?;
        }
        write!(f, ")")
    }
}

/// Why a design could not be built or analysed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    /// A parameter is invalid (name, range or distribution).
    #[error("uncertain parameter `{name}`: {message}")]
    Parameter {
        /// The parameter's name (empty when the name itself is missing).
        name: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The design cannot be built as asked (too few samples, too many
    /// parameters for the sequence, ...).
    #[error("{0}")]
    Design(String),
    /// The evaluations handed back do not fit the design.
    #[error("the model's outputs do not match the design: {0}")]
    Shape(String),
    /// Some outputs are NaN or infinite at some points.
    #[error("{}", undefined_message(.0))]
    Undefined(Vec<UndefinedOutput>),
}

fn undefined_message(outputs: &[UndefinedOutput]) -> String {
    let parts: Vec<String> = outputs.iter().map(UndefinedOutput::to_string).collect();
    format!(
        "the model gave undefined values (NaN or infinite), so no sensitivity index is computed: {}",
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undefined_output_is_named_with_its_points_and_a_long_list_is_cut() {
        let e = SensitivityError::Undefined(vec![
            UndefinedOutput {
                scope: "Taocaicai".into(),
                metric: "mean_staleness_days".into(),
                points: vec![3],
            },
            UndefinedOutput {
                scope: "market".into(),
                metric: "orders_total".into(),
                points: (0..13).collect(),
            },
        ]);
        let m = e.to_string();
        assert!(m.contains("mean_staleness_days of Taocaicai at 1 point (3)"), "{m}");
        assert!(
            m.contains("orders_total of market at 13 points (0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 3 more)"),
            "{m}"
        );
    }
}
