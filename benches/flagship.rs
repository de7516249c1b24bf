//! The flagship scenario (`scenarios/guizhou.toml`: three platforms, 240
//! days, pipeline and an aggregate market of 8 million households).
//! Criterion times one replication (milliseconds), in the exact aggregate
//! mode and in mode "merged" (the scenario's own); then 1,000 replications
//! of the scenario as it is are timed on 2 threads (the statistics
//! included, no output files) and the seconds printed.
//!
//! Run with `cargo bench --bench flagship`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::run_replication;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let exact = common::scenario("scenarios/guizhou.toml", &["users.mode=\"aggregate\""]);
    let merged = common::scenario("scenarios/guizhou.toml", &["users.mode=\"merged\""]);
    let mut g = c.benchmark_group("flagship");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("replication", |b| {
        b.iter(|| black_box(run_replication(&exact, 0, false).expect("runs").events))
    });
    g.bench_function("replication_merged", |b| {
        b.iter(|| black_box(run_replication(&merged, 0, false).expect("runs").events))
    });
    g.finish();
    let (t, _) = common::timed_run(&merged, 1000, 2);
    println!("flagship: 1000 replications on 2 threads in {:.2} s", t.as_secs_f64());
}

criterion_group!(benches, bench);
criterion_main!(benches);
