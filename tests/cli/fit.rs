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

/// `text` (a comma-separated file with decimal points) as a European
/// spreadsheet writes it: semicolons between columns, decimal commas.
/// Comment lines are left as they are.
fn european(text: &str) -> String {
    each_line(text, |l| l.replace(',', ";").replace('.', ","))
}

/// `text` with tabs between columns.
fn tabbed(text: &str) -> String {
    each_line(text, |l| l.replace(',', "\t"))
}

/// `text` as Windows tools save it: a byte-order mark and CRLF line ends.
fn windows(text: &str) -> String {
    format!("\u{feff}{}", text.replace('\n', "\r\n"))
}

/// `text` with `f` applied to each line that is not a comment.
fn each_line(text: &str, f: impl Fn(&str) -> String) -> String {
    text.lines()
        .map(|l| if l.starts_with('#') { l.to_string() } else { f(l) })
        .map(|l| l + "\n")
        .collect()
}

/// The fit.json that `gatesim fit KIND` writes for a file named data.csv
/// holding `text`, with `flags`, without its provenance (which holds the
/// input's SHA-256 and the command line): the bytes of the fit itself.
fn fit_json(kind: &str, text: &str, flags: &[&str]) -> Vec<u8> {
    let dir = tmp();
    let file = dir.path().join("data.csv");
    fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let mut args = vec!["fit", kind, "data.csv", "--no-charts", "--out", "out"];
    args.extend_from_slice(flags);
    gatesim(dir.path(), &args).expect_code(0);
    let json = fs::read(out.join(format!("fit-{kind}-data")).join("fit.json")).unwrap();
    let text = String::from_utf8(json).expect("fit.json is UTF-8");
    let rest = text
        .strip_prefix("{\n  \"provenance\": {")
        .and_then(|t| t.split_once("\n  },\n"))
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("fit.json does not open with its provenance: {text}"));
    format!("{{\n{rest}").into_bytes()
}

#[test]
fn semicolons_with_decimal_commas_tabs_and_a_bom_with_crlf_fit_exactly_as_the_comma_file() {
    let log = fs::read_to_string(data("review_durations.csv")).unwrap();
    let triangle = fs::read_to_string(data("cohort_triangle.csv")).unwrap();
    assert!(european(&log).contains("s001;36,9;0"), "{}", european(&log));
    for (kind, text, flags) in [
        ("durations", &log, &[][..]),
        ("retention", &triangle, &["--period", "month"][..]),
    ] {
        let comma = fit_json(kind, text, flags);
        for (variant, changed) in [
            ("semicolons and decimal commas", european(text)),
            ("tabs", tabbed(text)),
            ("a byte-order mark and CRLF", windows(text)),
            ("an Excel sep line", format!("sep=;\n{}", european(text))),
        ] {
            assert!(
                fit_json(kind, &changed, flags) == comma,
                "{kind}: the file with {variant} does not give the comma file's fit.json"
            );
        }
    }
}

#[test]
fn quoted_fields_with_separators_and_quotes_inside_are_read_as_one_field() {
    let log = fs::read_to_string(data("review_durations.csv")).unwrap();
    let comma = fit_json("durations", &log, &[]);
    // A note column whose values hold the separator, quotes and spaces
    // around the quotes, and quoted numbers.
    let noted = |sep: char, note: &str| {
        each_line(&log, |l| {
            let l = if sep == ';' {
                european(l).trim_end().to_string()
            } else {
                l.to_string()
            };
            match l.split_once(sep) {
                Some(("id", rest)) => format!("id{sep}note{sep}{rest}"),
                Some((id, rest)) => {
                    let quoted: Vec<String> = rest.split(sep).map(|f| format!("\"{f}\"")).collect();
                    format!("{id}{sep} {note} {sep}{}", quoted.join(&sep.to_string()))
                }
                None => l,
            }
        })
    };
    let commas = noted(',', "\"late, then \"\"fixed\"\"\"");
    assert!(
        commas.contains("s001, \"late, then \"\"fixed\"\"\" ,\"36.9\",\"0\""),
        "{commas}"
    );
    assert!(fit_json("durations", &commas, &[]) == comma, "quoted commas");
    let semicolons = noted(';', "\"resubmitted; twice\"");
    assert!(
        semicolons.contains("s001; \"resubmitted; twice\" ;\"36,9\";\"0\""),
        "{semicolons}"
    );
    assert!(fit_json("durations", &semicolons, &[]) == comma, "quoted semicolons");
}

