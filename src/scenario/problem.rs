//! What can be wrong with a scenario: a list of problems, each placed at a
//! key path (and at a line and column when the TOML parser knows them), with
//! what is wrong and what is allowed. Also the "did you mean" suggestion for
//! misspelt keys and names.

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
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "invalid scenario {}: {n} problem{}",
            self.file.display(),
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            let mut place = String::new();
            if !p.path.is_empty() {
                place.push_str(&p.path);
            }
            if let Some((line, col)) = p.location {
                if !place.is_empty() {
                    place.push(' ');
                }
                place.push_str(&format!("(line {line}, column {col})"));
            }
            if place.is_empty() {
                writeln!(f, "  - {}", p.message)?;
            } else {
                writeln!(f, "  - {place}: {}", p.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible misspelling.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// " Did you mean `x`?" or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" Did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Collects problems while validating.
#[derive(Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a problem at `path`.
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
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
    }
}
