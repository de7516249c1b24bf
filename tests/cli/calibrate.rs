//! End-to-end tests of `gatesim calibrate`: the real program on small
//! scenarios in temporary folders. Against an exact posterior: one cohort
//! of users, nothing but their own churn, observed on three days, has the
//! shifted-beta-geometric likelihood, and the calibrated posterior of its
//! two parameters agrees with the exact posterior computed on a grid. The
//! files, charts and report it writes; one and two threads give the same
//! bytes; a calibration sharded generation by generation (shards, merge,
//! `--resume`) gives the unsharded calibration byte for byte; a contrast
//! with nothing changed costs exactly nothing (common random numbers);
//! `sensitivity --posterior` draws its points from the posterior; and bad
//! data, flags and saved states are refused with exit code 2, the file and
//! line, and nothing written.

use super::{absent_or_empty, gatesim, names_in, read_json, s, tmp};
use gatesim::closed_form::ln_beta;
use gatesim::{load_scenario_str, run_replication};
use serde_json::Value as Json;
use std::fs;
use std::path::{Path, PathBuf};

/// One cohort of 1,000 users over 90 days, nothing but their own churn
/// (no acquisition, no experience effect, no builds): its survivors follow
/// the shifted-beta-geometric law of (churn_alpha, churn_beta), the two
/// parameters calibrated, with log-uniform priors.
const COHORT: &str = r#"
name = "cohort"
[simulation]
horizon_days = 90
seed = 7
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
churn_alpha = 0.7
churn_beta = 18
[users]
mode = "aggregate"
potential_users = 1000
adoption_per_day = 0
[[uncertain]]
key = "platforms.P.users.churn_alpha"
dist = { dist = "loguniform", low = 0.1, high = 10 }
why = "sBG heterogeneity"
[[uncertain]]
key = "platforms.P.users.churn_beta"
dist = { dist = "loguniform", low = 1, high = 100 }
"#;

/// The prior bounds of (alpha, beta), as in [`COHORT`].
const PRIOR: [(f64, f64); 2] = [(0.1, 10.0), (1.0, 100.0)];
/// The days observed.
const DAYS: [usize; 3] = [7, 30, 90];
/// The cohort's size.
const USERS: f64 = 1000.0;

/// A folder holding `cohort.toml` and `observed.csv` (the cohort's
/// survivors on [`DAYS`] in one replication at its own values).
fn cohort() -> (tempfile::TempDir, PathBuf, PathBuf, Vec<u64>) {
    let dir = tmp();
    let scenario = dir.path().join("cohort.toml");
    fs::write(&scenario, COHORT).unwrap();
    let loaded = load_scenario_str(COHORT, Path::new("cohort.toml"), "cohort", &[]).unwrap();
    let rep = run_replication(&loaded.scenario, 0, false).unwrap();
    let daily = &rep.users.unwrap().platforms[0].daily;
    let counts: Vec<u64> = DAYS.iter().map(|&d| daily[d].active).collect();
    let mut csv =
        String::from("# the cohort at alpha 0.7, beta 18, replication 0 of seed 7\nday,platform,metric,value\n");
    for (d, c) in DAYS.iter().zip(&counts) {
        csv.push_str(&format!("{d},P,active_users,{c}\n"));
    }
    let data = dir.path().join("observed.csv");
    fs::write(&data, csv).unwrap();
    (dir, scenario, data, counts)
}

/// Asserts that folders `a` and `b` hold the same files, subfolders
/// included, with the same bytes.
fn assert_same_outputs(a: &Path, b: &Path, why: &str) {
    let files = names_in(a);
    assert_eq!(files, names_in(b), "{why}: different files in {}", a.display());
    assert!(!files.is_empty(), "{why}: nothing was written");
    for f in &files {
        let (x, y) = (a.join(f), b.join(f));
        if x.is_dir() {
            assert_same_outputs(&x, &y, why);
        } else {
            assert!(fs::read(&x).unwrap() == fs::read(&y).unwrap(), "{why}: {f} differs");
        }
    }
}

