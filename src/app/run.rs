//! `gatesim run`: replications of one scenario, their statistics, charts,
//! report and files; with `--shard K/N`, one shard's partial result.

use super::command::{Command, Context, Merged, Sharded, load_resolved, load_scenario, provenance, with_progress};
use super::error::{AppError, mc_error};
use super::flags::{OutputFlags, RunFlags, ScenarioFlags};
use super::outputs::{Outputs, Product, Without};
use super::progress::Progress;
use super::shard::write_partial;
use super::signals::{self, STOP};
use crate::core::numbers::counted;
use crate::experiments::montecarlo::{self, MonteCarloResult, Plan};
use crate::experiments::provenance::Provenance;
use crate::experiments::shard::Shard;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::present::output::cohorts::cohorts_csv;
use crate::present::output::replications::replications_csv;
use crate::present::output::report::run::{RunReport, run_report};
use crate::present::output::summary::{RunInfo, summary_json};
use crate::present::output::summary_md::summary_md;
use crate::present::output::terminal::summary_text;
use crate::present::output::timeseries::timeseries_csv;
use crate::present::plot::{RunCharts, run_charts};
use crate::scenario::Loaded;
use clap::Args;
use std::path::PathBuf;

/// `gatesim run`
#[derive(Debug, Args)]
pub(crate) struct Run {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: ScenarioFlags,
    #[command(flatten)]
    run: RunFlags,
    #[command(flatten)]
    output: OutputFlags,
    /// Add replications until every headline metric's 95% confidence
    /// half-width is within this share of its mean (e.g. 0.01 for 1%).
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// Cap on replications with --precision.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    max_replications: u64,
    /// Write the daily series of member I of population NAME, as a named
    /// platform's (repeatable; adds it to the population's `watch` list).
    #[arg(long = "member", value_name = "NAME#I")]
    members: Vec<String>,
}

impl Command for Run {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let loaded = super::members::watch_members(load_scenario(&self.scenario, &self.overrides)?, &self.members)?;
        let plan = self.plan(&loaded)?;
        if self.run.shard.is_some() && self.precision.is_some() {
            return Err(AppError::usage(
                "--precision cannot be sharded: how many replications it needs depends on all of them; run it unsharded, or shard a fixed -n",
            ));
        }
        let outputs = Outputs::new(&self.output, Without::WriteToOutput);
        outputs.prepare()?;
        if let Some(shard) = self.run.shard {
            return self.run_shard(&loaded, plan.replications, shard);
        }
        let s = &loaded.scenario;
        let progress = Progress::new(plan.replications, self.output.quiet);
        let result = montecarlo::run(s, &plan, &STOP, &|| progress.inc(), &|t| progress.set_total(t));
        progress.finish();
        let r = result.map_err(mc_error)?;
        if signals::stopped() {
            return Err(AppError::Interrupted);
        }
        let prov = provenance(
            "run",
            &[&self.scenario],
            self.overrides.sets.clone(),
            Some(loaded.scenario.seed),
        );
        outputs.deliver(product(&loaded, &r, prov))
    }
}

impl Sharded for Run {
    fn wrote(inputs: &Inputs) -> bool {
        matches!(inputs, Inputs::Run { .. })
    }

    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
        let (Inputs::Run { scenario }, State::Run(state)) = (merged.inputs, merged.state) else {
            return Err(AppError::usage(format!(
                "{}: its results do not match its command",
                merged.from
            )));
        };
        let loaded = load_resolved(&scenario, &merged.from)?;
        let outputs = Outputs::new(flags, Without::WriteToOutput);
        outputs.prepare()?;
        let r = montecarlo::merged_results(&loaded.scenario, state)
            .map_err(|e| AppError::usage(format!("the partial results do not fit their scenario: {e}")))?;
        outputs.deliver(product(&loaded, &r, merged.provenance))
    }
}

