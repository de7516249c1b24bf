//! Comparing scenarios with common random numbers: every scenario runs the
//! same replication indices with the same seed, so components that are the
//! same in two scenarios draw the same numbers, and the paired differences
//! (scenario minus the first, the baseline) reflect the policy rather than
//! noise. Reports each scenario's statistics, the paired differences with
//! their 95% intervals, and the variance reduction against independent
//! sampling. Built on [`crate::experiments::montecarlo`]; knows nothing of files.

pub(crate) mod inputs;
pub(crate) mod paired;

use crate::core::metric::{Metric, Unit};
use crate::core::stats::Moments;
use crate::experiments::annotations::Annotations;
use crate::experiments::montecarlo::collector::{Collector, CollectorState, ShapeMismatch};
use crate::experiments::montecarlo::series::Names;
use crate::experiments::montecarlo::{HeadlineStat, McError, MonteCarloResult, collector_for, replicate, thread_pool};
use crate::scenario::Scenario;
use crate::world::Replication;
pub(crate) use paired::{PairedCollector, merge_state};
use serde::Serialize;
use std::sync::atomic::AtomicBool;

/// A headline metric's paired difference against the baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeadlineDiff {
    /// Platform name or `gatekeeper`.
    pub scope: String,
    /// Metric name.
    pub metric: Metric,
    /// Unit (of the metric and of the difference).
    pub unit: Unit,
    /// The baseline's statistics.
    pub baseline: HeadlineStat,
    /// This scenario's statistics.
    pub scenario: HeadlineStat,
    /// Statistics of the per-replication differences (scenario minus baseline).
    pub difference: HeadlineStat,
    /// Variance of the difference under independent sampling over its
    /// variance under common random numbers: (Var A + Var B) / Var(B - A).
    /// Above 1 means common random numbers narrowed the interval by its
    /// square root; `None` when undefined (fewer than two replications) and
    /// infinite differences are reported as `None` too.
    pub variance_reduction: Option<f64>,
}

/// A headline that only one scenario of a pair has (a platform the other
/// does not have): its level, and no difference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unmatched {
    /// Platform name.
    pub scope: String,
    /// Metric name.
    pub metric: Metric,
    /// Unit.
    pub unit: Unit,
    /// Which scenario has it: the pair's baseline (`true`) or the other.
    pub in_baseline: bool,
    /// Its statistics in the scenario that has it.
    pub stat: HeadlineStat,
}

/// One scenario against another (by default, against the baseline).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDiff {
    /// Scenario name.
    pub scenario: String,
    /// Baseline's name.
    pub baseline: String,
    /// Headline differences, for the headlines both scenarios have.
    pub headlines: Vec<HeadlineDiff>,
    /// Headlines only one of the two has, never dropped silently.
    pub unmatched: Vec<Unmatched>,
    /// Daily paired differences (mean and 95% interval; no percentiles),
    /// for the series both scenarios have.
    pub daily: Vec<crate::experiments::montecarlo::DailySeries>,
}

/// Everything a comparison produced.
#[derive(Clone, Debug)]
pub struct CompareResult {
    /// Each scenario's own results, baseline first.
    pub runs: Vec<MonteCarloResult>,
    /// Scenario names, baseline first.
    pub names: Vec<String>,
    /// The pairs compared: every scenario after the first against the
    /// first, or every pair (`--pairs all`).
    pub diffs: Vec<ScenarioDiff>,
}

/// Which pairs of scenarios a comparison differences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Pairs {
    /// Every scenario minus the first (the baseline).
    #[default]
    Baseline,
    /// Every scenario minus every earlier one.
    All,
}

impl Pairs {
    /// The pairs (subtracted, other) of `n` scenarios, by index.
    pub fn of(self, n: usize) -> Vec<(usize, usize)> {
        match self {
            Pairs::Baseline => (1..n).map(|k| (0, k)).collect(),
            Pairs::All => (0..n).flat_map(|j| (j + 1..n).map(move |k| (j, k))).collect(),
        }
    }
}