/// `gatesim calibrate <scenario> --data <data> --out <out> -q args...`,
/// expected to succeed.
fn calibrate(cwd: &Path, scenario: &Path, data: &Path, out: &Path, args: &[&str]) {
    let mut all = vec![
        "calibrate".to_string(),
        s(scenario),
        "--data".into(),
        s(data),
        "--out".into(),
        s(out),
        "-q".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    gatesim(cwd, &all).expect_code(0);
}

/// An exact posterior's mean, standard deviation and 90% interval.
#[derive(Debug)]
struct Exact {
    mean: f64,
    sd: f64,
    q05: f64,
    q95: f64,
}

/// The exact posterior of (alpha, beta) given `counts` survivors of
/// [`USERS`] on [`DAYS`] under log-uniform priors: the likelihood is
/// multinomial over the intervals between observed days, with the
/// probability of leaving in (t0, t1] equal to S(t0) - S(t1), S(t) =
/// B(alpha, beta + t) / B(alpha, beta). On an n x n grid evenly spaced in
/// the logarithms (where the priors are flat), midpoints.
fn exact_sbg(counts: &[u64], n: usize) -> [Exact; 2] {
    let axis = |(lo, hi): (f64, f64)| -> Vec<f64> {
        let (a, b) = (lo.ln(), hi.ln());
        (0..n)
            .map(|i| (a + (i as f64 + 0.5) * (b - a) / n as f64).exp())
            .collect()
    };
    let (alphas, betas) = (axis(PRIOR[0]), axis(PRIOR[1]));
    let mut ln = Vec::with_capacity(n * n);
    for &a in &alphas {
        for &b in &betas {
            let base = ln_beta(a, b);
            let surv = |t: usize| (ln_beta(a, b + t as f64) - base).exp();
            let (mut prev, mut alive, mut l) = (1.0, USERS, 0.0);
            for (&t, &c) in DAYS.iter().zip(counts) {
                let st = surv(t);
                let left = alive - c as f64;
                l += left * (prev - st).max(1e-300).ln();
                prev = st;
                alive = c as f64;
            }
            l += alive * prev.max(1e-300).ln();
            ln.push(l);
        }
    }
    let top = ln.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = ln.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = w.iter().sum();
    let stats = |value: &dyn Fn(usize) -> f64| -> Exact {
        let mean = (0..n * n).map(|k| w[k] * value(k)).sum::<f64>() / total;
        let var = (0..n * n).map(|k| w[k] * (value(k) - mean).powi(2)).sum::<f64>() / total;
        let mut order: Vec<usize> = (0..n * n).collect();
        order.sort_by(|&a, &b| value(a).total_cmp(&value(b)));
        let q = |p: f64| {
            let mut below = 0.0;
            for &k in &order {
                below += w[k] / total;
                if below >= p {
                    return value(k);
                }
            }
            value(order[order.len() - 1])
        };
        Exact {
            mean,
            sd: var.sqrt(),
            q05: q(0.05),
            q95: q(0.95),
        }
    };
    [stats(&|k| alphas[k / n]), stats(&|k| betas[k % n])]
}

#[test]
fn the_calibrated_posterior_of_one_cohort_matches_the_exact_sbg_posterior() {
    let (dir, scenario, data, counts) = cohort();
    let out = dir.path().join("out");
    calibrate(
        dir.path(),
        &scenario,
        &data,
        &out,
        &["--particles", "300", "--budget", "40000", "--no-charts", "--no-report"],
    );
    let j = read_json(&out.join("calibrate-cohort/calibration.json"));
    let exact = exact_sbg(&counts, 700);
    for (k, e) in exact.iter().enumerate() {
        let p = &j["parameters"][k]["posterior"];
        let mean = p["mean"].as_f64().unwrap();
        let (lo, hi) = (
            p["interval90"]["q05"].as_f64().unwrap(),
            p["interval90"]["q95"].as_f64().unwrap(),
        );
        let width = (hi - lo) / (e.q95 - e.q05);
        eprintln!(
            "{}: ABC mean {mean:.4} 90% [{lo:.4}, {hi:.4}]; exact mean {:.4} sd {:.4} 90% [{:.4}, {:.4}]; \
             mean off by {:.2} sd, width ratio {width:.3}",
            j["parameters"][k]["name"],
            e.mean,
            e.sd,
            e.q05,
            e.q95,
            (mean - e.mean) / e.sd
        );
        assert!((mean - e.mean).abs() < 0.5 * e.sd, "mean {mean} against {e:?}");
        assert!((width - 1.0).abs() < 0.3, "width ratio {width} against {e:?}");
    }
    assert!(j["simulations"].as_u64().unwrap() <= 40_000);
}

#[test]
fn a_calibration_writes_its_posterior_files_charts_and_report() {
    let (dir, scenario, data, _) = cohort();
    let out = dir.path().join("out");
    let o = gatesim(
        dir.path(),
        &[
            "calibrate",
            &s(&scenario),
            "--data",
            &s(&data),
            "--out",
            &s(&out),
            "--particles",
            "100",
            "--budget",
            "2000",
        ],
    );
    o.expect_code(0);
    let text = o.stdout_text();
    assert!(text.contains("cohort: calibrated to"), "{text}");
    assert!(text.contains("platforms.P.users.churn_alpha"), "{text}");
    let folder = out.join("calibrate-cohort");
    assert_eq!(
        names_in(&folder),
        [
            "calibration.json",
            "calibration.md",
            "charts",
            "posterior.csv",
            "report.html",
            "scenario.toml"
        ]
    );
    assert_eq!(
        names_in(&folder.join("charts")),
        [
            "fit_p_active_users.png",
            "fit_p_active_users.svg",
            "generations.png",
            "generations.svg",
            "pairs.png",
            "pairs.svg",
            "posteriors.png",
            "posteriors.svg"
        ]
    );
    // posterior.csv: one row per particle, weights summing to 1.
    let csv = fs::read_to_string(folder.join("posterior.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("particle,weight,distance,platforms.P.users.churn_alpha,platforms.P.users.churn_beta")
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').skip(1).map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 100);
    let total: f64 = rows.iter().map(|r| r[0]).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    assert!(
        rows.iter()
            .all(|r| (0.1..=10.0).contains(&r[2]) && (1.0..=100.0).contains(&r[3]))
    );
    // calibration.json: provenance first, every generation, every parameter.
    let j = read_json(&folder.join("calibration.json"));
    let json_text = fs::read_to_string(folder.join("calibration.json")).unwrap();
    assert!(json_text.starts_with("{\n  \"provenance\""), "{json_text}");
    assert!(!json_text.contains("NaN"));
    assert_eq!(j["scenario"], "cohort");
    assert_eq!(j["settings"]["particles"], 100);
    assert_eq!(j["status"], "budget");
    let gens = j["generations"].as_array().unwrap();
    assert!(gens.len() >= 2, "{gens:?}");
    assert_eq!(gens[0]["tolerance"], Json::Null);
    let sims: u64 = gens.iter().map(|g| g["simulations"].as_u64().unwrap()).sum();
    assert_eq!(Some(sims), j["simulations"].as_u64());
    assert!(sims <= 2000);
    for p in j["parameters"].as_array().unwrap() {
        let post = &p["posterior"];
        let (lo, m, hi) = (
            post["interval90"]["q05"].as_f64().unwrap(),
            post["median"].as_f64().unwrap(),
            post["interval90"]["q95"].as_f64().unwrap(),
        );
        assert!(lo <= m && m <= hi, "{p}");
        assert!(p["narrowing"]["width_ratio"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(j["correlations"].as_array().unwrap().len(), 2);
    let series = &j["series"][0];
    assert_eq!(
        (series["name"].as_str(), series["days"].clone()),
        (Some("P.active_users"), serde_json::json!([7, 30, 90]))
    );
    // scenario.toml: the scenario at the posterior medians, with its priors.
    let toml_text = fs::read_to_string(folder.join("scenario.toml")).unwrap();
    assert!(
        toml_text.starts_with("# cohort at the posterior medians"),
        "{toml_text}"
    );
    let resolved: toml::Table = toml::from_str(&toml_text).unwrap();
    let alpha = resolved["platforms"][0]["users"]["churn_alpha"].as_float().unwrap();
    let median = j["parameters"][0]["posterior"]["median"].as_f64().unwrap();
    assert_eq!(alpha, median);
    assert_eq!(resolved["uncertain"].as_array().unwrap().len(), 2);
    // It runs as it is.
    let rerun = dir.path().join("rerun");
    gatesim(
        dir.path(),
        &[
            "run",
            &s(&folder.join("scenario.toml")),
            "-n",
            "2",
            "--out",
            &s(&rerun),
            "-q",
            "--no-charts",
        ],
    )
    .expect_code(0);
    let md = fs::read_to_string(folder.join("calibration.md")).unwrap();
    assert!(md.starts_with("# Calibration of cohort to "), "{md}");
    let html = fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("Posteriors against priors"));
}

#[test]
fn one_and_two_threads_give_the_same_bytes() {
    let (dir, scenario, data, _) = cohort();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let args = ["--particles", "60", "--budget", "1500", "--format", "svg"];
    calibrate(dir.path(), &scenario, &data, &a, &[&args[..], &["-j", "1"]].concat());
    calibrate(dir.path(), &scenario, &data, &b, &[&args[..], &["-j", "2"]].concat());
    assert_same_outputs(
        &a.join("calibrate-cohort"),
        &b.join("calibrate-cohort"),
        "1 and 2 threads",
    );
}

/// Runs a sharded calibration round by round: `shards` shards of the first
/// round from the flags `args`, merged into `merged`, then from
/// `--resume` until the merged folder holds no state; returns the rounds
/// run.
fn sharded(cwd: &Path, scenario: &Path, data: &Path, merged: &Path, shards: u64, args: &[&str]) -> usize {
    let folder = merged.join("calibrate-cohort");
    let mut round = 0;
    loop {
        let partials = cwd.join(format!("partials-{round}"));
        for k in 1..=shards {
            let mut all: Vec<String> = if round == 0 {
                let mut v = vec!["calibrate".to_string(), s(scenario), "--data".into(), s(data)];
                v.extend(args.iter().map(|a| a.to_string()));
                v
            } else {
                vec!["calibrate".to_string(), "--resume".into(), s(&folder)]
            };
            all.extend([
                "--shard".into(),
                format!("{k}/{shards}"),
                "--out".into(),
                s(&partials),
                "-q".into(),
            ]);
            gatesim(cwd, &all).expect_code(0);
        }
        gatesim(
            cwd,
            &["merge", &s(&partials), "--out", &s(merged), "-q", "--format", "svg"],
        )
        .expect_code(0);
        round += 1;
        if !folder.join("calibration.state").exists() {
            return round;
        }
        assert!(round < 50, "the calibration does not end");
    }
}

#[test]
fn a_calibration_sharded_round_by_round_gives_the_unsharded_one_byte_for_byte() {
    let (dir, scenario, data, _) = cohort();
    let args = ["--particles", "80", "--generations", "3"];
    let single = dir.path().join("single");
    calibrate(
        dir.path(),
        &scenario,
        &data,
        &single,
        &[&args[..], &["--format", "svg"]].concat(),
    );
    let merged = dir.path().join("merged");
    let rounds = sharded(dir.path(), &scenario, &data, &merged, 3, &args);
    assert!(rounds >= 3, "one round per generation at least: {rounds}");
    assert_same_outputs(
        &single.join("calibrate-cohort"),
        &merged.join("calibrate-cohort"),
        "sharded against unsharded",
    );
    // An unsharded run resumed from the first merged round gives the same.
    let dir2 = tmp();
    let merged2 = dir2.path().join("merged");
    let partials = dir2.path().join("p");
    let mut first = vec!["calibrate".to_string(), s(&scenario), "--data".into(), s(&data)];
    first.extend(args.iter().map(|a| a.to_string()));
    first.extend([
        "--shard".into(),
        "1/1".into(),
        "--out".into(),
        s(&partials),
        "-q".into(),
    ]);
    gatesim(dir.path(), &first).expect_code(0);
    gatesim(
        dir.path(),
        &["merge", &s(&partials), "--out", &s(&merged2), "-q", "--format", "svg"],
    )
    .expect_code(0);
    let state = merged2.join("calibrate-cohort");
    assert!(state.join("calibration.state").exists());
    let md = fs::read_to_string(state.join("calibration.md")).unwrap();
    assert!(md.contains("in progress"), "{md}");
    gatesim(
        dir.path(),
        &[
            "calibrate",
            "--resume",
            &s(&state),
            "--out",
            &s(&merged2),
            "-q",
            "--format",
            "svg",
        ],
    )
    .expect_code(0);
    assert_same_outputs(
        &single.join("calibrate-cohort"),
        &merged2.join("calibrate-cohort"),
        "resumed against unsharded",
    );
    // A finished calibration has nothing to resume.
    let o = gatesim(
        dir.path(),
        &["calibrate", "--resume", &s(&state), "--out", &s(&merged2)],
    );
    o.expect_code(2);
    assert!(o.stderr.contains("has finished"), "{}", o.stderr);
}

#[test]
fn a_contrast_that_changes_nothing_costs_exactly_nothing_under_common_random_numbers() {
    let (dir, scenario, data, _) = cohort();
    let out = dir.path().join("out");
    calibrate(
        dir.path(),
        &scenario,
        &data,
        &out,
        &[
            "--particles",
            "40",
            "--budget",
            "300",
            "--against",
            "platforms.P.class=standard",
            "--label",
            "the same",
            "--metric",
            "P.active_users_end",
            "--no-charts",
        ],
    );
    let j = read_json(&out.join("calibrate-cohort/calibration.json"));
    let c = &j["contrast"];
    assert_eq!(c["label"], "the same");
    assert_eq!(c["replications_per_particle"], 2);
    let o = &c["outputs"][0];
    assert_eq!(
        (o["scope"].as_str(), o["metric"].as_str()),
        (Some("P"), Some("active_users_end"))
    );
    for k in ["mean", "p05", "p50", "p95", "sd"] {
        assert_eq!(o[k].as_f64(), Some(0.0), "{k}: {o}");
    }
    assert_eq!(j["contrast_simulations"], 2 * 2 * 40);
    let md = fs::read_to_string(out.join("calibrate-cohort/calibration.md")).unwrap();
    assert!(md.contains("## The difference from the same given the data"), "{md}");
}

#[test]
fn sensitivity_draws_its_points_from_a_posterior() {
    let (dir, scenario, data, _) = cohort();
    let out = dir.path().join("out");
    calibrate(
        dir.path(),
        &scenario,
        &data,
        &out,
        &["--particles", "50", "--budget", "600", "--no-charts"],
    );
    let post = out.join("calibrate-cohort/posterior.csv");
    let o = gatesim(
        dir.path(),
        &[
            "sensitivity",
            &s(&scenario),
            "--method",
            "uncertainty",
            "--posterior",
            &s(&post),
            "--samples",
            "20",
            "-n",
            "2",
            "--metric",
            "P.active_users_end",
            "--out",
            &s(&out),
            "-q",
            "--no-charts",
        ],
    );
    o.expect_code(0);
    let folder = out.join("sensitivity-cohort-uncertainty-posterior");
    let design = fs::read_to_string(folder.join("design.csv")).unwrap();
    let particles: Vec<String> = fs::read_to_string(&post)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.splitn(4, ',').nth(3).unwrap().to_string())
        .collect();
    let points: Vec<&str> = design.lines().skip(1).collect();
    assert_eq!(points.len(), 20);
    for p in points {
        let values: Vec<&str> = p.split(',').skip(3).take(2).collect();
        assert!(particles.contains(&values.join(",")), "{p} is not a particle");
    }
    let j = read_json(&folder.join("sensitivity.json"));
    assert!(
        j["design"]
            .as_str()
            .unwrap()
            .contains("points drawn from the posterior in"),
        "{}",
        j["design"]
    );
    // Only an uncertainty analysis takes a posterior.
    let o = gatesim(
        dir.path(),
        &[
            "sensitivity",
            &s(&scenario),
            "--method",
            "tornado",
            "--posterior",
            &s(&post),
            "--out",
            &s(&out),
        ],
    );
    o.expect_code(2);
    assert!(
        o.stderr.contains("--posterior applies to --method uncertainty only"),
        "{}",
        o.stderr
    );
}

#[test]
fn bad_data_is_refused_with_its_file_and_line_and_nothing_written() {
    let (dir, scenario, _, _) = cohort();
    let cases: [(&str, &str); 7] = [
        (
            "day,platform,metric,value\n7,Q,active_users,5\n",
            "line 2: no platform named \"Q\"",
        ),
        (
            "day,platform,metric,value\n7,P,active_user,5\n",
            "line 2: no daily series `active_user` for P. Did you mean `active_users`?",
        ),
        (
            "day,platform,metric,value\n91,P,active_users,5\n",
            "line 2: day 91 is outside the run",
        ),
        (
            "day,platform,metric,value\n7,P,active_users,5\n7,P,active_users,6\n",
            "line 3: active_users of P on day 7 is given twice",
        ),
        (
            "day,platform,metric,value\n7,P,active_users,-5\n",
            "line 2: the value -5 is negative",
        ),
        (
            "day,platform,metric,value,se\n7,P,active_users,5,inf\n",
            "line 2: the standard error `inf` is not a number",
        ),
        ("", "line 1: the file is empty"),
    ];
    for (text, fragment) in cases {
        let data = dir.path().join("bad.csv");
        fs::write(&data, text).unwrap();
        let out = dir.path().join("out");
        let o = gatesim(
            dir.path(),
            &["calibrate", &s(&scenario), "--data", &s(&data), "--out", &s(&out)],
        );
        o.expect_code(2);
        assert!(
            o.stderr.contains("bad.csv, ") && o.stderr.contains(fragment),
            "{text:?}: {}",
            o.stderr
        );
        assert!(o.stdout_text().is_empty());
        assert!(absent_or_empty(&out), "{text:?}: something was written");
    }
}

#[test]
fn flags_that_do_not_fit_a_resumed_calibration_are_refused() {
    let (dir, scenario, data, _) = cohort();
    let out = dir.path().join("out");
    let o = gatesim(
        dir.path(),
        &[
            "calibrate",
            "--resume",
            &s(dir.path()),
            "--data",
            &s(&data),
            "--out",
            &s(&out),
        ],
    );
    o.expect_code(2);
    let o = gatesim(
        dir.path(),
        &["calibrate", "--resume", &s(dir.path()), "--out", &s(&out)],
    );
    o.expect_code(2);
    assert!(o.stderr.contains("calibration.state"), "{}", o.stderr);
    let o = gatesim(dir.path(), &["calibrate", &s(&scenario), "--out", &s(&out)]);
    o.expect_code(2);
    assert!(o.stderr.contains("--data"), "{}", o.stderr);
    // A damaged state is refused, by name.
    let fake = dir.path().join("fake");
    fs::create_dir(&fake).unwrap();
    fs::write(fake.join("calibration.state"), b"GATESIM-PARTIAL\nxx").unwrap();
    let o = gatesim(dir.path(), &["calibrate", "--resume", &s(&fake), "--out", &s(&out)]);
    o.expect_code(2);
    assert!(o.stderr.contains("calibration.state: truncated"), "{}", o.stderr);
    assert!(absent_or_empty(&out));
}
