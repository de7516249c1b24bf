//! End-to-end tests of the `gatesim` binary: every test runs the real
//! program, in a temporary working folder and with every output sent to a
//! temporary folder, and checks exit codes, messages and the files written.
//! Every `run` asks for a few replications (`-n`) so the suite stays fast.

use serde_json::Value as Json;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");
const PLATFORMS: [&str; 3] = ["Meituan Select", "Duoduo Maicai", "Taocaicai"];
/// Replications of a run when a test does not say otherwise.
const N: u64 = 3;
/// Every file `run` writes for a scenario with users, sorted.
const OUTPUT_FILES: [&str; 7] = [
    "cohorts.csv",
    "replications.csv",
    "report.html",
    "scenario.toml",
    "summary.json",
    "summary.md",
    "timeseries.csv",
];
const TIMESERIES_HEADER: &str = "day,platform,metric,unit,mean,ci_low,ci_high,p05,p50,p95";
const COHORTS_HEADER: &str = "platform,cohort,first_day,last_day,mean_size,age_days,retention,ci_low,ci_high";
/// Daily series of each platform (pipeline, then users).
const PLATFORM_SERIES: [&str; 19] = [
    "staleness_days",
    "open_defects",
    "share_on_latest",
    "builds",
    "submissions",
    "approvals",
    "rejections",
    "supersessions",
    "releases",
    "active_users",
    "dau",
    "new_users",
    "churned_users",
    "switched_in",
    "switched_out",
    "orders",
    "appeal",
    "churn_multiplier",
    "choice_share",
];
const MARKET_SERIES: [&str; 1] = ["pool"];
const GATEKEEPER_SERIES: [&str; 4] = ["waiting", "in_review", "held", "reviewers"];
/// Headline metrics of each platform (users, then pipeline).
const PLATFORM_HEADLINES: [&str; 11] = [
    "active_users_end",
    "active_users_change_pct",
    "orders_total",
    "mean_dau",
    "d30_retention",
    "mean_staleness_days",
    "share_of_builds_released",
    "releases",
    "rejections",
    "decision_hours_mean",
    "decision_hours_p95",
];
const GATEKEEPER_HEADLINES: [&str; 5] = [
    "utilisation",
    "mean_waiting",
    "queue_wait_hours_mean",
    "queue_wait_hours_p95",
    "reviewed_wait_hours_mean",
];
const TRACE_HEADER: &str = "time_ms,time_days,platform,build,submission,event,detail";

/// What one invocation of the binary did.
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Outcome {
    fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Asserts exit code `code` and no panic, showing stderr on failure.
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

/// Runs `gatesim args...` with `cwd` as the working folder.
fn gatesim<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Outcome {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the gatesim binary runs");
    Outcome {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Absolute path of a shipped scenario.
fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

fn scenario_text(name: &str) -> String {
    fs::read_to_string(scenario(name)).expect("the shipped scenario is readable")
}

fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn s(p: &Path) -> String {
    p.to_str().expect("temporary paths are UTF-8").to_string()
}

/// `text` with the first occurrence of `from` replaced by `to`; fails if
/// `from` does not occur, so a changed scenario cannot silently test nothing.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` not found in the scenario");
    text.replacen(from, to, 1)
}

/// 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

/// Runs `gatesim run <scenario> --out <out> -q extra...` in `cwd` and expects
/// success. Unless `extra` sets the replications, runs `-n N`.
fn run_ok(cwd: &Path, scenario: &Path, out: &Path, extra: &[&str]) -> Outcome {
    let mut args = vec!["run".to_string(), s(scenario), "--out".into(), s(out), "-q".into()];
    if !extra.iter().any(|a| *a == "-n" || a.starts_with("--replications")) {
        args.extend(["-n".into(), N.to_string()]);
    }
    // Charts have their own tests (tests/charts.rs and the test below);
    // leaving them out keeps these fast.
    if !extra.iter().any(|a| a.starts_with("--format")) {
        args.push("--no-charts".into());
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    let o = gatesim(cwd, &args);
    o.expect_code(0);
    o
}

fn read_json(path: &Path) -> Json {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// The headline `metric` of `scope` in a summary.
fn headline<'a>(summary: &'a Json, scope: &str, metric: &str) -> &'a Json {
    summary["headlines"]
        .as_array()
        .expect("headlines is an array")
        .iter()
        .find(|h| h["scope"] == scope && h["metric"] == metric)
        .unwrap_or_else(|| panic!("no headline {scope} {metric} in the summary"))
}

/// The mean of the headline `metric` of `scope`; fails if it is undefined.
fn mean(summary: &Json, scope: &str, metric: &str) -> f64 {
    headline(summary, scope, metric)["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("{scope} {metric} has no mean"))
}

/// Splits one CSV line into fields (RFC 4180 quoting, no line breaks in fields).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Reads a CSV file: checks its header is `header` and returns its rows.
fn read_csv(path: &Path, header: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(header), "the header of {}", path.display());
    lines.map(csv_fields).collect()
}

/// A CSV number cell: `None` when empty; fails unless it is a finite number.
fn cell(x: &str) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let v: f64 = x.parse().unwrap_or_else(|_| panic!("`{x}` is not a number"));
    assert!(v.is_finite(), "`{x}` is not finite");
    Some(v)
}

/// `a` and `b` agree to 1e-9 relative.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// True if `dir` does not exist or is an empty folder.
fn absent_or_empty(dir: &Path) -> bool {
    !dir.exists() || fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

/// The sorted names in folder `dir`.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Asserts that folders `a` and `b` hold the same files with the same bytes.
fn assert_same_outputs(a: &Path, b: &Path, why: &str) {
    let files = names_in(a);
    assert_eq!(files, names_in(b), "{why}: the two runs wrote different files");
    assert!(!files.is_empty(), "{why}: nothing was written");
    for f in &files {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{why}: {f} differs"
        );
    }
}

/// Feeds an invalid scenario to `run`, `check` and `trace` and checks that
/// each refuses it with exit code 2, no panic, nothing written and a message
/// naming the file and containing every one of `expected`. Returns `run`'s
/// stderr.
fn assert_refused(scenario: &Path, expected: &[&str]) -> String {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let trace_file = cwd.path().join("trace.csv");
    let file_name = scenario.file_name().unwrap().to_str().unwrap();
    let runs = [
        vec![
            "run".to_string(),
            s(scenario),
            "--out".into(),
            s(&out),
            "-n".into(),
            "2".into(),
        ],
        vec!["check".to_string(), s(scenario)],
        vec!["trace".to_string(), s(scenario), "--out".into(), s(&trace_file)],
    ];
    let mut run_stderr = String::new();
    for args in &runs {
        let o = gatesim(cwd.path(), args);
        o.expect_code(2);
        assert!(
            o.stdout.is_empty(),
            "`{}` printed to stdout: {}",
            args[0],
            o.stdout_text()
        );
        assert!(
            o.stderr.contains(file_name),
            "`{}` does not name {file_name}:\n{}",
            args[0],
            o.stderr
        );
        for e in expected {
            assert!(o.stderr.contains(e), "`{}` does not say `{e}`:\n{}", args[0], o.stderr);
        }
        if args[0] == "run" {
            run_stderr = o.stderr.clone();
        }
    }
    assert!(absent_or_empty(&out), "a refused run wrote into its out folder");
    assert!(!trace_file.exists(), "a refused trace wrote its file");
    let left: Vec<_> = fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        left.is_empty(),
        "a refused scenario left files in the working folder: {left:?}"
    );
    run_stderr
}

