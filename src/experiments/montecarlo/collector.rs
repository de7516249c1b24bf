//! Accumulates replications into statistics that do not depend on the order
//! replications arrive in: exact integer moments and histograms per series
//! and day, exact moments per cohort and recorded age, integer sums of
//! flows, and every replication's headline values keyed by its index
//! (sorted when the results are built). Memory grows with series x days,
//! not with the number of replications (but for the headline values, a few
//! numbers each).
//!
//! Adding a replication costs a fixed amount per series and day: an integer
//! update of the moments and one increment of a histogram bin (amortised),
//! whatever the number of replications added before.

use super::headline::{HeadlineSpec, HeadlineStat};
use super::series::Scope;
use super::series::{SeriesSpec, platform_index};
use super::tally::Tally;
use super::warmup::{self, Chosen};
use crate::core::stats::histogram::bin_of;
use crate::core::stats::{Histogram, Kind, Moments};
use crate::model::pipeline::steady::SteadyBlocks;
use crate::model::users::record::age_of_slot;
use crate::world::Replication;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One cohort's sums across replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortSums {
    /// `initial`, `week N` or `weeks N-M`.
    pub label: String,
    /// First acquisition day.
    pub first_day: u64,
    /// Last acquisition day (at most the horizon).
    pub last_day: u64,
    /// Size (users, fixed point of a count).
    pub size: Moments,
    /// Retention at each recorded age (fixed point of a share), with the age.
    pub retention: Vec<(u64, Moments)>,
}

/// The accumulating state of a Monte Carlo run.
pub struct Collector {
    series: Vec<SeriesSpec>,
    headlines: Vec<HeadlineSpec>,
    days: usize,
    warmup: u64,
    /// What has been accumulated.
    acc: CollectorState,
    /// Scratch kept from batch to batch: a series' values by day and
    /// replication.
    grid: Vec<f64>,
    /// Scratch for counting a cell's values by value.
    tally: Tally,
}

impl Collector {
    /// An empty collector for these series and headlines over `days` days.
    pub fn new(series: Vec<SeriesSpec>, headlines: Vec<HeadlineSpec>, days: usize, warmup: u64) -> Collector {
        let cells = series.len() * days;
        Collector {
            series,
            headlines,
            days,
            warmup,
            acc: CollectorState {
                moments: vec![Moments::default(); cells],
                histograms: vec![Histogram::default(); cells],
                ..CollectorState::default()
            },
            grid: Vec::new(),
            tally: Tally::default(),
        }
    }

    /// Adds replication `rep`.
    pub fn add(&mut self, rep: Replication) {
        self.add_batch(vec![rep]);
    }

    /// Adds a batch of replications. The daily cells are visited once per
    /// batch, each taking the values of every replication in turn: a cell's
    /// accumulators are fetched from memory once per batch instead of once
    /// per replication, which is what adding costs once the cells outgrow
    /// the processor's caches. The result is that of adding them one by one.
    pub fn add_batch(&mut self, reps: Vec<Replication>) {
        let (days, count) = (self.days, reps.len());
        let (grid, tally) = (&mut self.grid, &mut self.tally);
        // One series at a time, its values by day: `grid[day * count + i]`
        // is replication i's value on `day`, NaN where it has none.
        grid.resize(days * count, f64::NAN);
        for (s, spec) in self.series.iter().enumerate() {
            let p = platform_index(spec.scope);
            for (i, rep) in reps.iter().enumerate() {
                let written = (spec.extract)(rep, p, &mut grid[i..], count);
                grid[i..]
                    .iter_mut()
                    .step_by(count)
                    .skip(written)
                    .for_each(|v| *v = f64::NAN);
            }
            let moments = &mut self.acc.moments[s * days..(s + 1) * days];
            let histograms = &mut self.acc.histograms[s * days..(s + 1) * days];
            let cells = moments.iter_mut().zip(histograms.iter_mut());
            for ((m, h), values) in cells.zip(grid.chunks_exact(count.max(1))) {
                // Whole numbers close together (counts): each distinct
                // value added once, with its number of occurrences.
                let counted = tally.by_value(values, |v, n| {
                    m.add_repeated(spec.kind, v, n);
                    h.add_bin(bin_of(v), n);
                });
                if !counted {
                    m.add_values(spec.kind, values);
                    h.add_values(values);
                }
            }
        }
        for rep in reps {
            self.add_rest(rep);
        }
    }

