//! The scenario library (scenarios/*.toml): every file loads, passes
//! `check`, runs (over a short horizon where the full one would be slow),
//! and shows what it was written to show. Statistical assertions use 95%
//! intervals that must not overlap, or 4 standard errors of a binomial
//! share.

use gatesim::Metric;
use gatesim::TraceKind;
use gatesim::run_replication;
use gatesim::{MonteCarloResult, Plan, run_monte_carlo};
use gatesim::{Scenario, load_scenario as load};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

fn path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file)
}

/// Loads `file` with `sets` and runs `replications` of it.
fn run(file: &str, sets: &[&str], replications: u64) -> (Scenario, MonteCarloResult) {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let loaded = load(&path(file), &sets).unwrap_or_else(|e| panic!("{e}"));
    let plan = Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads: 2,
    };
    let r = run_monte_carlo(&loaded.scenario, &plan, &AtomicBool::new(false), &|| {}, &|_| {})
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    (loaded.scenario, r)
}

/// The headline's (mean, ci_low, ci_high).
fn headline(r: &MonteCarloResult, scope: &str, m: Metric) -> (f64, f64, f64) {
    let h = r.headline(scope, m).unwrap_or_else(|| panic!("no {m} for {scope}"));
    let mean = h.stat.mean.unwrap();
    (mean, h.stat.ci_low.unwrap_or(mean), h.stat.ci_high.unwrap_or(mean))
}

/// `a`'s 95% interval lies entirely below `b`'s.
fn below(a: (f64, f64, f64), b: (f64, f64, f64)) -> bool {
    a.2 < b.1
}

/// The day's (mean, ci_low, ci_high) of a daily series.
fn day(r: &MonteCarloResult, scope: &str, m: Metric, d: usize) -> (f64, f64, f64) {
    let s = r
        .series(scope, m)
        .unwrap_or_else(|| panic!("no series {m} for {scope}"));
    let x = &s.days[d];
    let mean = x.mean.unwrap();
    (mean, x.ci_low.unwrap_or(mean), x.ci_high.unwrap_or(mean))
}

/// Per platform, the submission-to-decision times (hours) and whether each
/// decision was a rejection, over `replications` traced replications.
fn decisions(s: &Scenario, replications: u64) -> HashMap<usize, Vec<(f64, bool)>> {
    let mut out: HashMap<usize, Vec<(f64, bool)>> = HashMap::new();
    for rep in 0..replications {
        let trace = run_replication(s, rep, true).unwrap().trace.unwrap();
        let mut submitted: HashMap<usize, u64> = HashMap::new();
        for t in &trace {
            match (t.kind, t.submission, t.platform) {
                (TraceKind::Submit, Some(sub), _) => {
                    submitted.insert(sub, t.time_ms);
                }
                (TraceKind::Approve | TraceKind::Reject, Some(sub), Some(p)) => {
                    let hours = (t.time_ms - submitted[&sub]) as f64 / 3_600_000.0;
                    out.entry(p).or_default().push((hours, t.kind == TraceKind::Reject));
                }
                _ => {}
            }
        }
    }
    out
}

/// Asserts that the share `k / n` is within 4 binomial standard errors of `p`.
fn share_near(what: &str, k: usize, n: usize, p: f64) {
    let share = k as f64 / n as f64;
    let se = (p * (1.0 - p) / n as f64).sqrt();
    assert!(
        (share - p).abs() < 4.0 * se,
        "{what}: {share:.4} of {n}, expected {p:.4} ± 4 x {se:.4}"
    );
}

#[test]
fn every_scenario_in_the_library_is_covered_here() {
    let mut files: Vec<String> = std::fs::read_dir(path(""))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    let covered = [
        "app-store-24h.toml",
        "blocked.toml",
        "guizhou.toml",
        "host-scale.toml",
        "host-surge.toml",
        "phased-rollout.toml",
        "regulated-category.toml",
        "regulator-lifts-block.toml",
        "rejections.toml",
        "review-surge.toml",
        "weekly.toml",
    ];
    assert_eq!(
        files, covered,
        "a scenario in scenarios/ has no test in tests/library.rs"
    );
}