/// Writes `bytes` as `name` in a new temporary folder and checks it is refused.
fn assert_text_refused(name: &str, bytes: &[u8], expected: &[&str]) -> String {
    let dir = tmp();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    assert_refused(&path, expected)
}

/// The (scope, metric) of every daily series, in file order within a day.
fn expected_series() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in PLATFORMS {
        out.extend(PLATFORM_SERIES.iter().map(|m| (p.to_string(), m.to_string())));
    }
    out.extend(MARKET_SERIES.iter().map(|m| ("market".to_string(), m.to_string())));
    out.extend(
        GATEKEEPER_SERIES
            .iter()
            .map(|m| ("gatekeeper".to_string(), m.to_string())),
    );
    out
}

/// The (scope, metric) of every headline, in file order.
fn expected_headlines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in PLATFORMS {
        out.extend(PLATFORM_HEADLINES.iter().map(|m| (p.to_string(), m.to_string())));
    }
    out.extend(
        GATEKEEPER_HEADLINES
            .iter()
            .map(|m| ("gatekeeper".to_string(), m.to_string())),
    );
    out
}

/// The outputs of one run, kept with the folder that holds them.
struct RunOutputs {
    _cwd: TempDir,
    dir: PathBuf,
    summary: Json,
    timeseries: Vec<Vec<String>>,
    horizon: usize,
}

impl RunOutputs {
    /// The row of series `metric` of `scope` on the last day.
    fn last_day(&self, scope: &str, metric: &str) -> &[String] {
        let per_day = expected_series().len();
        self.timeseries[self.horizon * per_day..]
            .iter()
            .find(|r| r[1] == scope && r[2] == metric)
            .unwrap_or_else(|| panic!("no series {scope} {metric} on the last day"))
    }

    /// The mean of series `metric` of `scope` on the last day.
    fn last_mean(&self, scope: &str, metric: &str) -> f64 {
        cell(&self.last_day(scope, metric)[4]).unwrap_or_else(|| panic!("{scope} {metric} has no mean"))
    }
}

