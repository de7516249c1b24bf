//! The prior: a product of independent one-dimensional distributions, one
//! per parameter, of the families the sensitivity analysis already parses
//! ([`Distribution`]: uniform, log-uniform, normal, log-normal), each
//! optionally truncated to bounds. What ABC needs of it: log-densities
//! (`None` outside the support, where a proposal's weight is 0), draws,
//! and the prior's own standard deviation and 90% interval, which the
//! posterior is compared with.
//!
//! Each family is a monotone map of a base variable, uniform or standard
//! normal: x = b (uniform), e^b (log-uniform), mean + sd b (normal) and
//! e^(ln median + sigma b) (log-normal). Truncating x truncates b, so the
//! densities, quantiles and moments below are those of a truncated uniform
//! or truncated standard normal, moved to the parameter's units (the
//! sensitivity module maps quantiles only, so the densities are written
//! here). A zero-width prior (equal bounds, a uniform of one value, a
//! normal or log-normal of spread 0) fixes its parameter at that value: it
//! is never drawn nor perturbed and its density factor is 1 there.
//! Logarithms, exponentials and erfc are `libm`'s.

use super::error::AbcError;
use crate::analysis::sensitivity::distribution::{Distribution, normal_quantile};
use crate::analysis::sensitivity::draws::open_unit;
use crate::core::rng::Stream;
use std::f64::consts::SQRT_2;

/// ln √(2π).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// The largest double below 1: the highest cumulative probability a
/// quantile is asked for, so that no draw is infinite.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// The standard normal distribution function, to full precision in the
/// lower tail (libm's erfc).
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / SQRT_2)
}

/// P(a <= Z <= b) for a standard normal Z, taken in the tail where both
/// ends lie, so that a far upper truncation loses no precision to
/// 1 - (1 - tiny).
fn normal_mass(a: f64, b: f64) -> f64 {
    if a > 0.0 {
        normal_cdf(-a) - normal_cdf(-b)
    } else {
        normal_cdf(b) - normal_cdf(a)
    }
}

/// The standard normal density, 0 at either infinity.
fn normal_density(z: f64) -> f64 {
    if z.is_finite() {
        libm::exp(-0.5 * z * z - LN_SQRT_2PI)
    } else {
        0.0
    }
}

/// z times the standard normal density, 0 at either infinity.
fn z_normal_density(z: f64) -> f64 {
    if z.is_finite() { z * normal_density(z) } else { 0.0 }
}

/// The base variable of a free prior, after truncation.
#[derive(Clone, Debug, PartialEq)]
enum Base {
    /// Uniform on `[lo, hi]`.
    Flat {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// Standard normal truncated to `[lo, hi]` (either end may be
    /// infinite), which holds probability `mass` of the untruncated one.
    Gauss {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
        /// P(lo <= Z <= hi), above 0.
        mass: f64,
    },
}

/// A prior's shape.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// A zero-width prior: the parameter is this value.
    Fixed(f64),
    /// x = loc + scale b, exponentiated when `log`, for the base variable b.
    Free {
        /// The base variable.
        base: Base,
        /// Whether x is the exponential of the affine map.
        log: bool,
        /// The affine map's offset.
        loc: f64,
        /// The affine map's scale, above 0.
        scale: f64,
    },
}

/// One parameter's prior: its name, its distribution and the bounds it is
/// truncated to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PriorParameter {
    /// The parameter's name (a scenario key path, say).
    name: String,
    /// A description for outputs.
    description: String,
    /// The shape, with what the density and quantiles need.
    shape: Shape,
    /// The smallest value of the support (may be -infinity inside).
    x_lo: f64,
    /// The largest value of the support (may be +infinity inside).
    x_hi: f64,
}

/// The error for parameter `name`.
fn invalid(name: &str, message: impl Into<String>) -> AbcError {
    AbcError::Prior {
        name: name.to_owned(),
        message: message.into(),
    }
}

impl PriorParameter {
    /// The prior `distribution` of parameter `name`, untruncated.
    pub(crate) fn new(name: impl Into<String>, distribution: Distribution) -> Result<PriorParameter, AbcError> {
        PriorParameter::truncated(name, distribution, f64::NEG_INFINITY, f64::INFINITY)
    }

