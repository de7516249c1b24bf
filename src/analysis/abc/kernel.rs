//! The perturbation kernel of ABC-SMC (Beaumont et al. 2009, "Adaptive
//! approximate Bayesian computation"; Filippi et al. 2013 for the
//! multivariate form): a multivariate normal centred on the parent, with
//! covariance twice the previous population's weighted covariance
//! (sum w (theta - mean)(theta - mean)^T, weights summing to 1), on the free
//! parameters only (a fixed parameter is copied). Twice the covariance is
//! the choice that minimises the Kullback-Leibler divergence between
//! proposal and target for a normal posterior.
//!
//! The covariance is factorised by Cholesky, C = L L^T. When it is not
//! positive definite (a pivot at or below 1e-12 of its diagonal entry:
//! parameters that move in lockstep, or overflow), the kernel falls back
//! to the diagonal, each coordinate perturbed on its own. A coordinate
//! that does not vary at all gets a floor variance, (1e-3 times its prior
//! 90% width) squared, so proposals still move. Normal draws come from
//! the core's ziggurat; the kernel's log-density, up to a constant that
//! every pair shares, is -|L^-1 (theta - centre)|^2 / 2, so each parameter
//! vector is whitened once (`whiten`) and a pair costs one squared
//! distance.

use super::population::Population;
use crate::core::rng::Stream;
use crate::core::sample::normal;

/// Pivots at or below this share of their diagonal entry make the
/// covariance not positive definite.
const PIVOT: f64 = 1e-12;

/// A multivariate normal perturbation of the free parameters.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Kernel {
    /// The indices of the free parameters in a parameter vector.
    free: Vec<usize>,
    /// The Cholesky factor L of the covariance, row-major, m by m for m
    /// free parameters (only the lower triangle is non-zero).
    lower: Vec<f64>,
    /// Whether the covariance is the diagonal fallback.
    diagonal: bool,
}

impl Kernel {
    /// The kernel of `population`: covariance twice its weighted
    /// covariance over the `free` parameters, with each coordinate's
    /// standard deviation at least `floors` (one per free parameter, above
    /// 0).
    pub(crate) fn new(population: &Population, free: &[usize], floors: &[f64]) -> Kernel {
        let m = free.len();
        let w = population.weights();
        let mean: Vec<f64> = free
            .iter()
            .map(|&j| population.parameters().iter().zip(w).map(|(p, w)| w * p[j]).sum())
            .collect();
        let mut cov = vec![0.0; m * m];
        for (p, w) in population.parameters().iter().zip(w) {
            for a in 0..m {
                let da = p[free[a]] - mean[a];
                for b in 0..=a {
                    cov[a * m + b] += 2.0 * w * da * (p[free[b]] - mean[b]);
                }
            }
        }
        for a in 0..m {
            for b in 0..a {
                cov[b * m + a] = cov[a * m + b];
            }
            let floor = floors.get(a).copied().unwrap_or(0.0);
            let v = cov[a * m + a];
            if !(v.is_finite() && v > floor * floor) {
                // Not varying: only the floor, and no covariance.
                for b in 0..m {
                    cov[a * m + b] = 0.0;
                    cov[b * m + a] = 0.0;
                }
                cov[a * m + a] = floor * floor;
            }
        }
        match cholesky(&cov, m) {
            Some(lower) => Kernel {
                free: free.to_vec(),
                lower,
                diagonal: false,
            },
            None => {
                let mut lower = vec![0.0; m * m];
                for a in 0..m {
                    lower[a * m + a] = cov[a * m + a].sqrt();
                }
                Kernel {
                    free: free.to_vec(),
                    lower,
                    diagonal: true,
                }
            }
        }
    }

    /// Whether the covariance fell back to its diagonal.
    pub(crate) fn is_diagonal(&self) -> bool {
        self.diagonal
    }

    /// The kernel's covariance over the free parameters, L L^T.
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn covariance(&self) -> Vec<Vec<f64>> {
        let m = self.free.len();
        (0..m)
            .map(|a| {
                (0..m)
                    .map(|b| (0..m).map(|k| self.lower[a * m + k] * self.lower[b * m + k]).sum())
                    .collect()
            })
            .collect()
    }

    /// `parent` perturbed: one standard normal per free parameter, in
    /// order, multiplied by L.
    pub(crate) fn perturb(&self, parent: &[f64], rng: &mut Stream) -> Vec<f64> {
        let m = self.free.len();
        let z: Vec<f64> = (0..m).map(|_| normal(rng)).collect();
        let mut theta = parent.to_vec();
        for a in 0..m {
            let shift: f64 = (0..=a).map(|b| self.lower[a * m + b] * z[b]).sum();
            theta[self.free[a]] += shift;
        }
        theta
    }

    /// L^-1 times `theta`'s free parameters (forward substitution): the
    /// squared distance between two whitened vectors is their Mahalanobis
    /// distance under the kernel's covariance.
    pub(crate) fn whiten(&self, theta: &[f64]) -> Vec<f64> {
        let m = self.free.len();
        let mut y = vec![0.0; m];
        for a in 0..m {
            let s: f64 = (0..a).map(|b| self.lower[a * m + b] * y[b]).sum();
            y[a] = (theta[self.free[a]] - s) / self.lower[a * m + a];
        }
        y
    }
}

