//! `--set key.path=value` overrides, applied to the parsed TOML before it is
//! read as a scenario, so an override is checked exactly like the file.
//! Arrays of tables are addressed by index (`platforms[2].class`) or by the
//! entry's `name` (`platforms.Taocaicai.class`). Values are TOML
//! (`30`, `true`, `{ dist = "exponential", mean = 7 }`); anything that does
//! not parse as TOML is taken as a string (`standard`), unless it starts as
//! an array, a table or a quoted string would: then its TOML error is told.

use super::problem::did_you_mean;
use toml::{Table, Value};

/// Why a `--set` (or a flag that works the same way) was refused: the flag,
/// its text as given, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{flag} {text}: {problem}")]
pub struct OverrideError {
    /// The flag, `--set` unless the caller says otherwise.
    pub flag: &'static str,
    /// `key.path=value` as given (shortened when very long).
    pub text: String,
    /// What is wrong.
    pub problem: OverrideProblem,
}

impl OverrideError {
    fn new(text: &str, problem: OverrideProblem) -> OverrideError {
        OverrideError {
            flag: "--set",
            text: shorten(text),
            problem,
        }
    }

    /// The same error, said of another flag (e.g. `--against`).
    pub fn for_flag(self, flag: &'static str) -> OverrideError {
        OverrideError { flag, ..self }
    }
}

/// What is wrong with a `key.path=value`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OverrideProblem {
    /// No `=`.
    #[error("expected key.path=value")]
    NoValue,
    /// `a..b`.
    #[error("empty segment in key path `{0}`")]
    EmptySegment(String),
    /// `a[1`.
    #[error("unclosed `[` in key path `{0}`")]
    Unclosed(String),
    /// `a[x]`.
    #[error("`[{0}]` is not an index")]
    NotAnIndex(String),
    /// `a[1]x`.
    #[error("unexpected `{rest}` in key path `{key}`")]
    Unexpected {
        /// What follows the index.
        rest: String,
        /// The key path.
        key: String,
    },
    /// A value that starts as TOML but is not.
    #[error("the value is not valid TOML: {0}")]
    NotToml(String),
    /// An index past the end of an array of tables.
    #[error("`{path}` has {len} entries, no [{index}]")]
    NoSuchIndex {
        /// The array's key path.
        path: String,
        /// Its entries (count).
        len: usize,
        /// The index asked for.
        index: usize,
    },
    /// No entry of an array of tables has this `name`.
    #[error("no entry of `{path}` is named \"{name}\"; {help}")]
    NoSuchName {
        /// The array's key path.
        path: String,
        /// The name asked for.
        name: String,
        /// The names there are, and the closest one if it is close.
        help: String,
    },
    /// The path ends at an entry of an array of tables.
    #[error("`{0}` is a table; name one of its keys")]
    TableNotValue(String),
    /// An array entry that is not a table.
    #[error("`{0}` is not a table")]
    NotATable(String),
    /// The path goes through a value.
    #[error("`{0}` is a value, not a table")]
    ValueNotTable(String),
    /// Nothing before `=`.
    #[error("empty key path")]
    EmptyPath,
}

/// One parsed `--set`.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The path segments (`[2]` segments are kept as `2`).
    pub path: Vec<String>,
    /// The value to put there.
    pub value: Value,
    /// The flag as given, for messages.
    pub text: String,
}

/// Parses `key.path=value`.
pub fn parse(text: &str) -> Result<Override, OverrideError> {
    let fail = |p: OverrideProblem| Err(OverrideError::new(text, p));
    let Some((key, value)) = text.split_once('=') else {
        return fail(OverrideProblem::NoValue);
    };
    let mut path = Vec::new();
    for seg in key.trim().split('.') {
        let (name, rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if name.is_empty() && rest.is_empty() {
            return fail(OverrideProblem::EmptySegment(key.to_string()));
        }
        if !name.is_empty() {
            path.push(name.to_string());
        }
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return fail(OverrideProblem::Unclosed(key.to_string()));
            };
            let idx = &r[..end];
            if idx.parse::<usize>().is_err() {
                return fail(OverrideProblem::NotAnIndex(idx.to_string()));
            }
            path.push(idx.to_string());
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return fail(OverrideProblem::Unexpected {
                rest: rest.to_string(),
                key: key.to_string(),
            });
        }
    }
    let value = value.trim();
    let parsed = match toml::from_str::<Table>(&format!("v = {value}")) {
        Ok(mut t) => t.remove("v").unwrap_or_else(|| Value::String(value.to_string())),
        Err(e) if value.starts_with(['[', '{', '"', '\'']) => {
            let why = if e.message().contains("recursion") {
                "values are nested too deeply".to_string()
            } else {
                e.message().trim().to_string()
            };
            return fail(OverrideProblem::NotToml(why));
        }
        Err(_) => Value::String(value.to_string()),
    };
    Ok(Override {
        path,
        value: parsed,
        text: text.to_string(),
    })
}

