//! Uncertainty analysis: a Latin hypercube over the parameters'
//! distributions, and per output the distribution of its value (the mean
//! over replications at each point) across the points: mean, 5th, 50th and
//! 95th percentiles and standard deviation, with bootstrap intervals over
//! points. The spread across points mixes the parameters' effect with Monte
//! Carlo noise; `noise_share` says how much of it is noise: the mean over
//! points of the variance of a point's mean (its replications' variance
//! over their number) divided by the variance of the point means, held at
//! 1 (a share: the noise's estimated variance can exceed the spread's by
//! chance, and then the spread is all noise as far as the replications can
//! tell). Near 0, the spread is the parameters'; near 1, more replications
//! are needed before the spread means anything.

use super::bootstrap::intervals;
use super::design::{Design, Layout, Method};
use super::error::SensitivityError;
use super::evaluations::Evaluations;
use super::latin_hypercube::{STREAM, latin_hypercube};
use super::result::{Index, Record};
use super::space::ParameterSpace;
use crate::core::stats::percentile;

/// Builds a Latin hypercube of `n` points (at least 2) over the parameters'
/// distributions.
pub fn uncertainty_design(space: &ParameterSpace, n: usize, seed: u64) -> Result<Design, SensitivityError> {
    if n < 2 {
        return Err(SensitivityError::Design(format!(
            "an uncertainty analysis needs at least 2 points, got {n}"
        )));
    }
    let points = latin_hypercube(n, space.len(), seed, STREAM)
        .iter()
        .map(|u| space.at_unit(u))
        .collect();
    Ok(Design {
        method: Method::Uncertainty,
        seed,
        parameters: space.summaries(None),
        points,
        layout: Layout::Uncertainty { n, source: None },
    })
}

/// `n` points (at least 2) drawn from a weighted sample (`particles` with
/// `weights`, a posterior's), described in outputs as drawn from `source`:
/// systematic resampling (the `n` evenly spaced shares u0 + k / n, u0
/// uniform on [0, 1 / n) from the stream of `seed`, each picking the
/// particle where the running sum of the weights passes it), so that every
/// particle appears about its weight times `n` times, in particle order.
/// The space gives the parameters' names and descriptions.
pub fn posterior_design(
    space: &ParameterSpace,
    particles: &[Vec<f64>],
    weights: &[f64],
    n: usize,
    seed: u64,
    source: &str,
) -> Result<Design, SensitivityError> {
    if n < 2 {
        return Err(SensitivityError::Design(format!(
            "an uncertainty analysis needs at least 2 points, got {n}"
        )));
    }
    let total: f64 = weights.iter().sum();
    let fits = !particles.is_empty()
        && particles.len() == weights.len()
        && particles.iter().all(|p| p.len() == space.len())
        && total > 0.0
        && total.is_finite();
    if !fits {
        return Err(SensitivityError::Design(
            "the posterior's particles and weights do not fit its parameters".into(),
        ));
    }
    let mut rng = crate::core::rng::stream(seed, 0, "sensitivity/posterior");
    let u0 = crate::analysis::sensitivity::draws::open_unit(&mut rng) / n as f64;
    let mut points = Vec::with_capacity(n);
    let (mut j, mut below) = (0, weights[0] / total);
    for k in 0..n {
        let u = u0 + k as f64 / n as f64;
        while u >= below && j + 1 < particles.len() {
            j += 1;
            below += weights[j] / total;
        }
        points.push(particles[j].clone());
    }
    Ok(Design {
        method: Method::Uncertainty,
        seed,
        parameters: space.summaries(None),
        points,
        layout: Layout::Uncertainty {
            n,
            source: Some(source.to_string()),
        },
    })
}

/// The indices, in record order.
const INDICES: [Index; 6] = [
    Index::Mean,
    Index::P05,
    Index::P50,
    Index::P95,
    Index::Sd,
    Index::NoiseShare,
];

/// The statistics of [`INDICES`] over points `rows`, given the point means
/// and the variance of each point's mean (`None` with one replication).
fn statistics(means: &[f64], noise: Option<&[f64]>, rows: &[usize]) -> Vec<Option<f64>> {
    let m = rows.len() as f64;
    let xs: Vec<f64> = rows.iter().map(|&i| means[i]).collect();
    let mean = xs.iter().sum::<f64>() / m;
    let var = (rows.len() > 1).then(|| xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1.0));
    let share = noise.zip(var).and_then(|(n, v)| {
        let within = rows.iter().map(|&i| n[i]).sum::<f64>() / m;
        (v > 0.0).then(|| (within / v).min(1.0))
    });
    vec![
        Some(mean),
        percentile(&xs, 0.05),
        percentile(&xs, 0.5),
        percentile(&xs, 0.95),
        var.map(f64::sqrt),
        share,
    ]
}

/// The uncertainty records of every output, and each output's point means.
pub(crate) fn analyse(design: &Design, ev: &Evaluations, resamples: usize) -> (Vec<Record>, Vec<Vec<f64>>) {
    let n = design.len();
    let all: Vec<usize> = (0..n).collect();
    let reps = ev.replications();
    let mut records = Vec::new();
    let mut distributions = Vec::new();
    for (o, output) in ev.outputs().iter().enumerate() {
        let means = ev.means(o);
        let noise: Option<Vec<f64>> = (reps > 1).then(|| {
            (0..n)
                .map(|i| {
                    let v = ev.values(i, o);
                    let m = means[i];
                    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (reps - 1) as f64 / reps as f64
                })
                .collect()
        });
        let est = statistics(&means, noise.as_deref(), &all);
        let ci = intervals(design.seed, n, resamples, INDICES.len(), |rows| {
            statistics(&means, noise.as_deref(), rows)
        });
        for (k, index) in INDICES.into_iter().enumerate() {
            records.push(Record::new(None, output, index, est[k], ci[k]));
        }
        distributions.push(means);
    }
    (records, distributions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_noise_has_a_noise_share_near_one_and_no_noise_a_share_of_zero() {
        // Point means that differ only by noise: each point's mean has
        // variance 1 and the point means' variance is about 1.
        let means: Vec<f64> = (0..2000)
            .map(|i| ((i * 7919) % 2000) as f64 / 2000.0 * 3.464 - 1.732)
            .collect();
        let noise = vec![1.0; 2000];
        let all: Vec<usize> = (0..2000).collect();
        let s = statistics(&means, Some(&noise), &all);
        // Uniform on -1.732..1.732 has variance 1.
        assert!((s[5].unwrap() - 1.0).abs() < 0.01, "{:?}", s[5]);
        let quiet = vec![0.0; 2000];
        assert_eq!(statistics(&means, Some(&quiet), &all)[5], Some(0.0));
        assert_eq!(statistics(&means, None, &all)[5], None);
    }

    #[test]
    fn the_noise_share_and_its_bootstrap_interval_stay_within_0_and_1() {
        // Point means that spread less than their noise says: the noise's
        // estimate exceeds the spread's, so the share is held at 1, and so
        // is every resample's: the interval cannot pass 100%.
        let means: Vec<f64> = (0..50).map(|i| (i % 5) as f64 * 0.1).collect();
        let noise = vec![1.0; 50];
        let all: Vec<usize> = (0..50).collect();
        assert_eq!(statistics(&means, Some(&noise), &all)[5], Some(1.0));
        let ci = intervals(7, 50, 200, INDICES.len(), |rows| statistics(&means, Some(&noise), rows));
        let (low, high) = ci[5].unwrap();
        assert!(
            (0.0..=1.0).contains(&low) && (0.0..=1.0).contains(&high),
            "{low} to {high}"
        );
    }
}
