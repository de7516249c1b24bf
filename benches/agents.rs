//! The per-user representation at scale: `benches/scenarios/agents.toml`,
//! the flagship market at a million households, user by user, for 365 days;
//! criterion times one replication (seconds).
//!
//! Run with `cargo bench --bench agents`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::run_replication;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let s = common::scenario("benches/scenarios/agents.toml", &[]);
    let mut g = c.benchmark_group("agents");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("1m_users_365_days", |b| {
        b.iter(|| black_box(run_replication(&s, 0, false).expect("runs").events))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
