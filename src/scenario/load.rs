//! Reading a scenario file: parse the TOML, apply `--set` overrides, read it
//! into the raw structs and validate. Every failure becomes a
//! [`ScenarioError`] naming the file, the key path, the line and column when
//! the parser gives them, what is wrong and, for a misspelt key, the closest
//! known one. Never panics, whatever the input.

use super::Scenario;
use super::overrides;
use super::problem::{Problem, Problems, ScenarioError, did_you_mean};
use super::raw::RawScenario;
use super::uncertain::{self, Uncertain};
use super::validate::validate;
use std::path::Path;

/// A loaded scenario: validated, and as written with defaults filled in.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The scenario as read (after overrides), with its name and defaults
    /// filled in: what `check` prints and what reruns the same inputs.
    pub raw: RawScenario,
    /// Its `[[uncertain]]` entries, checked (they change nothing in a run).
    pub uncertain: Vec<Uncertain>,
}

impl Loaded {
    /// This scenario with `sets` applied, in memory (no file is read
    /// again), validated as a file with those keys would be; its problems
    /// otherwise, their key paths those of the scenario.
    pub fn with(&self, sets: &[overrides::Override]) -> Result<Loaded, Vec<Problem>> {
        let one = |message: String, path: String| {
            vec![Problem {
                path,
                location: None,
                message,
            }]
        };
        let mut table = match toml::Value::try_from(&self.raw) {
            Ok(toml::Value::Table(t)) => t,
            _ => return Err(one("cannot hold the scenario as a table".into(), String::new())),
        };
        for o in sets {
            overrides::apply(&mut table, o).map_err(|e| one(e.to_string(), String::new()))?;
        }
        let mut raw: RawScenario = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| one(explain(e.inner().message()), e.path().to_string()))?;
        let stem = self.scenario.name.clone();
        let scenario = validate(&raw, &stem).map_err(|Problems(p)| p)?;
        raw.name = Some(scenario.name.clone());
        let uncertain = uncertain::declared(&raw).map_err(|Problems(p)| p)?;
        Ok(Loaded {
            scenario,
            raw,
            uncertain,
        })
    }

    /// The resolved scenario as TOML text.
    pub fn resolved_toml(&self) -> String {
        toml::to_string_pretty(&self.raw).unwrap_or_else(|e| format!("# cannot print the scenario: {e}\n"))
    }
}

/// Largest scenario file read (bytes). A scenario is a few kilobytes; this
/// leaves room for long empirical distributions and refuses anything else
/// before reading it all.
pub(crate) const MAX_FILE_BYTES: u64 = 16 << 20;

/// Loads `path` with `sets` (`key.path=value`) applied.
pub fn load(path: &Path, sets: &[String]) -> Result<Loaded, ScenarioError> {
    let bytes = read_capped(path).map_err(|message| ScenarioError {
        file: path.to_path_buf(),
        problems: vec![Problem {
            path: String::new(),
            location: None,
            message,
        }],
    })?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    load_bytes(&bytes, path, stem, sets)
}

/// Reads at most [`MAX_FILE_BYTES`] of `path` (a device or a pipe that
/// never ends is cut there too).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("cannot read the file: it is a folder".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is larger than {} MB; a scenario is a few kilobytes of TOML",
            MAX_FILE_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Loads a scenario from the bytes of `file`: UTF-8 TOML, else a problem
/// placed at the first byte that is not UTF-8.
pub fn load_bytes(bytes: &[u8], file: &Path, stem: &str, sets: &[String]) -> Result<Loaded, ScenarioError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(text, file, stem, sets),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let before = std::str::from_utf8(good).unwrap_or_default();
            Err(ScenarioError {
                file: file.to_path_buf(),
                problems: vec![Problem {
                    path: String::new(),
                    location: Some(line_col(before, before.len())),
                    message: format!(
                        "cannot read the file: it is not UTF-8 text (byte 0x{:02X} here); save it as UTF-8",
                        bytes[e.valid_up_to()]
                    ),
                }],
            })
        }
    }
}

