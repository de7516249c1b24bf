//! `gatesim fit retention`: the shifted-beta-geometric (or
//! beta-discrete-Weibull) retention model fitted to cohort counts.

use super::{names, printed, report};
use crate::analysis::fit::retention::RetentionOptions;
use crate::analysis::fit::{Model, Period, RetentionColumns, fit_retention, read_retention_with};
use crate::app::command::{Command, Context, provenance};
use crate::app::error::AppError;
use crate::app::flags::OutputFlags;
use crate::app::outputs::{Outputs, Product, Without};
use crate::present::output::fit::{retention_json, retention_md, retention_text};
use crate::present::plot::fit::retention_charts;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

/// `gatesim fit retention`
#[derive(Debug, Args)]
pub(crate) struct FitRetention {
    /// The retention table: a CSV with a header, its columns the period,
    /// the users still active and (for several cohorts) the cohort;
    /// separated by commas, semicolons or tabs, decimals by the file's mark.
    file: PathBuf,
    /// The column holding the periods: 0 (the cohort's size), then 1, 2, ...
    /// (default: `period`; names are matched ignoring case).
    #[arg(long, value_name = "NAME")]
    period_column: Option<String>,
    /// The column holding the users still active after each period
    /// (default: `active`).
    #[arg(long, value_name = "NAME")]
    active_column: Option<String>,
    /// The column naming each row's cohort, for a table of several cohorts
    /// (a cohort triangle). Default: `cohort`, if the table has it; without
    /// it the table is one cohort. Every column must be one of the three.
    #[arg(long, value_name = "NAME")]
    cohort_column: Option<String>,
    /// What one period of the table is (day, week, month or year); the
    /// per-day parameters are derived from it.
    #[arg(long, default_value = "day", value_parser = period_parser())]
    period: Period,
    /// The model: sbg, or bdw (also fits sBG and tests one against the other).
    #[arg(long, default_value = "sbg", value_parser = model_parser())]
    model: Model,
    /// Periods to project beyond the data (default: as many as observed, at least 3).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    project: Option<u32>,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--period`: day, week, month or year.
fn period_parser() -> impl TypedValueParser<Value = Period> {
    PossibleValuesParser::new(["day", "week", "month", "year"]).map(|p| match p.as_str() {
        "week" => Period::Week,
        "month" => Period::Month,
        "year" => Period::Year,
        _ => Period::Day,
    })
}

/// `--model`: sbg or bdw.
fn model_parser() -> impl TypedValueParser<Value = Model> {
    PossibleValuesParser::new(["sbg", "bdw"]).map(|m| if m == "bdw" { Model::Bdw } else { Model::Sbg })
}

impl FitRetention {
    /// The columns named by the flags.
    fn columns(&self) -> RetentionColumns {
        RetentionColumns {
            period: self.period_column.clone(),
            active: self.active_column.clone(),
            cohort: self.cohort_column.clone(),
        }
    }
}

impl Command for FitRetention {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let outputs = Outputs::new(&self.output, Without::PrintOnly);
        let data = read_retention_with(&self.file, &self.columns()).map_err(|e| AppError::usage(e.to_string()))?;
        outputs.prepare()?;
        let opts = RetentionOptions {
            period: self.period,
            model: self.model,
            project: self.project.map(|p| p as usize),
        };
        let f =
            fit_retention(&data, &opts).map_err(|e| AppError::run_because(format!("{}", self.file.display()), e))?;
        let (name, folder) = names("retention", &self.file);
        let md = retention_md(&f, &name);
        let named = |c: &Option<String>| c.clone().unwrap_or_else(|| "default".into());
        let options = vec![
            ("Period".into(), format!("{:?}", self.period).to_lowercase()),
            ("Model".into(), format!("{:?}", self.model).to_lowercase()),
            (
                "Periods projected".into(),
                self.project.map_or("default".into(), |p| p.to_string()),
            ),
            ("Period column".into(), named(&self.period_column)),
            ("Active column".into(), named(&self.active_column)),
            ("Cohort column".into(), named(&self.cohort_column)),
        ];
        let (f, name) = (&f, &name);
        outputs.deliver(Product {
            folder,
            files: vec![
                ("fit.json".to_string(), retention_json(f, name)),
                ("fit.md".to_string(), md.clone()),
            ],
            charts: Some(Box::new(move |formats| retention_charts(f, name, formats))),
            report: Some(Box::new(move |charts, provenance| {
                report("retention", name, options, &md, charts, provenance)
            })),
            text: printed(retention_text(f, name), self.output.out.is_some()),
            provenance: provenance("fit retention", &[&self.file], Vec::new(), None),
            json: "fit.json",
        })
    }
}
