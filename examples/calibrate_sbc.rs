//! Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and
//! Gelman 2018, "Validating Bayesian inference algorithms with
//! simulation-based calibration") of `gatesim calibrate` on a small
//! two-parameter scenario: one cohort of 1,000 users with nothing but
//! their own churn, whose two sBG parameters (churn_alpha, churn_beta) are
//! calibrated from the survivors on days 7, 30 and 60.
//!
//! For each of D data sets: draw (alpha, beta) from the prior, simulate one
//! replication at those values (seed 1,000,000 + the data set's number),
//! read its survivors, calibrate the two parameters to them (seed: the data
//! set's number) and note where the true values fall in the posterior: the
//! rank of each among L = 100 posterior draws (systematic resampling of the
//! weighted particles), and whether its central 90% credible interval
//! holds it. If the calibration is right, the ranks are uniform on 0 to 100
//! and the intervals hold the truth 90% of the time. The ranks are binned
//! in 10 bins of equal width (chi-square test of uniformity, 9 degrees of
//! freedom; passes when p > 0.001) and the coverage must lie within 83% to
//! 96%. It prints a table per parameter and the rank histograms, writes
//! each data set's truth, ranks and intervals to `FOLDER/sbc.csv`, and
//! exits with 1 if a check fails. `.ci/run` runs it:
//!
//! ```sh
//! cargo run --release --example calibrate_sbc -- [DATASETS] [PARTICLES] [BUDGET] [FOLDER]
//! # defaults: 100 data sets, 300 particles, 20,000 simulations each, target/sbc
//! ```

