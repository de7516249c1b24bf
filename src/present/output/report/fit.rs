//! The report of `gatesim fit`: the question (which parameters fit the
//! file), the estimates and the scenario lines to paste (from `fit.md`),
//! the chart, and the assumptions (the file, the options, the version).

use super::{Block, Report};
use crate::experiments::provenance::Provenance;

/// What a fit's report is made of.
#[derive(Clone, Debug)]
pub(crate) struct FitReport<'a> {
    /// "retention", "durations" or "reviews".
    pub kind: &'a str,
    /// The data file's name.
    pub file: &'a str,
    /// The options the fit ran with, as (name, value).
    pub options: Vec<(String, String)>,
    /// The fit's Markdown (`fit.md`).
    pub markdown: &'a str,
    /// The chart files rendered; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
}

/// `report.html` of a fit.
pub(crate) fn fit_report(input: &FitReport<'_>) -> Vec<u8> {
    let title = input
        .markdown
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map_or_else(|| format!("Fit of {}", input.file), str::to_string);
    let question = match input.kind {
        "retention" => format!(
            "Which retention parameters (churn_alpha, churn_beta) best explain the cohort counts in {}?",
            input.file
        ),
        "reviews" => format!(
            "Were the reviews of one platform treated differently from the others' in {}, and which review \
             classes reproduce the log?",
            input.file
        ),
        _ => format!("Which distribution best describes the durations in {}?", input.file),
    };
    let line = if input.kind == "reviews" {
        "Kaplan-Meier estimates with pending and withdrawn submissions censored; log-rank, Cox and Fisher tests \
         with Holm-adjusted p-values."
    } else {
        "Maximum-likelihood estimates with their standard errors."
    };
    let mut report = Report::new(format!("gatesim fit {}", input.kind), title)
        .provenance(input.provenance)
        .question(question)
        .line(line)
        .section("Estimates", vec![Block::Markdown(input.markdown.to_string())])
        .charts_from(input.charts)
        .assumption("Data file", input.file);
    for (k, v) in &input.options {
        report = report.assumption(k.as_str(), v.as_str());
    }
    report
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"))
        .note("The data behind this page are in fit.json and fit.md beside it.")
        .to_html()
}
