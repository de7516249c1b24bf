//! CLI tests: the resolved scenario reruns the same run.

use super::*;

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
    let ran = a.join("guizhou+gatekeeper.reviewers=3");
    let resolved = ran.join("scenario.toml");
    // Its file stem is "scenario" but it names itself "guizhou".
    run_ok(cwd.path(), &resolved, &b, &[]);
    assert!(!b.join("scenario").exists(), "the rerun kept the scenario's name");
    assert_same_results(&ran, &b.join("guizhou"), "a rerun from the resolved scenario");
}