/// Checks the `run` block, the replications and the headlines of a summary.
fn check_summary(summary: &Json, name: &str, seed: u64, horizon: usize, replications: u64) {
    let run = &summary["run"];
    assert_eq!(run["gatesim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["scenario"], name);
    assert_eq!(run["seed"].as_u64(), Some(seed));
    assert_eq!(run["horizon_days"].as_u64(), Some(horizon as u64));
    assert_eq!(run["warmup_days"].as_u64(), Some(0));
    assert_eq!(summary["replications"].as_u64(), Some(replications));
    let events: u128 = summary["events_total"]
        .as_str()
        .expect("events_total is a string")
        .parse()
        .expect("events_total is a whole number");
    assert!(events > 0, "the engine processed events");

    let headlines = summary["headlines"].as_array().expect("headlines is an array");
    let found: Vec<(String, String)> = headlines
        .iter()
        .map(|h| {
            (
                h["scope"].as_str().unwrap().to_string(),
                h["metric"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found, expected_headlines(), "the headlines and their order");
    for h in headlines {
        let what = format!("{} {}", h["scope"], h["metric"]);
        assert!(h["unit"].as_str().is_some_and(|u| !u.is_empty()), "{what} has a unit");
        let n = h["n"].as_u64().expect("n is a count");
        assert!(n <= replications, "{what}: n {n} above {replications} replications");
        let get = |k: &str| {
            let v = &h[k];
            assert!(
                v.is_null() || v.as_f64().is_some_and(f64::is_finite),
                "{what}: {k} = {v}"
            );
            v.as_f64()
        };
        let (m, lo, hi) = (get("mean"), get("ci_low"), get("ci_high"));
        let (p05, p50, p95) = (get("p05"), get("p50"), get("p95"));
        assert_eq!(m.is_some(), n > 0, "{what}: a mean exactly when defined");
        assert_eq!(lo.is_some(), n >= 2, "{what}: an interval exactly when n >= 2");
        if let (Some(m), Some(lo), Some(hi)) = (m, lo, hi) {
            assert!(lo <= m && m <= hi, "{what}: mean {m} outside [{lo}, {hi}]");
            assert!(get("sd").is_some_and(|sd| sd >= 0.0), "{what}: sd");
        }
        if let (Some(a), Some(b), Some(c)) = (p05, p50, p95) {
            assert!(a <= b && b <= c, "{what}: percentiles {a}, {b}, {c} out of order");
        }
    }
    for p in PLATFORMS {
        let h = headline(summary, p, "active_users_end");
        assert_eq!(
            h["n"].as_u64(),
            Some(replications),
            "{p}'s active users in every replication"
        );
        assert!(mean(summary, p, "active_users_end") > 0.0, "{p} has active users");
    }
    let utilisation = mean(summary, "gatekeeper", "utilisation");
    assert!((0.0..=1.0).contains(&utilisation), "utilisation {utilisation}");
}

/// Checks the shape of a timeseries.csv, and that every mean lies in its
/// interval; returns its rows.
fn check_timeseries(path: &Path, horizon: usize) -> Vec<Vec<String>> {
    let rows = read_csv(path, TIMESERIES_HEADER);
    let series = expected_series();
    assert_eq!(series.len(), 62, "3 platforms x 19 series + 1 market + 4 gatekeeper");
    assert_eq!(rows.len(), (horizon + 1) * series.len(), "one row per day and series");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 10, "row {i} has every column: {row:?}");
        assert_eq!(row[0], (i / series.len()).to_string(), "row {i} is on its day");
        let (scope, metric) = &series[i % series.len()];
        assert_eq!((&row[1], &row[2]), (scope, metric), "row {i} is on its series");
        assert!(!row[3].is_empty(), "row {i} has a unit");
        let [m, lo, hi, ..] = [4, 5, 6, 7, 8, 9].map(|k| cell(&row[k]));
        let m = m.unwrap_or_else(|| panic!("row {i} has no mean: {row:?}"));
        if let (Some(lo), Some(hi)) = (lo, hi) {
            assert!(lo <= m && m <= hi, "row {i}: mean outside its interval: {row:?}");
        }
    }
    rows
}

/// Runs a shipped scenario with `-n N` and checks everything it writes.
fn check_run_outputs(name: &str) -> RunOutputs {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario(name), &out, &[]);
    let dir = out.join(name);
    assert_eq!(names_in(&dir), OUTPUT_FILES);
    assert_eq!(names_in(&out), [name], "only the scenario's folder is left in --out");

    let file: toml::Table = toml::from_str(&scenario_text(name)).unwrap();
    let seed = file["simulation"]["seed"].as_integer().unwrap() as u64;
    let horizon = file["simulation"]["horizon_days"].as_integer().unwrap() as usize;
    let reviewers = file["gatekeeper"]["reviewers"].as_integer().unwrap() as f64;

    // summary.json
    let summary = read_json(&dir.join("summary.json"));
    check_summary(&summary, name, seed, horizon, N);
    assert!(
        summary.get("precision").is_none(),
        "no precision block without --precision"
    );
    assert_eq!(summary["market"]["platforms"], serde_json::json!(PLATFORMS));
    assert_eq!(
        summary["market"]["origins"].as_array().map(Vec::len),
        Some(1 + PLATFORMS.len())
    );
    let flows = summary["market"]["mean_flows"]
        .as_array()
        .expect("mean_flows is an array");
    assert_eq!(flows.len(), 1 + PLATFORMS.len(), "a row per origin");
    for row in flows {
        let row = row.as_array().expect("a row of flows");
        assert_eq!(row.len(), PLATFORMS.len(), "a column per platform");
        assert!(row.iter().all(|v| v.as_f64().is_some_and(|v| v >= 0.0)), "{row:?}");
    }
    assert_eq!(summary["resolved_scenario"]["name"], name);
    assert_eq!(summary["resolved_scenario"]["simulation"]["seed"].as_u64(), Some(seed));

    // timeseries.csv
    let timeseries = check_timeseries(&dir.join("timeseries.csv"), horizon);
    let outputs = RunOutputs {
        _cwd: cwd,
        dir: dir.clone(),
        summary,
        timeseries,
        horizon,
    };
    let summary = &outputs.summary;
    for p in PLATFORMS {
        assert!(outputs.last_mean(p, "builds") > 0.0, "{p} cut builds");
        // The last day of the daily series agrees with the headlines (no warm-up).
        assert!(
            close(outputs.last_mean(p, "releases"), mean(summary, p, "releases")),
            "{p}'s releases"
        );
        assert!(
            close(
                outputs.last_mean(p, "active_users"),
                mean(summary, p, "active_users_end")
            ),
            "{p}'s active users"
        );
    }
    let last_reviewers = outputs.last_day("gatekeeper", "reviewers");
    for k in 4..10 {
        assert_eq!(cell(&last_reviewers[k]), Some(reviewers), "{last_reviewers:?}");
    }

    // replications.csv: one row per replication, one column per headline.
    let header: Vec<String> = std::iter::once("replication".to_string())
        .chain(expected_headlines().iter().map(|(scope, m)| format!("{scope}.{m}")))
        .collect();
    let reps = read_csv(&dir.join("replications.csv"), &header.join(","));
    assert_eq!(reps.len() as u64, N, "a row per replication");
    for (i, row) in reps.iter().enumerate() {
        assert_eq!(row[0], i.to_string(), "rows are numbered from 0");
        assert_eq!(row.len(), header.len(), "row {i} has every column");
    }
    // Each column summarises to its headline.
    for (k, (scope, metric)) in expected_headlines().iter().enumerate() {
        let values: Vec<f64> = reps.iter().filter_map(|r| cell(&r[k + 1])).collect();
        let h = headline(summary, scope, metric);
        assert_eq!(values.len() as u64, h["n"].as_u64().unwrap(), "{scope}.{metric}: n");
        if let Some(m) = h["mean"].as_f64() {
            let avg = values.iter().sum::<f64>() / values.len() as f64;
            assert!(close(avg, m), "{scope}.{metric}: column mean {avg}, headline {m}");
        }
    }

    // cohorts.csv
    let cohorts = read_csv(&dir.join("cohorts.csv"), COHORTS_HEADER);
    assert!(!cohorts.is_empty(), "cohorts.csv has curves");
    for row in &cohorts {
        assert_eq!(row.len(), 9, "{row:?}");
        assert!(PLATFORMS.contains(&row[0].as_str()), "{row:?}");
        let retention = cell(&row[6]).expect("a retention");
        assert!((0.0..=1.0).contains(&retention), "{row:?}");
        if row[5] == "0" {
            assert_eq!(retention, 1.0, "everyone is active on acquisition: {row:?}");
        }
        if let (Some(lo), Some(hi)) = (cell(&row[7]), cell(&row[8])) {
            assert!(lo <= retention && retention <= hi, "{row:?}");
        }
    }
    for p in PLATFORMS {
        assert!(
            cohorts.iter().any(|r| r[0] == p && r[1] == "initial"),
            "{p} has an initial cohort"
        );
    }

    // summary.md
    let md = fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(md.starts_with("# "), "summary.md starts with a title:\n{md}");
    let title = md.lines().next().unwrap();
    assert!(
        title.contains(name) && title.contains(&format!("{N} replications")),
        "{title}"
    );
    for p in PLATFORMS {
        assert!(md.contains(p), "summary.md names {p}");
    }

    // scenario.toml
    let resolved: toml::Table =
        toml::from_str(&fs::read_to_string(dir.join("scenario.toml")).unwrap()).expect("the resolved scenario is TOML");
    assert_eq!(resolved["name"].as_str(), Some(name));
    assert_eq!(resolved["simulation"]["seed"].as_integer(), Some(seed as i64));
    outputs
}

// 1. Each shipped scenario runs and writes its six files.

#[test]
fn guizhou_runs_and_writes_its_summary_series_and_resolved_scenario() {
    let o = check_run_outputs("guizhou");
    assert_eq!(o.last_mean("Taocaicai", "approvals"), 0.0, "Taocaicai is held");
    assert_eq!(mean(&o.summary, "Taocaicai", "releases"), 0.0);
    assert!(o.last_mean("Meituan Select", "approvals") > 0.0);
    assert!(mean(&o.summary, "Meituan Select", "releases") > 0.0);
    // Nothing decided: no decision time.
    assert!(headline(&o.summary, "Taocaicai", "decision_hours_mean")["mean"].is_null());
    assert!(
        mean(&o.summary, "Taocaicai", "active_users_change_pct") < 0.0,
        "a held Taocaicai loses users"
    );
}

#[test]
fn weekly_runs_and_every_platform_gets_updates_approved() {
    let o = check_run_outputs("weekly");
    for p in PLATFORMS {
        assert!(o.last_mean(p, "approvals") > 0.0, "{p} has approvals");
        assert!(mean(&o.summary, p, "releases") > 0.0, "{p} has releases");
    }
}

#[test]
fn blocked_runs_and_taocaicai_gets_no_update_approved() {
    let o = check_run_outputs("blocked");
    assert_eq!(o.last_mean("Taocaicai", "approvals"), 0.0);
    assert_eq!(mean(&o.summary, "Taocaicai", "releases"), 0.0);
    let releases = headline(&o.summary, "Taocaicai", "releases");
    assert_eq!(
        (releases["ci_low"].as_f64(), releases["ci_high"].as_f64()),
        (Some(0.0), Some(0.0))
    );
    assert!(
        o.last_mean("Taocaicai", "submissions") > 0.0,
        "Taocaicai keeps submitting"
    );
    assert!(mean(&o.summary, "Duoduo Maicai", "releases") > 0.0);
    assert!(o.dir.join("summary.md").is_file());
}

/// Reports the first rows of a timeseries whose percentiles are out of order.
fn percentiles_out_of_order(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter()
        .filter(|row| match (cell(&row[7]), cell(&row[8]), cell(&row[9])) {
            (Some(a), Some(b), Some(c)) => !(a <= b && b <= c),
            _ => false,
        })
        .map(|row| row.join(","))
        .collect()
}

#[test]
fn the_daily_percentiles_are_in_order() {
    for name in ["guizhou", "weekly"] {
        let cwd = tmp();
        let out = cwd.path().join("out");
        run_ok(cwd.path(), &scenario(name), &out, &[]);
        let rows = read_csv(&out.join(name).join("timeseries.csv"), TIMESERIES_HEADER);
        let bad = percentiles_out_of_order(&rows);
        assert!(
            bad.is_empty(),
            "{name}: {} rows with p05 <= p50 <= p95 broken, e.g.\n{}",
            bad.len(),
            bad.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn a_quiet_run_prints_nothing_and_a_normal_run_names_its_output_folder() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let quiet = run_ok(cwd.path(), &scenario("weekly"), &out, &[]);
    assert!(quiet.stdout.is_empty(), "--quiet printed: {}", quiet.stdout_text());
    assert!(quiet.stderr.is_empty(), "--quiet printed errors: {}", quiet.stderr);
    let loud = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("weekly")),
            "--out".into(),
            s(&out),
            "-n".into(),
            "2".into(),
        ],
    );
    loud.expect_code(0);
    let text = loud.stdout_text();
    assert!(text.contains("weekly") && text.contains("2 replications"), "{text}");
    for p in PLATFORMS {
        assert!(text.contains(p), "the table names {p}: {text}");
    }
    assert!(
        text.contains(&s(&out.join("weekly"))),
        "the output folder is named: {text}"
    );
}

// 2. Determinism.

#[test]
fn the_same_scenario_run_twice_gives_byte_identical_outputs() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(cwd.path(), &scenario("guizhou"), &a, &[]);
    run_ok(cwd.path(), &scenario("guizhou"), &b, &[]);
    assert_eq!(names_in(&a.join("guizhou")), OUTPUT_FILES);
    assert_same_outputs(&a.join("guizhou"), &b.join("guizhou"), "two identical runs");
}

