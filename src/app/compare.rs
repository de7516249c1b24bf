//! `gatesim compare`: scenarios with common random numbers against a baseline.

use super::charts::{focal, markers};
use super::shard::{load_resolved, shard_of, write_partial};
use super::{
    AppError, STOP, asked_only, chart_formats, prepare, render_formats, threads, with_progress, write_outputs,
};
use crate::app::cli::{CompareArgs, OutputFlags};
use crate::core::stats::Moments;
use crate::experiments::compare::{CompareResult, PairedCollector};
use crate::experiments::montecarlo::collector::{CollectorState, ShapeMismatch};
use crate::experiments::montecarlo::collector_for;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::present::output::compare::{compare_csv, compare_json, compare_md, compare_text};
use crate::present::output::report::compare::{CompareReport, ComparedScenario, compare_report};
use crate::present::plot::{CompareCharts, Format, Marker, compare_charts};
use crate::scenario::{Loaded, Scenario, load};

pub(super) fn compare(a: &CompareArgs) -> Result<(), AppError> {
    let formats = chart_formats(&a.flags.output)?;
    let mut loaded = Vec::new();
    for path in &a.scenarios {
        loaded.push(load(path, &[])?);
    }
    let seed = a.seed.unwrap_or(loaded[0].scenario.seed);
    if seed > i64::MAX as u64 {
        return Err(AppError::usage(format!(
            "--seed must be at most {}, got {seed}",
            i64::MAX
        )));
    }
    let horizon = loaded[0].scenario.horizon_days;
    for (l, path) in loaded.iter().zip(&a.scenarios) {
        if l.scenario.horizon_days != horizon {
            return Err(AppError::usage(format!(
                "{} runs {} days but the baseline {} runs {horizon}: compared scenarios need the same horizon",
                path.display(),
                l.scenario.horizon_days,
                a.scenarios[0].display()
            )));
        }
    }
    let replications = a.flags.replications.unwrap_or(loaded[0].scenario.replications);
    // Every scenario as run: the shared seed and the replications, in the
    // resolved form a shard's partial result records.
    let tomls: Vec<String> = loaded
        .iter()
        .map(|l| {
            let mut l = l.clone();
            l.raw.simulation.seed = seed;
            l.raw.simulation.replications = replications;
            l.resolved_toml()
        })
        .collect();
    let canonical = tomls
        .iter()
        .zip(&a.scenarios)
        .map(|(t, path)| load_resolved(t, &path.display().to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let scenarios: Vec<Scenario> = canonical.iter().map(|l| l.scenario.clone()).collect();
    let shard = shard_of(&a.flags)?;
    prepare(&a.flags.output)?;
    let threads = threads(a.flags.threads);
    if let Some(shard) = shard {
        let range = shard.replications(replications);
        let total = (range.end - range.start) * scenarios.len() as u64;
        let (collectors, paired) = with_progress(total, a.flags.output.quiet, |done| {
            crate::experiments::compare::run_range(&scenarios, range.clone(), threads, &STOP, done)
        })?;
        let id = RunIdentity {
            name: target_name(&scenarios),
            seed,
            replications,
            horizon_days: horizon,
            points: None,
        };
        let state = State::Compare {
            runs: collectors.into_iter().map(|c| c.state()).collect(),
            paired: paired.state(),
        };
        return write_partial(&a.flags.output, shard, &id, Inputs::Compare { scenarios: tomls }, state);
    }
    let total = replications * scenarios.len() as u64;
    let r = with_progress(total, a.flags.output.quiet, |done| {
        crate::experiments::compare::run(&scenarios, replications, threads, &STOP, done)
    })?;
    finish(&canonical, &r, &a.flags.output, &formats)
}

/// The output folder's name: `compare-<baseline>-vs-<other>...`.
fn target_name(scenarios: &[Scenario]) -> String {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    format!("compare-{}", names.join("-vs-"))
}

/// The outputs of a comparison merged from its shards' partial results.
pub(super) fn finish_merged(
    loaded: &[Loaded],
    runs: Vec<CollectorState>,
    paired: Vec<Vec<Moments>>,
    flags: &OutputFlags,
) -> Result<(), AppError> {
    let formats = chart_formats(flags)?;
    prepare(flags)?;
    let scenarios: Vec<Scenario> = loaded.iter().map(|l| l.scenario.clone()).collect();
    let misfit = |e: ShapeMismatch| AppError::usage(format!("the partial results do not fit their scenarios: {e}"));
    if runs.len() != scenarios.len() {
        return Err(misfit(ShapeMismatch));
    }
    let collectors = scenarios
        .iter()
        .zip(runs)
        .map(|(s, state)| collector_for(s).with_state(state))
        .collect::<Result<Vec<_>, _>>()
        .map_err(misfit)?;
    let paired = PairedCollector::new(&scenarios).with_state(paired).map_err(misfit)?;
    let r = crate::experiments::compare::finish(&scenarios, collectors, &paired);
    finish(loaded, &r, flags, &formats)
}

/// Writes the outputs of comparison `r` of the scenarios `loaded` (as run:
/// shared seed, replications recorded) and prints its summary.
fn finish(loaded: &[Loaded], r: &CompareResult, flags: &OutputFlags, formats: &[Format]) -> Result<(), AppError> {
    let scenarios: Vec<Scenario> = loaded.iter().map(|l| l.scenario.clone()).collect();
    let seed = scenarios[0].seed;
    let horizon = scenarios[0].horizon_days;
    let target = flags.out.join(target_name(&scenarios));
    let mut files = vec![
        ("compare.json", compare_json(r, seed)),
        ("compare.md", compare_md(r, seed)),
        ("compare.csv", compare_csv(r)),
    ];
    let report = !flags.no_report;
    let rendered = compare_chart_files(&scenarios, r, seed, &render_formats(formats, report))?;
    let charts = asked_only(&rendered, formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        let tomls: Vec<String> = loaded.iter().map(Loaded::resolved_toml).collect();
        let input = CompareReport {
            scenarios: scenarios
                .iter()
                .zip(&tomls)
                .map(|(s, t)| ComparedScenario {
                    name: &s.name,
                    description: &s.description,
                    resolved_toml: t,
                })
                .collect(),
            seed,
            horizon_days: horizon,
            charts: &rendered,
        };
        files.push(("report.html", compare_report(&input, r)));
    }
    write_outputs(&target, &files)?;
    if !flags.quiet {
        println!("{}", compare_text(r));
        println!("outputs: {}", target.display());
    }
    Ok(())
}

/// The policy changes of every scenario, once each; a change that not
/// every scenario makes is labelled with the scenario's name.
fn compare_markers(scenarios: &[Scenario]) -> Vec<Marker> {
    let per: Vec<Vec<Marker>> = scenarios.iter().map(markers).collect();
    let mut out: Vec<Marker> = Vec::new();
    for (s, ms) in scenarios.iter().zip(&per) {
        for m in ms {
            let everywhere = per.iter().all(|o| o.contains(m));
            let m = if everywhere {
                m.clone()
            } else {
                Marker {
                    day: m.day,
                    label: format!("{}: {}", s.name, m.label),
                }
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// The platform to pick out, as an index into the baseline's platforms:
/// the baseline's by the run charts' rule, else the first other scenario's.
fn compare_focal(scenarios: &[Scenario]) -> Option<usize> {
    let base = scenarios.first()?;
    focal(base).or_else(|| {
        scenarios[1..].iter().find_map(|s| {
            let name = &s.platforms[focal(s)?].name;
            base.platforms.iter().position(|p| &p.name == name)
        })
    })
}

/// The chart files of a comparison, named `charts/<chart>.<format>`.
fn compare_chart_files(
    scenarios: &[Scenario],
    r: &CompareResult,
    seed: u64,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    let input = CompareCharts {
        result: r,
        seed,
        markers: compare_markers(scenarios),
        focal: compare_focal(scenarios),
    };
    let files = compare_charts(&input, formats).map_err(|e| AppError::run_because("cannot draw the charts", e))?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("charts/{name}"), bytes))
        .collect())
}