#[test]
fn every_new_library_scenario_opens_with_its_question_and_states_its_origins() {
    for file in [
        "app-store-24h.toml",
        "host-scale.toml",
        "host-surge.toml",
        "phased-rollout.toml",
        "regulated-category.toml",
        "regulator-lifts-block.toml",
        "rejections.toml",
        "review-surge.toml",
    ] {
        let text = std::fs::read_to_string(path(file)).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("#:schema ./gatesim.schema.json"), "{file}");
        assert!(lines.next().unwrap().starts_with("# Question: "), "{file}");
        assert!(text.contains("../shared/context.md"), "{file} cites no fact");
        assert!(text.contains("assumption"), "{file} marks no assumption");
        let loaded = load(&path(file), &[]).unwrap_or_else(|e| panic!("{e}"));
        assert!(!loaded.scenario.description.is_empty(), "{file}");
        assert!(loaded.scenario.replications <= 100, "{file} should run in seconds");
    }
}

#[test]
fn guizhou_blocks_taocaicai_while_its_rivals_release_weekly() {
    let (_, r) = run(
        "guizhou.toml",
        &["simulation.horizon_days=120", "changes[0].day=120"],
        20,
    );
    assert_eq!(headline(&r, "Taocaicai", Metric::ShareOfBuildsReleased).0, 0.0);
    for rival in ["Meituan Select", "Duoduo Maicai"] {
        assert!(headline(&r, rival, Metric::ShareOfBuildsReleased).0 > 0.9);
        assert!(below(
            headline(&r, "Taocaicai", Metric::ActiveUsersChangePct),
            headline(&r, rival, Metric::ActiveUsersChangePct)
        ));
    }
    assert!(headline(&r, "Taocaicai", Metric::ActiveUsersChangePct).2 < 0.0);
}

#[test]
fn weekly_lets_every_platform_release_and_blocked_stops_only_taocaicai() {
    let (_, weekly) = run("weekly.toml", &["simulation.horizon_days=120"], 20);
    let (_, blocked) = run("blocked.toml", &["simulation.horizon_days=120"], 20);
    for p in ["Meituan Select", "Duoduo Maicai", "Taocaicai"] {
        assert!(headline(&weekly, p, Metric::ShareOfBuildsReleased).0 > 0.9, "{p}");
        assert!(headline(&weekly, p, Metric::MeanStalenessDays).0 < 10.0, "{p}");
    }
    assert_eq!(headline(&blocked, "Taocaicai", Metric::ShareOfBuildsReleased).0, 0.0);
    assert!(below(
        headline(&weekly, "Taocaicai", Metric::MeanStalenessDays),
        headline(&blocked, "Taocaicai", Metric::MeanStalenessDays)
    ));
    // The rivals' pipelines are the same in both files (common random numbers).
    assert_eq!(
        headline(&weekly, "Meituan Select", Metric::Releases),
        headline(&blocked, "Meituan Select", Metric::Releases)
    );
}

#[test]
fn after_the_regulator_lifts_the_block_taocaicai_releases_again() {
    let (s, r) = run("regulator-lifts-block.toml", &["simulation.horizon_days=150"], 20);
    assert_eq!(s.changes[0].day, 90.0);
    let released = |d| day(&r, "Taocaicai", Metric::ReleasesCumulative, d);
    // Nothing before the lift in any replication...
    assert_eq!(released(89), (0.0, 0.0, 0.0));
    // ...then weekly releases: about 8 in the 60 days after it.
    let after = released(150);
    assert!(after.1 > 5.0 && after.2 < 10.0, "{after:?}");
    // Staleness falls back to the rivals' level by the end.
    let stale = day(&r, "Taocaicai", Metric::StalenessDays, 150);
    assert!(stale.0 < 15.0, "{stale:?}");
    assert!(day(&r, "Taocaicai", Metric::StalenessDays, 89).1 > 80.0);
}

#[test]
fn the_app_store_decides_about_ninety_percent_of_submissions_within_24_hours() {
    let (s, r) = run("app-store-24h.toml", &[], 20);
    let all: Vec<(f64, bool)> = decisions(&s, 60).into_values().flatten().collect();
    let n = all.len();
    assert!(n > 2000, "{n}");
    // Log-normal review, median 11 h, sigma 0.6, no queue: Phi(ln(24/11)/0.6).
    let within = all.iter().filter(|(h, _)| *h <= 24.0).count();
    share_near("decided within 24 h", within, n, 0.9033);
    let rejected = all.iter().filter(|(_, rej)| *rej).count();
    share_near("rejected", rejected, n, 0.2);
    // Nobody waits for a reviewer.
    assert_eq!(headline(&r, "gatekeeper", Metric::QueueWaitHoursMean).0, 0.0);
}

