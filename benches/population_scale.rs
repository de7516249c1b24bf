//! The cost of a year of one population as it grows (issue "host scale"):
//! `benches/scenarios/population.toml` with 10,000, 100,000 and 1,000,000
//! members (60 reviewers per 100,000), one replication on one thread, and
//! the whole ecosystem of `scenarios/host-scale.toml` (1.87 million members,
//! the three Guizhou platforms with their users). Criterion times one
//! replication (whole, statistics and results included, no files); then
//! the time per member is printed, and for host-scale 4 replications on 1
//! and on 2 threads with their ratio.
//!
//! Run with `cargo bench --bench population_scale`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("population_scale");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    for members in [10_000u32, 100_000, 1_000_000] {
        let reviewers = (members / 100_000 * 60).max(6);
        let s = common::scenario(
            "benches/scenarios/population.toml",
            &[
                &format!("populations[0].count={members}"),
                &format!("gatekeeper.reviewers={reviewers}"),
            ],
        );
        g.bench_function(format!("members_{members}"), |b| {
            b.iter(|| common::timed_run(&s, 1, 1).1.events)
        });
        let (t, r) = common::timed_run(&s, 1, 1);
        println!(
            "population_scale: {members} members, one replication of a year on 1 thread: {:.3} s, \
             {:.2} us per member, {} events",
            t.as_secs_f64(),
            t.as_secs_f64() * 1e6 / f64::from(members),
            r.events
        );
    }
    let host = common::scenario("scenarios/host-scale.toml", &[]);
    g.bench_function("host_scale", |b| b.iter(|| common::timed_run(&host, 1, 1).1.events));
    g.finish();
    let (one, r) = common::timed_run(&host, 4, 1);
    let (two, _) = common::timed_run(&host, 4, 2);
    println!(
        "population_scale: host-scale, 4 replications, {} events: 1 thread {:.2} s ({:.2} s each), \
         2 threads {:.2} s; ratio {:.2}",
        r.events,
        one.as_secs_f64(),
        one.as_secs_f64() / 4.0,
        two.as_secs_f64(),
        one.as_secs_f64() / two.as_secs_f64()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
