//! `gatesim fit reviews` against published figures and against gatesim's
//! own simulations: the 6-MP/placebo data (Freireich et al. 1963, Gehan
//! 1965) written as a review log give the published Kaplan-Meier medians
//! and intervals, restricted means, log-rank statistic and Cox hazard
//! ratio; logs simulated by gatesim where every platform is reviewed alike
//! reject at the level asked for (1,000 logs, fixed seed); the Guizhou
//! scenario's blocked platform is found different and its rivals not; and
//! a log drawn from the scenario, fitted and pasted back, runs to
//! decision-time curves within the original's bands. Tolerances: half the
//! last published digit, or 4 standard errors.

use gatesim::reviews::{
    By, ClassReview, Hazard, LogOptions, Reference, ReviewLog, ReviewOptions, analyse, parse_log, read_log,
    scenario_lines, trace_log_csv,
};
use gatesim::survival::{BandScale, GroupedSample, KaplanMeier, Observation, kaplan_meier, logrank_each_vs_rest};
use gatesim::{Scenario, load_scenario, load_scenario_str, trace_replication};
use std::path::{Path, PathBuf};

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn options(until: &str) -> LogOptions {
    LogOptions {
        unit: None,
        until: Some(until.into()),
        by: By::Platform,
    }
}

/// |got - printed| within half a unit of the printed value's last digit.
fn printed(got: f64, value: f64, decimals: i32) {
    let half = 0.5 * 10f64.powi(-decimals) + 1e-12;
    assert!(
        (got - value).abs() <= half,
        "{got} is not {value} to {decimals} decimals"
    );
}

/// The review log of replication `r` of `s`, taken at the end of the run.
fn simulated_log(s: &Scenario, r: u64) -> ReviewLog {
    let trace = trace_replication(s, r).expect("the replication runs");
    let text = String::from_utf8(trace_log_csv(&trace)).expect("the log is UTF-8");
    let until = format!("{}", f64::from(s.horizon_days) * 24.0);
    parse_log(&text, Path::new("simulated.csv"), &options(&until)).expect("gatesim's logs read back")
}

/// Each group's observations in `log`.
fn observations(log: &ReviewLog, group: usize) -> Vec<Observation> {
    log.group
        .iter()
        .zip(&log.hours)
        .zip(&log.outcome)
        .filter(|((g, _), _)| **g as usize == group)
        .map(|((_, &time), o)| Observation {
            time,
            event: o.decided(),
        })
        .collect()
}

/// The 6-MP/placebo data as a review log (`scenarios/data/gehan_log.csv`:
/// weeks as hours, 6-MP's censored patients half withdrawn, half pending at
/// --until), through the reader and the analysis. Published figures: R's
/// print(survfit(Surv(time, cens) ~ drug, data = gehan), rmean = "common")
/// with log-log bands (Stata's sts list) gives medians 23 (13, NA) and 8 (4,
/// 11) and restricted means up to 35 weeks of 23.29 (se 2.83) and 8.67 (se
/// 1.38); survdiff's chi-square is 16.79 on 1 df (Stata; R prints 16.8);
/// coxph (Efron) gives the hazard ratio of placebo against 6-MP 4.817 (95%
/// interval 2.147 to 10.81), Wald p 1.378e-4, likelihood-ratio p 5.261e-5,
/// score p 3.283e-5 (G. Rodriguez, Princeton WWS 509,
/// grodri.github.io/survival).
#[test]
fn the_gehan_data_as_a_review_log_give_the_published_figures() {
    let log = read_log(&repository("scenarios/data/gehan_log.csv"), &options("200")).unwrap();
    assert_eq!(log.groups, ["6-MP", "placebo"]);
    let a = analyse(
        &log,
        &ReviewOptions {
            reference: Reference::Named("6-MP".into()),
        },
    )
    .unwrap();
    let (six, placebo) = (&a.groups[0], &a.groups[1]);
    assert_eq!((six.submissions, six.approved + six.rejected), (21, 9));
    assert_eq!((six.withdrawn, six.pending), (6, 6));
    let m = six.figures.median;
    assert_eq!((m.estimate, m.lower, m.upper), (Some(23.0), Some(13.0), None));
    let m = placebo.figures.median;
    assert_eq!((m.estimate, m.lower, m.upper), (Some(8.0), Some(4.0), Some(11.0)));
    assert_eq!(a.tau, 35.0);
    printed(six.figures.restricted_mean.unwrap(), 23.29, 2);
    printed(six.figures.restricted_mean_se.unwrap(), 2.83, 2);
    printed(placebo.figures.restricted_mean.unwrap(), 8.67, 2);
    printed(placebo.figures.restricted_mean_se.unwrap(), 1.38, 2);
    let global = &a.global;
    printed(global.statistic.unwrap(), 16.79, 2);
    assert_eq!(global.df, Some(1));
    // With two groups each against the other is the same test.
    for g in &a.groups {
        printed(g.vs_all.unwrap().statistic, 16.79, 2);
    }
    assert!(a.step_down.last_two_differ);
    match placebo.hazard {
        Hazard::Ratio {
            ratio,
            lower,
            upper,
            wald_p,
            likelihood_ratio_p,
            score_p,
        } => {
            printed(ratio, 4.817, 3);
            printed(lower, 2.147, 3);
            printed(upper, 10.81, 2);
            assert!((wald_p / 1.378e-4 - 1.0).abs() < 1e-3, "{wald_p}");
            assert!((likelihood_ratio_p / 5.261e-5 - 1.0).abs() < 1e-3);
            assert!((score_p.unwrap() / 3.283e-5 - 1.0).abs() < 1e-3);
        }
        ref other => panic!("no hazard ratio: {other:?}"),
    }
    assert_eq!(six.hazard, Hazard::Reference);
}

