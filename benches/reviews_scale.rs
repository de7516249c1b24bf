//! The cost of `gatesim fit reviews` as a log grows (issue "fit reviews",
//! scale): the synthetic log of `benches/common/review_log.rs` with
//! 100,000 submissions over 100 platforms and 1,000,000 over 1,000 (a
//! tenth of the 10,000,000 over 10,000 the book's Performance figure is for, so that
//! criterion can repeat it), written once to a temporary file. Criterion
//! times the reading (`read_log`: the file a row at a time, every check)
//! and the analysis (`analyse`: Kaplan-Meier per platform, the log-rank
//! tests, the step-down, the Cox hazard ratios, Fisher's tests, the
//! classes); the report's files are not written (the whole command is
//! measured with `/usr/bin/time`, see `examples/review_log_big.rs`).
//!
//! Run with `cargo bench --bench reviews_scale`.

mod common;
#[path = "common/review_log.rs"]
mod review_log;

use criterion::{Criterion, criterion_group, criterion_main};
use gatesim::reviews::{By, LogOptions, Reference, ReviewOptions, analyse, read_log};
use std::io::BufWriter;
use std::time::{Duration, Instant};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("reviews_scale");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let options = LogOptions {
        unit: None,
        until: None,
        by: By::Platform,
    };
    let review = ReviewOptions {
        reference: Reference::Largest,
    };
    for (submissions, platforms) in [(100_000u64, 100usize), (1_000_000, 1_000)] {
        let file = dir.path().join(format!("log_{submissions}.csv"));
        let mut out = BufWriter::new(std::fs::File::create(&file).expect("the log is written"));
        review_log::write_log(&mut out, submissions, platforms, 20211116).expect("the log is written");
        drop(out);
        g.bench_function(format!("read_{submissions}"), |b| {
            b.iter(|| read_log(&file, &options).expect("the log reads").hours.len())
        });
        let log = read_log(&file, &options).expect("the log reads");
        g.bench_function(format!("analyse_{submissions}"), |b| {
            b.iter(|| analyse(&log, &review).expect("the log is analysed").groups.len())
        });
        let start = Instant::now();
        let log = read_log(&file, &options).expect("the log reads");
        let read = start.elapsed();
        let a = analyse(&log, &review).expect("the log is analysed");
        println!(
            "reviews_scale: {submissions} submissions over {platforms} platforms: read {:.2} s, analysed {:.2} s; \
             {} platforms set aside",
            read.as_secs_f64(),
            (start.elapsed() - read).as_secs_f64(),
            a.step_down.set_aside.len()
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
