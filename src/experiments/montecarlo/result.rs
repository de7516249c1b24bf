//! The results of a Monte Carlo run, as plain data for the exporters: the
//! headline metrics with their confidence intervals, every replication's
//! headline values, the daily series with intervals and percentile bands,
//! the cohorts' retention curves and the flows between platforms. Every
//! number carries its unit in a field or in the metric's `unit`.

use super::collector::Parts;
use super::headline::HeadlineStat;
use super::series::Names;
use crate::core::metric::{Metric, Unit};
use crate::core::stats::Kind;
use crate::experiments::annotations::Annotations;
use crate::experiments::trace::Trace;
use serde::Serialize;

/// How a `--precision` run ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionReport {
    /// The target: every targeted headline's 95% half-width within this share of its mean.
    pub target: f64,
    /// The cap on replications.
    pub max_replications: u64,
    /// Whether every targeted headline met the target.
    pub met: bool,
    /// The targeted headline furthest from the target, as `scope metric`.
    pub worst: Option<String>,
    /// Its half-width over |mean| (share).
    pub worst_relative_half_width: Option<f64>,
}

/// The warm-up chosen after the run (`warmup_days = "auto"`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AutoWarmup {
    /// First day counted in the steady-state headlines of every
    /// replication (days; 0 when nothing was deleted): the later of
    /// `days_by_half`.
    pub day: u64,
    /// First day counted in the replications of even and of odd index
    /// (each half is cut where the other half's series settle).
    pub days_by_half: [u64; 2],
    /// The waits (counted by the day they started) end before this day:
    /// the last statistical inefficiency of the run is left out.
    pub until_day: u64,
    /// The longest statistical inefficiency of the steady-state series
    /// (days): how long they stay correlated; the warm-up is at least
    /// four times it.
    pub inefficiency_days: f64,
    /// The series that set the warm-up (its inefficiency, or its MSER-5
    /// truncation when that was longer), as `scope metric`.
    pub set_by: String,
    /// The series whose own truncation fell at half the run: too short to
    /// show their steady state (run longer).
    pub too_short: Vec<String>,
    /// The headlines recomputed from that day on (the others count the whole run).
    pub recomputed: Vec<String>,
}

/// A headline metric across replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Headline {
    /// Platform name, `market` or `gatekeeper`.
    pub scope: String,
    /// The metric (written as its name).
    pub metric: Metric,
    /// Its unit (written as its name).
    pub unit: Unit,
    /// The statistics.
    #[serde(flatten)]
    pub stat: HeadlineStat,
}

/// A series' statistics on one day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayStat {
    /// Day number (days since the start).
    pub day: u64,
    /// Mean across replications.
    pub mean: Option<f64>,
    /// Lower end of the 95% confidence interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci_high: Option<f64>,
    /// 5th percentile across replications (within 0.1%, see [`crate::core::stats::histogram`]).
    pub p05: Option<f64>,
    /// Median across replications (within 0.1%).
    pub p50: Option<f64>,
    /// 95th percentile across replications (within 0.1%).
    pub p95: Option<f64>,
}

/// One daily series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DailySeries {
    /// Platform name, `market` or `gatekeeper`.
    pub scope: String,
    /// The metric (written as its name).
    pub metric: Metric,
    /// Its unit (written as its name).
    pub unit: Unit,
    /// One entry per day from day 0.
    pub days: Vec<DayStat>,
}

/// Mean retention of a cohort at one age.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgeStat {
    /// Days since acquisition.
    pub age_days: u64,
    /// Mean share still active (0 to 1).
    pub mean: Option<f64>,
    /// Lower end of its 95% confidence interval.
    pub ci_low: Option<f64>,
    /// Upper end of its 95% confidence interval.
    pub ci_high: Option<f64>,
}

/// A cohort's retention curve across replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CohortCurve {
    /// Platform name.
    pub platform: String,
    /// `initial`, `week N` or `weeks N-M`.
    pub cohort: String,
    /// First acquisition day.
    pub first_day: u64,
    /// Last acquisition day.
    pub last_day: u64,
    /// Mean size across replications (users).
    pub mean_size: Option<f64>,
    /// One entry per recorded age (daily to 91 days, then weekly) reached by every member.
    pub ages: Vec<AgeStat>,
}

