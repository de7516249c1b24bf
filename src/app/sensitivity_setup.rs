//! What a sensitivity analysis is set up from, the same whether it comes
//! from the flags of `gatesim sensitivity` or from the partial results of
//! its shards: the scenario, the uncertain keys analysed, the design's
//! options, the outputs read and the `--against` contrast, checked; and the
//! design drawn from them. Not a command: [`super::sensitivity`] uses it.

use super::error::{AppError, mc_error};
use super::outputs::folder_name;
use crate::analysis::sensitivity::{Design, Sampling};
use crate::experiments::montecarlo::McError;
use crate::experiments::probe::{Probe, select};
use crate::experiments::sensitivity::{Contrast, DesignOptions, Study, StudyError, design};
use crate::experiments::shard::payload::{Inputs, RunIdentity};
use crate::scenario::overrides::{self, Override};
use crate::scenario::problem::ProblemList;
use crate::scenario::{Loaded, Problem, Resolved, Uncertain};

/// A study's outcome with the failures of its runs taken out (they are
/// reported as the runs' errors).
pub(super) fn lift<T>(outcome: Result<T, StudyError>) -> Result<Result<T, StudyError>, McError> {
    match outcome {
        Err(StudyError::Run(e)) => Err(e),
        other => Ok(other),
    }
}

/// The message of an analysis that did not produce results.
pub(super) fn study_error(e: StudyError) -> AppError {
    match e {
        StudyError::Point(p) => AppError::usage(p.to_string()),
        StudyError::Analysis(e) => AppError::usage(e.to_string()),
        StudyError::Run(e) => mc_error(e),
    }
}

/// What the flags say about an analysis besides the scenario and its
/// parameters.
pub(super) struct Given {
    /// How the design is drawn.
    pub(super) options: DesignOptions,
    /// The outputs asked for by name (`--metric`).
    pub(super) metrics: Vec<String>,
    /// The contrast's overrides (`--against`).
    pub(super) against: Vec<String>,
    /// The contrast's label (`--label`).
    pub(super) label: Option<String>,
    /// Replications per point.
    pub(super) replications: u64,
}

/// An analysis ready to run or to finish: the same whether it comes from
/// the flags or from the partial results of its shards.
pub(super) struct Setup {
    /// The scenario as given.
    pub(super) loaded: Loaded,
    /// The uncertain keys analysed.
    pub(super) parameters: Vec<Uncertain>,
    /// The flags' part.
    pub(super) given: Given,
    /// The outputs read.
    pub(super) probes: Vec<Probe>,
    /// The scenario, resolved.
    pub(super) resolved: Resolved,
    /// The contrast, if any.
    pub(super) contrast: Option<Contrast>,
    /// The design.
    pub(super) design: Design,
    /// The resolved scenario with the parameters as its `[[uncertain]]`
    /// entries (`scenario.toml`).
    pub(super) resolved_toml: String,
    /// Whether the design's points are drawn from a posterior file
    /// (`--posterior`) rather than from the parameters' distributions.
    pub(super) from_posterior: bool,
}

impl Setup {
    /// Checks the outputs and the contrast and draws the design.
    pub(super) fn new(loaded: Loaded, parameters: Vec<Uncertain>, given: Given) -> Result<Setup, AppError> {
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
            from_posterior: false,
        })
    }

    /// The study on `threads` threads.
    pub(super) fn study(&self, threads: usize) -> Study<'_> {
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

    /// The output folder's name: `sensitivity-<scenario>-<method>` (with
    /// `-posterior` when the points are drawn from a posterior), and
    /// `+against+<key=value>...` with a contrast, so that an analysis with
    /// a contrast never replaces one without.
    pub(super) fn name(&self) -> String {
        let base = format!(
            "sensitivity-{}-{}{}",
            self.loaded.scenario.name,
            self.given.options.method.name(),
            if self.from_posterior { "-posterior" } else { "" }
        );
        if self.given.against.is_empty() {
            return base;
        }
        let mut parts = vec!["against".to_string()];
        parts.extend(self.given.against.iter().cloned());
        folder_name(&base, &parts)
    }

    /// What a shard's header records; the shards split the design's points.
    pub(super) fn identity(&self) -> RunIdentity {
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
    pub(super) fn inputs(&self) -> Inputs {
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

/// A list of problems as one message.
pub(super) fn problems_text(what: &str, problems: &[Problem]) -> String {
    ProblemList::counted(what, problems).to_string()
}

/// The `--against` contrast (`against`, called `label` if given),
/// checked: the scenario must be valid with it.
pub(super) fn contrast(
    against: &[String],
    label: Option<&str>,
    resolved: &Resolved,
) -> Result<Option<Contrast>, AppError> {
    if against.is_empty() {
        return Ok(None);
    }
    let sets: Vec<Override> = against
        .iter()
        .map(|t| overrides::parse(t).map_err(|e| AppError::usage(e.for_flag("--against").to_string())))
        .collect::<Result<_, _>>()?;
    resolved.at(&sets).map_err(|p| {
        AppError::usage(problems_text(
            &format!("the scenario with --against {} is invalid", against.join(" --against ")),
            &p,
        ))
    })?;
    let label = label.map_or_else(|| format!("the scenario with {}", against.join(", ")), str::to_string);
    Ok(Some(Contrast { sets, label }))
}
