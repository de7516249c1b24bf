//! Populations: a population of n members is the same model as n named
//! platforms with the same settings (its members draw other random
//! numbers, keyed by member, so the two agree within their standard
//! errors, not exactly); queueing theory still holds when the arrivals
//! are a population's superposed builds (Erlang C at 1,000 reviewers); a
//! change of class moves every member at the start of its day; watched
//! members are measured as named platforms; the audit log names members.

use crate::common;

use gatesim::closed_form::mmc_mean_wait;
use gatesim::{Summary, TraceFilter, TraceKind, run_replication_traced};

/// The settings every actor of the comparison shares: weekly Poisson
/// builds against two reviewers (a queue forms), rejections fixed in a
/// day, phased releases, the host's withdrawal caps and expedited
/// resubmissions.
const SETTINGS: &str = r#"
class = "standard"
cadence_days = { dist = "exponential", mean = 7 }
first_build_days = { dist = "exponential", mean = 7 }
fix_days = { dist = "exponential", mean = 1 }
release_delay_hours = { dist = "exponential", mean = 6 }
phase_days = 2
expedite = "resubmissions"
initial_version_age_days = 5
"#;

/// The gatekeeper and run of the comparison, then `actors`.
fn scenario(actors: &str) -> String {
    format!(
        r#"
[simulation]
seed = 11
horizon_days = 90
warmup_days = 10

[gatekeeper]
reviewers = 2
withdrawals_per_day = 1
withdrawals_per_month = 3

[gatekeeper.expedite]
per_platform_per_year = 2
review_hours = 1

[[gatekeeper.classes]]
name = "standard"
review_hours = {{ dist = "lognormal", median = 3, sigma = 0.5 }}
hold_days = {{ dist = "exponential", mean = 0.5 }}
rejection_probability = 0.2
{actors}
"#
    )
}

/// Fifty named platforms with [`SETTINGS`].
fn named(n: usize) -> String {
    scenario(
        &(0..n)
            .map(|i| format!("[[platforms]]\nname = \"P{i}\"{SETTINGS}"))
            .collect::<String>(),
    )
}

/// A population of `n` members with [`SETTINGS`].
fn population(n: usize) -> String {
    scenario(&format!("[[populations]]\nname = \"apps\"\ncount = {n}{SETTINGS}"))
}

/// Per replication: submissions, releases, rejections, withdrawals, the
/// mean staleness (over days and actors), the mean decision time and the
/// share decided within 24 hours (both pooled over actors).
type Aggregates = [f64; 7];

fn from_named(text: &str, reps: u64) -> Vec<Aggregates> {
    let s = common::scenario(text);
    (0..reps)
        .map(|rep| {
            let r = common::run(&s, rep, false).result;
            let total = |f: &dyn Fn(usize) -> u64| (0..r.platforms.len()).map(f).sum::<u64>() as f64;
            let counts = |p: usize| &r.platforms[p].counts;
            let hours: Vec<f64> = r
                .platforms
                .iter()
                .flat_map(|p| p.decision_hours_values.iter().copied())
                .collect();
            let staleness =
                r.platforms.iter().map(|p| p.mean_staleness_days.unwrap()).sum::<f64>() / r.platforms.len() as f64;
            [
                total(&|p| counts(p).submissions),
                total(&|p| counts(p).releases),
                total(&|p| counts(p).rejections),
                total(&|p| counts(p).withdrawals),
                staleness,
                hours.iter().sum::<f64>() / hours.len() as f64,
                hours.iter().filter(|&&h| h <= 24.0).count() as f64 / hours.len() as f64,
            ]
        })
        .collect()
}

fn from_population(text: &str, reps: u64) -> Vec<Aggregates> {
    let s = common::scenario(text);
    (0..reps)
        .map(|rep| {
            let r = common::run(&s, rep, false).result;
            let p = &r.populations[0];
            [
                p.counts.submissions as f64,
                p.counts.releases as f64,
                p.counts.rejections as f64,
                p.counts.withdrawals as f64,
                p.mean_staleness_days.unwrap(),
                p.decision_hours_mean.unwrap(),
                p.decided_within_24h.unwrap(),
            ]
        })
        .collect()
}

#[test]
fn a_population_of_fifty_is_the_same_model_as_fifty_named_platforms() {
    let reps = 60;
    let a = from_named(&named(50), reps);
    let b = from_population(&population(50), reps);
    let names = [
        "submissions",
        "releases",
        "rejections",
        "withdrawals",
        "mean staleness",
        "mean decision hours",
        "decided within 24 h",
    ];
    for (i, name) in names.iter().enumerate() {
        let sa = Summary::of(&a.iter().map(|x| x[i]).collect::<Vec<_>>());
        let sb = Summary::of(&b.iter().map(|x| x[i]).collect::<Vec<_>>());
        let (ma, mb) = (sa.mean.unwrap(), sb.mean.unwrap());
        let se = (sa.sd.unwrap().powi(2) / reps as f64 + sb.sd.unwrap().powi(2) / reps as f64).sqrt();
        assert!(
            (ma - mb).abs() <= 4.0 * se,
            "{name}: 50 named platforms {ma:.4}, a population of 50 {mb:.4} (se of the difference {se:.4})"
        );
        // Something happens: the comparison is not of zeros.
        assert!(ma > 0.0, "{name}");
    }
}

