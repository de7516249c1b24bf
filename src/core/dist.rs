//! Validated probability distributions of durations and values.
//!
//! A [`Dist`] is built through fallible constructors that reject invalid
//! parameters (as rand's distributions do), so a scenario that loads can
//! always be sampled: sampling never fails and never panics. [`Support::NonNegative`] marks durations: their
//! constructors refuse anything that could produce a negative number, and the
//! normal distribution is truncated at zero (redrawn until non-negative).
//! Uniform and empirical draws use rand's samplers; the others use the
//! portable samplers of [`crate::core::sample`], so draws are the same on every
//! platform. The
//! special distribution [`Dist::Never`] means "does not happen" (an
//! indefinite hold): sampling it gives `None`. Units are the caller's business
//! (scenario keys carry them); this module knows nothing of the domain.

use crate::core::sample;
use rand::Rng;
use rand::distr::weighted::WeightedIndex;
use rand::distr::{Distribution, Uniform};
use std::fmt;

/// Which values a distribution may produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Any real number (e.g. an appeal value).
    Any,
    /// Zero or more (every duration).
    NonNegative,
}

/// Why a distribution's parameters were rejected: the parameter's name and
/// what is wrong with it, for the scenario loader to place under a key path.
#[derive(Clone, Debug, PartialEq)]
pub struct DistError {
    /// The offending parameter (`mean`, `sigma`, ...), empty for the whole.
    pub param: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for DistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.param.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.param, self.message)
        }
    }
}

fn err(param: &'static str, message: impl Into<String>) -> DistError {
    DistError {
        param,
        message: message.into(),
    }
}

fn finite(param: &'static str, v: f64) -> Result<f64, DistError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(err(param, format!("must be a finite number, got {v}")))
    }
}

fn positive(param: &'static str, v: f64) -> Result<f64, DistError> {
    if finite(param, v)? > 0.0 {
        Ok(v)
    } else {
        Err(err(param, format!("must be greater than 0, got {v}")))
    }
}

fn within_support(param: &'static str, v: f64, support: Support) -> Result<f64, DistError> {
    finite(param, v)?;
    if support == Support::NonNegative && v < 0.0 {
        return Err(err(param, format!("must be 0 or more (this is a duration), got {v}")));
    }
    Ok(v)
}

/// A validated distribution. Build it with the constructors below.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform on `[low, high)`.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound (exclusive).
        high: f64,
        /// The sampler.
        sampler: Uniform<f64>,
    },
    /// Exponential with the given mean.
    Exponential {
        /// Mean.
        mean: f64,
    },
    /// Normal; truncated at zero (redrawn) when `truncated` is set.
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
        /// Whether negative draws are redrawn.
        truncated: bool,
    },
    /// Log-normal given by its median and the sigma of the log.
    LogNormal {
        /// Median (exp of the log's mean).
        median: f64,
        /// Standard deviation of the log.
        sigma: f64,
        /// Mean of the log, ln(median).
        mu: f64,
    },
    /// Gamma with shape k and scale theta (mean k theta).
    Gamma {
        /// Shape k.
        shape: f64,
        /// Scale theta.
        scale: f64,
    },
    /// Weibull with shape k and scale lambda.
    Weibull {
        /// Shape k.
        shape: f64,
        /// Scale lambda.
        scale: f64,
    },
    /// One of `values`, drawn with probability proportional to `weights`.
    Empirical {
        /// The possible values.
        values: Vec<f64>,
        /// Their (unnormalised) weights.
        weights: Vec<f64>,
        /// The sampler of an index into `values`.
        sampler: WeightedIndex<f64>,
    },
    /// Never happens: an indefinite hold.
    Never,
}

impl Dist {
    /// Always `value`.
    pub fn fixed(value: f64, support: Support) -> Result<Dist, DistError> {
        Ok(Dist::Fixed(within_support("value", value, support)?))
    }

    /// Uniform on `[low, high)`; `low == high` is allowed (a fixed value).
    pub fn uniform(low: f64, high: f64, support: Support) -> Result<Dist, DistError> {
        within_support("low", low, support)?;
        finite("high", high)?;
        if high < low {
            return Err(err("high", format!("must be at least low ({low}), got {high}")));
        }
        if high == low {
            return Ok(Dist::Fixed(low));
        }
        let sampler = Uniform::new(low, high).map_err(|e| err("", e.to_string()))?;
        Ok(Dist::Uniform { low, high, sampler })
    }

