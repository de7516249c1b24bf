//! `gatesim sensitivity`: a scenario over its uncertain assumptions, by
//! one of four methods; its estimates, design, charts and files. With
//! `--shard K/N` it runs only shard K's block of the design's points and
//! writes their outputs as a partial result; `gatesim merge` puts the
//! blocks together in point order and finishes the analysis here.

use super::charts::focal;
use super::sensitivity_flags::{contrast, method_named, options, parameters};
use super::shard::{load_resolved, shard_of, write_partial};
use super::{
    AppError, STOP, asked_only, chart_formats, load_scenario, mc_error, prepare, render_formats, threads,
    with_progress, write_outputs,
};
use crate::analysis::sensitivity::{Design, Sampling};
use crate::app::cli::{OutputFlags, SensitivityArgs};
use crate::experiments::montecarlo::McError;
use crate::experiments::probe::{Probe, select};
use crate::experiments::sensitivity::{
    Contrast, DesignOptions, SensitivityRun, Study, StudyError, default_replications, design,
};
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::present::output::report::sensitivity::{SensitivityReport, sensitivity_report};
use crate::present::output::sensitivity::{
    Notes, design_csv, output_label, sensitivity_csv, sensitivity_json, sensitivity_md, sensitivity_text,
};
use crate::present::plot::Format;
use crate::present::plot::sensitivity::{Charted, SensitivityCharts, sensitivity_charts};
use crate::scenario::{Loaded, Resolved, Uncertain};

pub(super) fn sensitivity(a: &SensitivityArgs) -> Result<(), AppError> {
    let shard = shard_of(&a.flags)?;
    let formats = chart_formats(&a.flags.output)?;
    let loaded = load_scenario(&a.scenario)?;
    let options = options(a)?;
    let parameters = parameters(a, &loaded)?;
    let replications = a.flags.replications.unwrap_or(default_replications(options.method));
    let given = Given {
        options,
        metrics: a.metrics.clone(),
        against: a.against.clone(),
        label: a.label.clone(),
        replications,
    };
    let setup = Setup::new(loaded, parameters, given)?;
    prepare(&a.flags.output)?;
    let study = setup.study(threads(a.flags.threads));
    let s = &setup.loaded.scenario;
    let range = match shard {
        Some(shard) => {
            let r = setup.identity().block(shard);
            r.start as usize..r.end as usize
        }
        None => 0..setup.design.len(),
    };
    if !a.flags.output.quiet {
        eprintln!(
            "{}: {} over {} parameters: {} × {} replications{} = {} runs",
            s.name,
            setup.given.options.method.name(),
            setup.parameters.len(),
            match shard {
                Some(k) => format!("shard {k}, {} of {} points", range.len(), setup.design.len()),
                None => format!("{} points", setup.design.len()),
            },
            replications,
            if setup.contrast.is_some() {
                " × 2 (with the contrast)"
            } else {
                ""
            },
            study.runs_of(range.clone())
        );
    }
    let Some(shard) = shard else {
        let run = with_progress(study.runs(), a.flags.output.quiet, |done| lift(study.run(&STOP, done)))?
            .map_err(study_error)?;
        return finish(&setup, &run, &a.flags.output, &formats);
    };
    let values = with_progress(study.runs_of(range.clone()), a.flags.output.quiet, |done| {
        lift(study.evaluate(range.clone(), &STOP, done))
    })?
    .map_err(study_error)?;
    write_partial(
        &a.flags.output,
        shard,
        &setup.identity(),
        setup.inputs(),
        State::Sensitivity { values },
    )
}

/// A study's outcome with the failures of its runs taken out (they are
/// reported as the runs' errors).
fn lift<T>(outcome: Result<T, StudyError>) -> Result<Result<T, StudyError>, McError> {
    match outcome {
        Err(StudyError::Run(e)) => Err(e),
        other => Ok(other),
    }
}

/// The message of an analysis that did not produce results.
fn study_error(e: StudyError) -> AppError {
    match e {
        StudyError::Point(p) => AppError::usage(p.to_string()),
        StudyError::Analysis(e) => AppError::usage(e.to_string()),
        StudyError::Run(e) => mc_error(e),
    }
}

/// What the flags say about an analysis besides the scenario and its
/// parameters.
struct Given {
    /// How the design is drawn.
    options: DesignOptions,
    /// The outputs asked for by name (`--metric`).
    metrics: Vec<String>,
    /// The contrast's overrides (`--against`).
    against: Vec<String>,
    /// The contrast's label (`--label`).
    label: Option<String>,
    /// Replications per point.
    replications: u64,
}

/// An analysis ready to run or to finish: the same whether it comes from
/// the flags or from the partial results of its shards.
struct Setup {
    /// The scenario as given.
    loaded: Loaded,
    /// The uncertain keys analysed.
    parameters: Vec<Uncertain>,
    /// The flags' part.
    given: Given,
    /// The outputs read.
    probes: Vec<Probe>,
    /// The scenario, resolved.
    resolved: Resolved,
    /// The contrast, if any.
    contrast: Option<Contrast>,
    /// The design.
    design: Design,
    /// The resolved scenario with the parameters as its `[[uncertain]]`
    /// entries (`scenario.toml`).
    resolved_toml: String,
}

impl Setup {
    /// Checks the outputs and the contrast and draws the design.
    fn new(loaded: Loaded, parameters: Vec<Uncertain>, given: Given) -> Result<Setup, AppError> {
        let s = &loaded.scenario;
        let probes = select(s, &given.metrics).map_err(AppError::usage)?;
        let resolved = Resolved::of(&loaded.raw);
        let contrast = contrast(&given.against, given.label.as_deref(), &resolved)?;
        let design = design(&parameters, &given.options, s.seed).map_err(|e| AppError::usage(e.to_string()))?;
        let mut raw = loaded.raw.clone();
        raw.uncertain = parameters.iter().map(Uncertain::raw).collect();
        let resolved_toml = Loaded { raw, ..loaded.clone() }.resolved_toml();
        Ok(Setup {
            loaded,
            parameters,
            given,
            probes,
            resolved,
            contrast,
            design,
            resolved_toml,
        })
    }

