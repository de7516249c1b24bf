//! The distance between a candidate's simulated summaries x and the
//! observed data y: a weighted Euclidean distance over all observed points,
//!
//! d(x, y) = sqrt( sum over points k of (f_k (x_k - y_k))^2 ),
//!
//! with f_k = w_s / sigma_k for point k of series s (w_s the series'
//! weight). sigma_k is the point's own standard error when it has one: the
//! residual enters as a z-score, so a precise observation counts for more
//! than a rough one (the Gaussian measurement model of Wilkinson 2013 put
//! in the distance; see the module documentation for why not as a
//! stochastic acceptance). Otherwise sigma_k is the series' scale.
//!
//! Adaptive scales (Prangle 2017, "Adapting the ABC distance function",
//! algorithm 4): after each generation, a series' scale is the mean, over
//! its points without a standard error, of the normalised median absolute
//! deviation (1.4826 MAD, a robust standard deviation) of the summaries
//! simulated in that generation, accepted or not. So a series in millions
//! does not drown one in fractions, and the scales follow the spread of
//! what the current proposals simulate. A series whose simulated values do
//! not vary keeps its previous scale or, with none, is left out (factor 0):
//! it cannot tell parameters apart.

use super::observed::Observed;
use crate::core::stats::percentile;
use serde::{Deserialize, Serialize};

/// The median absolute deviation times this estimates a normal standard
/// deviation (1 / Φ⁻¹(3/4)).
const MAD_TO_SD: f64 = 1.482_602_218_505_602;

/// A weighted Euclidean distance to the observed data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Distance {
    /// Each point's factor f_k (0 leaves the point out).
    factors: Vec<f64>,
    /// Each series' scale, when it has one (`None`: not adapted, not
    /// varying, or every point has its own standard error).
    scales: Vec<Option<f64>>,
}

impl Distance {
    /// The distance on raw residuals: scale 1 for every series (a point
    /// with a standard error is still divided by it).
    pub(crate) fn unscaled(observed: &Observed) -> Distance {
        let scales = vec![None; observed.series().len()];
        Distance::with_scales(observed, scales)
    }

    /// The distance whose series scales are adapted to `sample` (the
    /// summary vectors simulated in one generation, all finite); a series
    /// that does not vary in it keeps its scale in `previous`.
    pub(crate) fn adapted(observed: &Observed, sample: &[Vec<f64>], previous: &Distance) -> Distance {
        let mut column = Vec::with_capacity(sample.len());
        let mut deviations = Vec::with_capacity(sample.len());
        let scales = observed
            .series()
            .iter()
            .enumerate()
            .map(|(s, series)| {
                let mut sum = 0.0;
                let mut n = 0usize;
                for (k, se) in observed.range(s).zip(series.standard_errors()) {
                    if se.is_some() {
                        continue;
                    }
                    column.clear();
                    column.extend(sample.iter().filter_map(|x| x.get(k)));
                    let Some(median) = percentile(&column, 0.5) else {
                        continue;
                    };
                    deviations.clear();
                    deviations.extend(column.iter().map(|x| (x - median).abs()));
                    if let Some(mad) = percentile(&deviations, 0.5) {
                        sum += MAD_TO_SD * mad;
                        n += 1;
                    }
                }
                let scale = sum / n as f64;
                if n > 0 && scale > 0.0 && scale.is_finite() {
                    Some(scale)
                } else {
                    previous.scales.get(s).copied().flatten()
                }
            })
            .collect();
        Distance::with_scales(observed, scales)
    }

    /// The distance with series scales `scales` (`None`: unscaled when
    /// `unscaled`, else left out).
    fn with_scales(observed: &Observed, scales: Vec<Option<f64>>) -> Distance {
        let adapted = scales.iter().any(Option::is_some);
        let mut factors = Vec::with_capacity(observed.points());
        for (series, scale) in observed.series().iter().zip(&scales) {
            for se in series.standard_errors() {
                let divisor = match (se, scale) {
                    (Some(se), _) => Some(*se),
                    (None, Some(scale)) => Some(*scale),
                    (None, None) if !adapted => Some(1.0),
                    (None, None) => None,
                };
                factors.push(divisor.map_or(0.0, |d| series.weight() / d));
            }
        }
        Distance { factors, scales }
    }