    /// Exponential with mean `mean` (> 0).
    pub fn exponential(mean: f64) -> Result<Dist, DistError> {
        positive("mean", mean)?;
        Ok(Dist::Exponential { mean })
    }

    /// Normal with `mean` and standard deviation `sd` (> 0). For durations it
    /// is truncated at zero, and the mean must be above -3 sd so that a draw
    /// is non-negative with probability of at least 0.13%.
    pub fn normal(mean: f64, sd: f64, support: Support) -> Result<Dist, DistError> {
        finite("mean", mean)?;
        positive("sd", sd)?;
        let truncated = support == Support::NonNegative;
        if truncated && mean < -3.0 * sd {
            return Err(err(
                "mean",
                format!(
                    "a duration's normal is truncated at 0; mean {mean} is more than 3 sd below 0, \
                     so almost every draw would be negative"
                ),
            ));
        }
        Ok(Dist::Normal { mean, sd, truncated })
    }

    /// Log-normal with the given `median` (> 0) and `sigma` (>= 0) of the log.
    pub fn lognormal(median: f64, sigma: f64) -> Result<Dist, DistError> {
        positive("median", median)?;
        if finite("sigma", sigma)? < 0.0 {
            return Err(err("sigma", format!("must be 0 or more, got {sigma}")));
        }
        Ok(Dist::LogNormal {
            median,
            sigma,
            mu: libm::log(median),
        })
    }

    /// Gamma with `shape` (> 0) and `scale` (> 0).
    pub fn gamma(shape: f64, scale: f64) -> Result<Dist, DistError> {
        positive("shape", shape)?;
        positive("scale", scale)?;
        Ok(Dist::Gamma { shape, scale })
    }

    /// Weibull with `shape` (> 0) and `scale` (> 0).
    pub fn weibull(shape: f64, scale: f64) -> Result<Dist, DistError> {
        positive("shape", shape)?;
        positive("scale", scale)?;
        Ok(Dist::Weibull { shape, scale })
    }

    /// One of `values` with probabilities proportional to `weights` (same
    /// length, non-negative, not all zero).
    pub fn empirical(values: Vec<f64>, weights: Vec<f64>, support: Support) -> Result<Dist, DistError> {
        if values.is_empty() {
            return Err(err("values", "must list at least one value"));
        }
        if values.len() != weights.len() {
            return Err(err(
                "weights",
                format!(
                    "must have one weight per value: {} values, {} weights",
                    values.len(),
                    weights.len()
                ),
            ));
        }
        for &v in &values {
            within_support("values", v, support)?;
        }
        for &w in &weights {
            if finite("weights", w)? < 0.0 {
                return Err(err("weights", format!("must be 0 or more, got {w}")));
            }
        }
        if !weights.iter().any(|&w| w > 0.0) {
            return Err(err("weights", "at least one weight must be greater than 0"));
        }
        let sampler = WeightedIndex::new(weights.iter().copied()).map_err(|e| err("weights", e.to_string()))?;
        Ok(Dist::Empirical {
            values,
            weights,
            sampler,
        })
    }

    /// Whether this is [`Dist::Never`].
    pub fn is_never(&self) -> bool {
        matches!(self, Dist::Never)
    }

    /// Whether every draw is exactly zero.
    pub fn is_zero(&self) -> bool {
        matches!(self, Dist::Fixed(v) if *v == 0.0)
    }

