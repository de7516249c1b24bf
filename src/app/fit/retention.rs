//! `gatesim fit retention`: the shifted-beta-geometric (or
//! beta-discrete-Weibull) retention model fitted to cohort counts.

use super::{names, printed, report};
use crate::analysis::fit::retention::RetentionOptions;
use crate::analysis::fit::{Model, Period, fit_retention, read_retention};
use crate::app::command::{Command, Context};
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
    /// The retention table (CSV with a header).
    file: PathBuf,
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

impl Command for FitRetention {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let outputs = Outputs::new(&self.output, Without::PrintOnly);
        let data = read_retention(&self.file).map_err(|e| AppError::usage(e.to_string()))?;
        outputs.prepare()?;
        let opts = RetentionOptions {
            period: self.period,
            model: self.model,
            project: self.project.map(|p| p as usize),
        };
        let f =
            fit_retention(&data, &opts).map_err(|e| AppError::run_because(format!("{}", self.file.display()), e))?;
        let (name, folder) = names(&self.file);
        let md = retention_md(&f, &name);
        let options = vec![
            ("Period".into(), format!("{:?}", self.period).to_lowercase()),
            ("Model".into(), format!("{:?}", self.model).to_lowercase()),
            (
                "Periods projected".into(),
                self.project.map_or("default".into(), |p| p.to_string()),
            ),
        ];
        let (f, name) = (&f, &name);
        outputs.deliver(Product {
            folder,
            files: vec![
                ("fit.json".to_string(), retention_json(f, name)),
                ("fit.md".to_string(), md.clone()),
            ],
            charts: Some(Box::new(move |formats| retention_charts(f, name, formats))),
            report: Some(Box::new(move |charts| report("retention", name, options, &md, charts))),
            text: printed(retention_text(f, name), self.output.out.is_some()),
        })
    }
}