impl Run {
    /// The replications to run and how.
    fn plan(&self, loaded: &Loaded) -> Result<Plan, AppError> {
        let replications = self.run.replications.unwrap_or(loaded.scenario.replications);
        if let Some(p) = self.precision
            && !(p > 0.0 && p < 1.0)
        {
            return Err(AppError::usage(format!(
                "--precision must be a share between 0 and 1 (e.g. 0.01), got {p}"
            )));
        }
        if self.precision.is_some() && self.max_replications < replications {
            return Err(AppError::usage(format!(
                "--max-replications ({}) is below the replications to start with ({replications})",
                self.max_replications
            )));
        }
        Ok(Plan {
            replications,
            precision: self.precision,
            max_replications: self.max_replications,
            threads: self.run.threads(),
        })
    }

    /// Shard `shard` of the run: its replications, saved as a partial result.
    fn run_shard(&self, loaded: &Loaded, replications: u64, shard: Shard) -> Result<(), AppError> {
        let s = &loaded.scenario;
        let range = shard.replications(replications);
        let collector = with_progress(range.end - range.start, self.output.quiet, |done| {
            montecarlo::run_range(s, range.clone(), self.run.threads(), &STOP, done)
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
        let prov = provenance("run", &[&self.scenario], self.overrides.sets.clone(), Some(s.seed));
        write_partial(&self.output, shard, &id, inputs, State::Run(collector.state()), prov)
    }
}

/// `loaded` recording `replications` as its replications.
fn with_replications(loaded: &Loaded, replications: u64) -> Loaded {
    let mut raw = loaded.raw.clone();
    raw.simulation.replications = replications;
    Loaded { raw, ..loaded.clone() }
}

/// The resolved scenario as JSON, for summary.json: the inputs of the run
/// (its `[[uncertain]]` entries, which change nothing in a run, left out).
fn resolved_json(loaded: &Loaded) -> serde_json::Value {
    let mut v = serde_json::to_value(&loaded.raw).unwrap_or(serde_json::Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.remove("uncertain");
    }
    v
}

/// The outputs of results `r` of `loaded`.
fn product<'a>(loaded: &'a Loaded, r: &'a MonteCarloResult, provenance: Provenance) -> Product<'a> {
    let s = &loaded.scenario;
    // The resolved inputs record the replications actually run, so that the
    // written scenario reruns to the same results.
    let resolved = with_replications(loaded, r.replications);
    let toml = resolved.resolved_toml();
    let info = RunInfo {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.name,
        seed: s.seed,
        horizon_days: s.horizon_days,
        warmup_days: s.warmup_days,
        warmup_auto: s.auto_warmup,
    };
    let title = format!(
        "{}: {} of {}, seed {}",
        s.name,
        counted(r.replications, "replication"),
        counted(s.horizon_days, "day"),
        s.seed
    );
    let mut files = vec![
        (
            "summary.json".to_string(),
            summary_json(&info, r, &resolved_json(&resolved)),
        ),
        ("summary.md".to_string(), summary_md(&title, &s.description, r)),
        ("timeseries.csv".to_string(), timeseries_csv(r)),
        ("replications.csv".to_string(), replications_csv(r)),
        ("scenario.toml".to_string(), toml.clone().into_bytes()),
    ];
    if !r.cohorts.is_empty() {
        files.push(("cohorts.csv".to_string(), cohorts_csv(r)));
    }
    let mut text = format!("{}\n", summary_text(&title, r));
    if let Some(p) = &r.precision {
        text.push_str(&format!(
            "precision {}: {} after {} replications\n",
            p.target,
            if p.met { "met" } else { "not met (cap reached)" },
            r.replications
        ));
    }
    Product {
        folder: s.name.clone(),
        files,
        charts: Some(Box::new(move |formats| run_charts(&RunCharts::of(r), formats))),
        report: Some(Box::new(move |charts, provenance| {
            let input = RunReport {
                info: RunInfo {
                    gatesim_version: env!("CARGO_PKG_VERSION"),
                    scenario: &s.name,
                    seed: s.seed,
                    horizon_days: s.horizon_days,
                    warmup_days: s.warmup_days,
                    warmup_auto: s.auto_warmup,
                },
                description: &s.description,
                resolved_toml: &toml,
                charts,
                provenance,
            };
            run_report(&input, r)
        })),
        text,
        provenance,
        json: "summary.json",
    }
}
