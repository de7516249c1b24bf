//! The review pipeline against queueing theory: with the one-version rule
//! off, Poisson builds, exponential reviews and no holds, the gatekeeper is
//! an M/M/c queue, whose mean wait Erlang C gives exactly; with rejections
//! resubmitted at once it is one with Bernoulli feedback, an M/M/c queue of
//! arrival rate lambda / (1 - r); and the reported time averages obey
//! Little's law.

use crate::common;
use common::{mmc, mmc_with_rejections};

use gatesim::Summary;
use gatesim::TraceKind;
use gatesim::closed_form::mmc_mean_wait;
use std::collections::HashMap;

/// Mean wait in queue over independent replications against Erlang C: the
/// theory must lie within 4 standard errors of the simulated mean.
fn check_erlang_c(c: u32, utilisation: f64) {
    check_erlang_c_with_rejections(c, utilisation, 0.0);
}

/// As [`check_erlang_c`], with a share `r` of reviews rejected and fed back
/// into the queue at once: the queue sees arrival rate lambda / (1 - r), and
/// each queue entry (first submissions and resubmissions alike) waits as in
/// an M/M/c queue at that rate.
fn check_erlang_c_with_rejections(c: u32, utilisation: f64, r: f64) {
    let lambda = utilisation * f64::from(c);
    let s = common::scenario(&mmc_with_rejections(c, lambda * (1.0 - r), r, 1_500, 50));
    let waits: Vec<f64> = (0..20)
        .map(|rep| {
            common::run(&s, rep, false)
                .result
                .gatekeeper
                .queue_wait_hours
                .mean
                .unwrap()
        })
        .collect();
    let sum = Summary::of(&waits);
    let mean = sum.mean.unwrap();
    let se = sum.sd.unwrap() / (waits.len() as f64).sqrt();
    let theory = mmc_mean_wait(lambda, 1.0, c);
    assert!(
        (mean - theory).abs() <= 4.0 * se,
        "M/M/{c} at utilisation {utilisation}: simulated mean wait {mean:.4} h (se {se:.4}), Erlang C {theory:.4} h"
    );
    // The interval must be tight enough to mean something.
    assert!(se < 0.05 * theory, "standard error {se} too wide for a meaningful test");
}

#[test]
fn mean_wait_matches_erlang_c_for_four_busy_reviewers() {
    check_erlang_c(4, 0.9);
}

#[test]
fn mean_wait_matches_erlang_c_for_two_moderately_loaded_reviewers() {
    check_erlang_c(2, 0.6);
}

#[test]
fn mean_wait_matches_erlang_c_for_a_single_reviewer() {
    check_erlang_c(1, 0.8);
}

#[test]
fn mean_wait_matches_erlang_c_when_rejected_builds_are_resubmitted_at_once() {
    check_erlang_c_with_rejections(2, 0.8, 0.3);
}

#[test]
fn rejections_fed_back_raise_the_review_load_to_lambda_over_one_minus_r() {
    // Builds arrive at 1.05 per hour; 30% of reviews reject and come back:
    // the reviewers see 1.5 per hour, a utilisation of 0.75 on two reviewers.
    let (c, r, lambda) = (2, 0.3, 1.05);
    let s = common::scenario(&mmc_with_rejections(c, lambda, r, 1_000, 20));
    let runs: Vec<_> = (0..10).map(|rep| common::run(&s, rep, false).result).collect();
    let us: Vec<f64> = runs.iter().map(|x| x.gatekeeper.utilisation.unwrap()).collect();
    let sum = Summary::of(&us);
    let se = sum.sd.unwrap() / (us.len() as f64).sqrt();
    let rho = lambda / (1.0 - r) / f64::from(c);
    assert!(
        (sum.mean.unwrap() - rho).abs() <= 4.0 * se,
        "utilisation {:?} vs {rho} (se {se})",
        sum.mean
    );
    // Every rejection was resubmitted: none superseded, none lost.
    for x in &runs {
        let k = &x.platforms[0].counts;
        assert!(k.rejections > 1_000);
        assert_eq!(k.resubmissions, k.rejections);
    }
}

#[test]
fn utilisation_matches_the_offered_load() {
    let (c, rho) = (3, 0.75);
    let s = common::scenario(&mmc(c, rho * f64::from(c), 1_000, 20));
    let us: Vec<f64> = (0..10)
        .map(|rep| common::run(&s, rep, false).result.gatekeeper.utilisation.unwrap())
        .collect();
    let sum = Summary::of(&us);
    let se = sum.sd.unwrap() / (us.len() as f64).sqrt();
    assert!(
        (sum.mean.unwrap() - rho).abs() <= 4.0 * se,
        "utilisation {:?} vs {rho}",
        sum.mean
    );
}

