//! What can be wrong with a scenario: a list of problems, each placed at a
//! key path (and at a line and column when the TOML parser knows them), with
//! what is wrong and what is allowed. Also the "did you mean" suggestion for
//! misspelt keys and names, and the rewriting of numbers too long to read
//! (Rust prints `1e300` with its 301 digits) in scientific notation.

use std::fmt;
use std::path::PathBuf;

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Key path, e.g. `platforms[2].cadence_days` (empty for the whole file).
    pub path: String,
    /// 1-based line and column in the file, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A scenario that cannot be used, with every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The scenario file.
    pub file: PathBuf,
    /// The problems, in file order where known.
    pub problems: Vec<Problem>,
    /// Whose problems they are: the file's, or the overrides'.
    pub origin: Origin,
}

/// Whose problems a [`ScenarioError`] lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// The scenario file's.
    #[default]
    File,
    /// The `--set` overrides' (the file alone is valid).
    Overrides,
    /// The file could not be read at all (its one problem says why).
    Unreadable,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match self.origin {
            Origin::Unreadable => {
                let why = self.problems.first().map_or("", |p| p.message.as_str());
                writeln!(f, "cannot read {file}: {why}")
            }
            Origin::Overrides => {
                let heading = format!("invalid --set for {file} (the file itself is valid)");
                writeln!(f, "{}", ProblemList::counted(&heading, &self.problems))
            }
            Origin::File => {
                let heading = format!("invalid scenario {file}");
                writeln!(f, "{}", ProblemList::counted(&heading, &self.problems))
            }
        }
    }
}

/// A list of problems under a heading, as every message of gatesim writes
/// one: each on its own line with its place (key path, then line and
/// column when known) and its numbers readable.
pub(crate) struct ProblemList<'a> {
    /// What the problems are of, e.g. "invalid scenario bad.toml: 2 problems".
    heading: String,
    /// The problems.
    problems: &'a [Problem],
}

impl<'a> ProblemList<'a> {
    /// The list headed `what: N problem(s)`.
    pub(crate) fn counted(what: &str, problems: &'a [Problem]) -> ProblemList<'a> {
        let n = problems.len();
        ProblemList {
            heading: format!("{what}: {n} problem{}", if n == 1 { "" } else { "s" }),
            problems,
        }
    }

    /// The list under `heading` as it is.
    pub(crate) fn headed(heading: String, problems: &'a [Problem]) -> ProblemList<'a> {
        ProblemList { heading, problems }
    }
}

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.heading)?;
        for p in self.problems {
            let mut place = p.path.clone();
            if let Some((line, col)) = p.location {
                if !place.is_empty() {
                    place.push(' ');
                }
                place.push_str(&format!("(line {line}, column {col})"));
            }
            let message = readable_numbers(&p.message);
            if place.is_empty() {
                write!(f, "\n  - {message}")?;
            } else {
                write!(f, "\n  - {place}: {message}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible misspelling, or else the one `word` begins (`horizon`
/// for `horizon_days`).
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&word_l, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
        .or_else(|| {
            let mut begun = candidates
                .iter()
                .filter(|c| word_l.len() >= 4 && c.to_lowercase().starts_with(&word_l));
            match (begun.next(), begun.next()) {
                (Some(c), None) => Some(*c),
                _ => None,
            }
        })
}

/// " Did you mean `x`?" or nothing.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" Did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Most digits a number may have in a message before it is rewritten in
/// scientific notation (a u64 has at most 20).
const MAX_DIGITS: usize = 20;

/// `text` with every number of more than 20 digits, as Rust prints a float
/// such as 1e300 or 1e-300 in full, rewritten in scientific notation
/// (`1e300`). Digits that are part of a word or a path are left alone.
pub fn readable_numbers(text: &str) -> String {
    let b = text.as_bytes();
    let attached = |c: u8| c.is_ascii_alphanumeric() || b"_/\\.".contains(&c);
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && attached(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        let token = &text[start..i];
        let digits = token.bytes().filter(u8::is_ascii_digit).count();
        let ends = i == b.len() || !(b[i].is_ascii_alphanumeric() || b"_/\\".contains(&b[i]));
        if digits > MAX_DIGITS
            && ends
            && let Ok(x) = token.parse::<f64>()
        {
            out.push_str(&text[copied..start]);
            out.push_str(&format!("{x:e}"));
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Collects problems while validating.
#[derive(Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem at `path`.
    pub(crate) fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            location: None,
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_is_matched_to_the_nearest_known_one() {
        let keys = ["reviewers", "discipline", "classes"];
        assert_eq!(closest("reviewrs", keys), Some("reviewers"));
        assert_eq!(closest("Discipline", keys), Some("discipline"));
        assert_eq!(closest("banana", keys), None);
        assert_eq!(
            closest("horizon", ["seed", "horizon_days", "warmup_days"]),
            Some("horizon_days")
        );
        assert_eq!(closest("churn", ["churn_alpha", "churn_beta"]), None, "ambiguous");
    }

    #[test]
    fn numbers_too_long_to_read_are_written_in_scientific_notation() {
        let huge = format!("got {}, expected u64", 1e300);
        assert_eq!(readable_numbers(&huge), "got 1e300, expected u64");
        assert_eq!(readable_numbers(&format!("got -{}", 1.5e300)), "got -1.5e300");
        assert_eq!(readable_numbers(&format!("got {}.", 1e-300)), "got 1e-300.");
        let kept = "at most 18446744073709551615, got 36500.5 in file_123456789012345678901234.toml";
        assert_eq!(readable_numbers(kept), kept);
        assert_eq!(readable_numbers("über 7 €"), "über 7 €");
    }
}
