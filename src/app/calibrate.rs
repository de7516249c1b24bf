//! `gatesim calibrate`: the scenario's uncertain assumptions learned from
//! observed series by ABC-SMC, the posterior's files, charts and report,
//! and an `--against` contrast over the posterior.
//!
//! A calibration is always built from its [`Inputs`] (the resolved
//! scenario with the calibrated keys as its `[[uncertain]]` entries, the
//! data file's text, the settings, the contrast), whether they come from
//! the flags, from `--resume DIR` (the `calibration.state` a sharded
//! generation's merge leaves) or from the partial results `gatesim merge`
//! reads: the three give the same calibration, byte for byte.
//!
//! With `--shard K/N`, the command evaluates block K of the next round's
//! window of candidates and writes a partial result; `gatesim merge`
//! takes the round's candidates in index order, closes the generation if
//! it is complete and writes the outputs so far, with `calibration.state`
//! to go on from (`--resume DIR --shard K/N` for the next round) until a
//! stopping rule holds.

use super::command::{Command, Context, Merged, Sharded, load_resolved, load_scenario, provenance, with_progress};
use super::error::{AppError, mc_error};
use super::flags::{OutputFlags, ScenarioFlags, threads};
use super::outputs::{Outputs, Product, Without};
use super::sensitivity_setup::{contrast, problems_text};
use super::signals::STOP;
use crate::core::numbers::counted;
use crate::experiments::calibrate::posterior::ContrastResult;
use crate::experiments::calibrate::result::CalibrationResult;
use crate::experiments::calibrate::run::Outcome;
use crate::experiments::calibrate::state::{ContrastSpec, Inputs as CalibrateInputs, Progress};
use crate::experiments::calibrate::{BUDGET, CalibrationError, GENERATIONS, Options, PARTICLES, Problem};
use crate::experiments::montecarlo::{McError, thread_pool};
use crate::experiments::probe::{Probe, select};
use crate::experiments::provenance::Provenance;
use crate::experiments::sensitivity::Contrast;
use crate::experiments::shard::payload::{self, Inputs, Payload, RunIdentity, State};
use crate::experiments::shard::{Shard, partial};
use crate::present::output::calibration::{calibration_json, calibration_md, calibration_text, posterior_csv};
use crate::present::output::report::calibration::{CalibrationReport, calibration_report};
use crate::present::output::write::write_file_atomically;
use crate::present::plot::calibration::calibration_charts;
use crate::scenario::observed::{parse_observed, read_observed};
use crate::scenario::uncertain::from_vary;
use crate::scenario::{Loaded, Resolved, Uncertain};
use clap::Args;
use std::path::{Path, PathBuf};

/// The file a merged round leaves to go on from.
pub(crate) const STATE_FILE: &str = "calibration.state";

/// `gatesim calibrate`
#[derive(Debug, Args)]
pub(crate) struct Calibrate {
    /// The scenario file (TOML); not with --resume.
    #[arg(required_unless_present = "resume", conflicts_with = "resume")]
    scenario: Option<PathBuf>,
    /// The observed series: a CSV file with the columns day,platform,metric,value
    /// and optionally se (the value's standard error), in the names of timeseries.csv.
    #[arg(
        long,
        value_name = "OBSERVED.csv",
        required_unless_present = "resume",
        conflicts_with = "resume"
    )]
    data: Option<PathBuf>,
    #[command(flatten)]
    overrides: ScenarioFlags,
    /// Calibrate this key with this prior instead of the scenario's [[uncertain]]
    /// entries (repeatable): KEY=LOW:HIGH (uniform) or KEY=DIST:A:B, DIST loguniform
    /// (low, high), normal (mean, sd) or lognormal (median, sigma).
    #[arg(long = "vary", value_name = "KEY=LOW:HIGH", conflicts_with = "resume")]
    vary: Vec<String>,
    /// Particles per population (default 500).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(2..=100_000), conflicts_with = "resume")]
    particles: Option<u64>,
    /// Replications per candidate (default 1): its likelihood is the share of them
    /// within the tolerance; the contrast runs at least 2 per particle.
    #[arg(long, short = 'n', value_name = "R", value_parser = clap::value_parser!(u64).range(1..=1_000), conflicts_with = "resume")]
    replications: Option<u64>,
    /// The most simulations over all generations (default 20,000).
    #[arg(long, value_name = "SIMULATIONS", value_parser = clap::value_parser!(u64).range(1..=10_000_000_000), conflicts_with = "resume")]
    budget: Option<u64>,
    /// The most generations, counting generation 0, which samples the priors (default 20).
    #[arg(long, value_name = "G", value_parser = clap::value_parser!(u64).range(1..=1_000), conflicts_with = "resume")]
    generations: Option<u64>,
    /// Run this contrast over the posterior (repeatable): each particle's scenario
    /// against the same with this key set, paired, e.g.
    /// --against platforms.Taocaicai.class=standard.
    #[arg(long = "against", value_name = "KEY.PATH=VALUE", conflicts_with = "resume")]
    against: Vec<String>,
    /// What to call the --against scenario in tables, e.g. "updating weekly".
    #[arg(long, value_name = "TEXT", requires = "against")]
    label: Option<String>,
    /// Output of the contrast (repeatable): a headline metric (every platform's) or one
    /// scope's (Taocaicai.orders_total). Default: every platform's user metrics.
    #[arg(long = "metric", value_name = "NAME", requires = "against")]
    metrics: Vec<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', value_name = "T", value_parser = clap::value_parser!(u64).range(1..=4096))]
    threads: Option<u64>,
    /// Evaluate only block K of N of the next round of a generation's candidates
    /// and write a partial result to OUT/calibrate-<name>.shard-K-of-N.partial;
    /// `gatesim merge` takes the round.
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Go on with the calibration in DIR (the output folder of a merged round:
    /// its calibration.state), to its end or, with --shard, for one more round.
    #[arg(long, value_name = "DIR")]
    resume: Option<PathBuf>,
    #[command(flatten)]
    output: OutputFlags,
}

