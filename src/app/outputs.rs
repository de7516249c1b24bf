//! The one output manager. A command hands it a [`Product`]: the output
//! folder's name, its data files as bytes, how to draw its charts and how to
//! build its report from them, and the text to print. The manager checks
//! `--out` before the work starts, renders the charts in the formats asked
//! for (plus SVG when `report.html` inlines them), keeps the files `--format`,
//! `--no-charts` and `--no-report` ask for, does the one atomic write
//! (deferring Ctrl-C and SIGTERM while it swaps the folder in) and prints the
//! text and where the outputs went.

use super::error::AppError;
use super::flags::OutputFlags;
use super::session;
use super::signals;
use crate::experiments::provenance::Provenance;
use crate::experiments::shard::partial::sha256_hex;
use crate::present::output::provenance::{read_provenance, with_provenance};
use crate::present::output::write::{prepare_out_dir, write_dir_atomically_unless};
use crate::present::plot::{Format, PlotError};
use std::path::{Path, PathBuf};

/// Charts of a product: rendered in the formats given, as (file name, bytes).
pub(crate) type DrawCharts<'a> = Box<dyn FnOnce(&[Format]) -> Result<Vec<(String, Vec<u8>)>, PlotError> + 'a>;

/// A product's `report.html`, built from every rendered chart (named
/// `charts/<chart>.<format>`) and the result's provenance.
pub(crate) type BuildReport<'a> = Box<dyn FnOnce(&[(String, Vec<u8>)], &Provenance) -> Vec<u8> + 'a>;

/// What a command's result becomes.
pub(crate) struct Product<'a> {
    /// The output folder's name under `--out`.
    pub folder: String,
    /// Data files (name, bytes), written whatever the chart flags say.
    pub files: Vec<(String, Vec<u8>)>,
    /// The charts, if the command draws any.
    pub charts: Option<DrawCharts<'a>>,
    /// The report, if the command writes one.
    pub report: Option<BuildReport<'a>>,
    /// What to print (unless `--quiet`) before the line saying where the
    /// outputs went.
    pub text: String,
    /// Where the result came from.
    pub provenance: Provenance,
    /// The file among `files` that is the command's JSON: it records the
    /// provenance as its first member.
    pub json: &'static str,
}

/// Longest output folder name made from overrides before it is shortened
/// to a digest.
const MAX_FOLDER: usize = 96;

/// The output folder of a result named `base` with `overrides`: the base,
/// or `base+key=value+...` (spaces around `=` and the quotes of a string
/// value dropped, other characters a file name should not hold made `_`;
/// a long list shortened to a digest), so that a run with overrides never
/// replaces the run without.
pub(crate) fn folder_name(base: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return base.to_string();
    }
    let safe: Vec<String> = overrides
        .iter()
        .map(|o| {
            unquoted(o)
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || "._=-,".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        })
        .collect();
    let joined = safe.join("+");
    if joined.chars().count() <= MAX_FOLDER {
        format!("{base}+{joined}")
    } else {
        format!("{base}+{}", &sha256_hex(overrides.join("\n").as_bytes())[..12])
    }
}

/// `key=value` as written in a folder name: `key` and `value` trimmed, and
/// a value in matching quotes without them (`a = "b"` is `a=b`).
fn unquoted(set: &str) -> String {
    let Some((key, value)) = set.split_once('=') else {
        return set.trim().to_string();
    };
    let value = value.trim();
    let inner = ['"', '\'']
        .iter()
        .find_map(|&q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
        .filter(|v| !v.is_empty())
        .unwrap_or(value);
    format!("{}={inner}", key.trim())
}

/// Whether a command writes when `--out` is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Without {
    /// It writes into `output/`.
    WriteToOutput,
    /// It only prints (the fits).
    PrintOnly,
}

/// The output manager of one command.
pub(crate) struct Outputs<'f> {
    /// The flags.
    flags: &'f OutputFlags,
    /// What it does without `--out`.
    without: Without,
}

