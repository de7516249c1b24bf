//! What the main thread does with each batch of replications: the
//! collector adding 64 replications of the weekly pipeline
//! (`benches/scenarios/weekly_pipeline.toml`: 31 daily series over 366
//! days) to statistics that already hold 2,000. Criterion times a batch;
//! the time per replication is printed in microseconds.
//!
//! Run with `cargo bench --bench collector`.

mod common;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use gatesim::collect::{Collector, headlines, series};
use gatesim::run_replication;
use std::time::{Duration, Instant};

const BATCH: u64 = 64;

fn bench(c: &mut Criterion) {
    let s = common::scenario("benches/scenarios/weekly_pipeline.toml", &[]);
    let days = s.horizon_days as usize + 1;
    let platforms = s.platforms.len();
    let reps: Vec<_> = (0..BATCH)
        .map(|i| run_replication(&s, i, false).expect("runs"))
        .collect();
    let mut collector = Collector::new(series(platforms, false), headlines(platforms, false), days, 0);
    for b in 0..2000 / BATCH {
        collector.add_batch(
            (0..BATCH)
                .map(|i| run_replication(&s, b * BATCH + i, false).expect("runs"))
                .collect(),
        );
    }
    let mut g = c.benchmark_group("collector");
    g.sample_size(30).measurement_time(Duration::from_secs(5));
    g.bench_function("weekly_batch_of_64", |b| {
        b.iter_batched(
            || reps.clone(),
            |batch| collector.add_batch(batch),
            BatchSize::LargeInput,
        )
    });
    g.finish();
    let mut total = Duration::ZERO;
    for _ in 0..100 {
        let batch = reps.clone();
        let start = Instant::now();
        collector.add_batch(batch);
        total += start.elapsed();
    }
    println!(
        "collector: {:.1} us per weekly-pipeline replication (batches of {BATCH}, 100 batches)",
        total.as_secs_f64() * 1e6 / (100 * BATCH) as f64
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