/// Loads scenario `text` (read from `file`, for messages), named `stem`
/// unless it names itself.
pub fn load_str(text: &str, file: &Path, stem: &str, sets: &[String]) -> Result<Loaded, ScenarioError> {
    let fail = |problems: Vec<Problem>| ScenarioError {
        file: file.to_path_buf(),
        problems,
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(fail(vec![Problem {
            path: String::new(),
            location: None,
            message: "the file is empty: missing key `gatekeeper` (a scenario needs at least [gatekeeper] \
                      with its [[gatekeeper.classes]], and [[platforms]])"
                .into(),
        }]));
    }
    let mut raw = parse(text).map_err(|p| fail(vec![p]))?;
    if !sets.is_empty() {
        let mut table: toml::Table = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, "", &e)]))?;
        let mut problems = Vec::new();
        for s in sets {
            match overrides::parse(s).and_then(|o| overrides::apply(&mut table, &o)) {
                Ok(_) => {}
                Err(e) => problems.push(Problem {
                    path: String::new(),
                    location: None,
                    message: e.to_string(),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        raw = serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let mut p = toml_problem("", &e.path().to_string(), e.inner());
            p.message = format!("{} (after --set {})", p.message, sets.join(", --set "));
            fail(vec![p])
        })?;
    }
    let scenario = validate(&raw, stem).map_err(|Problems(p)| fail(p))?;
    raw.name = Some(scenario.name.clone());
    let uncertain = uncertain::declared(&raw).map_err(|Problems(p)| fail(p))?;
    Ok(Loaded {
        scenario,
        raw,
        uncertain,
    })
}

fn parse(text: &str) -> Result<RawScenario, Problem> {
    let de = toml::Deserializer::parse(text).map_err(|e| toml_problem(text, "", &e))?;
    serde_path_to_error::deserialize(de).map_err(|e| toml_problem(text, &e.path().to_string(), e.inner()))
}

/// A problem from a TOML or serde error at `path`, located in `text`.
fn toml_problem(text: &str, path: &str, e: &toml::de::Error) -> Problem {
    let location = e.span().filter(|_| !text.is_empty()).map(|s| line_col(text, s.start));
    let path = if path == "." { String::new() } else { path.to_string() };
    Problem {
        path,
        location,
        message: explain(e.message()),
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Rewrites serde's messages for people: an unknown key gets the closest
/// known one as a suggestion and the list of allowed keys, and expected
/// types are named as in TOML.
fn explain(message: &str) -> String {
    let message = message.trim();
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some(&unknown) = ticked.first()
    {
        let allowed = &ticked[1..];
        let _ = rest;
        return format!(
            "unknown key `{unknown}`.{} Allowed here: {}",
            did_you_mean(unknown, allowed.iter().copied()),
            allowed.join(", ")
        );
    }
    if message.starts_with("unknown variant `")
        && let Some(&unknown) = ticked.first()
    {
        let allowed = &ticked[1..];
        return format!(
            "unknown value `{unknown}`.{} Allowed: {}",
            did_you_mean(unknown, allowed.iter().copied()),
            allowed.join(", ")
        );
    }
    if message.contains("max recursion depth") || message.contains("recursion limit") {
        return "values are nested too deeply (arrays or tables inside one another)".into();
    }
    if let Some(field) = message.strip_prefix("missing field `") {
        return format!("missing key `{}`", field.trim_end_matches('`'));
    }
    plain_types(message)
}

/// Names the expected types as a scenario's author knows them, not as Rust does.
fn plain_types(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_string();
    };
    let plain = match expected {
        "u32" => "a whole number from 0 to 4294967295",
        "u64" => "a whole number from 0 to 18446744073709551615",
        "f64" => "a number",
        "a boolean" | "a string" => expected,
        "a sequence" => "an array",
        "a map" => "a table",
        e if e.starts_with("struct Raw") || e.starts_with("internally tagged enum") => "a table",
        _ => return message.to_string(),
    };
    let head = head
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table");
    format!("{head}, expected {plain}")
}
