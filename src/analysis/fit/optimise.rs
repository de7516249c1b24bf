//! Maximum likelihood on log parameters: a negative log-likelihood is
//! minimised inside a box by Nelder-Mead from several starts (each run
//! restarted once from its own best point, the usual remedy for a simplex
//! that collapsed early), the best result polished by Newton steps with a
//! backtracking line search, and the covariance of the log parameters
//! taken as the inverse of the Hessian there (the observed information).
//! Gradients are analytic when the model supplies them, else central
//! differences; Hessians are central differences of the gradient.
//! Deterministic: the same inputs give the same bits.

/// A gradient function.
pub(crate) type GradientFn<'a> = &'a dyn Fn(&[f64]) -> Vec<f64>;

/// A negative log-likelihood over log parameters, with an optional gradient.
pub(crate) struct Objective<'a> {
    /// The function; any non-finite value counts as +infinity.
    pub f: &'a dyn Fn(&[f64]) -> f64,
    /// Its gradient, if known in closed form.
    pub grad: Option<GradientFn<'a>>,
    /// The box searched, per coordinate.
    pub bounds: Vec<(f64, f64)>,
}

/// The minimum found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Minimum {
    /// The log parameters there.
    pub x: Vec<f64>,
    /// The negative log-likelihood there.
    pub value: f64,
    /// Covariance of the log parameters (inverse Hessian), when the
    /// Hessian is positive definite and no coordinate is at the box edge.
    pub covariance: Option<Vec<Vec<f64>>>,
    /// Whether some coordinate ended at (within 0.01 of) the box edge:
    /// the likelihood keeps rising towards a limit of the model.
    pub at_bound: bool,
}

impl Minimum {
    /// The parameters (exp of the log parameters) with their standard
    /// errors by the delta method: se(theta) = theta se(ln theta).
    pub(crate) fn params(&self, names: &[&'static str]) -> Vec<super::Param> {
        names
            .iter()
            .enumerate()
            .map(|(i, &name)| {
                let estimate = libm::exp(self.x[i]);
                let se = self
                    .covariance
                    .as_ref()
                    .map(|c| c[i][i])
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .map(|v| estimate * v.sqrt());
                super::Param { name, estimate, se }
            })
            .collect()
    }
}

impl Objective<'_> {
    fn value(&self, x: &[f64]) -> f64 {
        let inside = x.iter().zip(&self.bounds).all(|(v, b)| *v >= b.0 && *v <= b.1);
        let v = if inside { (self.f)(x) } else { f64::INFINITY };
        if v.is_nan() { f64::INFINITY } else { v }
    }

    /// The gradient: analytic, or central differences.
    pub(crate) fn gradient(&self, x: &[f64]) -> Vec<f64> {
        if let Some(g) = self.grad {
            return g(x);
        }
        let h = 1e-6;
        (0..x.len())
            .map(|i| {
                let (mut a, mut b) = (x.to_vec(), x.to_vec());
                a[i] += h;
                b[i] -= h;
                ((self.f)(&a) - (self.f)(&b)) / (2.0 * h)
            })
            .collect()
    }

    /// The Hessian: central differences of the gradient, symmetrised.
    pub(crate) fn hessian(&self, x: &[f64]) -> Vec<Vec<f64>> {
        let n = x.len();
        let h = if self.grad.is_some() { 1e-5 } else { 1e-4 };
        let mut m = vec![vec![0.0; n]; n];
        for j in 0..n {
            let (mut a, mut b) = (x.to_vec(), x.to_vec());
            a[j] += h;
            b[j] -= h;
            let (ga, gb) = (self.gradient(&a), self.gradient(&b));
            for i in 0..n {
                m[i][j] = (ga[i] - gb[i]) / (2.0 * h);
            }
        }
        let raw = m.clone();
        for (i, row) in m.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = 0.5 * (raw[i][j] + raw[j][i]);
            }
        }
        m
    }
}

/// Nelder-Mead from `start` with initial steps `step`: (point, value).
fn nelder_mead(obj: &Objective<'_>, start: &[f64], step: f64) -> (Vec<f64>, f64) {
    let n = start.len();
    let mut pts: Vec<Vec<f64>> = vec![start.to_vec()];
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += step;
        if obj.value(&p).is_infinite() {
            p[i] = start[i] - step;
        }
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| obj.value(p)).collect();
    let max_evals = 4000 * n;
    let mut evals = n + 1;
    while evals < max_evals {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]).then(a.cmp(&b)));
        pts = order.iter().map(|&i| pts[i].clone()).collect();
        vals = order.iter().map(|&i| vals[i]).collect();
        let spread = vals[n] - vals[0];
        let size = pts[1..]
            .iter()
            .flat_map(|p| p.iter().zip(&pts[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if vals[0].is_finite() && spread <= 1e-13 * vals[0].abs().max(1.0) && size < 1e-9 {
            break;
        }
        if size < 1e-13 {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|j| pts[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> { (0..n).map(|j| centroid[j] + t * (pts[n][j] - centroid[j])).collect() };
        let xr = along(-1.0);
        let fr = obj.value(&xr);
        evals += 1;
        if fr < vals[0] {
            let xe = along(-2.0);
            let fe = obj.value(&xe);
            evals += 1;
            if fe < fr {
                (pts[n], vals[n]) = (xe, fe);
            } else {
                (pts[n], vals[n]) = (xr, fr);
            }
        } else if fr < vals[n - 1] {
            (pts[n], vals[n]) = (xr, fr);
        } else {
            let (xc, fc) = if fr < vals[n] {
                let xc = along(-0.5);
                let fc = obj.value(&xc);
                (xc, fc)
            } else {
                let xc = along(0.5);
                let fc = obj.value(&xc);
                (xc, fc)
            };
            evals += 1;
            if fc < vals[n].min(fr) {
                (pts[n], vals[n]) = (xc, fc);
            } else {
                for i in 1..=n {
                    pts[i] = (0..n).map(|j| pts[0][j] + 0.5 * (pts[i][j] - pts[0][j])).collect();
                    vals[i] = obj.value(&pts[i]);
                }
                evals += n;
            }
        }
    }
    let best = (0..=n).min_by(|&a, &b| vals[a].total_cmp(&vals[b])).unwrap_or(0);
    (pts[best].clone(), vals[best])
}

/// Solves `m d = r` for a symmetric positive definite `m` (Cholesky);
/// `None` when `m` is not positive definite.
fn cholesky_solve(m: &[Vec<f64>], r: &[f64]) -> Option<Vec<f64>> {
    let n = r.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = m[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (r[i] - (0..i).map(|k| l[i][k] * y[k]).sum::<f64>()) / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|k| l[k][i] * x[k]).sum::<f64>()) / l[i][i];
    }
    Some(x)
}

/// The inverse of a symmetric positive definite matrix, or `None`.
pub(crate) fn inverse(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut cols = Vec::with_capacity(n);
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        cols.push(cholesky_solve(m, &e)?);
    }
    Some((0..n).map(|i| (0..n).map(|j| cols[j][i]).collect()).collect())
}

