//! The distribution of an uncertain parameter over its plausible range, as
//! a quantile function: a design draws points in the unit interval and each
//! parameter maps them to its own units by inversion. Uniform and
//! log-uniform ranges, normal and log-normal, and a general hook (any
//! non-decreasing function from (0, 1) to the real line) are provided.
//! Logarithms and exponentials use `libm`, so the same unit point gives the
//! same parameter value on every machine.

use std::fmt;
use std::sync::Arc;

/// A quantile function supplied by the caller, with a label for outputs.
#[derive(Clone)]
pub struct QuantileFn {
    label: String,
    f: Arc<dyn Fn(f64) -> f64 + Send + Sync>,
}

impl QuantileFn {
    /// The quantile function `f` (non-decreasing on (0, 1)), described in
    /// outputs by `label` (e.g. "gamma(shape 2, scale 3)").
    pub fn new(label: impl Into<String>, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> QuantileFn {
        QuantileFn {
            label: label.into(),
            f: Arc::new(f),
        }
    }
}

impl fmt::Debug for QuantileFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QuantileFn({})", self.label)
    }
}

/// A one-dimensional distribution, given by its quantile function.
#[derive(Clone, Debug)]
pub enum Distribution {
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Log-uniform on `[low, high]` (`0 < low`): uniform in the logarithm,
    /// for quantities plausible over orders of magnitude.
    LogUniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal, given by its median and the standard deviation of the log.
    LogNormal {
        /// Median.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// Any distribution, by its quantile function.
    Quantile(QuantileFn),
}

/// Probabilities at which a caller's quantile function is checked.
const PROBES: [f64; 7] = [1e-6, 0.025, 0.25, 0.5, 0.75, 0.975, 1.0 - 1e-6];

/// The share of each tail no design draws from: designs map unit
/// coordinates clamped to [EXTREME, 1 - EXTREME], so an unbounded
/// distribution's values stay between its quantiles there (7.03 standard
/// deviations either side of a normal's mean).
pub(crate) const EXTREME: f64 = 1e-12;

/// The central share of an unbounded distribution that stands for its
/// range on a grid (Morris levels, tornado ends): 2.5% to 97.5%.
const TAIL: f64 = 0.025;

impl Distribution {
    /// Uniform on `[low, high]`; both finite, `low < high`.
    pub fn uniform(low: f64, high: f64) -> Result<Distribution, String> {
        if !low.is_finite() || !high.is_finite() {
            return Err(format!("the range must be finite numbers, got {low} to {high}"));
        }
        if low >= high {
            return Err(format!("the range is empty: low {low} is not below high {high}"));
        }
        Ok(Distribution::Uniform { low, high })
    }

    /// Log-uniform on `[low, high]`; both finite, `0 < low < high`.
    pub fn log_uniform(low: f64, high: f64) -> Result<Distribution, String> {
        Distribution::uniform(low, high)?;
        if low <= 0.0 {
            return Err(format!("a log-uniform range must be above 0, got low {low}"));
        }
        Ok(Distribution::LogUniform { low, high })
    }

    /// Normal with a finite mean and `sd > 0`.
    pub fn normal(mean: f64, sd: f64) -> Result<Distribution, String> {
        if !mean.is_finite() {
            return Err(format!("mean must be a finite number, got {mean}"));
        }
        if !(sd.is_finite() && sd > 0.0) {
            return Err(format!("sd must be a finite number above 0, got {sd}"));
        }
        Ok(Distribution::Normal { mean, sd })
    }

    /// Log-normal with `median > 0` and `sigma > 0`.
    pub fn log_normal(median: f64, sigma: f64) -> Result<Distribution, String> {
        if !(median.is_finite() && median > 0.0) {
            return Err(format!("median must be a finite number above 0, got {median}"));
        }
        if !(sigma.is_finite() && sigma > 0.0) {
            return Err(format!("sigma must be a finite number above 0, got {sigma}"));
        }
        Ok(Distribution::LogNormal { median, sigma })
    }

    /// A caller's quantile function, checked to be finite and
    /// non-decreasing inside (0, 1) and not constant.
    pub fn quantile_fn(q: QuantileFn) -> Result<Distribution, String> {
        let values: Vec<f64> = PROBES.iter().map(|&u| (q.f)(u)).collect();
        if let Some((u, v)) = PROBES.iter().zip(&values).find(|(_, v)| !v.is_finite()) {
            return Err(format!("{}: the quantile at {u} is {v}, not a finite number", q.label));
        }
        if values.windows(2).any(|w| w[1] < w[0]) {
            return Err(format!("{}: the quantile function decreases", q.label));
        }
        if values[0] == values[PROBES.len() - 1] {
            return Err(format!("{}: the distribution is a single value", q.label));
        }
        Ok(Distribution::Quantile(q))
    }

