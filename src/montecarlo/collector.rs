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
use std::collections::BTreeMap;

/// One series on one day.
#[derive(Clone, Debug, Default)]
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
