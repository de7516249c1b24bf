//! The pipeline's throughput in events per second, through everything a
//! run does for a replication (the pipeline state machine, its records and
//! metrics, the statistics across replications), on two scenarios without
//! users (`benches/scenarios/`):
//!
//! - `mmc.toml`: the engine bench's M/M/4 queue at utilisation 0.9 as a
//!   scenario (Poisson builds, exponential reviews, one-version rule off),
//!   about 10,400 builds and 31,000 events per replication. Criterion times
//!   one replication (events per second); then 100 replications are timed
//!   on 1 and on 2 threads in one run, and the events per second and the
//!   ratio printed.
//! - `weekly_pipeline.toml`: three weekly platforms with exponential holds
//!   and reviews and rejections over 365 days; 2,000 replications on one
//!   thread, the time per replication printed in milliseconds.
//!
//! Run with `cargo bench --bench pipeline_mmc`.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gatesim::run_replication;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let s = common::scenario("benches/scenarios/mmc.toml", &[]);
    let events = run_replication(&s, 0, false).expect("runs").events;
    let mut g = c.benchmark_group("pipeline_mmc");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Elements(events));
    g.bench_function("replication", |b| {
        b.iter(|| black_box(run_replication(&s, 0, false).expect("runs").events))
    });
    g.finish();

    let (one, r) = common::timed_run(&s, 100, 1);
    let (two, _) = common::timed_run(&s, 100, 2);
    let rate = |d: Duration| r.events as f64 / d.as_secs_f64() / 1e6;
    println!(
        "pipeline_mmc: 100 replications, {} events: 1 thread {:.2} s, {:.2} million events/s; \
         2 threads {:.2} s, {:.2} million events/s; ratio {:.2}",
        r.events,
        one.as_secs_f64(),
        rate(one),
        two.as_secs_f64(),
        rate(two),
        one.as_secs_f64() / two.as_secs_f64()
    );

    let w = common::scenario("benches/scenarios/weekly_pipeline.toml", &[]);
    for n in [200u64, 2000] {
        let (t, _) = common::timed_run(&w, n, 1);
        println!(
            "pipeline_weekly: {n} replications on 1 thread in {:.2} s, {:.3} ms per replication",
            t.as_secs_f64(),
            t.as_secs_f64() * 1e3 / n as f64
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