#[test]
fn outputs_are_byte_identical_for_one_and_two_threads() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(cwd.path(), &scenario("guizhou"), &a, &["-n", "6", "--threads", "1"]);
    run_ok(cwd.path(), &scenario("guizhou"), &b, &["-n", "6", "--threads", "2"]);
    assert_eq!(names_in(&a.join("guizhou")), OUTPUT_FILES);
    assert_eq!(
        read_json(&a.join("guizhou/summary.json"))["replications"].as_u64(),
        Some(6)
    );
    assert_same_outputs(&a.join("guizhou"), &b.join("guizhou"), "--threads 1 and --threads 2");
}

#[test]
fn more_replications_extend_the_same_replications() {
    // Replication i does not depend on how many run: the first rows agree.
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(cwd.path(), &scenario("weekly"), &a, &["-n", "2"]);
    run_ok(cwd.path(), &scenario("weekly"), &b, &["-n", "4"]);
    let x = fs::read_to_string(a.join("weekly/replications.csv")).unwrap();
    let y = fs::read_to_string(b.join("weekly/replications.csv")).unwrap();
    assert_eq!(x.lines().count(), 3);
    assert_eq!(y.lines().count(), 5);
    assert!(y.starts_with(&x), "replications 0 and 1 changed when 4 ran:\n{x}\n{y}");
}

#[test]
fn another_seed_gives_another_timeseries_and_is_recorded() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(cwd.path(), &scenario("guizhou"), &a, &[]);
    run_ok(cwd.path(), &scenario("guizhou"), &b, &["--seed", "7"]);
    let x = fs::read(a.join("guizhou/timeseries.csv")).unwrap();
    let y = fs::read(b.join("guizhou/timeseries.csv")).unwrap();
    assert!(x != y, "--seed 7 gave the same series as the default seed");
    let summary = read_json(&b.join("guizhou/summary.json"));
    assert_eq!(summary["run"]["seed"].as_u64(), Some(7));
    let resolved = fs::read_to_string(b.join("guizhou/scenario.toml")).unwrap();
    assert!(
        resolved.contains("seed = 7\n"),
        "the resolved scenario records the seed:\n{resolved}"
    );
}

// 3. The resolved scenario reruns the same run.

#[test]
fn the_resolved_scenario_written_by_run_reruns_to_byte_identical_outputs() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(
        cwd.path(),
        &scenario("guizhou"),
        &a,
        &["--seed", "99", "--set", "gatekeeper.reviewers=3"],
    );
    let resolved = a.join("guizhou/scenario.toml");
    // Its file stem is "scenario" but it names itself "guizhou".
    run_ok(cwd.path(), &resolved, &b, &[]);
    assert!(!b.join("scenario").exists(), "the rerun kept the scenario's name");
    assert_same_outputs(
        &a.join("guizhou"),
        &b.join("guizhou"),
        "a rerun from the resolved scenario",
    );
}

// 4. Invalid scenarios.

#[test]
fn an_unknown_key_is_named_with_its_line_and_a_suggestion() {
    let text = edit(&scenario_text("guizhou"), "\nreviewers = 4\n", "\nreviewrs = 2\n");
    let line = line_of(&text, "reviewrs = 2");
    assert_text_refused(
        "typo.toml",
        text.as_bytes(),
        &[
            "gatekeeper.reviewrs",
            &format!("line {line}"),
            "Did you mean `reviewers`?",
        ],
    );
}

#[test]
fn an_unknown_key_at_the_top_is_named_with_a_suggestion() {
    let text = edit(
        &scenario_text("guizhou"),
        "\nname = \"guizhou\"",
        "\nnmae = \"guizhou\"",
    );
    let line = line_of(&text, "nmae =");
    assert_text_refused(
        "top.toml",
        text.as_bytes(),
        &["nmae", &format!("line {line}"), "Did you mean `name`?"],
    );
}

#[test]
fn a_bad_distribution_parameter_is_named_by_its_full_key_path() {
    let text = edit(
        &scenario_text("guizhou"),
        "review_hours = { dist = \"lognormal\", median = 20, sigma = 0.6 }",
        "review_hours = { dist = \"exponential\", mean = -1 }",
    );
    assert_text_refused(
        "dist.toml",
        text.as_bytes(),
        &["gatekeeper.classes[0].review_hours.mean", "-1"],
    );
}

#[test]
fn a_bad_bare_number_for_a_distribution_is_named_by_its_key() {
    let text = edit(&scenario_text("guizhou"), "hold_days = 0\n", "hold_days = -1\n");
    let err = assert_text_refused("bare.toml", text.as_bytes(), &["gatekeeper.classes[0].hold_days: "]);
    // `hold_days = -1` has no `value` key to point at.
    assert!(!err.contains("hold_days.value"), "{err}");
}

#[test]
fn a_misspelt_distribution_name_gets_a_suggestion() {
    let text = edit(
        &scenario_text("guizhou"),
        "dist = \"lognormal\", median = 20",
        "dist = \"lognormul\", median = 20",
    );
    let line = line_of(&text, "lognormul");
    assert_text_refused(
        "distname.toml",
        text.as_bytes(),
        &[
            "gatekeeper.classes[0].review_hours.dist",
            &format!("line {line}"),
            "Did you mean `lognormal`?",
        ],
    );
}