/// Newton steps from `x` while they lower the function: (point, value).
fn polish(obj: &Objective<'_>, mut x: Vec<f64>, mut fx: f64) -> (Vec<f64>, f64) {
    for _ in 0..50 {
        let g = obj.gradient(&x);
        if g.iter().all(|v| v.abs() < 1e-10 * fx.abs().max(1.0)) {
            break;
        }
        let h = obj.hessian(&x);
        let Some(d) = cholesky_solve(&h, &g.iter().map(|v| -v).collect::<Vec<f64>>()) else {
            break;
        };
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let mut t = 1.0;
        let mut moved = false;
        while t > 1e-10 {
            let y: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            let fy = obj.value(&y);
            if fy <= fx + 1e-4 * t * slope {
                moved = fy < fx;
                x = y;
                fx = fy;
                break;
            }
            t *= 0.5;
        }
        if !moved {
            break;
        }
    }
    (x, fx)
}

/// Minimises `obj` from each of `starts` and returns the best minimum with
/// its covariance, or `None` when the function is infinite at every start.
pub(crate) fn minimise(obj: &Objective<'_>, starts: &[Vec<f64>]) -> Option<Minimum> {
    let mut best: Option<(Vec<f64>, f64)> = None;
    for s in starts {
        let s: Vec<f64> = s.iter().zip(&obj.bounds).map(|(v, b)| v.clamp(b.0, b.1)).collect();
        if obj.value(&s).is_infinite() {
            continue;
        }
        let (x0, f0) = nelder_mead(obj, &s, 0.5);
        let (x1, f1) = nelder_mead(obj, &x0, 0.05);
        let (x, fx) = if f1 < f0 { (x1, f1) } else { (x0, f0) };
        if best.as_ref().is_none_or(|b| fx < b.1) {
            best = Some((x, fx));
        }
    }
    let (x, fx) = best?;
    let at_bound = x
        .iter()
        .zip(&obj.bounds)
        .any(|(v, b)| *v - b.0 < 0.01 || b.1 - *v < 0.01);
    let (x, value) = if at_bound { (x, fx) } else { polish(obj, x, fx) };
    let covariance = if at_bound { None } else { inverse(&obj.hessian(&x)) };
    Some(Minimum {
        x,
        value,
        covariance,
        at_bound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quadratic_bowl_gives_its_centre_and_its_inverse_curvature() {
        // f = (x - 1)^2 + 2 (y + 0.5)^2 + x y: Hessian [[2, 1], [1, 4]].
        let f = |p: &[f64]| (p[0] - 1.0).powi(2) + 2.0 * (p[1] + 0.5).powi(2) + p[0] * p[1];
        let obj = Objective {
            f: &f,
            grad: None,
            bounds: vec![(-10.0, 10.0); 2],
        };
        let m = minimise(&obj, &[vec![5.0, 5.0], vec![-3.0, 2.0]]).unwrap();
        // Gradient zero: 2(x-1) + y = 0, 4(y+0.5) + x = 0 -> x = 10/7, y = -6/7.
        assert!((m.x[0] - 10.0 / 7.0).abs() < 1e-7, "{:?}", m.x);
        assert!((m.x[1] + 6.0 / 7.0).abs() < 1e-7, "{:?}", m.x);
        let c = m.covariance.unwrap();
        // Inverse of [[2, 1], [1, 4]] is [[4, -1], [-1, 2]] / 7.
        assert!((c[0][0] - 4.0 / 7.0).abs() < 1e-5 && (c[0][1] + 1.0 / 7.0).abs() < 1e-5);
        assert!(!m.at_bound);
    }

    #[test]
    fn a_minimum_beyond_the_box_is_reported_at_the_bound_without_errors() {
        let f = |p: &[f64]| -p[0];
        let obj = Objective {
            f: &f,
            grad: None,
            bounds: vec![(-5.0, 5.0)],
        };
        let m = minimise(&obj, &[vec![0.0]]).unwrap();
        assert!(m.at_bound && m.covariance.is_none());
        assert!((m.x[0] - 5.0).abs() < 0.01);
        assert!(
            minimise(
                &Objective {
                    f: &|_: &[f64]| f64::NAN,
                    grad: None,
                    bounds: vec![(0.0, 1.0)]
                },
                &[vec![0.5]]
            )
            .is_none()
        );
    }
}
