//! The statistical inefficiency of a ratio observed by blocks in several
//! independent replications: how many blocks one block's worth of
//! independent information is spread over (the integrated
//! autocorrelation time, 1 + 2 sum_k rho_k, of the ratio's residuals),
//! estimated by batch means (Schmeiser 1982, "Batch size effects in the
//! analysis of simulation output", Operations Research 30, 556-568;
//! Sokal 1997, "Monte Carlo methods in statistical mechanics", for the
//! name and the use: a start of several such times is what a transient
//! needs to die out).
//!
//! Replication r has per block b a numerator N_rb and a denominator D_rb
//! (hours of waits and their number; busy hours and capacity hours). With
//! the pooled ratio R = sum N / sum D, the residuals e_rb = N_rb - R D_rb
//! have mean zero; each replication's blocks are cut into a fixed number of
//! batches of m blocks, and the inefficiency is
//!
//! tau = (sum over batches of (sum of e in the batch)^2 / m) / (mean of e_rb^2),
//!
//! the batch sums' variance per block over the blocks' own: 1 for
//! independent blocks, larger the longer they stay correlated. A fixed
//! number of batches (not a fixed size) keeps the batches as long as the
//! data allow, so the estimate does not stop growing at a batch size
//! chosen in advance. Replications are pooled, so the estimate rests on
//! every replication's blocks and varies little from run to run.

/// Batches each replication's blocks are cut into.
pub(crate) const BATCHES: usize = 5;

/// The statistical inefficiency (in blocks, at least 1) of the ratio
/// whose replications' block numerators and denominators are `reps`
/// (each a pair of equally long slices); `None` without a whole batch of
/// two blocks or without spread.
pub(crate) fn statistical_inefficiency(reps: &[(&[f64], &[f64])]) -> Option<f64> {
    let (num, den) = reps.iter().fold((0.0, 0.0), |(n, d), (rn, rd)| {
        (n + rn.iter().sum::<f64>(), d + rd.iter().sum::<f64>())
    });
    if den <= 0.0 {
        return None;
    }
    let ratio = num / den;
    let (mut blocks, mut block_squares, mut batches, mut batch_squares) = (0.0, 0.0, 0.0, 0.0);
    for (rn, rd) in reps {
        let m = rn.len().min(rd.len()) / BATCHES;
        if m < 2 {
            continue;
        }
        for batch in 0..BATCHES {
            let mut sum = 0.0;
            for b in batch * m..(batch + 1) * m {
                let e = rn[b] - ratio * rd[b];
                sum += e;
                block_squares += e * e;
                blocks += 1.0;
            }
            batch_squares += sum * sum / m as f64;
            batches += 1.0;
        }
    }
    if batches == 0.0 || block_squares <= 0.0 {
        return None;
    }
    let tau = (batch_squares / batches) / (block_squares / blocks);
    tau.is_finite().then_some(tau.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;
    use crate::core::sample::normal;

    /// `reps` replications of `blocks` blocks of an AR(1) series with
    /// lag-one correlation `phi` around 10 (denominators 1).
    fn ar1(reps: usize, blocks: usize, phi: f64) -> Vec<(Vec<f64>, Vec<f64>)> {
        (0..reps)
            .map(|r| {
                let mut rng = stream(20_261_206, r as u64, "inefficiency");
                let mut x = normal(&mut rng) / (1.0 - phi * phi).sqrt();
                let num = (0..blocks)
                    .map(|_| {
                        x = phi * x + normal(&mut rng);
                        10.0 + x
                    })
                    .collect();
                (num, vec![1.0; blocks])
            })
            .collect()
    }

    fn of(reps: &[(Vec<f64>, Vec<f64>)]) -> Option<f64> {
        let slices: Vec<(&[f64], &[f64])> = reps.iter().map(|(n, d)| (n.as_slice(), d.as_slice())).collect();
        statistical_inefficiency(&slices)
    }

    #[test]
    fn independent_blocks_have_an_inefficiency_near_one() {
        // 20 x 5 = 100 batch sums of 200 blocks: their mean square has a
        // relative standard error of sqrt(2 / 100) = 0.14.
        let tau = of(&ar1(20, 1000, 0.0)).unwrap();
        assert!((tau - 1.0).abs() <= 4.0 * 0.14, "{tau}");
    }

    #[test]
    fn an_ar1_series_has_the_inefficiency_of_its_correlations() {
        // 1 + 2 sum phi^k = (1 + phi) / (1 - phi) = 9 for phi = 0.8; batches
        // of 400 blocks shorten it by about 2 phi / ((1 - phi)^2 m) = 0.1.
        let tau = of(&ar1(20, 2000, 0.8)).unwrap();
        let expected = 9.0 - 0.1;
        assert!((tau - expected).abs() <= 4.0 * 0.14 * expected, "{tau}");
    }

    #[test]
    fn a_constant_series_or_too_few_blocks_give_no_estimate() {
        let flat = vec![(vec![3.0; 100], vec![1.0; 100])];
        assert_eq!(of(&flat), None);
        assert_eq!(of(&[(vec![1.0, 2.0, 3.0], vec![1.0; 3])]), None);
        assert_eq!(of(&[]), None);
    }
}
