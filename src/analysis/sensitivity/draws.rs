//! The two random draws the designs and the bootstrap need, defined here
//! rather than borrowed from rand's samplers so that their results are
//! fixed by this code alone: an index below `n` (a 64-bit multiply-shift,
//! whose bias of at most n / 2^64 is far below anything measurable) and a
//! uniform number strictly inside (0, 1) (53 random bits, centred in their
//! cell, so that no quantile function ever sees 0 or 1).

use crate::core::rng::Stream;
use rand::Rng;

/// A uniform index in `0..n` (`n > 0`).
pub(crate) fn below(rng: &mut Stream, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// A uniform number strictly between 0 and 1.
pub(crate) fn open_unit(rng: &mut Stream) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Shuffles `v` in place (Fisher and Yates).
pub(crate) fn shuffle<T>(rng: &mut Stream, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = below(rng, i + 1);
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;

    #[test]
    fn indices_stay_below_their_bound_and_cover_it_evenly() {
        let mut rng = stream(1, 0, "test");
        let mut counts = [0u32; 5];
        for _ in 0..50_000 {
            counts[below(&mut rng, 5)] += 1;
        }
        // Each count is binomial(50000, 0.2): sd 89.4; 4 sd = 358.
        for c in counts {
            assert!((i64::from(c) - 10_000).abs() < 358, "{counts:?}");
        }
    }

    #[test]
    fn open_unit_draws_are_strictly_inside_the_interval() {
        let mut rng = stream(2, 0, "test");
        let xs: Vec<f64> = (0..10_000).map(|_| open_unit(&mut rng)).collect();
        assert!(xs.iter().all(|&x| x > 0.0 && x < 1.0));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        // sd of the mean: sqrt(1/12 / 10000) = 0.00289; 4 sd = 0.0116.
        assert!((mean - 0.5).abs() < 0.0116, "{mean}");
    }
}
