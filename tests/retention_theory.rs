//! The user model against retention theory and against itself: with every
//! experience effect off, a cohort's survival follows the shifted-beta-
//! geometric closed form (and is geometric when every user has the same
//! propensity), in both representations; the aggregate and per-user
//! representations agree on a small market with effects on; and blocking a
//! platform's updates costs it users, more the longer the block lasts, and
//! nothing when users do not care.

use crate::common;

use gatesim::Summary;
use gatesim::UsersResult;
use gatesim::closed_form::ln_beta;
use gatesim::{Scenario, load_scenario as load};
use std::path::PathBuf;

/// One platform whose users nothing affects: no adoption, no effects.
fn closed_market(mode: &str, users: u64, alpha: f64, beta: f64, horizon: u32) -> Scenario {
    common::scenario(&format!(
        r#"
[simulation]
horizon_days = {horizon}

[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7
defects_per_day = 1

[platforms.users]
initial_users = {users}
churn_alpha = {alpha}
churn_beta = {beta}
orders_per_user_day = 0.3

[users]
mode = "{mode}"
potential_users = {users}
adoption_per_day = 0
"#
    ))
}

fn users_of(s: &Scenario, rep: u64) -> UsersResult {
    common::run(s, rep, false).users.expect("the scenario has users")
}

/// Mean over replications of the initial cohort's retention at `ages`,
/// checked against `expected(age)` within 4 standard errors.
fn check_survival(s: &Scenario, reps: u64, ages: &[usize], expected: impl Fn(f64) -> f64) {
    let runs: Vec<UsersResult> = (0..reps).map(|r| users_of(s, r)).collect();
    for &age in ages {
        let xs: Vec<f64> = runs
            .iter()
            .map(|u| u.platforms[0].cohorts[0].retention(age).unwrap())
            .collect();
        let sum = Summary::of(&xs);
        let (mean, se) = (sum.mean.unwrap(), sum.sd.unwrap() / (xs.len() as f64).sqrt());
        let want = expected(age as f64);
        assert!(
            (mean - want).abs() <= 4.0 * se,
            "age {age}: simulated survival {mean:.6} (se {se:.2e}), theory {want:.6}"
        );
    }
}

fn sbg(alpha: f64, beta: f64) -> impl Fn(f64) -> f64 {
    move |t| (ln_beta(alpha, beta + t) - ln_beta(alpha, beta)).exp()
}

const AGES: [usize; 8] = [1, 2, 7, 14, 30, 60, 90, 119];

#[test]
fn aggregate_cohort_survival_follows_the_shifted_beta_geometric_curve() {
    // Fader and Hardie's published alpha with a daily beta.
    let s = closed_market("aggregate", 1_000_000, 0.704, 17.9, 120);
    check_survival(&s, 30, &AGES, sbg(0.704, 17.9));
}

#[test]
fn per_user_cohort_survival_follows_the_shifted_beta_geometric_curve() {
    let s = closed_market("agents", 20_000, 0.668, 3.806, 120);
    check_survival(&s, 20, &AGES, sbg(0.668, 3.806));
}

#[test]
fn identical_propensities_give_geometric_survival_in_both_representations() {
    // alpha + beta = 10^7 with mean 0.02: theta is 0.02 for everyone to within
    // 5e-5, so survival is (1 - 0.02)^t; the gap to the sBG curve is below 1e-6.
    let (alpha, beta) = (2e5, 9.8e6);
    let geometric = |t: f64| 0.98f64.powf(t);
    check_survival(
        &closed_market("aggregate", 1_000_000, alpha, beta, 120),
        20,
        &AGES,
        geometric,
    );
    check_survival(&closed_market("agents", 20_000, alpha, beta, 120), 20, &AGES, geometric);
}

/// A small two-platform market with every effect on and one platform blocked.
fn small_market(mode: &str) -> Scenario {
    common::scenario(&format!(
        r#"
[simulation]
horizon_days = 60

[gatekeeper]
reviewers = 2
[[gatekeeper.classes]]
name = "standard"
review_hours = {{ dist = "lognormal", median = 20, sigma = 0.5 }}
[[gatekeeper.classes]]
name = "blocked"
review_hours = 24
hold_days = "never"

[[platforms]]
name = "open"
class = "standard"
cadence_days = 7
defects_per_day = 0.5
appeal_per_build = {{ dist = "exponential", mean = 1 }}
[platforms.users]
initial_users = 1000
initial_tenure_days = 20
churn_alpha = 0.8
churn_beta = 15
base_appeal = 2
open_probability = 0.4
orders_per_user_day = 0.3
orders_shape = 0.5

[[platforms]]
name = "held"
class = "blocked"
cadence_days = 7
defects_per_day = 0.5
[platforms.users]
initial_users = 800
churn_alpha = 1.5
churn_beta = 30
base_appeal = 2
base_utility = 0.3
open_probability = 0.3
orders_per_user_day = 0.5
orders_shape = 2

[users]
mode = "{mode}"
potential_users = 3000
adoption_per_day = 0.02
cooloff_days = 3
staleness_grace_days = 7
churn_per_stale_day = 0.02
churn_per_open_defect = 0.02
churn_per_appeal_gap = 0.1
engagement_elasticity = 0.5
choice_per_appeal = 0.3
choice_per_open_defect = 0.05
choice_per_stale_day = 0.01
"#
    ))
}

#[test]
fn aggregate_and_per_user_representations_agree_on_a_small_market() {
    let reps = 150;
    let agg: Vec<UsersResult> = (0..reps).map(|r| users_of(&small_market("aggregate"), r)).collect();
    let ind: Vec<UsersResult> = (0..reps).map(|r| users_of(&small_market("agents"), r)).collect();
    for p in 0..2 {
        for day in [10usize, 30, 60] {
            type Pick = fn(&gatesim::UserDay) -> u64;
            let metrics: [(&str, Pick); 4] = [
                ("active users", |d| d.active),
                ("orders", |d| d.orders),
                ("dau", |d| d.dau),
                ("new users", |d| d.new_users),
            ];
            for (what, pick) in metrics {
                let a: Vec<f64> = agg.iter().map(|u| pick(&u.platforms[p].daily[day]) as f64).collect();
                let b: Vec<f64> = ind.iter().map(|u| pick(&u.platforms[p].daily[day]) as f64).collect();
                let (sa, sb) = (Summary::of(&a), Summary::of(&b));
                let se = (sa.sd.unwrap().powi(2) / reps as f64 + sb.sd.unwrap().powi(2) / reps as f64).sqrt();
                let diff = sa.mean.unwrap() - sb.mean.unwrap();
                assert!(
                    diff.abs() <= 4.0 * se,
                    "platform {p}, day {day}, {what}: aggregate {:.2}, per-user {:.2}, se of difference {se:.2}",
                    sa.mean.unwrap(),
                    sb.mean.unwrap()
                );
            }
        }
    }
}

#[test]
fn users_are_conserved_every_day_in_both_representations() {
    for mode in ["aggregate", "agents"] {
        for rep in 0..5 {
            let u = users_of(&small_market(mode), rep);
            for day in 0..=60 {
                let active: u64 = u.platforms.iter().map(|p| p.daily[day].active).sum();
                assert_eq!(u.pool[day] + active, 3000, "{mode}, replication {rep}, day {day}");
            }
        }
    }
}

fn shipped(file: &str, sets: &[&str]) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(&path, &sets).unwrap().scenario
}

