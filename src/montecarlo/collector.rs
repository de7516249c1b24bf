//! Accumulates replications into statistics that do not depend on the order
//! replications arrive in: exact integer moments and histograms per series
//! and day, exact moments per cohort and age, integer sums of flows, and
//! every replication's headline values keyed by its index (sorted when the
//! results are built). Memory grows with series x days, not with the number
//! of replications (but for the headline values, a few numbers each).

use super::headline::{HeadlineSpec, HeadlineStat};
use super::series::{SeriesSpec, platform_index};
use crate::stats::{Histogram, Kind, Moments};
use crate::world::Replication;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One series on one day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Cell {
    moments: Moments,
    histogram: Histogram,
}

/// The accumulating state of a Monte Carlo run.
pub struct Collector {
    series: Vec<SeriesSpec>,
    headlines: Vec<HeadlineSpec>,
    days: usize,
    warmup: u64,
    cells: Vec<Cell>,
    /// (platform, cohort) -> (size moments, retention moments per age)
    cohorts: BTreeMap<(usize, usize), (Moments, Vec<Moments>)>,
    flows: Vec<Vec<u128>>,
    rows: BTreeMap<u64, Vec<Option<f64>>>,
    events: u128,
    first: Option<Replication>,
    /// Per platform: submission-to-decision and submission-to-withdrawal hours.
    durations: Vec<(Histogram, Histogram)>,
}

impl Collector {
    /// An empty collector for these series and headlines over `days` days.
    pub fn new(series: Vec<SeriesSpec>, headlines: Vec<HeadlineSpec>, days: usize, warmup: u64) -> Collector {
        let cells = vec![Cell::default(); series.len() * days];
        Collector {
            series,
            headlines,
            days,
            warmup,
            cells,
            cohorts: BTreeMap::new(),
            flows: Vec::new(),
            rows: BTreeMap::new(),
            events: 0,
            first: None,
            durations: Vec::new(),
        }
    }