/// `text` cut to a readable length for messages.
fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}... ({} characters)", &text[..i], text.chars().count()),
        None => text.to_string(),
    }
}

/// Applies `o` to `root`, creating missing tables on the way. Returns the
/// key path as written in messages (`platforms[2].class`).
pub fn apply(root: &mut Table, o: &Override) -> Result<String, OverrideError> {
    let fail = |p: OverrideProblem| Err(OverrideError::new(&o.text, p));
    let mut shown = String::new();
    let mut table = root;
    let n = o.path.len();
    let mut i = 0;
    while i < n {
        let seg = &o.path[i];
        let last = i + 1 == n;
        if !shown.is_empty() {
            shown.push('.');
        }
        shown.push_str(seg);
        if last {
            table.insert(seg.clone(), o.value.clone());
            return Ok(shown);
        }
        let entry = table.entry(seg.clone()).or_insert_with(|| Value::Table(Table::new()));
        table = match entry {
            Value::Table(t) => t,
            Value::Array(items) => {
                let key = &o.path[i + 1];
                let pos = match key.parse::<usize>() {
                    Ok(k) if k < items.len() => k,
                    Ok(k) => {
                        return fail(OverrideProblem::NoSuchIndex {
                            path: shown,
                            len: items.len(),
                            index: k,
                        });
                    }
                    Err(_) => match items
                        .iter()
                        .position(|it| it.get("name").and_then(Value::as_str) == Some(key.as_str()))
                    {
                        Some(pos) => pos,
                        None => {
                            let names: Vec<&str> = items
                                .iter()
                                .filter_map(|it| it.get("name").and_then(Value::as_str))
                                .collect();
                            return fail(OverrideProblem::NoSuchName {
                                path: shown,
                                name: key.clone(),
                                help: format!(
                                    "known: {}.{}",
                                    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
                                    did_you_mean(key, names.iter().copied())
                                ),
                            });
                        }
                    },
                };
                shown.push_str(&format!("[{pos}]"));
                i += 1;
                if i + 1 == n {
                    return fail(OverrideProblem::TableNotValue(shown));
                }
                match &mut items[pos] {
                    Value::Table(t) => t,
                    _ => return fail(OverrideProblem::NotATable(shown)),
                }
            }
            _ => return fail(OverrideProblem::ValueNotTable(shown)),
        };
        i += 1;
    }
    fail(OverrideProblem::EmptyPath)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_reaches_an_array_entry_by_index_or_by_name() {
        let mut t: Table = toml::from_str(
            "[[platforms]]\nname = \"A\"\nclass = \"x\"\n[[platforms]]\nname = \"B b\"\nclass = \"x\"\n",
        )
        .unwrap();
        apply(&mut t, &parse("platforms[0].class=y").unwrap()).unwrap();
        apply(&mut t, &parse("platforms.B b.class=\"z\"").unwrap()).unwrap();
        let p = t["platforms"].as_array().unwrap();
        assert_eq!(p[0]["class"].as_str(), Some("y"));
        assert_eq!(p[1]["class"].as_str(), Some("z"));
    }

    #[test]
    fn values_are_read_as_toml_or_else_as_strings() {
        assert_eq!(parse("a.b=3").unwrap().value, Value::Integer(3));
        assert_eq!(parse("a=true").unwrap().value, Value::Boolean(true));
        assert_eq!(parse("a=standard").unwrap().value, Value::String("standard".into()));
        assert!(
            parse("a={ dist = \"exponential\", mean = 7 }")
                .unwrap()
                .value
                .is_table()
        );
    }

    #[test]
    fn malformed_sets_are_refused_with_a_reason() {
        assert!(parse("novalue").is_err());
        assert!(parse("a..b=1").is_err());
        assert!(parse("a[x]=1").is_err());
        assert!(parse("a=[1, 2").unwrap_err().to_string().contains("not valid TOML"));
        let deep = format!("a={}{}", "[".repeat(5000), "]".repeat(5000));
        let e = parse(&deep).unwrap_err().to_string();
        assert!(e.contains("nested too deeply") && e.len() < 300, "{e}");
        let mut t: Table = toml::from_str("[[platforms]]\nname = \"A\"\n").unwrap();
        assert!(apply(&mut t, &parse("platforms.Z.class=y").unwrap()).is_err());
        assert!(apply(&mut t, &parse("platforms[5].class=y").unwrap()).is_err());
        assert!(apply(&mut t, &parse("platforms.A.name.x=1").unwrap()).is_err());
    }
}
