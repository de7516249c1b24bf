//! Monte Carlo runs: results independent of the thread count and of the
//! order in which replications are accumulated, honest intervals that cover
//! the truth, and a sequential precision target that stops deterministically.

use crate::common;

use gatesim::Metric;
use gatesim::collect::Collector;
use gatesim::collect::headlines;
use gatesim::collect::series;
use gatesim::{MonteCarloResult, Plan, run_monte_carlo as run};
use gatesim::{Scenario, load_scenario as load};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn shipped(file: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    load(&path, &[]).unwrap().scenario
}

fn plan(replications: u64, threads: usize) -> Plan {
    Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads,
    }
}

fn run_plan(s: &Scenario, p: &Plan) -> MonteCarloResult {
    run(s, p, &AtomicBool::new(false), &|| {}, &|_| {}).unwrap()
}

/// Everything but the representative replication, as text.
fn fingerprint(r: &MonteCarloResult) -> String {
    format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}",
        r.headlines, r.rows, r.daily, r.cohorts, r.flows, r.events
    )
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let s = shipped("guizhou.toml");
    let one = run_plan(&s, &plan(12, 1));
    let two = run_plan(&s, &plan(12, 2));
    let five = run_plan(&s, &plan(12, 5));
    assert_eq!(fingerprint(&one), fingerprint(&two));
    assert_eq!(fingerprint(&one), fingerprint(&five));
}

#[test]
fn accumulating_replications_in_any_order_gives_identical_statistics() {
    let s = shipped("guizhou.toml");
    let reps: Vec<_> = (0..10).map(|i| common::run(&s, i, false)).collect();
    let build = |order: Vec<usize>| {
        let mut c = Collector::new(series(3, true), headlines(3, true), 241, 0);
        for i in order {
            c.add(reps[i].clone());
        }
        let names = s.platforms.iter().map(|p| p.name.clone()).collect();
        MonteCarloResult::from_parts(c.into_parts(), names, gatesim::Annotations::default(), None)
    };
    let forward = build((0..10).collect());
    let shuffled = build(vec![7, 2, 9, 0, 4, 1, 8, 3, 6, 5]);
    assert_eq!(fingerprint(&forward), fingerprint(&shuffled));
}

#[test]
fn daily_counts_summarise_exactly_to_the_replications_mean_and_nearest_rank_percentiles() {
    // Counts across a batch are tallied by value before they reach the
    // statistics; whole numbers below 2,048 have bins of their own, so
    // their percentiles are exact.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/scenarios/weekly_pipeline.toml");
    let s = load(&path, &[]).unwrap().scenario;
    let n = 70;
    let r = run_plan(&s, &plan(n, 2));
    let reps: Vec<_> = (0..n).map(|i| common::run(&s, i, false)).collect();
    let submissions = r.series("B", Metric::SubmissionsCumulative).unwrap();
    let waiting = r.series("gatekeeper", Metric::Waiting).unwrap();
    let mut distinct = 0;
    for day in [3usize, 40, 181, 364] {
        for (series, read) in [
            (
                submissions,
                &(|x: &gatesim::Replication| x.result.platforms[1].daily[day].submissions as f64) as &dyn Fn(_) -> f64,
            ),
            (waiting, &|x: &gatesim::Replication| {
                x.result.gatekeeper.daily[day].waiting as f64
            }),
        ] {
            let mut values: Vec<f64> = reps.iter().map(read).collect();
            assert_eq!(
                series.days[day].mean,
                Some(values.iter().sum::<f64>() / n as f64),
                "day {day}"
            );
            values.sort_by(f64::total_cmp);
            let rank = |q: f64| values[(q * n as f64).ceil() as usize - 1];
            let got = &series.days[day];
            assert_eq!(
                (got.p05, got.p50, got.p95),
                (Some(rank(0.05)), Some(rank(0.5)), Some(rank(0.95))),
                "day {day}"
            );
            values.dedup();
            distinct = distinct.max(values.len());
        }
    }
    assert!(
        distinct >= 4,
        "the days checked have values that vary across replications"
    );
}

