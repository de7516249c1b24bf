//! Where a result came from, so that every figure can be traced back to
//! the command and the inputs that produced it: the command line (without
//! the flags that change nothing in the results: threads, shard, output
//! folder, formats, quiet), the overrides (`--set`, `--seed`), the seed,
//! gatesim's version and the SHA-256 of every input file. It depends only
//! on what determines the results, so it is the same for any number of
//! threads and however the work is split; a shard's partial result carries
//! it to `gatesim merge`.

use serde::{Deserialize, Serialize};

/// An input file and its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InputFile {
    /// The path as given on the command line.
    pub path: String,
    /// The SHA-256 of its bytes, in hex (empty if it could not be read).
    pub sha256: String,
}

/// What produced a result.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Provenance {
    /// gatesim's version.
    pub gatesim_version: String,
    /// The command line, program name first (`gatesim run ...`).
    pub command_line: Vec<String>,
    /// The command (`run`, `compare`, `fit retention`, ...).
    pub command: String,
    /// The overrides of the scenario(s): the `--set` lines (the seed, which
    /// draws the same experiment again, is recorded apart).
    pub overrides: Vec<String>,
    /// The seed of every random stream, if the command draws any.
    pub seed: Option<u64>,
    /// Every input file read.
    pub inputs: Vec<InputFile>,
}

impl Provenance {
    /// What makes two results the same run, to be replaced by a rerun:
    /// the command, the input files (by canonical path) and the overrides.
    /// The files' contents, the seed and the replications may change.
    pub(crate) fn identity(&self) -> (String, Vec<String>, Vec<String>) {
        let paths = self
            .inputs
            .iter()
            .map(|f| std::fs::canonicalize(&f.path).map_or_else(|_| f.path.clone(), |p| p.display().to_string()))
            .collect();
        (self.command.clone(), paths, self.overrides.clone())
    }

    /// The command line as one line of text, quoted where a word needs it.
    pub(crate) fn command_text(&self) -> String {
        self.command_line
            .iter()
            .map(|w| {
                if w.is_empty()
                    || w.chars()
                        .any(|c| c.is_whitespace() || "'\"{}[]$*?;&|<>()\\".contains(c))
                {
                    format!("'{}'", w.replace('\'', "'\\''"))
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The lines a report's header shows: (what, value).
    pub(crate) fn lines(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("Command".to_string(), self.command_text()),
            ("gatesim".to_string(), self.gatesim_version.clone()),
        ];
        if let Some(seed) = self.seed {
            out.push(("Seed".into(), seed.to_string()));
        }
        if !self.overrides.is_empty() {
            out.push(("Overrides".into(), self.overrides.join("; ")));
        }
        for f in &self.inputs {
            out.push((format!("Input {}", f.path), format!("SHA-256 {}", f.sha256)));
        }
        out
    }

    /// The line the terminal prints before the results when the scenario
    /// was overridden: `overrides: --set a=1; --set b=2`.
    pub(crate) fn overrides_line(&self) -> Option<String> {
        (!self.overrides.is_empty()).then(|| {
            let sets: Vec<String> = self.overrides.iter().map(|o| format!("--set {o}")).collect();
            format!("overrides: {}", sets.join("; "))
        })
    }
}