/// A pipeline-only market of four platforms reviewed alike (one class),
/// building weekly for 240 days.
const ALIKE: &str = r#"
name = "alike"
[simulation]
seed = 20240601
horizon_days = 240
replications = 1
[gatekeeper]
reviewers = 8
[[gatekeeper.classes]]
name = "standard"
review_hours = { dist = "lognormal", median = 20, sigma = 0.6 }
rejection_probability = 0.05
[[platforms]]
name = "A"
class = "standard"
cadence_days = 7
[[platforms]]
name = "B"
class = "standard"
cadence_days = 7
first_build_days = 2
[[platforms]]
name = "C"
class = "standard"
cadence_days = { dist = "exponential", mean = 7 }
[[platforms]]
name = "D"
class = "standard"
cadence_days = 3.5
"#;

/// Under equal treatment the per-platform log-rank test (each against all
/// the others) rejects at level 0.05 in 5% of logs: 1,000 logs simulated
/// by gatesim (fixed seed), platform A's test counted once a log so that
/// the counts are independent; the share must fall within 4 binomial
/// standard errors of 0.05 (0.0224 to 0.0776). Every platform's tests
/// together, correlated within a log, are checked with a wider margin.
#[test]
fn the_log_rank_test_of_each_platform_holds_its_level_over_a_thousand_simulated_logs() {
    let s = load_scenario_str(ALIKE, Path::new("alike.toml"), "alike", &[])
        .unwrap()
        .scenario;
    let logs = 1000u64;
    let (mut first, mut all, mut tests) = (0u64, 0u64, 0u64);
    for r in 0..logs {
        let log = simulated_log(&s, r);
        let obs: Vec<Observation> = log
            .hours
            .iter()
            .zip(&log.outcome)
            .map(|(&time, o)| Observation {
                time,
                event: o.decided(),
            })
            .collect();
        let groups: Vec<usize> = log.group.iter().map(|&g| g as usize).collect();
        let sample = GroupedSample::new(&obs, &groups, log.groups.len()).unwrap();
        for t in logrank_each_vs_rest(&sample) {
            let Some(test) = t.test else { continue };
            let rejects = test.p_value < 0.05;
            tests += 1;
            all += u64::from(rejects);
            if log.groups[t.group] == "A" {
                first += u64::from(rejects);
            }
        }
    }
    let share = first as f64 / logs as f64;
    let se = (0.05 * 0.95 / logs as f64).sqrt();
    eprintln!(
        "platform A rejected in {first} of {logs} logs ({share:.4}); all platforms {all} of {tests} ({:.4})",
        all as f64 / tests as f64
    );
    assert!((share - 0.05).abs() <= 4.0 * se, "{share}");
    let all_share = all as f64 / tests as f64;
    assert!((all_share - 0.05).abs() <= 8.0 * se, "{all_share}");
}

