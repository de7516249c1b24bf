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
use super::series::{SeriesSpec, platform_index};
use crate::stats::{Histogram, Kind, Moments};
use crate::users::record::age_of_slot;
use crate::world::Replication;
use std::collections::BTreeMap;

/// One cohort's sums across replications.
#[derive(Clone, Debug)]
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
    /// Per series and day (index `series * days + day`).
    moments: Vec<Moments>,
    histograms: Vec<Histogram>,
    /// (platform, first acquisition day) -> sums.
    cohorts: BTreeMap<(usize, u64), CohortSums>,
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
        let cells = series.len() * days;
        Collector {
            series,
            headlines,
            days,
            warmup,
            moments: vec![Moments::default(); cells],
            histograms: vec![Histogram::default(); cells],
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
        let days = self.days;
        for (s, spec) in self.series.iter().enumerate() {
            let p = platform_index(spec.scope);
            let moments = &mut self.moments[s * days..(s + 1) * days];
            let histograms = &mut self.histograms[s * days..(s + 1) * days];
            for (day, (m, h)) in moments.iter_mut().zip(histograms.iter_mut()).enumerate() {
                if let Some(v) = (spec.extract)(&rep, p, day) {
                    m.add(spec.kind.to_fixed(v));
                    h.add(v);
                }
            }
        }
        if let Some(u) = &rep.users {
            for (p, pu) in u.platforms.iter().enumerate() {
                for cohort in pu.cohorts.iter().filter(|c| c.size > 0) {
                    let entry = self.cohorts.entry((p, cohort.first_day)).or_insert_with(|| CohortSums {
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
        let compact = |mut h: Histogram| {
            h.compact();
            h
        };
        Parts {
            series: self.series,
            headlines: self.headlines,
            days: self.days,
            cells: self
                .moments
                .into_iter()
                .zip(self.histograms.into_iter().map(compact))
                .collect(),
            cohorts: self.cohorts.into_iter().map(|((p, _), c)| (p, c)).collect(),
            flows: self.flows,
            rows: self.rows,
            events: self.events,
            first: self.first,
            durations: self
                .durations
                .into_iter()
                .map(|(d, w)| (compact(d), compact(w)))
                .collect(),
        }
    }
}

/// The contents of a finished collector.
pub struct Parts {
    pub series: Vec<SeriesSpec>,
    pub headlines: Vec<HeadlineSpec>,
    pub days: usize,
    pub cells: Vec<(Moments, Histogram)>,
    /// Per platform (index), its cohorts in order of acquisition.
    pub cohorts: Vec<(usize, CohortSums)>,
    pub flows: Vec<Vec<u128>>,
    pub rows: BTreeMap<u64, Vec<Option<f64>>>,
    pub events: u128,
    pub first: Option<Replication>,
    pub durations: Vec<(Histogram, Histogram)>,
}
