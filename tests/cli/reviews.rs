//! End-to-end tests of `gatesim fit reviews` and `gatesim trace --format
//! log`: the real binary on the example logs under scenarios/data/. What is
//! printed (the findings, the lines to paste, which load when pasted into
//! the scenario and run), what `--out` writes (fit.json with provenance
//! and every figure, no NaN; fit.md; groups.csv; the Kaplan-Meier and
//! hazard-ratio charts; report.html; byte-identical from run to run), the
//! published figures of the Gehan data through the whole command, and a
//! trace drawn as a log reading back. Bad logs are in the hostile-input
//! corpus (tests/corpus/fit_reviews/).

use super::{gatesim, read_json, s, tmp};
use serde_json::Value as Json;
use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
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

fn data(name: &str) -> String {
    s(&repo().join("scenarios/data").join(name))
}

#[test]
fn the_guizhou_log_says_which_platform_differs_and_prints_classes_to_paste() {
    let cwd = tmp();
    let o = gatesim(
        cwd.path(),
        &["fit", "reviews", &data("review_log.csv"), "--until", "5760"],
    );
    o.expect_code(0);
    let out = &o.stdout_text();
    assert!(out.starts_with("fit reviews: review_log.csv\n"), "{out}");
    assert!(out.contains("Taocaicai differs from the others"), "{out}");
    assert!(out.contains("adjusted p < 0.001"), "{out}");
    assert!(
        out.contains("Meituan Select and Duoduo Maicai do not differ from each other"),
        "{out}"
    );
    assert!(out.contains("only because the others include Taocaicai"), "{out}");
    assert!(out.contains("name = \"never-decided\""), "{out}");
    assert!(out.contains("hold_days = \"never\""), "{out}");
    assert!(out.contains("--set 'platforms.Taocaicai.class=never-decided'"), "{out}");
    assert!(!out.contains("NaN") && !out.contains("inf"), "{out}");
}

/// The printed classes pasted after the scenario's own, the printed `--set`
/// lines giving each platform its class: the scenario loads and runs.
#[test]
fn the_printed_classes_and_set_lines_load_when_pasted_into_the_scenario_and_run() {
    let cwd = tmp();
    let o = gatesim(
        cwd.path(),
        &["fit", "reviews", &data("review_log.csv"), "--until", "5760"],
    );
    o.expect_code(0);
    let printed = &o.stdout_text();
    let start = printed.find("\n[[gatekeeper.classes]]\n").unwrap() + 1;
    let classes_end = printed[start..].find("\n  and give each").unwrap() + start;
    let classes = &printed[start..classes_end];
    let sets: Vec<String> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("--set "))
        .map(|l| l.trim_matches('\'').to_string())
        .collect();
    assert_eq!(sets.len(), 4, "{printed}");
    let scenario = fs::read_to_string(repo().join("scenarios/guizhou.toml")).unwrap();
    let b = scenario.find("[[platforms]]").unwrap();
    let pasted = format!("{}{classes}\n{}", &scenario[..b], &scenario[b..]);
    let file = cwd.path().join("pasted.toml");
    fs::write(&file, pasted).unwrap();
    let mut args: Vec<String> = vec!["run".into(), s(&file), "-n".into(), "2".into(), "--no-charts".into()];
    args.extend(["--out".into(), s(&cwd.path().join("out"))]);
    for set in sets
        .iter()
        .chain(std::iter::once(&"changes[0].class=typical".to_string()))
    {
        args.push("--set".into());
        args.push(set.clone());
    }
    gatesim(cwd.path(), &args).expect_code(0);
}

