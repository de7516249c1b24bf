//! End-to-end tests of the `gatesim` binary: every test runs the real
//! program, in a temporary working folder and with every output sent to a
//! temporary folder, and checks exit codes, messages and the files written.
//! Every `run` asks for a few replications (`-n`) so the suite stays fast.
//! Each topic is a module, and the helpers they share are here.

mod calibrate;
mod check;
#[cfg(unix)]
mod closed_output;
mod comparisons;
mod failed_runs;
mod fit;
mod invalid_scenarios;
mod messages;
mod money;
mod out_folder;
mod overrides;
mod provenance;
mod replications;
mod resolved_scenario;
mod reviews;
mod run_outputs;
mod seeds;
mod sensitivity;
mod shard;
mod trace;
mod units;
mod usage;

use crate::common::csv_table::CsvTable;
use serde_json::Value as Json;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_gatesim");
pub(crate) const PLATFORMS: [&str; 3] = ["Meituan Select", "Duoduo Maicai", "Taocaicai"];
/// Replications of a run when a test does not say otherwise.
pub(crate) const N: u64 = 3;
/// Every file `run` writes for a scenario with users, sorted.
pub(crate) const OUTPUT_FILES: [&str; 7] = [
    "cohorts.csv",
    "replications.csv",
    "report.html",
    "scenario.toml",
    "summary.json",
    "summary.md",
    "timeseries.csv",
];
pub(crate) const TIMESERIES_HEADER: &str = "day,platform,metric,unit,mean,ci_low,ci_high,p05,p50,p95";
/// The header of a timeseries.csv whose scenario starts on a date.
pub(crate) const DATED_TIMESERIES_HEADER: &str = "day,date,platform,metric,unit,mean,ci_low,ci_high,p05,p50,p95";
pub(crate) const COHORTS_HEADER: &str =
    "platform,cohort,first_day,last_day,mean_size,age_days,retention,ci_low,ci_high";
