//! CLI tests: determinism.

use super::*;

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
