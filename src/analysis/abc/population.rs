//! A population: N weighted particles, each a parameter vector with the
//! summaries simulated at it and the distance that accepted it, and what
//! the weighted sample says about each parameter: mean, median, standard
//! deviation, the 5% and 95% quantiles (a 90% credible interval), the
//! effective sample size and the correlation matrix.
//!
//! Weighted quantiles interpolate the weighted distribution function
//! between the sorted values, each value standing at the middle of its
//! weight (with equal weights, the midpoint rule of Hazen, type 5 of
//! Hyndman and Fan). Variances are corrected for the weights' reliability,
//! sum w (x - mean)^2 / (1 - sum w^2) with the weights summing to 1 (the
//! sample variance when the weights are equal).

use serde::{Deserialize, Serialize};

/// A weighted population of parameter vectors. Read back from elsewhere
/// (deserialised), it is checked as [`Population::checked`] checks it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Unchecked")]
pub(crate) struct Population {
    /// The generation that accepted it (0 is the prior sample).
    generation: usize,
    /// The parameters' names, in the order of each vector.
    names: Vec<String>,
    /// The particles' parameter vectors.
    parameters: Vec<Vec<f64>>,
    /// The particles' weights, summing to 1.
    weights: Vec<f64>,
    /// The distance that accepted each particle (`None` in generation 0,
    /// which accepts every defined simulation without a distance).
    distances: Vec<Option<f64>>,
    /// The summaries simulated at each particle.
    summaries: Vec<Vec<f64>>,
}

/// A population as read, before it is checked.
#[derive(Deserialize)]
struct Unchecked {
    /// See [`Population`].
    generation: usize,
    /// See [`Population`].
    names: Vec<String>,
    /// See [`Population`].
    parameters: Vec<Vec<f64>>,
    /// See [`Population`].
    weights: Vec<f64>,
    /// See [`Population`].
    distances: Vec<Option<f64>>,
    /// See [`Population`].
    summaries: Vec<Vec<f64>>,
}

impl TryFrom<Unchecked> for Population {
    type Error = String;

    fn try_from(u: Unchecked) -> Result<Population, String> {
        Population {
            generation: u.generation,
            names: u.names,
            parameters: u.parameters,
            weights: u.weights,
            distances: u.distances,
            summaries: u.summaries,
        }
        .checked()
        .ok_or_else(|| "a malformed population (lengths, values or weights)".to_owned())
    }
}

/// What a population says about one parameter.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct ParameterSummary {
    /// The parameter's name.
    pub(crate) name: String,
    /// Weighted mean.
    pub(crate) mean: Option<f64>,
    /// Weighted median.
    pub(crate) median: Option<f64>,
    /// Weighted standard deviation (`None` with one effective particle).
    pub(crate) sd: Option<f64>,
    /// The 5% quantile: the lower end of the 90% credible interval.
    pub(crate) q05: Option<f64>,
    /// The 95% quantile: the upper end of the 90% credible interval.
    pub(crate) q95: Option<f64>,
}

impl Population {
    /// A population of `parameters` with `weights` (any non-negative,
    /// finite numbers with a positive sum; normalised here), `distances`
    /// and `summaries`, one of each per particle; `None` when the lengths
    /// differ, there is no particle, a value is not finite or the weights
    /// cannot be normalised.
    pub(crate) fn new(
        generation: usize,
        names: Vec<String>,
        parameters: Vec<Vec<f64>>,
        weights: Vec<f64>,
        distances: Vec<Option<f64>>,
        summaries: Vec<Vec<f64>>,
    ) -> Option<Population> {
        let total: f64 = weights.iter().sum();
        if !(total > 0.0 && total.is_finite() && weights.iter().all(|w| *w >= 0.0)) {
            return None;
        }
        let weights = weights.iter().map(|w| w / total).collect();
        Population {
            generation,
            names,
            parameters,
            weights,
            distances,
            summaries,
        }
        .checked()
    }