#[test]
fn daily_means_equal_the_mean_of_the_replications() {
    let s = shipped("weekly.toml");
    let r = run_plan(&s, &plan(8, 2));
    let reps: Vec<_> = (0..8).map(|i| common::run(&s, i, false)).collect();
    let series = r.series("Taocaicai", Metric::ActiveUsers).unwrap();
    for day in [0usize, 30, 120, 240] {
        let values: Vec<f64> = reps
            .iter()
            .map(|x| x.users.as_ref().unwrap().platforms[2].daily[day].active as f64)
            .collect();
        let mean = values.iter().sum::<f64>() / 8.0;
        assert_eq!(series.days[day].mean, Some(mean), "day {day}");
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let p50 = series.days[day].p50.unwrap();
        // Nearest-rank median from a histogram with 1% bins.
        assert!(
            (p50 - sorted[3]).abs() <= 0.005 * sorted[3],
            "day {day}: p50 {p50} vs {}",
            sorted[3]
        );
    }
}

/// The 95% interval of a mean must cover the true mean about 95% of the
/// time. Each "experiment" is a Monte Carlo run of 10 replications of an
/// M/M/1 queue whose mean utilisation is known exactly (rho = 0.5); over 100
/// independent experiments (disjoint replication indices via the seed) the
/// coverage count is Binomial(100, 0.95): it must lie within 4 of its
/// standard deviations (2.18) of 95.
#[test]
fn confidence_intervals_cover_the_true_mean_at_their_nominal_rate() {
    let text = r#"
[simulation]
horizon_days = 60

[gatekeeper]
reviewers = 1
one_version_under_review = false
[[gatekeeper.classes]]
name = "plain"
review_hours = { dist = "exponential", mean = 1 }

[[platforms]]
name = "poisson"
class = "plain"
cadence_days = { dist = "exponential", mean = 0.08333333333333333 }
first_build_days = { dist = "exponential", mean = 0.08333333333333333 }
"#;
    let mut covered = 0;
    for experiment in 0..100u64 {
        let mut s = common::scenario(text);
        s.seed = 1_000 + experiment;
        let r = run_plan(&s, &plan(10, 2));
        let h = r.headline("gatekeeper", Metric::Utilisation).unwrap();
        // Arrivals 0.5 per hour, service 1 per hour: utilisation 0.5.
        if h.stat.ci_low.unwrap() <= 0.5 && 0.5 <= h.stat.ci_high.unwrap() {
            covered += 1;
        }
    }
    let sd = (100.0f64 * 0.95 * 0.05).sqrt();
    assert!(
        (f64::from(covered) - 95.0).abs() <= 4.0 * sd,
        "coverage {covered} of 100"
    );
}

#[test]
fn a_precision_target_adds_fixed_batches_until_met_whatever_the_threads() {
    let s = shipped("weekly.toml");
    let p = |threads| Plan {
        replications: 10,
        precision: Some(0.01),
        max_replications: 1_000,
        threads,
    };
    let a = run_plan(&s, &p(1));
    let b = run_plan(&s, &p(2));
    assert_eq!(a.replications, b.replications);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    let report = a.precision.as_ref().unwrap();
    assert!(report.met, "{report:?}");
    assert!(a.replications == 10 || (a.replications - 10).is_multiple_of(gatesim::PRECISION_BATCH));
    for h in a
        .headlines
        .iter()
        .filter(|h| matches!(h.metric, Metric::ActiveUsersEnd | Metric::OrdersTotal))
    {
        let half = 0.5 * (h.stat.ci_high.unwrap() - h.stat.ci_low.unwrap());
        assert!(
            half <= 0.01 * h.stat.mean.unwrap().abs(),
            "{} {}: half-width {half}",
            h.scope,
            h.metric
        );
    }
}

#[test]
fn a_raised_stop_flag_interrupts_the_run() {
    let s = shipped("guizhou.toml");
    let stop = AtomicBool::new(true);
    let r = run(&s, &plan(50, 2), &stop, &|| {}, &|_| {});
    assert!(matches!(r, Err(gatesim::McError::Interrupted)));
}
