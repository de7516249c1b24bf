//! `gatesim compare`: scenarios run with common random numbers, their
//! paired differences against the first (the baseline); with `--shard
//! K/N`, one shard's partial result.

use super::command::{Command, Context, Merged, Sharded, load_resolved, load_scenario, provenance, with_progress};
use super::error::AppError;
use super::flags::{OutputFlags, RunFlags, ScenarioFlags};
use super::outputs::{Outputs, Product, Without};
use super::shard::write_partial;
use super::signals::STOP;
use crate::experiments::compare::inputs::differences;
use crate::experiments::compare::{self as comparison, CompareResult, Pairs};
use crate::experiments::provenance::Provenance;
use crate::experiments::shard::payload::{Inputs, RunIdentity, State};
use crate::present::output::compare::{compare_csv, compare_json, compare_md, compare_text};
use crate::present::output::report::compare::{CompareReport, ComparedScenario, compare_report};
use crate::present::plot::{CompareCharts, compare_charts};
use crate::scenario::{Loaded, Scenario};
use clap::Args;
use std::path::PathBuf;

/// `gatesim compare`
#[derive(Debug, Args)]
pub(crate) struct Compare {
    /// Two or more scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    /// Overrides applied to every scenario; the seed (default: the
    /// baseline's simulation.seed) is shared by all.
    #[command(flatten)]
    overrides: ScenarioFlags,
    /// Which differences to report: baseline (every scenario minus the
    /// first) or all (every scenario minus every earlier one, e.g. "lift
    /// minus blocked" beside both against the baseline).
    #[arg(long, default_value = "baseline", value_parser = pairs_parser())]
    pairs: Pairs,
    #[command(flatten)]
    run: RunFlags,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--pairs`: baseline or all.
fn pairs_parser() -> impl clap::builder::TypedValueParser<Value = Pairs> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["baseline", "all"])
        .map(|p| if p == "all" { Pairs::All } else { Pairs::Baseline })
}

impl Command for Compare {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        // The seed is applied after loading: every scenario runs with the
        // baseline's unless --seed says otherwise.
        let sets = ScenarioFlags {
            sets: self.overrides.sets.clone(),
            seed: None,
        };
        let loaded = self
            .scenarios
            .iter()
            .map(|path| load_scenario(path, &sets))
            .collect::<Result<Vec<_>, _>>()?;
        let seed = self.overrides.seed.unwrap_or(loaded[0].scenario.seed);
        let horizon = loaded[0].scenario.horizon_days;
        for (l, path) in loaded.iter().zip(&self.scenarios) {
            if l.scenario.horizon_days != horizon {
                return Err(AppError::usage(format!(
                    "{} runs {} days but the baseline {} runs {horizon}: compared scenarios need the same horizon",
                    path.display(),
                    l.scenario.horizon_days,
                    self.scenarios[0].display()
                )));
            }
        }
        // GMV is compared in one currency.
        let currency = |l: &crate::scenario::Loaded| l.scenario.users.as_ref().and_then(|u| u.currency);
        if let Some((j, first)) = loaded.iter().enumerate().find_map(|(j, l)| Some((j, currency(l)?))) {
            for (l, path) in loaded.iter().zip(&self.scenarios) {
                if let Some(other) = currency(l)
                    && other != first
                {
                    return Err(AppError::usage(format!(
                        "{} gives its average order values in {other} (platforms[].users.currency) but {} in {first}: \
                         GMV is compared in one currency; give both scenarios' average order values in the same one",
                        path.display(),
                        self.scenarios[j].display()
                    )));
                }
            }
        }
        for (i, a) in loaded.iter().enumerate() {
            if let Some(j) = loaded[..i].iter().position(|b| b.scenario.name == a.scenario.name) {
                return Err(AppError::usage(format!(
                    "{} and {} are both named `{}`: a comparison tells its scenarios apart by name; \
                     give one another `name` in its file",
                    self.scenarios[j].display(),
                    self.scenarios[i].display(),
                    a.scenario.name
                )));
            }
        }
        let replications = self.run.replications.unwrap_or(loaded[0].scenario.replications);
        // Every scenario as run: the shared seed and the replications, in the
        // resolved form a shard's partial result records.
        let tomls: Vec<String> = loaded
            .iter()
            .map(|l| {
                let mut l = l.clone();
                l.raw.simulation.seed = seed;
                l.raw.simulation.replications = replications;
                l.resolved_toml()
            })
            .collect();
        let canonical = tomls
            .iter()
            .zip(&self.scenarios)
            .map(|(t, path)| load_resolved(t, &path.display().to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let scenarios: Vec<Scenario> = canonical.iter().map(|l| l.scenario.clone()).collect();
        let outputs = Outputs::new(&self.output, Without::WriteToOutput);
        outputs.prepare()?;
        let threads = self.run.threads();
        if let Some(shard) = self.run.shard {
            let range = shard.replications(replications);
            let total = (range.end - range.start) * scenarios.len() as u64;
            let (collectors, paired) = with_progress(total, self.output.quiet, |done| {
                comparison::run_range(&scenarios, self.pairs, range.clone(), threads, &STOP, done)
            })?;
            let id = RunIdentity {
                name: folder(&scenarios),
                seed,
                replications,
                horizon_days: horizon,
                points: None,
            };
            let state = State::Compare {
                runs: collectors.into_iter().map(|c| c.state()).collect(),
                paired: paired.state(),
            };
            let prov = self.provenance(seed);
            return write_partial(
                &self.output,
                shard,
                &id,
                Inputs::Compare {
                    scenarios: tomls,
                    pairs: self.pairs,
                },
                state,
                prov,
            );
        }
        let total = replications * scenarios.len() as u64;
        let r = with_progress(total, self.output.quiet, |done| {
            comparison::run(&scenarios, self.pairs, replications, threads, &STOP, done)
        })?;
        outputs.deliver(product(&canonical, &r, self.provenance(seed)))
    }
}

impl Compare {
    /// Where a comparison's results come from.
    fn provenance(&self, seed: u64) -> Provenance {
        let files: Vec<&std::path::Path> = self.scenarios.iter().map(PathBuf::as_path).collect();
        provenance("compare", &files, self.overrides.sets.clone(), Some(seed))
    }
}

impl Sharded for Compare {
    fn wrote(inputs: &Inputs) -> bool {
        matches!(inputs, Inputs::Compare { .. })
    }

    fn finish_merged(merged: Merged, flags: &OutputFlags) -> Result<(), AppError> {
        let (Inputs::Compare { scenarios, pairs }, State::Compare { runs, paired }) = (merged.inputs, merged.state)
        else {
            return Err(AppError::usage(format!(
                "{}: its results do not match its command",
                merged.from
            )));
        };
        let loaded = scenarios
            .iter()
            .map(|t| load_resolved(t, &merged.from))
            .collect::<Result<Vec<_>, _>>()?;
        let outputs = Outputs::new(flags, Without::WriteToOutput);
        outputs.prepare()?;
        let plain: Vec<Scenario> = loaded.iter().map(|l| l.scenario.clone()).collect();
        let r = comparison::merged_results(&plain, pairs, runs, paired)
            .map_err(|e| AppError::usage(format!("the partial results do not fit their scenarios: {e}")))?;
        outputs.deliver(product(&loaded, &r, merged.provenance))
    }
}

/// The output folder's name: `compare-<baseline>-vs-<other>...`.
fn folder(scenarios: &[Scenario]) -> String {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    format!("compare-{}", names.join("-vs-"))
}

/// The outputs of comparison `r` of the scenarios `loaded` (as run: shared
/// seed, replications recorded).
fn product<'a>(loaded: &'a [Loaded], r: &'a CompareResult, provenance: Provenance) -> Product<'a> {
    let scenarios: Vec<Scenario> = loaded.iter().map(|l| l.scenario.clone()).collect();
    let seed = scenarios[0].seed;
    let horizon_days = scenarios[0].horizon_days;
    let inputs = differences(&loaded.iter().collect::<Vec<_>>());
    Product {
        folder: folder(&scenarios),
        files: vec![
            ("compare.json".to_string(), compare_json(r, seed, &inputs)),
            ("compare.md".to_string(), compare_md(r, seed, &inputs)),
            ("compare.csv".to_string(), compare_csv(r)),
        ],
        charts: Some(Box::new(move |formats| compare_charts(&CompareCharts::of(r), formats))),
        report: Some(Box::new(move |charts, provenance| {
            let tomls: Vec<String> = loaded.iter().map(Loaded::resolved_toml).collect();
            let input = CompareReport {
                scenarios: loaded
                    .iter()
                    .zip(&tomls)
                    .map(|(l, t)| ComparedScenario {
                        name: &l.scenario.name,
                        description: &l.scenario.description,
                        resolved_toml: t,
                    })
                    .collect(),
                seed,
                horizon_days,
                charts,
                provenance,
                inputs: &inputs,
            };
            compare_report(&input, r)
        })),
        text: format!(
            "{}\n",
            compare_text(r, &differences(&loaded.iter().collect::<Vec<_>>()))
        ),
        provenance,
        json: "compare.json",
    }
}