#[test]
fn an_unknown_class_in_a_platform_is_refused_with_a_suggestion() {
    let text = edit(&scenario_text("guizhou"), "class = \"blocked\"", "class = \"blokced\"");
    assert_text_refused(
        "class.toml",
        text.as_bytes(),
        &["platforms[2].class", "\"blokced\"", "Did you mean `blocked`?"],
    );
}

#[test]
fn a_toml_syntax_error_is_refused_with_its_line() {
    let text = "name = \"x\"\n\n[gatekeeper\nreviewers = 1\n";
    assert_text_refused("syntax.toml", text.as_bytes(), &["line 3"]);
}

#[test]
fn a_missing_required_key_is_named() {
    let text = edit(&scenario_text("guizhou"), "\ncadence_days = 7\n", "\n");
    assert_text_refused(
        "missing.toml",
        text.as_bytes(),
        &["platforms[0]", "missing key `cadence_days`"],
    );
}

#[test]
fn a_string_where_a_number_is_expected_is_refused_with_its_key_and_line() {
    let text = edit(
        &scenario_text("guizhou"),
        "\nreviewers = 4\n",
        "\nreviewers = \"four\"\n",
    );
    let line = line_of(&text, "reviewers = \"four\"");
    assert_text_refused(
        "type.toml",
        text.as_bytes(),
        &["gatekeeper.reviewers", &format!("line {line}"), "string"],
    );
}

#[test]
fn an_empty_file_is_refused_as_missing_its_gatekeeper() {
    assert_text_refused("empty.toml", b"", &["missing key `gatekeeper`"]);
}

#[test]
fn binary_garbage_is_refused_without_a_panic() {
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_text_refused("garbage.toml", &garbage, &["cannot read"]);
    // Valid UTF-8 but no TOML: control characters, stray brackets and quotes.
    assert_text_refused("noise.toml", b"\x00\x01 = [[\n\"\x7f\n]] = =\n", &[]);
}

#[test]
fn a_nonexistent_file_is_refused_with_its_name() {
    let dir = tmp();
    assert_refused(&dir.path().join("no-such-scenario.toml"), &["cannot read"]);
}

#[test]
fn a_folder_given_as_the_scenario_is_refused() {
    let dir = tmp();
    let folder = dir.path().join("folder.toml");
    fs::create_dir(&folder).unwrap();
    assert_refused(&folder, &["cannot read"]);
}

// 5. A failed or interrupted run keeps the previous results.

#[test]
fn a_previous_result_survives_a_failed_run_of_the_same_scenario() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &[]);
    let before: Vec<Vec<u8>> = OUTPUT_FILES
        .iter()
        .map(|f| fs::read(out.join("guizhou").join(f)).unwrap())
        .collect();

    // Same `name`, invalid content.
    let bad = cwd.path().join("bad.toml");
    let text = edit(&scenario_text("guizhou"), "\nreviewers = 4\n", "\nreviewers = 0\n");
    assert!(text.contains("name = \"guizhou\""));
    fs::write(&bad, text).unwrap();
    gatesim(
        cwd.path(),
        &["run".into(), s(&bad), "--out".into(), s(&out), "-n".into(), "2".into()],
    )
    .expect_code(2);
    // The valid file with an invalid override.
    gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&out),
            "-n".into(),
            "2".into(),
            "--set".into(),
            "simulation.horizon_days=0".into(),
        ],
    )
    .expect_code(2);

    assert_eq!(names_in(&out.join("guizhou")), OUTPUT_FILES);
    for (f, b) in OUTPUT_FILES.iter().zip(&before) {
        assert!(
            &fs::read(out.join("guizhou").join(f)).unwrap() == b,
            "{f} changed after a failed run"
        );
    }
    assert_eq!(names_in(&out), ["guizhou"], "no temporary folder is left behind");
}

#[test]
fn an_interrupted_run_exits_130_and_keeps_the_previous_results() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &["-n", "2"]);
    let dir = out.join("guizhou");
    let summary_before = fs::read(dir.join("summary.json")).unwrap();
    let before: Vec<Vec<u8>> = OUTPUT_FILES.iter().map(|f| fs::read(dir.join(f)).unwrap()).collect();

    let mut child = Command::new(BIN)
        .args([
            "run".to_string(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&out),
            "-q".into(),
            "-n".into(),
            "100000".into(),
            "--threads".into(),
            "1".into(),
        ])
        .current_dir(cwd.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gatesim binary starts");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it was interrupted"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success(), "kill -INT failed");
    // Give it a generous while to stop, but never hang the suite.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not stop within 30 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "the program panicked:\n{stderr}");
    assert_eq!(
        status.code(),
        Some(130),
        "exit code of an interrupted run; stderr:\n{stderr}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");

    assert!(
        fs::read(dir.join("summary.json")).unwrap() == summary_before,
        "summary.json changed after an interrupted run"
    );
    assert_eq!(names_in(&dir), OUTPUT_FILES);
    for (f, b) in OUTPUT_FILES.iter().zip(&before) {
        assert!(
            &fs::read(dir.join(f)).unwrap() == b,
            "{f} changed after an interrupted run"
        );
    }
    assert_eq!(
        names_in(&out),
        ["guizhou"],
        "no temporary folder (.guizhou.tmp-*) is left behind"
    );
}

// 6. Replications and the precision target.

#[test]
fn the_replications_flag_sets_the_number_of_replications() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("blocked"), &out, &["--replications", "2"]);
    let summary = read_json(&out.join("blocked/summary.json"));
    assert_eq!(summary["replications"].as_u64(), Some(2));
    for p in PLATFORMS {
        assert_eq!(headline(&summary, p, "active_users_end")["n"].as_u64(), Some(2));
    }
    let rows = fs::read_to_string(out.join("blocked/replications.csv")).unwrap();
    let first: Vec<String> = rows.lines().skip(1).map(|l| csv_fields(l)[0].clone()).collect();
    assert_eq!(first, ["0", "1"]);
}

#[test]
fn a_single_replication_has_no_interval() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("weekly"), &out, &["-n", "1"]);
    let dir = out.join("weekly");
    let summary = read_json(&dir.join("summary.json"));
    check_summary(&summary, "weekly", 20211116, 240, 1);
    let h = headline(&summary, "Meituan Select", "active_users_end");
    assert!(h["mean"].as_f64().is_some());
    assert!(
        h["sd"].is_null() && h["ci_low"].is_null() && h["ci_high"].is_null(),
        "{h}"
    );
    let rows = check_timeseries(&dir.join("timeseries.csv"), 240);
    assert!(
        rows.iter().all(|r| r[5].is_empty() && r[6].is_empty()),
        "no interval from one replication"
    );
}