    /// Adds what is not a daily cell: cohorts, flows, headline values,
    /// durations and events.
    fn add_rest(&mut self, mut rep: Replication) {
        if let Some(blocks) = rep.result.gatekeeper.steady.take() {
            self.acc.steady.insert(rep.index, blocks);
        }
        if let Some(u) = &rep.users {
            for (p, pu) in u.platforms.iter().enumerate() {
                for cohort in pu.cohorts.iter().filter(|c| c.size > 0) {
                    let entry = self
                        .acc
                        .cohorts
                        .entry((p, cohort.first_day))
                        .or_insert_with(|| CohortSums {
                            label: cohort.label.clone(),
                            first_day: cohort.first_day,
                            last_day: cohort.last_day,
                            size: Moments::default(),
                            retention: Vec::new(),
                        });
                    entry.size.add(Kind::Count.to_fixed(cohort.size as f64));
                    let slots = cohort.survivors.len();
                    if entry.retention.len() < slots {
                        let from = entry.retention.len();
                        entry
                            .retention
                            .extend((from..slots).map(|s| (age_of_slot(s), Moments::default())));
                    }
                    let size = cohort.size as f64;
                    for ((_, m), &s) in entry.retention.iter_mut().zip(&cohort.survivors) {
                        m.add(Kind::Real.to_fixed(s as f64 / size));
                    }
                }
            }
            if self.acc.flows.is_empty() {
                self.acc.flows = u.flows.iter().map(|row| vec![0; row.len()]).collect();
            }
            for (acc, row) in self.acc.flows.iter_mut().zip(&u.flows) {
                for (a, &v) in acc.iter_mut().zip(row) {
                    *a += u128::from(v);
                }
            }
        }
        let row = self
            .headlines
            .iter()
            .map(|h| (h.read)(&rep, platform_index(h.scope), self.warmup))
            .collect();
        self.acc.rows.insert(rep.index, row);
        let (platforms, populations) = (&rep.result.platforms, &rep.result.populations);
        if self.acc.durations.is_empty() {
            self.acc.durations = vec![Default::default(); platforms.len() + populations.len()];
        }
        let split = platforms.len().min(self.acc.durations.len());
        let (named, grouped) = self.acc.durations.split_at_mut(split);
        for (acc, p) in named.iter_mut().zip(platforms) {
            p.decision_hours_values.iter().for_each(|&h| acc.0.add(h));
            p.withdrawn_hours_values.iter().for_each(|&h| acc.1.add(h));
        }
        // A population's durations come by bin already.
        for (acc, p) in grouped.iter_mut().zip(populations) {
            acc.0.merge(&p.decision_hours);
            acc.1.merge(&p.withdrawn_hours);
        }
        self.acc.events += u128::from(rep.events);
    }

    /// Replications added so far.
    pub fn replications(&self) -> u64 {
        self.acc.rows.len() as u64
    }

    /// The statistics so far (after the automatic warm-up, if any) of the
    /// headlines `wanted` picks, by index; `None` for the others (their
    /// intervals, a bootstrap's after "auto", are not computed).
    pub fn headline_stats(&self, wanted: impl Fn(usize) -> bool) -> Vec<Option<HeadlineStat>> {
        let settled = self.settled(&wanted);
        (0..self.headlines.len())
            .map(|h| wanted(h).then(|| settled.stat(h)))
            .collect()
    }

