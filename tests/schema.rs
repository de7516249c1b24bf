//! The scenario format's schema and reference, and the command-line
//! reference: the committed files equal what the code generates, every scenario names the schema on its first
//! line and validates against it with an independent validator (Python's
//! jsonschema, when installed; `.ci/schema-check` installs it), and every
//! invalid file in tests/schema_invalid/ is rejected by both the schema and
//! `gatesim check`.

use gatesim::load_scenario as load;
use gatesim::schema::{
    CLI_REFERENCE_PATH, CLI_REGENERATE, REFERENCE_PATH, REGENERATE, SCHEMA_PATH, cli_reference_markdown,
    reference_markdown, scenario_schema, schema_json,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_default()
}

#[test]
fn the_committed_schema_is_what_the_code_generates() {
    assert!(
        read(SCHEMA_PATH) == schema_json(),
        "{SCHEMA_PATH} differs from the scenario types; regenerate it with\n  {REGENERATE}"
    );
}

#[test]
fn the_committed_reference_is_what_the_code_generates() {
    assert!(
        read(REFERENCE_PATH) == reference_markdown(),
        "{REFERENCE_PATH} differs from the scenario types; regenerate it with\n  {REGENERATE}"
    );
}

#[test]
fn the_committed_command_line_reference_is_what_the_clap_definitions_give() {
    assert!(
        read(CLI_REFERENCE_PATH) == cli_reference_markdown(),
        "{CLI_REFERENCE_PATH} differs from the command line's definitions; regenerate it with\n  {CLI_REGENERATE}"
    );
}

#[test]
fn the_schema_is_draft_07_and_refuses_unknown_keys_in_every_table() {
    let s = scenario_schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(s["additionalProperties"], false);
    let defs = s["definitions"].as_object().unwrap();
    for (name, def) in defs {
        if def.get("properties").is_some() {
            assert_eq!(def["additionalProperties"], false, "{name}");
        }
    }
    // Every tagged distribution table refuses unknown keys too.
    for v in defs["DistTable"]["oneOf"].as_array().unwrap() {
        assert_eq!(v["additionalProperties"], false, "{v}");
    }
}

#[test]
fn the_schema_states_units_defaults_and_ranges() {
    let s = scenario_schema();
    let d = &s["definitions"];
    let horizon = &d["RawSimulation"]["properties"]["horizon_days"];
    assert_eq!(horizon["x-unit"], "days");
    assert_eq!(horizon["default"], 365);
    assert_eq!(horizon["minimum"], 1);
    assert_eq!(horizon["maximum"], 36_500);
    let p = &d["RawClass"]["properties"]["rejection_probability"];
    assert_eq!((p["minimum"].as_f64(), p["maximum"].as_f64()), (Some(0.0), Some(1.0)));
    assert_eq!(d["RawGatekeeper"]["properties"]["discipline"]["enum"][1], "priority");
    assert_eq!(
        d["RawPlatform"]["properties"]["fix_days"]["default"]["dist"],
        "exponential"
    );
    // A distribution: a number, "never", or a tagged table.
    let forms = d["Distribution"]["oneOf"].as_array().unwrap();
    assert_eq!(forms[0]["type"], "number");
    assert_eq!(forms[1]["const"], "never");
    // TOML has no null: an optional key allows no null either.
    assert!(!schema_json().contains("\"null\""));
}

#[test]
fn the_reference_lists_every_key_of_every_table() {
    let md = reference_markdown();
    for heading in [
        "## Top level",
        "## `[simulation]`",
        "## `[gatekeeper]`",
        "## `[gatekeeper.expedite]`",
        "## `[[gatekeeper.classes]]`",
        "## `[[platforms]]`",
        "## `[platforms.users]`",
        "## `[[changes]]`",
        "## `[users]`",
        "## Distributions",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    let s = scenario_schema();
    for (name, def) in s["definitions"].as_object().unwrap() {
        for key in def
            .get("properties")
            .and_then(|p| p.as_object())
            .into_iter()
            .flatten()
            .map(|p| p.0)
        {
            assert!(
                md.contains(&format!("| `{key}` |")),
                "{name}.{key} is not in the reference"
            );
        }
    }
    assert!(
        md.contains("| `horizon_days` | integer | days | `365` | 1 to 36500 |"),
        "{md}"
    );
}

#[test]
fn every_scenario_names_the_schema_on_its_first_line_and_loads() {
    let scenarios = files("scenarios");
    assert!(scenarios.len() >= 3);
    for path in scenarios {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("#:schema ./gatesim.schema.json"),
            "{} must start with the #:schema line",
            path.display()
        );
        if let Err(e) = load(&path, &[]) {
            panic!("{e}");
        }
    }
}

fn check(path: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gatesim"))
        .arg("check")
        .arg(path)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_invalid_file_is_refused_by_gatesim_check_with_its_key_path() {
    let invalid = files("tests/schema_invalid");
    assert!(invalid.len() >= 8);
    for path in &invalid {
        let (code, err) = check(path);
        assert_eq!(code, Some(2), "{}: {err}", path.display());
        assert!(err.contains("invalid scenario") && err.contains("problem"), "{err}");
    }
    // The invalid files differ from a valid scenario by one thing.
    let text = read("tests/schema_invalid/unknown_key.toml").replace("reviewrs = 3\n", "");
    let dir = tempfile::tempdir().unwrap();
    let valid = dir.path().join("valid.toml");
    std::fs::write(&valid, text).unwrap();
    assert_eq!(check(&valid).0, Some(0));
}

/// Whether Python 3 with jsonschema can be run here.
fn python_with_jsonschema() -> bool {
    Command::new("python3")
        .args(["-c", "import jsonschema, tomllib"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn an_independent_validator_accepts_every_scenario_and_rejects_every_invalid_file() {
    if !python_with_jsonschema() {
        println!("skipped: python3 with the jsonschema package is not installed (.ci/schema-check installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(&schema, schema_json()).unwrap();
    // The scenarios as written, and as resolved (defaults filled in).
    let mut valid = files("scenarios");
    for path in files("scenarios") {
        let loaded = load(&path, &[]).unwrap();
        let resolved = dir.path().join(path.file_name().unwrap());
        std::fs::write(&resolved, loaded.resolved_toml()).unwrap();
        valid.push(resolved);
    }
    let out = Command::new("python3")
        .arg(root().join(".ci/schema_validate.py"))
        .arg(&schema)
        .args(&valid)
        .arg("--invalid")
        .args(files("tests/schema_invalid"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains(" 0 failed"), "{text}");
}
