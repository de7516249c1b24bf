//! CLI tests: --set.

use super::*;

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
        toml::from_str(&fs::read_to_string(out.join("guizhou+gatekeeper.reviewers=2/scenario.toml")).unwrap()).unwrap();
    assert_eq!(resolved["gatekeeper"]["reviewers"].as_integer(), Some(2));
    let summary = read_json(&out.join("guizhou+gatekeeper.reviewers=2/summary.json"));
    assert_eq!(
        summary["resolved_scenario"]["gatekeeper"]["reviewers"].as_u64(),
        Some(2)
    );
    // The daily reviewer count is 2 on every day of every replication.
    let rows = read_timeseries(&out.join("guizhou+gatekeeper.reviewers=2/timeseries.csv"));
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
    let dir = out.join("blocked+platforms.Taocaicai.class=standard");
    let summary = read_json(&dir.join("summary.json"));
    assert!(mean(&summary, "Taocaicai", "releases") > 0.0);
    assert!(
        headline(&summary, "Taocaicai", "decision_hours_mean")["mean"]
            .as_f64()
            .is_some_and(|h| h > 0.0),
        "Taocaicai's submissions get decided"
    );
    let resolved = fs::read_to_string(dir.join("scenario.toml")).unwrap();
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
    assert_same_results(
        &a.join("blocked+platforms.Taocaicai.class=standard"),
        &b.join("blocked+platforms_2_.class=standard"),
        "a set by index and by name",
    );
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
