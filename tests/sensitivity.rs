//! Sensitivity analyses of scenarios: a parameter with no path to a metric
//! gets indices of exactly zero under common random numbers; the tornado of
//! one parameter is the comparison of the same two scenarios, difference
//! and interval alike, and with a contrast its base is the comparison with
//! the contrast; Latin hypercube values land in their range, one per
//! stratum, and whole-number keys get whole numbers; an undefined metric is
//! named with its points and never analysed; bad declarations are refused
//! with their key paths; results do not depend on the number of threads.
//! Every scenario is small and short (60 days, 20,000 households), with
//! fixed seeds.

use crate::common;

use common::SMALL_SENSITIVITY as SMALL;
use gatesim::Metric;
use gatesim::overrides::parse as parse_set;
use gatesim::run_compare;
use gatesim::sensitivity::design_csv;
use gatesim::sensitivity::from_vary;
use gatesim::sensitivity::{Contrast, DesignOptions, Points, Probe, SensitivityRun, Study, StudyError, design, select};
use gatesim::sensitivity::{Design, Index, Method, SensitivityError};
use gatesim::thread_pool;
use gatesim::{Loaded, Resolved, Uncertain, load_scenario_str as load_str};
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn load(text: &str, sets: &[&str]) -> Loaded {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match load_str(text, Path::new("small.toml"), "small", &sets) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    }
}

fn probes(l: &Loaded, names: &[&str]) -> Vec<Probe> {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    select(&l.scenario, &names).unwrap()
}

/// What to analyse, and how.
struct Ask<'a> {
    method: Method,
    samples: Option<usize>,
    metrics: &'a [&'a str],
    replications: u64,
    threads: usize,
    against: Option<&'a Contrast>,
}

/// `method` on the default outputs, 1 replication, 2 threads.
fn ask(method: Method) -> Ask<'static> {
    Ask {
        method,
        samples: None,
        metrics: &[],
        replications: 1,
        threads: 2,
        against: None,
    }
}

/// Runs `a` on `parameters` of `l`.
fn analyse(l: &Loaded, parameters: &[Uncertain], a: Ask<'_>) -> Result<SensitivityRun, StudyError> {
    let mut options = DesignOptions::new(a.method);
    options.samples = a.samples;
    let d = design(parameters, &options, l.scenario.seed).unwrap();
    let resolved = Resolved::of(&l.raw);
    let probes = probes(l, a.metrics);
    Study {
        resolved: &resolved,
        scenario: &l.scenario,
        parameters,
        against: a.against,
        probes: &probes,
        named: !a.metrics.is_empty(),
        design: &d,
        replications: a.replications,
        threads: a.threads,
    }
    .run(&AtomicBool::new(false), &|| {})
}

fn estimate(run: &SensitivityRun, parameter: Option<&str>, scope: &str, metric: &str, index: Index) -> Option<f64> {
    run.result.record(parameter, scope, metric, index)?.estimate
}

#[test]
fn a_parameter_with_no_path_to_a_metric_gets_indices_of_exactly_zero() {
    // The engagement elasticity scales only the activity of those who stay
    // (step 6 of the user model: DAU and orders, drawn from the activity
    // stream); churn and adoption never read it. So under common random
    // numbers the users at the end are the same whatever its value, and
    // every index of it is exactly zero, while it does move orders.
    let l = load(SMALL, &[]);
    let metrics = ["Held.active_users_end", "Held.orders_total"];
    let sobol = analyse(
        &l,
        &l.uncertain,
        Ask {
            samples: Some(16),
            metrics: &metrics,
            ..ask(Method::Sobol)
        },
    )
    .unwrap();
    let morris = analyse(
        &l,
        &l.uncertain,
        Ask {
            samples: Some(6),
            metrics: &metrics,
            ..ask(Method::Morris)
        },
    )
    .unwrap();
    let elasticity = Some("users.engagement_elasticity");
    for index in [Index::FirstOrder, Index::Total] {
        let r = sobol
            .result
            .record(elasticity, "Held", "active_users_end", index)
            .unwrap();
        assert_eq!(
            (r.estimate, r.ci_low, r.ci_high),
            (Some(0.0), Some(0.0), Some(0.0)),
            "{index:?}"
        );
    }
    for index in [Index::Mu, Index::MuStar, Index::Sigma] {
        assert_eq!(
            estimate(&morris, elasticity, "Held", "active_users_end", index),
            Some(0.0),
            "{index:?}"
        );
    }
    // The staleness sensitivity does move the held platform's users, and
    // the elasticity its orders: the analysis sees real effects.
    let stale = estimate(
        &sobol,
        Some("users.churn_per_stale_day"),
        "Held",
        "active_users_end",
        Index::Total,
    )
    .unwrap();
    assert!(stale > 0.5, "total index of the staleness sensitivity {stale}");
    let on_orders = estimate(&morris, elasticity, "Held", "orders_total", Index::MuStar).unwrap();
    assert!(on_orders > 0.0);
}