    /// The theoretical mean, `None` for [`Dist::Never`]. For a truncated
    /// normal this is the mean of the truncated distribution.
    pub fn mean(&self) -> Option<f64> {
        Some(match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { low, high, .. } => 0.5 * (low + high),
            Dist::Exponential { mean, .. } => *mean,
            Dist::Normal {
                mean, sd, truncated, ..
            } => {
                if *truncated {
                    let a = -mean / sd;
                    mean + sd * crate::core::theory::normal_pdf(a) / (1.0 - crate::core::theory::normal_cdf(a))
                } else {
                    *mean
                }
            }
            Dist::LogNormal { median, sigma, .. } => median * libm::exp(0.5 * sigma * sigma),
            Dist::Gamma { shape, scale, .. } => shape * scale,
            Dist::Weibull { shape, scale, .. } => scale * crate::core::theory::gamma_fn(1.0 + 1.0 / shape),
            Dist::Empirical { values, weights, .. } => {
                let total: f64 = weights.iter().sum();
                values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total
            }
            Dist::Never => return None,
        })
    }

    /// One draw; `None` for [`Dist::Never`].
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<f64> {
        Some(match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { sampler, .. } => sampler.sample(rng),
            Dist::Exponential { mean } => mean * sample::exp1(rng),
            Dist::Normal { mean, sd, truncated } => loop {
                // The constructor guarantees P(draw >= 0) >= 0.13%.
                let x = mean + sd * sample::normal(rng);
                if !*truncated || x >= 0.0 {
                    break x;
                }
            },
            Dist::LogNormal { mu, sigma, .. } => libm::exp(mu + sigma * sample::normal(rng)),
            Dist::Gamma { shape, scale } => scale * sample::gamma(rng, *shape),
            Dist::Weibull { shape, scale } => scale * libm::pow(sample::exp1(rng), 1.0 / shape),
            Dist::Empirical { values, sampler, .. } => values[sampler.sample(rng)],
            Dist::Never => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;

    fn sample_mean(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = stream(1, 0, "dist-test");
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng).unwrap()).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
        (m, (var / n as f64).sqrt())
    }

    #[test]
    fn every_distribution_samples_around_its_theoretical_mean() {
        let dists = [
            Dist::uniform(2.0, 5.0, Support::NonNegative).unwrap(),
            Dist::exponential(7.0).unwrap(),
            Dist::normal(1.0, 2.0, Support::NonNegative).unwrap(),
            Dist::normal(-1.0, 2.0, Support::Any).unwrap(),
            Dist::lognormal(20.0, 0.6).unwrap(),
            Dist::gamma(2.0, 3.0).unwrap(),
            Dist::weibull(1.5, 10.0).unwrap(),
            Dist::empirical(vec![1.0, 2.0, 10.0], vec![0.5, 0.3, 0.2], Support::NonNegative).unwrap(),
        ];
        for d in &dists {
            let (m, se) = sample_mean(d, 200_000);
            let want = d.mean().unwrap();
            assert!(
                (m - want).abs() < 4.0 * se,
                "{d:?}: sample mean {m}, theory {want}, se {se}"
            );
        }
    }

    #[test]
    fn durations_never_come_out_negative() {
        let d = Dist::normal(0.5, 2.0, Support::NonNegative).unwrap();
        let mut rng = stream(2, 0, "trunc");
        assert!((0..100_000).all(|_| d.sample(&mut rng).unwrap() >= 0.0));
    }

    #[test]
    fn invalid_parameters_are_rejected_with_the_parameter_named() {
        assert_eq!(Dist::exponential(0.0).unwrap_err().param, "mean");
        assert_eq!(Dist::exponential(f64::NAN).unwrap_err().param, "mean");
        assert_eq!(Dist::lognormal(-1.0, 0.5).unwrap_err().param, "median");
        assert_eq!(Dist::lognormal(1.0, -0.5).unwrap_err().param, "sigma");
        assert_eq!(Dist::gamma(1.0, 0.0).unwrap_err().param, "scale");
        assert_eq!(Dist::weibull(-1.0, 1.0).unwrap_err().param, "shape");
        assert_eq!(Dist::uniform(3.0, 2.0, Support::Any).unwrap_err().param, "high");
        assert_eq!(Dist::fixed(-1.0, Support::NonNegative).unwrap_err().param, "value");
        assert_eq!(
            Dist::normal(-10.0, 1.0, Support::NonNegative).unwrap_err().param,
            "mean"
        );
        assert_eq!(
            Dist::empirical(vec![], vec![], Support::Any).unwrap_err().param,
            "values"
        );
        assert_eq!(
            Dist::empirical(vec![1.0], vec![0.0], Support::Any).unwrap_err().param,
            "weights"
        );
        assert_eq!(
            Dist::empirical(vec![1.0, 2.0], vec![1.0], Support::Any)
                .unwrap_err()
                .param,
            "weights"
        );
        assert!(Dist::fixed(-1.0, Support::Any).is_ok());
    }

    #[test]
    fn never_samples_nothing() {
        let mut rng = stream(3, 0, "never");
        assert_eq!(Dist::Never.sample(&mut rng), None);
        assert_eq!(Dist::Never.mean(), None);
    }
}
