//! Morris' elementary effects (screening). A trajectory starts at a random
//! point of a grid of `levels` levels per parameter (the plausible range cut
//! evenly in the unit cube) and moves one parameter at a time, in random
//! order and direction, by Delta = levels / (2 (levels - 1)) of its range:
//! p + 1 points per trajectory. Each step gives one elementary effect,
//! (change in output) / (signed step), in output units per whole range of
//! the parameter. Per parameter: mu (mean effect), mu* (mean absolute
//! effect, Campolongo et al. 2007) and sigma (standard deviation of the
//! effects: interactions and non-linearity), with bootstrap intervals over
//! trajectories.
//!
//! Campolongo's improved sampling (optional): draw more candidate
//! trajectories than needed and keep the `r` most spread out, by the sum of
//! squared distances between trajectories. The exhaustive search is
//! combinatorial; this keeps Ruano et al.'s (2012) greedy version: remove,
//! one at a time, the candidate whose removal costs the least spread.

use super::bootstrap::intervals;
use super::campolongo::most_spread;
use super::design::{Design, Layout, Method};
use super::draws::{below, shuffle};
use super::error::SensitivityError;
use super::evaluations::Evaluations;
use super::result::{Index, Record};
use super::space::ParameterSpace;
use crate::core::rng::stream;

/// How a Morris design is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MorrisOptions {
    /// Trajectories kept (r, at least 2).
    pub trajectories: usize,
    /// Grid levels per parameter (even, at least 2; 4 is customary).
    pub levels: usize,
    /// Campolongo's improved sampling: draw this many candidate
    /// trajectories (more than `trajectories`) and keep the most spread.
    pub candidates: Option<usize>,
}

impl Default for MorrisOptions {
    fn default() -> Self {
        MorrisOptions {
            trajectories: 20,
            levels: 4,
            candidates: None,
        }
    }
}

/// One trajectory: the starting grid levels, then the parameters in the
/// order they move and the direction of each (+1 up, -1 down).
struct Trajectory {
    start: Vec<usize>,
    order: Vec<usize>,
    up: Vec<bool>,
}

impl Trajectory {
    /// Trajectory `t` of a run seeded with `seed`, from its own stream.
    fn draw(seed: u64, t: usize, p: usize, levels: usize) -> Trajectory {
        let mut rng = stream(seed, t as u64, "sensitivity/design/morris");
        let h = levels / 2;
        let mut start = Vec::with_capacity(p);
        let mut up = Vec::with_capacity(p);
        for _ in 0..p {
            let base = below(&mut rng, levels - h);
            let rising = below(&mut rng, 2) == 0;
            start.push(if rising { base } else { base + h });
            up.push(rising);
        }
        let mut order: Vec<usize> = (0..p).collect();
        shuffle(&mut rng, &mut order);
        Trajectory { start, order, up }
    }

    /// Its p + 1 points on the grid, in unit-cube coordinates.
    fn unit_points(&self, levels: usize) -> Vec<Vec<f64>> {
        let h = levels / 2;
        let top = (levels - 1) as f64;
        let mut at = self.start.clone();
        let mut out = vec![at.iter().map(|&l| l as f64 / top).collect::<Vec<f64>>()];
        for &i in &self.order {
            at[i] = if self.up[i] { at[i] + h } else { at[i] - h };
            out.push(at.iter().map(|&l| l as f64 / top).collect());
        }
        out
    }
}

/// Builds a Morris design.
pub fn morris_design(space: &ParameterSpace, options: &MorrisOptions, seed: u64) -> Result<Design, SensitivityError> {
    let MorrisOptions {
        trajectories: r,
        levels,
        candidates,
    } = *options;
    if r < 2 {
        return Err(SensitivityError::Design(format!(
            "a Morris analysis needs at least 2 trajectories, got {r}"
        )));
    }
    if levels < 2 || levels % 2 != 0 {
        return Err(SensitivityError::Design(format!(
            "Morris levels must be an even number of at least 2, got {levels}"
        )));
    }
    if let Some(m) = candidates
        && m <= r
    {
        return Err(SensitivityError::Design(format!(
            "Campolongo's sampling picks {r} trajectories from more candidates than that, got {m}"
        )));
    }
    let p = space.len();
    let drawn = candidates.unwrap_or(r);
    let all: Vec<Trajectory> = (0..drawn).map(|t| Trajectory::draw(seed, t, p, levels)).collect();
    let unit: Vec<Vec<Vec<f64>>> = all.iter().map(|t| t.unit_points(levels)).collect();
    let kept: Vec<usize> = if candidates.is_some() {
        most_spread(&unit, r)
    } else {
        (0..r).collect()
    };
    let step = (levels / 2) as f64 / (levels - 1) as f64;
    let mut points = Vec::with_capacity(r * (p + 1));
    let mut moves = Vec::with_capacity(r);
    for &t in &kept {
        points.extend(unit[t].iter().map(|u| space.on_grid(u)));
        moves.push(
            all[t]
                .order
                .iter()
                .map(|&i| (i, if all[t].up[i] { step } else { -step }))
                .collect(),
        );
    }
    Ok(Design {
        method: Method::Morris,
        seed,
        parameters: space.summaries(None),
        points,
        layout: Layout::Morris {
            levels,
            moves,
            candidates,
        },
    })
}

