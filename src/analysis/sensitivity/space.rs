//! The parameter space of an analysis: the uncertain parameters, each a
//! name (a scenario key path, say), its distribution and an optional
//! one-line reason for its range, in a fixed order that every design,
//! record and chart follows.

use super::distribution::{Distribution, EXTREME};
use super::error::SensitivityError;
use serde::Serialize;

/// One uncertain parameter.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Name (unique in its space), e.g. `users.churn_sensitivity`.
    pub name: String,
    /// Its distribution over the plausible range.
    pub distribution: Distribution,
    /// Why this range: one line for outputs (may be empty).
    pub why: String,
}

impl Parameter {
    /// A parameter without a stated reason.
    pub fn new(name: impl Into<String>, distribution: Distribution) -> Parameter {
        Parameter {
            name: name.into(),
            distribution,
            why: String::new(),
        }
    }

    /// The same parameter with its reason.
    pub fn with_why(mut self, why: impl Into<String>) -> Parameter {
        self.why = why.into();
        self
    }
}

/// What outputs say about a parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParameterSummary {
    /// Name.
    pub name: String,
    /// Its distribution, described ("uniform 0.5 to 2").
    pub distribution: String,
    /// Lower end of its plausible range (the tornado's low value).
    pub low: f64,
    /// Upper end of its plausible range (the tornado's high value).
    pub high: f64,
    /// Its base value, when the design has one (tornado).
    pub base: Option<f64>,
    /// Why this range (may be empty).
    pub why: String,
}

/// The uncertain parameters, in order.
#[derive(Clone, Debug)]
pub struct ParameterSpace {
    parameters: Vec<Parameter>,
}

impl ParameterSpace {
    /// A space of at least one parameter with distinct, non-empty names.
    pub fn new(parameters: Vec<Parameter>) -> Result<ParameterSpace, SensitivityError> {
        if parameters.is_empty() {
            return Err(SensitivityError::Design(
                "no uncertain parameter: declare at least one".into(),
            ));
        }
        for (i, p) in parameters.iter().enumerate() {
            if p.name.trim().is_empty() {
                return Err(SensitivityError::Parameter {
                    name: String::new(),
                    message: format!("parameter {} has no name", i + 1),
                });
            }
            if parameters[..i].iter().any(|q| q.name == p.name) {
                return Err(SensitivityError::Parameter {
                    name: p.name.clone(),
                    message: "declared twice".into(),
                });
            }
        }
        Ok(ParameterSpace { parameters })
    }

    /// The parameters, in order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.parameters.len()
    }

    /// Whether there is no parameter (never, once built).
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty()
    }

    /// The parameters' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.parameters.iter().map(|p| p.name.clone()).collect()
    }

    /// Maps a point of the unit cube to parameter units by each
    /// parameter's quantile function, at coordinates kept within
    /// [`EXTREME`, 1 - `EXTREME`] (so no design draws beyond a
    /// distribution's [`Distribution::extremes`]).
    pub(crate) fn at_unit(&self, unit: &[f64]) -> Vec<f64> {
        self.parameters
            .iter()
            .zip(unit)
            .map(|(p, &u)| p.distribution.quantile(u.clamp(EXTREME, 1.0 - EXTREME)))
            .collect()
    }

    /// Maps a point of the unit grid to parameter units (the plausible
    /// range of unbounded distributions is their central 95%).
    pub(crate) fn on_grid(&self, unit: &[f64]) -> Vec<f64> {
        self.parameters
            .iter()
            .zip(unit)
            .map(|(p, &u)| p.distribution.grid_value(u))
            .collect()
    }

    /// The parameters as outputs describe them, with base values if given.
    pub(crate) fn summaries(&self, base: Option<&[f64]>) -> Vec<ParameterSummary> {
        self.parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (low, high) = p.distribution.range();
                ParameterSummary {
                    name: p.name.clone(),
                    distribution: p.distribution.describe(),
                    low,
                    high,
                    base: base.and_then(|b| b.get(i).copied()),
                    why: p.why.clone(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_needs_distinct_named_parameters() {
        let u = || Distribution::uniform(0.0, 1.0).unwrap();
        assert!(ParameterSpace::new(Vec::new()).is_err());
        let twice = ParameterSpace::new(vec![Parameter::new("a", u()), Parameter::new("a", u())]);
        assert!(twice.unwrap_err().to_string().contains("`a`: declared twice"));
        assert!(ParameterSpace::new(vec![Parameter::new(" ", u())]).is_err());
        let s = ParameterSpace::new(vec![
            Parameter::new("a", u()),
            Parameter::new("b", u()).with_why("guess"),
        ])
        .unwrap();
        assert_eq!(s.names(), ["a", "b"]);
        assert_eq!(s.summaries(None)[1].why, "guess");
    }
}