/// Taocaicai's active users at the horizon in each of `reps` replications.
fn taocaicai_end(s: &Scenario, reps: u64) -> Vec<f64> {
    (0..reps)
        .map(|r| {
            let u = users_of(s, r);
            u.platforms[2].daily.last().unwrap().active as f64
        })
        .collect()
}

/// Mean and standard error of the paired differences `a - b`.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let s = Summary::of(&d);
    (s.mean.unwrap(), s.sd.unwrap_or(0.0) / (d.len() as f64).sqrt())
}

#[test]
fn a_blocked_platform_loses_users_and_loses_more_the_longer_the_block() {
    let reps = 10;
    // The block is lifted on day `b` (never, for the last).
    let lifted = |b: u32| {
        let mut s = shipped("blocked.toml", &[]);
        if b < s.horizon_days {
            s.changes.push(gatesim::PolicyChange {
                day: f64::from(b),
                change: gatesim::Change::PlatformClass { platform: 2, class: 0 },
            });
        }
        taocaicai_end(&s, reps)
    };
    let weekly = taocaicai_end(&shipped("weekly.toml", &[]), reps);
    let blocks = [0u32, 60, 120, 180, 240];
    let ends: Vec<Vec<f64>> = blocks.iter().map(|&b| lifted(b)).collect();
    // A block lifted on day 0 is no block: the weekly scenario, exactly.
    assert_eq!(ends[0], weekly);
    for w in 0..blocks.len() - 1 {
        let (diff, se) = paired(&ends[w], &ends[w + 1]);
        assert!(
            diff > 4.0 * se && diff > 0.0,
            "lifting the block on day {} instead of {} should keep more users: difference {diff:.0} (se {se:.0})",
            blocks[w],
            blocks[w + 1]
        );
    }
}

#[test]
fn with_every_sensitivity_at_zero_blocking_changes_nothing_for_users() {
    let off = [
        "users.churn_per_stale_day=0",
        "users.churn_per_open_defect=0",
        "users.churn_per_appeal_gap=0",
        "users.engagement_elasticity=0",
        "users.choice_per_appeal=0",
        "users.choice_per_open_defect=0",
        "users.choice_per_stale_day=0",
    ];
    let weekly = users_of(&shipped("weekly.toml", &off), 0);
    let blocked = users_of(&shipped("blocked.toml", &off), 0);
    for p in 0..3 {
        let strip = |u: &UsersResult| -> Vec<(u64, u64, u64, u64, u64)> {
            u.platforms[p]
                .daily
                .iter()
                .map(|d| (d.active, d.dau, d.orders, d.new_users, d.churned))
                .collect()
        };
        assert_eq!(strip(&weekly), strip(&blocked), "platform {p}");
    }
    // While with the sensitivities on, it does change.
    let weekly_on = users_of(&shipped("weekly.toml", &[]), 0);
    let blocked_on = users_of(&shipped("blocked.toml", &[]), 0);
    assert_ne!(
        weekly_on.platforms[2].daily.last(),
        blocked_on.platforms[2].daily.last()
    );
}