/// A calibration ready to run: built from its inputs.
struct Built {
    /// Where it came from.
    inputs: CalibrateInputs,
    /// The scenario as loaded from the inputs' resolved TOML.
    loaded: Loaded,
    /// The calibration.
    problem: Problem,
    /// The contrast and its outputs, if asked for.
    contrast: Option<(Contrast, Vec<Probe>)>,
}

/// The message of a calibration that could not run.
fn calibration_error(e: CalibrationError) -> AppError {
    match e {
        CalibrationError::Run(e) => mc_error(e),
        CalibrationError::Setup(e) => AppError::usage(e.to_string()),
        CalibrationError::Point(m) | CalibrationError::State(m) => AppError::usage(m),
    }
}

/// A calibration's outcome with the failures of its runs taken out (they
/// are reported as the runs' errors).
fn lift<T>(outcome: Result<T, CalibrationError>) -> Result<Result<T, CalibrationError>, McError> {
    match outcome {
        Err(CalibrationError::Run(e)) => Err(e),
        other => Ok(other),
    }
}

impl Built {
    /// The calibration of `inputs` (`from` names them in messages).
    fn of(inputs: CalibrateInputs, from: &str) -> Result<Built, AppError> {
        let loaded = load_resolved(&inputs.scenario, from)?;
        let data = parse_observed(&inputs.data, Path::new(&inputs.data_file), &loaded.scenario)
            .map_err(|e| AppError::usage(e.to_string()))?;
        let parameters = loaded.uncertain.clone();
        if parameters.is_empty() {
            return Err(AppError::usage(format!("{from}: the calibration has no parameter")));
        }
        let resolved = Resolved::of(&loaded.raw);
        let c = &inputs.contrast;
        let contrast = match contrast(&c.against, c.label.as_deref(), &resolved)? {
            Some(k) => Some((k, select(&loaded.scenario, &c.metrics).map_err(AppError::usage)?)),
            None => None,
        };
        let problem = Problem::new(
            resolved,
            loaded.scenario.clone(),
            parameters,
            data,
            inputs.options.clone(),
        )
        .map_err(calibration_error)?;
        Ok(Built {
            inputs,
            loaded,
            problem,
            contrast,
        })
    }

    /// The output folder's name.
    fn folder(&self) -> String {
        format!("calibrate-{}", self.loaded.scenario.name)
    }

    /// What a partial result's header records of it, for a round of
    /// `window` candidates.
    fn identity(&self, window: u64) -> RunIdentity {
        let s = &self.loaded.scenario;
        RunIdentity {
            name: self.folder(),
            seed: self.inputs.options.seed,
            replications: self.inputs.options.replications as u64,
            horizon_days: s.horizon_days,
            points: Some(window),
        }
    }

