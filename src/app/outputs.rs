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
use super::signals;
use crate::present::output::write::{prepare_out_dir, write_dir_atomically_unless};
use crate::present::plot::{Format, PlotError};
use std::path::PathBuf;

/// Charts of a product: rendered in the formats given, as (file name, bytes).
pub(crate) type DrawCharts<'a> = Box<dyn FnOnce(&[Format]) -> Result<Vec<(String, Vec<u8>)>, PlotError> + 'a>;

/// A product's `report.html`, built from every rendered chart (named
/// `charts/<chart>.<format>`).
pub(crate) type BuildReport<'a> = Box<dyn FnOnce(&[(String, Vec<u8>)]) -> Vec<u8> + 'a>;

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
        match self.dir() {
            Some(dir) => signals::shielded(|| prepare_out_dir(&dir))
                .map_err(|e| AppError::usage_because(format!("--out {}", dir.display()), e)),
            None => Ok(()),
        }
    }

    /// Writes `p` (unless nothing is to be written) and prints its text.
    pub(crate) fn deliver(&self, p: Product<'_>) -> Result<(), AppError> {
        let Some(dir) = self.dir() else {
            if !self.flags.quiet {
                print!("{}", p.text);
            }
            return Ok(());
        };
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
        let report = match p.report {
            Some(build) if with_report => Some(build(&rendered)),
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
        let target = dir.join(&p.folder);
        let named: Vec<(&str, Vec<u8>)> = files.iter_mut().map(|(n, b)| (n.as_str(), std::mem::take(b))).collect();
        write(&target, &named)?;
        if !self.flags.quiet {
            print!("{}", p.text);
            println!("outputs: {}", target.display());
        }
        Ok(())
    }
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
fn write(target: &std::path::Path, files: &[(&str, Vec<u8>)]) -> Result<(), AppError> {
    signals::while_writing(|| write_dir_atomically_unless(target, files, &signals::stopped)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::Interrupted && signals::stopped() {
            AppError::Interrupted
        } else {
            AppError::run_because(format!("cannot write {}", target.display()), e)
        }
    })
}
