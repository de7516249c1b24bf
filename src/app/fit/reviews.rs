//! `gatesim fit reviews`: a review log (every submission, when it was made,
//! when and how it was decided, some still pending) read into the evidence
//! that one platform's reviews were treated differently, and into the
//! review classes of a scenario that reproduce it.

use super::{names, printed, report};
use crate::analysis::fit::Unit;
use crate::analysis::reviews::{By, LogOptions, Reference, ReviewOptions, analyse, read_log};
use crate::app::command::{Command, Context, provenance};
use crate::app::error::AppError;
use crate::app::flags::OutputFlags;
use crate::app::outputs::{Outputs, Product, Without};
use crate::present::output::fit::{groups_csv, reviews_json, reviews_md, reviews_text};
use crate::present::plot::reviews::reviews_charts;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

/// `gatesim fit reviews`
#[derive(Debug, Args)]
pub(crate) struct FitReviews {
    /// The review log: a CSV with a header, one row per submission, its
    /// columns platform, submitted, decided (empty while pending), outcome
    /// (approved, rejected, withdrawn, or empty while pending), and
    /// optionally class and build.
    file: PathBuf,
    /// When the log was taken, as the log writes times (an ISO 8601
    /// date-time, or a number in --unit): pending submissions are censored
    /// there, later decisions count as pending, later submissions are left
    /// out. Default: the latest time in the log.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    until: Option<String>,
    /// The unit of times written as numbers (from any origin): hours or
    /// days. Default: hours.
    #[arg(long, value_parser = unit_parser())]
    unit: Option<Unit>,
    /// Compare platforms, or the review classes of the log's `class` column.
    #[arg(long, default_value = "platform", value_parser = by_parser())]
    by: By,
    /// The hazard ratios' reference: a platform (or class) by name, or
    /// `pooled` (each against all the others). Default: the platform with
    /// the most submissions among those that do not differ.
    #[arg(long, value_name = "NAME")]
    reference: Option<String>,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--unit`: hours or days.
fn unit_parser() -> impl TypedValueParser<Value = Unit> {
    PossibleValuesParser::new(["hours", "days"]).map(|u| if u == "days" { Unit::Days } else { Unit::Hours })
}

/// `--by`: platform or class.
fn by_parser() -> impl TypedValueParser<Value = By> {
    PossibleValuesParser::new(["platform", "class"]).map(|b| if b == "class" { By::Class } else { By::Platform })
}

impl Command for FitReviews {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let outputs = Outputs::new(&self.output, Without::PrintOnly);
        let options = LogOptions {
            unit: self.unit,
            until: self.until.clone(),
            by: self.by,
        };
        let log = read_log(&self.file, &options).map_err(|e| AppError::usage(e.to_string()))?;
        let reference = match self.reference.as_deref() {
            None => Reference::Largest,
            Some("pooled") => Reference::Pooled,
            Some(name) => Reference::Named(name.to_string()),
        };
        let a = analyse(&log, &ReviewOptions { reference }).map_err(|e| AppError::usage(e.to_string()))?;
        outputs.prepare()?;
        let (name, folder) = names("reviews", &self.file);
        let md = reviews_md(&log, &a, &name);
        let what = log.by.column();
        let options = vec![
            ("By".into(), what.to_string()),
            (
                "Until".into(),
                if log.until_given {
                    log.until.clone()
                } else {
                    format!("{} (the log's latest time)", log.until)
                },
            ),
            (
                "Unit of numeric times".into(),
                self.unit
                    .map_or_else(|| "default (hours)".into(), |u| u.name().to_string()),
            ),
            (
                "Reference".into(),
                self.reference
                    .clone()
                    .unwrap_or_else(|| "default (the largest that does not differ)".into()),
            ),
        ];
        let (log, a, name) = (&log, &a, &name);
        outputs.deliver(Product {
            folder,
            files: vec![
                ("fit.json".to_string(), reviews_json(log, a, name)),
                ("fit.md".to_string(), md.clone()),
                ("groups.csv".to_string(), groups_csv(log, a)),
            ],
            charts: Some(Box::new(move |formats| reviews_charts(a, name, what, formats))),
            report: Some(Box::new(move |charts, provenance| {
                report("reviews", name, options, &md, charts, provenance)
            })),
            text: printed(reviews_text(log, a, name), self.output.out.is_some()),
            provenance: provenance("fit reviews", &[&self.file], Vec::new(), None),
            json: "fit.json",
        })
    }
}
