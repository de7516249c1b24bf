//! Latin hypercube samples of the unit cube: each dimension is cut into n
//! equal strata and each stratum holds exactly one of the n points, at a
//! uniform position inside it (clear of its edges by 1e-9 of its width); the strata are paired across dimensions by
//! independent random permutations. Drawn from the named stream
//! `sensitivity/design/latin_hypercube` (or a caller's name), so the sample
//! depends on the seed alone.

use super::draws::{open_unit, shuffle};
use crate::core::rng::stream;

/// Share of a stratum kept clear at each of its edges.
const EDGE: f64 = 1e-9;

/// `n` points of a Latin hypercube in `d` dimensions, drawn from stream
/// `name` of a run seeded with `seed`; coordinates strictly inside (0, 1).
pub(crate) fn latin_hypercube(n: usize, d: usize, seed: u64, name: &str) -> Vec<Vec<f64>> {
    let mut rng = stream(seed, 0, name);
    let mut points = vec![vec![0.0; d]; n];
    let mut strata: Vec<usize> = (0..n).collect();
    for k in 0..d {
        shuffle(&mut rng, &mut strata);
        for (p, &s) in points.iter_mut().zip(&strata) {
            // Kept a hair (1e-9 of a stratum) from the edges, so that
            // rounding never moves a point into its neighbour.
            let u = EDGE + (1.0 - 2.0 * EDGE) * open_unit(&mut rng);
            p[k] = (s as f64 + u) / n as f64;
        }
    }
    points
}

/// The stream a design's Latin hypercube is drawn from.
pub(crate) const STREAM: &str = "sensitivity/design/latin_hypercube";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stratum_of_each_dimension_holds_exactly_one_point() {
        for n in [1usize, 7, 100, 1000] {
            let pts = latin_hypercube(n, 5, 3, STREAM);
            assert_eq!(pts.len(), n);
            for k in 0..5 {
                let mut count = vec![0u32; n];
                for p in &pts {
                    assert!(p[k] > 0.0 && p[k] < 1.0);
                    count[(p[k] * n as f64) as usize] += 1;
                }
                assert!(count.iter().all(|&c| c == 1), "n {n}, dimension {k}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_sample() {
        assert_eq!(latin_hypercube(10, 3, 9, STREAM), latin_hypercube(10, 3, 9, STREAM));
        assert_ne!(latin_hypercube(10, 3, 9, STREAM), latin_hypercube(10, 3, 10, STREAM));
    }
}