    /// The study on `threads` threads.
    fn study(&self, threads: usize) -> Study<'_> {
        Study {
            resolved: &self.resolved,
            scenario: &self.loaded.scenario,
            parameters: &self.parameters,
            against: self.contrast.as_ref(),
            probes: &self.probes,
            named: !self.given.metrics.is_empty(),
            design: &self.design,
            replications: self.given.replications,
            threads,
        }
    }

    /// The output folder's name: `sensitivity-<scenario>-<method>`.
    fn name(&self) -> String {
        format!(
            "sensitivity-{}-{}",
            self.loaded.scenario.name,
            self.given.options.method.name()
        )
    }

    /// What a shard's header records; the shards split the design's points.
    fn identity(&self) -> RunIdentity {
        let s = &self.loaded.scenario;
        RunIdentity {
            name: self.name(),
            seed: s.seed,
            replications: self.given.replications,
            horizon_days: s.horizon_days,
            points: Some(self.design.len() as u64),
        }
    }

    /// What a shard's partial result records to redo the analysis.
    fn inputs(&self) -> Inputs {
        let (g, o) = (&self.given, &self.given.options);
        Inputs::Sensitivity {
            scenario: self.resolved_toml.clone(),
            method: o.method.name().to_string(),
            samples: o.samples.map(|n| n as u64),
            latin_hypercube: o.sampling == Sampling::LatinHypercube,
            levels: o.levels as u64,
            candidates: o.candidates.map(|n| n as u64),
            metrics: g.metrics.clone(),
            against: g.against.clone(),
            label: g.label.clone(),
            replications: g.replications,
        }
    }
}

/// The outputs of an analysis merged from its shards' partial results:
/// `inputs` as they record them, `values` their blocks of points in order.
pub(super) fn finish_merged(
    inputs: Inputs,
    values: Vec<Vec<Vec<f64>>>,
    from: &str,
    flags: &OutputFlags,
) -> Result<(), AppError> {
    let Inputs::Sensitivity {
        scenario,
        method,
        samples,
        latin_hypercube,
        levels,
        candidates,
        metrics,
        against,
        label,
        replications,
    } = inputs
    else {
        return Err(AppError::usage(format!("{from}: its results do not match its command")));
    };
    let formats = chart_formats(flags)?;
    let method = method_named(&method)
        .ok_or_else(|| AppError::usage(format!("{from}: unknown sensitivity method `{method}`")))?;
    let mut options = DesignOptions::new(method);
    let size = |n: u64| usize::try_from(n).map_err(|_| AppError::usage(format!("{from}: a design size is too large")));
    options.samples = samples.map(size).transpose()?;
    if latin_hypercube {
        options.sampling = Sampling::LatinHypercube;
    }
    options.levels = size(levels)?;
    options.candidates = candidates.map(size).transpose()?;
    let loaded = load_resolved(&scenario, from)?;
    let parameters = loaded.uncertain.clone();
    let given = Given {
        options,
        metrics,
        against,
        label,
        replications,
    };
    let mut setup = Setup::new(loaded, parameters, given)?;
    setup.resolved_toml = scenario;
    let reps = usize::try_from(replications).unwrap_or(usize::MAX);
    let fits = values.len() == setup.design.len()
        && values
            .iter()
            .all(|p| p.len() == reps && p.iter().all(|row| row.len() == setup.probes.len()));
    if !fits {
        return Err(AppError::usage(
            "the partial results do not fit their design (points, replications or outputs differ)",
        ));
    }
    prepare(flags)?;
    let run = setup.study(threads(None)).analyse(values).map_err(study_error)?;
    finish(&setup, &run, flags, &formats)
}

/// Writes the outputs of analysis `run` of `setup` and prints its table.
fn finish(setup: &Setup, run: &SensitivityRun, flags: &OutputFlags, formats: &[Format]) -> Result<(), AppError> {
    let s = &setup.loaded.scenario;
    let notes = Notes {
        against: run.against.as_deref(),
        skipped: &run.skipped,
    };
    let name = &s.name;
    let r = &run.result;
    let target = flags.out.join(setup.name());
    let resolved_toml = &setup.resolved_toml;
    let markdown = sensitivity_md(r, name, &notes);
    let mut files = vec![
        ("sensitivity.json", sensitivity_json(r, name, &notes)),
        ("sensitivity.csv", sensitivity_csv(r)),
        ("sensitivity.md", markdown.clone().into_bytes()),
        ("design.csv", design_csv(&run.design, &run.evaluations)),
        ("scenario.toml", resolved_toml.clone().into_bytes()),
    ];
    let report = !flags.no_report;
    let rendered = chart_files(run, name, &render_formats(formats, report))?;
    let charts = asked_only(&rendered, formats);
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if report {
        let input = SensitivityReport {
            scenario: name,
            description: &s.description,
            method: setup.given.options.method.name(),
            points: run.design.len(),
            replications: setup.given.replications,
            seed: s.seed,
            markdown: &markdown,
            resolved_toml,
            charts: &rendered,
        };
        files.push(("report.html", sensitivity_report(&input)));
    }
    write_outputs(&target, &files)?;
    if !flags.quiet {
        let focal = focal(s).map(|p| s.platforms[p].name.as_str());
        println!("{}", sensitivity_text(r, name, &notes, focal));
        println!("outputs: {}", target.display());
    }
    Ok(())
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