/// How long submissions stayed at the gatekeeper, pooled over replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Durations {
    /// Platform name.
    pub platform: String,
    /// Decided submissions (count, over all replications).
    pub decided: u64,
    /// Cumulative distribution of submission-to-decision times: (hours,
    /// share decided within it); values within 0.1%.
    pub decision_cdf: Vec<(f64, f64)>,
    /// Submissions withdrawn undecided (count, over all replications).
    pub withdrawn: u64,
    /// Cumulative distribution of submission-to-withdrawal times (hours, share).
    pub withdrawal_cdf: Vec<(f64, f64)>,
}

/// Everything a Monte Carlo run produced.
#[derive(Clone, Debug)]
pub struct MonteCarloResult {
    /// Platform names, in scenario order.
    pub platforms: Vec<String>,
    /// Population names, in scenario order.
    pub populations: Vec<String>,
    /// Watched members' names (`population#index`).
    pub watched: Vec<String>,
    /// Replications run (count).
    pub replications: u64,
    /// The warm-up chosen after the run, if it was automatic.
    pub auto_warmup: Option<AutoWarmup>,
    /// How a `--precision` run ended, if it was one.
    pub precision: Option<PrecisionReport>,
    /// Headline metrics.
    pub headlines: Vec<Headline>,
    /// Every replication's headline values, by replication index, in the order of `headlines`.
    pub rows: Vec<(u64, Vec<Option<f64>>)>,
    /// Daily series.
    pub daily: Vec<DailySeries>,
    /// Cohort retention curves (empty without users).
    pub cohorts: Vec<CohortCurve>,
    /// Mean adoptions per replication by origin (row 0: no platform before,
    /// 1 + q: former users of q) and platform adopted (users); empty without users.
    pub flows: Vec<Vec<f64>>,
    /// Events processed by the engine over all replications (count).
    pub events: u128,
    /// Time at the gatekeeper per platform, then per population.
    pub durations: Vec<Durations>,
    /// The scenario's facts the results are read with.
    pub annotations: Annotations,
    /// Replication 0's audit log, when the run included replication 0.
    pub timeline: Option<Trace>,
    /// Per headline, the linearised values of its ratio estimator when it
    /// is a steady-state mean after an automatic warm-up (in the order of
    /// `rows`).
    pub(crate) linearised: Vec<Option<Vec<f64>>>,
}

impl MonteCarloResult {
    /// Builds the results from a finished collector.
    pub fn from_parts(
        parts: Parts,
        platforms: Vec<String>,
        annotations: Annotations,
        precision: Option<PrecisionReport>,
    ) -> MonteCarloResult {
        Self::from_parts_named(parts, Names::from(platforms), annotations, precision)
    }

