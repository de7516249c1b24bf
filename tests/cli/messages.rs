//! CLI tests: messages that name what is wrong, where it is and what to do,
//! and values written as people write them.

use super::*;

#[test]
fn a_set_typo_is_reported_as_the_overrides_problem_with_a_suggestion() {
    let cwd = tmp();
    let o = gatesim(
        cwd.path(),
        &[
            "check",
            &s(&scenario("guizhou")),
            "--set",
            "platforms.Taocaicia.class=standard",
        ],
    );
    o.expect_code(2);
    assert!(
        o.stderr.contains("invalid --set for") && o.stderr.contains("the file itself is valid"),
        "the override is named, not the file: {}",
        o.stderr
    );
    assert!(o.stderr.contains("Did you mean `Taocaicai`?"), "{}", o.stderr);
    let o = gatesim(
        cwd.path(),
        &["check", &s(&scenario("guizhou")), "--set", "gatekeeper.reviewers=0"],
    );
    o.expect_code(2);
    assert!(o.stderr.contains("invalid --set for"), "{}", o.stderr);
}

#[test]
fn every_unknown_key_of_a_file_is_reported_at_once_with_its_line() {
    let cwd = tmp();
    let file = cwd.path().join("two.toml");
    let text = fs::read_to_string(scenario("guizhou")).unwrap();
    let text = text
        .replacen("reviewers = ", "reviewrs = ", 1)
        .replacen("seed = ", "sead = ", 1);
    fs::write(&file, &text).unwrap();
    let o = gatesim(cwd.path(), &["check", &s(&file)]);
    o.expect_code(2);
    assert!(o.stderr.contains("2 problems"), "{}", o.stderr);
    let line = |needle: &str| line_of(&text, needle);
    assert!(
        o.stderr.contains(&format!(
            "(line {}, column 1): unknown key `reviewrs`",
            line("reviewrs =")
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains(&format!("(line {}, column 1): unknown key `sead`", line("sead ="))),
        "{}",
        o.stderr
    );
}

#[test]
fn a_missing_file_is_a_file_that_cannot_be_read_not_an_invalid_scenario() {
    let cwd = tmp();
    let o = gatesim(cwd.path(), &["check", "no-such.toml"]);
    o.expect_code(2);
    assert!(
        o.stderr.starts_with("error: cannot read no-such.toml: "),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("invalid scenario"), "{}", o.stderr);
}

#[test]
fn whole_numbers_written_as_floats_are_accepted_for_whole_number_keys() {
    let cwd = tmp();
    let file = cwd.path().join("floats.toml");
    let text =
        fs::read_to_string(scenario("guizhou"))
            .unwrap()
            .replacen("horizon_days = 240", "horizon_days = 240.0", 1);
    assert!(text.contains("horizon_days = 240.0"));
    fs::write(&file, text).unwrap();
    let o = gatesim(cwd.path(), &["check", &s(&file), "--set", "gatekeeper.reviewers=2e0"]);
    o.expect_code(0);
    let resolved = o.stdout_text();
    assert!(resolved.contains("horizon_days = 240\n"), "{resolved}");
    assert!(resolved.contains("reviewers = 2\n"), "{resolved}");
    // A float that is not a whole number is still refused, with its key.
    let o = gatesim(
        cwd.path(),
        &["check", &s(&file), "--set", "simulation.horizon_days=240.5"],
    );
    o.expect_code(2);
    assert!(o.stderr.contains("simulation.horizon_days"), "{}", o.stderr);
}
