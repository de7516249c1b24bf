//! `gatesim sweep`: one scenario at every point of a parameter grid.

use super::charts::focal;
use super::shard::{load_resolved, shard_of, write_partial};
use super::{
    AppError, STOP, asked_only, chart_formats, prepare, render_formats, threads, with_progress, write_outputs,
};
use crate::app::cli::{OutputFlags, SweepArgs};
use crate::experiments::montecarlo::Plan;
use crate::experiments::montecarlo::collector::{CollectorState, ShapeMismatch};
use crate::experiments::montecarlo::collector_for;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::experiments::sweep::{Param, SweepLoadError, SweepResult, load_points, parse as parse_param};
use crate::present::output::report::sweep::{SweepReport, sweep_report};
use crate::present::output::sweep::{sweep_csv, sweep_json, sweep_md};
use crate::present::plot::{Format, SweepCharts, sweep_charts};
use crate::scenario::Loaded;

pub(super) fn sweep(a: &SweepArgs) -> Result<(), AppError> {
    let formats = chart_formats(&a.flags.output)?;
    let params: Vec<Param> = a
        .params
        .iter()
        .map(|p| parse_param(p))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::usage(e.to_string()))?;
    let mut sets = a.scenario.sets.clone();
    if let Some(seed) = a.scenario.seed {
        if seed > i64::MAX as u64 {
            return Err(AppError::usage(format!(
                "--seed must be at most {}, got {seed}",
                i64::MAX
            )));
        }
        sets.push(format!("simulation.seed={seed}"));
    }
    let points = load_points(&a.scenario.scenario, &sets, &params).map_err(|e| match e {
        SweepLoadError::Usage(m) => AppError::usage(m),
        SweepLoadError::Scenario(e) => AppError::from(e),
    })?;
    let replications = a.flags.replications.unwrap_or(points[0].1.scenario.replications);
    if a.labels.len() > params.len() {
        return Err(AppError::usage(format!(
            "{} --label given for {} --param: one label per parameter at most",
            a.labels.len(),
            params.len()
        )));
    }
    let keys: Vec<String> = params.iter().map(|p| p.key.clone()).collect();
    let labels: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| a.labels.get(i).unwrap_or(k).clone())
        .collect();
    // Every point as run, in the resolved form a shard's partial result records.
    let from = a.scenario.scenario.display().to_string();
    let resolved: Vec<(Vec<String>, String)> = points
        .iter()
        .map(|(values, l)| {
            let mut l = l.clone();
            l.raw.simulation.replications = replications;
            (values.clone(), l.resolved_toml())
        })
        .collect();
    let points = resolved
        .iter()
        .map(|(values, t)| Ok((values.clone(), load_resolved(t, &from)?)))
        .collect::<Result<Vec<_>, AppError>>()?;
    let shard = shard_of(&a.flags)?;
    prepare(&a.flags.output)?;
    let threads = threads(a.flags.threads);
    if let Some(shard) = shard {
        let range = shard.replications(replications);
        let total = (range.end - range.start) * points.len() as u64;
        let collectors = with_progress(total, a.flags.output.quiet, |done| {
            crate::experiments::sweep::run_range(&points, range.clone(), threads, &STOP, done)
        })?;
        let first = &points[0].1.scenario;
        let id = RunIdentity {
            name: format!("sweep-{}", first.name),
            seed: first.seed,
            replications,
            horizon_days: first.horizon_days,
            points: None,
        };
        let inputs = Inputs::Sweep {
            keys,
            labels,
            points: resolved,
        };
        let state = State::Sweep(collectors.into_iter().map(|c| c.state()).collect());
        return write_partial(&a.flags.output, shard, &id, inputs, state);
    }
    let plan = Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads,
    };
    let total = replications * points.len() as u64;
    let r = with_progress(total, a.flags.output.quiet, |done| {
        crate::experiments::sweep::run(keys, labels, &points, &plan, &STOP, done)
    })?;
    finish(&points, &r, &a.flags.output, &formats)
}

/// The outputs of a sweep merged from its shards' partial results.
pub(super) fn finish_merged(
    keys: Vec<String>,
    labels: Vec<String>,
    points: &[(Vec<String>, Loaded)],
    states: Vec<CollectorState>,
    flags: &OutputFlags,
) -> Result<(), AppError> {
    let formats = chart_formats(flags)?;
    prepare(flags)?;
    let misfit = |e: ShapeMismatch| AppError::usage(format!("the partial results do not fit their points: {e}"));
    if states.len() != points.len() {
        return Err(misfit(ShapeMismatch));
    }
    let collectors = points
        .iter()
        .zip(states)
        .map(|((_, l), state)| collector_for(&l.scenario).with_state(state))
        .collect::<Result<Vec<_>, _>>()
        .map_err(misfit)?;
    let r = crate::experiments::sweep::finish(keys, labels, points, collectors);
    finish(points, &r, flags, &formats)
}

/// Writes the outputs of sweep `r` over `points` (as run) and prints its table.
fn finish(
    points: &[(Vec<String>, Loaded)],
    r: &SweepResult,
    flags: &OutputFlags,
    formats: &[Format],
) -> Result<(), AppError> {
    let first = &points[0].1;
    let (name, seed) = (first.scenario.name.clone(), first.scenario.seed);
    let md = sweep_md(r, &name, seed);
    let target = flags.out.join(format!("sweep-{name}"));
    let mut files = vec![
        ("sweep.csv", sweep_csv(r)),
        ("sweep.json", sweep_json(r, &name, seed)),
        ("sweep.md", md.clone().into_bytes()),
    ];
    let report = !flags.no_report;
    let rendered = sweep_chart_files(points, r, &name, seed, &render_formats(formats, report))?;
    let charts = asked_only(&rendered, formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        let toml = first.resolved_toml();
        let input = SweepReport {
            scenario: &name,
            description: &first.scenario.description,
            seed,
            horizon_days: first.scenario.horizon_days,
            first_point_toml: &toml,
            charts: &rendered,
        };
        files.push(("report.html", sweep_report(&input, r)));
    }
    write_outputs(&target, &files)?;
    if !flags.quiet {
        println!("{md}");
        println!("outputs: {}", target.display());
    }
    Ok(())
}

/// The chart files of a sweep, named `charts/<chart>.<format>`; the
/// platform picked out is the first point's, by the run charts' rule.
fn sweep_chart_files(
    points: &[(Vec<String>, Loaded)],
    r: &SweepResult,
    name: &str,
    seed: u64,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    let input = SweepCharts {
        result: r,
        scenario: name,
        seed,
        focal: points.iter().find_map(|(_, l)| focal(&l.scenario)),
    };
    let files = sweep_charts(&input, formats).map_err(|e| AppError::run_because("cannot draw the charts", e))?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("charts/{name}"), bytes))
        .collect())
}