    /// Builds the results from a finished collector of a scenario whose
    /// scopes (platforms, populations, watched members) are `names`.
    pub fn from_parts_named(
        parts: Parts,
        names: Names,
        annotations: Annotations,
        precision: Option<PrecisionReport>,
    ) -> MonteCarloResult {
        let platforms = &names.platforms;
        let replications = parts.rows.len() as u64;
        let label = |(scope, metric): (super::series::Scope, Metric)| format!("{} {metric}", names.label(scope));
        let auto_warmup = parts.warmup.clone().map(|w| AutoWarmup {
            day: w.days()[0].max(w.days()[1]),
            days_by_half: w.days(),
            until_day: w.until_day(),
            inefficiency_days: w.inefficiency_days,
            set_by: label(w.set_by),
            too_short: w.too_short.into_iter().map(label).collect(),
            recomputed: parts
                .headlines
                .iter()
                .filter(|h| super::warmup::is_steady(h.scope, h.metric))
                .map(|h| label((h.scope, h.metric)))
                .collect(),
        });
        let headlines = parts
            .headlines
            .iter()
            .enumerate()
            .map(|(h, spec)| Headline {
                scope: names.label(spec.scope),
                metric: spec.metric,
                unit: spec.metric.unit(),
                stat: parts.stat(h),
            })
            .collect();
        let rows: Vec<(u64, Vec<Option<f64>>)> = parts.rows.into_iter().collect();
        let linearised = parts.linearised;
        let days = parts.days;
        // The cells are consumed in order (series-major, then day), so each
        // histogram's store is freed once its percentiles are read, before
        // the day statistics of the later series are built.
        let mut cells = parts.moments.into_iter().zip(parts.histograms);
        let daily = parts
            .series
            .iter()
            .map(|spec| DailySeries {
                scope: names.label(spec.scope),
                metric: spec.metric,
                unit: spec.metric.unit(),
                days: (&mut cells)
                    .take(days)
                    .enumerate()
                    .map(|(d, (m, h))| {
                        let sum = m.summary(spec.kind);
                        let q = h.quantiles(&[0.05, 0.5, 0.95]);
                        DayStat {
                            day: d as u64,
                            mean: sum.mean,
                            ci_low: sum.ci_low,
                            ci_high: sum.ci_high,
                            p05: q[0],
                            p50: q[1],
                            p95: q[2],
                        }
                    })
                    .collect(),
            })
            .collect();
        let cohorts = parts
            .cohorts
            .iter()
            .map(|(p, c)| CohortCurve {
                platform: platforms.get(*p).cloned().unwrap_or_default(),
                cohort: c.label.clone(),
                first_day: c.first_day,
                last_day: c.last_day,
                mean_size: c.size.summary(Kind::Count).mean,
                ages: c
                    .retention
                    .iter()
                    .filter(|(_, m)| m.n() > 0)
                    .map(|(age, m)| {
                        let s = m.summary(Kind::Real);
                        AgeStat {
                            age_days: *age,
                            mean: s.mean,
                            ci_low: s.ci_low,
                            ci_high: s.ci_high,
                        }
                    })
                    .collect(),
            })
            .collect();
        let flows = parts
            .flows
            .iter()
            .map(|row| row.iter().map(|&v| v as f64 / replications.max(1) as f64).collect())
            .collect();
        // Durations: the platforms', then the populations'.
        let duration_names: Vec<&String> = platforms.iter().chain(&names.populations).collect();
        MonteCarloResult {
            platforms: platforms.clone(),
            populations: names.populations.clone(),
            watched: names.watched.clone(),
            replications,
            auto_warmup,
            precision,
            headlines,
            rows,
            daily,
            cohorts,
            flows,
            events: parts.events,
            durations: parts
                .durations
                .iter()
                .enumerate()
                .map(|(p, (d, w))| Durations {
                    platform: duration_names.get(p).map(|n| (*n).clone()).unwrap_or_default(),
                    decided: d.n(),
                    decision_cdf: d.cdf(),
                    withdrawn: w.n(),
                    withdrawal_cdf: w.cdf(),
                })
                .collect(),
            annotations,
            timeline: None,
            linearised,
        }
    }

    /// The values whose mean and spread give headline `h`'s interval: the
    /// replications' own values, or, for a steady-state mean after an
    /// automatic warm-up, its ratio estimator's linearised values (one
    /// per replication, averaging to the pooled ratio).
    pub fn interval_values(&self, h: usize) -> Vec<f64> {
        match self.linearised.get(h) {
            Some(Some(z)) => z.clone(),
            _ => self.rows.iter().filter_map(|r| r.1.get(h).copied().flatten()).collect(),
        }
    }

    /// Headline `h`'s linearised values, if it has a ratio estimator.
    pub(crate) fn linearised(&self, h: usize) -> Option<&[f64]> {
        self.linearised.get(h)?.as_deref()
    }

    /// The headline `metric` of `scope`, if there is one.
    pub fn headline(&self, scope: &str, metric: Metric) -> Option<&Headline> {
        self.headlines.iter().find(|h| h.scope == scope && h.metric == metric)
    }

    /// The currency of its money metrics, if the scenario gives order values.
    pub fn currency(&self) -> Option<crate::core::money::Currency> {
        self.headlines.iter().find_map(|h| h.metric.unit().currency())
    }

    /// The daily series `metric` of `scope`, if there is one.
    pub fn series(&self, scope: &str, metric: Metric) -> Option<&DailySeries> {
        self.daily.iter().find(|s| s.scope == scope && s.metric == metric)
    }
}
