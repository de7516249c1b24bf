//! CLI tests: every result says where it came from (command line,
//! overrides, seed, version, the SHA-256 of every input) in its JSON and in
//! its report's header, and a run never silently replaces the results of
//! a different run.

use super::*;
use sha2::{Digest, Sha256};

fn sha256(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_run_records_its_command_overrides_seed_version_and_inputs() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let file = scenario("guizhou");
    let args = [
        "run",
        &s(&file),
        "-n",
        "2",
        "-j",
        "2",
        "--no-charts",
        "--set",
        "users.churn_per_stale_day=0.001",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let target = out.join("guizhou+users.churn_per_stale_day=0.001");
    assert!(
        o.stdout_text()
            .contains("overrides: --set users.churn_per_stale_day=0.001"),
        "the terminal shows the overrides: {}",
        o.stdout_text()
    );
    assert!(o.stdout_text().contains(&format!("outputs: {}", target.display())));
    let p = &read_json(&target.join("summary.json"))["provenance"];
    assert_eq!(p["command"], "run");
    assert_eq!(p["gatesim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["seed"], 20211116);
    assert_eq!(p["overrides"][0], "users.churn_per_stale_day=0.001");
    assert_eq!(p["inputs"][0]["path"], s(&file));
    assert_eq!(p["inputs"][0]["sha256"], sha256(&file));
    let line: Vec<&str> = p["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(line[..2], ["gatesim", "run"]);
    assert!(line.contains(&"--set") && line.contains(&"-n"));
    for dropped in ["-j", "--out", "--no-charts"] {
        assert!(
            !line.contains(&dropped),
            "{dropped} changes nothing in the results: {line:?}"
        );
    }
    let html = fs::read_to_string(target.join("report.html")).unwrap();
    assert!(
        html.contains("class=\"provenance\""),
        "the report's header shows the provenance"
    );
    assert!(html.contains(&sha256(&file)), "with the input's SHA-256");
}

#[test]
fn a_run_with_overrides_does_not_replace_the_run_without_and_another_file_is_refused() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &[]);
    let base = fs::read(out.join("guizhou/summary.json")).unwrap();
    run_ok(
        cwd.path(),
        &scenario("guizhou"),
        &out,
        &["--set", "gatekeeper.reviewers=3"],
    );
    assert_eq!(
        fs::read(out.join("guizhou/summary.json")).unwrap(),
        base,
        "the baseline is kept"
    );
    assert!(out.join("guizhou+gatekeeper.reviewers=3/summary.json").is_file());
    // Another file that names its scenario `guizhou` is another run.
    let other = cwd.path().join("copy.toml");
    fs::copy(scenario("guizhou"), &other).unwrap();
    let args = ["run", &s(&other), "-n", "2", "--no-charts", "--out", &s(&out)];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(2);
    assert!(o.stderr.contains("holds the results of another run"), "{}", o.stderr);
    assert_eq!(
        fs::read(out.join("guizhou/summary.json")).unwrap(),
        base,
        "nothing replaced"
    );
    // With a name of its own it is written beside.
    let named = [
        "run",
        &s(&other),
        "-n",
        "2",
        "--no-charts",
        "--out",
        &s(&out),
        "--name",
        "copy",
    ];
    gatesim(cwd.path(), &named).expect_code(0);
    assert!(out.join("copy/summary.json").is_file());
    // A rerun of the same run replaces its own results.
    run_ok(cwd.path(), &scenario("guizhou"), &out, &["-n", "4"]);
    assert_eq!(read_json(&out.join("guizhou/summary.json"))["replications"], 4);
}

#[test]
fn fits_of_two_kinds_to_files_of_the_same_name_do_not_collide() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/data");
    let retention = cwd.path().join("a/data.csv");
    let durations = cwd.path().join("b/data.csv");
    fs::create_dir_all(retention.parent().unwrap()).unwrap();
    fs::create_dir_all(durations.parent().unwrap()).unwrap();
    fs::copy(root.join("fader_hardie_regular.csv"), &retention).unwrap();
    fs::copy(root.join("review_durations.csv"), &durations).unwrap();
    let fit = |kind: &str, file: &Path| {
        let args = ["fit", kind, &s(file), "--no-charts", "--out", &s(&out)];
        gatesim(cwd.path(), &args).expect_code(0);
    };
    fit("retention", &retention);
    fit("durations", &durations);
    let r = read_json(&out.join("fit-retention-data/fit.json"));
    let d = read_json(&out.join("fit-durations-data/fit.json"));
    assert_eq!(r["provenance"]["command"], "fit retention");
    assert_eq!(d["provenance"]["command"], "fit durations");
}

#[test]
fn an_analysis_against_a_contrast_does_not_replace_the_one_without() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let base = [
        "sensitivity",
        &s(&scenario("guizhou")),
        "--method",
        "uncertainty",
        "--samples",
        "4",
        "-n",
        "2",
        "--no-charts",
        "--no-report",
        "-q",
        "--out",
        &s(&out),
    ];
    gatesim(cwd.path(), &base).expect_code(0);
    let mut against = base.to_vec();
    against.extend(["--against", "platforms.Taocaicai.class=standard"]);
    gatesim(cwd.path(), &against).expect_code(0);
    assert!(out.join("sensitivity-guizhou-uncertainty/sensitivity.json").is_file());
    assert!(
        out.join("sensitivity-guizhou-uncertainty+against+platforms.Taocaicai.class=standard/sensitivity.json")
            .is_file(),
        "{:?}",
        fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>()
    );
}