/// The Cholesky factor of the symmetric m by m matrix `a` (row-major);
/// `None` unless it is positive definite with every pivot above `PIVOT`
/// of its diagonal entry.
fn cholesky(a: &[f64], m: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * m + k] * l[j * m + k]).sum();
            if i == j {
                let pivot = a[i * m + i] - s;
                if !(pivot.is_finite() && pivot > PIVOT * a[i * m + i]) {
                    return None;
                }
                l[i * m + i] = pivot.sqrt();
            } else {
                let v = (a[i * m + j] - s) / l[j * m + j];
                if !v.is_finite() {
                    return None;
                }
                l[i * m + j] = v;
            }
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;

    fn population(parameters: Vec<Vec<f64>>, weights: Vec<f64>) -> Population {
        let n = parameters.len();
        let names = (0..parameters[0].len()).map(|j| format!("p{j}")).collect();
        Population::new(1, names, parameters, weights, vec![None; n], vec![vec![]; n]).unwrap()
    }

    #[test]
    fn the_covariance_is_twice_the_weighted_covariance() {
        let p = population(
            vec![
                vec![0.0, 7.0, 1.0],
                vec![1.0, 7.0, 3.0],
                vec![2.0, 7.0, 2.0],
                vec![3.0, 7.0, 6.0],
            ],
            vec![1.0, 2.0, 3.0, 4.0],
        );
        // Parameter 1 is fixed: only 0 and 2 are free.
        let k = Kernel::new(&p, &[0, 2], &[1e-3, 1e-3]);
        assert!(!k.is_diagonal());
        let w = [0.1, 0.2, 0.3, 0.4];
        let (x, y) = ([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 2.0, 6.0]);
        let mx: f64 = (0..4).map(|i| w[i] * x[i]).sum();
        let my: f64 = (0..4).map(|i| w[i] * y[i]).sum();
        let c = |a: &[f64; 4], ma: f64, b: &[f64; 4], mb: f64| -> f64 {
            2.0 * (0..4).map(|i| w[i] * (a[i] - ma) * (b[i] - mb)).sum::<f64>()
        };
        let want = [
            [c(&x, mx, &x, mx), c(&x, mx, &y, my)],
            [c(&y, my, &x, mx), c(&y, my, &y, my)],
        ];
        let got = k.covariance();
        for a in 0..2 {
            for b in 0..2 {
                assert!((got[a][b] - want[a][b]).abs() < 1e-12, "{got:?} vs {want:?}");
            }
        }
        // Perturbations have that covariance and leave the fixed one alone.
        let mut rng = stream(9, 0, "test");
        let n = 100_000;
        let draws: Vec<Vec<f64>> = (0..n).map(|_| k.perturb(&[1.0, 7.0, 2.0], &mut rng)).collect();
        assert!(draws.iter().all(|d| d[1] == 7.0));
        let cov01: f64 = draws.iter().map(|d| (d[0] - 1.0) * (d[2] - 2.0)).sum::<f64>() / n as f64;
        let var0: f64 = draws.iter().map(|d| (d[0] - 1.0).powi(2)).sum::<f64>() / n as f64;
        // Standard errors: sqrt((s01^2 + s00 s11) / n) and s00 sqrt(2 / n).
        let se01 = ((want[0][1].powi(2) + want[0][0] * want[1][1]) / n as f64).sqrt();
        assert!((cov01 - want[0][1]).abs() < 4.0 * se01, "{cov01}");
        assert!(
            (var0 - want[0][0]).abs() < 4.0 * want[0][0] * (2.0 / n as f64).sqrt(),
            "{var0}"
        );
    }

    #[test]
    fn whitened_vectors_are_apart_by_their_mahalanobis_distance() {
        let p = population(
            vec![vec![0.0, 0.0], vec![1.0, 2.0], vec![2.0, 1.0], vec![3.0, 4.0]],
            vec![1.0; 4],
        );
        let k = Kernel::new(&p, &[0, 1], &[1e-3, 1e-3]);
        let c = k.covariance();
        let (a, b) = ([0.3, -1.0], [2.0, 0.5]);
        let d = [b[0] - a[0], b[1] - a[1]];
        let det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
        let want = (c[1][1] * d[0] * d[0] - 2.0 * c[0][1] * d[0] * d[1] + c[0][0] * d[1] * d[1]) / det;
        let (ya, yb) = (k.whiten(&a), k.whiten(&b));
        let got: f64 = ya.iter().zip(&yb).map(|(u, v)| (u - v).powi(2)).sum();
        assert!((got - want).abs() < 1e-12 * want, "{got} vs {want}");
    }

    #[test]
    fn parameters_in_lockstep_fall_back_to_the_diagonal() {
        let p = population(vec![vec![0.0, 0.0], vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0; 3]);
        let k = Kernel::new(&p, &[0, 1], &[1e-3, 1e-3]);
        assert!(k.is_diagonal());
        let c = k.covariance();
        // Weighted variances 2/3 and 8/3, doubled; no covariance.
        assert!((c[0][0] - 4.0 / 3.0).abs() < 1e-12 && (c[1][1] - 16.0 / 3.0).abs() < 1e-12);
        assert_eq!((c[0][1], c[1][0]), (0.0, 0.0));
    }

    #[test]
    fn a_coordinate_that_does_not_vary_gets_the_floor() {
        let p = population(vec![vec![5.0, 0.0], vec![5.0, 1.0], vec![5.0, 3.0]], vec![1.0; 3]);
        let k = Kernel::new(&p, &[0, 1], &[0.01, 0.01]);
        assert!(!k.is_diagonal());
        let c = k.covariance();
        assert!((c[0][0] - 1e-4).abs() < 1e-18 && c[0][1] == 0.0);
        let mut rng = stream(2, 0, "test");
        let moved = k.perturb(&[5.0, 1.0], &mut rng);
        assert!(moved[0] != 5.0 && moved[0].is_finite());
        // A single particle: every coordinate at its floor.
        let one = population(vec![vec![5.0, 1.0]], vec![1.0]);
        let k = Kernel::new(&one, &[0, 1], &[0.5, 2.0]);
        assert_eq!(k.covariance(), vec![vec![0.25, 0.0], vec![0.0, 4.0]]);
    }
}