#[test]
fn the_precision_target_stops_when_met_and_reports_it() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &a,
        &["-n", "10", "--precision", "0.05", "--max-replications", "200"],
    );
    let summary = read_json(&a.join("weekly/summary.json"));
    let precision = &summary["precision"];
    assert_eq!(precision["met"], true, "{precision}");
    assert_eq!(precision["target"].as_f64(), Some(0.05));
    assert_eq!(precision["max_replications"].as_u64(), Some(200));
    let n = summary["replications"].as_u64().unwrap();
    assert!((10..=200).contains(&n), "{n} replications");
    assert!(
        n == 10 || (n - 10).is_multiple_of(50) || n == 200,
        "{n} is not a step of 50 above 10"
    );
    check_summary(&summary, "weekly", 20211116, 240, n);
    // Every targeted headline is within 5% (Law and Kelton: 0.05 / 1.05).
    for p in PLATFORMS {
        let h = headline(&summary, p, "active_users_end");
        let (m, lo, hi) = (
            h["mean"].as_f64().unwrap(),
            h["ci_low"].as_f64().unwrap(),
            h["ci_high"].as_f64().unwrap(),
        );
        assert!(0.5 * (hi - lo) <= 0.05 / 1.05 * m.abs(), "{p}: {h}");
    }
    if let Some(w) = precision["worst_relative_half_width"].as_f64() {
        assert!(w <= 0.05, "the widest targeted headline: {w}");
    }
    let md = fs::read_to_string(a.join("weekly/summary.md")).unwrap();
    assert!(md.contains("Precision target") && md.contains("met"), "{md}");
    let reps = fs::read_to_string(a.join("weekly/replications.csv")).unwrap();
    assert_eq!(reps.lines().count() as u64, n + 1);

    // An unreachable target runs to the cap and says so.
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &b,
        &["-n", "10", "--precision", "0.0001", "--max-replications", "60"],
    );
    let summary = read_json(&b.join("weekly/summary.json"));
    assert_eq!(summary["precision"]["met"], false, "{}", summary["precision"]);
    assert_eq!(summary["replications"].as_u64(), Some(60));
    assert!(summary["precision"]["worst"].is_string(), "{}", summary["precision"]);
    let reps = read_csv(
        &b.join("weekly/replications.csv"),
        fs::read_to_string(b.join("weekly/replications.csv"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    );
    let numbers: Vec<String> = reps.iter().map(|r| r[0].clone()).collect();
    let expected: Vec<String> = (0..60).map(|i: u32| i.to_string()).collect();
    assert_eq!(numbers, expected);
    let md = fs::read_to_string(b.join("weekly/summary.md")).unwrap();
    assert!(md.contains("not met"), "{md}");
}

#[test]
fn bad_precision_flags_are_refused_before_running() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("weekly"));
    let cases: [&[&str]; 6] = [
        &["--precision", "0"],
        &["--precision", "2"],
        &["--precision", "abc"],
        &["--precision", "1"],
        &["--precision", "NaN"],
        &["--precision", "0.1", "--max-replications", "5"],
    ];
    for extra in cases {
        let mut args = vec![
            "run".to_string(),
            scen.clone(),
            "--out".into(),
            s(&out),
            "-n".into(),
            "10".into(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{extra:?} printed: {}", o.stdout_text());
        let flag = if extra.len() > 2 {
            "--max-replications"
        } else {
            "--precision"
        };
        assert!(o.stderr.contains(flag), "{extra:?}: {}", o.stderr);
    }
    assert!(absent_or_empty(cwd.path()), "a refused flag wrote files");
}

#[test]
fn zero_replications_or_threads_are_refused() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("weekly"));
    for extra in [["-n", "0"], ["--replications", "-3"], ["--threads", "0"], ["-j", "x"]] {
        let mut args = vec!["run".to_string(), scen.clone(), "--out".into(), s(&out)];
        args.extend(extra.iter().map(|a| a.to_string()));
        if extra[0] != "-n" && extra[0] != "--replications" {
            args.extend(["-n".into(), "2".into()]);
        }
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{extra:?} printed: {}", o.stdout_text());
    }
    assert!(absent_or_empty(cwd.path()), "a refused flag wrote files");
}

// 7. --set.

#[test]
fn setting_the_reviewers_changes_the_resolved_scenario_and_the_run() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(
        cwd.path(),
        &scenario("guizhou"),
        &out,
        &["--set", "gatekeeper.reviewers=2"],
    );
    let resolved: toml::Table =
        toml::from_str(&fs::read_to_string(out.join("guizhou/scenario.toml")).unwrap()).unwrap();
    assert_eq!(resolved["gatekeeper"]["reviewers"].as_integer(), Some(2));
    let summary = read_json(&out.join("guizhou/summary.json"));
    assert_eq!(
        summary["resolved_scenario"]["gatekeeper"]["reviewers"].as_u64(),
        Some(2)
    );
    // The daily reviewer count is 2 on every day of every replication.
    let rows = read_csv(&out.join("guizhou/timeseries.csv"), TIMESERIES_HEADER);
    let reviewers: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "gatekeeper" && r[2] == "reviewers")
        .collect();
    assert_eq!(reviewers.len(), 241);
    for r in reviewers {
        for k in 4..10 {
            assert_eq!(cell(&r[k]), Some(2.0), "{r:?}");
        }
    }
}

#[test]
fn moving_taocaicai_to_the_standard_class_lets_its_updates_through() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(
        cwd.path(),
        &scenario("blocked"),
        &out,
        &["--set", "platforms.Taocaicai.class=standard"],
    );
    let summary = read_json(&out.join("blocked/summary.json"));
    assert!(mean(&summary, "Taocaicai", "releases") > 0.0);
    assert!(
        headline(&summary, "Taocaicai", "decision_hours_mean")["mean"]
            .as_f64()
            .is_some_and(|h| h > 0.0),
        "Taocaicai's submissions get decided"
    );
    let resolved = fs::read_to_string(out.join("blocked/scenario.toml")).unwrap();
    let table: toml::Table = toml::from_str(&resolved).unwrap();
    let taocaicai = table["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str() == Some("Taocaicai"));
    assert_eq!(taocaicai.unwrap()["class"].as_str(), Some("standard"));
}

#[test]
fn a_set_by_index_reaches_the_same_platform_as_a_set_by_name() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(
        cwd.path(),
        &scenario("blocked"),
        &a,
        &["-n", "2", "--set", "platforms.Taocaicai.class=standard"],
    );
    run_ok(
        cwd.path(),
        &scenario("blocked"),
        &b,
        &["-n", "2", "--set", "platforms[2].class=\"standard\""],
    );
    assert_same_outputs(&a.join("blocked"), &b.join("blocked"), "a set by index and by name");
}

/// Runs `scenario` with the given `--set`s and expects a refusal; returns stderr.
fn refused_set(sets: &[&str]) -> String {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let mut args = vec![
        "run".to_string(),
        s(&scenario("blocked")),
        "--out".into(),
        s(&out),
        "-n".into(),
        "2".into(),
    ];
    for set in sets {
        args.push("--set".into());
        args.push(set.to_string());
    }
    let o = gatesim(cwd.path(), &args);
    o.expect_code(2);
    assert!(o.stdout.is_empty());
    assert!(!out.exists(), "a refused --set created the out folder");
    o.stderr
}

#[test]
fn a_set_naming_no_platform_is_refused() {
    let err = refused_set(&["platforms.Nobody.class=x"]);
    assert!(err.contains("Nobody"), "{err}");
    assert!(err.contains("platforms.Nobody.class=x"), "the flag is quoted: {err}");
}

#[test]
fn a_set_with_a_value_of_the_wrong_type_is_refused() {
    let err = refused_set(&["gatekeeper.reviewers=many"]);
    assert!(err.contains("gatekeeper.reviewers"), "{err}");
    assert!(err.contains("many"), "{err}");
}

