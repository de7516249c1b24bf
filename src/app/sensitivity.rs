//! `gatesim sensitivity`: a scenario over its uncertain assumptions, by
//! one of four methods; its estimates, design, charts and files.

use super::charts::focal;
use super::{
    AppError, STOP, asked_only, chart_formats, load_scenario, mc_error, prepare, render_formats, threads,
    with_progress, write_outputs,
};
use crate::cli::SensitivityArgs;
use crate::experiment::probe::select;
use crate::experiment::sensitivity::{
    Contrast, DesignOptions, SensitivityRun, Study, StudyError, default_replications, design,
};
use crate::output::report::sensitivity::{SensitivityReport, sensitivity_report};
use crate::output::sensitivity::{
    Notes, design_csv, output_label, sensitivity_csv, sensitivity_json, sensitivity_md, sensitivity_text,
};
use crate::plot::Format;
use crate::plot::sensitivity::{Charted, SensitivityCharts, sensitivity_charts};
use crate::scenario::overrides::{self, Override};
use crate::scenario::uncertain::from_vary;
use crate::scenario::{Loaded, Problem, Resolved, Uncertain};
use crate::sensitivity::{Method, Sampling};

pub(super) fn sensitivity(a: &SensitivityArgs) -> Result<(), AppError> {
    if let Some(k_of_n) = &a.flags.shard {
        return Err(AppError::usage(format!(
            "--shard {k_of_n}: a sensitivity analysis cannot be sharded yet (run, compare and sweep can); run it without --shard"
        )));
    }
    let formats = chart_formats(&a.flags)?;
    let loaded = load_scenario(&a.scenario)?;
    let s = &loaded.scenario;
    let options = options(a)?;
    let parameters = parameters(a, &loaded)?;
    let probes = select(s, &a.metrics).map_err(AppError::usage)?;
    let resolved = Resolved::of(&loaded.raw);
    let contrast = contrast(a, &resolved)?;
    let design = design(&parameters, &options, s.seed).map_err(|e| AppError::usage(e.to_string()))?;
    let replications = a.flags.replications.unwrap_or(default_replications(options.method));
    prepare(&a.flags)?;
    let study = Study {
        resolved: &resolved,
        scenario: s,
        parameters: &parameters,
        against: contrast.as_ref(),
        probes: &probes,
        named: !a.metrics.is_empty(),
        design: &design,
        replications,
        threads: threads(a.flags.threads),
    };
    if !a.flags.quiet {
        eprintln!(
            "{}: {} over {} parameters: {} points × {} replications{} = {} runs",
            s.name,
            options.method.name(),
            parameters.len(),
            design.len(),
            replications,
            if contrast.is_some() {
                " × 2 (with the contrast)"
            } else {
                ""
            },
            study.runs()
        );
    }
    let outcome = with_progress(study.runs(), a.flags.quiet, |done| match study.run(&STOP, done) {
        Err(StudyError::Run(e)) => Err(e),
        other => Ok(other),
    })?;
    let run = outcome.map_err(|e| match e {
        StudyError::Point(p) => AppError::usage(p.to_string()),
        StudyError::Analysis(e) => AppError::usage(e.to_string()),
        StudyError::Run(e) => mc_error(e),
    })?;
    let notes = Notes {
        against: run.against.as_deref(),
        skipped: &run.skipped,
    };
    let name = &s.name;
    let r = &run.result;
    let target = a
        .flags
        .out
        .join(format!("sensitivity-{name}-{}", options.method.name()));
    let mut raw = loaded.raw.clone();
    raw.uncertain = parameters.iter().map(Uncertain::raw).collect();
    let resolved_toml = Loaded { raw, ..loaded.clone() }.resolved_toml();
    let markdown = sensitivity_md(r, name, &notes);
    let mut files = vec![
        ("sensitivity.json", sensitivity_json(r, name, &notes)),
        ("sensitivity.csv", sensitivity_csv(r)),
        ("sensitivity.md", markdown.clone().into_bytes()),
        ("design.csv", design_csv(&run.design, &run.evaluations)),
        ("scenario.toml", resolved_toml.clone().into_bytes()),
    ];
    let report = !a.flags.no_report;
    let rendered = chart_files(&run, name, &render_formats(&formats, report))?;
    let charts = asked_only(&rendered, &formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        let input = SensitivityReport {
            scenario: name,
            description: &s.description,
            method: options.method.name(),
            points: run.design.len(),
            replications,
            seed: s.seed,
            markdown: &markdown,
            resolved_toml: &resolved_toml,
            charts: &rendered,
        };
        files.push(("report.html", sensitivity_report(&input)));
    }
    write_outputs(&target, &files)?;
    if !a.flags.quiet {
        let focal = focal(s).map(|p| s.platforms[p].name.as_str());
        println!("{}", sensitivity_text(r, name, &notes, focal));
        println!("outputs: {}", target.display());
    }
    Ok(())
}

