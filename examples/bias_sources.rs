//! Where the bias of the mean decision time comes from, measured apart
//! from gatesim (see the book, "Statistics across replications"): an
//! independent first-come-first-served multi-server loop of the coverage
//! benchmark's queues (Poisson submissions; M/M/4 at utilisation 0.9 over
//! 2,778 days, M/G/1 with log-normal reviews and M/D/1 at 0.8 over 2,200),
//! with its own generator, and the estimators gatesim uses.
//!
//! `estimators QUEUE`: 40,000 replications with 200 days of warm-up; the
//! per-replication mean as gatesim counts it (submissions from day 200,
//! decided before the horizon), without the end's censoring, its
//! split-half jackknife, and the pooled ratio of all replications.
//!
//! `warmups QUEUE RULE [R]`: 400 runs of R replications (20) with the
//! warm-up chosen by RULE: `mser5` (MSER-5 on the replication-averaged
//! series, as `warmup_days = "auto"` once did), `mser25`, `max` or `mean` of the
//! replications' own MSER-5 cuts, `fixed200`, `twice` MSER-5's cut,
//! `cross` (each half of the replications cut where MSER-5 puts the other
//! half's cut), `cross2` (the same, the cut doubled); the bias in standard
//! errors over the runs and the coverage of the t interval.
//!
//! `design QUEUE [R RUNS]`: the rules and estimators side by side on the
//! same replications (2,000 runs of 20 by default), among them the rule
//! `warmup_days = "auto"` now follows; the bias, the coverage of the t
//! and bootstrap-t intervals, and the cut's mean and spread.
//!
//! cargo run --release --example bias_sources -- estimators mm4|mg1|md1
//! cargo run --release --example bias_sources -- warmups mm4|mg1|md1 RULE [R]
//! cargo run --release --example bias_sources -- design mm4|mg1|md1 [R RUNS]

use gatesim::closed_form::mmc_mean_wait;

/// xorshift64: a generator of its own, independent of gatesim's streams.
struct Xorshift(u64);

impl Xorshift {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }
}

/// A queue of the coverage benchmark.
struct Queue {
    reviewers: usize,
    /// Submissions per hour.
    rate: f64,
    horizon_days: usize,
    /// The closed-form mean submission-to-decision time (hours).
    truth: f64,
    exponential_reviews: bool,
    /// Log-normal reviews (mean 24 hours, sigma 1).
    lognormal: bool,
}

fn queue(name: &str) -> Queue {
    match name {
        "mm4" => Queue {
            reviewers: 4,
            rate: 0.9 * 4.0 / 24.0,
            horizon_days: 2778,
            // Erlang C's wait for a reviewer plus the 24-hour review.
            truth: mmc_mean_wait(0.9 * 4.0 / 24.0, 1.0 / 24.0, 4) + 24.0,
            exponential_reviews: true,
            lognormal: false,
        },
        "md1" => Queue {
            reviewers: 1,
            rate: 0.8 / 24.0,
            horizon_days: 2200,
            // Pollaczek-Khinchine: lambda E[S^2] / (2 (1 - rho)) + 24 hours.
            truth: 0.8 / 24.0 * 24.0 * 24.0 / (2.0 * (1.0 - 0.8)) + 24.0,
            exponential_reviews: false,
            lognormal: false,
        },
        "mg1" => Queue {
            reviewers: 1,
            rate: 0.8 / 24.0,
            horizon_days: 2200,
            truth: 0.8 / 24.0 * 24.0 * 24.0 * std::f64::consts::E / (2.0 * (1.0 - 0.8)) + 24.0,
            exponential_reviews: false,
            lognormal: true,
        },
        other => panic!("unknown queue {other}: mm4, mg1 or md1"),
    }
}

/// One replication: each submission's (submitted, decided) hours, in
/// submission order.
fn replicate(q: &Queue, rng: &mut Xorshift) -> Vec<(f64, f64)> {
    let horizon = q.horizon_days as f64 * 24.0;
    let mut free = vec![0.0f64; q.reviewers];
    let mut out = Vec::new();
    let mut t = 0.0;
    loop {
        t += rng.exponential(1.0 / q.rate);
        if t >= horizon {
            return out;
        }
        let (i, &soonest) = free
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .expect("reviewers");
        let review = if q.lognormal {
            let z = (-2.0 * rng.uniform().ln()).sqrt() * (std::f64::consts::TAU * rng.uniform()).cos();
            24.0 * (z - 0.5).exp()
        } else if q.exponential_reviews {
            rng.exponential(24.0)
        } else {
            24.0
        };
        let decided = soonest.max(t) + review;
        free[i] = decided;
        out.push((t, decided));
    }
}

