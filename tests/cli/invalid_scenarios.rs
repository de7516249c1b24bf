//! CLI tests: invalid scenarios.

use super::*;

#[test]
fn an_unknown_key_is_named_with_its_line_and_a_suggestion() {
    let text = edit(&scenario_text("guizhou"), "\nreviewers = 4\n", "\nreviewrs = 2\n");
    let line = line_of(&text, "reviewrs = 2");
    assert_text_refused(
        "typo.toml",
        text.as_bytes(),
        &[
            "gatekeeper.reviewrs",
            &format!("line {line}"),
            "Did you mean `reviewers`?",
        ],
    );
}

#[test]
fn an_unknown_key_at_the_top_is_named_with_a_suggestion() {
    let text = edit(
        &scenario_text("guizhou"),
        "\nname = \"guizhou\"",
        "\nnmae = \"guizhou\"",
    );
    let line = line_of(&text, "nmae =");
    assert_text_refused(
        "top.toml",
        text.as_bytes(),
        &["nmae", &format!("line {line}"), "Did you mean `name`?"],
    );
}

#[test]
fn a_bad_distribution_parameter_is_named_by_its_full_key_path() {
    let text = edit(
        &scenario_text("guizhou"),
        "review_hours = { dist = \"lognormal\", median = 20, sigma = 0.6 }",
        "review_hours = { dist = \"exponential\", mean = -1 }",
    );
    assert_text_refused(
        "dist.toml",
        text.as_bytes(),
        &["gatekeeper.classes[0].review_hours.mean", "-1"],
    );
}

#[test]
fn a_bad_bare_number_for_a_distribution_is_named_by_its_key() {
    let text = edit(&scenario_text("guizhou"), "hold_days = 0\n", "hold_days = -1\n");
    let err = assert_text_refused("bare.toml", text.as_bytes(), &["gatekeeper.classes[0].hold_days: "]);
    // `hold_days = -1` has no `value` key to point at.
    assert!(!err.contains("hold_days.value"), "{err}");
}

#[test]
fn a_misspelt_distribution_name_gets_a_suggestion() {
    let text = edit(
        &scenario_text("guizhou"),
        "dist = \"lognormal\", median = 20",
        "dist = \"lognormul\", median = 20",
    );
    let line = line_of(&text, "lognormul");
    assert_text_refused(
        "distname.toml",
        text.as_bytes(),
        &[
            "gatekeeper.classes[0].review_hours.dist",
            &format!("line {line}"),
            "Did you mean `lognormal`?",
        ],
    );
}

#[test]
fn an_unknown_class_in_a_platform_is_refused_with_a_suggestion() {
    let text = edit(&scenario_text("guizhou"), "class = \"blocked\"", "class = \"blokced\"");
    assert_text_refused(
        "class.toml",
        text.as_bytes(),
        &["platforms[2].class", "\"blokced\"", "Did you mean `blocked`?"],
    );
}

#[test]
fn a_toml_syntax_error_is_refused_with_its_line() {
    let text = "name = \"x\"\n\n[gatekeeper\nreviewers = 1\n";
    assert_text_refused("syntax.toml", text.as_bytes(), &["line 3"]);
}

#[test]
fn a_missing_required_key_is_named() {
    let text = edit(&scenario_text("guizhou"), "\ncadence_days = 7\n", "\n");
    assert_text_refused(
        "missing.toml",
        text.as_bytes(),
        &["platforms[0]", "missing key `cadence_days`"],
    );
}

#[test]
fn a_string_where_a_number_is_expected_is_refused_with_its_key_and_line() {
    let text = edit(
        &scenario_text("guizhou"),
        "\nreviewers = 4\n",
        "\nreviewers = \"four\"\n",
    );
    let line = line_of(&text, "reviewers = \"four\"");
    assert_text_refused(
        "type.toml",
        text.as_bytes(),
        &["gatekeeper.reviewers", &format!("line {line}"), "string"],
    );
}

#[test]
fn an_empty_file_is_refused_as_missing_its_gatekeeper() {
    assert_text_refused("empty.toml", b"", &["missing key `gatekeeper`"]);
}

#[test]
fn binary_garbage_is_refused_without_a_panic() {
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_text_refused("garbage.toml", &garbage, &["cannot read"]);
    // Valid UTF-8 but no TOML: control characters, stray brackets and quotes.
    assert_text_refused("noise.toml", b"\x00\x01 = [[\n\"\x7f\n]] = =\n", &[]);
}

#[test]
fn a_nonexistent_file_is_refused_with_its_name() {
    let dir = tmp();
    assert_refused(&dir.path().join("no-such-scenario.toml"), &["cannot read"]);
}

#[test]
fn a_folder_given_as_the_scenario_is_refused() {
    let dir = tmp();
    let folder = dir.path().join("folder.toml");
    fs::create_dir(&folder).unwrap();
    assert_refused(&folder, &["cannot read"]);
}

/// The pipeline-only test scenario with a population of `count` members
/// (written as given) named `name`, and `extra` at the end.
fn with_population(name: &str, count: &str, extra: &str) -> String {
    format!(
        "{}\n[[populations]]\nname = \"{name}\"\ncount = {count}\nclass = \"standard\"\ncadence_days = 30\n{extra}",
        scenario_text("guizhou")
    )
}

#[test]
fn a_population_of_no_members_is_refused_with_its_key_path() {
    assert_text_refused(
        "empty.toml",
        with_population("apps", "0", "").as_bytes(),
        &["populations[0].count", "at least 1"],
    );
}

#[test]
fn a_negative_or_fractional_count_of_members_is_refused_with_its_key_path() {
    for (file, count) in [("negative.toml", "-5"), ("fraction.toml", "2.5")] {
        assert_text_refused(
            file,
            with_population("apps", count, "").as_bytes(),
            &["populations[0].count"],
        );
    }
}

#[test]
fn populations_holding_more_members_than_allowed_together_are_refused() {
    let second = "\n[[populations]]\nname = \"more\"\ncount = 4_000_001\nclass = \"standard\"\ncadence_days = 30\n";
    assert_text_refused(
        "too_many.toml",
        with_population("apps", "6_000_000", second).as_bytes(),
        &["populations", "10000001 members together", "10000000 allowed"],
    );
}

#[test]
fn a_population_named_as_a_platform_is_refused_with_its_key_path() {
    assert_text_refused(
        "shared_name.toml",
        with_population("Taocaicai", "10", "").as_bytes(),
        &["populations[0].name", "names a platform too"],
    );
}

#[test]
fn a_warmup_that_is_neither_days_nor_auto_is_refused_by_its_key() {
    let text = edit(
        &scenario_text("guizhou"),
        "warmup_days = 0\n",
        "warmup_days = \"soon\"\n",
    );
    assert_text_refused("warmup.toml", text.as_bytes(), &["simulation.warmup_days", "\"auto\""]);
}