    /// The distance between `simulated` and `observed` (of equal lengths);
    /// `None` when a simulated value is not finite or the sum overflows.
    pub(crate) fn between(&self, observed: &[f64], simulated: &[f64]) -> Option<f64> {
        if simulated.len() != observed.len() || simulated.len() != self.factors.len() {
            return None;
        }
        let mut sum = 0.0;
        for ((f, y), x) in self.factors.iter().zip(observed).zip(simulated) {
            if !x.is_finite() {
                return None;
            }
            let r = f * (x - y);
            sum += r * r;
        }
        let d = sum.sqrt();
        d.is_finite().then_some(d)
    }

    /// Each series' scale, when it has one.
    pub(crate) fn scales(&self) -> &[Option<f64>] {
        &self.scales
    }

    /// Each point's factor.
    #[cfg_attr(not(test), expect(dead_code, reason = "used by the module's tests"))]
    pub(crate) fn factors(&self) -> &[f64] {
        &self.factors
    }

    /// Whether this distance fits `observed` (one factor per point, one
    /// scale per series, all finite and at least 0).
    pub(crate) fn fits(&self, observed: &Observed) -> bool {
        self.factors.len() == observed.points()
            && self.scales.len() == observed.series().len()
            && self.factors.iter().all(|f| f.is_finite() && *f >= 0.0)
            && self.scales.iter().flatten().all(|s| s.is_finite() && *s > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::abc::observed::Series;

    fn observed() -> Observed {
        Observed::new(vec![
            Series::new("users", vec![1e6, 2e6]),
            Series::new("share", vec![0.5]),
            Series::new("rate", vec![3.0]).with_standard_errors(vec![Some(0.5)]),
        ])
        .unwrap()
    }

    #[test]
    fn raw_residuals_are_divided_only_by_standard_errors() {
        let o = observed();
        let d = Distance::unscaled(&o);
        assert_eq!(d.factors(), &[1.0, 1.0, 1.0, 2.0]);
        let got = d.between(o.values(), &[1e6 + 3.0, 2e6, 0.5 + 4.0, 3.0]).unwrap();
        assert_eq!(got, 5.0);
        assert_eq!(d.between(o.values(), &[f64::NAN, 2e6, 0.5, 3.0]), None);
        assert_eq!(d.between(o.values(), &[1e6, 2e6, 0.5]), None);
    }

    #[test]
    fn adapted_scales_put_a_series_in_millions_level_with_one_in_fractions() {
        let o = observed();
        // Users spread by 1e5 (MAD of -1, 0, 1 times 1e5 is 1e5), the
        // share by 0.01; the rate has its own standard error.
        let sample: Vec<Vec<f64>> = (-1..=1)
            .map(|i| {
                let i = f64::from(i);
                vec![1e6 + 1e5 * i, 2e6 + 3e5 * i, 0.5 + 0.01 * i, 100.0 * i]
            })
            .collect();
        let d = Distance::adapted(&o, &sample, &Distance::unscaled(&o));
        let users = MAD_TO_SD * 2e5;
        let share = MAD_TO_SD * 0.01;
        assert!((d.scales()[0].unwrap() / users - 1.0).abs() < 1e-12);
        assert!((d.scales()[1].unwrap() / share - 1.0).abs() < 1e-12);
        assert_eq!(d.scales()[2], None);
        assert_eq!(d.factors()[3], 2.0);
        // One scale of each series off the data contributes the same.
        let one_user = d.between(o.values(), &[1e6 + users, 2e6, 0.5, 3.0]).unwrap();
        let one_share = d.between(o.values(), &[1e6, 2e6, 0.5 + share, 3.0]).unwrap();
        assert!((one_user - 1.0).abs() < 1e-12 && (one_share - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_series_that_does_not_vary_keeps_its_scale_or_is_left_out() {
        let o = Observed::new(vec![
            Series::new("flat", vec![1.0]),
            Series::new("varying", vec![0.0]).with_weight(2.0),
        ])
        .unwrap();
        let sample = vec![vec![1.0, -1.0], vec![1.0, 0.0], vec![1.0, 1.0]];
        let first = Distance::adapted(&o, &sample, &Distance::unscaled(&o));
        assert_eq!(first.scales()[0], None);
        assert_eq!(first.factors()[0], 0.0);
        assert!((first.factors()[1] - 2.0 / MAD_TO_SD).abs() < 1e-12);
        let moving = vec![vec![0.0, 1.0], vec![1.0, 1.0], vec![2.0, 1.0]];
        let second = Distance::adapted(&o, &moving, &first);
        assert_eq!(second.scales(), &[Some(MAD_TO_SD), first.scales()[1]]);
        // No sample at all: every scale is kept.
        assert_eq!(Distance::adapted(&o, &[], &second), second);
        assert!(second.fits(&o) && !second.fits(&observed()));
    }
}