/// An M/M/c queue fed by a population: `members` Poisson submitters whose
/// builds all queue on their own (no one-version rule), no holds, no
/// rejections, exponential reviews of mean 100 hours.
fn mmc_population(c: u32, utilisation: f64, members: u32) -> (String, f64) {
    let mu = 0.01;
    let lambda_per_day = utilisation * f64::from(c) * mu * 24.0;
    let cadence = f64::from(members) / lambda_per_day;
    let text = format!(
        r#"
[simulation]
seed = 1000
horizon_days = 1000
warmup_days = 60

[gatekeeper]
reviewers = {c}
one_version_under_review = false

[[gatekeeper.classes]]
name = "plain"
review_hours = {{ dist = "exponential", mean = 100 }}

[[populations]]
name = "submitters"
count = {members}
class = "plain"
cadence_days = {{ dist = "exponential", mean = {cadence} }}
first_build_days = {{ dist = "exponential", mean = {cadence} }}
"#
    );
    (text, mmc_mean_wait(lambda_per_day / 24.0, mu, c))
}

#[test]
#[ignore = "host scale (tens of seconds): run by .ci/run, or `cargo test --test integration -- --ignored`"]
fn erlang_c_holds_at_a_thousand_reviewers_and_utilisation_point_nine_with_superposed_members() {
    let (text, theory) = mmc_population(1000, 0.9, 20_000);
    let s = common::scenario(&text);
    let waits: Vec<f64> = (0..80)
        .map(|rep| {
            let g = common::run(&s, rep, false).result.gatekeeper;
            g.reviewed_wait_hours.mean.unwrap()
        })
        .collect();
    let sum = Summary::of(&waits);
    let mean = sum.mean.unwrap();
    let se = sum.sd.unwrap() / (waits.len() as f64).sqrt();
    assert!(
        (mean - theory).abs() <= 4.0 * se,
        "M/M/1000 at utilisation 0.9: simulated mean wait {mean:.5} h (se {se:.5}), Erlang C {theory:.5} h"
    );
    // The test can tell: the wait (about 2 seconds: only 0.06% of the
    // submissions find every reviewer busy) is known to a quarter.
    assert!(se < theory / 4.0, "theory {theory}, se {se}");
}

#[test]
fn a_change_moves_every_member_of_a_population_at_the_start_of_its_day() {
    let text = r#"
[simulation]
seed = 5
horizon_days = 30

[gatekeeper]
reviewers = 4

[[gatekeeper.classes]]
name = "standard"
review_hours = 2

[[gatekeeper.classes]]
name = "blocked"
review_hours = 2
hold_days = "never"

[[populations]]
name = "apps"
count = 40
class = "standard"
cadence_days = 3

[[changes]]
day = 10
population = "apps"
class = "blocked"
"#;
    let s = common::scenario(text);
    let filter = TraceFilter::everything(0, 1);
    let trace = run_replication_traced(&s, 0, Some(filter)).unwrap().trace.unwrap();
    let day = |ms: u64| ms / 86_400_000;
    let change = trace.iter().position(|r| r.kind == TraceKind::ClassChange).unwrap();
    assert_eq!(trace[change].time_ms, 10 * 86_400_000);
    assert_eq!((trace[change].population, trace[change].member), (Some(0), None));
    // Nothing is approved after the change that was submitted at or after it.
    let submitted_after: Vec<usize> = trace[change..]
        .iter()
        .filter(|r| r.kind == TraceKind::Submit)
        .filter_map(|r| r.submission)
        .collect();
    assert!(!submitted_after.is_empty());
    assert!(
        trace
            .iter()
            .filter(|r| r.kind == TraceKind::Approve)
            .all(|r| !submitted_after.contains(&r.submission.unwrap())),
        "a build submitted after the block was approved"
    );
    // Before it, members released; every member record names its member.
    assert!(
        trace
            .iter()
            .any(|r| r.kind == TraceKind::ReleaseStart && day(r.time_ms) < 10)
    );
    assert!(
        trace
            .iter()
            .filter(|r| r.kind == TraceKind::Build)
            .all(|r| r.population == Some(0) && r.member.is_some_and(|m| m < 40))
    );
    // The population's daily record shows the block: no release from day 11 on.
    let r = common::run(&s, 0, false).result;
    let daily = &r.populations[0].daily;
    assert!(daily[12..].iter().all(|d| d.releases == 0));
    assert!(daily[1..10].iter().map(|d| d.releases).sum::<u64>() > 0);
}

#[test]
fn a_watched_member_is_measured_as_a_named_platform_and_its_population_counts_it() {
    let mut text = population(20);
    text.push_str("watch = [3, 7]\n");
    let s = common::scenario(&text);
    let r = common::run(&s, 0, false).result;
    let names: Vec<&str> = r.watched.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["apps#3", "apps#7"]);
    let days = s.horizon_days as usize + 1;
    for w in &r.watched {
        assert_eq!(w.daily.len(), days);
        // Its cumulative submissions never fall, and its releases are its own.
        assert!(w.daily.windows(2).all(|d| d[0].submissions <= d[1].submissions));
        assert_eq!(w.releases.len() as u64, w.daily.last().unwrap().releases);
    }
    // The population's submissions count every member, the watched ones too.
    let total: u64 = r.populations[0].daily.iter().map(|d| d.submissions).sum();
    let watched: u64 = r.watched.iter().map(|w| w.daily.last().unwrap().submissions).sum();
    assert!(total >= watched && watched > 0);
}