/// Runs `replications` of every scenario with common random numbers and
/// compares them with the first. The scenarios must share the seed and the
/// horizon (the caller checks and says why).
pub fn run(
    scenarios: &[Scenario],
    pairs: Pairs,
    replications: u64,
    threads: usize,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<CompareResult, McError> {
    let (collectors, paired) = run_range(scenarios, pairs, 0..replications, threads, stop, done)?;
    // In a pool of the same threads: a steady-state mean's bootstrap shares them.
    Ok(thread_pool(threads)?.install(|| finish(scenarios, pairs, collectors, &paired)))
}

/// Runs replications `range` of every scenario (one shard of a
/// comparison): each scenario's collector and the paired differences.
pub(crate) fn run_range(
    scenarios: &[Scenario],
    pairs: Pairs,
    range: std::ops::Range<u64>,
    threads: usize,
    stop: &AtomicBool,
    done: &(dyn Fn() + Sync),
) -> Result<(Vec<Collector>, PairedCollector), McError> {
    let pool = thread_pool(threads)?;
    let refs: Vec<&Scenario> = scenarios.iter().collect();
    let mut collectors: Vec<_> = scenarios.iter().map(collector_for).collect();
    let mut paired = PairedCollector::new(scenarios, &pairs.of(scenarios.len()));
    replicate(&pool, &refs, range, false, stop, done, &mut |batch| {
        let mut per_scenario: Vec<Vec<Replication>> =
            collectors.iter().map(|_| Vec::with_capacity(batch.len())).collect();
        for reps in batch {
            paired.add(&reps);
            for (list, r) in per_scenario.iter_mut().zip(reps) {
                list.push(r);
            }
        }
        for (c, reps) in collectors.iter_mut().zip(per_scenario) {
            c.add_batch(reps);
        }
    })?;
    Ok((collectors, paired))
}

/// The comparison's results from every scenario's collector and the
/// paired differences.
pub(crate) fn finish(
    scenarios: &[Scenario],
    pairs: Pairs,
    collectors: Vec<Collector>,
    paired: &PairedCollector,
) -> CompareResult {
    let runs: Vec<MonteCarloResult> = collectors
        .into_iter()
        .zip(scenarios)
        .map(|(c, s)| MonteCarloResult::from_parts_named(c.into_parts(), Names::of(s), Annotations::of(s), None))
        .collect();
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    let diffs = pairs
        .of(scenarios.len())
        .into_iter()
        .enumerate()
        .map(|(i, (j, k))| ScenarioDiff {
            scenario: names[k].clone(),
            baseline: names[j].clone(),
            headlines: headline_diffs(&runs[j], &runs[k]),
            unmatched: unmatched(&runs[j], &runs[k]),
            daily: paired.daily(i),
        })
        .collect();
    CompareResult { runs, names, diffs }
}

/// The comparison's results from the merged states of its shards: each
/// scenario's collector state (`runs`) and the paired differences'.
pub(crate) fn merged_results(
    scenarios: &[Scenario],
    pairs: Pairs,
    runs: Vec<CollectorState>,
    paired: Vec<Vec<Moments>>,
) -> Result<CompareResult, ShapeMismatch> {
    if runs.len() != scenarios.len() {
        return Err(ShapeMismatch);
    }
    let collectors = scenarios
        .iter()
        .zip(runs)
        .map(|(s, state)| collector_for(s).with_state(state))
        .collect::<Result<Vec<_>, _>>()?;
    let paired = PairedCollector::new(scenarios, &pairs.of(scenarios.len())).with_state(paired)?;
    Ok(finish(scenarios, pairs, collectors, &paired))
}

/// The headlines of platforms only one of `a` (the pair's baseline) and
/// `b` has, and the money headlines only one has (a scenario without
/// average order values has no GMV).
fn unmatched(a: &MonteCarloResult, b: &MonteCarloResult) -> Vec<Unmatched> {
    let only = |x: &MonteCarloResult, y: &MonteCarloResult, in_baseline: bool| {
        x.headlines
            .iter()
            .filter(|h| {
                let absent_platform = h.scope != "gatekeeper" && h.scope != "market" && !y.platforms.contains(&h.scope);
                let absent_money = h.unit.currency().is_some() && y.headline(&h.scope, h.metric).is_none();
                absent_platform || absent_money
            })
            .map(|h| Unmatched {
                scope: h.scope.clone(),
                metric: h.metric,
                unit: h.unit,
                in_baseline,
                stat: h.stat.clone(),
            })
            .collect::<Vec<_>>()
    };
    let mut out = only(a, b, true);
    out.extend(only(b, a, false));
    out
}

/// Paired headline differences of `b` against `a`, matched by scope and metric.
pub(crate) fn headline_diffs(a: &MonteCarloResult, b: &MonteCarloResult) -> Vec<HeadlineDiff> {
    let mut out = Vec::new();
    for (ha, h) in a.headlines.iter().enumerate() {
        let Some(hb) = b
            .headlines
            .iter()
            .position(|x| x.scope == h.scope && x.metric == h.metric)
        else {
            continue;
        };
        let va: Vec<Option<f64>> = a.rows.iter().map(|r| r.1[ha]).collect();
        let vb: Vec<Option<f64>> = b.rows.iter().map(|r| r.1[hb]).collect();
        let d: Vec<Option<f64>> = va
            .iter()
            .zip(&vb)
            .map(|(x, y)| Some(y.as_ref()? - x.as_ref()?))
            .collect();
        // Steady-state means after an automatic warm-up: the difference of
        // the pooled ratios, its interval from the linearised values'.
        let difference = match (a.linearised(ha), b.linearised(hb)) {
            (Some(za), Some(zb)) if za.len() == zb.len() => {
                let dz: Vec<f64> = za.iter().zip(zb).map(|(x, y)| y - x).collect();
                HeadlineStat::of(&d).with_interval_of(&dz)
            }
            _ => HeadlineStat::of(&d),
        };
        let var = |st: &HeadlineStat| st.sd.map(|s| s * s);
        let (baseline, scenario) = (h.stat.clone(), b.headlines[hb].stat.clone());
        let variance_reduction = match (var(&baseline), var(&scenario), var(&difference)) {
            (Some(x), Some(y), Some(z)) if z > 0.0 => Some((x + y) / z),
            _ => None,
        };
        out.push(HeadlineDiff {
            scope: h.scope.clone(),
            metric: h.metric,
            unit: h.unit,
            baseline,
            scenario,
            difference,
            variance_reduction,
        });
    }
    out
}