/// The shipped example log is replication 0 of the Guizhou scenario, as
/// `gatesim trace --format log` draws it; in it the blocked platform,
/// Taocaicai, is found different (adjusted p < 0.001) and its rivals not.
#[test]
fn in_the_guizhou_log_the_blocked_platform_differs_and_its_rivals_do_not() {
    let s = load_scenario(&repository("scenarios/guizhou.toml"), &[])
        .unwrap()
        .scenario;
    let trace = trace_replication(&s, 0).unwrap();
    let shipped = std::fs::read(repository("scenarios/data/review_log.csv")).unwrap();
    assert!(
        trace_log_csv(&trace) == shipped,
        "scenarios/data/review_log.csv is not replication 0 of scenarios/guizhou.toml: \
         regenerate it with gatesim trace scenarios/guizhou.toml --format log --out scenarios/data/review_log.csv"
    );
    let log = read_log(&repository("scenarios/data/review_log.csv"), &options("5760")).unwrap();
    let a = analyse(
        &log,
        &ReviewOptions {
            reference: Reference::Largest,
        },
    )
    .unwrap();
    let name = |g: usize| a.groups[g].name.as_str();
    assert_eq!(a.step_down.set_aside.len(), 1);
    let (g, t) = a.step_down.set_aside[0];
    assert_eq!(name(g), "Taocaicai");
    assert!(t.adjusted < 0.001, "{t:?}");
    assert_eq!(a.groups[g].approved + a.groups[g].rejected, 0);
    for (g, t) in &a.step_down.alike {
        let t = t.expect("the rivals are tested");
        assert!(t.adjusted >= 0.05, "{} {t:?}", name(*g));
    }
    assert!(!a.step_down.last_two_differ);
    match &a.groups[g].hazard {
        Hazard::None { diverges, .. } => assert_eq!(*diverges, Some("zero")),
        other => panic!("{other:?}"),
    }
    let classes: Vec<&str> = a.classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(classes, ["typical", "never-decided"]);
    assert_eq!(a.classes[1].review, ClassReview::Never);
}

/// S at `t` of `km`, and its pointwise band there.
fn band_at(km: &KaplanMeier, t: f64) -> (f64, f64, f64) {
    let i = km.steps.partition_point(|s| s.time <= t);
    if i == 0 {
        return (1.0, 1.0, 1.0);
    }
    let s = km.steps[i - 1];
    (s.survival, s.lower.unwrap_or(0.0), s.upper.unwrap_or(1.0))
}

/// The round trip: the Guizhou log (replication 0) is fitted, its review
/// classes pasted after the scenario's own and its platforms given their
/// classes with the printed `--set` lines; 20 replications of the pasted
/// scenario give decision-time curves that lie within the original log's
/// 95% bands at its quartiles, and the platform never decided is still
/// never decided.
#[test]
fn a_log_fitted_and_pasted_back_runs_to_curves_within_the_original_bands() {
    let path = repository("scenarios/guizhou.toml");
    let log = read_log(&repository("scenarios/data/review_log.csv"), &options("5760")).unwrap();
    let a = analyse(
        &log,
        &ReviewOptions {
            reference: Reference::Largest,
        },
    )
    .unwrap();
    let (classes, sets) = scenario_lines(&log, &a);
    let text = std::fs::read_to_string(&path).unwrap();
    let end = text.find("[[platforms]]").unwrap();
    let pasted = format!("{}{}\n\n{}", &text[..end], classes.join("\n"), &text[end..]);
    let overrides: Vec<String> = sets
        .iter()
        .filter_map(|l| l.strip_prefix("--set "))
        .map(|l| l.trim_matches('\'').to_string())
        .collect();
    assert_eq!(overrides.len(), 4, "{sets:?}");
    let s = load_scenario_str(&pasted, &path, "guizhou", &overrides)
        .unwrap_or_else(|e| panic!("the pasted scenario loads: {e}\n{pasted}"))
        .scenario;
    let replications = 20;
    let reruns: Vec<ReviewLog> = (0..replications).map(|r| simulated_log(&s, r)).collect();
    for (g, name) in log.groups.iter().enumerate() {
        let original = kaplan_meier(&observations(&log, g), BandScale::LogLog).unwrap();
        let again: Vec<Observation> = reruns
            .iter()
            .flat_map(|l| {
                let h = l.groups.iter().position(|n| n == name).expect("the platform is there");
                observations(l, h)
            })
            .collect();
        let rerun = kaplan_meier(&again, BandScale::LogLog).unwrap();
        if original.events == 0 {
            assert_eq!(
                rerun.events, 0,
                "{name} was never decided, and is decided after the round trip"
            );
            continue;
        }
        for p in [0.25, 0.5, 0.75] {
            let t = original.quantile(p).unwrap().time.expect("the quartile is reached");
            let (s0, lo, hi) = band_at(&original, t);
            let s1 = rerun.survival_at(t).unwrap();
            eprintln!("{name}: at {t:.1} h the log's S is {s0:.3} ({lo:.3} to {hi:.3}), the round trip's {s1:.3}");
            assert!(
                (lo..=hi).contains(&s1),
                "{name} at {t} h: {s1} outside the original band {lo} to {hi}"
            );
        }
    }
}
