//! Mode "merged" (one churn draw per cohort, old groups merged) against the
//! exact aggregate representation: on the flagship and on a ten-year
//! market, the means across replications of active users, orders, DAU and
//! new users agree within 4 standard errors of their difference; and with
//! every effect off, the retention of weekly cohorts, drawn per cohort and
//! whose old groups merge, follows the shifted-beta-geometric closed form
//! within 4 standard errors.

use crate::common;

use gatesim::Summary;
use gatesim::UsersResult;
use gatesim::closed_form::ln_beta;
use gatesim::{Scenario, load_scenario as load};
use std::path::PathBuf;

fn flagship(sets: &[&str]) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/guizhou.toml");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(&path, &sets).expect("the flagship loads").scenario
}

fn users(s: &Scenario, reps: std::ops::Range<u64>) -> Vec<UsersResult> {
    reps.map(|r| common::run(s, r, false).users.expect("the scenario has users"))
        .collect()
}

/// Mean and standard error of `xs`.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let s = Summary::of(xs);
    (s.mean.unwrap(), s.sd.unwrap() / (xs.len() as f64).sqrt())
}

/// For every platform, the headline outcomes at `day` and over the run
/// agree in mean within 4 standard errors of the difference.
fn agree(exact: &[UsersResult], merged: &[UsersResult], day: usize) {
    type Read = fn(&UsersResult, usize, usize) -> f64;
    let reads: [(&str, Read); 4] = [
        ("active users", |u, p, d| u.platforms[p].daily[d].active as f64),
        ("DAU", |u, p, d| u.platforms[p].daily[d].dau as f64),
        ("orders so far", |u, p, d| {
            u.platforms[p].daily[..=d].iter().map(|x| x.orders as f64).sum()
        }),
        ("new users so far", |u, p, d| {
            u.platforms[p].daily[..=d].iter().map(|x| x.new_users as f64).sum()
        }),
    ];
    for p in 0..exact[0].platforms.len() {
        for (what, read) in reads {
            let e: Vec<f64> = exact.iter().map(|u| read(u, p, day)).collect();
            let m: Vec<f64> = merged.iter().map(|u| read(u, p, day)).collect();
            let ((me, se_e), (mm, se_m)) = (mean_se(&e), mean_se(&m));
            let se = (se_e * se_e + se_m * se_m).sqrt();
            assert!(
                (mm - me).abs() <= 4.0 * se,
                "platform {p}, {what} at day {day}: merged {mm:.1}, exact {me:.1}, se of the difference {se:.1}"
            );
        }
    }
}

#[test]
fn merged_groups_agree_with_the_exact_representation_on_the_flagship() {
    let exact = users(&flagship(&["users.mode=\"aggregate\""]), 0..40);
    let merged = users(&flagship(&["users.mode=\"merged\""]), 1000..1040);
    for day in [60, 150, 240] {
        agree(&exact, &merged, day);
    }
}

#[test]
fn merged_groups_agree_with_the_exact_representation_over_ten_years() {
    // One platform of the flagship's market for ten years: the exact
    // representation steps 3,650 groups a day by the end.
    let sets = [
        "simulation.horizon_days=3650",
        "platforms[1].users.initial_users=0",
        "platforms[2].users.initial_users=0",
        "platforms[1].users.base_utility=-30",
        "platforms[2].users.base_utility=-30",
    ];
    let mut exact_sets = sets.to_vec();
    exact_sets.push("users.mode=\"aggregate\"");
    let exact = users(&flagship(&exact_sets), 0..8);
    let mut merged_sets = sets.to_vec();
    merged_sets.push("users.mode=\"merged\"");
    let merged = users(&flagship(&merged_sets), 1000..1008);
    for day in [365, 1825, 3650] {
        agree(&exact[..], &merged[..], day);
    }
}

#[test]
fn retention_of_cohorts_whose_groups_merge_follows_the_shifted_beta_geometric_curve() {
    let (alpha, beta) = (0.704, 17.9);
    let s = common::scenario(&format!(
        r#"
[simulation]
horizon_days = 400

[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7

[platforms.users]
churn_alpha = {alpha}
churn_beta = {beta}

[users]
mode = "merged"
potential_users = 5000000
adoption_per_day = 0.01
"#
    ));
    let runs = users(&s, 0..12);
    let sbg = |t: f64| (ln_beta(alpha, beta + t) - ln_beta(alpha, beta)).exp();
    // Week 0's groups (days 1 to 7) merge from about day 40 on.
    for age in [7u64, 30, 60, 91, 182, 364, 392] {
        let xs: Vec<f64> = runs
            .iter()
            .map(|u| {
                let c = &u.platforms[0].cohorts[1];
                assert_eq!(c.label, "week 0");
                c.survivors_at(age).expect("the age is recorded") as f64 / c.size as f64
            })
            .collect();
        let (mean, se) = mean_se(&xs);
        let want = sbg(age as f64);
        assert!(
            (mean - want).abs() <= 4.0 * se,
            "age {age}: retention {mean:.6} (se {se:.2e}), sBG {want:.6}"
        );
    }
}
