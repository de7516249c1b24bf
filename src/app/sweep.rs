//! `gatesim sweep`: one scenario at every point of a parameter grid; with
//! `--shard K/N`, one shard's partial result.

use super::command::{Command, Context, Merged, Sharded, load_resolved, load_scenario, provenance, with_progress};
use super::error::AppError;
use super::flags::{OutputFlags, RunFlags, ScenarioFlags};
use super::outputs::{Outputs, Product, Without};
use super::shard::write_partial;
use super::signals::STOP;
use crate::experiments::montecarlo::Plan;
use crate::experiments::provenance::Provenance;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::experiments::sweep::{self as sweeping, Param, SweepLoadError, SweepResult, load_points};
use crate::present::output::report::sweep::{SweepReport, sweep_report};
use crate::present::output::sweep::{sweep_csv, sweep_json, sweep_md};
use crate::present::output::text_table::from_markdown;
use crate::present::plot::{SweepCharts, sweep_charts};
use crate::scenario::Loaded;
use clap::Args;
use std::path::PathBuf;

/// `gatesim sweep`
#[derive(Debug, Args)]
pub(crate) struct Sweep {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: ScenarioFlags,
    /// A swept key and its values: a list `key.path=0,7,30` or a range
    /// `key.path=0:210:15` (start:end:step, end included). Several form a full grid.
    #[arg(long = "param", required = true, value_name = "KEY.PATH=VALUES", value_parser = parse_param)]
    params: Vec<Param>,
    /// What to call a parameter in charts, e.g. "day the block is lifted"
    /// (repeatable: the first --label names the first --param, and so on).
    #[arg(long = "label", value_name = "TEXT")]
    labels: Vec<String>,
    /// Also report every point as a paired difference from this one (one
    /// key.path=value per swept key, repeatable), e.g. the cost of each
    /// extra month of a block: --reference 'changes[0].day=0'.
    #[arg(long = "reference", value_name = "KEY.PATH=VALUE")]
    reference: Vec<String>,
    #[command(flatten)]
    run: RunFlags,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--param key.path=VALUES`.
fn parse_param(text: &str) -> Result<Param, String> {
    sweeping::parse(text).map_err(|e| e.to_string())
}

impl Command for Sweep {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        if self.labels.len() > self.params.len() {
            return Err(AppError::usage(format!(
                "{} --label given for {} --param: one label per parameter at most",
                self.labels.len(),
                self.params.len()
            )));
        }
        let base = load_scenario(&self.scenario, &self.overrides)?;
        let points = load_points(&base, &self.scenario, &self.params).map_err(|e| match e {
            SweepLoadError::Usage(m) => AppError::usage(m),
            SweepLoadError::Scenario(e) => AppError::from(e),
        })?;
        let replications = self.run.replications.unwrap_or(points[0].1.scenario.replications);
        let reference = if self.reference.is_empty() {
            None
        } else {
            let keys: Vec<String> = self.params.iter().map(|p| p.key.clone()).collect();
            let values: Vec<Vec<String>> = points.iter().map(|(v, _)| v.clone()).collect();
            Some(sweeping::find_point(&keys, &values, &self.reference).map_err(AppError::usage)?)
        };
        let keys: Vec<String> = self.params.iter().map(|p| p.key.clone()).collect();
        let labels: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| self.labels.get(i).unwrap_or(k).clone())
            .collect();
        // Every point as run, in the resolved form a shard's partial result records.
        let from = self.scenario.display().to_string();
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
        let outputs = Outputs::new(&self.output, Without::WriteToOutput);
        outputs.prepare()?;
        let threads = self.run.threads();
        if let Some(shard) = self.run.shard {
            let range = shard.replications(replications);
            let total = (range.end - range.start) * points.len() as u64;
            let collectors = with_progress(total, self.output.quiet, |done| {
                sweeping::run_range(&points, range.clone(), threads, &STOP, done)
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
                reference: reference.map(|i| i as u64),
            };
            let state = State::Sweep(collectors.into_iter().map(|c| c.state()).collect());
            let prov = provenance(
                "sweep",
                &[&self.scenario],
                self.overrides.sets.clone(),
                Some(first.seed),
            );
            return write_partial(&self.output, shard, &id, inputs, state, prov);
        }
        let plan = Plan {
            replications,
            precision: None,
            max_replications: replications,
            threads,
        };
        let total = replications * points.len() as u64;
        let r = with_progress(total, self.output.quiet, |done| {
            sweeping::run(keys, labels, &points, &plan, &STOP, done)
        })?;
        let r = match reference {
            Some(i) => r.against(i),
            None => r,
        };
        let seed = points[0].1.scenario.seed;
        let prov = provenance("sweep", &[&self.scenario], self.overrides.sets.clone(), Some(seed));
        outputs.deliver(product(&points, &r, prov))
    }
}

impl Sharded for Sweep {
    fn wrote(inputs: &Inputs) -> bool {
        matches!(inputs, Inputs::Sweep { .. })
    }

    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
        let (
            Inputs::Sweep {
                keys,
                labels,
                points,
                reference,
            },
            State::Sweep(states),
        ) = (merged.inputs, merged.state)
        else {
            return Err(AppError::usage(format!(
                "{}: its results do not match its command",
                merged.from
            )));
        };
        let points = points
            .into_iter()
            .map(|(values, t)| Ok((values, load_resolved(&t, &merged.from)?)))
            .collect::<Result<Vec<_>, AppError>>()?;
        let outputs = Outputs::new(flags, Without::WriteToOutput);
        outputs.prepare()?;
        let r = sweeping::merged_results(keys, labels, &points, states)
            .map_err(|e| AppError::usage(format!("the partial results do not fit their points: {e}")))?;
        let r = match reference {
            Some(i) => r.against(usize::try_from(i).unwrap_or(usize::MAX)),
            None => r,
        };
        outputs.deliver(product(&points, &r, merged.provenance))
    }
}

/// The outputs of sweep `r` over `points` (as run).
fn product<'a>(points: &'a [(Vec<String>, Loaded)], r: &'a SweepResult, provenance: Provenance) -> Product<'a> {
    let first = &points[0].1;
    let (name, seed) = (first.scenario.name.clone(), first.scenario.seed);
    let md = sweep_md(r, &name, seed);
    Product {
        folder: format!("sweep-{name}"),
        files: vec![
            ("sweep.csv".to_string(), sweep_csv(r)),
            ("sweep.json".to_string(), sweep_json(r, &name, seed)),
            ("sweep.md".to_string(), md.clone().into_bytes()),
        ],
        charts: Some(Box::new(move |formats| sweep_charts(&SweepCharts::of(r), formats))),
        report: Some(Box::new(move |charts, provenance| {
            let toml = first.resolved_toml();
            let input = SweepReport {
                scenario: &first.scenario.name,
                description: &first.scenario.description,
                seed,
                horizon_days: first.scenario.horizon_days,
                first_point_toml: &toml,
                charts,
                provenance,
            };
            sweep_report(&input, r)
        })),
        text: format!("{}\n", from_markdown(&md)),
        provenance,
        json: "sweep.json",
    }
}
