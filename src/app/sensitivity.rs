//! `gatesim sensitivity`: a scenario over its uncertain assumptions, by
//! one of four methods; its estimates, design, charts and files. With
//! `--shard K/N` it runs only shard K's block of the design's points and
//! writes their outputs as a partial result; `gatesim merge` puts the
//! blocks together in point order and finishes the analysis here.

use super::command::{Command, Context, Merged, Sharded, load_resolved, load_scenario, provenance, with_progress};
use super::error::AppError;
use super::flags::{OutputFlags, RunFlags, ScenarioFlags, threads};
use super::outputs::{Outputs, Product, Without};
use super::sensitivity_setup::{Given, Setup, lift, problems_text, study_error};
use super::shard::write_partial;
use super::signals::STOP;
use crate::analysis::abc::posterior_file::read_posterior;
use crate::analysis::sensitivity::distribution::QuantileFn;
use crate::analysis::sensitivity::{Design, Distribution, Method, Sampling, posterior_design};
use crate::core::numbers::counted;
use crate::experiments::annotations::Annotations;
use crate::experiments::provenance::Provenance;
use crate::experiments::sensitivity::{
    DesignOptions, SensitivityRun, UNCERTAINTY_SAMPLES, default_replications, space,
};
use crate::experiments::shard::payload::{Inputs, State};
use crate::present::output::report::sensitivity::{SensitivityReport, sensitivity_report};
use crate::present::output::sensitivity::{
    Notes, design_csv, output_label, sensitivity_csv, sensitivity_json, sensitivity_md, sensitivity_text,
};
use crate::present::plot::sensitivity::{Charted, SensitivityCharts, sensitivity_charts};
use crate::scenario::uncertain::from_vary;
use crate::scenario::{Loaded, Uncertain};
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::{Path, PathBuf};