#[test]
fn the_surge_raises_the_queue_and_the_new_reviewers_clear_it() {
    let (_, r) = run("review-surge.toml", &[], 40);
    let waiting = |d| day(&r, "gatekeeper", Metric::Waiting, d);
    let before = (10..20).map(waiting).map(|x| x.2).fold(f64::MIN, f64::max);
    let surge_low = (28..40).map(waiting).map(|x| x.1).fold(f64::MAX, f64::min);
    let after = (60..=90).map(waiting).map(|x| x.2).fold(f64::MIN, f64::max);
    assert!(
        before < surge_low,
        "before the surge {before}, during it at least {surge_low}"
    );
    assert!(
        after < surge_low,
        "after the new reviewers {after}, during the surge at least {surge_low}"
    );
    assert!(surge_low > 2.0, "{surge_low}");
    assert_eq!(day(&r, "gatekeeper", Metric::Reviewers, 39).0, 2.0);
    assert_eq!(day(&r, "gatekeeper", Metric::Reviewers, 41).0, 6.0);
}

#[test]
fn a_careless_platform_is_rejected_thirty_percent_of_the_time_and_pays_for_it() {
    let (s, r) = run("rejections.toml", &[], 20);
    let careless = s.platforms.iter().position(|p| p.name == "Careless").unwrap();
    let d = decisions(&s, 40);
    let mine = &d[&careless];
    share_near(
        "Careless rejected",
        mine.iter().filter(|x| x.1).count(),
        mine.len(),
        0.3,
    );
    assert!(below(
        headline(&r, "Careless", Metric::ShareOfBuildsReleased),
        headline(&r, "Clean", Metric::ShareOfBuildsReleased)
    ));
    assert!(below(
        headline(&r, "Clean", Metric::MeanStalenessDays),
        headline(&r, "Careless", Metric::MeanStalenessDays)
    ));
    assert!(below(
        headline(&r, "Careless", Metric::ActiveUsersEnd),
        headline(&r, "Clean", Metric::ActiveUsersEnd)
    ));
}

#[test]
fn a_fifteen_day_phase_holds_back_weekly_builds_and_ages_the_version_users_run() {
    let (_, r) = run("phased-rollout.toml", &["simulation.horizon_days=120"], 20);
    assert!(below(
        headline(&r, "Phased", Metric::Releases),
        headline(&r, "All at once", Metric::Releases)
    ));
    assert!(below(
        headline(&r, "All at once", Metric::MeanStalenessDays),
        headline(&r, "Phased", Metric::MeanStalenessDays)
    ));
    // No new release while a phased one runs: at most one release per 15 days.
    assert!(headline(&r, "Phased", Metric::Releases).0 <= 120.0 / 15.0 + 1.0);
}

#[test]
fn in_a_regulated_category_only_slow_builders_or_exhausted_withdrawals_let_a_build_through() {
    let (_, r) = run("regulated-category.toml", &[], 20);
    // Every 5 days: each build withdraws the one in the 7-day hold, and 6
    // withdrawals a month never reach the cap of 10: nothing is released,
    // in any replication.
    assert_eq!(
        day(&r, "Every 5 days", Metric::ReleasesCumulative, 180),
        (0.0, 0.0, 0.0)
    );
    // Every 2 days: the monthly cap runs out after 10 withdrawals, the
    // held build then finishes its hold: about one release a month.
    let fast = headline(&r, "Every 2 days", Metric::Releases);
    assert!(fast.1 > 4.0 && fast.2 < 7.0, "{fast:?}");
    // Every 10 days: slower than hold and review; most builds go through.
    assert!(headline(&r, "Every 10 days", Metric::ShareOfBuildsReleased).0 > 0.8);
}

/// One replication of `file` over `horizon_days` (with its warm-up), on two
/// threads: the ecosystem scenarios take seconds per replication.
fn ecosystem(file: &str, horizon_days: u32) -> (Scenario, MonteCarloResult) {
    run(file, &[&format!("simulation.horizon_days={horizon_days}")], 1)
}