    /// Parameter `name` fixed at `value` (a prior of zero width).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "a scenario's priors are never fixed; the tests fix some")
    )]
    pub(crate) fn fixed(name: impl Into<String>, value: f64) -> Result<PriorParameter, AbcError> {
        let name = name.into();
        if !value.is_finite() {
            return Err(invalid(
                &name,
                format!("a fixed value must be a finite number, got {value}"),
            ));
        }
        PriorParameter::truncated(name, Distribution::Normal { mean: value, sd: 0.0 }, value, value)
    }

    /// The prior `distribution` of parameter `name` truncated to
    /// `[low, high]` (infinite ends for none). Equal bounds, a uniform or
    /// log-uniform of one value and a normal or log-normal of spread 0 fix
    /// the parameter. A caller's quantile function is refused: ABC needs a
    /// density.
    pub(crate) fn truncated(
        name: impl Into<String>,
        distribution: Distribution,
        low: f64,
        high: f64,
    ) -> Result<PriorParameter, AbcError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(invalid(&name, "the parameter has no name"));
        }
        if low.is_nan() || high.is_nan() || low > high || low == f64::INFINITY || high == f64::NEG_INFINITY {
            return Err(invalid(
                &name,
                format!("the bounds must satisfy low <= high, got {low} to {high}"),
            ));
        }
        let finite = |v: f64, what: &str| -> Result<f64, AbcError> {
            if v.is_finite() {
                Ok(v)
            } else {
                Err(invalid(&name, format!("{what} must be a finite number, got {v}")))
            }
        };
        // The untruncated support, and the shape when the spread is 0.
        let (support, point) = match &distribution {
            Distribution::Uniform { low: l, high: h } | Distribution::LogUniform { low: l, high: h } => {
                let (l, h) = (finite(*l, "low")?, finite(*h, "high")?);
                if l > h {
                    return Err(invalid(&name, format!("the range is empty: low {l} is above high {h}")));
                }
                if matches!(distribution, Distribution::LogUniform { .. }) && l <= 0.0 {
                    return Err(invalid(
                        &name,
                        format!("a log-uniform range must be above 0, got low {l}"),
                    ));
                }
                ((l, h), (l == h).then_some(l))
            }
            Distribution::Normal { mean, sd } => {
                let (mean, sd) = (finite(*mean, "mean")?, finite(*sd, "sd")?);
                if sd < 0.0 {
                    return Err(invalid(&name, format!("sd must not be negative, got {sd}")));
                }
                ((f64::NEG_INFINITY, f64::INFINITY), (sd == 0.0).then_some(mean))
            }
            Distribution::LogNormal { median, sigma } => {
                let (median, sigma) = (finite(*median, "median")?, finite(*sigma, "sigma")?);
                if median <= 0.0 {
                    return Err(invalid(&name, format!("median must be above 0, got {median}")));
                }
                if sigma < 0.0 {
                    return Err(invalid(&name, format!("sigma must not be negative, got {sigma}")));
                }
                ((0.0, f64::INFINITY), (sigma == 0.0).then_some(median))
            }
            Distribution::Quantile(_) => return Err(no_density(&name, &distribution)),
        };
        let bounded = low > f64::NEG_INFINITY || high < f64::INFINITY;
        let description = if bounded {
            format!("{} truncated to [{low}, {high}]", distribution.describe())
        } else {
            distribution.describe()
        };
        let is_log = matches!(
            distribution,
            Distribution::LogUniform { .. } | Distribution::LogNormal { .. }
        );
        let inside = |v: f64| v >= support.0 && v <= support.1 && (!is_log || v > 0.0);
        // A point prior, or equal bounds inside the support: fixed.
        let fixed_at = match point {
            Some(v) if v >= low && v <= high => Some(v),
            Some(v) => {
                return Err(invalid(
                    &name,
                    format!("the bounds [{low}, {high}] exclude the prior's only value {v}"),
                ));
            }
            None if low == high && inside(low) => Some(low),
            None if low == high => {
                return Err(invalid(
                    &name,
                    format!("the bounds fix the parameter at {low}, outside the prior's support"),
                ));
            }
            None => None,
        };
        if let Some(v) = fixed_at {
            return Ok(PriorParameter {
                name,
                description: format!("fixed at {v}"),
                shape: Shape::Fixed(v),
                x_lo: v,
                x_hi: v,
            });
        }
        let (x_lo, x_hi) = (low.max(support.0), high.min(support.1));
        let no_mass = || {
            invalid(
                &name,
                format!(
                    "the bounds [{low}, {high}] leave no probability under {}",
                    distribution.describe()
                ),
            )
        };
        if x_lo > x_hi || (is_log && x_hi <= 0.0) {
            return Err(no_mass());
        }
        if x_lo == x_hi {
            return Ok(PriorParameter {
                name,
                description: format!("fixed at {x_lo}"),
                shape: Shape::Fixed(x_lo),
                x_lo,
                x_hi,
            });
        }
        let (base, loc, scale) = match distribution {
            Distribution::Uniform { .. } => (Base::Flat { lo: x_lo, hi: x_hi }, 0.0, 1.0),
            Distribution::LogUniform { .. } => (
                Base::Flat {
                    lo: libm::log(x_lo),
                    hi: libm::log(x_hi),
                },
                0.0,
                1.0,
            ),
            Distribution::Normal { mean, sd } => {
                let (lo, hi) = ((x_lo - mean) / sd, (x_hi - mean) / sd);
                (Base::Gauss { lo, hi, mass: 0.0 }, mean, sd)
            }
            Distribution::LogNormal { median, sigma } => {
                let mu = libm::log(median);
                let lo = if x_lo > 0.0 {
                    (libm::log(x_lo) - mu) / sigma
                } else {
                    f64::NEG_INFINITY
                };
                let hi = if x_hi < f64::INFINITY {
                    (libm::log(x_hi) - mu) / sigma
                } else {
                    f64::INFINITY
                };
                (Base::Gauss { lo, hi, mass: 0.0 }, mu, sigma)
            }
            Distribution::Quantile(_) => return Err(no_density(&name, &distribution)),
        };
        let base = match base {
            Base::Gauss { lo, hi, .. } => {
                let mass = normal_mass(lo, hi);
                if !(mass > 0.0 && mass.is_finite()) {
                    return Err(no_mass());
                }
                Base::Gauss { lo, hi, mass }
            }
            flat @ Base::Flat { lo, hi } => {
                if hi <= lo || hi.is_nan() || lo.is_nan() {
                    return Err(no_mass());
                }
                flat
            }
        };
        Ok(PriorParameter {
            name,
            description,
            shape: Shape::Free {
                base,
                log: is_log,
                loc,
                scale,
            },
            x_lo,
            x_hi,
        })
    }

    /// The parameter's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// A description for outputs: "normal mean 0 sd 1 truncated to [0, inf]".
    pub(crate) fn describe(&self) -> &str {
        &self.description
    }

    /// The value of a fixed parameter (a zero-width prior), else `None`.
    pub(crate) fn fixed_value(&self) -> Option<f64> {
        match self.shape {
            Shape::Fixed(v) => Some(v),
            Shape::Free { .. } => None,
        }
    }

    /// The natural log of the prior density at `x`; `None` outside the
    /// support (density 0). A fixed parameter's factor is 1 (log 0) at its
    /// value.
    pub(crate) fn ln_density(&self, x: f64) -> Option<f64> {
        if !(x.is_finite() && x >= self.x_lo && x <= self.x_hi) {
            return None;
        }
        let Shape::Free { base, log, loc, scale } = &self.shape else {
            return Some(0.0);
        };
        let y = if *log {
            if x <= 0.0 {
                return None;
            }
            libm::log(x)
        } else {
            x
        };
        let b = (y - loc) / scale;
        let ln_base = match base {
            Base::Flat { lo, hi } => -libm::log(hi - lo),
            Base::Gauss { mass, .. } => -0.5 * b * b - LN_SQRT_2PI - libm::log(*mass),
        };
        let jacobian = -libm::log(*scale) - if *log { y } else { 0.0 };
        let v = ln_base + jacobian;
        v.is_finite().then_some(v)
    }

    /// The value below which a share `u` (in (0, 1)) of the prior lies;
    /// always finite and inside the support.
    pub(crate) fn quantile(&self, u: f64) -> f64 {
        let Shape::Free { base, log, loc, scale } = &self.shape else {
            return self.x_lo;
        };
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        let b = match *base {
            Base::Flat { lo, hi } => lo + u * (hi - lo),
            // Below the mean, from the lower tail; above it, by symmetry
            // from the lower tail too (where probabilities keep their
            // digits).
            Base::Gauss { lo, hi, mass } if lo > 0.0 => {
                -normal_quantile((normal_cdf(-hi) + (1.0 - u) * mass).clamp(f64::MIN_POSITIVE, BELOW_ONE))
            }
            Base::Gauss { lo, mass, .. } => {
                normal_quantile((normal_cdf(lo) + u * mass).clamp(f64::MIN_POSITIVE, BELOW_ONE))
            }
        };
        let y = loc + scale * b;
        // Above 0 when logarithmic, even where exp underflows.
        let x = if *log { libm::exp(y).max(f64::MIN_POSITIVE) } else { y };
        // The ends as declared (exp(ln x) may differ in the last bit), and
        // never infinite.
        x.clamp(self.x_lo.max(-f64::MAX), self.x_hi.min(f64::MAX))
    }

    /// A draw from the prior (no draw for a fixed parameter).
    pub(crate) fn sample(&self, rng: &mut Stream) -> f64 {
        match self.shape {
            Shape::Fixed(v) => v,
            Shape::Free { .. } => self.quantile(open_unit(rng)),
        }
    }

    /// The prior's mean and standard deviation, in closed form (of the
    /// truncated uniform or normal base, moved to the parameter's units);
    /// `None` when they overflow (a very wide log-normal) or lose all their
    /// digits.
    pub(crate) fn mean_sd(&self) -> Option<(f64, f64)> {
        let (base, log, loc, scale) = match &self.shape {
            Shape::Fixed(v) => return Some((*v, 0.0)),
            Shape::Free { base, log, loc, scale } => (base, *log, *loc, *scale),
        };
        let (mean, var) = if log {
            // E[X^k] for X = exp(loc + scale b), k = 1, 2.
            let moment = |k: f64| match *base {
                Base::Flat { lo, hi } => (libm::exp(k * hi) - libm::exp(k * lo)) / (k * (hi - lo)),
                Base::Gauss { lo, hi, mass } => {
                    libm::exp(k * loc + 0.5 * k * k * scale * scale) * normal_mass(lo - k * scale, hi - k * scale)
                        / mass
                }
            };
            let (m1, m2) = (moment(1.0), moment(2.0));
            (m1, m2 - m1 * m1)
        } else {
            let (m, v) = match *base {
                Base::Flat { lo, hi } => (0.5 * (lo + hi), (hi - lo) * (hi - lo) / 12.0),
                Base::Gauss { lo, hi, mass } => {
                    let m = (normal_density(lo) - normal_density(hi)) / mass;
                    (m, 1.0 + (z_normal_density(lo) - z_normal_density(hi)) / mass - m * m)
                }
            };
            (loc + scale * m, scale * scale * v)
        };
        (mean.is_finite() && var.is_finite() && var > 0.0).then(|| (mean, var.sqrt()))
    }

    /// The central interval holding share `level` (in (0, 1)) of the
    /// prior: its quantiles at (1 - level) / 2 and (1 + level) / 2.
    pub(crate) fn interval(&self, level: f64) -> (f64, f64) {
        (self.quantile(0.5 * (1.0 - level)), self.quantile(0.5 * (1.0 + level)))
    }
}