/// `gatesim sensitivity`
#[derive(Debug, Args)]
pub(crate) struct Sensitivity {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: ScenarioFlags,
    /// sobol (first-order and total indices), morris (screening), tornado
    /// (one at a time) or uncertainty (the outputs' distribution).
    #[arg(long, default_value = "sobol", value_parser = method_parser())]
    method: Method,
    /// Base sample (sobol: N, run N (p + 2) points; uncertainty: points)
    /// or trajectories (morris: r, run r (p + 1) points). Default 256, 20
    /// and 256.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=65_536))]
    samples: Option<u64>,
    /// Analyse this key over this range instead of the scenario's
    /// [[uncertain]] entries (repeatable): KEY=LOW:HIGH (uniform) or
    /// KEY=DIST:A:B, DIST loguniform (low, high), normal (mean, sd) or
    /// lognormal (median, sigma).
    #[arg(long = "vary", value_name = "KEY=LOW:HIGH")]
    vary: Vec<String>,
    /// Output to analyse (repeatable): a headline metric (every platform's,
    /// e.g. active_users_end) or one scope's (Taocaicai.orders_total,
    /// gatekeeper.utilisation). Default: every platform's user metrics.
    #[arg(long = "metric", value_name = "NAME")]
    metrics: Vec<String>,
    /// Analyse the difference from the scenario with this key set
    /// (repeatable), paired replication by replication at every point,
    /// e.g. --against platforms.Taocaicai.class=standard.
    #[arg(long = "against", value_name = "KEY.PATH=VALUE")]
    against: Vec<String>,
    /// What to call the --against scenario in tables and charts, e.g. "updating weekly".
    #[arg(long, value_name = "TEXT", requires = "against")]
    label: Option<String>,
    /// Points behind a Sobol design: sobol (scrambled Sobol sequence) or lhs (Latin hypercube).
    #[arg(long, value_name = "KIND", value_parser = sampling_parser())]
    sampling: Option<Sampling>,
    /// Morris: grid levels per parameter (even; default 4).
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u64).range(2..=64))]
    levels: Option<u64>,
    /// Morris: Campolongo's sampling, keeping the most spread --samples of this many candidate trajectories.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(3..=2_000))]
    candidates: Option<u64>,
    /// Uncertainty: draw the points from this posterior (the posterior.csv of
    /// gatesim calibrate; its columns are the keys) instead of the priors.
    #[arg(long, value_name = "POSTERIOR.csv", conflicts_with = "vary")]
    posterior: Option<PathBuf>,
    #[command(flatten)]
    run: RunFlags,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--method`: the four methods by name.
fn method_parser() -> impl TypedValueParser<Value = Method> {
    PossibleValuesParser::new(Method::ALL.map(Method::name)).map(|name| Method::named(&name).unwrap_or(Method::Sobol))
}

/// `--sampling`: sobol or lhs.
fn sampling_parser() -> impl TypedValueParser<Value = Sampling> {
    PossibleValuesParser::new(["sobol", "lhs"]).map(|name| {
        if name == "lhs" {
            Sampling::LatinHypercube
        } else {
            Sampling::ScrambledSobol
        }
    })
}

impl Command for Sensitivity {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let shard = self.run.shard;
        let loaded = load_scenario(&self.scenario, &self.overrides)?;
        if loaded.scenario.auto_warmup {
            // Chosen from a Monte Carlo run's replications, it cannot be
            // applied point by point (a few replications each).
            return Err(AppError::usage(format!(
                "{}: simulation.warmup_days = \"auto\" is chosen from all of a run's replications and cannot be applied at each point of a sensitivity analysis; declare a number of days (the day `gatesim run` chose, for example with --set simulation.warmup_days=300)",
                self.scenario.display()
            )));
        }
        let options = self.options()?;
        let parameters = self.parameters(&loaded)?;
        let replications = self.run.replications.unwrap_or(default_replications(options.method));
        let given = Given {
            options,
            metrics: self.metrics.clone(),
            against: self.against.clone(),
            label: self.label.clone(),
            replications,
        };
        let mut setup = Setup::new(loaded, parameters, given)?;
        if let Some(file) = &self.posterior {
            if shard.is_some() {
                return Err(AppError::usage(
                    "--posterior cannot be sharded yet: run the analysis on one machine (it is a few hundred points)",
                ));
            }
            setup.design = self.posterior_design(&setup, file)?;
            setup.from_posterior = true;
        }
        let outputs = Outputs::new(&self.output, Without::WriteToOutput);
        outputs.prepare()?;
        let study = setup.study(self.run.threads());
        let s = &setup.loaded.scenario;
        let range = match shard {
            Some(shard) => {
                let r = setup.identity().block(shard);
                r.start as usize..r.end as usize
            }
            None => 0..setup.design.len(),
        };
        if !self.output.quiet {
            eprintln!(
                "{}: {} over {}: {} × {}{} = {}",
                s.name,
                setup.given.options.method.name(),
                counted(setup.parameters.len(), "parameter"),
                match shard {
                    Some(k) => format!("shard {k}, {} of {}", range.len(), counted(setup.design.len(), "point")),
                    None => counted(setup.design.len(), "point"),
                },
                counted(replications, "replication"),
                if setup.contrast.is_some() {
                    " × 2 (with the contrast)"
                } else {
                    ""
                },
                counted(study.runs_of(range.clone()), "run")
            );
        }
        let Some(shard) = shard else {
            let run = with_progress(study.runs(), self.output.quiet, |done| lift(study.run(&STOP, done)))?
                .map_err(study_error)?;
            return outputs.deliver(product(&setup, &run, self.provenance(&setup)));
        };
        let values = with_progress(study.runs_of(range.clone()), self.output.quiet, |done| {
            lift(study.evaluate(range.clone(), &STOP, done))
        })?
        .map_err(study_error)?;
        write_partial(
            &self.output,
            shard,
            &setup.identity(),
            setup.inputs(),
            State::Sensitivity { values },
            self.provenance(&setup),
        )
    }
}

impl Sharded for Sensitivity {
    fn wrote(inputs: &Inputs) -> bool {
        matches!(inputs, Inputs::Sensitivity { .. })
    }

    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
        let from = merged.from.as_str();
        let (
            Inputs::Sensitivity {
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
            },
            State::Sensitivity { values },
        ) = (merged.inputs, merged.state)
        else {
            return Err(AppError::usage(format!("{from}: its results do not match its command")));
        };
        let method = Method::named(&method)
            .ok_or_else(|| AppError::usage(format!("{from}: unknown sensitivity method `{method}`")))?;
        let mut options = DesignOptions::new(method);
        let size =
            |n: u64| usize::try_from(n).map_err(|_| AppError::usage(format!("{from}: a design size is too large")));
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
        let outputs = Outputs::new(flags, Without::WriteToOutput);
        outputs.prepare()?;
        let run = setup.study(threads(None)).analyse(values).map_err(study_error)?;
        outputs.deliver(product(&setup, &run, merged.provenance))
    }
}

impl Sensitivity {
    /// Where the analysis' results come from.
    fn provenance(&self, setup: &Setup) -> Provenance {
        let seed = setup.loaded.scenario.seed;
        let mut inputs: Vec<&Path> = vec![&self.scenario];
        inputs.extend(self.posterior.as_deref());
        provenance("sensitivity", &inputs, self.overrides.sets.clone(), Some(seed))
    }

    /// The design of points drawn from the posterior in `file` (read again:
    /// the parameters were built from it).
    fn posterior_design(&self, setup: &Setup, file: &Path) -> Result<Design, AppError> {
        let post = read_posterior(file).map_err(|e| AppError::usage(e.to_string()))?;
        let space = space(&setup.parameters).map_err(|e| AppError::usage(e.to_string()))?;
        let n = setup.given.options.samples.unwrap_or(UNCERTAINTY_SAMPLES);
        let source = format!(
            "the posterior in {} ({} particles)",
            file.display(),
            post.particles.len()
        );
        let whole: Vec<bool> = setup.parameters.iter().map(|u| u.whole).collect();
        posterior_design(
            &space,
            &post.particles,
            &post.weights,
            n,
            setup.loaded.scenario.seed,
            &source,
        )
        .map(|d| d.with_whole_numbers(&whole))
        .map_err(|e| AppError::usage(e.to_string()))
    }

    /// The design's options from the flags; flags of another method are refused.
    fn options(&self) -> Result<DesignOptions, AppError> {
        let method = self.method;
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
        only("--sampling", self.sampling.is_some(), Method::Sobol)?;
        only("--levels", self.levels.is_some(), Method::Morris)?;
        only("--candidates", self.candidates.is_some(), Method::Morris)?;
        let mut o = DesignOptions::new(method);
        o.samples = self.samples.map(|n| n as usize);
        if let Some(sampling) = self.sampling {
            o.sampling = sampling;
        }
        if let Some(l) = self.levels {
            o.levels = l as usize;
        }
        o.candidates = self.candidates.map(|m| m as usize);
        Ok(o)
    }

    /// The `--posterior` file's keys, else the `--vary` keys, else the
    /// scenario's declarations.
    fn parameters(&self, loaded: &Loaded) -> Result<Vec<Uncertain>, AppError> {
        let file = self.scenario.display();
        if let Some(path) = &self.posterior {
            return posterior_parameters(loaded, path, self.method);
        }
        if !self.vary.is_empty() {
            return from_vary(&loaded.raw, &self.vary)
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
}

/// The keys of the posterior in `path`, checked against `loaded` as
/// `--vary` checks its keys (valid at the smallest and largest value of
/// every particle), each with the posterior's weighted quantile function as
/// its distribution; only an uncertainty analysis takes them.
fn posterior_parameters(loaded: &Loaded, path: &Path, method: Method) -> Result<Vec<Uncertain>, AppError> {
    if method != Method::Uncertainty {
        return Err(AppError::usage(format!(
            "--posterior applies to --method uncertainty only, not {}",
            method.name()
        )));
    }
    let post = read_posterior(path).map_err(|e| AppError::usage(e.to_string()))?;
    let shown = path.display().to_string();
    let post = std::sync::Arc::new(post);
    let mut out = Vec::new();
    for (j, name) in post.names.iter().enumerate() {
        let xs = post.particles.iter().map(|p| p[j]);
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            return Err(AppError::usage(format!(
                "{shown}: `{name}` has the same value in every particle: it does not vary in the posterior"
            )));
        }
        let vary = format!("{name}={lo}:{hi}");
        let mut u = from_vary(&loaded.raw, std::slice::from_ref(&vary))
            .map_err(|p| AppError::usage(problems_text(&format!("{shown}: column `{name}`"), &p)))?
            .remove(0);
        let p = post.clone();
        let label = format!("posterior in {shown}");
        let q = QuantileFn::new(label.clone(), move |u| p.quantile(j, u).unwrap_or(lo));
        u.distribution = Distribution::quantile_fn(q).map_err(|e| AppError::usage(format!("{shown}: {e}")))?;
        u.why = format!("{label} ({} particles)", post.particles.len());
        out.push(u);
    }
    Ok(out)
}

/// The outputs of analysis `run` of `setup`.
fn product<'a>(setup: &'a Setup, run: &'a SensitivityRun, provenance: Provenance) -> Product<'a> {
    let s = &setup.loaded.scenario;
    let notes = Notes {
        against: run.against.as_deref(),
        skipped: &run.skipped,
    };
    let name = &s.name;
    let r = &run.result;
    let markdown = sensitivity_md(r, name, &notes);
    let focal = Annotations::of(s).focal.map(|p| s.platforms[p].name.as_str());
    let text = format!("{}\n", sensitivity_text(r, name, &notes, focal));
    Product {
        folder: setup.name(),
        files: vec![
            ("sensitivity.json".to_string(), sensitivity_json(r, name, &notes)),
            ("sensitivity.csv".to_string(), sensitivity_csv(r)),
            ("sensitivity.md".to_string(), markdown.clone().into_bytes()),
            ("design.csv".to_string(), design_csv(&run.design, &run.evaluations)),
            ("scenario.toml".to_string(), setup.resolved_toml.clone().into_bytes()),
        ],
        charts: Some(Box::new(move |formats| {
            let input = SensitivityCharts {
                result: &run.result,
                scenario: name,
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
            sensitivity_charts(&input, formats)
        })),
        report: Some(Box::new(move |charts, provenance| {
            let input = SensitivityReport {
                scenario: name,
                description: &s.description,
                method: setup.given.options.method.name(),
                points: run.design.len(),
                replications: setup.given.replications,
                seed: s.seed,
                markdown: &markdown,
                resolved_toml: &setup.resolved_toml,
                charts,
                provenance,
            };
            sensitivity_report(&input)
        })),
        text,
        provenance,
        json: "sensitivity.json",
    }
}
