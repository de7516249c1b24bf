//! Wires the command line to the library: loads the scenario, runs it,
//! hands results to the exporters and the output manager, and maps every
//! failure to its exit code (0 ok, 1 run failure, 2 bad usage or invalid
//! scenario). No simulation logic lives here.

use crate::cli::{CheckArgs, Cli, Command, RunArgs, ScenarioArgs, TraceArgs};
use crate::output::cohorts::cohorts_csv;
use crate::output::summary::{RunInfo, summary_json};
use crate::output::terminal::{summary_text, users_text};
use crate::output::timeseries::timeseries_csv;
use crate::output::trace::trace_csv;
use crate::output::write::{check_out_file, prepare_out_dir, write_dir_atomically, write_file_atomically};
use crate::scenario::{Loaded, ScenarioError, load};
use crate::world::run_replication;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// A failure, by exit code.
#[derive(Debug)]
pub enum AppError {
    /// Bad usage or an invalid scenario: exit code 2.
    Usage(String),
    /// The run itself failed: exit code 1.
    Run(String),
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        AppError::Usage(e.to_string())
    }
}

/// Parses the command line, runs it, prints errors and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Run(a) => run(&a),
        Command::Check(a) => check(&a),
        Command::Trace(a) => trace(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(AppError::Usage(m)) => {
            eprintln!("error: {}", m.trim_end());
            ExitCode::from(2)
        }
        Err(AppError::Run(m)) => {
            eprintln!("error: {}", m.trim_end());
            ExitCode::from(1)
        }
    }
}

/// Loads the scenario with `--set` and `--seed` applied.
fn load_scenario(a: &ScenarioArgs) -> Result<Loaded, AppError> {
    let mut sets = a.sets.clone();
    if let Some(seed) = a.seed {
        if seed > i64::MAX as u64 {
            return Err(AppError::Usage(format!(
                "--seed must be at most {}, got {seed}",
                i64::MAX
            )));
        }
        sets.push(format!("simulation.seed={seed}"));
    }
    Ok(load(&a.scenario, &sets)?)
}

fn resolved_json(loaded: &Loaded) -> serde_json::Value {
    serde_json::to_value(&loaded.raw).unwrap_or(serde_json::Value::Null)
}

fn run(a: &RunArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    prepare_out_dir(&a.out).map_err(|e| AppError::Usage(format!("--out {}: {e}", a.out.display())))?;
    let s = &loaded.scenario;
    let rep = run_replication(s, 0, false).map_err(|e| AppError::Run(e.to_string()))?;
    let info = RunInfo {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.name,
        seed: s.seed,
        replication: rep.index,
        horizon_days: s.horizon_days,
        warmup_days: s.warmup_days,
        events: rep.events,
    };
    let target = a.out.join(&s.name);
    let names: Vec<String> = s.platforms.iter().map(|p| p.name.clone()).collect();
    let users = rep.users.as_ref();
    let mut files = vec![
        (
            "summary.json",
            summary_json(&info, &rep.result, users, &resolved_json(&loaded)),
        ),
        ("timeseries.csv", timeseries_csv(&rep.result, users)),
        ("scenario.toml", loaded.resolved_toml().into_bytes()),
    ];
    if let Some(u) = users {
        files.push(("cohorts.csv", cohorts_csv(u, &names)));
    }
    write_dir_atomically(&target, &files)
        .map_err(|e| AppError::Run(format!("cannot write {}: {e}", target.display())))?;
    if !a.quiet {
        let title = format!(
            "{}: {} days, seed {}, replication {}",
            s.name, s.horizon_days, s.seed, rep.index
        );
        println!("{}", summary_text(&title, &rep.result));
        if let Some(u) = users {
            println!("{}", users_text(&rep.result, u, u64::from(s.warmup_days)));
        }
        println!("outputs: {}", target.display());
    }
    Ok(())
}

fn check(a: &CheckArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    println!(
        "# {} is valid. Resolved, with defaults filled in:\n",
        a.scenario.scenario.display()
    );
    print!("{}", loaded.resolved_toml());
    Ok(())
}

fn trace(a: &TraceArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    if let Some(path) = &a.out {
        check_out_file(path).map_err(|e| AppError::Usage(format!("--out {}: {e}", path.display())))?;
    }
    let s = &loaded.scenario;
    let rep = run_replication(s, a.replication, true).map_err(|e| AppError::Run(e.to_string()))?;
    let names: Vec<String> = s.platforms.iter().map(|p| p.name.clone()).collect();
    let bytes = trace_csv(rep.trace.as_deref().unwrap_or(&[]), &names);
    match &a.out {
        Some(path) => write_file_atomically(path, &bytes)
            .map_err(|e| AppError::Run(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (e.g. `| head`) is not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(AppError::Run(format!("cannot write the trace: {e}"))),
            }
        }
    }
}