/// The error for a prior given by a quantile function only.
fn no_density(name: &str, distribution: &Distribution) -> AbcError {
    invalid(
        name,
        format!(
            "{}: a prior needs a density; give a uniform, log-uniform, normal or log-normal prior",
            distribution.describe()
        ),
    )
}

/// The prior of all parameters: independent, in a fixed order that every
/// parameter vector follows.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Prior {
    /// The parameters, in order.
    parameters: Vec<PriorParameter>,
}

impl Prior {
    /// The product of `parameters`' priors; at least one, names unique.
    pub(crate) fn new(parameters: Vec<PriorParameter>) -> Result<Prior, AbcError> {
        if parameters.is_empty() {
            return Err(invalid("", "a calibration needs at least one parameter"));
        }
        for (i, p) in parameters.iter().enumerate() {
            if parameters[..i].iter().any(|q| q.name == p.name) {
                return Err(invalid(&p.name, "the name is given twice"));
            }
        }
        Ok(Prior { parameters })
    }

    /// The number of parameters.
    pub(crate) fn dimension(&self) -> usize {
        self.parameters.len()
    }

    /// The parameters, in order.
    pub(crate) fn parameters(&self) -> &[PriorParameter] {
        &self.parameters
    }

    /// The parameters' names, in order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.parameters.iter().map(|p| p.name.clone()).collect()
    }

    /// The indices of the parameters that are not fixed.
    pub(crate) fn free(&self) -> Vec<usize> {
        (0..self.parameters.len())
            .filter(|&i| self.parameters[i].fixed_value().is_none())
            .collect()
    }

    /// The log prior density of `theta`; `None` outside the support or for
    /// a vector of the wrong length.
    pub(crate) fn ln_density(&self, theta: &[f64]) -> Option<f64> {
        if theta.len() != self.parameters.len() {
            return None;
        }
        self.parameters.iter().zip(theta).map(|(p, &x)| p.ln_density(x)).sum()
    }

    /// A draw from the prior: one uniform per free parameter, in order.
    pub(crate) fn sample(&self, rng: &mut Stream) -> Vec<f64> {
        self.parameters.iter().map(|p| p.sample(rng)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;

    fn families() -> Vec<PriorParameter> {
        let inf = f64::INFINITY;
        vec![
            PriorParameter::new("u", Distribution::uniform(-1.0, 3.0).unwrap()).unwrap(),
            PriorParameter::new("lu", Distribution::log_uniform(0.01, 100.0).unwrap()).unwrap(),
            PriorParameter::new("n", Distribution::normal(2.0, 0.5).unwrap()).unwrap(),
            PriorParameter::new("ln", Distribution::log_normal(3.0, 0.5).unwrap()).unwrap(),
            PriorParameter::truncated("tu", Distribution::uniform(-1.0, 3.0).unwrap(), 0.0, 10.0).unwrap(),
            PriorParameter::truncated("tn", Distribution::normal(2.0, 0.5).unwrap(), 2.5, inf).unwrap(),
            PriorParameter::truncated("far", Distribution::normal(0.0, 1.0).unwrap(), 6.0, 7.0).unwrap(),
            PriorParameter::truncated("tln", Distribution::log_normal(3.0, 0.7).unwrap(), 1.0, 4.0).unwrap(),
            PriorParameter::truncated("tlu", Distribution::log_uniform(0.01, 100.0).unwrap(), 0.0, 1.0).unwrap(),
        ]
    }

    /// ∫ g(x) p(x) dx by the midpoint rule in u = F(x): the mean of g at
    /// the quantiles of `n` evenly spaced shares, accurate for bounded g
    /// and, here, for moments of thin-tailed priors.
    fn by_quantiles(p: &PriorParameter, n: usize, g: impl Fn(f64) -> f64) -> f64 {
        (0..n).map(|i| g(p.quantile((i as f64 + 0.5) / n as f64))).sum::<f64>() / n as f64
    }

    #[test]
    fn each_density_is_the_derivative_of_its_distribution_function() {
        // p(Q(u)) Q'(u) = 1: the density is normalised and agrees with the
        // quantile function, truncation included.
        for p in families() {
            for u in [0.02, 0.2, 0.5, 0.8, 0.98] {
                let h = 1e-6;
                let slope = (p.quantile(u + h) - p.quantile(u - h)) / (2.0 * h);
                let dens = libm::exp(p.ln_density(p.quantile(u)).unwrap());
                assert!((dens * slope - 1.0).abs() < 1e-4, "{} at {u}: {}", p.name, dens * slope);
            }
        }
    }

    #[test]
    fn closed_form_moments_match_an_integral_over_the_quantiles() {
        for p in families() {
            let (mean, sd) = p.mean_sd().unwrap();
            let n = 200_000;
            let m = by_quantiles(&p, n, |x| x);
            let v = by_quantiles(&p, n, |x| (x - m) * (x - m));
            // The midpoint rule misses a little of an unbounded tail: 1e-3 relative.
            assert!((mean - m).abs() < 1e-3 * sd, "{}: mean {mean} vs {m}", p.name);
            assert!(
                (sd / v.sqrt() - 1.0).abs() < 1e-3,
                "{}: sd {sd} vs {}",
                p.name,
                v.sqrt()
            );
        }
        // Known values: uniform sd is width / sqrt(12); a normal truncated
        // at its mean has mean mu + sd sqrt(2 / pi).
        let u = PriorParameter::new("u", Distribution::uniform(0.0, 12.0).unwrap()).unwrap();
        assert_eq!(u.mean_sd(), Some((6.0, 12.0f64.sqrt())));
        let half = PriorParameter::truncated("h", Distribution::normal(1.0, 2.0).unwrap(), 1.0, f64::INFINITY).unwrap();
        let (m, _) = half.mean_sd().unwrap();
        assert!(
            (m - (1.0 + 2.0 * (2.0 / std::f64::consts::PI).sqrt())).abs() < 1e-12,
            "{m}"
        );
    }

    #[test]
    fn draws_have_the_prior_mean() {
        let mut rng = stream(3, 0, "test");
        for p in families() {
            let (mean, sd) = p.mean_sd().unwrap();
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| p.sample(&mut rng)).collect();
            assert!(xs.iter().all(|&x| p.ln_density(x).is_some()), "{}", p.name);
            let m = xs.iter().sum::<f64>() / n as f64;
            // 4 standard errors of the mean.
            assert!(
                (m - mean).abs() < 4.0 * sd / (n as f64).sqrt(),
                "{}: {m} vs {mean}",
                p.name
            );
        }
    }

    #[test]
    fn values_outside_the_support_have_no_density() {
        let p = PriorParameter::truncated("t", Distribution::normal(0.0, 1.0).unwrap(), -1.0, 2.0).unwrap();
        assert!(p.ln_density(-1.0).is_some() && p.ln_density(2.0).is_some());
        assert_eq!(p.ln_density(-1.000_001), None);
        assert_eq!(p.ln_density(f64::NAN), None);
        let l = PriorParameter::new("l", Distribution::log_normal(1.0, 1.0).unwrap()).unwrap();
        assert_eq!(l.ln_density(0.0), None);
        assert_eq!(l.ln_density(-1.0), None);
        assert_eq!(l.ln_density(f64::INFINITY), None);
        let prior = Prior::new(vec![p.clone(), l.clone()]).unwrap();
        let both = prior.ln_density(&[0.5, 2.0]).unwrap();
        assert!((both - p.ln_density(0.5).unwrap() - l.ln_density(2.0).unwrap()).abs() < 1e-15);
        assert_eq!(prior.ln_density(&[0.5]), None);
        assert_eq!(prior.ln_density(&[3.0, 2.0]), None);
    }

    #[test]
    fn zero_width_priors_fix_their_parameter() {
        let inf = f64::INFINITY;
        let fixed = [
            PriorParameter::fixed("a", 2.0).unwrap(),
            PriorParameter::new("b", Distribution::Uniform { low: 2.0, high: 2.0 }).unwrap(),
            PriorParameter::new("c", Distribution::Normal { mean: 2.0, sd: 0.0 }).unwrap(),
            PriorParameter::new(
                "d",
                Distribution::LogNormal {
                    median: 2.0,
                    sigma: 0.0,
                },
            )
            .unwrap(),
            PriorParameter::truncated("e", Distribution::normal(0.0, 1.0).unwrap(), 2.0, 2.0).unwrap(),
            PriorParameter::truncated("f", Distribution::uniform(0.0, 2.0).unwrap(), 2.0, inf).unwrap(),
        ];
        let mut rng = stream(1, 0, "test");
        for p in fixed {
            assert_eq!(p.fixed_value(), Some(2.0), "{}", p.name);
            assert_eq!(p.sample(&mut rng), 2.0);
            assert_eq!(p.quantile(0.3), 2.0);
            assert_eq!(p.ln_density(2.0), Some(0.0));
            assert_eq!(p.ln_density(2.000_001), None);
            assert_eq!(p.mean_sd(), Some((2.0, 0.0)));
            assert_eq!(p.describe(), "fixed at 2");
        }
        let prior = Prior::new(vec![
            PriorParameter::fixed("a", 2.0).unwrap(),
            PriorParameter::new("b", Distribution::uniform(0.0, 1.0).unwrap()).unwrap(),
        ])
        .unwrap();
        assert_eq!(prior.free(), vec![1]);
    }

    #[test]
    fn invalid_priors_are_refused_with_a_reason() {
        let inf = f64::INFINITY;
        let reason = |r: Result<PriorParameter, AbcError>| match r {
            Err(AbcError::Prior { message, .. }) => message,
            other => panic!("expected a prior error, got {other:?}"),
        };
        let n = Distribution::normal(0.0, 1.0).unwrap();
        assert!(reason(PriorParameter::new("", n.clone())).contains("no name"));
        assert!(reason(PriorParameter::truncated("x", n.clone(), 2.0, 1.0)).contains("low <= high"));
        assert!(reason(PriorParameter::truncated("x", n.clone(), f64::NAN, 1.0)).contains("low <= high"));
        assert!(reason(PriorParameter::truncated("x", n.clone(), 40.0, inf)).contains("no probability"));
        assert!(reason(PriorParameter::new("x", Distribution::Normal { mean: 0.0, sd: -1.0 })).contains("negative"));
        assert!(
            reason(PriorParameter::new(
                "x",
                Distribution::Normal {
                    mean: f64::NAN,
                    sd: 1.0
                }
            ))
            .contains("finite")
        );
        assert!(reason(PriorParameter::new("x", Distribution::Uniform { low: 2.0, high: 1.0 })).contains("empty"));
        assert!(
            reason(PriorParameter::new(
                "x",
                Distribution::LogUniform { low: 0.0, high: 1.0 }
            ))
            .contains("above 0")
        );
        assert!(
            reason(PriorParameter::new(
                "x",
                Distribution::LogNormal {
                    median: 0.0,
                    sigma: 1.0
                }
            ))
            .contains("above 0")
        );
        let lu = Distribution::log_uniform(1.0, 2.0).unwrap();
        assert!(reason(PriorParameter::truncated("x", lu.clone(), 3.0, 4.0)).contains("no probability"));
        assert!(reason(PriorParameter::truncated("x", lu, 0.5, 0.5)).contains("outside"));
        let ln = Distribution::log_normal(1.0, 1.0).unwrap();
        assert!(reason(PriorParameter::truncated("x", ln, -2.0, -1.0)).contains("no probability"));
        assert!(reason(PriorParameter::fixed("x", f64::NAN)).contains("finite"));
        assert!(
            reason(PriorParameter::truncated(
                "x",
                Distribution::Normal { mean: 1.0, sd: 0.0 },
                2.0,
                3.0
            ))
            .contains("exclude")
        );
        let q = crate::analysis::sensitivity::distribution::QuantileFn::new("exp", |u| -libm::log(1.0 - u));
        let q = Distribution::quantile_fn(q).unwrap();
        assert!(reason(PriorParameter::new("x", q)).contains("needs a density"));
        let twice = Prior::new(vec![
            PriorParameter::new("x", n.clone()).unwrap(),
            PriorParameter::new("x", n).unwrap(),
        ]);
        assert!(matches!(twice, Err(AbcError::Prior { .. })));
        assert!(Prior::new(vec![]).is_err());
    }

    #[test]
    fn quantiles_stay_finite_and_inside_the_support() {
        for p in families() {
            for u in [0.0, 1e-300, 0.5, 1.0 - 1e-16, 1.0, f64::NAN] {
                let x = p.quantile(u);
                assert!(x.is_finite() && p.ln_density(x).is_some(), "{} at {u}: {x}", p.name);
            }
        }
        let far = &families()[6];
        let (lo, hi) = far.interval(0.9);
        assert!((6.0..=7.0).contains(&lo) && lo < hi && hi <= 7.0, "{lo} {hi}");
    }
}