    /// The same population when it is well formed (one weight, distance
    /// and summary vector per particle, at least one particle, every value
    /// finite, weights at least 0 and summing to 1 within 1e-9), for a
    /// population read back from elsewhere; its values are kept bit for
    /// bit.
    pub(crate) fn checked(self) -> Option<Population> {
        let n = self.parameters.len();
        let total: f64 = self.weights.iter().sum();
        let fits = n > 0
            && self.weights.len() == n
            && self.distances.len() == n
            && self.summaries.len() == n
            && self
                .parameters
                .iter()
                .all(|p| p.len() == self.names.len() && p.iter().all(|x| x.is_finite()))
            && self.weights.iter().all(|w| w.is_finite() && *w >= 0.0)
            && (total - 1.0).abs() <= 1e-9
            && self.distances.iter().flatten().all(|d| d.is_finite() && *d >= 0.0)
            && self.summaries.iter().all(|s| s.iter().all(|x| x.is_finite()));
        fits.then_some(self)
    }

    /// The generation that accepted it.
    pub(crate) fn generation(&self) -> usize {
        self.generation
    }

    /// The number of particles.
    pub(crate) fn size(&self) -> usize {
        self.parameters.len()
    }

    /// The parameters' names.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The particles' parameter vectors.
    pub(crate) fn parameters(&self) -> &[Vec<f64>] {
        &self.parameters
    }

    /// The particles' weights, summing to 1.
    pub(crate) fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The distance that accepted each particle (`None` in generation 0).
    pub(crate) fn distances(&self) -> &[Option<f64>] {
        &self.distances
    }

    /// The summaries simulated at each particle.
    pub(crate) fn summaries(&self) -> &[Vec<f64>] {
        &self.summaries
    }

    /// The effective sample size, 1 / sum w^2: in (0, N], N when the
    /// weights are equal.
    pub(crate) fn ess(&self) -> f64 {
        let s: f64 = self.weights.iter().map(|w| w * w).sum();
        (1.0 / s).min(self.size() as f64)
    }

    /// Parameter `j`'s values across the particles.
    fn column(&self, j: usize) -> impl Iterator<Item = f64> + '_ {
        self.parameters.iter().map(move |p| p[j])
    }

    /// Parameter `j`'s value when every particle has the same (a fixed
    /// parameter), so that its statistics are exact.
    fn constant(&self, j: usize) -> Option<f64> {
        let first = self.parameters[0][j];
        self.column(j).all(|x| x == first).then_some(first)
    }

    /// The weighted mean of parameter `j`.
    pub(crate) fn mean(&self, j: usize) -> Option<f64> {
        if j >= self.names.len() {
            return None;
        }
        Some(
            self.constant(j)
                .unwrap_or_else(|| self.column(j).zip(&self.weights).map(|(x, w)| w * x).sum()),
        )
    }

    /// The weighted covariance of parameters `i` and `j` (reliability
    /// corrected); `None` with one effective particle.
    pub(crate) fn covariance(&self, i: usize, j: usize) -> Option<f64> {
        let (mi, mj) = (self.mean(i)?, self.mean(j)?);
        let s2: f64 = self.weights.iter().map(|w| w * w).sum();
        if 1.0 - s2 > 0.0 && (self.constant(i).is_some() || self.constant(j).is_some()) {
            return Some(0.0);
        }
        let c: f64 = self
            .parameters
            .iter()
            .zip(&self.weights)
            .map(|(p, w)| w * (p[i] - mi) * (p[j] - mj))
            .sum();
        let c = c / (1.0 - s2);
        (1.0 - s2 > 0.0 && c.is_finite()).then_some(c)
    }

    /// The weighted standard deviation of parameter `j`.
    pub(crate) fn sd(&self, j: usize) -> Option<f64> {
        Some(self.covariance(j, j)?.max(0.0).sqrt())
    }

    /// The weighted correlation matrix; `None` where a parameter does not
    /// vary (a fixed one) or there is one effective particle.
    pub(crate) fn correlation(&self) -> Vec<Vec<Option<f64>>> {
        let d = self.names.len();
        let sds: Vec<Option<f64>> = (0..d).map(|j| self.sd(j).filter(|s| *s > 0.0)).collect();
        (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| {
                        let r = self.covariance(i, j)? / (sds[i]? * sds[j]?);
                        Some(r.clamp(-1.0, 1.0))
                    })
                    .collect()
            })
            .collect()
    }

    /// The weighted `q`-quantile (`q` in [0, 1]) of parameter `j`.
    pub(crate) fn quantile(&self, j: usize, q: f64) -> Option<f64> {
        if j >= self.names.len() || !(0.0..=1.0).contains(&q) {
            return None;
        }
        let values: Vec<f64> = self.column(j).collect();
        weighted_quantile(&values, &self.weights, q)
    }

    /// The weighted median of parameter `j`.
    pub(crate) fn median(&self, j: usize) -> Option<f64> {
        self.quantile(j, 0.5)
    }

    /// The 90% credible interval of parameter `j`: its 5% and 95%
    /// quantiles.
    pub(crate) fn interval90(&self, j: usize) -> Option<(f64, f64)> {
        Some((self.quantile(j, 0.05)?, self.quantile(j, 0.95)?))
    }

    /// What the population says about each parameter, in order.
    pub(crate) fn summary(&self) -> Vec<ParameterSummary> {
        (0..self.names.len())
            .map(|j| ParameterSummary {
                name: self.names[j].clone(),
                mean: self.mean(j),
                median: self.median(j),
                sd: self.sd(j),
                q05: self.quantile(j, 0.05),
                q95: self.quantile(j, 0.95),
            })
            .collect()
    }
}

