//! End-to-end tests of `gatesim fit`: the real binary on the example files
//! under scenarios/data/, in a temporary working folder. What is printed
//! (the estimates, the lines to paste, which `gatesim check` accepts), what
//! `--out` writes (fit.json with the fields the format promises, fit.md,
//! the charts in the formats asked for, byte-identical from run to run),
//! and that every bad file is refused with exit code 2, its name and line,
//! and nothing written.

use serde_json::Value as Json;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");

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
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code; stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
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
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn data(name: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data").join(name);
    p.to_str().expect("the repository path is UTF-8").to_string()
}

fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

fn s(p: &Path) -> String {
    p.to_str().expect("temporary paths are UTF-8").to_string()
}

fn read_json(path: &Path) -> Json {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The lines of `text` that start with `key = `.
fn pasted(text: &str, key: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no line `{key} = ...` in:\n{text}"))
        .to_string()
}

#[test]
fn the_readme_example_prints_the_published_fit_and_the_daily_lines_and_writes_nothing() {
    // As in the README, from the repository, without --out.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = files_under(&repo.join("scenarios"));
    let o = gatesim(
        repo,
        &[
            "fit",
            "retention",
            "scenarios/data/fader_hardie_regular.csv",
            "--period",
            "year",
        ],
    );
    o.expect_code(0);
    assert!(o.stdout.contains("alpha       0.7041 ±"), "{}", o.stdout);
    assert!(o.stdout.contains("beta        1.182 ±"), "{}", o.stdout);
    assert!(o.stdout.contains("a period is a year"));
    assert!(o.stdout.contains("projected:"));
    assert!(pasted(&o.stdout, "churn_alpha").starts_with("churn_alpha = 0.7"));
    pasted(&o.stdout, "churn_beta");
    assert!(!o.stdout.contains("outputs:"));
    assert_eq!(files_under(&repo.join("scenarios")), before, "nothing is written");
}

#[test]
fn with_out_a_retention_fit_writes_fit_json_fit_md_and_its_chart() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = gatesim(
        dir.path(),
        &[
            "fit",
            "retention",
            &data("fader_hardie_regular.csv"),
            "--period",
            "year",
            "--out",
            &s(&out),
        ],
    );
    o.expect_code(0);
    let target = out.join("fit-retention-fader_hardie_regular");
    assert!(o.stdout.contains(&format!("outputs: {}", target.display())));
    assert_eq!(
        files_under(&target),
        [
            "charts/retention_fit.png",
            "charts/retention_fit.svg",
            "fit.json",
            "fit.md",
            "report.html"
        ]
    );
    let j = read_json(&target.join("fit.json"));
    assert_eq!(j["model"], "sbg");
    assert_eq!(j["period"], "year");
    assert_eq!(j["n"], 1000);
    let params = j["parameters"].as_array().unwrap();
    assert_eq!(params[0]["name"], "alpha");
    assert!((params[0]["estimate"].as_f64().unwrap() - 0.704).abs() < 5e-4);
    assert!(params[1]["se"].as_f64().unwrap() > 0.0);
    assert!(j["log_likelihood"].as_f64().unwrap() < 0.0);
    assert_eq!(j["observed"].as_array().unwrap().len(), 8);
    assert_eq!(j["observed"][7]["active"], 241);
    let fitted = j["fitted"].as_array().unwrap();
    assert_eq!(fitted.len(), 15, "periods 0 to 7 and 7 projected");
    assert_eq!(fitted[8]["projected"], true);
    assert_eq!(j["per_day"]["days_per_period"], 365);
    assert_eq!(j["per_day"]["parameters"][1]["name"], "churn_beta");
    assert_eq!(j["toml"][0], pasted(&o.stdout, "churn_alpha"));
    let md = fs::read_to_string(target.join("fit.md")).unwrap();
    assert!(md.starts_with("# Retention fit: fader_hardie_regular.csv"));
    assert!(md.contains("| alpha | 0.7041 ±"));
    let png = fs::read(target.join("charts/retention_fit.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = fs::read_to_string(target.join("charts/retention_fit.svg")).unwrap();
    assert!(svg.contains("Retention: observed and fitted") && svg.contains("sBG fit"));
}

#[test]
fn the_same_file_gives_byte_identical_results() {
    let dir = tmp();
    let args = |out: &Path| {
        vec![
            "fit".to_string(),
            "retention".into(),
            data("cohort_triangle.csv"),
            "--period".into(),
            "month".into(),
            "--model".into(),
            "bdw".into(),
            "--no-charts".into(),
            "--out".into(),
            s(out),
        ]
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    gatesim(dir.path(), &args(&a)).expect_code(0);
    gatesim(dir.path(), &args(&b)).expect_code(0);
    for f in ["fit.json", "fit.md", "report.html"] {
        let (x, y) = (
            fs::read(a.join("fit-retention-cohort_triangle").join(f)).unwrap(),
            fs::read(b.join("fit-retention-cohort_triangle").join(f)).unwrap(),
        );
        assert_eq!(x, y, "{f} differs between runs");
    }
    assert_eq!(
        files_under(&a.join("fit-retention-cohort_triangle")),
        ["fit.json", "fit.md", "report.html"]
    );
}

#[test]
fn the_bdw_is_tested_against_the_sbg() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = gatesim(
        dir.path(),
        &[
            "fit",
            "retention",
            &data("fader_hardie_regular.csv"),
            "--period",
            "year",
            "--model",
            "bdw",
            "--format",
            "svg",
            "--out",
            &s(&out),
        ],
    );
    o.expect_code(0);
    assert!(o.stdout.contains("beta-discrete-Weibull (BdW)"));
    assert!(o.stdout.contains("Likelihood-ratio test of c = 1"));
    let target = out.join("fit-retention-fader_hardie_regular");
    assert_eq!(
        files_under(&target),
        ["charts/retention_fit.svg", "fit.json", "fit.md", "report.html"]
    );
    let j = read_json(&target.join("fit.json"));
    assert_eq!(j["model"], "bdw");
    let names: Vec<&str> = j["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["alpha", "beta", "c"]);
    assert_eq!(j["sbg"]["model"], "sbg");
    let t = &j["likelihood_ratio_test"];
    assert_eq!(t["df"], 1);
    let lr = 2.0 * (j["log_likelihood"].as_f64().unwrap() - j["sbg"]["log_likelihood"].as_f64().unwrap());
    assert!((t["statistic"].as_f64().unwrap() - lr).abs() < 1e-9);
    // The lines to paste are the sBG's, per day.
    assert_eq!(j["toml"].as_array().unwrap().len(), 2);
}

#[test]
fn a_duration_fit_ranks_four_families_and_writes_them() {
    let dir = tmp();
    let out = dir.path().join("out");
    let o = gatesim(
        dir.path(),
        &[
            "fit",
            "durations",
            &data("review_durations.csv"),
            "--out",
            &s(&out),
            "--format",
            "png",
        ],
    );
    o.expect_code(0);
    assert!(o.stdout.contains("36 still pending"), "{}", o.stdout);
    let target = out.join("fit-durations-review_durations");
    assert_eq!(
        files_under(&target),
        ["charts/duration_fit.png", "fit.json", "fit.md", "report.html"]
    );
    let j = read_json(&target.join("fit.json"));
    assert_eq!((j["n"].as_u64(), j["censored"].as_u64()), (Some(400), Some(36)));
    assert_eq!(j["unit"], "hours");
    let fams = j["families"].as_array().unwrap();
    assert_eq!(fams.len(), 4);
    let mut names: Vec<&str> = fams.iter().map(|f| f["family"].as_str().unwrap()).collect();
    assert_eq!(j["best"], names[0]);
    names.sort_unstable();
    assert_eq!(names, ["exponential", "gamma", "lognormal", "weibull"]);
    let aics: Vec<f64> = fams.iter().map(|f| f["aic"].as_f64().unwrap()).collect();
    assert!(aics.windows(2).all(|w| w[0] <= w[1]), "ranked by AIC: {aics:?}");
    for f in fams {
        let ks = f["ks_distance"].as_f64().unwrap();
        assert!(ks > 0.0 && ks < 1.0);
        assert!(
            f["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["se"].as_f64().is_some())
        );
    }
    assert_eq!(j["toml"][0], pasted(&o.stdout, "review_hours"));
}

#[test]
fn the_printed_lines_pass_gatesim_check() {
    let dir = tmp();
    let r = gatesim(
        dir.path(),
        &["fit", "retention", &data("cohort_triangle.csv"), "--period", "month"],
    );
    r.expect_code(0);
    let d = gatesim(dir.path(), &["fit", "durations", &data("review_durations.csv")]);
    d.expect_code(0);
    let days = gatesim(
        dir.path(),
        &["fit", "durations", &data("review_durations.csv"), "--unit", "days"],
    );
    days.expect_code(0);
    let scenario = format!(
        r#"
[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
{review}
{hold}

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7
{fix}

[platforms.users]
initial_users = 1000
{alpha}
{beta}

[users]
potential_users = 1000
adoption_per_day = 0
"#,
        review = pasted(&d.stdout, "review_hours"),
        hold = pasted(&days.stdout, "hold_days"),
        fix = pasted(&d.stdout, "fix_days"),
        alpha = pasted(&r.stdout, "churn_alpha"),
        beta = pasted(&r.stdout, "churn_beta"),
    );
    let file = dir.path().join("pasted.toml");
    fs::write(&file, &scenario).unwrap();
    let c = gatesim(dir.path(), &["check", &s(&file)]);
    c.expect_code(0);
    assert!(c.stdout.contains("is valid"), "{}", c.stdout);
}

#[test]
fn every_bad_file_is_refused_with_its_line_and_nothing_is_written() {
    let retention = [
        ("", 1, "empty"),
        ("period,active\n0,1000\n1,six hundred\n2,500\n", 3, "not a number"),
        ("period,active\n0,1000\n1,631\n2,700\n", 4, "rise from 631"),
        ("period,active\n0,1000\n1,-631\n2,500\n", 3, "negative"),
        ("period,active\n0,1000\n1,631\n3,468\n", 4, "period 2 is missing"),
        ("period,active\n0,1000\n1,631\n", 3, "only period 1"),
        ("# a comment\nperiod,users\n0,1000\n", 2, "unknown column `users`"),
        (
            "cohort,period,active\na,0,100\na,1,90\na,2,80\nb,1,50\n",
            5,
            "must be period 0",
        ),
        ("period,active\n0,1000\n1,631,5\n2,500\n", 3, "3 fields"),
    ];
    let durations = [
        ("", 1, "empty"),
        ("hours\n3\n4\n0\n5\n6\n7\n8\n9\n", 4, "not positive"),
        ("hours\n3\n4\n-2\n5\n6\n7\n8\n9\n", 4, "not positive"),
        ("hours\n3\n4\nsoon\n5\n6\n7\n8\n9\n", 4, "not a number"),
        ("hours\n3\n4\n5\n", 4, "only 3 durations"),
        (
            "hours,pending\n3,0\n4,0\n5,1\n6,1\n7,1\n8,1\n9,1\n10,1\n",
            9,
            "2 completed",
        ),
        ("hours,pending\n3,0\n4,maybe\n", 3, "pending flag"),
    ];
    let cases = retention
        .iter()
        .map(|c| ("retention", c))
        .chain(durations.iter().map(|c| ("durations", c)));
    for (what, (text, line, words)) in cases {
        let dir = tmp();
        let file = dir.path().join("bad.csv");
        fs::write(&file, text).unwrap();
        let out = dir.path().join("out");
        let o = gatesim(dir.path(), &["fit", what, &s(&file), "--out", &s(&out)]);
        o.expect_code(2);
        let want = format!("bad.csv, line {line}:");
        assert!(
            o.stderr.contains(&want),
            "{what} {text:?}: expected `{want}` in {}",
            o.stderr
        );
        assert!(
            o.stderr.contains(words),
            "{what} {text:?}: expected `{words}` in {}",
            o.stderr
        );
        assert!(o.stdout.is_empty(), "{what} {text:?}: printed {}", o.stdout);
        assert!(!out.exists(), "{what} {text:?}: something was written");
    }
}

#[test]
fn bad_flags_and_missing_files_are_refused_with_exit_2() {
    let dir = tmp();
    let fh = data("fader_hardie_regular.csv");
    let review = data("review_durations.csv");
    let o = gatesim(dir.path(), &["fit", "retention", &fh, "--period", "fortnight"]);
    o.expect_code(2);
    assert!(o.stderr.contains("fortnight"));
    let o = gatesim(dir.path(), &["fit", "retention", &fh, "--format", "jpg", "--out", "x"]);
    o.expect_code(2);
    assert!(o.stderr.contains("`jpg`"));
    let o = gatesim(dir.path(), &["fit", "durations", &review, "--column", "hour"]);
    o.expect_code(2);
    assert!(
        o.stderr.contains("line 6") && o.stderr.contains("Did you mean `hours`?"),
        "{}",
        o.stderr
    );
    let o = gatesim(dir.path(), &["fit", "durations", &review, "--censored-column", "nope"]);
    o.expect_code(2);
    let o = gatesim(dir.path(), &["fit", "retention", "no-such-file.csv"]);
    o.expect_code(2);
    assert!(
        o.stderr.contains("no-such-file.csv: cannot read the file"),
        "{}",
        o.stderr
    );
    assert!(fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing is written");
}