/// Mean and standard error of `xs`.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

fn estimators(q: &Queue) {
    let (horizon, warmup) = (q.horizon_days as f64 * 24.0, 200.0 * 24.0);
    let middle = (warmup + horizon) / 2.0;
    let mut rng = Xorshift(0x5DEE_CE66_D123_4567);
    let mut values: [Vec<f64>; 3] = Default::default();
    let (mut pooled, mut count) = (0.0, 0.0);
    for _ in 0..40_000 {
        // [censored, uncensored, first half, second half]: (sum, count).
        let mut s = [[0.0f64; 2]; 4];
        for (t, d) in replicate(q, &mut rng) {
            if t < warmup {
                continue;
            }
            s[1][0] += d - t;
            s[1][1] += 1.0;
            if d < horizon {
                s[0][0] += d - t;
                s[0][1] += 1.0;
                let half = if t < middle { 2 } else { 3 };
                s[half][0] += d - t;
                s[half][1] += 1.0;
            }
        }
        let r = |k: usize| s[k][0] / s[k][1];
        values[0].push(r(0));
        values[1].push(r(1));
        values[2].push(2.0 * r(0) - 0.5 * (r(2) + r(3)));
        pooled += s[1][0];
        count += s[1][1];
    }
    for (v, name) in values.iter().zip([
        "as gatesim counts (censored at the horizon)",
        "without the censoring",
        "split-half jackknife of the first",
    ]) {
        let (m, se) = mean_se(v);
        println!(
            "{name}: {m:.3} h ± {se:.3}, bias {:+.3} h = {:+.2} standard errors",
            m - q.truth,
            (m - q.truth) / se
        );
    }
    println!(
        "pooled ratio of every replication's submissions: {:.3} h (truth {:.3})",
        pooled / count,
        q.truth
    );
}

/// MSER over block sums (five days each) grouped `m` blocks to a batch:
/// the days deleted.
fn mser(num: &[f64], den: &[f64], m: usize) -> usize {
    let k = num.len() / m;
    let z: Vec<f64> = (0..k)
        .map(|i| num[i * m..(i + 1) * m].iter().sum::<f64>() / den[i * m..(i + 1) * m].iter().sum::<f64>())
        .collect();
    let mut best = (f64::MAX, 0);
    for d in 0..=k / 2 {
        let n = (k - d) as f64;
        let mean = z[d..].iter().sum::<f64>() / n;
        let v = z[d..].iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n * n);
        if v < best.0 {
            best = (v, d);
        }
    }
    best.1 * m * 5
}

fn warmups(q: &Queue, rule: &str, reps: usize) {
    let horizon = q.horizon_days as f64 * 24.0;
    let blocks = q.horizon_days / 5;
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    let (mut means, mut covered, mut days) = (Vec::new(), 0, 0.0);
    let t_975 = match reps {
        10 => 2.262,
        20 => 2.093,
        50 => 2.010,
        _ => 1.96,
    };
    for _ in 0..400 {
        let mut num = vec![vec![0.0; blocks]; reps];
        let mut den = vec![vec![0.0; blocks]; reps];
        for r in 0..reps {
            for (t, d) in replicate(q, &mut rng) {
                if d < horizon {
                    let b = ((t / 24.0) as usize / 5).min(blocks - 1);
                    num[r][b] += d - t;
                    den[r][b] += 1.0;
                }
            }
        }
        let averaged = |keep: &dyn Fn(usize) -> bool| -> (Vec<f64>, Vec<f64>) {
            let sum = |v: &Vec<Vec<f64>>, b: usize| (0..reps).filter(|&r| keep(r)).map(|r| v[r][b]).sum();
            (
                (0..blocks).map(|b| sum(&num, b)).collect(),
                (0..blocks).map(|b| sum(&den, b)).collect(),
            )
        };
        let (an, ad) = averaged(&|_| true);
        let own: Vec<usize> = (0..reps).map(|r| mser(&num[r], &den[r], 1)).collect();
        let cut: Vec<usize> = match rule {
            "mser5" => vec![mser(&an, &ad, 1); reps],
            "mser25" => vec![mser(&an, &ad, 5); reps],
            "max" => vec![*own.iter().max().expect("replications"); reps],
            "mean" => vec![own.iter().sum::<usize>() / reps / 5 * 5; reps],
            "fixed200" => vec![200; reps],
            "twice" => vec![2 * mser(&an, &ad, 1); reps],
            "cross" | "cross2" => {
                let times = if rule == "cross2" { 2 } else { 1 };
                let (en, ed) = averaged(&|r| r % 2 == 0);
                let (on, od) = averaged(&|r| r % 2 == 1);
                let (from_odd, from_even) = (times * mser(&on, &od, 1), times * mser(&en, &ed, 1));
                (0..reps)
                    .map(|r| if r % 2 == 0 { from_odd } else { from_even })
                    .collect()
            }
            other => panic!("unknown rule {other}"),
        };
        days += cut.iter().sum::<usize>() as f64 / reps as f64;
        let xs: Vec<f64> = (0..reps)
            .map(|r| {
                let b = cut[r] / 5;
                num[r][b..].iter().sum::<f64>() / den[r][b..].iter().sum::<f64>()
            })
            .collect();
        let (m, se) = mean_se(&xs);
        if (m - q.truth).abs() <= t_975 * se {
            covered += 1;
        }
        means.push(m);
    }
    let (m, se) = mean_se(&means);
    println!(
        "{rule}, {reps} replications: mean warm-up {:.0} days, bias {:+.2} standard errors, t coverage {:.1}%",
        days / 400.0,
        (m - q.truth) / se,
        covered as f64 / 4.0
    );
}