    /// The value below which a share `u` of the distribution lies, for `u`
    /// in [0, 1]; infinite at 0 or 1 for an unbounded distribution.
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Distribution::Uniform { low, high } => (low * (1.0 - u) + high * u).clamp(*low, *high),
            // The ends exactly as declared (exp(ln x) may differ in the last bit).
            Distribution::LogUniform { low, .. } if u <= 0.0 => *low,
            Distribution::LogUniform { high, .. } if u >= 1.0 => *high,
            Distribution::LogUniform { low, high } => {
                let (a, b) = (libm::log(*low), libm::log(*high));
                libm::exp(a + u * (b - a)).clamp(*low, *high)
            }
            Distribution::Normal { mean, sd } => mean + sd * normal_quantile(u),
            Distribution::LogNormal { median, sigma } => median * libm::exp(sigma * normal_quantile(u)),
            Distribution::Quantile(q) => (q.f)(u),
        }
    }

    /// The smallest and largest values the distribution can take (the
    /// quantiles at 0 and 1; infinite for an unbounded one).
    pub fn support(&self) -> (f64, f64) {
        (self.quantile(0.0), self.quantile(1.0))
    }

    /// The smallest and largest values a design can draw: the support's
    /// ends when it is bounded, else the quantiles at 1e-12 and 1 - 1e-12
    /// (`EXTREME`).
    pub fn extremes(&self) -> (f64, f64) {
        if self.is_bounded() {
            self.support()
        } else {
            (self.quantile(EXTREME), self.quantile(1.0 - EXTREME))
        }
    }

    /// Whether both ends of the support are finite.
    pub fn is_bounded(&self) -> bool {
        let (a, b) = self.support();
        a.is_finite() && b.is_finite()
    }

    /// The value at fraction `u` of the parameter's plausible range, for
    /// grids (Morris levels, the tornado's ends): the quantile at `u` when
    /// the distribution is bounded, else the quantile at `u` of its central
    /// 95% (from the 2.5th to the 97.5th percentile).
    pub fn grid_value(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        if self.is_bounded() {
            self.quantile(u)
        } else {
            self.quantile(TAIL + (1.0 - 2.0 * TAIL) * u)
        }
    }

    /// The plausible range `(low, high)`: the ends of the grid.
    pub fn range(&self) -> (f64, f64) {
        (self.grid_value(0.0), self.grid_value(1.0))
    }

    /// A short description for outputs: "uniform 0.5 to 2".
    pub fn describe(&self) -> String {
        match self {
            Distribution::Uniform { low, high } => format!("uniform {low} to {high}"),
            Distribution::LogUniform { low, high } => format!("log-uniform {low} to {high}"),
            Distribution::Normal { mean, sd } => format!("normal mean {mean} sd {sd}"),
            Distribution::LogNormal { median, sigma } => format!("log-normal median {median} sigma {sigma}"),
            Distribution::Quantile(q) => q.label.clone(),
        }
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9); -inf at 0 and +inf at 1.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        let q = libm::sqrt(-2.0 * libm::log(q));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail(p)
    } else if p > 1.0 - LOW {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_quantile_matches_reference_values() {
        // Reference values from R's qnorm.
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.025, -1.959_963_984_540_054),
            (0.001, -3.090_232_306_167_813),
            (0.9, 1.281_551_565_544_601),
            (1e-8, -5.612_001_244_174_789),
        ] {
            let got = normal_quantile(p);
            assert!(
                (got - z).abs() <= 1e-8 * z.abs().max(1.0),
                "q({p}) = {got}, expected {z}"
            );
        }
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
    }

    #[test]
    fn uniform_and_log_uniform_map_the_unit_interval_onto_their_range() {
        let u = Distribution::uniform(0.5, 2.0).unwrap();
        assert_eq!((u.quantile(0.0), u.quantile(0.5), u.quantile(1.0)), (0.5, 1.25, 2.0));
        let l = Distribution::log_uniform(0.1, 10.0).unwrap();
        assert!((l.quantile(0.5) - 1.0).abs() < 1e-12);
        assert_eq!(l.support(), (0.1, 10.0));
        assert!(l.is_bounded());
    }

    #[test]
    fn unbounded_distributions_span_their_central_95_percent_on_a_grid() {
        let n = Distribution::normal(10.0, 2.0).unwrap();
        assert!(!n.is_bounded());
        let (lo, hi) = n.range();
        assert!((lo - (10.0 - 2.0 * 1.959_963_984_540_054)).abs() < 1e-7);
        assert!((hi - (10.0 + 2.0 * 1.959_963_984_540_054)).abs() < 1e-7);
        let ln = Distribution::log_normal(3.0, 0.5).unwrap();
        assert!((ln.quantile(0.5) - 3.0).abs() < 1e-12);
        assert_eq!(ln.support().0, 0.0);
        // What a design can draw: 7.03 sd either side (R: qnorm(1e-12));
        // 1 - 1e-12 is 1 - 0.99998e-12 in binary, 3e-6 sd further out.
        let (a, b) = n.extremes();
        assert!((a - (10.0 - 2.0 * 7.034_483_825)).abs() < 1e-6, "{a}");
        assert!((b - (10.0 + 2.0 * 7.034_486_9)).abs() < 1e-6, "{b}");
        assert!(ln.extremes().0 > 0.0 && ln.extremes().1.is_finite());
        let u = Distribution::uniform(0.5, 2.0).unwrap();
        assert_eq!(u.extremes(), (0.5, 2.0));
    }

    #[test]
    fn invalid_ranges_and_quantile_functions_are_refused_with_a_reason() {
        assert!(Distribution::uniform(2.0, 2.0).unwrap_err().contains("empty"));
        assert!(Distribution::uniform(f64::NAN, 2.0).is_err());
        assert!(Distribution::log_uniform(0.0, 2.0).unwrap_err().contains("above 0"));
        assert!(Distribution::normal(0.0, 0.0).is_err());
        let down = QuantileFn::new("down", |u| -u);
        assert!(Distribution::quantile_fn(down).unwrap_err().contains("decreases"));
        let flat = QuantileFn::new("flat", |_| 1.0);
        assert!(Distribution::quantile_fn(flat).unwrap_err().contains("single value"));
        let exp = QuantileFn::new("exponential mean 2", |u| -2.0 * libm::log(1.0 - u));
        let d = Distribution::quantile_fn(exp).unwrap();
        assert!(!d.is_bounded());
        assert_eq!(d.describe(), "exponential mean 2");
        assert!((d.quantile(0.5) - 2.0 * std::f64::consts::LN_2).abs() < 1e-12);
    }
}
