//! The flagship stretched to ten years (`--set simulation.horizon_days=3650`):
//! criterion times one replication (seconds) in the exact aggregate mode,
//! whose groups grow with the days (a replication costs platforms x days^2),
//! and in mode "merged", whose old groups merge (platforms x days x the
//! logarithm of the days).
//!
//! Run with `cargo bench --bench long_horizon`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::run_replication;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let exact = common::scenario(
        "scenarios/guizhou.toml",
        &["simulation.horizon_days=3650", "users.mode=\"aggregate\""],
    );
    let merged = common::scenario(
        "scenarios/guizhou.toml",
        &["simulation.horizon_days=3650", "users.mode=\"merged\""],
    );
    let mut g = c.benchmark_group("long_horizon");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("replication", |b| {
        b.iter(|| black_box(run_replication(&exact, 0, false).expect("runs").events))
    });
    g.bench_function("replication_merged", |b| {
        b.iter(|| black_box(run_replication(&merged, 0, false).expect("runs").events))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
