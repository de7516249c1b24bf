//! The model's outputs at every design point, as the caller hands them
//! back: for each point, each replication, one value per output (a metric
//! of a scope). Replications use the same indices at every point (common
//! random numbers), so the mean over replications is the model's value at
//! that point and paired differences between points are meaningful.
//! Undefined values (NaN, infinite) are found here and reported by output
//! and point, never averaged into an index.

use super::design::Design;
use super::error::{SensitivityError, UndefinedOutput};
use rayon::prelude::*;
use serde::Serialize;

/// One model output: a metric of a scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Output {
    /// Platform name, `gatekeeper` or `market`.
    pub scope: String,
    /// Metric name, e.g. `active_users_end`.
    pub metric: String,
    /// Unit, e.g. `users`, `days`, `share`, `percent`.
    pub unit: String,
}

impl Output {
    /// An output.
    pub fn new(scope: impl Into<String>, metric: impl Into<String>, unit: impl Into<String>) -> Output {
        Output {
            scope: scope.into(),
            metric: metric.into(),
            unit: unit.into(),
        }
    }
}

/// Every output at every point in every replication.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluations {
    outputs: Vec<Output>,
    points: usize,
    replications: usize,
    /// `values[(point * outputs + output) * replications + rep]`.
    values: Vec<f64>,
}

impl Evaluations {
    /// From `per_point[i][r][o]`: output `o` in replication `r` at point
    /// `i`. Every point must have the same number of replications (at least
    /// one) and every replication one value per output.
    pub fn from_replications(
        outputs: Vec<Output>,
        per_point: &[Vec<Vec<f64>>],
    ) -> Result<Evaluations, SensitivityError> {
        let points = per_point.len();
        let replications = per_point.first().map_or(0, Vec::len);
        if outputs.is_empty() {
            return Err(SensitivityError::Shape("no output to analyse".into()));
        }
        if replications == 0 {
            return Err(SensitivityError::Shape("no replication at the first point".into()));
        }
        let m = outputs.len();
        let mut values = vec![0.0; points * m * replications];
        for (i, reps) in per_point.iter().enumerate() {
            if reps.len() != replications {
                return Err(SensitivityError::Shape(format!(
                    "point {i} has {} replications, point 0 has {replications}",
                    reps.len()
                )));
            }
            for (r, row) in reps.iter().enumerate() {
                if row.len() != m {
                    return Err(SensitivityError::Shape(format!(
                        "point {i}, replication {r}: {} values for {m} outputs",
                        row.len()
                    )));
                }
                for (o, &v) in row.iter().enumerate() {
                    values[(i * m + o) * replications + r] = v;
                }
            }
        }
        Ok(Evaluations {
            outputs,
            points,
            replications,
            values,
        })
    }

    /// Evaluates `model(point, replication)` (one value per output) at
    /// every point of `design` for replications `0..replications`, in
    /// parallel; the result does not depend on the number of threads.
    pub fn evaluate<F>(
        design: &Design,
        outputs: Vec<Output>,
        replications: usize,
        model: F,
    ) -> Result<Evaluations, SensitivityError>
    where
        F: Fn(&[f64], usize) -> Vec<f64> + Sync,
    {
        let per_point: Vec<Vec<Vec<f64>>> = design
            .points()
            .par_iter()
            .map(|x| (0..replications).map(|r| model(x, r)).collect())
            .collect();
        Evaluations::from_replications(outputs, &per_point)
    }

    /// The outputs, in order.
    pub fn outputs(&self) -> &[Output] {
        &self.outputs
    }

    /// Number of points.
    pub fn points(&self) -> usize {
        self.points
    }

    /// Replications per point.
    pub fn replications(&self) -> usize {
        self.replications
    }

    /// Output `output` at point `point`, replication by replication.
    pub fn values(&self, point: usize, output: usize) -> &[f64] {
        let start = (point * self.outputs.len() + output) * self.replications;
        &self.values[start..start + self.replications]
    }

    /// The mean over replications of output `output` at point `point`.
    pub fn mean(&self, point: usize, output: usize) -> f64 {
        let v = self.values(point, output);
        v.iter().sum::<f64>() / v.len() as f64
    }

    /// Output `output`'s mean at every point, in design order.
    pub fn means(&self, output: usize) -> Vec<f64> {
        (0..self.points).map(|i| self.mean(i, output)).collect()
    }

    /// Every output that is NaN or infinite in some replication at some
    /// point, with those points.
    pub fn undefined(&self) -> Vec<UndefinedOutput> {
        let mut out = Vec::new();
        for (o, output) in self.outputs.iter().enumerate() {
            let points: Vec<usize> = (0..self.points)
                .filter(|&i| self.values(i, o).iter().any(|v| !v.is_finite()))
                .collect();
            if !points.is_empty() {
                out.push(UndefinedOutput {
                    scope: output.scope.clone(),
                    metric: output.metric.clone(),
                    points,
                });
            }
        }
        out
    }

    /// Checks that the evaluations fit `design` and are defined everywhere.
    pub fn check(&self, design: &Design) -> Result<(), SensitivityError> {
        if self.points != design.len() {
            return Err(SensitivityError::Shape(format!(
                "{} points evaluated, the design has {}",
                self.points,
                design.len()
            )));
        }
        let undefined = self.undefined();
        if undefined.is_empty() {
            Ok(())
        } else {
            Err(SensitivityError::Undefined(undefined))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> Vec<Output> {
        vec![Output::new("a", "x", "users"), Output::new("b", "y", "days")]
    }

    #[test]
    fn values_are_read_back_by_point_output_and_replication() {
        let per_point = vec![
            vec![vec![1.0, 10.0], vec![3.0, 30.0]],
            vec![vec![5.0, 50.0], vec![7.0, 70.0]],
        ];
        let e = Evaluations::from_replications(outputs(), &per_point).unwrap();
        assert_eq!(e.values(1, 1), [50.0, 70.0]);
        assert_eq!(e.mean(0, 0), 2.0);
        assert_eq!(e.means(1), [20.0, 60.0]);
        assert!(e.undefined().is_empty());
    }

    #[test]
    fn ragged_evaluations_are_refused_with_the_point() {
        let per_point = vec![vec![vec![1.0, 2.0]], vec![vec![1.0]]];
        let e = Evaluations::from_replications(outputs(), &per_point).unwrap_err();
        assert!(
            e.to_string().contains("point 1, replication 0: 1 values for 2 outputs"),
            "{e}"
        );
        let per_point = vec![vec![vec![1.0, 2.0]], vec![]];
        assert!(Evaluations::from_replications(outputs(), &per_point).is_err());
    }

    #[test]
    fn undefined_values_are_listed_by_output_and_point() {
        let per_point = vec![
            vec![vec![1.0, f64::NAN]],
            vec![vec![f64::INFINITY, 2.0]],
            vec![vec![1.0, f64::NAN]],
        ];
        let e = Evaluations::from_replications(outputs(), &per_point).unwrap();
        let u = e.undefined();
        assert_eq!(u.len(), 2);
        assert_eq!((u[0].metric.as_str(), u[0].points.as_slice()), ("x", &[1usize][..]));
        assert_eq!((u[1].scope.as_str(), u[1].points.as_slice()), ("b", &[0usize, 2][..]));
    }
}
