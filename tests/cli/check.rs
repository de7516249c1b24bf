//! CLI tests: check.

use super::*;

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
    let written = fs::read_to_string(out.join("guizhou+platforms.Taocaicai.phase_days=4/scenario.toml")).unwrap();
    // The run records the replications it ran (-n 3); the file says 200.
    assert!(written.contains("\nreplications = 3\n"), "{written}");
    let written = written.replace("\nreplications = 3\n", "\nreplications = 200\n");
    let body = printed.split_once("\n\n").expect("a header line, then the scenario").1;
    assert_eq!(body, written);
    assert!(written.contains("phase_days = 4.0"), "{written}");
}
