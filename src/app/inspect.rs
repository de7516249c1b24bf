//! `gatesim check` and `gatesim trace`: look at a scenario and at one
//! replication's every event.

use super::{AppError, load_scenario, stopped, while_writing};
use crate::app::cli::{CheckArgs, TraceArgs};
use crate::present::output::trace::trace_csv;
use crate::present::output::write::{check_out_file, write_file_atomically};
use crate::world::run_replication;
use std::io::Write;

pub(super) fn check(a: &CheckArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    println!(
        "# {} is valid. Resolved, with defaults filled in:\n",
        a.scenario.scenario.display()
    );
    print!("{}", loaded.resolved_toml());
    Ok(())
}

pub(super) fn trace(a: &TraceArgs) -> Result<(), AppError> {
    let loaded = load_scenario(&a.scenario)?;
    if let Some(path) = &a.out {
        check_out_file(path).map_err(|e| AppError::usage_because(format!("--out {}", path.display()), e))?;
    }
    let s = &loaded.scenario;
    let rep = run_replication(s, a.replication, true).map_err(AppError::failed)?;
    let names: Vec<String> = s.platforms.iter().map(|p| p.name.clone()).collect();
    let classes: Vec<String> = s.gatekeeper.classes.iter().map(|c| c.name.clone()).collect();
    let bytes = trace_csv(rep.trace.as_deref().unwrap_or(&[]), &names, &classes);
    match &a.out {
        Some(path) => while_writing(|| {
            if stopped() {
                return Err(AppError::Interrupted);
            }
            write_file_atomically(path, &bytes)
                .map_err(|e| AppError::run_because(format!("cannot write {}", path.display()), e))
        }),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|_| out.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (e.g. `| head`) is not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(AppError::run_because("cannot write the trace", e)),
            }
        }
    }
}
