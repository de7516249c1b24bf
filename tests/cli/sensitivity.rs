//! End-to-end tests of `gatesim sensitivity`: the real program on a small
//! scenario (60 days, 20,000 households) in a temporary folder. It writes
//! its files and charts and prints its summary; the resolved scenario it
//! writes reruns to the same results; one and two threads give the same
//! bytes; the flagship's declarations run with every method; and bad
//! declarations, flags and undefined metrics are refused with exit code 2,
//! a message naming what is wrong, and nothing written.

use crate::common;

use common::SMALL_SENSITIVITY as SMALL;
use serde_json::Value as Json;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");

const CSV_HEADER: &str = "parameter,scope,metric,index,estimate,ci_low,ci_high";

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn expect_code(&self, code: i32) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "the program panicked:\n{}",
            self.stderr
        );
        assert_eq!(self.code, Some(code), "unexpected exit code; stderr:\n{}", self.stderr);
        self
    }
}

fn gatesim<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Outcome {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the gatesim binary runs");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary folder holding `small.toml` with `text`.
fn folder(text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("small.toml");
    fs::write(&path, text).unwrap();
    (dir, path)
}

fn s(p: &Path) -> String {
    p.to_str().expect("temporary paths are UTF-8").to_string()
}

/// `gatesim sensitivity <scenario> --out <out> args...`.
fn sensitivity(cwd: &Path, scenario: &Path, out: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["sensitivity".to_string(), s(scenario), "--out".into(), s(out)];
    all.extend(args.iter().map(|a| a.to_string()));
    gatesim(cwd, &all)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Runs a refused analysis: exit 2, every one of `expected` in the
/// message, nothing on stdout and nothing written.
fn refused(text: &str, args: &[&str], expected: &[&str]) -> String {
    let (dir, path) = folder(text);
    let out = dir.path().join("out");
    let o = sensitivity(dir.path(), &path, &out, args);
    o.expect_code(2);
    assert!(o.stdout.is_empty(), "printed: {}", o.stdout);
    for e in expected {
        assert!(o.stderr.contains(e), "does not say `{e}`:\n{}", o.stderr);
    }
    assert!(
        !out.exists() || names_in(&out).is_empty(),
        "a refused analysis wrote files"
    );
    o.stderr
}

#[test]
fn an_analysis_writes_its_files_and_charts_and_prints_its_summary() {
    let (dir, path) = folder(SMALL);
    let out = dir.path().join("out");
    let o = sensitivity(
        dir.path(),
        &path,
        &out,
        &["--method", "tornado", "-n", "3", "--format", "svg"],
    );
    o.expect_code(0);
    assert!(
        o.stderr
            .contains("small: tornado over 3 parameters: 7 points × 3 replications = 21 runs"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("Held: Active users at the end"), "{}", o.stdout);
    // An aligned table, not Markdown: the parameter's row, its changes signed.
    let row = o
        .stdout
        .lines()
        .find(|l| l.starts_with("users.churn_per_stale_day "))
        .unwrap_or_else(|| panic!("no row for the churn key: {}", o.stdout));
    assert!(
        !row.contains('|') && row.contains('+') && row.contains('\u{2212}'),
        "{row}"
    );
    let target = out.join("sensitivity-small-tornado");
    assert!(o.stdout.contains(&format!("outputs: {}", target.display())));
    assert_eq!(
        names_in(&target),
        [
            "charts",
            "design.csv",
            "report.html",
            "scenario.toml",
            "sensitivity.csv",
            "sensitivity.json",
            "sensitivity.md"
        ]
    );
    // One chart per output: the users' six headline metrics of each platform.
    let charts = names_in(&target.join("charts"));
    assert_eq!(charts.len(), 12, "{charts:?}");
    assert!(charts.contains(&"tornado_held_active_users_end.svg".to_string()));
    let report = fs::read_to_string(target.join("report.html")).unwrap();
    assert!(
        report.contains("gatesim sensitivity") && report.contains("<svg"),
        "the report inlines the charts"
    );
    let json: Json = serde_json::from_slice(&fs::read(target.join("sensitivity.json")).unwrap()).unwrap();
    assert_eq!(json["method"], "tornado");
    assert_eq!(json["points"], 7);
    assert_eq!(json["replications"], 3);
    assert_eq!(json["parameters"][0]["name"], "users.churn_per_stale_day");
    assert_eq!(json["parameters"][2]["base"], 7.0);
    assert_eq!(json["against"], Json::Null);
    let csv = fs::read_to_string(target.join("sensitivity.csv")).unwrap();
    assert_eq!(csv.lines().next(), Some(CSV_HEADER));
    // Per output: the base, then low, high and swing of each parameter.
    assert_eq!(csv.lines().count(), 1 + 12 * (1 + 3 * 3));
    assert!(!csv.contains("NaN") && !csv.contains("inf"));
    let design = fs::read_to_string(target.join("design.csv")).unwrap();
    let header = design.lines().next().unwrap();
    assert!(
        header.starts_with("point,group,role,users.churn_per_stale_day,users.engagement_elasticity,users.cooloff_days,Open.active_users_end"),
        "{header}"
    );
    assert_eq!(design.lines().count(), 1 + 7);
    assert!(
        design
            .lines()
            .nth(6)
            .unwrap()
            .starts_with("5,0,low:users.cooloff_days,0.004,0.5,0,")
    );
    let md = fs::read_to_string(target.join("sensitivity.md")).unwrap();
    assert!(md.starts_with("# Sensitivity of small: tornado"), "{md}");
}

#[test]
fn the_resolved_scenario_of_an_analysis_reruns_to_the_same_results() {
    let (dir, path) = folder(SMALL);
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    let args = [
        "--method",
        "morris",
        "--samples",
        "3",
        "-n",
        "1",
        "--vary",
        "users.adoption_per_day=loguniform:0.006:0.024",
        "--vary",
        "users.cooloff_days=0:14",
        "--metric",
        "Held.active_users_end",
        "--no-charts",
        "-q",
    ];
    sensitivity(dir.path(), &path, &first, &args).expect_code(0);
    let resolved = first.join("sensitivity-small-morris/scenario.toml");
    let text = fs::read_to_string(&resolved).unwrap();
    // The --vary keys replaced the declarations.
    assert_eq!(text.matches("[[uncertain]]").count(), 2, "{text}");
    assert!(text.contains("key = \"users.adoption_per_day\""), "{text}");
    let rerun: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with("users.") && *a != "--vary")
        .collect();
    sensitivity(dir.path(), &resolved, &second, &rerun).expect_code(0);
    for f in ["sensitivity.csv", "design.csv", "sensitivity.md"] {
        let a = fs::read(first.join("sensitivity-small-morris").join(f)).unwrap();
        let b = fs::read(second.join("sensitivity-small-morris").join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
}

#[test]
fn one_and_two_threads_give_byte_identical_files() {
    let (dir, path) = folder(SMALL);
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(threads);
        let args = ["--samples", "4", "-n", "2", "-j", threads, "--format", "svg", "-q"];
        sensitivity(dir.path(), &path, &out, &args).expect_code(0);
        outs.push(out.join("sensitivity-small-sobol"));
    }
    let files = names_in(&outs[0]);
    assert_eq!(files, names_in(&outs[1]));
    for f in files.iter().filter(|f| *f != "charts") {
        assert!(
            fs::read(outs[0].join(f)).unwrap() == fs::read(outs[1].join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn a_contrast_is_named_in_the_outputs_and_its_difference_is_analysed() {
    let (dir, path) = folder(SMALL);
    let out = dir.path().join("out");
    let o = sensitivity(
        dir.path(),
        &path,
        &out,
        &[
            "--method",
            "uncertainty",
            "--samples",
            "6",
            "-n",
            "2",
            "--against",
            "platforms.Held.class=standard",
            "--label",
            "updating weekly",
            "--metric",
            "Held.active_users_end",
            "--format",
            "svg",
        ],
    );
    o.expect_code(0);
    assert!(
        o.stderr
            .contains("6 points × 2 replications × 2 (with the contrast) = 24 runs"),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout
            .contains("Held: Active users at the end, difference from updating weekly"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("90% of them give between"), "{}", o.stdout);
    let target = out.join("sensitivity-small-uncertainty+against+platforms.Held.class=standard");
    let json: Json = serde_json::from_slice(&fs::read(target.join("sensitivity.json")).unwrap()).unwrap();
    assert_eq!(json["against"], "updating weekly");
    // The block costs users at every plausible assumption.
    let p95 = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["index"] == "p95")
        .unwrap()["estimate"]
        .as_f64()
        .unwrap();
    assert!(p95 < 0.0, "{p95}");
    let chart = fs::read_to_string(target.join("charts/uncertainty_held_active_users_end.svg")).unwrap();
    assert!(chart.contains("vs updating weekly"));
}

#[test]
fn the_flagship_declarations_run_with_every_method() {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/guizhou.toml");
    let dir = tempfile::tempdir().unwrap();
    for (method, samples, n) in [
        ("tornado", None, "2"),
        ("morris", Some("2"), "1"),
        ("sobol", Some("2"), "1"),
        ("uncertainty", Some("4"), "2"),
    ] {
        let mut args = vec![
            "--method",
            method,
            "-n",
            n,
            "--metric",
            "Taocaicai.active_users_end",
            "--no-charts",
            "-q",
        ];
        if let Some(k) = samples {
            args.extend(["--samples", k]);
        }
        sensitivity(dir.path(), &flagship, &dir.path().join("out"), &args).expect_code(0);
        let json: Json = serde_json::from_slice(
            &fs::read(
                dir.path()
                    .join(format!("out/sensitivity-guizhou-{method}/sensitivity.json")),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(json["parameters"].as_array().unwrap().len(), 11, "{method}");
    }
}

#[test]
fn a_scenario_without_uncertain_keys_needs_vary() {
    let text = SMALL.split("[[uncertain]]").next().unwrap();
    refused(
        text,
        &["-n", "1"],
        &["declares no [[uncertain]] key, and no --vary is given"],
    );
}

#[test]
fn bad_vary_flags_are_refused_with_the_flag() {
    let e = refused(
        SMALL,
        &[
            "--vary",
            "users.cooloff_dayz=0:3",
            "--vary",
            "users.adoption_per_day=0.2:0.1",
        ],
        &[
            "invalid --vary for",
            "--vary users.cooloff_dayz=0:3: unknown key path `users.cooloff_dayz`",
            "Did you mean `cooloff_days`?",
            "--vary users.adoption_per_day=0.2:0.1: the range is empty",
        ],
    );
    assert!(e.contains("2 problems"), "{e}");
    refused(
        SMALL,
        &["--vary", "users.adoption_per_day=0.5:1.5"],
        &["at its high end, users.adoption_per_day = 1.5"],
    );
}

#[test]
fn a_bad_uncertain_entry_is_refused_with_its_key_path() {
    let text = format!(
        "{SMALL}[[uncertain]]\nkey = \"users.adoption_per_day\"\ndist = {{ dist = \"lognormal\", median = 0.5, sigma = 1 }}\n"
    );
    refused(
        &text,
        &["-n", "1"],
        &[
            "small.toml",
            "uncertain[3].dist: at its most extreme high value a design can draw",
            "must be from 0 to 1",
        ],
    );
}

#[test]
fn an_undefined_metric_asked_for_is_refused_with_its_points() {
    refused(
        SMALL,
        &["--method", "tornado", "-n", "2", "--metric", "Held.decision_hours_mean"],
        &[
            "decision_hours_mean of Held at 7 points (0, 1, 2, 3, 4, 5, 6)",
            "no sensitivity index is computed",
        ],
    );
}

#[test]
fn flags_and_metrics_that_do_not_apply_are_refused() {
    refused(
        SMALL,
        &["--method", "tornado", "--samples", "8"],
        &["a tornado takes no sample size"],
    );
    refused(
        &SMALL.replace("horizon_days = 60", "horizon_days = 60\nwarmup_days = \"auto\""),
        &[],
        &[
            "small.toml: simulation.warmup_days = \"auto\" is chosen from all of a run's replications",
            "--set simulation.warmup_days=",
        ],
    );
    refused(
        SMALL,
        &["--levels", "6"],
        &["--levels applies to --method morris only, not sobol"],
    );
    refused(
        SMALL,
        &["--method", "morris", "--sampling", "lhs"],
        &["--sampling applies to --method sobol only"],
    );
    refused(
        SMALL,
        &["--metric", "Held.active_users_edn"],
        &[
            "no headline metric named `active_users_edn`",
            "Did you mean `active_users_end`?",
        ],
    );
    refused(
        SMALL,
        &["--metric", "Hold.active_users_end"],
        &["has no scope named \"Hold\"", "Did you mean `Held`?"],
    );
    refused(
        SMALL,
        &["--against", "platforms.Held.class=blokced"],
        &["the scenario with --against platforms.Held.class=blokced is invalid"],
    );
    let e = gatesim(Path::new("."), &["sensitivity", "x.toml", "--label", "weekly"]);
    e.expect_code(2);
    assert!(e.stderr.contains("--against"), "{}", e.stderr);
}
