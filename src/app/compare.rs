//! `gatesim compare`: scenarios with common random numbers against a baseline.

use super::{AppError, STOP, prepare, threads, with_progress, write_outputs};
use crate::cli::CompareArgs;
use crate::output::compare::{compare_csv, compare_json, compare_md, compare_text};
use crate::scenario::{Scenario, load};

pub(super) fn compare(a: &CompareArgs) -> Result<(), AppError> {
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
