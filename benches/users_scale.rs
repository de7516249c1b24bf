//! Cost of one replication of the flagship scenario (pipeline and users,
//! exact aggregate representation) as the market grows from a thousand to a
//! hundred million users. The aggregate model's classes are platforms times
//! acquisition days, so the time should not grow with the market.
//!
//! Run with `cargo bench --bench users_scale`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use gatesim::run_replication;
use gatesim::{Scenario, load_scenario as load};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// The flagship scenario with `n` potential users, initial users scaled alike.
fn flagship(n: u64) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/guizhou.toml");
    let exact = ["users.mode=\"aggregate\"".to_string()];
    let mut s = load(&path, &exact).expect("the flagship scenario loads").scenario;
    let users = s.users.as_mut().expect("the flagship has users");
    let scale = n as f64 / users.potential_users as f64;
    users.potential_users = n;
    for p in &mut users.platforms {
        p.initial_users = (p.initial_users as f64 * scale).round() as u64;
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("users_scale");
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    for n in [1_000u64, 100_000, 100_000_000] {
        let s = flagship(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| black_box(run_replication(s, 0, false).expect("runs").events))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