    /// Adds replication `rep`.
    pub fn add(&mut self, rep: Replication) {
        for (s, spec) in self.series.iter().enumerate() {
            let p = platform_index(spec.scope);
            for day in 0..self.days {
                if let Some(v) = (spec.extract)(&rep, p, day) {
                    let cell = &mut self.cells[s * self.days + day];
                    cell.moments.add(spec.kind.to_fixed(v));
                    cell.histogram.add(v);
                }
            }
        }
        if let Some(u) = &rep.users {
            for (p, pu) in u.platforms.iter().enumerate() {
                for (c, cohort) in pu.cohorts.iter().enumerate() {
                    if cohort.size == 0 {
                        continue;
                    }
                    let entry = self.cohorts.entry((p, c)).or_default();
                    entry.0.add(Kind::Count.to_fixed(cohort.size as f64));
                    if entry.1.len() < cohort.survivors.len() {
                        entry.1.resize(cohort.survivors.len(), Moments::default());
                    }
                    for (age, m) in entry.1.iter_mut().enumerate().take(cohort.survivors.len()) {
                        if let Some(r) = cohort.retention(age) {
                            m.add(Kind::Real.to_fixed(r));
                        }
                    }
                }
            }
            if self.flows.is_empty() {
                self.flows = u.flows.iter().map(|row| vec![0; row.len()]).collect();
            }
            for (acc, row) in self.flows.iter_mut().zip(&u.flows) {
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
        self.rows.insert(rep.index, row);
        if self.durations.is_empty() {
            self.durations = vec![Default::default(); rep.result.platforms.len()];
        }
        for (acc, p) in self.durations.iter_mut().zip(&rep.result.platforms) {
            p.decision_hours_values.iter().for_each(|&h| acc.0.add(h));
            p.withdrawn_hours_values.iter().for_each(|&h| acc.1.add(h));
        }
        self.events += u128::from(rep.events);
        if rep.index == 0 {
            self.first = Some(rep);
        }
    }

    /// Replications added so far.
    pub fn replications(&self) -> u64 {
        self.rows.len() as u64
    }

    /// The headline statistics so far.
    pub fn headline_stats(&self) -> Vec<HeadlineStat> {
        (0..self.headlines.len())
            .map(|h| HeadlineStat::of(&self.rows.values().map(|r| r[h]).collect::<Vec<_>>()))
            .collect()
    }

    /// Everything collected, for building results.
    pub fn into_parts(self) -> Parts {
        Parts {
            series: self.series,
            headlines: self.headlines,
            days: self.days,
            cells: self.cells.into_iter().map(|c| (c.moments, c.histogram)).collect(),
            cohorts: self.cohorts,
            flows: self.flows,
            rows: self.rows,
            events: self.events,
            first: self.first,
            durations: self.durations,
        }
    }
}

/// The contents of a finished collector.
pub struct Parts {
    pub series: Vec<SeriesSpec>,
    pub headlines: Vec<HeadlineSpec>,
    pub days: usize,
    pub cells: Vec<(Moments, Histogram)>,
    pub cohorts: BTreeMap<(usize, usize), (Moments, Vec<Moments>)>,
    pub flows: Vec<Vec<u128>>,
    pub rows: BTreeMap<u64, Vec<Option<f64>>>,
    pub events: u128,
    pub first: Option<Replication>,
    pub durations: Vec<(Histogram, Histogram)>,
}

/// What a collector has accumulated, without its readers: what a shard
/// saves in its partial result and merge adds up. Adding two states gives
/// exactly the state of one collector that saw both sets of replications.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectorState {
    cells: Vec<Cell>,
    cohorts: BTreeMap<(usize, usize), (Moments, Vec<Moments>)>,
    flows: Vec<Vec<u128>>,
    rows: BTreeMap<u64, Vec<Option<f64>>>,
    events: u128,
    durations: Vec<(Histogram, Histogram)>,
}

/// Two states that cannot be added: they come from different scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the accumulated results have different shapes (different scenarios)")]
pub struct ShapeMismatch;

impl CollectorState {
    /// Adds `other` to this state. Replications present in both are an
    /// error of the caller (shards cover disjoint replications).
    pub fn merge(&mut self, other: CollectorState) -> Result<(), ShapeMismatch> {
        if self.cells.len() != other.cells.len() {
            return Err(ShapeMismatch);
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.moments.merge(&b.moments);
            a.histogram.merge(&b.histogram);
        }
        for (key, (size, ages)) in other.cohorts {
            let entry = self.cohorts.entry(key).or_default();
            entry.0.merge(&size);
            if entry.1.len() < ages.len() {
                entry.1.resize(ages.len(), Moments::default());
            }
            for (a, b) in entry.1.iter_mut().zip(&ages) {
                a.merge(b);
            }
        }
        if self.flows.is_empty() {
            self.flows = other.flows.iter().map(|row| vec![0; row.len()]).collect();
        }
        if !other.flows.is_empty() && other.flows.len() != self.flows.len() {
            return Err(ShapeMismatch);
        }
        for (acc, row) in self.flows.iter_mut().zip(&other.flows) {
            for (a, &v) in acc.iter_mut().zip(row) {
                *a += v;
            }
        }
        self.rows.extend(other.rows);
        self.events += other.events;
        if self.durations.is_empty() {
            self.durations = vec![Default::default(); other.durations.len()];
        }
        for (acc, (d, w)) in self.durations.iter_mut().zip(&other.durations) {
            acc.0.merge(d);
            acc.1.merge(w);
        }
        Ok(())
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
        CollectorState {
            cells: self.cells,
            cohorts: self.cohorts,
            flows: self.flows,
            rows: self.rows,
            events: self.events,
            durations: self.durations,
        }
    }

    /// This (empty) collector's readers with `state` accumulated, if its
    /// shape fits them.
    pub fn with_state(mut self, state: CollectorState) -> Result<Collector, ShapeMismatch> {
        if state.cells.len() != self.cells.len() || state.rows.values().any(|r| r.len() != self.headlines.len()) {
            return Err(ShapeMismatch);
        }
        self.cells = state.cells;
        self.cohorts = state.cohorts;
        self.flows = state.flows;
        self.rows = state.rows;
        self.events = state.events;
        self.durations = state.durations;
        Ok(self)
    }
}
