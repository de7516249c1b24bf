//! CLI tests: comparisons that say what they compare. A platform only one
//! scenario has is reported, never dropped; two scenarios of one name are
//! refused; any pair can be differenced under common random numbers; the
//! outputs open with the inputs that differ and the headline difference.

use super::*;

/// `weekly.toml` with its Taocaicai renamed `Xingsheng`, named `renamed`.
fn renamed(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(scenario("weekly"))
        .unwrap()
        .replace("name = \"weekly\"", "name = \"renamed\"")
        .replace("\"Taocaicai\"", "\"Xingsheng\"");
    let path = dir.join("renamed.toml");
    fs::write(&path, text).unwrap();
    path
}

fn compare(cwd: &Path, files: &[&Path], extra: &[&str]) -> (Outcome, PathBuf) {
    let out = cwd.join("out");
    let mut args = vec!["compare".to_string()];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["-n", "3", "--no-charts", "--out"].iter().map(|a| a.to_string()));
    args.push(s(&out));
    args.extend(extra.iter().map(|a| a.to_string()));
    (gatesim(cwd, &args), out)
}

#[test]
fn a_platform_only_one_scenario_has_is_reported_not_dropped() {
    let cwd = tmp();
    let other = renamed(cwd.path());
    let (o, out) = compare(cwd.path(), &[&scenario("weekly"), &other], &[]);
    o.expect_code(0);
    let dir = out.join("compare-weekly-vs-renamed");
    let csv = fs::read_to_string(dir.join("compare.csv")).unwrap();
    for name in ["Taocaicai", "Xingsheng"] {
        let row = csv
            .lines()
            .find(|l| l.contains(&format!(",{name},active_users_end,")))
            .unwrap_or_else(|| panic!("{name} is in compare.csv: {csv}"));
        assert!(row.contains(",absent,"), "its difference is absent: {row}");
    }
    let json = read_json(&dir.join("compare.json"));
    let unmatched = json["comparisons"][0]["unmatched"].as_array().unwrap();
    assert!(
        unmatched
            .iter()
            .any(|u| u["scope"] == "Taocaicai" && u["in_baseline"] == true)
    );
    assert!(
        unmatched
            .iter()
            .any(|u| u["scope"] == "Xingsheng" && u["in_baseline"] == false)
    );
    let md = fs::read_to_string(dir.join("compare.md")).unwrap();
    assert!(md.contains("| Xingsheng | Active users at the end | absent |"), "{md}");
    assert!(
        o.stdout_text()
            .contains("Xingsheng: only in renamed, absent from weekly"),
        "{}",
        o.stdout_text()
    );
}

#[test]
fn two_scenarios_of_one_name_are_refused() {
    let cwd = tmp();
    let copy = cwd.path().join("copy.toml");
    fs::copy(scenario("weekly"), &copy).unwrap();
    let (o, out) = compare(cwd.path(), &[&scenario("weekly"), &copy], &[]);
    o.expect_code(2);
    assert!(o.stderr.contains("both named `weekly`"), "{}", o.stderr);
    assert!(!out.join("compare-weekly-vs-weekly").exists());
}

#[test]
fn every_pair_can_be_differenced_and_the_inputs_that_differ_come_first() {
    let cwd = tmp();
    let files = [
        scenario("weekly"),
        scenario("blocked"),
        scenario("regulator-lifts-block"),
    ];
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (o, out) = compare(cwd.path(), &refs, &["--pairs", "all"]);
    o.expect_code(0);
    let dir = out.join("compare-weekly-vs-blocked-vs-regulator-lifts-block");
    let json = read_json(&dir.join("compare.json"));
    let pairs: Vec<(String, String)> = json["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["scenario"].as_str().unwrap().into(),
                c["baseline"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&("regulator-lifts-block".into(), "blocked".into())),
        "lift minus blocked: {pairs:?}"
    );
    assert_eq!(pairs.len(), 3);
    let md = fs::read_to_string(dir.join("compare.md")).unwrap();
    let what = md.find("## What differs").expect("the inputs that differ come first");
    assert!(what < md.find("## blocked minus weekly").unwrap(), "{md}");
    assert!(md.contains("## regulator-lifts-block minus blocked"), "{md}");
    assert!(
        md.contains("| `platforms.Taocaicai.class` | `\"standard\"` | `\"blocked\"` |"),
        "{md}"
    );
    assert!(
        md.contains("changes by"),
        "a sentence says the headline difference: {md}"
    );
    // The block concentrates the market: the HHI of active users rises,
    // and the terminal reads the rise as the merger guidelines do.
    let text = o.stdout_text();
    let line = text
        .lines()
        .find(|l| l.contains("market  HHI of active users at the end"))
        .unwrap_or_else(|| panic!("no market line: {text}"));
    assert!(line.contains("HHI points") && line.contains("presume"), "{line}");
    let blocked = json["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scenario"] == "blocked" && c["baseline"] == "weekly")
        .unwrap();
    let hhi = blocked["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["scope"] == "market" && h["metric"] == "hhi_active_users_end")
        .expect("the HHI's difference");
    assert!(hhi["difference"]["ci_low"].as_f64().unwrap() > 100.0, "{hhi}");
}

#[test]
fn a_sweep_reports_each_point_as_a_paired_difference_from_a_reference_point() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let args = [
        "sweep",
        &s(&scenario("guizhou")),
        "--param",
        "changes[0].day=0:240:120",
        "--reference",
        "changes[0].day=0",
        "-n",
        "3",
        "--no-charts",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let csv = CsvTable::read(&out.join("sweep-guizhou/sweep.csv"));
    let (mean, diff) = (
        csv.col("Taocaicai.active_users_end.mean"),
        csv.col("Taocaicai.active_users_end.difference_mean"),
    );
    let at = |r: usize, c: usize| csv.rows[r][c].parse::<f64>().unwrap();
    assert_eq!(at(0, diff), 0.0, "the reference differs from itself by nothing");
    for r in 1..csv.rows.len() {
        // Paired differences of means are the differences of the means.
        assert!((at(r, diff) - (at(r, mean) - at(0, mean))).abs() < 1e-6 * at(0, mean).abs().max(1.0));
    }
    assert!(
        o.stdout_text()
            .contains("Paired differences from the point changes[0].day = 0")
    );
    let o = gatesim(
        cwd.path(),
        &[
            "sweep",
            &s(&scenario("guizhou")),
            "--param",
            "changes[0].day=0:240:120",
            "--reference",
            "changes[0].day=7",
            "--out",
            &s(&out),
        ],
    );
    o.expect_code(2);
    assert!(o.stderr.contains("no point of the grid"), "{}", o.stderr);
}
