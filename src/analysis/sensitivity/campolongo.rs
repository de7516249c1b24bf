//! Campolongo's improved Morris sampling: from many candidate trajectories,
//! keep the `r` that are most spread out over the input space. The spread
//! of a set is the sum over its pairs of trajectories of their squared
//! distance, the distance between two trajectories being the sum of the
//! Euclidean distances between each point of one and each point of the
//! other (Campolongo, Cariboni and Saltelli 2007). Instead of the
//! exhaustive search over all subsets, candidates are removed one at a time,
//! each time the one whose removal costs the least spread (Ruano et al.
//! 2012); on a tie the later candidate goes, so the result is deterministic.

/// The distance between two trajectories (each a list of points).
fn distance(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    let mut d = 0.0;
    for x in a {
        for y in b {
            d += x.iter().zip(y).map(|(u, v)| (u - v) * (u - v)).sum::<f64>().sqrt();
        }
    }
    d
}

/// The indices (ascending) of the `r` most spread of `candidates`.
pub(crate) fn most_spread(candidates: &[Vec<Vec<f64>>], r: usize) -> Vec<usize> {
    let m = candidates.len();
    if r >= m {
        return (0..m).collect();
    }
    let mut d2 = vec![vec![0.0; m]; m];
    for i in 0..m {
        for j in i + 1..m {
            let d = distance(&candidates[i], &candidates[j]);
            d2[i][j] = d * d;
            d2[j][i] = d * d;
        }
    }
    // Each candidate's contribution to the spread of the remaining set.
    let mut alive = vec![true; m];
    let mut contribution: Vec<f64> = (0..m).map(|i| d2[i].iter().sum()).collect();
    for _ in 0..m - r {
        let mut worst = None;
        for i in (0..m).rev().filter(|&i| alive[i]) {
            if worst.is_none_or(|w: usize| contribution[i] < contribution[w]) {
                worst = Some(i);
            }
        }
        let Some(w) = worst else { break };
        alive[w] = false;
        for i in 0..m {
            contribution[i] -= d2[i][w];
        }
    }
    (0..m).filter(|&i| alive[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outlying_trajectories_are_kept() {
        let at = |x: f64| vec![vec![x, x], vec![x, x]];
        // Three clustered near 0.5, two at the corners.
        let c = vec![at(0.5), at(0.0), at(0.52), at(1.0), at(0.48)];
        let kept = most_spread(&c, 2);
        assert_eq!(kept, [1, 3]);
        assert_eq!(most_spread(&c, 5), [0, 1, 2, 3, 4]);
    }
}