#[test]
fn with_out_it_writes_every_figure_and_the_charts_the_same_bytes_each_time() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let args = [
        "fit",
        "reviews",
        &data("review_log.csv"),
        "--until",
        "5760",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let dir = out.join("fit-reviews-review_log");
    assert_eq!(
        files_under(&dir),
        [
            "charts/hazard_ratios.png",
            "charts/hazard_ratios.svg",
            "charts/km_curves.png",
            "charts/km_curves.svg",
            "fit.json",
            "fit.md",
            "groups.csv",
            "report.html"
        ]
    );
    let bytes = fs::read(dir.join("fit.json")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(!text.contains("NaN") && !text.contains("Infinity"));
    assert!(text.starts_with("{\n  \"provenance\": {"), "{text}");
    let j: Json = read_json(&dir.join("fit.json"));
    assert_eq!(j["kind"], "reviews");
    assert_eq!(j["set_aside"], serde_json::json!(["Taocaicai"]));
    assert_eq!(j["alike"], serde_json::json!(["Meituan Select", "Duoduo Maicai"]));
    assert_eq!(j["reference"], "Meituan Select");
    let groups = j["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    for g in groups {
        for key in [
            "submissions",
            "approved",
            "rejected",
            "withdrawn",
            "pending",
            "median",
            "p90",
            "restricted_mean",
            "vs_all",
            "step_down",
            "hazard",
            "fit",
            "class",
        ] {
            assert!(g.get(key).is_some(), "{key} missing from {g}");
        }
    }
    let tao = groups.iter().find(|g| g["name"] == "Taocaicai").unwrap();
    assert_eq!(tao["median"]["estimate"], Json::Null);
    assert_eq!(tao["hazard"]["diverges"], "zero");
    assert_eq!(tao["step_down"]["set_aside"], true);
    assert!(tao["step_down"]["adjusted"].as_f64().unwrap() < 0.001);
    assert_eq!(j["toml"]["sets"].as_array().unwrap().len(), 4);
    assert!(!j["findings"].as_array().unwrap().is_empty());
    let csv = fs::read_to_string(dir.join("groups.csv")).unwrap();
    assert!(csv.starts_with("platform,class,submissions,"), "{csv}");
    assert_eq!(csv.lines().count(), 4);
    let md = fs::read_to_string(dir.join("fit.md")).unwrap();
    assert!(md.starts_with("# Review log: review_log.csv"), "{md}");
    assert!(md.contains("```toml\n[[gatekeeper.classes]]"), "{md}");
    let page = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(page.contains("Were the reviews of one platform treated differently"));
    assert!(page.contains("<svg"));
    // Again: the same bytes.
    let charts = fs::read(dir.join("charts/km_curves.svg")).unwrap();
    gatesim(cwd.path(), &args).expect_code(0);
    assert_eq!(fs::read(dir.join("fit.json")).unwrap(), bytes);
    assert_eq!(fs::read(dir.join("charts/km_curves.svg")).unwrap(), charts);
}

/// The 6-MP/placebo data through the whole command: the published medians,
/// log-rank statistic and hazard ratio (see tests/reviews.rs for their
/// sources) in fit.json.
#[test]
fn the_gehan_log_through_the_command_gives_the_published_figures() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    gatesim(
        cwd.path(),
        &[
            "fit",
            "reviews",
            &data("gehan_log.csv"),
            "--until",
            "200",
            "--reference",
            "6-MP",
            "--out",
            &s(&out),
            "--no-charts",
        ],
    )
    .expect_code(0);
    let j = read_json(&out.join("fit-reviews-gehan_log/fit.json"));
    let g = |name: &str| {
        j["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(g("6-MP")["median"]["estimate"], 23.0);
    assert_eq!(g("6-MP")["median"]["lower"], 13.0);
    assert_eq!(g("6-MP")["median"]["upper"], Json::Null);
    assert_eq!(g("placebo")["median"]["estimate"], 8.0);
    assert_eq!(g("placebo")["median"]["upper"], 11.0);
    let chi2 = j["global"]["statistic"].as_f64().unwrap();
    assert!((chi2 - 16.79).abs() < 0.005, "{chi2}");
    let hr = g("placebo")["hazard"]["ratio"].as_f64().unwrap();
    assert!((hr - 4.817).abs() < 0.0005, "{hr}");
    assert_eq!(j["reference"], "6-MP");
}

/// A trace drawn as a log: one row per submission, the header the command
/// reads, the scenario named in the first line; it reads back.
#[test]
fn trace_format_log_draws_a_log_the_command_reads() {
    let cwd = tmp();
    let file = cwd.path().join("log.csv");
    gatesim(
        cwd.path(),
        &[
            "trace",
            &s(&repo().join("tests/corpus/valid.toml")),
            "--format",
            "log",
            "--out",
            &s(&file),
        ],
    )
    .expect_code(0);
    let text = fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    assert!(first.starts_with("# Review log drawn by gatesim trace --format log from scenario corpus"));
    assert!(first.ends_with("--until 720"), "{first}");
    assert_eq!(lines.next(), Some("platform,class,build,submitted,decided,outcome"));
    assert!(lines.all(|l| l.split(',').count() == 6));
    let o = gatesim(
        cwd.path(),
        &["fit", "reviews", &s(&file), "--until", "720", "--by", "class"],
    );
    o.expect_code(0);
    assert!(o.stdout_text().contains("2 classes"), "{}", o.stdout_text());
    // Without --out, to standard output.
    let o = gatesim(
        cwd.path(),
        &["trace", &s(&repo().join("tests/corpus/valid.toml")), "--format", "log"],
    );
    o.expect_code(0);
    assert_eq!(o.stdout_text(), text);
}

/// A log of 600 platforms (more than the covariance matrix is built whole
/// for), sixty of them decided ten times slower: the k-sample test is
/// computed (by conjugate gradients), on 599 degrees of freedom, and finds
/// the difference.
#[test]
fn a_log_of_six_hundred_platforms_gets_its_k_sample_test() {
    let cwd = tmp();
    let mut log = String::from("platform,class,build,submitted,decided,outcome\n");
    // A fixed pseudo-random sequence (a 64-bit linear congruential one).
    let mut state: u64 = 7;
    let mut uniform = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    for p in 0..600 {
        let slow = if p % 10 == 3 { 10.0 } else { 1.0 };
        for b in 0..12 {
            let submitted = f64::from(b) * 168.0;
            let hours = -24.0 * slow * uniform().ln();
            log.push_str(&format!(
                "p{p},standard,{},{submitted},{:.3},approved\n",
                b + 1,
                submitted + hours
            ));
        }
    }
    let file = cwd.path().join("six_hundred.csv");
    fs::write(&file, log).unwrap();
    let out = cwd.path().join("out");
    let o = gatesim(
        cwd.path(),
        &[
            "fit",
            "reviews",
            &s(&file),
            "--out",
            &s(&out),
            "--no-charts",
            "--no-report",
        ],
    );
    o.expect_code(0);
    let fit: Json = read_json(&out.join("fit-reviews-six_hundred/fit.json"));
    let global = &fit["global"];
    assert_eq!(global["df"], 599, "{global}");
    assert!(global["p_value"].as_f64().unwrap() < 1e-9, "{global}");
    assert!(global["not_computed"].is_null(), "{global}");
}