#[test]
fn the_tornado_of_one_parameter_equals_the_comparison_of_the_same_two_scenarios() {
    let l = load(SMALL, &[]);
    let parameters = from_vary(&l.raw, &["users.churn_per_stale_day=0.001:0.016".into()]).unwrap();
    let run = analyse(
        &l,
        &parameters,
        Ask {
            replications: 8,
            ..ask(Method::Tornado)
        },
    )
    .unwrap();
    let high = load(SMALL, &["users.churn_per_stale_day=0.016"]).scenario;
    let c = run_compare(
        &[l.scenario.clone(), high],
        gatesim::Pairs::Baseline,
        8,
        2,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    let mut checked = 0;
    for scope in ["Open", "Held"] {
        for metric in Metric::USER_HEADLINES {
            let d = c.diffs[0]
                .headlines
                .iter()
                .find(|h| h.scope == scope && h.metric == metric)
                .unwrap();
            let rec = run
                .result
                .record(Some("users.churn_per_stale_day"), scope, metric.name(), Index::High)
                .unwrap();
            assert_eq!(rec.estimate, d.difference.mean, "{scope} {metric}");
            assert_eq!(
                (rec.ci_low, rec.ci_high),
                (d.difference.ci_low, d.difference.ci_high),
                "{scope} {metric}"
            );
            let base = run.result.record(None, scope, metric.name(), Index::Base).unwrap();
            assert_eq!(base.estimate, d.baseline.mean, "{scope} {metric}");
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
    // The held platform keeps fewer users when staleness drives churn harder.
    let held = estimate(
        &run,
        Some("users.churn_per_stale_day"),
        "Held",
        "active_users_end",
        Index::High,
    )
    .unwrap();
    assert!(held < 0.0, "{held}");
}

#[test]
fn with_a_contrast_the_base_is_the_comparison_with_the_contrast() {
    let l = load(SMALL, &[]);
    let contrast = Contrast {
        sets: vec![parse_set("platforms.Held.class=standard").unwrap()],
        label: "updating weekly".into(),
    };
    let run = analyse(
        &l,
        &l.uncertain,
        Ask {
            metrics: &["Held.active_users_end", "Held.orders_total"],
            replications: 6,
            against: Some(&contrast),
            ..ask(Method::Tornado)
        },
    )
    .unwrap();
    assert_eq!(run.against.as_deref(), Some("updating weekly"));
    let weekly = load(SMALL, &["platforms.Held.class=standard"]).scenario;
    let c = run_compare(
        &[weekly, l.scenario.clone()],
        gatesim::Pairs::Baseline,
        6,
        2,
        &AtomicBool::new(false),
        &|| {},
    )
    .unwrap();
    for metric in [Metric::ActiveUsersEnd, Metric::OrdersTotal] {
        let d = c.diffs[0]
            .headlines
            .iter()
            .find(|h| h.scope == "Held" && h.metric == metric)
            .unwrap();
        let base = run.result.record(None, "Held", metric.name(), Index::Base).unwrap();
        assert_eq!(base.estimate, d.difference.mean, "{metric}");
        assert_eq!((base.ci_low, base.ci_high), (d.difference.ci_low, d.difference.ci_high));
        // The block costs users and orders.
        assert!(base.ci_high.unwrap() < 0.0, "{metric}: {base:?}");
    }
}

/// The unit-interval position of `x` in `u`'s distribution (uniform or
/// log-uniform).
fn unit(u: &Uncertain, x: f64) -> f64 {
    let (lo, hi) = u.distribution.range();
    if u.distribution.describe().starts_with("log-uniform") {
        (x / lo).ln() / (hi / lo).ln()
    } else {
        (x - lo) / (hi - lo)
    }
}

#[test]
fn latin_hypercube_values_land_in_their_range_one_per_stratum_and_whole_number_keys_get_whole_numbers() {
    let l = load(SMALL, &[]);
    let n = 40;
    let mut options = DesignOptions::new(Method::Uncertainty);
    options.samples = Some(n);
    let d: Design = design(&l.uncertain, &options, l.scenario.seed).unwrap();
    assert_eq!(d.len(), n);
    for (k, u) in l.uncertain.iter().enumerate() {
        let (lo, hi) = u.distribution.range();
        let mut strata = vec![0; n];
        for x in d.points() {
            assert!(x[k] >= lo && x[k] <= hi, "{}: {} outside {lo} to {hi}", u.key, x[k]);
            if u.whole {
                assert_eq!(x[k], x[k].round(), "{}", u.key);
            } else {
                strata[((unit(u, x[k]) * n as f64) as usize).min(n - 1)] += 1;
            }
        }
        if !u.whole {
            assert!(strata.iter().all(|&c| c == 1), "{}: {strata:?}", u.key);
        }
    }
    // Each point's scenario carries the point's values.
    let resolved = Resolved::of(&l.raw);
    let points = Points {
        resolved: &resolved,
        parameters: &l.uncertain,
        design: &d,
        contrast: None,
    };
    points.check(&thread_pool(2).unwrap()).unwrap();
    for (i, x) in d.points().iter().enumerate() {
        let (s, contrast) = points.load(i).unwrap();
        let users = s.users.as_ref().unwrap();
        assert_eq!(users.sensitivities.churn_per_stale_day, x[0]);
        assert_eq!(users.sensitivities.engagement_elasticity, x[1]);
        assert_eq!(f64::from(users.cooloff_days), x[2]);
        assert!(contrast.is_none());
    }
}

/// A pipeline without users: a hold of a week or more lets nothing through
/// (each weekly build withdraws the held one), so no decision is made.
const PIPELINE: &str = r#"
name = "pipeline"
[simulation]
seed = 3
horizon_days = 60
[gatekeeper]
classes = [{ name = "standard", review_hours = 20, hold_days = 2 }]
[[platforms]]
name = "A"
class = "standard"
cadence_days = 7
"#;

#[test]
fn an_undefined_metric_is_named_with_its_points_and_never_analysed() {
    let l = load(PIPELINE, &[]);
    let parameters = from_vary(&l.raw, &["gatekeeper.classes[0].hold_days=1:20".into()]).unwrap();
    // Asked for by name: refused, naming the metric and the point (the
    // high end, point 2).
    let named = analyse(
        &l,
        &parameters,
        Ask {
            metrics: &["A.decision_hours_mean"],
            replications: 3,
            ..ask(Method::Tornado)
        },
    );
    match named {
        Err(StudyError::Analysis(SensitivityError::Undefined(u))) => {
            assert_eq!(u.len(), 1);
            assert_eq!(
                (u[0].scope.as_str(), u[0].metric.as_str()),
                ("A", "decision_hours_mean")
            );
            assert_eq!(u[0].points, [2]);
        }
        other => panic!("expected an undefined output, got {other:?}"),
    }
    // By default (a pipeline's headline metrics): left out and listed, the
    // others analysed.
    let run = analyse(
        &l,
        &parameters,
        Ask {
            replications: 3,
            ..ask(Method::Tornado)
        },
    )
    .unwrap();
    let skipped: Vec<&str> = run.skipped.iter().map(|u| u.metric.as_str()).collect();
    assert_eq!(
        skipped,
        [
            "decision_hours_mean",
            "decision_hours_p95",
            "decided_within_24h",
            "decided_within_7d"
        ]
    );
    assert!(run.skipped.iter().all(|u| u.points == [2]));
    let analysed: Vec<&str> = run.result.outputs.iter().map(|o| o.metric.as_str()).collect();
    assert_eq!(
        analysed,
        [
            "mean_staleness_days",
            "share_of_builds_released",
            "releases",
            "rejections"
        ]
    );
    let released = estimate(
        &run,
        Some("gatekeeper.classes[0].hold_days"),
        "A",
        "releases",
        Index::High,
    )
    .unwrap();
    assert!(released < 0.0, "a long hold releases fewer builds: {released}");
}

#[test]
fn bad_declarations_and_vary_flags_are_refused_with_their_key_paths() {
    let bad = |extra: &str| match load_str(&format!("{SMALL}{extra}"), Path::new("s.toml"), "s", &[]) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e.to_string(),
    };
    let e = bad("[[uncertain]]\nkey = \"users.churn_per_stale_dya\"\nlow = 0\nhigh = 1\n");
    assert!(e.contains("uncertain[3].key: unknown key path"), "{e}");
    assert!(e.contains("Did you mean `churn_per_stale_day`?"), "{e}");
    let e = bad("[[uncertain]]\nkey = \"users.adoption_per_day\"\nlow = 0.02\nhigh = 0.01\n");
    assert!(e.contains("uncertain[3].low: the range is empty"), "{e}");
    let e = bad("[[uncertain]]\nkey = \"users.adoption_per_day\"\nlow = 0.5\nhigh = 2\n");
    assert!(
        e.contains("uncertain[3].high: at its high end, users.adoption_per_day = 2.0, the scenario is invalid"),
        "{e}"
    );
    let e = bad("[[uncertain]]\nkey = \"users.cooloff_days\"\nlow = -3\nhigh = 2\n");
    assert!(
        e.contains("uncertain[3].low: at its low end, users.cooloff_days = -3"),
        "{e}"
    );
    let e = bad("[[uncertain]]\nkey = \"users.churn_alpha\"\nlow = 0\nhigh = 2\n");
    assert!(e.contains("uncertain[3].key"), "{e}");
    let e = bad("[[uncertain]]\nkey = \"users.adoption_per_day\"\nlow = 0.01\nhigh = 0.02\ncolour = 1\n");
    assert!(e.contains("unknown key `colour`"), "{e}");
    let l = load(SMALL, &[]);
    let problems = from_vary(
        &l.raw,
        &[
            "users.adoption_per_day=0.1:-0.1".into(),
            "platforms.Hold.users.churn_beta=1:2".into(),
            "users.appeal_half_life_days=normal:30:10".into(),
        ],
    )
    .unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect();
    assert_eq!(text.len(), 3, "{text:#?}");
    assert!(
        text[0].starts_with("--vary users.adoption_per_day=0.1:-0.1: the range is empty"),
        "{}",
        text[0]
    );
    assert!(
        text[1].contains("no entry of `platforms` is named \"Hold\". Did you mean `Held`?"),
        "{}",
        text[1]
    );
    assert!(
        text[2].contains("at its most extreme low value a design can draw")
            && text[2].contains("users.appeal_half_life_days: must be a number greater than 0"),
        "{}",
        text[2]
    );
}

#[test]
fn results_are_identical_for_one_and_two_threads() {
    let l = load(SMALL, &[]);
    let metrics = ["Held.active_users_end", "Open.orders_total"];
    for method in [Method::Sobol, Method::Uncertainty] {
        let one = analyse(
            &l,
            &l.uncertain,
            Ask {
                samples: Some(8),
                metrics: &metrics,
                replications: 2,
                threads: 1,
                ..ask(method)
            },
        )
        .unwrap();
        let two = analyse(
            &l,
            &l.uncertain,
            Ask {
                samples: Some(8),
                metrics: &metrics,
                replications: 2,
                ..ask(method)
            },
        )
        .unwrap();
        assert_eq!(one.result, two.result, "{method:?}");
        assert_eq!(one.evaluations, two.evaluations, "{method:?}");
        assert_eq!(
            design_csv(&one.design, &one.evaluations),
            design_csv(&two.design, &two.evaluations)
        );
    }
}
