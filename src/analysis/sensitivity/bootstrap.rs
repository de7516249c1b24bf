//! Bootstrap percentile intervals. Resample `b` draws `n` row indices with
//! replacement from its own named stream (`sensitivity/bootstrap`, with
//! `b` as the replication index), so every resample is the same whatever
//! thread computes it and whatever else is computed, and the resamples are
//! the same for every output of an analysis. The 95% interval of a
//! statistic is the 2.5th to 97.5th percentile of its values over the
//! resamples in which it is defined (type 7, as NumPy).

use super::draws::below;
use crate::core::rng::stream;
use crate::core::stats::percentile;
use rayon::prelude::*;

/// The bootstrap's stream.
const STREAM: &str = "sensitivity/bootstrap";

/// The default number of resamples.
pub const RESAMPLES: usize = 1000;

/// Resample `b` of `n` rows, for a run seeded with `seed`.
pub(crate) fn resample(seed: u64, b: usize, n: usize) -> Vec<usize> {
    let mut rng = stream(seed, b as u64, STREAM);
    (0..n).map(|_| below(&mut rng, n)).collect()
}

/// 95% percentile intervals of the `k` statistics `statistic(rows)`
/// computes, over `resamples` resamples of `n` rows. A statistic defined in
/// fewer than half the resamples gets no interval.
pub(crate) fn intervals<F>(seed: u64, n: usize, resamples: usize, k: usize, statistic: F) -> Vec<Option<(f64, f64)>>
where
    F: Fn(&[usize]) -> Vec<Option<f64>> + Sync,
{
    if n == 0 || resamples == 0 {
        return vec![None; k];
    }
    let draws: Vec<Vec<Option<f64>>> = (0..resamples)
        .into_par_iter()
        .map(|b| statistic(&resample(seed, b, n)))
        .collect();
    (0..k)
        .map(|j| {
            let values: Vec<f64> = draws
                .iter()
                .filter_map(|d| d.get(j).copied().flatten())
                .filter(|v| v.is_finite())
                .collect();
            if values.len() * 2 < resamples {
                return None;
            }
            Some((percentile(&values, 0.025)?, percentile(&values, 0.975)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resamples_are_fixed_by_seed_and_index_and_stay_in_range() {
        assert_eq!(resample(5, 3, 50), resample(5, 3, 50));
        assert_ne!(resample(5, 3, 50), resample(5, 4, 50));
        assert!(resample(5, 3, 50).iter().all(|&i| i < 50));
    }

    #[test]
    fn the_interval_of_a_mean_matches_its_standard_error() {
        // 400 values 0..399: sd 115.6, standard error of the mean 5.78, so
        // the 95% interval is about 199.5 -+ 11.3.
        let xs: Vec<f64> = (0..400).map(f64::from).collect();
        let ci = intervals(1, xs.len(), 2000, 1, |rows| {
            vec![Some(rows.iter().map(|&i| xs[i]).sum::<f64>() / rows.len() as f64)]
        })[0]
            .unwrap();
        let half = 0.5 * (ci.1 - ci.0);
        // The half-width's own sampling error over 2000 resamples is a few percent.
        assert!((half - 11.33).abs() < 1.5, "{ci:?}");
        assert!(ci.0 < 199.5 && ci.1 > 199.5);
    }

    #[test]
    fn a_statistic_mostly_undefined_gets_no_interval() {
        let ci = intervals(1, 10, 100, 2, |rows| vec![None, Some(rows[0] as f64)]);
        assert_eq!(ci[0], None);
        assert!(ci[1].is_some());
    }
}