/// Little's law on one sample path: the reported time-average numbers
/// waiting and in review equal the arrival rate times the mean time each
/// submission spent there, with times measured independently from the
/// audit log (a submission still waiting at the horizon counts up to it).
#[test]
fn littles_law_holds_on_the_reported_queue_metrics() {
    let horizon_days = 400;
    let s = common::scenario(&mmc(2, 1.7, horizon_days, 0));
    let rep = common::run(&s, 0, true);
    let g = &rep.result.gatekeeper;
    let trace = rep.trace.unwrap();
    let end_ms = u64::from(horizon_days) * 86_400_000;
    let mut queued_at: HashMap<usize, u64> = HashMap::new();
    let mut review_at: HashMap<usize, u64> = HashMap::new();
    let (mut queue_ms, mut review_ms) = (0u128, 0u128);
    let (mut entries, mut reviews) = (0u64, 0u64);
    for r in trace.iter().filter(|r| r.time_ms <= end_ms) {
        let sub = r.submission;
        match r.kind {
            TraceKind::Queue => {
                queued_at.insert(sub.unwrap(), r.time_ms);
                entries += 1;
            }
            TraceKind::ReviewStart => {
                let t0 = queued_at.remove(&sub.unwrap()).unwrap();
                queue_ms += u128::from(r.time_ms - t0);
                review_at.insert(sub.unwrap(), r.time_ms);
                reviews += 1;
            }
            TraceKind::Approve | TraceKind::Reject => {
                let t0 = review_at.remove(&sub.unwrap()).unwrap();
                review_ms += u128::from(r.time_ms - t0);
            }
            _ => {}
        }
    }
    queue_ms += queued_at.values().map(|&t0| u128::from(end_ms - t0)).sum::<u128>();
    review_ms += review_at.values().map(|&t0| u128::from(end_ms - t0)).sum::<u128>();
    let hours = f64::from(horizon_days) * 24.0;
    let lambda = entries as f64 / hours;
    assert_eq!(g.queue_entries, entries);
    assert!((g.arrival_rate_per_hour.unwrap() - lambda).abs() < 1e-12);
    let w_queue = queue_ms as f64 / 3.6e6 / entries as f64;
    let w_review = review_ms as f64 / 3.6e6 / reviews as f64;
    let l_queue = g.mean_waiting.unwrap();
    let l_review = g.mean_in_review.unwrap();
    assert!(
        (l_queue - lambda * w_queue).abs() <= 1e-9 * l_queue,
        "L {l_queue} vs lambda W {}",
        lambda * w_queue
    );
    let lambda_r = reviews as f64 / hours;
    assert!((l_review - lambda_r * w_review).abs() <= 1e-9 * l_review);
    // And the busy queue is not trivial.
    assert!(l_queue > 0.5, "the test needs a queue; got L = {l_queue}");
}

/// Runs `text` with `replications` on `threads` threads.
fn monte_carlo(text: &str, replications: u64, threads: usize) -> gatesim::MonteCarloResult {
    let plan = gatesim::Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads,
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    gatesim::run_monte_carlo(&common::scenario(text), &plan, &never, &|| {}, &|_| {}).unwrap()
}