/// One run's replications by block: [censored numerator, censored
/// denominator, uncensored numerator, uncensored denominator] per
/// replication and block (uncensored: the submissions undecided at the
/// horizon counted with the decision they would get).
fn blocks_of_run(q: &Queue, reps: usize, rng: &mut Xorshift) -> Vec<[Vec<f64>; 4]> {
    let horizon = q.horizon_days as f64 * 24.0;
    let blocks = q.horizon_days / 5;
    (0..reps)
        .map(|_| {
            let mut v: [Vec<f64>; 4] = std::array::from_fn(|_| vec![0.0; blocks]);
            for (t, d) in replicate(q, rng) {
                let b = ((t / 24.0) as usize / 5).min(blocks - 1);
                if d < horizon {
                    v[0][b] += d - t;
                    v[1][b] += 1.0;
                }
                v[2][b] += d - t;
                v[3][b] += 1.0;
            }
            v
        })
        .collect()
}

/// The statistical inefficiency (days) of the waits by block over the
/// second half of the run, by batch means of five batches per
/// replication pooled over the replications, as gatesim estimates it.
fn inefficiency_days(data: &[[Vec<f64>; 4]]) -> f64 {
    let blocks = data[0][0].len();
    let (from, to) = (blocks / 2, blocks);
    let (n, d) = data.iter().fold((0.0, 0.0), |a, r| {
        (
            a.0 + r[0][from..to].iter().sum::<f64>(),
            a.1 + r[1][from..to].iter().sum::<f64>(),
        )
    });
    let ratio = n / d;
    let m = (to - from) / 5;
    let (mut v1, mut n1, mut vm, mut nm) = (0.0, 0.0, 0.0, 0.0);
    for r in data {
        let e: Vec<f64> = (from..from + 5 * m).map(|b| r[0][b] - ratio * r[1][b]).collect();
        v1 += e.iter().map(|x| x * x).sum::<f64>();
        n1 += e.len() as f64;
        for batch in e.chunks_exact(m) {
            let s: f64 = batch.iter().sum();
            vm += s * s / m as f64;
            nm += 1.0;
        }
    }
    5.0 * ((vm / nm) / (v1 / n1)).max(1.0)
}

