//! The power of `gatesim fit reviews` to find one platform whose reviews
//! are held longer, for the book ("Is one platform treated differently?"):
//!
//! ```sh
//! cargo run --release --example reviews_power [LOGS]
//! ```
//!
//! Four platforms build weekly and are reviewed alike (log-normal review
//! times, median 20 hours, sigma 0.6; 5% rejected; eight reviewers, so
//! that reviews seldom wait), except platform `H`, whose every submission
//! is first held a fixed time (0, 6, 12 or 24 hours). Each log is the
//! scenario's trace written as a review log (`trace --format log`), taken
//! at the end of the run; the run lasts 10, 25 or 50 weeks, so about
//! that many submissions per platform. For each hold and length, LOGS logs
//! (default 400; replications 0 to LOGS - 1 of a fixed seed) are analysed
//! as the command does and counted:
//!
//! - *Holm*: `H`'s log-rank test against all the others, Holm-adjusted
//!   over the four platforms, below 0.05;
//! - *found*: the command's finding, `H` set aside by the step-down (the
//!   platform it names as treated differently) and no other platform.
//!
//! Each share is printed with its Wilson 95% interval. With no hold the
//! shares are the tests' false alarms (at most 0.05 for Holm's).

use gatesim::reviews::{By, LogOptions, Reference, ReviewOptions, analyse, parse_log, trace_log_csv};
use gatesim::survival::{GroupedSample, Observation, logrank_each_vs_rest, wilson};
use gatesim::{load_scenario_str, trace_replication};
use rayon::prelude::*;
use std::path::Path;

/// The market: four weekly platforms, `H` held `hold` hours first.
fn scenario(hold_hours: f64, weeks: u32) -> String {
    let days = weeks * 7;
    let hold = hold_hours / 24.0;
    format!(
        r#"
name = "power"
[simulation]
seed = 20240917
horizon_days = {days}
replications = 1
[gatekeeper]
reviewers = 8
[[gatekeeper.classes]]
name = "standard"
review_hours = {{ dist = "lognormal", median = 20, sigma = 0.6 }}
rejection_probability = 0.05
[[gatekeeper.classes]]
name = "held"
hold_days = {hold}
review_hours = {{ dist = "lognormal", median = 20, sigma = 0.6 }}
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
cadence_days = {{ dist = "exponential", mean = 7 }}
[[platforms]]
name = "H"
class = "held"
cadence_days = 7
first_build_days = 4
"#
    )
}

/// Whether replication `r`'s log finds `H`: (Holm-adjusted log-rank
/// below 0.05, the command's finding), and H's submissions.
fn one_log(text: &str, r: u64, until: &str) -> (bool, bool, usize) {
    let s = load_scenario_str(text, Path::new("power.toml"), "power", &[])
        .expect("the scenario loads")
        .scenario;
    let trace = trace_replication(&s, r).expect("the replication runs");
    let csv = String::from_utf8(trace_log_csv(&trace)).expect("the log is UTF-8");
    let options = LogOptions {
        unit: None,
        until: Some(until.into()),
        by: By::Platform,
    };
    let log = parse_log(&csv, Path::new("power.csv"), &options).expect("gatesim's logs read back");
    let h = log.groups.iter().position(|g| g == "H").expect("H submits");
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
    let sample = GroupedSample::new(&obs, &groups, log.groups.len()).expect("the groups are counted");
    let holm = logrank_each_vs_rest(&sample)[h].holm_p_value.is_some_and(|p| p < 0.05);
    let a = analyse(
        &log,
        &ReviewOptions {
            reference: Reference::Largest,
        },
    )
    .expect("the log is analysed");
    let set_aside: Vec<usize> = a.step_down.set_aside.iter().map(|s| s.0).collect();
    let found = set_aside == [h];
    let submissions = groups.iter().filter(|&&g| g == h).count();
    (holm, found, submissions)
}

/// `k` of `n` with its Wilson interval, as `0.123 (0.100 to 0.150)`.
fn share(k: u64, n: u64) -> String {
    let s = wilson(k, n).expect("n > 0");
    format!("{:.3} ({:.3} to {:.3})", s.estimate, s.lower, s.upper)
}

fn main() {
    let logs: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(400);
    println!("{logs} logs per row; four weekly platforms, H held before each review\n");
    println!(
        "{:>6}  {:>6}  {:>15}  {:<28}  {:<28}",
        "hold", "weeks", "H submissions", "Holm-adjusted log-rank", "found (H alone set aside)"
    );
    for weeks in [10u32, 25, 50] {
        for hold in [0.0, 6.0, 12.0, 24.0] {
            let text = scenario(hold, weeks);
            let until = format!("{}", f64::from(weeks * 7) * 24.0);
            let (holm, found, subs) = (0..logs)
                .into_par_iter()
                .map(|r| {
                    let (h, f, s) = one_log(&text, r, &until);
                    (u64::from(h), u64::from(f), s as u64)
                })
                .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
            println!(
                "{:>5}h  {:>6}  {:>15.0}  {:<28}  {:<28}",
                hold,
                weeks,
                subs as f64 / logs as f64,
                share(holm, logs),
                share(found, logs)
            );
        }
    }
}
