//! `gatesim fit`: maximum-likelihood fits of the user model's retention
//! ([`retention`]) and of duration distributions ([`durations`]) to the
//! user's own data, and a review log read into tests of unequal treatment
//! and review classes ([`reviews`]). Each reads its file (a bad one is refused with its
//! line, exit code 2, before anything is written), fits, prints the
//! estimates and the scenario lines to paste, and with `--out DIR` writes
//! `DIR/fit-<kind>-<file stem>/` (fit.json, fit.md, charts/, report.html).

mod durations;
mod retention;
mod reviews;

use super::command::{Command, Context};
use super::error::AppError;
use crate::experiments::provenance::Provenance;
use crate::present::output::report::fit::{FitReport, fit_report};
use clap::{Args, Subcommand};
use std::path::Path;

/// `gatesim fit`
#[derive(Debug, Args)]
pub(crate) struct Fit {
    /// What to fit.
    #[command(subcommand)]
    what: FitCommand,
}

/// The kinds of data `gatesim fit` reads.
#[derive(Debug, Subcommand)]
enum FitCommand {
    /// Fit the shifted-beta-geometric retention model (churn_alpha,
    /// churn_beta) to cohort counts: a CSV `period,active` (one cohort) or
    /// `cohort,period,active` (several, e.g. a cohort triangle), or these
    /// columns under the names given by --period-column, --active-column
    /// and --cohort-column.
    Retention(retention::FitRetention),
    /// Fit exponential, gamma, log-normal and Weibull distributions to
    /// observed durations (one per row), ranked by AIC.
    Durations(durations::FitDurations),
    /// Read a review log (one row per submission: platform, submitted,
    /// decided, outcome): is one platform treated differently, and the
    /// review classes that reproduce the log.
    Reviews(reviews::FitReviews),
}

impl Command for Fit {
    fn execute(&self, cx: &Context) -> Result<(), AppError> {
        match &self.what {
            FitCommand::Retention(f) => f.execute(cx),
            FitCommand::Durations(f) => f.execute(cx),
            FitCommand::Reviews(f) => f.execute(cx),
        }
    }
}

/// The input's file name (for the outputs) and the output folder's name:
/// `fit-<kind>-<file stem>`, so that fits of two kinds to files of the
/// same name do not replace each other.
fn names(kind: &str, file: &Path) -> (String, String) {
    let name = file
        .file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let stem = file
        .file_stem()
        .map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned());
    (name, format!("fit-{kind}-{stem}"))
}

/// The report of a fit of `kind` to file `name` with `options`, its
/// Markdown `md` and the rendered charts.
fn report(
    kind: &str,
    name: &str,
    options: Vec<(String, String)>,
    md: &[u8],
    charts: &[(String, Vec<u8>)],
    provenance: &Provenance,
) -> Vec<u8> {
    fit_report(&FitReport {
        kind,
        file: name,
        options,
        markdown: &String::from_utf8_lossy(md),
        charts,
        provenance,
    })
}

/// The text printed for a fit: its report, and a blank line before the
/// line saying where the outputs went when there are outputs.
fn printed(text: String, writes: bool) -> String {
    if writes { format!("{text}\n") } else { text }
}