/// The `q`-quantile of `values` weighted by `weights` (non-negative, with a
/// positive sum): the weighted distribution function interpolated between
/// the sorted values, each at the middle of its weight; `None` when empty.
pub(crate) fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    if values.is_empty() || values.len() != weights.len() || !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let target = q.clamp(0.0, 1.0) * total;
    let mut below = 0.0;
    let mut previous: Option<(f64, f64)> = None;
    for &i in &order {
        let centre = below + 0.5 * weights[i];
        if centre >= target {
            return Some(match previous {
                None => values[i],
                Some((c0, x0)) if centre > c0 => x0 + (target - c0) / (centre - c0) * (values[i] - x0),
                Some(_) => values[i],
            });
        }
        previous = Some((centre, values[i]));
        below += weights[i];
    }
    previous.map(|(_, x)| x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;
    use crate::core::sample::normal;
    use crate::core::stats::percentile;

    fn population(parameters: Vec<Vec<f64>>, weights: Vec<f64>) -> Population {
        let n = parameters.len();
        let d = parameters[0].len();
        let names = (0..d).map(|j| format!("p{j}")).collect();
        Population::new(1, names, parameters, weights, vec![Some(0.0); n], vec![vec![]; n]).unwrap()
    }

    #[test]
    fn equal_weights_give_the_sample_statistics() {
        let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let p = population(xs.iter().map(|&x| vec![x]).collect(), vec![0.5; 8]);
        assert_eq!(p.weights().iter().sum::<f64>(), 1.0);
        assert_eq!(p.ess(), 8.0);
        assert_eq!(p.mean(0), Some(3.875));
        // Sample sd (n - 1 denominator), as R's sd().
        let s = crate::core::stats::Summary::of(&xs).sd.unwrap();
        assert!((p.sd(0).unwrap() - s).abs() < 1e-12);
        // Hazen's quantiles: the median of an even sample is the midpoint
        // of the middle two; 5% lies below the first centre (1/16).
        assert_eq!(p.median(0), Some(3.5));
        assert_eq!(p.quantile(0, 0.05), Some(1.0));
        assert_eq!(p.quantile(0, 0.0), Some(1.0));
        assert_eq!(p.quantile(0, 1.0), Some(9.0));
        assert_eq!(p.quantile(0, 1.5), None);
        assert_eq!(p.mean(1), None);
    }

    #[test]
    fn a_weight_counts_as_repeated_values() {
        // Weights 1, 2, 1 on 10, 20, 30 against 10, 20, 20, 30 equally.
        let w = population(vec![vec![10.0], vec![20.0], vec![30.0]], vec![1.0, 2.0, 1.0]);
        let r = population(vec![vec![10.0], vec![20.0], vec![20.0], vec![30.0]], vec![1.0; 4]);
        assert_eq!(w.mean(0), r.mean(0));
        assert_eq!(w.median(0), Some(20.0));
        assert!((w.ess() - 16.0 / 6.0).abs() < 1e-12);
        // One particle with all the weight: no spread to speak of.
        let one = population(vec![vec![1.0], vec![2.0]], vec![1.0, 0.0]);
        assert_eq!((one.ess(), one.sd(0), one.median(0)), (1.0, None, Some(1.0)));
    }

    #[test]
    fn weighted_quantiles_of_a_large_sample_approach_the_true_quantiles() {
        // Normal draws weighted by exp(x): a N(1, 1) sample (exponential
        // tilting). Quantiles of N(1, 1): 1 -+ 1.6449.
        let mut rng = stream(5, 0, "test");
        let xs: Vec<f64> = (0..200_000).map(|_| normal(&mut rng)).collect();
        let ws: Vec<f64> = xs.iter().map(|x| libm::exp(x - 0.5)).collect();
        let p = population(xs.iter().map(|&x| vec![x]).collect(), ws);
        // Self-normalised importance sampling standard errors: of the mean
        // sqrt(sum w^2 (x - mean)^2); of a quantile q_p, that of the share
        // below it, sqrt(sum w^2 (1{x <= q_p} - p)^2), over the density
        // there (phi(1.645) = 0.10314).
        let w = p.weights();
        let m = p.mean(0).unwrap();
        let se_mean = xs.iter().zip(w).map(|(x, w)| (w * (x - m)).powi(2)).sum::<f64>().sqrt();
        assert!((m - 1.0).abs() < 4.0 * se_mean, "{m} ({se_mean})");
        let (lo, hi) = p.interval90(0).unwrap();
        for (q, share, want) in [(lo, 0.05, 1.0 - 1.644_853_6), (hi, 0.95, 1.0 + 1.644_853_6)] {
            let below = |x: f64| if x <= want { 1.0 } else { 0.0 };
            let se_share = xs
                .iter()
                .zip(w)
                .map(|(x, w)| (w * (below(*x) - share)).powi(2))
                .sum::<f64>()
                .sqrt();
            let se_q = se_share / 0.103_14;
            assert!((q - want).abs() < 4.0 * se_q, "{q} vs {want} ({se_q})");
        }
        // The unweighted quantile agrees with the stats module's median.
        let flat = population(xs.iter().map(|&x| vec![x]).collect(), vec![1.0; xs.len()]);
        let m = percentile(&xs, 0.5).unwrap();
        assert!((flat.median(0).unwrap() - m).abs() < 1e-4);
    }

    #[test]
    fn correlations_are_those_of_the_weighted_sample() {
        let p = population(
            vec![
                vec![1.0, 2.0, 5.0],
                vec![2.0, 4.0, 5.0],
                vec![3.0, 6.5, 5.0],
                vec![4.0, 8.0, 5.0],
            ],
            vec![1.0, 2.0, 2.0, 1.0],
        );
        let r = p.correlation();
        assert_eq!(r[0][0], Some(1.0));
        let r01 = r[0][1].unwrap();
        assert!(r01 > 0.99 && r01 < 1.0, "{r01}");
        assert_eq!(r[0][1], r[1][0]);
        assert_eq!((r[2][0], r[2][2]), (None, None));
        assert_eq!(p.sd(2), Some(0.0));
        let s = p.summary();
        assert_eq!(s[2].mean, Some(5.0));
        assert_eq!((s[2].q05, s[2].q95), (Some(5.0), Some(5.0)));
    }

    #[test]
    fn malformed_populations_are_refused() {
        let names = vec!["a".to_string()];
        let new = |params: Vec<Vec<f64>>, weights: Vec<f64>| {
            let n = params.len();
            Population::new(0, names.clone(), params, weights, vec![None; n], vec![vec![]; n])
        };
        assert!(new(vec![], vec![]).is_none());
        assert!(new(vec![vec![1.0]], vec![0.0]).is_none());
        assert!(new(vec![vec![1.0]], vec![f64::INFINITY]).is_none());
        assert!(new(vec![vec![f64::NAN]], vec![1.0]).is_none());
        assert!(new(vec![vec![1.0, 2.0]], vec![1.0]).is_none());
        assert!(new(vec![vec![1.0]], vec![1.0, 1.0]).is_none());
        assert!(new(vec![vec![1.0]], vec![-1.0]).is_none());
        let ok = new(vec![vec![1.0]], vec![3.0]).unwrap();
        assert_eq!(ok.weights(), &[1.0]);
        assert_eq!(ok.clone().checked(), Some(ok.clone()));
        // Read back, a population is checked too.
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(serde_json::from_str::<Population>(&json).unwrap(), ok);
        let bad = json.replace("\"weights\":[1.0]", "\"weights\":[0.5]");
        assert!(bad != json && serde_json::from_str::<Population>(&bad).is_err());
    }
}