    /// The scenario at the posterior medians, with the calibrated keys as
    /// its `[[uncertain]]` entries (their priors), as TOML; the scenario
    /// as given while there is no posterior.
    fn median_toml(&self, r: &CalibrationResult) -> Result<String, AppError> {
        let p = &self.problem.parameters;
        let mut raw = match r.medians() {
            Some(m) => {
                let sets: Vec<_> = p.iter().zip(&m).map(|(u, &v)| u.set(v)).collect();
                let at = self.loaded.with(&sets).map_err(|e| {
                    AppError::failed(problems_text("the scenario at the posterior medians is invalid", &e))
                })?;
                at.raw
            }
            None => self.loaded.raw.clone(),
        };
        raw.uncertain = p.iter().map(Uncertain::raw).collect();
        let text = Loaded {
            raw,
            ..self.loaded.clone()
        }
        .resolved_toml();
        let head = match r.medians() {
            Some(_) => format!(
                "# {} at the posterior medians of its calibration to {} (gatesim calibrate);\n\
                 # the [[uncertain]] entries are the priors it was calibrated with.\n",
                r.scenario, r.data_file
            ),
            None => format!(
                "# {} as calibrated to {} (no generation completed: the values are the scenario's own).\n",
                r.scenario, r.data_file
            ),
        };
        Ok(format!("{head}{text}"))
    }
}

impl Calibrate {
    /// The settings from the flags.
    fn options(&self, seed: u64) -> Options {
        let size = |n: Option<u64>, default: usize| n.map_or(default, |n| usize::try_from(n).unwrap_or(usize::MAX));
        Options {
            particles: size(self.particles, PARTICLES),
            replications: size(self.replications, 1),
            budget: self.budget.unwrap_or(BUDGET),
            generations: size(self.generations, GENERATIONS),
            seed,
        }
    }

    /// The inputs of a new calibration, from the flags.
    fn fresh(&self, scenario: &Path, data: &Path) -> Result<(CalibrateInputs, Provenance), AppError> {
        let loaded = load_scenario(scenario, &self.overrides)?;
        let file = scenario.display();
        let parameters = if self.vary.is_empty() {
            if loaded.uncertain.is_empty() {
                return Err(AppError::usage(format!(
                    "{file} declares no [[uncertain]] key, and no --vary is given: nothing to calibrate. \
                     Declare the uncertain assumptions in the scenario (see scenarios/guizhou.toml) or name them, \
                     e.g. --vary users.churn_per_stale_day=0.001:0.02"
                )));
            }
            loaded.uncertain.clone()
        } else {
            from_vary(&loaded.raw, &self.vary)
                .map_err(|p| AppError::usage(problems_text(&format!("invalid --vary for {file}"), &p)))?
        };
        // Checked here with its lines; kept as text for the shards and merges.
        read_observed(data, &loaded.scenario).map_err(|e| AppError::usage(e.to_string()))?;
        let text = std::fs::read_to_string(data).map_err(|e| AppError::usage_because(data.display().to_string(), e))?;
        let mut raw = loaded.raw.clone();
        raw.uncertain = parameters.iter().map(Uncertain::raw).collect();
        let scenario_toml = Loaded { raw, ..loaded.clone() }.resolved_toml();
        let seed = loaded.scenario.seed;
        let inputs = CalibrateInputs {
            scenario: scenario_toml,
            data_file: data.display().to_string(),
            data: text,
            options: self.options(seed),
            contrast: ContrastSpec {
                against: self.against.clone(),
                label: self.label.clone(),
                metrics: self.metrics.clone(),
            },
        };
        let prov = provenance("calibrate", &[scenario, data], self.overrides.sets.clone(), Some(seed));
        Ok((inputs, prov))
    }

