//! Daily paired differences: for every series two scenarios share (matched
//! by platform name and metric) and every day, the difference of replication
//! i of a scenario and replication i of the baseline, accumulated exactly
//! (integer fixed point), so the result does not depend on the order
//! replications finish.

use crate::core::stats::{Kind, Moments};
use crate::experiments::montecarlo::collector::ShapeMismatch;
use crate::experiments::montecarlo::series::{Names, SeriesSpec, Shape, platform_index, series_of};
use crate::experiments::montecarlo::{DailySeries, DayStat};
use crate::scenario::Scenario;
use crate::world::Replication;

/// The differences of one pair of scenarios.
struct Against {
    /// The scenario subtracted (the pair's baseline) and the other.
    of: (usize, usize),
    /// (baseline spec, this scenario's spec, label) per shared series.
    pairs: Vec<(SeriesSpec, SeriesSpec, String)>,
    /// Moments per pair and day.
    cells: Vec<Moments>,
}

/// Accumulates daily paired differences of pairs of scenarios (by
/// default every scenario against the first).
pub(crate) struct PairedCollector {
    days: usize,
    against: Vec<Against>,
}

impl PairedCollector {
    /// A collector of the differences `pairs` (baseline, other) of these
    /// scenarios.
    pub(crate) fn new(scenarios: &[Scenario], pairs: &[(usize, usize)]) -> PairedCollector {
        let specs: Vec<(Vec<SeriesSpec>, Names)> = scenarios
            .iter()
            .map(|s| (series_of(Shape::of(s)), Names::of(s)))
            .collect();
        let days = scenarios.iter().map(|s| s.horizon_days as usize + 1).min().unwrap_or(0);
        let against = pairs
            .iter()
            .map(|&(j, k)| {
                let (base, base_names) = &specs[j];
                let (mine, my_names) = &specs[k];
                let pairs: Vec<(SeriesSpec, SeriesSpec, String)> = base
                    .iter()
                    .filter_map(|b| {
                        let l = b.scope.label(base_names);
                        mine.iter()
                            .find(|m| m.metric == b.metric && m.scope.label(my_names) == l)
                            .map(|m| (*b, *m, l))
                    })
                    .collect();
                let cells = vec![Moments::default(); pairs.len() * days];
                Against {
                    of: (j, k),
                    pairs,
                    cells,
                }
            })
            .collect();
        PairedCollector { days, against }
    }

    /// Adds replication i of every scenario (in scenario order).
    pub(crate) fn add(&mut self, reps: &[Replication]) {
        let (mut xs, mut ys) = (vec![0.0; self.days], vec![0.0; self.days]);
        for a in &mut self.against {
            let (Some(base), Some(rep)) = (reps.get(a.of.0), reps.get(a.of.1)) else {
                continue;
            };
            for (i, (b, m, _)) in a.pairs.iter().enumerate() {
                let nx = (b.extract)(base, platform_index(b.scope), &mut xs, 1);
                let ny = (m.extract)(rep, platform_index(m.scope), &mut ys, 1);
                // Days both have.
                for (day, (&x, &y)) in xs.iter().zip(&ys).enumerate().take(nx.min(ny)) {
                    // Differences of counts are whole; of reals, fixed point.
                    let kind = if b.kind == Kind::Count && m.kind == Kind::Count {
                        Kind::Count
                    } else {
                        Kind::Real
                    };
                    a.cells[i * self.days + day].add(kind.to_fixed(y) - kind.to_fixed(x));
                }
            }
        }
    }

    /// The daily differences of pair number `k`.
    pub(crate) fn daily(&self, k: usize) -> Vec<DailySeries> {
        let a = &self.against[k];
        a.pairs
            .iter()
            .enumerate()
            .map(|(i, (b, m, l))| {
                let kind = if b.kind == Kind::Count && m.kind == Kind::Count {
                    Kind::Count
                } else {
                    Kind::Real
                };
                DailySeries {
                    scope: l.clone(),
                    metric: b.metric,
                    unit: b.metric.unit(),
                    days: (0..self.days)
                        .map(|d| {
                            let s = a.cells[i * self.days + d].summary(kind);
                            DayStat {
                                day: d as u64,
                                mean: s.mean,
                                ci_low: s.ci_low,
                                ci_high: s.ci_high,
                                p05: None,
                                p50: None,
                                p95: None,
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// What has been accumulated: per pair, the moments of every shared
    /// series and day (what a shard saves).
    pub(crate) fn state(self) -> Vec<Vec<Moments>> {
        self.against.into_iter().map(|a| a.cells).collect()
    }

    /// This (empty) collector with `state` accumulated, if its shape fits.
    pub(crate) fn with_state(mut self, state: Vec<Vec<Moments>>) -> Result<PairedCollector, ShapeMismatch> {
        if state.len() != self.against.len() || state.iter().zip(&self.against).any(|(s, a)| s.len() != a.cells.len()) {
            return Err(ShapeMismatch);
        }
        for (a, cells) in self.against.iter_mut().zip(state) {
            a.cells = cells;
        }
        Ok(self)
    }
}

/// Adds the paired state `other` to `into` (same shapes).
pub(crate) fn merge_state(into: &mut [Vec<Moments>], other: &[Vec<Moments>]) -> Result<(), ShapeMismatch> {
    if into.len() != other.len() || into.iter().zip(other).any(|(a, b)| a.len() != b.len()) {
        return Err(ShapeMismatch);
    }
    for (a, b) in into.iter_mut().zip(other) {
        for (x, y) in a.iter_mut().zip(b) {
            x.merge(y);
        }
    }
    Ok(())
}
