//! Variance-based (Sobol) indices by Saltelli's sampling scheme. Two
//! independent samples A and B of N points in the unit cube (the first and
//! last p coordinates of a 2p-dimensional scrambled Sobol sequence or Latin
//! hypercube), and for each parameter i the matrix AB_i (A with column i
//! taken from B): N (p + 2) points, laid out block by block (A_j, AB_1j,
//! ..., AB_pj, B_j), so that any prefix of whole blocks is a smaller design.
//!
//! Estimators, with m and V the mean and variance of f(A) and f(B) pooled:
//! first order S_i = mean((f(B) - m) (f(AB_i) - f(A))) / V (Saltelli et al.
//! 2010, on centred outputs: centring leaves the estimate's expectation as
//! it is, up to O(1/N), and removes the variance a large mean adds to it,
//! as SALib does), total ST_i = mean((f(A) - f(AB_i))^2) / (2V) (Jansen
//! 1999).
//! Intervals: bootstrap over the N blocks. With a scrambled Sobol design
//! the bootstrap, which treats rows as independent, overstates the error
//! (quasi-random rows are better than independent ones): the intervals are
//! conservative.

use super::bootstrap::intervals;
use super::design::{Design, Layout, Method, Sampling};
use super::error::SensitivityError;
use super::evaluations::Evaluations;
use super::latin_hypercube::latin_hypercube;
use super::result::{Index, Record};
use super::sobol_points::sobol_points;
use super::space::ParameterSpace;

/// Builds Saltelli's design with base sample `n` (at least 2; a power of
/// two keeps a Sobol sequence balanced).
pub fn sobol_design(
    space: &ParameterSpace,
    n: usize,
    sampling: Sampling,
    seed: u64,
) -> Result<Design, SensitivityError> {
    let p = space.len();
    if n < 2 {
        return Err(SensitivityError::Design(format!(
            "a Sobol analysis needs a base sample of at least 2 points, got {n}"
        )));
    }
    let unit = match sampling {
        Sampling::ScrambledSobol => sobol_points(n, 2 * p, seed)?,
        Sampling::LatinHypercube => latin_hypercube(n, 2 * p, seed, "sensitivity/design/saltelli"),
    };
    let mut points = Vec::with_capacity(n * (p + 2));
    for u in &unit {
        let (a, b) = u.split_at(p);
        points.push(space.at_unit(a));
        for i in 0..p {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            points.push(space.at_unit(&ab));
        }
        points.push(space.at_unit(b));
    }
    Ok(Design {
        method: Method::Sobol,
        seed,
        parameters: space.summaries(None),
        points,
        layout: Layout::Saltelli { n, sampling },
    })
}

/// The rows of one output, read from the design's blocks.
struct Rows {
    a: Vec<f64>,
    b: Vec<f64>,
    /// `ab[i][j]`: AB_i at block `j`.
    ab: Vec<Vec<f64>>,
}

impl Rows {
    fn of(y: &[f64], n: usize, p: usize) -> Rows {
        let at = |j: usize, r: usize| y[j * (p + 2) + r];
        Rows {
            a: (0..n).map(|j| at(j, 0)).collect(),
            b: (0..n).map(|j| at(j, p + 1)).collect(),
            ab: (0..p).map(|i| (0..n).map(|j| at(j, i + 1)).collect()).collect(),
        }
    }

    /// First-order indices, total indices and the sum of the first-order
    /// ones, over blocks `rows` (each `None` when A and B do not vary).
    fn indices(&self, rows: &[usize]) -> Vec<Option<f64>> {
        let p = self.ab.len();
        let m = rows.len() as f64;
        let mean = rows.iter().map(|&j| self.a[j] + self.b[j]).sum::<f64>() / (2.0 * m);
        let var = rows
            .iter()
            .map(|&j| (self.a[j] - mean).powi(2) + (self.b[j] - mean).powi(2))
            .sum::<f64>()
            / (2.0 * m);
        let mut out = vec![None; 2 * p + 1];
        // A variance at rounding level is no variance.
        if !(var > 1e-300 && var > (mean * 1e-12).powi(2)) {
            return out;
        }
        let mut sum = 0.0;
        for (i, ab) in self.ab.iter().enumerate() {
            let s1 = rows
                .iter()
                .map(|&j| (self.b[j] - mean) * (ab[j] - self.a[j]))
                .sum::<f64>()
                / m
                / var;
            let st = rows.iter().map(|&j| (self.a[j] - ab[j]).powi(2)).sum::<f64>() / m / (2.0 * var);
            out[i] = Some(s1);
            out[p + i] = Some(st);
            sum += s1;
        }
        out[2 * p] = Some(sum);
        out
    }
}

/// First-order, total and summed first-order indices of every output, with
/// bootstrap intervals.
pub(crate) fn analyse(design: &Design, ev: &Evaluations, resamples: usize) -> Vec<Record> {
    let Layout::Saltelli { n, .. } = design.layout else {
        return Vec::new();
    };
    let p = design.parameters.len();
    let all: Vec<usize> = (0..n).collect();
    let mut records = Vec::new();
    for (o, output) in ev.outputs().iter().enumerate() {
        let rows = Rows::of(&ev.means(o), n, p);
        let est = rows.indices(&all);
        let ci = intervals(design.seed, n, resamples, 2 * p + 1, |r| rows.indices(r));
        for (i, par) in design.parameters.iter().enumerate() {
            let name = Some(par.name.as_str());
            records.push(Record::new(name, output, Index::FirstOrder, est[i], ci[i]));
            records.push(Record::new(name, output, Index::Total, est[p + i], ci[p + i]));
        }
        records.push(Record::new(None, output, Index::SumFirstOrder, est[2 * p], ci[2 * p]));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{Distribution, Parameter};

    fn space(p: usize) -> ParameterSpace {
        ParameterSpace::new(
            (0..p)
                .map(|i| Parameter::new(format!("x{i}"), Distribution::uniform(0.0, 1.0).unwrap()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn the_design_has_n_blocks_of_a_the_ab_matrices_and_b() {
        let d = sobol_design(&space(3), 8, Sampling::ScrambledSobol, 1).unwrap();
        assert_eq!(d.len(), 8 * 5);
        for j in 0..8 {
            let block = &d.points()[j * 5..j * 5 + 5];
            let (a, b) = (&block[0], &block[4]);
            for i in 0..3 {
                for k in 0..3 {
                    let want = if k == i { b[k] } else { a[k] };
                    assert_eq!(block[1 + i][k], want);
                }
            }
        }
        assert_eq!(d.role(0).role, "A");
        assert_eq!(d.role(7).role, "AB:x1");
        assert_eq!((d.role(9).group, d.role(9).role.as_str()), (1, "B"));
    }

    #[test]
    fn a_constant_output_has_no_indices_rather_than_nan() {
        let rows = Rows {
            a: vec![2.0; 4],
            b: vec![2.0; 4],
            ab: vec![vec![2.0; 4]],
        };
        assert_eq!(rows.indices(&[0, 1, 2, 3]), vec![None, None, None]);
    }

    #[test]
    fn a_base_sample_below_two_is_refused() {
        assert!(sobol_design(&space(2), 1, Sampling::LatinHypercube, 1).is_err());
    }
}
