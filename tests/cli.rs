//! End-to-end tests of the `gatesim` binary: every test runs the real
//! program, in a temporary working folder and with every output sent to a
//! temporary folder, and checks exit codes, messages and the files written.

use serde_json::Value as Json;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");
const PLATFORMS: [&str; 3] = ["Meituan Select", "Duoduo Maicai", "Taocaicai"];
const TIMESERIES_HEADER: &str = "day,platform,staleness_days,open_defects,share_on_latest,builds,submissions,\
approvals,rejections,supersessions,releases,pending,gatekeeper_waiting,gatekeeper_in_review,gatekeeper_held,\
gatekeeper_reviewers,pool,active_users,dau,new_users,churned_users,switched_in,switched_out,orders,appeal,\
churn_multiplier,choice_share";
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

/// Runs `gatesim run <scenario> --out <out> -q` in `cwd` and expects success.
fn run_ok(cwd: &Path, scenario: &Path, out: &Path, extra: &[&str]) -> Outcome {
    let mut args = vec!["run".to_string(), s(scenario), "--out".into(), s(out), "-q".into()];
    args.extend(extra.iter().map(|a| a.to_string()));
    let o = gatesim(cwd, &args);
    o.expect_code(0);
    o
}

fn read_json(path: &Path) -> Json {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// The platform entry named `name` in a summary.
fn platform<'a>(summary: &'a Json, name: &str) -> &'a Json {
    summary["platforms"]
        .as_array()
        .expect("platforms is an array")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no platform {name} in the summary"))
}

fn count(summary: &Json, name: &str, what: &str) -> u64 {
    platform(summary, name)["counts"][what]
        .as_u64()
        .unwrap_or_else(|| panic!("counts.{what} of {name} is not a count"))
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

/// True if `dir` does not exist or is an empty folder.
fn absent_or_empty(dir: &Path) -> bool {
    !dir.exists() || fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
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
        vec!["run".to_string(), s(scenario), "--out".into(), s(&out)],
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

/// Runs a shipped scenario and checks everything it writes; returns the summary.
fn check_run_outputs(name: &str) -> Json {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario(name), &out, &[]);
    let dir = out.join(name);
    let mut files: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["cohorts.csv", "scenario.toml", "summary.json", "timeseries.csv"]
    );
    let leftovers: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(
        leftovers,
        [OsStr::new(name)],
        "only the scenario's folder is left in --out"
    );

    let file: toml::Table = toml::from_str(&scenario_text(name)).unwrap();
    let seed = file["simulation"]["seed"].as_integer().unwrap() as u64;
    let horizon = file["simulation"]["horizon_days"].as_integer().unwrap() as usize;

    let summary = read_json(&dir.join("summary.json"));
    assert_eq!(summary["run"]["seed"].as_u64(), Some(seed));
    assert_eq!(summary["run"]["scenario"], name);
    assert_eq!(summary["run"]["horizon_days"].as_u64(), Some(horizon as u64));
    assert_eq!(summary["run"]["replication"].as_u64(), Some(0));
    assert!(summary["run"]["events"].as_u64().unwrap() > 0);
    let names: Vec<&str> = summary["platforms"]
        .as_array()
        .expect("platforms is an array")
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, PLATFORMS);
    assert!(
        summary["gatekeeper"].is_object(),
        "the summary has a gatekeeper section"
    );
    assert_eq!(summary["gatekeeper"]["reviewers_at_end"].as_u64(), Some(4));
    assert_eq!(summary["resolved_scenario"]["name"], name);
    for p in PLATFORMS {
        assert!(count(&summary, p, "builds") > 0, "{p} cut builds");
    }

    let csv = fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(TIMESERIES_HEADER));
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert_eq!(rows.len(), (horizon + 1) * PLATFORMS.len());
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 27, "row {i} has every column");
        assert_eq!(row[0], (i / PLATFORMS.len()).to_string(), "row {i} is on its day");
        assert_eq!(row[1], PLATFORMS[i % PLATFORMS.len()], "row {i} is on its platform");
    }
    // Cumulative builds on the last day match the summary's count.
    for (k, p) in PLATFORMS.iter().enumerate() {
        let last = &rows[horizon * PLATFORMS.len() + k];
        assert_eq!(
            last[5].parse::<u64>().unwrap(),
            count(&summary, p, "builds"),
            "{p}'s builds"
        );
    }

    let resolved: toml::Table =
        toml::from_str(&fs::read_to_string(dir.join("scenario.toml")).unwrap()).expect("the resolved scenario is TOML");
    assert_eq!(resolved["name"].as_str(), Some(name));
    assert_eq!(resolved["simulation"]["seed"].as_integer(), Some(seed as i64));
    summary
}

// 1. Each shipped scenario runs and writes its three files.

#[test]
fn guizhou_runs_and_writes_its_summary_series_and_resolved_scenario() {
    let summary = check_run_outputs("guizhou");
    assert_eq!(count(&summary, "Taocaicai", "approvals"), 0, "Taocaicai is held");
    assert_eq!(count(&summary, "Taocaicai", "releases"), 0);
    assert!(count(&summary, "Meituan Select", "approvals") > 0);
}

#[test]
fn weekly_runs_and_every_platform_gets_updates_approved() {
    let summary = check_run_outputs("weekly");
    for p in PLATFORMS {
        assert!(count(&summary, p, "approvals") > 0, "{p} has approvals");
        assert!(count(&summary, p, "releases") > 0, "{p} has releases");
    }
}