/// The design's options from the flags; flags of another method are refused.
fn options(a: &SensitivityArgs) -> Result<DesignOptions, AppError> {
    let method = match a.method.as_str() {
        "tornado" => Method::Tornado,
        "morris" => Method::Morris,
        "uncertainty" => Method::Uncertainty,
        _ => Method::Sobol,
    };
    let only = |flag: &str, given: bool, m: Method| {
        if given && method != m {
            Err(AppError::usage(format!(
                "{flag} applies to --method {} only, not {}",
                m.name(),
                method.name()
            )))
        } else {
            Ok(())
        }
    };
    only("--sampling", a.sampling.is_some(), Method::Sobol)?;
    only("--levels", a.levels.is_some(), Method::Morris)?;
    only("--candidates", a.candidates.is_some(), Method::Morris)?;
    let mut o = DesignOptions::new(method);
    o.samples = a.samples.map(|n| n as usize);
    if a.sampling.as_deref() == Some("lhs") {
        o.sampling = Sampling::LatinHypercube;
    }
    if let Some(l) = a.levels {
        o.levels = l as usize;
    }
    o.candidates = a.candidates.map(|m| m as usize);
    Ok(o)
}

/// A list of problems as one message.
fn problems_text(what: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let mut m = format!("{what}: {n} problem{}", if n == 1 { "" } else { "s" });
    for p in problems {
        if p.path.is_empty() {
            m.push_str(&format!("\n  - {}", p.message));
        } else {
            m.push_str(&format!("\n  - {}: {}", p.path, p.message));
        }
    }
    m
}

/// The `--vary` keys, else the scenario's declarations.
fn parameters(a: &SensitivityArgs, loaded: &Loaded) -> Result<Vec<Uncertain>, AppError> {
    let file = a.scenario.scenario.display();
    if !a.vary.is_empty() {
        return from_vary(&loaded.raw, &a.vary)
            .map_err(|p| AppError::usage(problems_text(&format!("invalid --vary for {file}"), &p)));
    }
    if loaded.uncertain.is_empty() {
        return Err(AppError::usage(format!(
            "{file} declares no [[uncertain]] key, and no --vary is given: nothing to analyse. \
             Declare the uncertain assumptions in the scenario (see scenarios/guizhou.toml) or name them, \
             e.g. --vary users.churn_per_stale_day=0.001:0.02"
        )));
    }
    Ok(loaded.uncertain.clone())
}

/// The `--against` contrast, checked: the scenario must be valid with it.
fn contrast(a: &SensitivityArgs, resolved: &Resolved) -> Result<Option<Contrast>, AppError> {
    if a.against.is_empty() {
        return Ok(None);
    }
    let sets: Vec<Override> = a
        .against
        .iter()
        .map(|t| overrides::parse(t).map_err(|e| AppError::usage(e.for_flag("--against").to_string())))
        .collect::<Result<_, _>>()?;
    resolved.at(&sets).map_err(|p| {
        AppError::usage(problems_text(
            &format!(
                "the scenario with --against {} is invalid",
                a.against.join(" --against ")
            ),
            &p,
        ))
    })?;
    let label = a
        .label
        .clone()
        .unwrap_or_else(|| format!("the scenario with {}", a.against.join(", ")));
    Ok(Some(Contrast { sets, label }))
}

/// The chart files, one chart per output analysed, named
/// `charts/<method>_<scope>_<metric>.<format>`.
fn chart_files(run: &SensitivityRun, scenario: &str, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    let input = SensitivityCharts {
        result: &run.result,
        scenario,
        charted: run
            .result
            .outputs
            .iter()
            .map(|o| Charted {
                scope: o.scope.clone(),
                metric: o.metric.clone(),
                label: output_label(o, None),
                against: run.against.clone(),
            })
            .collect(),
    };
    let files = sensitivity_charts(&input, formats).map_err(|e| AppError::run_because("cannot draw the charts", e))?;
    Ok(files
        .into_iter()
        .map(|(name, bytes)| (format!("charts/{name}"), bytes))
        .collect())
}