#[test]
fn an_automatic_warmup_of_an_mm4_queue_started_empty_leaves_means_on_erlang_c_alike_on_any_thread_count() {
    // Four reviewers of 24-hour reviews at utilisation 0.9 (the issue's
    // queue), shorter: 20 replications of 1,200 days.
    let text = mmc(4, 0.15, 1200, 0)
        .replace("warmup_days = 0", "warmup_days = \"auto\"")
        .replace("mean = 1 }", "mean = 24 }");
    let r = monte_carlo(&text, 20, 2);
    let w = r.auto_warmup.as_ref().expect("an automatic warm-up is reported");
    assert!(w.day < 600 && w.too_short.is_empty(), "{w:?}");
    assert!(
        w.days_by_half
            .iter()
            .all(|&d| d as f64 >= 4.0 * w.inefficiency_days - 5.0),
        "{w:?}"
    );
    assert!(
        w.recomputed.contains(&"gatekeeper queue_wait_hours_mean".to_string()),
        "{w:?}"
    );
    let h = r.headline("gatekeeper", gatesim::Metric::QueueWaitHoursMean).unwrap();
    let (mean, low, high) = (h.stat.mean.unwrap(), h.stat.ci_low.unwrap(), h.stat.ci_high.unwrap());
    // The mean is the pooled ratio: every replication's waits over their number.
    let i = r.headlines.iter().position(|x| std::ptr::eq(x, h)).unwrap();
    let z = r.interval_values(i);
    assert!((z.iter().sum::<f64>() / z.len() as f64 - mean).abs() <= 1e-9 * mean);
    // Its 95% interval spans about 4 standard errors: the theory within 2
    // of them is within half the interval's width of the mean.
    let theory = mmc_mean_wait(0.15, 1.0 / 24.0, 4);
    assert!(
        (mean - theory).abs() <= high - low,
        "{mean:.2} h [{low:.2}, {high:.2}] against Erlang C {theory:.2} h"
    );
    // Chosen from every replication in index order: the same on one thread.
    let one = monte_carlo(&text, 20, 1);
    assert_eq!(one.auto_warmup, r.auto_warmup);
    assert_eq!(one.rows, r.rows);
    assert_eq!(one.headlines, r.headlines);
}

#[test]
fn an_automatic_warmup_recomputes_the_time_averages_as_a_declared_one_of_the_same_length_does() {
    // A declared warm-up of the day auto chose for a replication's half
    // gives the same utilisation and number waiting (sums taken in another
    // order: to 1e-9).
    let auto = mmc(2, 1.2, 120, 0).replace("warmup_days = 0", "warmup_days = \"auto\"");
    let a = monte_carlo(&auto, 4, 2);
    let days = a.auto_warmup.as_ref().unwrap().days_by_half;
    for (half, day) in days.into_iter().enumerate() {
        let declared = monte_carlo(&mmc(2, 1.2, 120, day as u32), 4, 2);
        for metric in [gatesim::Metric::Utilisation, gatesim::Metric::MeanWaiting] {
            let i = a.headlines.iter().position(|h| h.metric == metric).unwrap();
            for (x, y) in a
                .rows
                .iter()
                .zip(&declared.rows)
                .filter(|(x, _)| x.0 % 2 == half as u64)
            {
                let (x, y) = (x.1[i].unwrap(), y.1[i].unwrap());
                assert!(
                    (x - y).abs() <= 1e-9 * y.abs(),
                    "{metric}: {x} against {y} after day {day}"
                );
            }
        }
    }
}

#[test]
fn with_an_automatic_warmup_a_precision_target_holds_for_the_steady_state_means_too() {
    // Two reviewers at utilisation 0.75 over 400 days: the users' headlines
    // are absent, so without the steady-state means nothing would be
    // targeted but the staleness.
    let text = mmc(2, 0.75 * 2.0 / 24.0, 400, 0)
        .replace("warmup_days = 0", "warmup_days = \"auto\"")
        .replace("mean = 1 }", "mean = 24 }");
    let plan = |threads| gatesim::Plan {
        replications: 10,
        precision: Some(0.05),
        max_replications: 2_000,
        threads,
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    let scenario = common::scenario(&text);
    let r = gatesim::run_monte_carlo(&scenario, &plan(2), &never, &|| {}, &|_| {}).unwrap();
    assert!(r.precision.as_ref().unwrap().met, "{:?}", r.precision);
    let one = gatesim::run_monte_carlo(&scenario, &plan(1), &never, &|| {}, &|_| {}).unwrap();
    assert_eq!(one.replications, r.replications);
    let mut checked = 0;
    for h in r.headlines.iter().filter(|h| {
        matches!(
            h.metric,
            gatesim::Metric::DecisionHoursMean
                | gatesim::Metric::QueueWaitHoursMean
                | gatesim::Metric::ReviewedWaitHoursMean
                | gatesim::Metric::Utilisation
                | gatesim::Metric::MeanWaiting
        )
    }) {
        let half = 0.5 * (h.stat.ci_high.unwrap() - h.stat.ci_low.unwrap());
        // Law and Kelton's corrected target, r / (1 + r).
        assert!(
            half <= 0.05 / 1.05 * h.stat.mean.unwrap().abs(),
            "{} {}: half-width {half} of {:?} after {} replications",
            h.scope,
            h.metric,
            h.stat.mean,
            r.replications
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        5,
        "{:?}",
        r.headlines.iter().map(|h| h.metric).collect::<Vec<_>>()
    );
}