    /// The calibration saved in `dir`, where it stands, and its provenance.
    fn resumed(&self, dir: &Path) -> Result<(CalibrateInputs, Progress, Provenance), AppError> {
        if !self.overrides.sets.is_empty() || self.overrides.seed.is_some() {
            return Err(AppError::usage(
                "--resume goes on with the calibration saved in its folder, on its own scenario and seed: drop --set and --seed",
            ));
        }
        let path = dir.join(STATE_FILE);
        let name = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(_) if dir.join("calibration.json").is_file() => {
                return Err(AppError::usage(format!(
                    "{} holds a calibration that has finished (it has no {STATE_FILE}): nothing to resume",
                    dir.display()
                )));
            }
            Err(e) => {
                return Err(AppError::usage_because(
                    format!(
                        "--resume {}: cannot read {name} (--resume takes the output folder of a sharded generation's merge)",
                        dir.display()
                    ),
                    e,
                ));
            }
        };
        let (_, body) = partial::decode(&bytes).map_err(|e| AppError::usage(format!("{name}: {e}")))?;
        let p = Payload::from_bytes(&body).map_err(|e| AppError::usage(format!("{name}: {e}")))?;
        match p.inputs {
            Inputs::Calibrate { inputs, progress, .. } => Ok((inputs, *progress, p.provenance)),
            _ => Err(AppError::usage(format!("{name}: not a saved calibration"))),
        }
    }

    /// Evaluates shard `shard`'s block of the next round of `built` from
    /// `progress` and writes its partial result.
    fn run_shard(&self, built: &Built, progress: Progress, prov: Provenance, shard: Shard) -> Result<(), AppError> {
        let problem = &built.problem;
        let window = problem.window(&progress).map_err(calibration_error)?;
        let rel = shard.replications(window.end - window.start);
        let block = window.start + rel.start..window.start + rel.end;
        let reps = built.inputs.options.replications as u64;
        let generation = progress.history.len();
        let pool = thread_pool(threads(self.threads)).map_err(mc_error)?;
        if !self.output.quiet {
            eprintln!(
                "{}: generation {generation}, shard {shard}: candidates {} to {} of the round's {} to {}",
                built.loaded.scenario.name,
                block.start,
                block.end.saturating_sub(1).max(block.start),
                window.start,
                window.end - 1
            );
        }
        let evaluated = with_progress((block.end - block.start) * reps, self.output.quiet, |done| {
            lift(problem.evaluate_window(&progress, block.clone(), &pool, &STOP, done))
        })?
        .map_err(calibration_error)?;
        let id = built.identity(window.end - window.start);
        let inputs = Inputs::Calibrate {
            inputs: built.inputs.clone(),
            progress: Box::new(progress),
            window: (window.start, window.end),
        };
        let header = payload::header(&inputs, &id, shard);
        let bytes = partial::encode(
            &header,
            &Payload {
                inputs,
                state: State::Calibrate { evaluated },
                provenance: prov,
            }
            .to_bytes(),
        );
        let path = self.output.out_dir().join(payload::file_name(&id.name, shard));
        write_file_atomically(&path, &bytes)
            .map_err(|e| AppError::run_because(format!("cannot write {}", path.display()), e))?;
        if !self.output.quiet {
            println!(
                "shard {shard} of {}, generation {generation}: candidates {} to {}; partial result: {}",
                id.name,
                block.start,
                block.end.saturating_sub(1).max(block.start),
                path.display()
            );
        }
        Ok(())
    }
}

impl Command for Calibrate {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let (inputs, progress, prov) = match (&self.resume, &self.scenario, &self.data) {
            (Some(dir), _, _) => {
                let (inputs, progress, prov) = self.resumed(dir)?;
                (inputs, Some(progress), prov)
            }
            (None, Some(scenario), Some(data)) => {
                let (inputs, prov) = self.fresh(scenario, data)?;
                (inputs, None, prov)
            }
            _ => return Err(AppError::usage("give the scenario and --data, or --resume DIR")),
        };
        let from = match &self.resume {
            Some(dir) => dir.join(STATE_FILE).display().to_string(),
            None => self
                .scenario
                .as_ref()
                .map_or_else(String::new, |p| p.display().to_string()),
        };
        let built = Built::of(inputs, &from)?;
        let progress = progress.unwrap_or_else(|| built.problem.start());
        let outputs = Outputs::new(&self.output, Without::WriteToOutput);
        outputs.prepare()?;
        if let Some(shard) = self.shard {
            return self.run_shard(&built, progress, prov, shard);
        }
        let o = &built.inputs.options;
        let used: u64 = progress.history.iter().map(|g| g.simulations).sum();
        if !self.output.quiet {
            eprintln!(
                "{}: calibrating {} to {} ({}, {}): {} per population, {}, up to {}",
                built.loaded.scenario.name,
                counted(built.problem.parameters.len(), "parameter"),
                built.inputs.data_file,
                counted(built.problem.data.series.len(), "series"),
                counted(built.problem.data.points(), "observation"),
                counted(o.particles, "particle"),
                counted(o.replications, "replication") + " per candidate",
                counted(o.budget, "simulation"),
            );
        }
        let pool = thread_pool(threads(self.threads)).map_err(mc_error)?;
        let outcome = with_progress(o.budget.saturating_sub(used), self.output.quiet, |done| {
            lift(built.problem.run(progress, &pool, &STOP, done))
        })?
        .map_err(calibration_error)?;
        finish(&built, outcome, prov, &outputs, &pool, self.output.quiet)
    }
}