#[test]
fn ambiguous_files_are_refused_naming_the_separator_found_and_what_to_write() {
    let rows = |sep: &str, values: &[&str]| -> String {
        let mut t = format!("id{sep}hours\n");
        for (i, v) in values.iter().enumerate() {
            t.push_str(&format!("s{i}{sep}{v}\n"));
        }
        t
    };
    let nine = ["36.9", "7.2", "6.9", "5.9", "18.4", "38.7", "32.1", "8.4", "58.1"];
    let comma_decimals: Vec<String> = nine.iter().map(|v| v.replace('.', ",")).collect();
    let comma_decimals: Vec<&str> = comma_decimals.iter().map(String::as_str).collect();
    let mut mixed = comma_decimals.clone();
    mixed[3] = "5.9";
    let thousand = ["37", "7", "7", "1,000", "18", "39", "32", "8", "58"];
    let mut grouped = thousand;
    grouped[3] = "1.234,5";
    let cases: Vec<(String, usize, Vec<&str>)> = vec![
        (
            rows(",", &comma_decimals),
            2,
            vec![
                "this row has 3 fields",
                "`36,9` is one number with a decimal comma",
                "this file separates its columns with commas",
                "write decimals with a point (36.9)",
                "save the file with semicolons",
            ],
        ),
        (
            "hours\n\"36,9\"\n7.2\n".into(),
            2,
            vec![
                "`36,9` is not a number",
                "separates its columns with commas",
                "semicolons",
            ],
        ),
        (
            "id,hours;pending\ns0,36.9;0\n".into(),
            1,
            vec![
                "cannot tell which separator",
                "commas and semicolons",
                "one separator between columns",
            ],
        ),
        (
            rows(";", &mixed),
            2,
            vec!["both with a point (`5.9` on line 5) and with a comma (`36,9` on line 2)"],
        ),
        (
            rows(";", &thousand),
            5,
            vec![
                "`1,000` is not a number",
                "semicolon-separated",
                "write 1000 for a whole number",
            ],
        ),
        (
            rows("\t", &grouped),
            5,
            vec!["thousands separators are not accepted: write 1234,5"],
        ),
    ];
    for (text, line, words) in cases {
        let dir = tmp();
        let file = dir.path().join("eu.csv");
        fs::write(&file, &text).unwrap();
        let o = gatesim(dir.path(), &["fit", "durations", &s(&file), "--column", "hours"]);
        o.expect_code(2);
        assert!(
            o.stderr.contains(&format!("eu.csv, line {line}:")),
            "{text:?}: {}",
            o.stderr
        );
        for w in words {
            assert!(o.stderr.contains(w), "{text:?}: expected `{w}` in {}", o.stderr);
        }
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn fit_retention_reads_columns_named_by_flags_and_refuses_a_missing_one() {
    let triangle = fs::read_to_string(data("cohort_triangle.csv")).unwrap();
    let usual = fit_json("retention", &triangle, &["--period", "month"]);
    let german = european(&triangle).replacen("cohort;period;active", "Kohorte;Monat;Aktive", 1);
    let flags = [
        "--period",
        "month",
        "--period-column",
        "monat",
        "--active-column",
        "Aktive",
        "--cohort-column",
        "Kohorte",
    ];
    assert!(fit_json("retention", &german, &flags) == usual, "named columns");
    let dir = tmp();
    let file = dir.path().join("de.csv");
    fs::write(&file, &german).unwrap();
    let f = s(&file);
    let refused = |args: &[&str], words: &[&str]| {
        let mut all = vec!["fit", "retention", f.as_str()];
        all.extend_from_slice(args);
        let o = gatesim(dir.path(), &all);
        o.expect_code(2);
        assert!(o.stderr.contains("de.csv, line 4:"), "{args:?}: {}", o.stderr);
        for w in words {
            assert!(o.stderr.contains(w), "{args:?}: expected `{w}` in {}", o.stderr);
        }
    };
    refused(
        &[],
        &[
            "unknown column `Kohorte`",
            "--period-column, --active-column and --cohort-column",
        ],
    );
    refused(
        &["--period-column", "Monta", "--active-column", "Aktive"],
        &["no column `Monta` (--period-column)", "Did you mean `Monat`?"],
    );
    refused(
        &["--period-column", "Monat", "--active-column", "Aktive"],
        &["unknown column `Kohorte`"],
    );
    refused(
        &["--period-column", "Monat", "--active-column", "Monat"],
        &["cannot be both the period column and the active column"],
    );
    refused(
        &[
            "--period-column",
            "Monat",
            "--active-column",
            "Aktive",
            "--cohort-column",
            "Jahr",
        ],
        &["no column `Jahr` (--cohort-column)"],
    );
    let help = gatesim(dir.path(), &["fit", "retention", "--help"]);
    help.expect_code(0);
    for flag in ["--period-column", "--active-column", "--cohort-column"] {
        assert!(help.stdout.contains(flag), "{}", help.stdout);
    }
}

#[cfg(unix)]
#[test]
fn a_device_that_never_ends_is_refused_at_the_size_cap() {
    let dir = tmp();
    for kind in ["retention", "durations"] {
        let o = gatesim(dir.path(), &["fit", kind, "/dev/zero"]);
        o.expect_code(2);
        assert!(
            o.stderr.contains("/dev/zero: the file is larger than 64 MB"),
            "{}",
            o.stderr
        );
    }
    let o = gatesim(dir.path(), &["fit", "durations", &s(dir.path())]);
    o.expect_code(2);
    assert!(o.stderr.contains("it is a folder"), "{}", o.stderr);
}
