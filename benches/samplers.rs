//! Cost of the portable samplers and of one day's churn probability of a
//! group of users, in nanoseconds per draw: the inner loop of the aggregate
//! user model and of every pipeline duration.
//!
//! Run with `cargo bench --bench samplers`.

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::sampling;
use gatesim::sampling::stream;
use gatesim::user_model::ChurnLaw;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("samplers");
    g.sample_size(30)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    let mut r = stream(1, 0, "bench");
    g.bench_function("exp1", |b| b.iter(|| sampling::exp1(&mut r)));
    g.bench_function("normal", |b| b.iter(|| sampling::normal(&mut r)));
    g.bench_function("gamma(0.7)", |b| b.iter(|| sampling::gamma(&mut r, black_box(0.7))));
    g.bench_function("gamma(280)", |b| b.iter(|| sampling::gamma(&mut r, black_box(280.0))));
    g.bench_function("binomial(3000, 0.002)", |b| {
        b.iter(|| sampling::binomial(&mut r, black_box(3000), black_box(0.002)))
    });
    g.bench_function("binomial(14000, 0.04)", |b| {
        b.iter(|| sampling::binomial(&mut r, black_box(14_000), black_box(0.04)))
    });
    g.bench_function("binomial(2000, 0.01)", |b| {
        b.iter(|| sampling::binomial(&mut r, black_box(2000), black_box(0.01)))
    });
    g.bench_function("poisson(600000)", |b| {
        b.iter(|| sampling::poisson(&mut r, black_box(6e5)))
    });
    let law = ChurnLaw::new(0.704);
    g.bench_function("churn step", |b| b.iter(|| law.step(black_box(57.3), black_box(1.07))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