#[test]
fn a_set_of_an_unknown_key_is_refused_with_a_suggestion() {
    let err = refused_set(&["gatekeeper.reviewrs=2"]);
    assert!(err.contains("Did you mean `reviewers`?"), "{err}");
}

#[test]
fn a_set_without_a_value_or_with_an_invalid_value_is_refused() {
    let err = refused_set(&["gatekeeper.reviewers"]);
    assert!(err.contains("key.path=value"), "{err}");
    let err = refused_set(&["gatekeeper.reviewers=0"]);
    assert!(
        err.contains("gatekeeper.reviewers") && err.contains("at least 1"),
        "{err}"
    );
    let err = refused_set(&["platforms.Taocaicai.class=nosuch"]);
    assert!(err.contains("platforms[2].class"), "{err}");
}

// 8. check.

#[test]
fn check_prints_the_resolved_scenario() {
    let cwd = tmp();
    let o = gatesim(cwd.path(), &["check".into(), s(&scenario("guizhou"))]);
    o.expect_code(0);
    let text = o.stdout_text();
    assert!(text.contains("is valid"), "{text}");
    assert!(text.contains("name = \"guizhou\""), "{text}");
    assert!(text.contains("one_version_under_review = true"), "{text}");
    assert!(text.contains("hold_days = \"never\""), "{text}");
    let table: toml::Table = toml::from_str(&text).expect("check prints TOML");
    assert_eq!(table["platforms"].as_array().unwrap().len(), 3);
    assert!(absent_or_empty(cwd.path()), "check wrote files");
}

#[test]
fn check_fills_in_the_defaults_of_a_minimal_scenario() {
    let dir = tmp();
    let path = dir.path().join("minimal.toml");
    let text = "[gatekeeper]\n\
                [[gatekeeper.classes]]\nname = \"std\"\nreview_hours = 1\n\
                [[platforms]]\nname = \"A\"\nclass = \"std\"\ncadence_days = 7\n";
    fs::write(&path, text).unwrap();
    let o = gatesim(dir.path(), &["check".into(), s(&path)]);
    o.expect_code(0);
    let out = o.stdout_text();
    for expected in [
        "name = \"minimal\"",
        "seed = 1\n",
        "horizon_days = 365\n",
        "warmup_days = 0\n",
        "reviewers = 1\n",
        "discipline = \"fifo\"",
        "one_version_under_review = true",
        "when_in_review = \"wait\"",
        "expedite = \"never\"",
        "rejection_probability = 0.0",
    ] {
        assert!(
            out.contains(expected),
            "check does not show `{}`:\n{out}",
            expected.trim()
        );
    }
}

#[test]
fn check_and_run_agree_on_the_resolved_scenario() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let sets = ["--seed", "5", "--set", "platforms.Taocaicai.phase_days=4"];
    run_ok(cwd.path(), &scenario("guizhou"), &out, &sets);
    let mut args = vec!["check".to_string(), s(&scenario("guizhou"))];
    args.extend(sets.iter().map(|a| a.to_string()));
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let printed = o.stdout_text();
    let written = fs::read_to_string(out.join("guizhou/scenario.toml")).unwrap();
    // The run records the replications it ran (-n 3); the file says 200.
    assert!(written.contains("\nreplications = 3\n"), "{written}");
    let written = written.replace("\nreplications = 3\n", "\nreplications = 200\n");
    let body = printed.split_once("\n\n").expect("a header line, then the scenario").1;
    assert_eq!(body, written);
    assert!(written.contains("phase_days = 4.0"), "{written}");
}

// 9. trace.

fn trace_stdout(args: &[&str]) -> String {
    let cwd = tmp();
    let mut all = vec!["trace".to_string(), s(&scenario("guizhou"))];
    all.extend(args.iter().map(|a| a.to_string()));
    let o = gatesim(cwd.path(), &all);
    o.expect_code(0);
    assert!(absent_or_empty(cwd.path()), "trace to stdout wrote files");
    o.stdout_text()
}

#[test]
fn trace_writes_time_sorted_csv_with_the_documented_header() {
    let text = trace_stdout(&[]);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(TRACE_HEADER));
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert!(rows.len() > 100, "a 240-day run has many events");
    let mut last = 0u64;
    for row in &rows {
        assert_eq!(row.len(), 7, "{row:?}");
        let t: u64 = row[0].parse().unwrap();
        assert!(t >= last, "rows are sorted by time_ms: {t} after {last}");
        last = t;
        let days: f64 = row[1].parse().unwrap();
        assert!(
            (days - t as f64 / 86_400_000.0).abs() < 1e-9,
            "time_days matches time_ms: {row:?}"
        );
        assert!(t <= 240 * 86_400_000, "events fall within the horizon");
        assert!(row[2].is_empty() || PLATFORMS.contains(&row[2].as_str()), "{row:?}");
    }
}

#[test]
fn in_guizhou_taocaicai_is_held_and_withdrawn_but_never_approved_or_released() {
    let text = trace_stdout(&[]);
    let events = |platform: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(csv_fields)
            .filter(|r| r[2] == platform)
            .map(|r| r[5].clone())
            .collect()
    };
    let t = events("Taocaicai");
    for e in ["build", "submit", "hold", "withdraw"] {
        assert!(t.iter().any(|x| x == e), "Taocaicai has no `{e}` event");
    }
    for e in ["approve", "release_start", "release_full"] {
        assert!(!t.iter().any(|x| x == e), "Taocaicai has a `{e}` event");
    }
    // The scenario may lift the block on the horizon (a dated class change on
    // day 240): a review may start then, but never while Taocaicai is blocked.
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(csv_fields)
        .filter(|r| r[2] == "Taocaicai")
        .collect();
    let lift = rows.iter().position(|r| r[5] == "class_change").unwrap_or(rows.len());
    assert!(
        rows[..lift].iter().all(|r| r[5] != "review_start"),
        "Taocaicai has a review while blocked"
    );
    if let Some(change) = rows.get(lift) {
        assert_eq!(change[1], "240", "the block is lifted only on the horizon: {change:?}");
    }
    let m = events("Meituan Select");
    for e in ["approve", "release_start"] {
        assert!(m.iter().any(|x| x == e), "Meituan Select has no `{e}` event");
    }
}

#[test]
fn trace_out_writes_the_same_bytes_as_standard_output() {
    let cwd = tmp();
    let file = cwd.path().join("trace.csv");
    let stdout = gatesim(cwd.path(), &["trace".into(), s(&scenario("guizhou"))]);
    stdout.expect_code(0);
    let to_file = gatesim(
        cwd.path(),
        &["trace".into(), s(&scenario("guizhou")), "--out".into(), s(&file)],
    );
    to_file.expect_code(0);
    assert!(to_file.stdout.is_empty(), "trace --out also printed to stdout");
    assert!(fs::read(&file).unwrap() == stdout.stdout, "--out and stdout differ");
    let entries: Vec<_> = fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [OsStr::new("trace.csv")], "no temporary file is left behind");
}

#[test]
fn another_replication_traces_another_history() {
    let zero = trace_stdout(&[]);
    assert_eq!(zero, trace_stdout(&["--replication", "0"]));
    let one = trace_stdout(&["--replication", "1"]);
    assert!(one.starts_with(TRACE_HEADER));
    assert_ne!(zero, one, "replication 1 repeats replication 0");
}

