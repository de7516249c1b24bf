//! Comparisons and sweeps: a scenario compared with itself differs by
//! exactly zero; the block costs Taocaicai users, with an interval that
//! excludes zero and common random numbers narrowing the rivals' intervals;
//! a sweep point is bit for bit a run with the same `--set`; and the users
//! Taocaicai keeps fall steadily the later the block is lifted.

use gatesim::Metric;
use gatesim::run_compare;
use gatesim::{MonteCarloResult, Plan, run_monte_carlo as run};
use gatesim::{Scenario, load_scenario as load};
use gatesim::{load_sweep_points as load_points, parse_sweep_param as parse, run_sweep};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::AtomicBool;

fn path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file)
}

fn shipped(file: &str) -> Scenario {
    load(&path(file), &[]).unwrap().scenario
}

fn fingerprint(r: &MonteCarloResult) -> String {
    format!("{:?}{:?}{:?}{:?}{:?}", r.headlines, r.rows, r.daily, r.cohorts, r.flows)
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let s = shipped("guizhou.toml");
    let r = run_compare(
        &[s.clone(), s],
        gatesim::Pairs::Baseline,
        6,
        2,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let d = &r.diffs[0];
    assert!(!d.headlines.is_empty() && !d.daily.is_empty());
    for h in &d.headlines {
        if let Some(m) = h.difference.mean {
            assert_eq!(m, 0.0, "{} {}", h.scope, h.metric);
            assert_eq!(h.difference.ci_low, Some(0.0));
            assert_eq!(h.difference.ci_high, Some(0.0));
        }
    }
    for s in &d.daily {
        assert!(s.days.iter().all(|x| x.mean == Some(0.0)), "{} {}", s.scope, s.metric);
    }
}

#[test]
fn the_block_costs_taocaicai_users_and_common_random_numbers_narrow_the_rivals_intervals() {
    let r = run_compare(
        &[shipped("weekly.toml"), shipped("blocked.toml")],
        gatesim::Pairs::Baseline,
        20,
        2,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let d = &r.diffs[0];
    let find = |scope: &str, metric: Metric| {
        d.headlines
            .iter()
            .find(|h| h.scope == scope && h.metric == metric)
            .unwrap()
    };
    for metric in [Metric::ActiveUsersEnd, Metric::OrdersTotal] {
        let lost = find("Taocaicai", metric);
        assert!(
            lost.difference.ci_high.unwrap() < 0.0,
            "{metric}: {:?}",
            lost.difference
        );
        let rival = find("Meituan Select", metric);
        assert!(rival.difference.ci_low.unwrap() > 0.0, "rivals gain {metric}");
        assert!(
            rival.variance_reduction.unwrap() > 2.0,
            "{metric}: {:?}",
            rival.variance_reduction
        );
    }
    // The daily difference of Taocaicai's users grows in size over time.
    let daily = d
        .daily
        .iter()
        .find(|s| s.scope == "Taocaicai" && s.metric == Metric::ActiveUsers)
        .unwrap();
    assert_eq!(daily.days[0].mean, Some(0.0));
    assert!(daily.days[240].mean.unwrap() < daily.days[120].mean.unwrap());
    assert!(daily.days[120].mean.unwrap() < 0.0);
}

#[test]
fn a_sweep_point_equals_a_run_with_the_same_set_bit_for_bit() {
    let params = vec![parse("changes[0].day=30,150").unwrap()];
    let points = load_points(
        &gatesim::load_scenario(&path("guizhou.toml"), &[]).unwrap(),
        &path("guizhou.toml"),
        &params,
    )
    .unwrap();
    let plan = Plan {
        replications: 4,
        precision: None,
        max_replications: 4,
        threads: 2,
    };
    let swept = run_sweep(
        vec!["changes[0].day".into()],
        vec!["day the block is lifted".into()],
        &points,
        &plan,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let direct = load(&path("guizhou.toml"), &["changes[0].day=150".into()])
        .unwrap()
        .scenario;
    let run_result = run(&direct, &plan, &AtomicBool::new(false), &|| {}, &|_| {}).unwrap();
    assert_eq!(swept.points[1].values, ["150"]);
    assert_eq!(fingerprint(&swept.points[1].result), fingerprint(&run_result));
    assert_ne!(fingerprint(&swept.points[0].result), fingerprint(&run_result));
}

#[test]
fn the_later_the_block_is_lifted_the_fewer_users_taocaicai_keeps() {
    let params = vec![parse("changes[0].day=0:240:40").unwrap()];
    let points = load_points(
        &gatesim::load_scenario(&path("guizhou.toml"), &[]).unwrap(),
        &path("guizhou.toml"),
        &params,
    )
    .unwrap();
    let plan = Plan {
        replications: 8,
        precision: None,
        max_replications: 8,
        threads: 2,
    };
    let r = run_sweep(
        vec!["changes[0].day".into()],
        vec!["day the block is lifted".into()],
        &points,
        &plan,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let users: Vec<f64> = r
        .points
        .iter()
        .map(|p| {
            p.result
                .headline("Taocaicai", Metric::ActiveUsersEnd)
                .unwrap()
                .stat
                .mean
                .unwrap()
        })
        .collect();
    assert_eq!(users.len(), 7);
    for w in users.windows(2) {
        assert!(w[1] < w[0], "not monotone: {users:?}");
    }
}

fn gatesim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gatesim")).args(args).output().unwrap()
}

#[test]
fn compare_and_sweep_write_their_files_and_refuse_bad_input_with_exit_code_2() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (w, b) = (path("weekly.toml"), path("blocked.toml"));
    let ok = gatesim(&[
        "compare",
        w.to_str().unwrap(),
        b.to_str().unwrap(),
        "-n",
        "3",
        "--out",
        o,
        "-q",
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let dir = out.path().join("compare-weekly-vs-blocked");
    for f in ["compare.json", "compare.md", "compare.csv"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("compare.json")).unwrap()).unwrap();
    assert_eq!(json["baseline"], "weekly");
    assert_eq!(json["replications"], 3);
    let g = path("guizhou.toml");
    let ok = gatesim(&[
        "sweep",
        g.to_str().unwrap(),
        "--param",
        "changes[0].day=0,120",
        "-n",
        "2",
        "--out",
        o,
        "-q",
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let csv = std::fs::read_to_string(out.path().join("sweep-guizhou/sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "a header and one row per point");
    assert!(csv.starts_with("changes[0].day,"));

    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    for args in [
        vec!["compare", w.to_str().unwrap(), "--out", e],
        vec![
            "sweep",
            g.to_str().unwrap(),
            "--param",
            "changes[0].day=0:10:0",
            "--out",
            e,
        ],
        vec![
            "sweep",
            g.to_str().unwrap(),
            "--param",
            "changes[0].dya=1,2",
            "--out",
            e,
        ],
        vec![
            "sweep",
            g.to_str().unwrap(),
            "--param",
            "changes[0].day=-5,2",
            "--out",
            e,
        ],
        vec!["sweep", g.to_str().unwrap(), "--out", e],
    ] {
        let bad = gatesim(&args);
        assert_eq!(
            bad.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&bad.stderr)
        );
        assert!(!String::from_utf8_lossy(&bad.stderr).contains("panicked"));
    }
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn after_an_automatic_warmup_a_paired_difference_is_the_difference_of_the_pooled_means() {
    // Poisson builds, 2.5 a day, exponential 24-hour reviews.
    let queue = |reviewers: u32, name: &str| {
        let text = crate::common::mmc(reviewers, 2.5 / 24.0, 600, 0)
            .replace("warmup_days = 0", "warmup_days = \"auto\"")
            .replace("mean = 1 }", "mean = 24 }");
        gatesim::load_scenario_str(&text, std::path::Path::new("queue.toml"), name, &[])
            .unwrap()
            .scenario
    };
    let r = run_compare(
        &[queue(3, "three"), queue(4, "four")],
        gatesim::Pairs::Baseline,
        12,
        2,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let h = r.diffs[0]
        .headlines
        .iter()
        .find(|h| h.scope == "gatekeeper" && h.metric == Metric::QueueWaitHoursMean)
        .unwrap();
    let pooled = |run: &MonteCarloResult| {
        run.headline("gatekeeper", Metric::QueueWaitHoursMean)
            .unwrap()
            .stat
            .mean
            .unwrap()
    };
    let (a, b) = (pooled(&r.runs[0]), pooled(&r.runs[1]));
    assert_eq!(h.baseline.mean, Some(a));
    assert_eq!(h.scenario.mean, Some(b));
    let d = h.difference.mean.unwrap();
    assert!((d - (b - a)).abs() <= 1e-9 * a.abs(), "{d} against {b} - {a}");
    // A fourth reviewer shortens the wait, and the interval says so.
    let (lo, hi) = (h.difference.ci_low.unwrap(), h.difference.ci_high.unwrap());
    assert!(lo <= d && d <= hi && hi < 0.0, "{d} in [{lo}, {hi}]");
}
