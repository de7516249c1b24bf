//! Wires the command line to the library: loads the scenario, runs it,
//! hands results to the exporters and the output manager, and maps every
//! failure to its exit code (0 ok, 1 run failure, 2 bad usage or invalid
//! scenario). No simulation logic lives here.

use crate::cli::{CheckArgs, Cli, Command, CompareArgs, RunArgs, RunFlags, ScenarioArgs, SweepArgs, TraceArgs};
use crate::montecarlo::{self, McError, Plan};
use crate::output::cohorts::cohorts_csv;
use crate::output::compare::{compare_csv, compare_json, compare_md, compare_text};
use crate::output::replications::replications_csv;
use crate::output::summary::{RunInfo, summary_json};
use crate::output::summary_md::summary_md;
use crate::output::sweep::{sweep_csv, sweep_json, sweep_md};
use crate::output::terminal::summary_text;
use crate::output::timeseries::timeseries_csv;
use crate::output::trace::trace_csv;
use crate::output::write::{check_out_file, prepare_out_dir, write_dir_atomically, write_file_atomically};
use crate::progress::Progress;
use crate::scenario::Scenario;
use crate::scenario::{Loaded, ScenarioError, load};
use crate::sweep::{Param, SweepLoadError, load_points, parse as parse_param};
use crate::world::run_replication;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// A failure, by exit code.
#[derive(Debug)]
pub enum AppError {
    /// Bad usage or an invalid scenario: exit code 2.
    Usage(String),
    /// The run itself failed: exit code 1.
    Run(String),
    /// Interrupted by Ctrl-C: exit code 130, nothing written.
    Interrupted,
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
        Command::Compare(a) => compare(&a),
        Command::Sweep(a) => sweep(&a),
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
        Err(AppError::Interrupted) => {
            eprintln!("interrupted: nothing was written; previous results are untouched");
            ExitCode::from(INTERRUPTED)
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

/// Raised by Ctrl-C; the run stops at the next replication.
static STOP: AtomicBool = AtomicBool::new(false);

/// Exit code of an interrupted run (128 + SIGINT).
const INTERRUPTED: u8 = 130;

fn plan(a: &RunArgs, s: &Scenario) -> Result<Plan, AppError> {
    let replications = a.replications.unwrap_or(s.replications);
    if let Some(p) = a.precision
        && !(p > 0.0 && p < 1.0)
    {
        return Err(AppError::Usage(format!(
            "--precision must be a share between 0 and 1 (e.g. 0.01), got {p}"
        )));
    }
    if a.precision.is_some() && a.max_replications < replications {
        return Err(AppError::Usage(format!(
            "--max-replications ({}) is below the replications to start with ({replications})",
            a.max_replications
        )));
    }
    let threads = match a.threads {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    Ok(Plan {
        replications,
        precision: a.precision,
        max_replications: a.max_replications,
        threads,
    })
}

fn run(a: &RunArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    let s = &loaded.scenario;
    let plan = plan(a, s)?;
    prepare_out_dir(&a.out).map_err(|e| AppError::Usage(format!("--out {}: {e}", a.out.display())))?;
    // Without a handler Ctrl-C still ends the process, before anything is written.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    let progress = Progress::new(plan.replications, a.quiet);
    let result = montecarlo::run(s, &plan, &STOP, &|| progress.inc(), &|t| progress.set_total(t));
    progress.finish();
    let r = match result {
        Ok(r) => r,
        Err(McError::Interrupted) => return Err(AppError::Interrupted),
        Err(e) => return Err(AppError::Run(e.to_string())),
    };
    if STOP.load(Ordering::SeqCst) {
        return Err(AppError::Interrupted);
    }
    // The resolved inputs record the replications actually run, so that the
    // written scenario reruns to the same results.
    let mut raw = loaded.raw.clone();
    raw.simulation.replications = r.replications;
    let resolved = Loaded { raw, ..loaded.clone() };
    let info = RunInfo {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.name,
        seed: s.seed,
        horizon_days: s.horizon_days,
        warmup_days: s.warmup_days,
    };
    let title = format!(
        "{}: {} replications of {} days, seed {}",
        s.name, r.replications, s.horizon_days, s.seed
    );
    let subtitle = if s.description.is_empty() {
        String::new()
    } else {
        s.description.clone()
    };
    let target = a.out.join(&s.name);
    let mut files = vec![
        ("summary.json", summary_json(&info, &r, &resolved_json(&resolved))),
        ("summary.md", summary_md(&title, &subtitle, &r)),
        ("timeseries.csv", timeseries_csv(&r)),
        ("replications.csv", replications_csv(&r)),
        ("scenario.toml", resolved.resolved_toml().into_bytes()),
    ];
    if !r.cohorts.is_empty() {
        files.push(("cohorts.csv", cohorts_csv(&r)));
    }
    write_dir_atomically(&target, &files)
        .map_err(|e| AppError::Run(format!("cannot write {}: {e}", target.display())))?;
    if !a.quiet {
        println!("{}", summary_text(&title, &r));
        if let Some(p) = &r.precision {
            println!(
                "precision {}: {} after {} replications",
                p.target,
                if p.met { "met" } else { "not met (cap reached)" },
                r.replications
            );
        }
        println!("outputs: {}", target.display());
    }
    Ok(())
}

fn threads(t: Option<u64>) -> usize {
    match t {
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// Maps a Monte Carlo failure to an exit.
fn mc_error(e: McError) -> AppError {
    match e {
        McError::Interrupted => AppError::Interrupted,
        e => AppError::Run(e.to_string()),
    }
}

/// Runs `work` with the Ctrl-C flag armed and a progress bar over `total` replications.
fn with_progress<T>(
    total: u64,
    quiet: bool,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> Result<T, McError>,
) -> Result<T, AppError> {
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    let progress = Progress::new(total, quiet);
    let result = work(&|| progress.inc());
    progress.finish();
    let r = result.map_err(mc_error)?;
    if STOP.load(Ordering::SeqCst) {
        return Err(AppError::Interrupted);
    }
    Ok(r)
}

fn prepare(flags: &RunFlags) -> Result<(), AppError> {
    prepare_out_dir(&flags.out).map_err(|e| AppError::Usage(format!("--out {}: {e}", flags.out.display())))
}

fn write_outputs(target: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Result<(), AppError> {
    write_dir_atomically(target, files).map_err(|e| AppError::Run(format!("cannot write {}: {e}", target.display())))
}

fn compare(a: &CompareArgs) -> Result<(), AppError> {
    let mut loaded = Vec::new();
    for path in &a.scenarios {
        loaded.push(load(path, &[])?);
    }
    let seed = a.seed.unwrap_or(loaded[0].scenario.seed);
    if seed > i64::MAX as u64 {
        return Err(AppError::Usage(format!(
            "--seed must be at most {}, got {seed}",
            i64::MAX
        )));
    }
    let horizon = loaded[0].scenario.horizon_days;
    for (l, path) in loaded.iter().zip(&a.scenarios) {
        if l.scenario.horizon_days != horizon {
            return Err(AppError::Usage(format!(
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
    let files = vec![
        ("compare.json", compare_json(&r, seed)),
        ("compare.md", compare_md(&r, seed)),
        ("compare.csv", compare_csv(&r)),
    ];
    write_outputs(&target, &files)?;
    if !a.flags.quiet {
        println!("{}", compare_text(&r));
        println!("outputs: {}", target.display());
    }
    Ok(())
}

fn sweep(a: &SweepArgs) -> Result<(), AppError> {
    let params: Vec<Param> = a
        .params
        .iter()
        .map(|p| parse_param(p))
        .collect::<Result<_, _>>()
        .map_err(AppError::Usage)?;
    let mut sets = a.scenario.sets.clone();
    if let Some(seed) = a.scenario.seed {
        if seed > i64::MAX as u64 {
            return Err(AppError::Usage(format!(
                "--seed must be at most {}, got {seed}",
                i64::MAX
            )));
        }
        sets.push(format!("simulation.seed={seed}"));
    }
    let points = load_points(&a.scenario.scenario, &sets, &params).map_err(|e| match e {
        SweepLoadError::Usage(m) => AppError::Usage(m),
        SweepLoadError::Scenario(e) => AppError::from(e),
    })?;
    let first = &points[0].1.scenario;
    let (name, seed) = (first.name.clone(), first.seed);
    let replications = a.flags.replications.unwrap_or(first.replications);
    prepare(&a.flags)?;
    let plan = Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads: threads(a.flags.threads),
    };
    let keys: Vec<String> = params.iter().map(|p| p.key.clone()).collect();
    let total = replications * points.len() as u64;
    let r = with_progress(total, a.flags.quiet, |done| {
        crate::sweep::run(keys, &points, &plan, &STOP, done)
    })?;
    let md = sweep_md(&r, &name, seed);
    let target = a.flags.out.join(format!("sweep-{name}"));
    let files = vec![
        ("sweep.csv", sweep_csv(&r)),
        ("sweep.json", sweep_json(&r, &name, seed)),
        ("sweep.md", md.clone().into_bytes()),
    ];
    write_outputs(&target, &files)?;
    if !a.flags.quiet {
        println!("{md}");
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