#[test]
fn blocked_runs_and_taocaicai_gets_no_update_approved() {
    let summary = check_run_outputs("blocked");
    assert_eq!(count(&summary, "Taocaicai", "approvals"), 0);
    assert_eq!(count(&summary, "Taocaicai", "releases"), 0);
    assert!(
        count(&summary, "Taocaicai", "submissions") > 0,
        "Taocaicai keeps submitting"
    );
    assert!(count(&summary, "Duoduo Maicai", "releases") > 0);
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
        &["run".into(), s(&scenario("weekly")), "--out".into(), s(&out)],
    );
    loud.expect_code(0);
    let text = loud.stdout_text();
    assert!(text.contains("weekly"), "{text}");
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
    for f in ["summary.json", "timeseries.csv", "scenario.toml"] {
        let (x, y) = (
            fs::read(a.join("guizhou").join(f)).unwrap(),
            fs::read(b.join("guizhou").join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between two identical runs");
    }
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
    for f in ["summary.json", "timeseries.csv", "scenario.toml"] {
        let (x, y) = (
            fs::read(a.join("guizhou").join(f)).unwrap(),
            fs::read(b.join("guizhou").join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs when rerun from the resolved scenario");
    }
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

// 5. A failed run keeps the previous results.

#[test]
fn a_previous_result_survives_a_failed_run_of_the_same_scenario() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &[]);
    let files = ["summary.json", "timeseries.csv", "scenario.toml"];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(out.join("guizhou").join(f)).unwrap())
        .collect();

    // Same `name`, invalid content.
    let bad = cwd.path().join("bad.toml");
    let text = edit(&scenario_text("guizhou"), "\nreviewers = 4\n", "\nreviewers = 0\n");
    assert!(text.contains("name = \"guizhou\""));
    fs::write(&bad, text).unwrap();
    gatesim(cwd.path(), &["run".into(), s(&bad), "--out".into(), s(&out)]).expect_code(2);
    // The valid file with an invalid override.
    gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&out),
            "--set".into(),
            "simulation.horizon_days=0".into(),
        ],
    )
    .expect_code(2);

    for (f, b) in files.iter().zip(&before) {
        assert!(
            &fs::read(out.join("guizhou").join(f)).unwrap() == b,
            "{f} changed after a failed run"
        );
    }
    let entries: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(entries, [OsStr::new("guizhou")], "no temporary folder is left behind");
}

// 6. --set.

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
    assert_eq!(summary["gatekeeper"]["reviewers_at_end"].as_u64(), Some(2));
    assert_eq!(
        summary["resolved_scenario"]["gatekeeper"]["reviewers"].as_u64(),
        Some(2)
    );
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
    assert!(count(&summary, "Taocaicai", "approvals") > 0);
    assert!(count(&summary, "Taocaicai", "releases") > 0);
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
        &["--set", "platforms.Taocaicai.class=standard"],
    );
    run_ok(
        cwd.path(),
        &scenario("blocked"),
        &b,
        &["--set", "platforms[2].class=\"standard\""],
    );
    for f in ["summary.json", "timeseries.csv", "scenario.toml"] {
        assert!(
            fs::read(a.join("blocked").join(f)).unwrap() == fs::read(b.join("blocked").join(f)).unwrap(),
            "{f}"
        );
    }
}

/// Runs `scenario` with the given `--set`s and expects a refusal; returns stderr.
fn refused_set(sets: &[&str]) -> String {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let mut args = vec!["run".to_string(), s(&scenario("blocked")), "--out".into(), s(&out)];
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

// 7. check.

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
    let body = printed.split_once("\n\n").expect("a header line, then the scenario").1;
    assert_eq!(body, written);
    assert!(written.contains("phase_days = 4.0"), "{written}");
}

// 8. trace.

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
    for e in ["approve", "release_start", "release_full", "review_start"] {
        assert!(!t.iter().any(|x| x == e), "Taocaicai has a `{e}` event");
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

// 9. Help and usage errors.

#[test]
fn every_subcommand_has_help_naming_its_flags() {
    let cwd = tmp();
    let cases: [(&str, &[&str]); 3] = [
        ("run", &["--set", "--seed", "--out", "--quiet"]),
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

// 10. A bad --out.

#[test]
fn an_out_path_that_is_a_file_is_refused_before_running() {
    let cwd = tmp();
    let file = cwd.path().join("results");
    fs::write(&file, b"keep me\n").unwrap();
    let o = gatesim(
        cwd.path(),
        &["run".into(), s(&scenario("guizhou")), "--out".into(), s(&file)],
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
    run_ok(cwd.path(), &scenario("weekly"), &out, &[]);
    assert!(out.join("weekly/summary.json").is_file());
}

// 11. Seeds.

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
                args.extend(["--out".into(), s(&out)]);
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
        &["--seed", "9223372036854775807"],
    );
    let summary = read_json(&out.join("weekly/summary.json"));
    assert_eq!(summary["run"]["seed"].as_u64(), Some(9_223_372_036_854_775_807));
    run_ok(cwd.path(), &scenario("weekly"), &out, &["--seed", "0"]);
    assert_eq!(
        read_json(&out.join("weekly/summary.json"))["run"]["seed"].as_u64(),
        Some(0)
    );
}
