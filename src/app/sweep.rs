//! `gatesim sweep`: one scenario at every point of a parameter grid.

use super::{AppError, STOP, prepare, threads, with_progress, write_outputs};
use crate::cli::SweepArgs;
use crate::montecarlo::Plan;
use crate::output::sweep::{sweep_csv, sweep_json, sweep_md};
use crate::sweep::{Param, SweepLoadError, load_points, parse as parse_param};

pub(super) fn sweep(a: &SweepArgs) -> Result<(), AppError> {
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
