//! Helpers shared by the integration tests: load a scenario from TOML text
//! and run one replication of it; the text of an M/M/c queue; replay an
//! audit log ([`ledger`]).

#![allow(dead_code)]

pub mod cases;
pub mod chart_files;
pub mod csv_table;
pub mod ledger;
pub mod snapshot;

use gatesim::{Replication, run_replication};
use gatesim::{Scenario, load_scenario_str as load_str};
use std::path::Path;

/// Loads a scenario from TOML text, panicking with the loader's message.
pub fn scenario(text: &str) -> Scenario {
    match load_str(text, Path::new("test.toml"), "test", &[]) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

/// Runs replication `rep` of `s`.
pub fn run(s: &Scenario, rep: u64, trace: bool) -> Replication {
    run_replication(s, rep, trace).expect("the run schedules nothing in the past")
}

/// The sensitivity tests' small scenario: two platforms, one held
/// indefinitely, and the users (60 days, 20,000 households); three
/// uncertain keys.
pub const SMALL_SENSITIVITY: &str = r#"
name = "small"
[simulation]
seed = 7
horizon_days = 60
replications = 4
[gatekeeper]
reviewers = 2
classes = [
  { name = "standard", review_hours = { dist = "lognormal", median = 20, sigma = 0.6 } },
  { name = "blocked", review_hours = 20, hold_days = "never" },
]
[[platforms]]
name = "Open"
class = "standard"
cadence_days = 7
defects_per_day = 0.3
[platforms.users]
initial_users = 5000
initial_tenure_days = 90
churn_alpha = 0.704
churn_beta = 17.9
base_appeal = 3
orders_per_user_day = 0.3
[[platforms]]
name = "Held"
class = "blocked"
cadence_days = 7
defects_per_day = 0.3
[platforms.users]
initial_users = 5000
initial_tenure_days = 90
churn_alpha = 0.704
churn_beta = 17.9
base_appeal = 3
orders_per_user_day = 0.3
[users]
potential_users = 20000
adoption_per_day = 0.012
cooloff_days = 7
churn_per_stale_day = 0.004
churn_per_open_defect = 0.005
churn_per_appeal_gap = 0.05
engagement_elasticity = 0.5
choice_per_appeal = 0.1
choice_per_stale_day = 0.005
[[uncertain]]
key = "users.churn_per_stale_day"
dist = { dist = "loguniform", low = 0.001, high = 0.016 }
why = "unmeasured"
[[uncertain]]
key = "users.engagement_elasticity"
low = 0
high = 1
[[uncertain]]
key = "users.cooloff_days"
low = 0
high = 14
"#;

/// An M/M/c scenario: arrival rate `lambda` and service rate 1 per hour.
pub fn mmc(c: u32, lambda_per_hour: f64, horizon_days: u32, warmup_days: u32) -> String {
    mmc_with_rejections(c, lambda_per_hour, 0.0, horizon_days, warmup_days)
}

/// An M/M/c scenario whose reviews reject with probability `r`, each
/// rejected build resubmitted at once (a fix taking no time).
pub fn mmc_with_rejections(c: u32, lambda_per_hour: f64, r: f64, horizon_days: u32, warmup_days: u32) -> String {
    format!(
        r#"
[simulation]
seed = 42
horizon_days = {horizon_days}
warmup_days = {warmup_days}

[gatekeeper]
reviewers = {c}
one_version_under_review = false

[[gatekeeper.classes]]
name = "plain"
review_hours = {{ dist = "exponential", mean = 1 }}
rejection_probability = {r}

[[platforms]]
name = "poisson"
class = "plain"
cadence_days = {{ dist = "exponential", mean = {cadence} }}
first_build_days = {{ dist = "exponential", mean = {cadence} }}
fix_days = 0
"#,
        cadence = 1.0 / (lambda_per_hour * 24.0)
    )
}
