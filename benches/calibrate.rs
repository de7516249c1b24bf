//! The flagship calibration (`scenarios/guizhou.toml` against its synthetic
//! observations `scenarios/data/guizhou_observed.csv`, its 11 uncertain
//! keys, 500 particles, one replication per candidate) against `run` of the
//! same scenario. Criterion times, on 2 threads, a calibration with a
//! budget of 2,000 simulations (smaller than the default 20,000 so that
//! criterion can repeat it) and 2,000 replications of the same scenario
//! run as `gatesim run` runs them (statistics included, no files), so the
//! two give the cost of a simulation each way. Then one calibration with
//! the default budget of 20,000 is timed once and its seconds printed.
//!
//! Run with `cargo bench --bench calibrate`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::calibration::{CalibrationOptions, calibrate};
use gatesim::load_scenario;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The bench's simulations per criterion iteration.
const SMALL: u64 = 2_000;

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let loaded = load_scenario(&root.join("scenarios/guizhou.toml"), &[]).expect("the flagship loads");
    let file = root.join("scenarios/data/guizhou_observed.csv");
    let data = std::fs::read_to_string(&file).expect("the observations are readable");
    let options = |budget| CalibrationOptions {
        particles: 500,
        replications: 1,
        budget,
        generations: 20,
        seed: loaded.scenario.seed,
        threads: 2,
    };
    let small = options(SMALL);
    let mut g = c.benchmark_group("calibrate");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("flagship_2000_simulations", |b| {
        b.iter(|| {
            let p = calibrate(&loaded, &loaded.uncertain, &file, &data, &small).expect("calibrates");
            black_box(p.simulations)
        })
    });
    g.bench_function("run_2000_replications", |b| {
        b.iter(|| black_box(common::timed_run(&loaded.scenario, SMALL, 2).1.replications))
    });
    g.finish();
    let start = Instant::now();
    let p = calibrate(&loaded, &loaded.uncertain, &file, &data, &options(20_000)).expect("calibrates");
    let t = start.elapsed().as_secs_f64();
    println!(
        "calibrate: the flagship with a budget of 20,000 on 2 threads in {t:.2} s \
         ({} simulations, {} generations, {:.3} ms a simulation; {})",
        p.simulations,
        p.generations,
        1e3 * t / p.simulations as f64,
        p.stopped
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
