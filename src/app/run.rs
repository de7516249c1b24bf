//! `gatesim run`: replications of one scenario, their statistics, charts and files.

use super::charts::run_chart_files;
use super::shard::{shard_of, write_partial};
use super::{
    AppError, STOP, asked_only, chart_formats, load_scenario, prepare, render_formats, resolved_json, stopped, threads,
    with_progress, write_outputs,
};
use crate::app::cli::{OutputFlags, RunArgs};
use crate::app::progress::Progress;
use crate::experiments::montecarlo::collector::CollectorState;
use crate::experiments::montecarlo::{self, McError, MonteCarloResult, Plan};
use crate::experiments::shard::Shard;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::present::output::cohorts::cohorts_csv;
use crate::present::output::replications::replications_csv;
use crate::present::output::report::run::{RunReport, run_report};
use crate::present::output::summary::{RunInfo, summary_json};
use crate::present::output::summary_md::summary_md;
use crate::present::output::terminal::summary_text;
use crate::present::output::timeseries::timeseries_csv;
use crate::present::plot::Format;
use crate::scenario::{Loaded, Scenario};

pub(super) fn plan(a: &RunArgs, s: &Scenario) -> Result<Plan, AppError> {
    let replications = a.flags.replications.unwrap_or(s.replications);
    if let Some(p) = a.precision
        && !(p > 0.0 && p < 1.0)
    {
        return Err(AppError::usage(format!(
            "--precision must be a share between 0 and 1 (e.g. 0.01), got {p}"
        )));
    }
    if a.precision.is_some() && a.max_replications < replications {
        return Err(AppError::usage(format!(
            "--max-replications ({}) is below the replications to start with ({replications})",
            a.max_replications
        )));
    }
    let threads = match a.flags.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(Plan {
        replications,
        precision: a.precision,
        max_replications: a.max_replications,
        threads,
    })
}

pub(super) fn run(a: &RunArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    let s = &loaded.scenario;
    let plan = plan(a, s)?;
    let formats = chart_formats(&a.flags.output)?;
    let shard = shard_of(&a.flags)?;
    if shard.is_some() && a.precision.is_some() {
        return Err(AppError::usage(
            "--precision cannot be sharded: how many replications it needs depends on all of them; run it unsharded, or shard a fixed -n",
        ));
    }
    prepare(&a.flags.output)?;
    if let Some(shard) = shard {
        return run_shard(&loaded, plan.replications, shard, a);
    }
    let progress = Progress::new(plan.replications, a.flags.output.quiet);
    let result = montecarlo::run(s, &plan, &STOP, &|| progress.inc(), &|t| progress.set_total(t));
    progress.finish();
    let r = match result {
        Ok(r) => r,
        Err(McError::Interrupted) => return Err(AppError::Interrupted),
        Err(e) => return Err(AppError::failed(e)),
    };
    if stopped() {
        return Err(AppError::Interrupted);
    }
    finish(&loaded, &r, &a.flags.output, &formats)
}

/// Shard `shard` of the run: its replications, saved as a partial result.
fn run_shard(loaded: &Loaded, replications: u64, shard: Shard, a: &RunArgs) -> Result<(), AppError> {
    let s = &loaded.scenario;
    let range = shard.replications(replications);
    let collector = with_progress(range.end - range.start, a.flags.output.quiet, |done| {
        montecarlo::run_range(s, range.clone(), threads(a.flags.threads), &STOP, done)
    })?;
    let id = RunIdentity {
        name: s.name.clone(),
        seed: s.seed,
        replications,
        horizon_days: s.horizon_days,
        points: None,
    };
    let inputs = Inputs::Run {
        scenario: with_replications(loaded, replications).resolved_toml(),
    };
    write_partial(&a.flags.output, shard, &id, inputs, State::Run(collector.state()))
}

/// The outputs of a run merged from its shards' partial results.
pub(super) fn finish_merged(loaded: &Loaded, state: CollectorState, flags: &OutputFlags) -> Result<(), AppError> {
    let formats = chart_formats(flags)?;
    prepare(flags)?;
    let collector = montecarlo::collector_for(&loaded.scenario)
        .with_state(state)
        .map_err(|e| AppError::usage(format!("the partial results do not fit their scenario: {e}")))?;
    let r = montecarlo::results(&loaded.scenario, collector);
    finish(loaded, &r, flags, &formats)
}

/// `loaded` recording `replications` as its replications.
fn with_replications(loaded: &Loaded, replications: u64) -> Loaded {
    let mut raw = loaded.raw.clone();
    raw.simulation.replications = replications;
    Loaded { raw, ..loaded.clone() }
}

/// Writes the outputs of results `r` of `loaded` and prints the summary.
fn finish(loaded: &Loaded, r: &MonteCarloResult, flags: &OutputFlags, formats: &[Format]) -> Result<(), AppError> {
    let s = &loaded.scenario;
    // The resolved inputs record the replications actually run, so that the
    // written scenario reruns to the same results.
    let resolved = with_replications(loaded, r.replications);
    let info = RunInfo {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.name,
        seed: s.seed,
        horizon_days: s.horizon_days,
        warmup_days: s.warmup_days,
    };
    let title = format!(
        "{}: {} replications of {} days, seed {}",
        s.name, r.replications, s.horizon_days, s.seed
    );
    let subtitle = if s.description.is_empty() {
        String::new()
    } else {
        s.description.clone()
    };
    let target = flags.out.join(&s.name);
    let mut files = vec![
        ("summary.json", summary_json(&info, r, &resolved_json(&resolved))),
        ("summary.md", summary_md(&title, &subtitle, r)),
        ("timeseries.csv", timeseries_csv(r)),
        ("replications.csv", replications_csv(r)),
        ("scenario.toml", resolved.resolved_toml().into_bytes()),
    ];
    if !r.cohorts.is_empty() {
        files.push(("cohorts.csv", cohorts_csv(r)));
    }
    let report = !flags.no_report;
    let rendered = run_chart_files(s, r, &render_formats(formats, report))?;
    let charts = asked_only(&rendered, formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        let toml = resolved.resolved_toml();
        let input = RunReport {
            info: info.clone(),
            description: &s.description,
            resolved_toml: &toml,
            charts: &rendered,
        };
        files.push(("report.html", run_report(&input, r)));
    }
    write_outputs(&target, &files)?;
    if !flags.quiet {
        println!("{}", summary_text(&title, r));
        if let Some(p) = &r.precision {
            println!(
                "precision {}: {} after {} replications",
                p.target,
                if p.met { "met" } else { "not met (cap reached)" },
                r.replications
            );
        }
        println!("outputs: {}", target.display());
    }
    Ok(())
}
