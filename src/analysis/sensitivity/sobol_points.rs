//! Scrambled Sobol points in the unit cube: the Joe and Kuo direction
//! numbers with Burley's hash-based Owen scrambling (the `sobol_burley`
//! crate, pure integer arithmetic, so the same on every machine). Any
//! power-of-two prefix of the sequence is balanced in every dimension:
//! each interval of width 1/n holds exactly one of the first n points.
//! Coordinates are the centres of the crate's 2^-23-wide cells, strictly
//! inside (0, 1). The sequence is seeded from gatesim's seed through a
//! named stream key, so a run's design depends on its seed only.

use super::error::SensitivityError;

/// Most points the sequence provides.
pub(crate) const MAX_POINTS: usize = 1 << 16;
/// Most dimensions the sequence provides.
pub(crate) const MAX_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// The 32-bit scrambling seed of a run seeded with `seed`.
fn scramble_seed(seed: u64) -> u32 {
    (crate::core::rng::stream_key(seed, 0, "sensitivity/design/sobol") >> 32) as u32
}

/// The first `n` points of the scrambled Sobol sequence in `d` dimensions.
pub(crate) fn sobol_points(n: usize, d: usize, seed: u64) -> Result<Vec<Vec<f64>>, SensitivityError> {
    if n > MAX_POINTS {
        return Err(SensitivityError::Design(format!(
            "{n} Sobol points asked for; the sequence has {MAX_POINTS}"
        )));
    }
    if d > MAX_DIMENSIONS {
        return Err(SensitivityError::Design(format!(
            "{d} Sobol dimensions asked for; the sequence has {MAX_DIMENSIONS}"
        )));
    }
    let s = scramble_seed(seed);
    // Half of the crate's cell width (it returns multiples of 2^-23).
    let half_cell = 0.5 / f64::from(1u32 << 23);
    Ok((0..n as u32)
        .map(|i| {
            (0..d as u32)
                .map(|k| f64::from(sobol_burley::sample(i, k, s)) + half_cell)
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sobol_points_are_inside_the_unit_cube_and_balanced_in_every_dimension() {
        for n in [2usize, 64, 1024] {
            let pts = sobol_points(n, 6, 42).unwrap();
            for k in 0..6 {
                let mut seen = vec![false; n];
                for p in &pts {
                    assert!(p[k] > 0.0 && p[k] < 1.0);
                    let cell = (p[k] * n as f64) as usize;
                    assert!(!seen[cell], "n {n}, dimension {k}: two points in cell {cell}");
                    seen[cell] = true;
                }
            }
        }
    }

    #[test]
    fn the_seed_changes_the_scramble_and_the_same_seed_repeats_it() {
        let a = sobol_points(8, 3, 1).unwrap();
        assert_eq!(a, sobol_points(8, 3, 1).unwrap());
        assert_ne!(a, sobol_points(8, 3, 2).unwrap());
    }

    #[test]
    fn requests_beyond_the_sequence_are_refused() {
        assert!(sobol_points(MAX_POINTS + 1, 2, 0).is_err());
        assert!(sobol_points(4, MAX_DIMENSIONS + 1, 0).is_err());
    }
}
