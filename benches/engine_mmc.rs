//! Throughput of the discrete-event kernel on an M/M/4 queue at utilisation
//! 0.9 (arrivals at 3.6 per hour, each of 4 servers serving at 1 per hour),
//! run for 1,000,000 customers, i.e. 2,000,000 events.
//!
//! Two variants run the identical model with the identical random stream:
//! `engine` on [`gatesim::Simulation`], and `binary_heap`, a minimal
//! hand-written loop over `std::collections::BinaryHeap` keyed by
//! `(time, sequence number)`. Both report events per second; the second is
//! the yardstick for the engine's overhead.
//!
//! Run with `cargo bench --bench engine_mmc`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gatesim::Simulation;
use gatesim::{SimDuration, SimTime};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp};

/// Customers served per run.
const CUSTOMERS: u64 = 1_000_000;
/// Servers in the station.
const SERVERS: u32 = 4;
/// Arrival rate per hour (utilisation 3.6 / (4 * 1) = 0.9).
const LAMBDA: f64 = 3.6;
/// Service rate per hour per server.
const MU: f64 = 1.0;
/// Seed of the random stream, shared by both variants.
const SEED: u64 = 0x5EED_0F45;

/// Random inter-arrival and service times, in ticks; the same sampling for
/// both variants.
struct Sampler {
    rng: Xoshiro256PlusPlus,
    arrival: Exp<f64>,
    service: Exp<f64>,
}

impl Sampler {
    fn new() -> Self {
        Sampler {
            rng: Xoshiro256PlusPlus::seed_from_u64(SEED),
            arrival: Exp::new(LAMBDA).expect("positive rate"),
            service: Exp::new(MU).expect("positive rate"),
        }
    }

    #[inline]
    fn interarrival(&mut self) -> SimDuration {
        SimDuration::from_hours(self.arrival.sample(&mut self.rng))
    }

    #[inline]
    fn service(&mut self) -> SimDuration {
        SimDuration::from_hours(self.service.sample(&mut self.rng))
    }
}

/// Event kinds of the M/M/c model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Arrival,
    Departure,
}

/// Result of one run: events processed and the time of the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Checksum {
    events: u64,
    final_ticks: u64,
}

/// The model on the engine.
fn run_engine() -> Checksum {
    let mut s = Sampler::new();
    let mut sim: Simulation<Kind> = Simulation::with_capacity(16);
    let mut arrived = 0u64;
    let mut busy = 0u32;
    let mut queued = 0u32;
    sim.schedule_at(SimTime::ZERO, Kind::Arrival)
        .expect("time zero is not in the past");
    while let Some((_, kind)) = sim.step() {
        match kind {
            Kind::Arrival => {
                arrived += 1;
                if arrived < CUSTOMERS {
                    let d = s.interarrival();
                    sim.schedule_in(d, Kind::Arrival).expect("no overflow");
                }
                if busy < SERVERS {
                    busy += 1;
                    let d = s.service();
                    sim.schedule_in(d, Kind::Departure).expect("no overflow");
                } else {
                    queued += 1;
                }
            }
            Kind::Departure => {
                if queued > 0 {
                    queued -= 1;
                    let d = s.service();
                    sim.schedule_in(d, Kind::Departure).expect("no overflow");
                } else {
                    busy -= 1;
                }
            }
        }
    }
    Checksum {
        events: sim.events_processed(),
        final_ticks: sim.now().ticks(),
    }
}

/// The same model as a bare loop over `BinaryHeap`.
fn run_binary_heap() -> Checksum {
    let mut s = Sampler::new();
    let mut heap: BinaryHeap<Reverse<(u64, u64, Kind)>> = BinaryHeap::with_capacity(16);
    let mut seq = 0u64;
    let mut now = 0u64;
    let mut events = 0u64;
    let mut arrived = 0u64;
    let mut busy = 0u32;
    let mut queued = 0u32;
    heap.push(Reverse((0, seq, Kind::Arrival)));
    seq += 1;
    while let Some(Reverse((time, _, kind))) = heap.pop() {
        now = time;
        events += 1;
        match kind {
            Kind::Arrival => {
                arrived += 1;
                if arrived < CUSTOMERS {
                    let at = now + s.interarrival().ticks();
                    heap.push(Reverse((at, seq, Kind::Arrival)));
                    seq += 1;
                }
                if busy < SERVERS {
                    busy += 1;
                    let at = now + s.service().ticks();
                    heap.push(Reverse((at, seq, Kind::Departure)));
                    seq += 1;
                } else {
                    queued += 1;
                }
            }
            Kind::Departure => {
                if queued > 0 {
                    queued -= 1;
                    let at = now + s.service().ticks();
                    heap.push(Reverse((at, seq, Kind::Departure)));
                    seq += 1;
                } else {
                    busy -= 1;
                }
            }
        }
    }
    Checksum {
        events,
        final_ticks: now,
    }
}

fn engine_mmc(c: &mut Criterion) {
    // Checked once, outside the timed loops: same model, same work.
    let engine = run_engine();
    let baseline = run_binary_heap();
    assert_eq!(engine.events, 2 * CUSTOMERS);
    assert_eq!(engine, baseline, "both variants must process the same events");

    let mut group = c.benchmark_group("engine_mmc");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(engine.events));
    group.bench_function("engine", |b| b.iter(|| black_box(run_engine())));
    group.bench_function("binary_heap", |b| b.iter(|| black_box(run_binary_heap())));
    group.finish();
}

criterion_group!(benches, engine_mmc);
criterion_main!(benches);