    /// The headline values of every replication, with the steady-state
    /// headlines recomputed after the warm-up chosen from the
    /// replications' sums by block when they were kept (an automatic
    /// warm-up), their ratio estimators' linearised values, and that
    /// warm-up.
    /// Only the headlines `wanted` picks are recomputed.
    fn settled(&self, wanted: &dyn Fn(usize) -> bool) -> Settled {
        let platforms = self
            .headlines
            .iter()
            .filter_map(|h| match h.scope {
                Scope::Platform(p) => Some(p + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let horizon = self.days.saturating_sub(1) as u64;
        let mut rows = self.acc.rows.clone();
        let mut linearised = vec![None; self.headlines.len()];
        let (Some(chosen), Some(first)) = (
            warmup::choose(&self.acc.steady, platforms, horizon),
            self.acc.steady.values().next(),
        ) else {
            return Settled {
                rows,
                linearised,
                warmup: None,
            };
        };
        for (h, spec) in self.headlines.iter().enumerate().filter(|(h, _)| wanted(*h)) {
            let Some(steady) = warmup::steady_of(first, platforms, spec.scope, spec.metric) else {
                continue;
            };
            let sums: Option<Vec<(f64, f64)>> = rows
                .keys()
                .map(|index| Some(steady.window(self.acc.steady.get(index)?, &chosen, *index)))
                .collect();
            let Some(sums) = sums else { continue };
            for (row, (num, den)) in rows.values_mut().zip(&sums) {
                row[h] = (*den > 0.0).then(|| num / den);
            }
            linearised[h] = Some(warmup::linearised(&sums).unwrap_or_default());
        }
        Settled {
            rows,
            linearised,
            warmup: Some(chosen),
        }
    }

    /// Everything collected, for building results.
    pub fn into_parts(self) -> Parts {
        let Settled {
            rows,
            linearised,
            warmup,
        } = self.settled(&|_| true);
        Parts {
            warmup,
            linearised,
            series: self.series,
            headlines: self.headlines,
            days: self.days,
            moments: self.acc.moments,
            histograms: self.acc.histograms,
            cohorts: self.acc.cohorts.into_iter().map(|((p, _), c)| (p, c)).collect(),
            flows: self.acc.flows,
            rows,
            events: self.acc.events,
            durations: self.acc.durations,
        }
    }
}

/// The contents of a finished collector.
pub struct Parts {
    pub series: Vec<SeriesSpec>,
    pub headlines: Vec<HeadlineSpec>,
    pub days: usize,
    /// Per cell (series-major, then day), its moments and its histogram,
    /// handed over as they were collected (pairing them into a new list
    /// would hold both copies at once: 40 MB for ten years).
    pub moments: Vec<Moments>,
    pub histograms: Vec<Histogram>,
    /// Per platform (index), its cohorts in order of acquisition.
    pub cohorts: Vec<(usize, CohortSums)>,
    pub flows: Vec<Vec<u128>>,
    pub rows: BTreeMap<u64, Vec<Option<f64>>>,
    pub events: u128,
    pub durations: Vec<(Histogram, Histogram)>,
    /// The warm-up chosen after the run, if it was automatic.
    pub(crate) warmup: Option<Chosen>,
    /// Per headline, the linearised values of its ratio estimator when
    /// it is a steady-state mean recomputed after that warm-up.
    pub(crate) linearised: Vec<Option<Vec<f64>>>,
}

impl Parts {
    /// Headline `h`'s statistics across replications.
    pub(crate) fn stat(&self, h: usize) -> HeadlineStat {
        stat_of(&self.rows, &self.linearised, h)
    }
}

/// The headline values after an automatic warm-up.
struct Settled {
    rows: BTreeMap<u64, Vec<Option<f64>>>,
    linearised: Vec<Option<Vec<f64>>>,
    warmup: Option<Chosen>,
}

impl Settled {
    fn stat(&self, h: usize) -> HeadlineStat {
        stat_of(&self.rows, &self.linearised, h)
    }
}

/// Headline `h`'s statistics: of the replications' values, with the mean
/// and its interval those of the ratio estimator where it has one.
fn stat_of(rows: &BTreeMap<u64, Vec<Option<f64>>>, linearised: &[Option<Vec<f64>>], h: usize) -> HeadlineStat {
    let own = HeadlineStat::of(&rows.values().map(|r| r[h]).collect::<Vec<_>>());
    match linearised.get(h) {
        Some(Some(z)) => own.with_interval_of(z),
        _ => own,
    }
}

/// What a collector has accumulated, without its readers: what a shard
/// saves in its partial result and merge adds up. Adding two states gives
/// exactly the state of one collector that saw both sets of replications.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectorState {
    /// Per series and day (index `series * days + day`).
    moments: Vec<Moments>,
    histograms: Vec<Histogram>,
    /// (platform, first acquisition day) -> sums.
    cohorts: BTreeMap<(usize, u64), CohortSums>,
    flows: Vec<Vec<u128>>,
    rows: BTreeMap<u64, Vec<Option<f64>>>,
    events: u128,
    /// Per platform, then per population: submission-to-decision and
    /// submission-to-withdrawal hours.
    durations: Vec<(Histogram, Histogram)>,
    /// Each replication's steady-state sums by block (an automatic warm-up only).
    #[serde(default)]
    steady: BTreeMap<u64, SteadyBlocks>,
}

/// Two states that cannot be added: they come from different scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the accumulated results have different shapes (different scenarios)")]
pub struct ShapeMismatch;

impl CohortSums {
    /// Adds another part's sums of the same cohort.
    fn merge(&mut self, other: &CohortSums) -> Result<(), ShapeMismatch> {
        if (&self.label, self.first_day, self.last_day) != (&other.label, other.first_day, other.last_day) {
            return Err(ShapeMismatch);
        }
        self.size.merge(&other.size);
        if self.retention.len() < other.retention.len() {
            let from = self.retention.len();
            self.retention.extend_from_slice(&other.retention[from..]);
            for ((_, a), (_, b)) in self.retention[..from].iter_mut().zip(&other.retention) {
                a.merge(b);
            }
        } else {
            for ((_, a), (_, b)) in self.retention.iter_mut().zip(&other.retention) {
                a.merge(b);
            }
        }
        Ok(())
    }
}

/// Adds `from` into `into` element by element, after giving an empty `into`
/// the shape of `from`.
fn add_all<T: Clone + Default>(into: &mut Vec<T>, from: &[T], add: impl Fn(&mut T, &T)) -> Result<(), ShapeMismatch> {
    if into.is_empty() {
        into.resize(from.len(), T::default());
    }
    if from.is_empty() {
        return Ok(());
    }
    if into.len() != from.len() {
        return Err(ShapeMismatch);
    }
    into.iter_mut().zip(from).for_each(|(a, b)| add(a, b));
    Ok(())
}

impl CollectorState {
    /// Adds `other` to this state. Replications present in both are an
    /// error of the caller (shards cover disjoint replications).
    pub fn merge(&mut self, other: CollectorState) -> Result<(), ShapeMismatch> {
        if self.moments.len() != other.moments.len() || self.histograms.len() != other.histograms.len() {
            return Err(ShapeMismatch);
        }
        add_all(&mut self.moments, &other.moments, |a, b| a.merge(b))?;
        add_all(&mut self.histograms, &other.histograms, |a, b| a.merge(b))?;
        for (key, sums) in other.cohorts {
            match self.cohorts.get_mut(&key) {
                Some(mine) => mine.merge(&sums)?,
                None => {
                    self.cohorts.insert(key, sums);
                }
            }
        }
        if self.flows.is_empty() {
            self.flows = other.flows.iter().map(|row| vec![0; row.len()]).collect();
        }
        if !other.flows.is_empty() && other.flows.len() != self.flows.len() {
            return Err(ShapeMismatch);
        }
        for (acc, row) in self.flows.iter_mut().zip(&other.flows) {
            add_all(acc, row, |a, b| *a += b)?;
        }
        self.rows.extend(other.rows);
        self.steady.extend(other.steady);
        self.events += other.events;
        add_all(&mut self.durations, &other.durations, |a, b| {
            a.0.merge(&b.0);
            a.1.merge(&b.1);
        })
    }

    /// Replications accumulated.
    pub fn replications(&self) -> u64 {
        self.rows.len() as u64
    }

    /// Their indices, in order.
    pub fn indices(&self) -> impl Iterator<Item = u64> + '_ {
        self.rows.keys().copied()
    }
}

impl Collector {
    /// What this collector has accumulated.
    pub fn state(self) -> CollectorState {
        self.acc
    }

