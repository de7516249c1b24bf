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