impl<'f> Outputs<'f> {
    /// The manager for `flags`.
    pub(crate) fn new(flags: &'f OutputFlags, without: Without) -> Outputs<'f> {
        Outputs { flags, without }
    }

    /// The folder that receives output folders, if anything is written.
    fn dir(&self) -> Option<PathBuf> {
        match (&self.flags.out, self.without) {
            (Some(d), _) => Some(d.clone()),
            (None, Without::WriteToOutput) => Some(self.flags.out_dir().to_path_buf()),
            (None, Without::PrintOnly) => None,
        }
    }

    /// Makes sure `--out` can hold outputs before any work: creates it if
    /// missing, refuses a file or an unwritable folder.
    pub(crate) fn prepare(&self) -> Result<(), AppError> {
        if session::capturing() {
            return Ok(());
        }
        match self.dir() {
            Some(dir) => signals::shielded(|| prepare_out_dir(&dir))
                .map_err(|e| AppError::usage_because(format!("--out {}", dir.display()), e)),
            None => Ok(()),
        }
    }

    /// Writes `p` (unless nothing is to be written) and prints its text;
    /// embedded, hands every file and the text over instead
    /// ([`super::embed::capture`]), to be written on request.
    pub(crate) fn deliver(&self, p: Product<'_>) -> Result<(), AppError> {
        let overrides = p.provenance.overrides_line();
        let capturing = session::capturing();
        let dir = match self.dir() {
            Some(d) => d,
            None if capturing => self.flags.out_dir().to_path_buf(),
            None => {
                if !self.flags.quiet {
                    if let Some(o) = &overrides {
                        println!("{o}");
                    }
                    print!("{}", p.text);
                }
                return Ok(());
            }
        };
        let folder = match &self.flags.name {
            Some(name) => name.clone(),
            None => folder_name(&p.folder, &p.provenance.overrides),
        };
        let target = dir.join(&folder);
        if !capturing {
            check_same_run(&target, p.json, &p.provenance)?;
        }
        let asked = self.flags.chart_formats();
        let with_report = !self.flags.no_report && p.report.is_some();
        let rendered = match p.charts {
            Some(draw) if !asked.is_empty() => draw(&render_formats(&asked, with_report))
                .map_err(|e| AppError::run_because("cannot draw the charts", e))?
                .into_iter()
                .map(|(name, bytes)| (format!("charts/{name}"), bytes))
                .collect(),
            _ => Vec::new(),
        };
        let mut files = p.files;
        for (name, bytes) in &mut files {
            if name == p.json {
                *bytes = with_provenance(bytes, &p.provenance);
            }
        }
        let report = match p.report {
            Some(build) if with_report => Some(build(&rendered, &p.provenance)),
            _ => None,
        };
        files.extend(
            rendered
                .into_iter()
                .filter(|(name, _)| asked.iter().any(|f| name.ends_with(&format!(".{}", f.extension())))),
        );
        if let Some(page) = report {
            files.push(("report.html".to_string(), page));
        }
        if capturing {
            session::hand_over(folder, files, p.text, p.json, p.provenance);
            return Ok(());
        }
        let named: Vec<(&str, Vec<u8>)> = files.iter_mut().map(|(n, b)| (n.as_str(), std::mem::take(b))).collect();
        write(&target, &named)?;
        if !self.flags.quiet {
            if let Some(o) = &overrides {
                println!("{o}");
            }
            print!("{}", p.text);
            println!("outputs: {}", target.display());
        }
        Ok(())
    }
}

/// Refuses to replace the results in `target` if its JSON `json` says they
/// are another run's (another command, input file or overrides): a rerun
/// replaces its own results, never a different run's.
pub(super) fn check_same_run(target: &Path, json: &str, p: &Provenance) -> Result<(), AppError> {
    let Ok(bytes) = std::fs::read(target.join(json)) else {
        return Ok(());
    };
    let Some(theirs) = read_provenance(&bytes) else {
        return Ok(());
    };
    if theirs.identity() == p.identity() {
        return Ok(());
    }
    Err(AppError::usage(format!(
        "{} holds the results of another run ({}); they are kept. Name this one with --name NAME, or write it elsewhere with --out DIR",
        target.display(),
        theirs.command_text()
    )))
}

/// The chart formats to render: those asked for, plus SVG when a report
/// inlines them.
fn render_formats(asked: &[Format], report: bool) -> Vec<Format> {
    let mut out = asked.to_vec();
    if report && !out.is_empty() && !out.contains(&Format::Svg) {
        out.push(Format::Svg);
    }
    out
}

/// Writes the folder `target` atomically; a signal that arrives while the
/// files are written stops it before the swap.
pub(super) fn write(target: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Result<(), AppError> {
    signals::while_writing(|| write_dir_atomically_unless(target, files, &signals::stopped)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::Interrupted && signals::stopped() {
            AppError::Interrupted
        } else {
            AppError::run_because(format!("cannot write {}", target.display()), e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(sets: &[&str]) -> String {
        folder_name("s", &sets.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_string_value_loses_its_quotes_and_the_spaces_around_the_equals_sign_go() {
        assert_eq!(
            name(&["simulation.warmup_days=\"auto\""]),
            "s+simulation.warmup_days=auto"
        );
        assert_eq!(name(&["a = 'b'"]), "s+a=b");
        assert_eq!(name(&[" a.b = 3 ", "c=x y"]), "s+a.b=3+c=x_y");
    }

    #[test]
    fn characters_a_file_name_should_not_hold_become_underscores_and_no_override_keeps_the_base() {
        assert_eq!(name(&[]), "s");
        assert_eq!(
            name(&["platforms[2].class=\"standard\""]),
            "s+platforms_2_.class=standard"
        );
        assert_eq!(name(&["a=../../x"]), "s+a=.._.._x");
        // An unmatched or empty quote is kept (as `_`), not taken apart.
        assert_eq!(name(&["a=\"b"]), "s+a=_b");
        assert_eq!(name(&["a=\"\""]), "s+a=__");
        assert_eq!(name(&["flag"]), "s+flag");
    }

    #[test]
    fn a_long_list_of_overrides_is_shortened_to_a_digest_of_what_was_written() {
        let long = "k=".to_string() + &"v".repeat(MAX_FOLDER);
        let a = name(&[&long]);
        assert_eq!(a.len(), "s+".len() + 12);
        assert_ne!(a, name(&[&(long.clone() + "w")]));
    }
}