/// Daily series of each platform (pipeline, then users).
pub(crate) const PLATFORM_SERIES: [&str; 19] = [
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
pub(crate) const MARKET_SERIES: [&str; 2] = ["pool", "hhi_active_users"];
/// Headline metrics of the market (with users).
pub(crate) const MARKET_HEADLINES: [&str; 2] = ["hhi_active_users_end", "hhi_orders"];
pub(crate) const GATEKEEPER_SERIES: [&str; 4] = ["waiting", "in_review", "held", "reviewers"];
/// Headline metrics of each platform (users, then pipeline).
pub(crate) const PLATFORM_HEADLINES: [&str; 14] = [
    "active_users_end",
    "market_share_end",
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
    "decided_within_24h",
    "decided_within_7d",
];
pub(crate) const GATEKEEPER_HEADLINES: [&str; 7] = [
    "utilisation",
    "mean_waiting",
    "queue_wait_hours_mean",
    "queue_wait_hours_p95",
    "reviewed_wait_hours_mean",
    "decided_within_24h",
    "decided_within_7d",
];
pub(crate) const TRACE_HEADER: &str = "time_ms,time_days,platform,build,submission,event,detail";

/// What one invocation of the binary did.
pub(crate) struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Outcome {
    /// What it wrote to standard error.
    pub(crate) fn stderr_text(&self) -> &str {
        &self.stderr
    }

    pub(crate) fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Asserts exit code `code` and no panic, showing stderr on failure.
    pub(crate) fn expect_code(&self, code: i32) -> &Self {
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
pub(crate) fn gatesim<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Outcome {
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
pub(crate) fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

pub(crate) fn scenario_text(name: &str) -> String {
    fs::read_to_string(scenario(name)).expect("the shipped scenario is readable")
}

pub(crate) fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

pub(crate) fn s(p: &Path) -> String {
    p.to_str().expect("temporary paths are UTF-8").to_string()
}

/// `text` with the first occurrence of `from` replaced by `to`; fails if
/// `from` does not occur, so a changed scenario cannot silently test nothing.
pub(crate) fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` not found in the scenario");
    text.replacen(from, to, 1)
}

/// 1-based line of the first line of `text` that contains `needle`.
pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

/// Runs `gatesim run <scenario> --out <out> -q extra...` in `cwd` and expects
/// success. Unless `extra` sets the replications, runs `-n N`.
pub(crate) fn run_ok(cwd: &Path, scenario: &Path, out: &Path, extra: &[&str]) -> Outcome {
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

pub(crate) fn read_json(path: &Path) -> Json {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// The headline `metric` of `scope` in a summary.
pub(crate) fn headline<'a>(summary: &'a Json, scope: &str, metric: &str) -> &'a Json {
    summary["headlines"]
        .as_array()
        .expect("headlines is an array")
        .iter()
        .find(|h| h["scope"] == scope && h["metric"] == metric)
        .unwrap_or_else(|| panic!("no headline {scope} {metric} in the summary"))
}

/// The mean of the headline `metric` of `scope`; fails if it is undefined.
pub(crate) fn mean(summary: &Json, scope: &str, metric: &str) -> f64 {
    headline(summary, scope, metric)["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("{scope} {metric} has no mean"))
}

/// Splits one CSV record into fields (RFC 4180 quoting), with the `csv` crate.
pub(crate) fn csv_fields(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => panic!("`{line}` is not a CSV record: {e}"),
        None => vec![String::new()],
    }
}

/// Reads a CSV file: checks its header is `header` and returns its rows.
pub(crate) fn read_csv(path: &Path, header: &str) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert_eq!(text.lines().next(), Some(header), "the header of {}", path.display());
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Reads a timeseries.csv, with or without its `date` column (a scenario
/// with `simulation.start_date` has one after `day`): checks that every
/// day has one date and that consecutive days' dates are consecutive, and
/// returns the rows without it, in the columns of [`TIMESERIES_HEADER`].
pub(crate) fn read_timeseries(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let dated = text.lines().next() == Some(DATED_TIMESERIES_HEADER);
    if !dated {
        return read_csv(path, TIMESERIES_HEADER);
    }
    let mut rows = read_csv(path, DATED_TIMESERIES_HEADER);
    let mut dates: Vec<(u64, String)> = rows.iter().map(|r| (r[0].parse().unwrap(), r[1].clone())).collect();
    dates.dedup();
    for w in dates.windows(2) {
        assert_eq!(w[0].0 + 1, w[1].0, "{}: one date per day: {w:?}", path.display());
        assert_eq!(next_date(&w[0].1), w[1].1, "{}: consecutive dates", path.display());
    }
    for r in &mut rows {
        r.remove(1);
    }
    rows
}

/// The date after `date` (YYYY-MM-DD).
fn next_date(date: &str) -> String {
    let n: Vec<u32> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let (y, m, d) = (n[0], n[1], n[2]);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
    match (d < len, m < 12) {
        (true, _) => format!("{y:04}-{m:02}-{:02}", d + 1),
        (false, true) => format!("{y:04}-{:02}-01", m + 1),
        (false, false) => format!("{:04}-01-01", y + 1),
    }
}

/// A CSV number cell: `None` when empty; fails unless it is a finite number.
pub(crate) fn cell(x: &str) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let v: f64 = x.parse().unwrap_or_else(|_| panic!("`{x}` is not a number"));
    assert!(v.is_finite(), "`{x}` is not finite");
    Some(v)
}

/// `a` and `b` agree to 1e-9 relative.
pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// True if `dir` does not exist or is an empty folder.
pub(crate) fn absent_or_empty(dir: &Path) -> bool {
    !dir.exists() || fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

/// The sorted names in folder `dir`.
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Asserts that folders `a` and `b` hold the same files with the same bytes.
pub(crate) fn assert_same_outputs(a: &Path, b: &Path, why: &str) {
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

/// The bytes of output file `name` without its provenance (the command
/// line and inputs that produced it): the `provenance` member of a JSON
/// file, the provenance list of a report's header.
pub(crate) fn without_provenance(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    if name.ends_with(".json") {
        let mut v: Json = serde_json::from_slice(&bytes).unwrap();
        if let Some(m) = v.as_object_mut() {
            m.remove("provenance");
        }
        return serde_json::to_vec_pretty(&v).unwrap();
    }
    if name.ends_with("report.html") {
        let text = String::from_utf8(bytes).unwrap();
        if let (Some(a), Some(b)) = (text.find("<dl class=\"provenance\">"), text.find("</dl>\n</header>")) {
            return format!("{}{}", &text[..a], &text[b + 6..]).into_bytes();
        }
        return text.into_bytes();
    }
    bytes
}

/// Asserts that the output folders `a` and `b` hold the same results: the
/// same files, byte for byte but for their provenance (two commands that
/// give the same results, e.g. a rerun from the resolved scenario).
pub(crate) fn assert_same_results(a: &Path, b: &Path, why: &str) {
    let files = names_in(a);
    assert_eq!(files, names_in(b), "{why}: the two runs wrote different files");
    assert!(!files.is_empty(), "{why}: nothing was written");
    for f in &files {
        let read = |d: &Path| without_provenance(f, fs::read(d.join(f)).unwrap());
        assert!(read(a) == read(b), "{why}: {f} differs");
    }
}

/// Feeds an invalid scenario to `run`, `check` and `trace` and checks that
/// each refuses it with exit code 2, no panic, nothing written and a message
/// naming the file and containing every one of `expected`. Returns `run`'s
/// stderr.
pub(crate) fn assert_refused(scenario: &Path, expected: &[&str]) -> String {
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
pub(crate) fn assert_text_refused(name: &str, bytes: &[u8], expected: &[&str]) -> String {
    let dir = tmp();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    assert_refused(&path, expected)
}

/// The (scope, metric) of every daily series, in file order within a day.
pub(crate) fn expected_series() -> Vec<(String, String)> {
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
pub(crate) fn expected_headlines() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in PLATFORMS {
        out.extend(PLATFORM_HEADLINES.iter().map(|m| (p.to_string(), m.to_string())));
    }
    out.extend(MARKET_HEADLINES.iter().map(|m| ("market".to_string(), m.to_string())));
    out.extend(
        GATEKEEPER_HEADLINES
            .iter()
            .map(|m| ("gatekeeper".to_string(), m.to_string())),
    );
    out
}

/// The outputs of one run, kept with the folder that holds them.
pub(crate) struct RunOutputs {
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
pub(crate) fn check_summary(summary: &Json, name: &str, seed: u64, horizon: usize, replications: u64) {
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
pub(crate) fn check_timeseries(path: &Path, horizon: usize) -> Vec<Vec<String>> {
    let rows = read_timeseries(path);
    let series = expected_series();
    assert_eq!(series.len(), 63, "3 platforms x 19 series + 2 market + 4 gatekeeper");
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
pub(crate) fn check_run_outputs(name: &str) -> RunOutputs {
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
