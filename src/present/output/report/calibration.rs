//! The report of `gatesim calibrate`: the question (which values of the
//! scenario's uncertain assumptions the observed series support, and what
//! the answer is given them), the estimates (from `calibration.md`), the
//! charts (each observed series against the posterior predictive, the
//! posteriors against the priors, the correlated pairs, the generations),
//! and what the calibration rests on (the settings, the resolved scenario
//! with the priors, the data file).

use super::{Block, Report};
use crate::experiments::provenance::Provenance;

/// What a calibration's report is made of.
#[derive(Clone, Debug)]
pub(crate) struct CalibrationReport<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The scenario's description.
    pub description: &'a str,
    /// The observed data file, as given.
    pub data_file: &'a str,
    /// The settings, as (name, value).
    pub settings: Vec<(String, String)>,
    /// The calibration's Markdown (`calibration.md`).
    pub markdown: &'a str,
    /// The resolved scenario with the priors calibrated.
    pub resolved_toml: &'a str,
    /// The chart files rendered; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
}

/// `report.html` of a calibration.
pub(crate) fn calibration_report(input: &CalibrationReport<'_>) -> Vec<u8> {
    let title = input
        .markdown
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map_or_else(|| format!("Calibration of {}", input.scenario), str::to_string);
    let mut question = format!(
        "Which values of {}'s uncertain assumptions are consistent with the series observed in {}?",
        input.scenario, input.data_file
    );
    if !input.description.is_empty() {
        question = format!("{} {question}", input.description.trim_end());
    }
    let mut report = Report::new("gatesim calibrate", title)
        .provenance(input.provenance)
        .question(question)
        .line(
            "Approximate Bayesian computation by sequential Monte Carlo: the scenario is simulated at candidate values \
             drawn from the priors, then from populations of accepted particles, each generation accepting only \
             simulations closer to the observations than the last.",
        )
        .section("Estimates", vec![Block::Markdown(input.markdown.to_string())])
        .charts_from(input.charts)
        .assumption("Observed data", input.data_file);
    for (k, v) in &input.settings {
        report = report.assumption(k.as_str(), v.as_str());
    }
    report
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"))
        .input("Resolved scenario, with the priors calibrated", input.resolved_toml)
        .note(
            "The data behind this page are in posterior.csv (every particle and its weight), calibration.json and \
             calibration.md beside it; scenario.toml is the scenario at the posterior medians.",
        )
        .to_html()
}
