//! `gatesim compare`: scenarios with common random numbers against a baseline.

use super::charts::{focal, markers};
use super::{
    AppError, STOP, asked_only, chart_formats, prepare, render_formats, threads, with_progress, write_outputs,
};
use crate::cli::CompareArgs;
use crate::compare::CompareResult;
use crate::output::compare::{compare_csv, compare_json, compare_md, compare_text};
use crate::output::report::compare::{CompareReport, ComparedScenario, compare_report};
use crate::plot::{CompareCharts, Format, Marker, compare_charts};
use crate::scenario::{Scenario, load};

pub(super) fn compare(a: &CompareArgs) -> Result<(), AppError> {
    let formats = chart_formats(&a.flags)?;
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
    let scenarios: Vec<Scenario> = loaded
        .iter()
        .map(|l| Scenario {
            seed,
            ..l.scenario.clone()
        })
        .collect();
    let replications = a.flags.replications.unwrap_or(scenarios[0].replications);
    prepare(&a.flags)?;
    let total = replications * scenarios.len() as u64;
    let r = with_progress(total, a.flags.quiet, |done| {
        crate::compare::run(&scenarios, replications, threads(a.flags.threads), &STOP, done)
    })?;
    let names: Vec<&str> = r.names.iter().map(String::as_str).collect();
    let target = a.flags.out.join(format!("compare-{}", names.join("-vs-")));
    let mut files = vec![
        ("compare.json", compare_json(&r, seed)),
        ("compare.md", compare_md(&r, seed)),
        ("compare.csv", compare_csv(&r)),
    ];
    let report = !a.flags.no_report;
    let rendered = compare_chart_files(&scenarios, &r, seed, &render_formats(&formats, report))?;
    let charts = asked_only(&rendered, &formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        // As run: every scenario with the shared seed and the replications run.
        let tomls: Vec<String> = loaded
            .iter()
            .map(|l| {
                let mut l = l.clone();
                l.raw.simulation.seed = seed;
                l.raw.simulation.replications = replications;
                l.resolved_toml()
            })
            .collect();
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
        files.push(("report.html", compare_report(&input, &r)));
    }
    write_outputs(&target, &files)?;
    if !a.flags.quiet {
        println!("{}", compare_text(&r));
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