    /// This (empty) collector's readers with `state` accumulated, if its
    /// shape fits them.
    pub fn with_state(mut self, state: CollectorState) -> Result<Collector, ShapeMismatch> {
        let cells = self.acc.moments.len();
        // Platforms and populations: one past the highest a series belongs to.
        let count = |of: fn(super::series::Scope) -> Option<usize>| {
            self.series.iter().filter_map(|s| of(s.scope)).max().unwrap_or(0)
        };
        let platforms = count(|s| match s {
            super::series::Scope::Platform(p) => Some(p + 1),
            _ => None,
        });
        let populations = count(|s| match s {
            super::series::Scope::Population(k) => Some(k + 1),
            _ => None,
        });
        // Flows run from "no platform" or a platform to a platform.
        let flows_fit = state.flows.is_empty()
            || (state.flows.len() == platforms + 1 && state.flows.iter().all(|row| row.len() == platforms));
        if state.moments.len() != cells
            || state.histograms.len() != cells
            || state.rows.values().any(|r| r.len() != self.headlines.len())
            || !flows_fit
            || !(state.durations.is_empty() || state.durations.len() == platforms + populations)
            || state.cohorts.keys().any(|&(p, _)| p >= platforms)
        {
            return Err(ShapeMismatch);
        }
        self.acc = state;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::montecarlo::{headline, series};

    /// An empty collector of two platforms with users over three days.
    fn collector() -> Collector {
        Collector::new(series::series(2, true), headline::headlines(2, true), 3, 0)
    }

    /// An empty state of that collector's shape.
    fn state() -> CollectorState {
        collector().state()
    }

    #[test]
    fn a_state_of_the_collectors_shape_is_taken() {
        let mut s = state();
        s.flows = vec![vec![1, 2]; 3];
        s.durations = vec![Default::default(); 2];
        assert!(collector().with_state(s).is_ok());
    }

    #[test]
    fn a_state_whose_flows_cohorts_or_durations_do_not_fit_the_platforms_is_refused() {
        let mut flows = state();
        flows.flows = vec![vec![1, 2]; 5];
        let mut columns = state();
        columns.flows = vec![vec![1, 2, 3]; 3];
        let mut durations = state();
        durations.durations = vec![Default::default(); 3];
        let mut cohorts = state();
        cohorts.cohorts.insert(
            (2, 1),
            CohortSums {
                label: "week 0".into(),
                first_day: 1,
                last_day: 7,
                size: Moments::default(),
                retention: Vec::new(),
            },
        );
        let mut cells = state();
        cells.moments.pop();
        for (what, s) in [
            ("flows", flows),
            ("flow columns", columns),
            ("durations", durations),
            ("cohorts", cohorts),
            ("cells", cells),
        ] {
            assert!(collector().with_state(s).is_err(), "{what} that do not fit were taken");
        }
    }
}