impl Sharded for Calibrate {
    fn wrote(inputs: &Inputs) -> bool {
        matches!(inputs, Inputs::Calibrate { .. })
    }

    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
        let from = merged.from.as_str();
        let (
            Inputs::Calibrate {
                inputs,
                progress,
                window,
            },
            State::Calibrate { evaluated },
        ) = (merged.inputs, merged.state)
        else {
            return Err(AppError::usage(format!("{from}: its results do not match its command")));
        };
        let built = Built::of(inputs, from)?;
        let expected = built.problem.window(&progress).map_err(calibration_error)?;
        let covers = expected == (window.0..window.1)
            && evaluated.len() as u64 == window.1 - window.0
            && evaluated.iter().zip(window.0..).all(|(e, i)| e.candidate.index == i);
        if !covers {
            return Err(AppError::usage(format!(
                "{from}: the partial results do not cover their round's candidates {} to {}",
                window.0,
                window.1.saturating_sub(1)
            )));
        }
        let outputs = Outputs::new(flags, Without::WriteToOutput);
        outputs.prepare()?;
        let outcome = built
            .problem
            .take_window(*progress, evaluated)
            .map_err(calibration_error)?;
        let pool = thread_pool(threads(None)).map_err(mc_error)?;
        finish(&built, outcome, merged.provenance, &outputs, &pool, flags.quiet)
    }
}

/// Finishes a calibration's `outcome`: the posterior predictive, the
/// contrast (once it has stopped), the files, charts and report, and the
/// state to go on from while it has not.
fn finish(
    built: &Built,
    outcome: Outcome,
    prov: Provenance,
    outputs: &Outputs<'_>,
    pool: &rayon::ThreadPool,
    quiet: bool,
) -> Result<(), AppError> {
    let problem = &built.problem;
    let fits = match &outcome.posterior {
        Some(post) => with_progress(post.size() as u64, quiet, |done| {
            lift(problem.predictive(post, pool, &STOP, done))
        })?
        .map_err(calibration_error)?,
        None => Vec::new(),
    };
    let contrast: Option<ContrastResult> = match (&built.contrast, &outcome.posterior, outcome.stop) {
        (Some((c, probes)), Some(post), Some(_)) => {
            let reps = built.inputs.options.replications.max(2) as u64;
            let total = 2 * reps * post.size() as u64;
            Some(
                with_progress(total, quiet, |done| {
                    lift(problem.contrast(post, c, probes, reps, pool, &STOP, done))
                })?
                .map_err(calibration_error)?,
            )
        }
        _ => None,
    };
    let result = CalibrationResult::of(problem, &built.inputs.data_file, &outcome, fits, contrast);
    let mut files = vec![
        ("posterior.csv".to_string(), posterior_csv(&result)),
        ("calibration.json".to_string(), calibration_json(&result)),
        ("calibration.md".to_string(), calibration_md(&result).into_bytes()),
        ("scenario.toml".to_string(), built.median_toml(&result)?.into_bytes()),
    ];
    if let Some(progress) = &outcome.progress {
        let window = problem.window(progress).map_err(calibration_error)?;
        let inputs = Inputs::Calibrate {
            inputs: built.inputs.clone(),
            progress: Box::new(progress.clone()),
            window: (window.start, window.end),
        };
        let header = payload::header(
            &inputs,
            &built.identity(window.end - window.start),
            Shard::new(1, 1).map_err(AppError::usage)?,
        );
        let payload = Payload {
            inputs,
            state: State::Calibrate { evaluated: Vec::new() },
            provenance: prov.clone(),
        };
        files.push((STATE_FILE.to_string(), partial::encode(&header, &payload.to_bytes())));
    }
    let markdown = calibration_md(&result);
    let text = calibration_text(&result);
    let resolved_toml = built.inputs.scenario.clone();
    let o = &built.inputs.options;
    let settings = vec![
        ("Particles".to_string(), o.particles.to_string()),
        ("Replications per candidate".to_string(), o.replications.to_string()),
        ("Simulation budget".to_string(), o.budget.to_string()),
        ("Most generations".to_string(), o.generations.to_string()),
        ("Seed".to_string(), o.seed.to_string()),
    ];
    let result = &result;
    let product = Product {
        folder: built.folder(),
        files,
        charts: Some(Box::new(move |formats| calibration_charts(result, formats))),
        report: Some(Box::new(move |charts, provenance| {
            calibration_report(&CalibrationReport {
                scenario: &result.scenario,
                description: &result.description,
                data_file: &result.data_file,
                settings,
                markdown: &markdown,
                resolved_toml: &resolved_toml,
                charts,
                provenance,
            })
        })),
        text,
        provenance: prov,
        json: "calibration.json",
    };
    outputs.deliver(product)
}