/// `design QUEUE R RUNS`: the warm-up rules and estimators side by side on
/// the same replications: the cut (`mser5`: MSER-5 on the
/// replication-averaged series, as gatesim's "auto" did before; `tau4`:
/// four statistical inefficiencies; `auto`: gatesim's rule, the later of
/// four inefficiencies and the other half's MSER-5 cut; `fixed200`), then
/// the estimator: the mean of the replications' own means (`own`) or the
/// pooled ratio with its linearised values (`pooled`), over the
/// submissions decided by the horizon (`censored`), all of them
/// (`uncensored`, which no simulation can see), or those before the last
/// inefficiency (`trimmed`, gatesim's).
fn design(q: &Queue, reps: usize, runs: usize) {
    use gatesim::intervals::{Bootstrap, Interval, bootstrap_t, student_t};
    let rows: [(&str, &str, usize); 8] = [
        ("mser5", "own", 0),
        ("mser5", "pooled", 2),
        ("tau4", "pooled", 2),
        ("auto", "own", 0),
        ("auto", "pooled", 0),
        ("auto", "pooled", 1),
        ("auto", "pooled", 2),
        ("fixed200", "pooled", 2),
    ];
    let window = ["censored", "uncensored", "trimmed"];
    let mut rng = Xorshift(0x2545_F491_4F6C_DD1D);
    // Per row: the runs' means, t hits, bootstrap-t hits, cut days and their squares.
    let mut acc = vec![(Vec::new(), 0usize, 0usize, 0.0, 0.0); rows.len()];
    for run in 0..runs {
        let data = blocks_of_run(q, reps, &mut rng);
        let blocks = data[0][0].len();
        let pooled = |keep: &dyn Fn(usize) -> bool, k: usize| -> Vec<f64> {
            (0..blocks)
                .map(|b| (0..reps).filter(|&r| keep(r)).map(|r| data[r][k][b]).sum())
                .collect()
        };
        let all = mser(&pooled(&|_| true, 0), &pooled(&|_| true, 1), 1);
        let even = mser(&pooled(&|r| r % 2 == 0, 0), &pooled(&|r| r % 2 == 0, 1), 1);
        let odd = mser(&pooled(&|r| r % 2 == 1, 0), &pooled(&|r| r % 2 == 1, 1), 1);
        let tau = inefficiency_days(&data);
        let tau4 = (4.0 * tau / 5.0).ceil() as usize * 5;
        for (i, &(rule, estimator, w)) in rows.iter().enumerate() {
            let cut: Vec<usize> = (0..reps)
                .map(|r| match rule {
                    "mser5" => all,
                    "tau4" => tau4,
                    "auto" => tau4.max(if r % 2 == 0 { odd } else { even }),
                    _ => 200,
                })
                .collect();
            let (k, end) = match window[w] {
                "censored" => (0, blocks),
                "uncensored" => (2, blocks),
                _ => (0, blocks - (tau / 5.0).ceil() as usize),
            };
            let sums: Vec<(f64, f64)> = (0..reps)
                .map(|r| {
                    let b = (cut[r] / 5).min(end - 1);
                    (data[r][k][b..end].iter().sum(), data[r][k + 1][b..end].iter().sum())
                })
                .collect();
            let xs: Vec<f64> = if estimator == "own" {
                sums.iter().filter(|s| s.1 > 0.0).map(|(n, d)| n / d).collect()
            } else {
                let (n, d) = sums.iter().fold((0.0, 0.0), |a, s| (a.0 + s.0, a.1 + s.1));
                sums.iter()
                    .map(|(x, y)| n / d + (x - n / d * y) / (d / reps as f64))
                    .collect()
            };
            let hit = |i: Option<Interval>| i.is_some_and(|i| i.low <= q.truth && q.truth <= i.high);
            let boot = Bootstrap::new(run as u64, "design");
            let days = cut.iter().sum::<usize>() as f64 / reps as f64;
            let a = &mut acc[i];
            a.0.push(xs.iter().sum::<f64>() / xs.len() as f64);
            a.1 += usize::from(hit(student_t(&xs)));
            a.2 += usize::from(hit(bootstrap_t(&xs, &boot)));
            a.3 += days;
            a.4 += days * days;
        }
    }
    println!("| cut | estimator | waits | warm-up (days, sd) | bias (SE) | t | bootstrap-t |");
    println!("|---|---|---|---|---|---|---|");
    for (&(rule, estimator, w), a) in rows.iter().zip(&acc) {
        let (m, se) = mean_se(&a.0);
        let mean_days = a.3 / runs as f64;
        println!(
            "| {rule} | {estimator} | {} | {mean_days:.0} ({:.0}) | {:+.2} | {:.1}% | {:.1}% |",
            window[w],
            (a.4 / runs as f64 - mean_days * mean_days).max(0.0).sqrt(),
            (m - q.truth) / se,
            100.0 * a.1 as f64 / runs as f64,
            100.0 * a.2 as f64 / runs as f64
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["estimators", q] => estimators(&queue(q)),
        ["design", q] => design(&queue(q), 20, 2000),
        ["design", q, r, runs] => design(
            &queue(q),
            r.parse().expect("R: a number"),
            runs.parse().expect("RUNS: a number"),
        ),
        ["warmups", q, rule] => warmups(&queue(q), rule, 20),
        ["warmups", q, rule, r] => warmups(&queue(q), rule, r.parse().expect("R: a number")),
        _ => eprintln!(
            "usage: bias_sources estimators QUEUE | warmups QUEUE RULE [R] | design QUEUE [R RUNS] (QUEUE: mm4, mg1 or md1)"
        ),
    }
}
