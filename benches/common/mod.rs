//! Helpers shared by the benches: loading a scenario from the repository and
//! timing a whole Monte Carlo run (every replication and the statistics,
//! no output files), whose figure each bench prints in the unit of the
//! README's Performance table.

#![allow(dead_code)]

use gatesim::{MonteCarloResult, Plan, run_monte_carlo as run};
use gatesim::{Scenario, load_scenario as load};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// The scenario at `path` (relative to the repository's root, the benches
/// package's parent) with `--set` overrides.
pub fn scenario(path: &str, sets: &[&str]) -> Scenario {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(&file, &sets).expect("the bench scenario loads").scenario
}

/// Runs `replications` replications of `s` on `threads` threads, timed.
pub fn timed_run(s: &Scenario, replications: u64, threads: usize) -> (Duration, MonteCarloResult) {
    let plan = Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads,
    };
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    let r = run(s, &plan, &stop, &|| {}, &|_| {}).expect("the run succeeds");
    (start.elapsed(), r)
}

/// The benches allocate through the allocator the `gatesim` binary uses, so
/// their figures are the ones a user meets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