#[test]
fn trace_follows_the_seed_and_the_sets() {
    let base = trace_stdout(&[]);
    assert_ne!(base, trace_stdout(&["--seed", "7"]));
    let unblocked = trace_stdout(&["--set", "platforms.Taocaicai.class=standard"]);
    assert!(
        unblocked
            .lines()
            .map(csv_fields)
            .any(|r| r[2] == "Taocaicai" && r[5] == "approve"),
        "a standard Taocaicai gets approvals"
    );
}

// 10. Help and usage errors.

#[test]
fn every_subcommand_has_help_naming_its_flags() {
    let cwd = tmp();
    let cases: [(&str, &[&str]); 3] = [
        (
            "run",
            &[
                "--set",
                "--seed",
                "--out",
                "--quiet",
                "--replications",
                "--threads",
                "--precision",
                "--max-replications",
            ],
        ),
        ("check", &["--set", "--seed"]),
        ("trace", &["--set", "--seed", "--out", "--replication"]),
    ];
    for (cmd, flags) in cases {
        let o = gatesim(cwd.path(), &[cmd, "--help"]);
        o.expect_code(0);
        let help = o.stdout_text();
        assert!(help.contains(&format!("gatesim {cmd}")), "{help}");
        for flag in flags {
            assert!(help.contains(flag), "`{cmd} --help` does not mention {flag}:\n{help}");
        }
    }
    let top = gatesim(cwd.path(), &["--help"]);
    top.expect_code(0);
    for cmd in ["run", "check", "trace"] {
        assert!(top.stdout_text().contains(cmd));
    }
    let version = gatesim(cwd.path(), &["--version"]);
    version.expect_code(0);
    assert!(version.stdout_text().contains(env!("CARGO_PKG_VERSION")));
    assert!(absent_or_empty(cwd.path()));
}

#[test]
fn an_unknown_flag_or_command_is_a_usage_error() {
    let cwd = tmp();
    let scen = s(&scenario("guizhou"));
    let cases: Vec<Vec<String>> = vec![
        vec![
            "run".into(),
            scen.clone(),
            "--out".into(),
            s(&cwd.path().join("o")),
            "-n".into(),
            "2".into(),
            "--bogus".into(),
        ],
        vec!["check".into(), scen.clone(), "--bogus".into()],
        vec!["trace".into(), scen.clone(), "--bogus".into()],
        vec!["check".into(), scen.clone(), "--quiet".into()],
        vec!["trace".into(), scen.clone(), "--replication".into(), "-1".into()],
        vec!["frobnicate".into(), scen.clone()],
        vec!["run".into()],
        vec![],
    ];
    for args in cases {
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(o.stderr.contains("Usage"), "{args:?}: {}", o.stderr);
    }
    assert!(absent_or_empty(cwd.path()), "a usage error wrote files");
}

// 11. A bad --out.

#[test]
fn an_out_path_that_is_a_file_is_refused_before_running() {
    let cwd = tmp();
    let file = cwd.path().join("results");
    fs::write(&file, b"keep me\n").unwrap();
    let o = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&file),
            "-n".into(),
            "2".into(),
        ],
    );
    o.expect_code(2);
    assert!(o.stdout.is_empty(), "the scenario ran: {}", o.stdout_text());
    assert!(
        o.stderr.contains("--out") && o.stderr.contains("not a folder"),
        "{}",
        o.stderr
    );
    assert_eq!(fs::read(&file).unwrap(), b"keep me\n");
    let entries: Vec<_> = fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [OsStr::new("results")], "nothing else was written");
}

#[test]
fn an_out_path_below_a_file_is_refused() {
    let cwd = tmp();
    let file = cwd.path().join("results");
    fs::write(&file, b"keep me\n").unwrap();
    let o = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&file.join("sub")),
            "-n".into(),
            "2".into(),
        ],
    );
    o.expect_code(2);
    assert!(o.stdout.is_empty());
    assert_eq!(fs::read(&file).unwrap(), b"keep me\n");
}

#[test]
fn a_missing_out_folder_is_created_with_its_parents() {
    let cwd = tmp();
    let out = cwd.path().join("deep/er/out");
    run_ok(cwd.path(), &scenario("weekly"), &out, &["-n", "2"]);
    assert_eq!(names_in(&out.join("weekly")), OUTPUT_FILES);
}

// 12. Seeds.

#[test]
fn a_seed_above_2_pow_63_minus_1_is_refused() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("guizhou"));
    for seed in [
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-1",
    ] {
        for cmd in ["run", "check", "trace"] {
            // `--seed=-1`: a separate `-1` would be read as a flag.
            let mut args = vec![cmd.to_string(), scen.clone(), format!("--seed={seed}")];
            if cmd == "run" {
                args.extend(["--out".into(), s(&out), "-n".into(), "2".into()]);
            }
            let o = gatesim(cwd.path(), &args);
            o.expect_code(2);
            assert!(o.stdout.is_empty(), "{cmd} --seed {seed} printed output");
            assert!(o.stderr.contains("seed"), "{cmd} --seed {seed}: {}", o.stderr);
        }
    }
    assert!(absent_or_empty(cwd.path()), "a refused seed wrote files");
}

#[test]
fn the_largest_seed_is_accepted_and_recorded() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &out,
        &["--seed", "9223372036854775807", "-n", "2"],
    );
    let summary = read_json(&out.join("weekly/summary.json"));
    assert_eq!(summary["run"]["seed"].as_u64(), Some(9_223_372_036_854_775_807));
    run_ok(cwd.path(), &scenario("weekly"), &out, &["--seed", "0", "-n", "2"]);
    assert_eq!(
        read_json(&out.join("weekly/summary.json"))["run"]["seed"].as_u64(),
        Some(0)
    );
}

#[test]
fn a_run_writes_every_chart_in_each_format_asked_for() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &["--format", "png,svg"]);
    let charts = names_in(&out.join("guizhou/charts"));
    let stems = [
        "active_users",
        "cohort_retention",
        "decision_time",
        "gatekeeper_queue",
        "market_share",
        "orders",
        "release_timeline",
        "staleness",
    ];
    let mut expected: Vec<String> = stems
        .iter()
        .flat_map(|c| [format!("{c}.png"), format!("{c}.svg")])
        .collect();
    expected.sort();
    assert_eq!(charts, expected);
    let out2 = cwd.path().join("out2");
    run_ok(cwd.path(), &scenario("guizhou"), &out2, &["--format", "svg"]);
    let svgs = names_in(&out2.join("guizhou/charts"));
    assert_eq!(svgs.len(), 8);
    assert!(svgs.iter().all(|f| f.ends_with(".svg")));
    for f in &svgs {
        assert_eq!(
            fs::read(out.join("guizhou/charts").join(f)).unwrap(),
            fs::read(out2.join("guizhou/charts").join(f)).unwrap()
        );
    }
    let bad = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--format".into(),
            "jpg".into(),
            "--out".into(),
            s(&cwd.path().join("out3")),
        ],
    );
    bad.expect_code(2);
    assert!(!cwd.path().join("out3").exists());
}
