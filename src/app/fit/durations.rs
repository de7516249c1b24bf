//! `gatesim fit durations`: exponential, gamma, log-normal and Weibull
//! distributions fitted to observed durations (right-censored ones
//! included), ranked by AIC.

use super::{names, printed, report};
use crate::analysis::fit::{Unit, fit_durations, read_durations};
use crate::app::command::{Command, Context, provenance};
use crate::app::error::AppError;
use crate::app::flags::OutputFlags;
use crate::app::outputs::{Outputs, Product, Without};
use crate::present::output::fit::{durations_json, durations_md, durations_text};
use crate::present::plot::fit::durations_charts;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::path::PathBuf;

/// `gatesim fit durations`
#[derive(Debug, Args)]
pub(crate) struct FitDurations {
    /// The durations (CSV with a header, one duration per row).
    file: PathBuf,
    /// The column holding the durations (default: the only other column than
    /// the censoring one, or one named duration, hours or days).
    #[arg(long, value_name = "NAME")]
    column: Option<String>,
    /// The unit of the durations: hours or days.
    #[arg(long, default_value = "hours", value_parser = unit_parser())]
    unit: Unit,
    /// A column saying the row was still pending when observed (1/0,
    /// true/false, yes/no): its duration is a lower bound (right-censored).
    /// Default: a column named `censored` or `pending`, if any.
    #[arg(long, value_name = "NAME")]
    censored_column: Option<String>,
    #[command(flatten)]
    output: OutputFlags,
}

/// `--unit`: hours or days.
fn unit_parser() -> impl TypedValueParser<Value = Unit> {
    PossibleValuesParser::new(["hours", "days"]).map(|u| if u == "days" { Unit::Days } else { Unit::Hours })
}

impl Command for FitDurations {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let outputs = Outputs::new(&self.output, Without::PrintOnly);
        let data = read_durations(&self.file, self.column.as_deref(), self.censored_column.as_deref())
            .map_err(|e| AppError::usage(e.to_string()))?;
        outputs.prepare()?;
        let f = fit_durations(&data, self.unit)
            .map_err(|e| AppError::run_because(format!("{}", self.file.display()), e))?;
        let (name, folder) = names("durations", &self.file);
        let md = durations_md(&f, &name);
        let options = vec![
            ("Column".into(), self.column.clone().unwrap_or_else(|| "default".into())),
            ("Unit".into(), format!("{:?}", self.unit).to_lowercase()),
            (
                "Censored column".into(),
                self.censored_column.clone().unwrap_or_else(|| "default".into()),
            ),
        ];
        let (f, name) = (&f, &name);
        outputs.deliver(Product {
            folder,
            files: vec![
                ("fit.json".to_string(), durations_json(f, name)),
                ("fit.md".to_string(), md.clone()),
            ],
            charts: Some(Box::new(move |formats| durations_charts(f, name, formats))),
            report: Some(Box::new(move |charts, provenance| {
                report("durations", name, options, &md, charts, provenance)
            })),
            text: printed(durations_text(f, name), self.output.out.is_some()),
            provenance: provenance("fit durations", &[&self.file], Vec::new(), None),
            json: "fit.json",
        })
    }
}
