//! Reading a scenario file: parse the TOML, apply `--set` overrides, read it
//! into the raw structs and validate. Every failure becomes a
//! [`ScenarioError`] naming the file, the key path, the line and column when
//! the parser gives them, what is wrong and, for a misspelt key, the closest
//! known one. Never panics, whatever the input.

use super::Scenario;
use super::overrides;
use super::problem::{Origin, Problem, Problems, ScenarioError, did_you_mean};
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
        origin: Origin::Unreadable,
    })?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    load_bytes(&bytes, path, stem, sets)
}

/// Reads at most [`MAX_FILE_BYTES`] of `path` (a device or a pipe that
/// never ends is cut there too).
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("it is a folder".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "it is larger than {} MB; a scenario is a few kilobytes of TOML",
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
                origin: Origin::File,
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
        origin: Origin::File,
    };
    let by_sets = |problems: Vec<Problem>| ScenarioError {
        file: file.to_path_buf(),
        problems,
        origin: Origin::Overrides,
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
    let table: toml::Table = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, "", &e)]))?;
    let mut raw = match parse(text) {
        Ok(raw) => raw,
        // The first problem placed exactly by the parser; the others (and
        // whole numbers written as floats) from the table.
        Err(first) => deserialize(table.clone(), text).map_err(|mut all| {
            for p in &mut all {
                if p.path == first.path {
                    p.location = first.location;
                }
            }
            fail(all)
        })?,
    };
    if !sets.is_empty() {
        // The file alone must be valid for its problems to be the file's.
        validate(&raw, stem).map_err(|Problems(p)| fail(p))?;
        let mut table = table;
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
            return Err(by_sets(problems));
        }
        raw = deserialize(table, "").map_err(|problems| {
            by_sets(
                problems
                    .into_iter()
                    .map(|mut p| {
                        p.message = format!("{} (after --set {})", p.message, sets.join(", --set "));
                        p
                    })
                    .collect(),
            )
        })?;
        let scenario = validate(&raw, stem).map_err(|Problems(p)| by_sets(p))?;
        raw.name = Some(scenario.name.clone());
        let uncertain = uncertain::declared(&raw).map_err(|Problems(p)| by_sets(p))?;
        return Ok(Loaded {
            scenario,
            raw,
            uncertain,
        });
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

/// Most problems of keys and types reported at once.
const MAX_PROBLEMS: usize = 100;

/// The scenario in `table` (read from `text`, to place problems; empty
/// when there is no text), or every problem of its keys and types: an
/// unknown key is reported and left out so that the others are found too,
/// and a whole number written as a float (`240.0`, `1e6`) where a whole
/// number is expected is taken as that whole number.
fn deserialize(mut table: toml::Table, text: &str) -> Result<RawScenario, Vec<Problem>> {
    let mut problems = Vec::new();
    // Each try deserialises the whole table again: a budget of about 64 MB
    // of text read in all, so a huge file is not read hundreds of times.
    let tries = (64 << 20) / text.len().max(1 << 16);
    for _ in 0..tries.clamp(2, MAX_PROBLEMS * 4) {
        let e = match serde_path_to_error::deserialize::<_, RawScenario>(toml::Value::Table(table.clone())) {
            Ok(raw) if problems.is_empty() => return Ok(raw),
            Ok(_) => break,
            Err(e) => e,
        };
        let path: Vec<String> = e.path().iter().map(|s| s.to_string()).collect();
        let message = e.inner().message().to_string();
        let mut p = toml_problem("", &e.path().to_string(), e.inner());
        p.location = (1..=path.len()).rev().find_map(|n| locate(text, &path[..n]));
        if message.starts_with("unknown field `") && problems.len() < MAX_PROBLEMS {
            if remove_at(&mut table, &path) {
                problems.push(p);
                continue;
            }
        } else if message.starts_with("invalid type: floating point") && whole_at(&mut table, &path) {
            continue;
        }
        problems.push(p);
        break;
    }
    problems.sort_by_key(|p| p.location.unwrap_or((usize::MAX, 0)));
    Err(problems)
}

/// The value at `path` (keys, and array indices as numbers) in `table`.
fn value_at<'a>(table: &'a mut toml::Table, path: &[String]) -> Option<&'a mut toml::Value> {
    let (first, rest) = path.split_first()?;
    let mut v = table.get_mut(first)?;
    for seg in rest {
        v = match v {
            toml::Value::Table(t) => t.get_mut(seg)?,
            toml::Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Removes the key at `path`; whether there was one.
fn remove_at(table: &mut toml::Table, path: &[String]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    let holder = if parent.is_empty() {
        Some(table)
    } else {
        match value_at(table, parent) {
            Some(toml::Value::Table(t)) => Some(t),
            _ => None,
        }
    };
    holder.is_some_and(|t| t.remove(last).is_some())
}

/// Turns the float at `path` into the integer it equals, if it is one.
fn whole_at(table: &mut toml::Table, path: &[String]) -> bool {
    match value_at(table, path) {
        Some(v @ toml::Value::Float(_)) => {
            let x = v.as_float().unwrap_or(f64::NAN);
            if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 {
                *v = toml::Value::Integer(x as i64);
                true
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Where in `text` the key at `path` is written (its line and column), by
/// the tables its lines open; `None` when it cannot be told.
fn locate(text: &str, path: &[String]) -> Option<(usize, usize)> {
    let keys: Vec<&str> = path
        .iter()
        .map(String::as_str)
        .filter(|s| s.parse::<usize>().is_err())
        .collect();
    let (key, parent) = keys.split_last()?;
    let mut table: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix('[') {
            let h = h.trim_start_matches('[');
            let name = h.split(']').next().unwrap_or("");
            table = name
                .split('.')
                .map(|x| x.trim().trim_matches('"').to_string())
                .collect();
            continue;
        }
        let Some((k, _)) = t.split_once('=') else { continue };
        let written: Vec<String> = k.split('.').map(|x| x.trim().trim_matches('"').to_string()).collect();
        let mut full = table.clone();
        full.extend(written);
        if full.last().map(String::as_str) == Some(*key) && full[..full.len() - 1] == parent[..] {
            let col = line.len() - line.trim_start().len() + 1;
            return Some((i + 1, col));
        }
    }
    None
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