/// mu, mu* and sigma of each parameter's elementary effects (`ee[i][t]`:
/// parameter `i`'s effect in trajectory `t`) over trajectories `rows`, in
/// that order per parameter.
fn statistics(ee: &[Vec<f64>], rows: &[usize]) -> Vec<Option<f64>> {
    let m = rows.len() as f64;
    let mut out = Vec::with_capacity(3 * ee.len());
    for effects in ee {
        let mu = rows.iter().map(|&t| effects[t]).sum::<f64>() / m;
        let mu_star = rows.iter().map(|&t| effects[t].abs()).sum::<f64>() / m;
        let sigma =
            (rows.len() > 1).then(|| (rows.iter().map(|&t| (effects[t] - mu).powi(2)).sum::<f64>() / (m - 1.0)).sqrt());
        out.extend([Some(mu), Some(mu_star), sigma]);
    }
    out
}

/// mu, mu* and sigma of every output's elementary effects, with bootstrap
/// intervals over trajectories.
pub(crate) fn analyse(design: &Design, ev: &Evaluations, resamples: usize) -> Vec<Record> {
    let Layout::Morris { moves, .. } = &design.layout else {
        return Vec::new();
    };
    let p = design.parameters.len();
    let r = moves.len();
    let all: Vec<usize> = (0..r).collect();
    let mut records = Vec::new();
    for (o, output) in ev.outputs().iter().enumerate() {
        let y = ev.means(o);
        let mut ee = vec![vec![0.0; r]; p];
        for (t, steps) in moves.iter().enumerate() {
            for (s, &(i, delta)) in steps.iter().enumerate() {
                let row = t * (p + 1) + s;
                ee[i][t] = (y[row + 1] - y[row]) / delta;
            }
        }
        let est = statistics(&ee, &all);
        let ci = intervals(design.seed, r, resamples, 3 * p, |rows| statistics(&ee, rows));
        for (i, par) in design.parameters.iter().enumerate() {
            let name = Some(par.name.as_str());
            for (k, index) in [Index::Mu, Index::MuStar, Index::Sigma].into_iter().enumerate() {
                records.push(Record::new(name, output, index, est[3 * i + k], ci[3 * i + k]));
            }
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{Distribution, Parameter};

    fn space(p: usize) -> ParameterSpace {
        ParameterSpace::new(
            (0..p)
                .map(|i| Parameter::new(format!("x{i}"), Distribution::uniform(0.0, 10.0).unwrap()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn each_step_of_a_trajectory_moves_one_parameter_by_delta_within_the_grid() {
        let opts = MorrisOptions {
            trajectories: 30,
            levels: 6,
            candidates: None,
        };
        let d = morris_design(&space(4), &opts, 7).unwrap();
        assert_eq!(d.len(), 30 * 5);
        // Delta = 6 / 10 of the range (0 to 10): 6.
        let grid: Vec<f64> = (0..6).map(|l| 10.0 * l as f64 / 5.0).collect();
        for t in 0..30 {
            let traj = &d.points()[t * 5..t * 5 + 5];
            let mut moved = Vec::new();
            for s in 1..5 {
                let changed: Vec<usize> = (0..4).filter(|&k| traj[s][k] != traj[s - 1][k]).collect();
                assert_eq!(changed.len(), 1, "trajectory {t}, step {s}");
                let k = changed[0];
                assert!(((traj[s][k] - traj[s - 1][k]).abs() - 6.0).abs() < 1e-9);
                moved.push(k);
            }
            moved.sort_unstable();
            assert_eq!(moved, [0, 1, 2, 3], "each parameter moves once");
            for x in traj.iter().flatten() {
                assert!(grid.iter().any(|g| (g - x).abs() < 1e-9), "{x} is off the grid");
            }
        }
    }

    #[test]
    fn campolongo_sampling_spreads_the_trajectories_more_than_the_first_drawn() {
        // The spread Campolongo's sampling maximises: the sum over pairs of
        // trajectories of their squared distance (sum of point distances).
        let spread = |d: &Design| {
            let trajectories: Vec<&[Vec<f64>]> = d.points().chunks(4).collect();
            let mut s = 0.0;
            for (i, a) in trajectories.iter().enumerate() {
                for b in &trajectories[i + 1..] {
                    let mut dist = 0.0;
                    for x in a.iter() {
                        for y in b.iter() {
                            dist += x.iter().zip(y).map(|(u, v)| (u - v).powi(2)).sum::<f64>().sqrt();
                        }
                    }
                    s += dist * dist;
                }
            }
            s
        };
        let plain = MorrisOptions {
            trajectories: 10,
            levels: 4,
            candidates: None,
        };
        let improved = MorrisOptions {
            candidates: Some(100),
            ..plain
        };
        let a = morris_design(&space(3), &plain, 3).unwrap();
        let b = morris_design(&space(3), &improved, 3).unwrap();
        assert!(spread(&b) > spread(&a), "{} vs {}", spread(&b), spread(&a));
        assert!(b.describe().contains("most spread of 100 candidates"));
    }

    #[test]
    fn odd_levels_and_too_few_trajectories_or_candidates_are_refused() {
        let base = MorrisOptions::default();
        assert!(morris_design(&space(2), &MorrisOptions { levels: 5, ..base }, 1).is_err());
        assert!(
            morris_design(
                &space(2),
                &MorrisOptions {
                    trajectories: 1,
                    ..base
                },
                1
            )
            .is_err()
        );
        let few = MorrisOptions {
            candidates: Some(base.trajectories),
            ..base
        };
        assert!(morris_design(&space(2), &few, 1).is_err());
    }
}