/// Per named platform, the submission-to-decision times (hours) of the
/// submissions made from `from` to `to` (days) in replication 0.
fn decision_hours_between(s: &Scenario, from: f64, to: f64) -> HashMap<usize, Vec<f64>> {
    let rows = gatesim::trace_replication(s, 0).unwrap().rows;
    let mut submitted: HashMap<usize, u64> = HashMap::new();
    let mut out: HashMap<usize, Vec<f64>> = HashMap::new();
    let day = |ms: u64| ms as f64 / 86_400_000.0;
    for r in &rows {
        match (r.kind, r.submission, r.platform) {
            (TraceKind::Submit, Some(sub), _) => {
                submitted.insert(sub, r.time_ms);
            }
            (TraceKind::Approve | TraceKind::Reject, Some(sub), Some(p)) => {
                let at = submitted[&sub];
                if day(at) >= from && day(at) < to {
                    out.entry(p).or_default().push((r.time_ms - at) as f64 / 3_600_000.0);
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
#[ignore = "host scale (tens of seconds): run by .ci/run, or `cargo test --test integration -- --ignored`"]
fn the_host_reviews_the_whole_ecosystem_and_decides_ninety_percent_within_a_day() {
    let loaded = load(&path("host-scale.toml"), &[]).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.scenario;
    let members: u64 = s.populations.iter().map(|p| u64::from(p.count)).sum();
    assert_eq!(members, 1_870_000);
    let named: Vec<&str> = s.platforms.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(named, ["Meituan Select", "Duoduo Maicai", "Taocaicai"]);
    assert!(s.users.is_some());
    let (_, r) = ecosystem("host-scale.toml", 120);
    // The reviewers are sized for the transparency report's 90% within 24 hours.
    let within = headline(&r, "gatekeeper", Metric::DecidedWithin24h).0;
    assert!(within >= 0.9, "{within}");
    // About 18,900 submissions a day, as the report's 6.89 million a year.
    let window = f64::from(120 - s.warmup_days);
    let per_day: f64 = s
        .populations
        .iter()
        .map(|p| headline(&r, &p.name, Metric::Submissions).0)
        .sum::<f64>()
        / window;
    assert!((per_day - 18_900.0).abs() < 0.05 * 18_900.0, "{per_day} a day");
    // A quarter of the reviews reject.
    let rejected: f64 = s
        .populations
        .iter()
        .map(|p| headline(&r, &p.name, Metric::Rejections).0)
        .sum();
    let decided: f64 = s
        .populations
        .iter()
        .map(|p| headline(&r, &p.name, Metric::Releases).0)
        .sum::<f64>()
        + rejected;
    assert!((rejected / decided - 0.256).abs() < 0.03, "{}", rejected / decided);
    // Inside it, Taocaicai's builds are held and its rivals' released.
    assert_eq!(headline(&r, "Taocaicai", Metric::ShareOfBuildsReleased).0, 0.0);
    for rival in ["Meituan Select", "Duoduo Maicai"] {
        assert!(headline(&r, rival, Metric::ShareOfBuildsReleased).0 > 0.8, "{rival}");
    }
    // The regulated category waits its 7 days, the others mostly a day.
    assert_eq!(headline(&r, "regulated", Metric::DecidedWithin24h).0, 0.0);
    assert!(headline(&r, "monthly", Metric::DecidedWithin24h).0 > 0.9);
}

#[test]
#[ignore = "host scale (tens of seconds): run by .ci/run, or `cargo test --test integration -- --ignored`"]
fn a_holiday_freeze_slows_the_rivals_reviews_until_the_backlog_clears() {
    let (base_s, base) = ecosystem("host-scale.toml", 150);
    let (surge_s, surge) = ecosystem("host-surge.toml", 150);
    let waiting = |r: &MonteCarloResult, d| day(r, "gatekeeper", Metric::Waiting, d).0;
    // The queue piles up during the freeze and falls back after it.
    assert!(
        waiting(&surge, 127) > 4.0 * waiting(&surge, 119),
        "{}",
        waiting(&surge, 127)
    );
    assert!(waiting(&surge, 149) < waiting(&surge, 127) / 4.0);
    assert_eq!(day(&surge, "gatekeeper", Metric::Reviewers, 121).0, 300.0);
    // The same builds (common random numbers) wait longer for a decision
    // in the weeks of the freeze and its backlog: the rivals are slowed too.
    let before = decision_hours_between(&base_s, 120.0, 135.0);
    let after = decision_hours_between(&surge_s, 120.0, 135.0);
    for rival in [0, 1] {
        let mean = |xs: &Vec<f64>| xs.iter().sum::<f64>() / xs.len() as f64;
        let (b, a) = (mean(&before[&rival]), mean(&after[&rival]));
        assert!(
            a > b + 24.0,
            "platform {rival}: {b:.1} h without the freeze, {a:.1} h with it"
        );
    }
    assert_eq!(headline(&base, "Taocaicai", Metric::Releases).0, 0.0);
}