use gatesim::calibration::{CalibrationOptions, PosteriorSample, calibrate};
use gatesim::fitting::chi_square_sf;
use gatesim::sampling::stream;
use gatesim::{load_scenario_str, run_replication};
use rand::Rng;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The scenario: a cohort of 1,000 users over 60 days, nothing but their
/// own churn; the two sBG parameters are its uncertain keys.
const COHORT: &str = r#"
name = "sbc-cohort"
[simulation]
horizon_days = 60
seed = 1
[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24
[[platforms]]
name = "P"
class = "standard"
cadence_days = "never"
[platforms.users]
initial_users = 1000
churn_alpha = 1
churn_beta = 10
[users]
mode = "aggregate"
potential_users = 1000
adoption_per_day = 0
[[uncertain]]
key = "platforms.P.users.churn_alpha"
dist = { dist = "loguniform", low = 0.3, high = 3 }
[[uncertain]]
key = "platforms.P.users.churn_beta"
dist = { dist = "loguniform", low = 3, high = 30 }
"#;

/// The log-uniform priors' bounds, as in [`COHORT`].
const PRIOR: [(f64, f64); 2] = [(0.3, 3.0), (3.0, 30.0)];
/// The days observed.
const DAYS: [usize; 3] = [7, 30, 60];
/// Posterior draws a true value is ranked among.
const DRAWS: usize = 100;
/// Bins of the rank histogram.
const BINS: usize = 10;

/// One data set's outcome.
struct Outcome {
    /// The true values.
    truth: [f64; 2],
    /// The true values' ranks among [`DRAWS`] posterior draws.
    ranks: [usize; 2],
    /// The central 90% credible intervals.
    intervals: [(f64, f64); 2],
    /// Simulations used.
    simulations: u64,
    /// Why the calibration stopped.
    stopped: String,
}

/// A uniform number in [0, 1) from `rng`.
fn uniform(rng: &mut impl Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The weighted quantile `p` of parameter `k` of `post`.
fn quantile(post: &PosteriorSample, k: usize, p: f64) -> f64 {
    let mut order: Vec<usize> = (0..post.weights.len()).collect();
    order.sort_by(|&a, &b| post.particles[a][k].total_cmp(&post.particles[b][k]));
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += post.weights[i];
        if cumulative >= p {
            return post.particles[i][k];
        }
    }
    post.particles[order[order.len() - 1]][k]
}

/// [`DRAWS`] draws of parameter `k` of `post` by systematic resampling
/// with offset `u` in [0, 1).
fn draws(post: &PosteriorSample, k: usize, u: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(DRAWS);
    let mut cumulative = 0.0;
    let mut i = 0;
    for j in 0..DRAWS {
        let target = (j as f64 + u) / DRAWS as f64;
        while i + 1 < post.weights.len() && cumulative + post.weights[i] < target {
            cumulative += post.weights[i];
            i += 1;
        }
        out.push(post.particles[i][k]);
    }
    out
}

/// Data set `d`: its truth drawn from the prior, its survivors simulated
/// and calibrated.
fn data_set(d: u64, particles: usize, budget: u64) -> Result<Outcome, String> {
    let mut rng = stream(2018, d, "sbc/truth");
    let truth = PRIOR.map(|(lo, hi): (f64, f64)| (lo.ln() + uniform(&mut rng) * (hi.ln() - lo.ln())).exp());
    let sets = [
        format!("platforms.P.users.churn_alpha={}", truth[0]),
        format!("platforms.P.users.churn_beta={}", truth[1]),
        format!("simulation.seed={}", 1_000_000 + d),
    ];
    let file = Path::new("sbc-cohort.toml");
    let at = load_scenario_str(COHORT, file, "sbc-cohort", &sets).map_err(|e| e.to_string())?;
    let rep = run_replication(&at.scenario, 0, false).map_err(|e| e.to_string())?;
    let daily = &rep.users.ok_or("no users")?.platforms[0].daily;
    let mut csv = String::from("day,platform,metric,value\n");
    for &day in &DAYS {
        csv.push_str(&format!("{day},P,active_users,{}\n", daily[day].active));
    }
    let loaded = load_scenario_str(COHORT, file, "sbc-cohort", &[]).map_err(|e| e.to_string())?;
    let options = CalibrationOptions {
        particles,
        replications: 1,
        budget,
        generations: 30,
        seed: d,
        threads: 1,
    };
    let post = calibrate(&loaded, &loaded.uncertain, Path::new("observed.csv"), &csv, &options)?;
    let u = uniform(&mut rng);
    let ranks = [0, 1].map(|k| draws(&post, k, u).iter().filter(|&&x| x < truth[k]).count());
    let intervals = [0, 1].map(|k| (quantile(&post, k, 0.05), quantile(&post, k, 0.95)));
    Ok(Outcome {
        truth,
        ranks,
        intervals,
        simulations: post.simulations,
        stopped: post.stopped,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| -> Result<u64, String> {
        args.get(i)
            .map_or(Ok(default), |a| a.parse().map_err(|_| format!("not a number: {a}")))
    };
    let datasets = number(0, 100)?;
    let particles = number(1, 300)? as usize;
    let budget = number(2, 20_000)?;
    let folder = args.get(3).map_or_else(|| PathBuf::from("target/sbc"), PathBuf::from);
    std::fs::create_dir_all(&folder)?;
    let start = std::time::Instant::now();
    let outcomes: Vec<Outcome> = (0..datasets)
        .into_par_iter()
        .map(|d| data_set(d, particles, budget))
        .collect::<Result<_, _>>()?;
    let seconds = start.elapsed().as_secs_f64();
    let simulations: u64 = outcomes.iter().map(|o| o.simulations).sum();
    println!(
        "simulation-based calibration: {datasets} data sets from the prior, {particles} particles, \
         a budget of {budget} simulations each ({simulations} in all, {seconds:.1} s)"
    );
    let mut stops: Vec<(String, usize)> = Vec::new();
    for o in &outcomes {
        match stops.iter_mut().find(|(s, _)| *s == o.stopped) {
            Some((_, n)) => *n += 1,
            None => stops.push((o.stopped.clone(), 1)),
        }
    }
    for (s, n) in &stops {
        println!("  stopped {n} times: {s}");
    }
    let mut csv =
        String::from("dataset,alpha,beta,alpha_rank,beta_rank,alpha_q05,alpha_q95,beta_q05,beta_q95,simulations\n");
    for (d, o) in outcomes.iter().enumerate() {
        csv.push_str(&format!(
            "{d},{},{},{},{},{},{},{},{},{}\n",
            o.truth[0],
            o.truth[1],
            o.ranks[0],
            o.ranks[1],
            o.intervals[0].0,
            o.intervals[0].1,
            o.intervals[1].0,
            o.intervals[1].1,
            o.simulations
        ));
    }
    std::fs::write(folder.join("sbc.csv"), csv)?;
    println!();
    println!(
        "| parameter | chi-square (9 df) | p | 90% intervals holding the truth | rank histogram (10 bins of 0 to {DRAWS}) |"
    );
    println!("|---|---|---|---|---|");
    let mut ok = true;
    for (k, name) in ["churn_alpha", "churn_beta"].iter().enumerate() {
        let mut bins = [0usize; BINS];
        for o in &outcomes {
            bins[(o.ranks[k] * BINS / (DRAWS + 1)).min(BINS - 1)] += 1;
        }
        let expected = outcomes.len() as f64 / BINS as f64;
        let chi: f64 = bins.iter().map(|&b| (b as f64 - expected).powi(2) / expected).sum();
        let p = chi_square_sf(chi, (BINS - 1) as f64);
        let covered = outcomes
            .iter()
            .filter(|o| o.intervals[k].0 <= o.truth[k] && o.truth[k] <= o.intervals[k].1)
            .count();
        let coverage = covered as f64 / outcomes.len() as f64;
        let pass = p > 0.001 && (0.83..=0.96).contains(&coverage);
        ok &= pass;
        let hist: Vec<String> = bins.iter().map(|b| b.to_string()).collect();
        println!(
            "| {name} | {chi:.1} | {p:.3} | {covered} of {} ({:.0}%){} | {} |",
            outcomes.len(),
            100.0 * coverage,
            if pass { "" } else { " FAILS" },
            hist.join(" ")
        );
    }
    println!();
    println!("each data set: {}", folder.join("sbc.csv").display());
    if !ok {
        eprintln!("calibrate_sbc: the ranks are not uniform (p <= 0.001) or the coverage is outside 83% to 96%");
        std::process::exit(1);
    }
    Ok(())
}
