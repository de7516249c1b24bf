//! The report of `gatesim sensitivity`: the question (how far the
//! scenario's answer moves with its uncertain assumptions, and which drive
//! it), the estimates (from `sensitivity.md`), the charts, and what the
//! analysis rests on (method, design, replications, seed, the resolved
//! scenario with its declared ranges).

use super::{Block, Report};
use crate::experiments::provenance::Provenance;

/// What a sensitivity analysis' report is made of.
#[derive(Clone, Debug)]
pub(crate) struct SensitivityReport<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// The scenario's description.
    pub description: &'a str,
    /// The method's name (tornado, morris, sobol, uncertainty).
    pub method: &'a str,
    /// Design points run (count).
    pub points: usize,
    /// Replications per point (count).
    pub replications: u64,
    /// Seed of every random stream.
    pub seed: u64,
    /// The analysis' Markdown (`sensitivity.md`).
    pub markdown: &'a str,
    /// The resolved scenario, with the ranges analysed.
    pub resolved_toml: &'a str,
    /// The chart files rendered; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
}

/// `report.html` of a sensitivity analysis.
pub(crate) fn sensitivity_report(input: &SensitivityReport<'_>) -> Vec<u8> {
    let title = input
        .markdown
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map_or_else(|| format!("Sensitivity of {}", input.scenario), str::to_string);
    let question = if input.description.is_empty() {
        format!(
            "How far do {}'s results move with its uncertain assumptions, and which assumptions drive them?",
            input.scenario
        )
    } else {
        format!(
            "{} How far does the answer move with the uncertain assumptions, and which drive it?",
            input.description.trim_end()
        )
    };
    Report::new("gatesim sensitivity", title)
        .provenance(input.provenance)
        .question(question)
        .line(format!(
            "Method: {}; {} design points × {} replications each, with common random numbers.",
            input.method, input.points, input.replications
        ))
        .section("Estimates", vec![Block::Markdown(input.markdown.to_string())])
        .charts_from(input.charts)
        .assumption("Method", input.method)
        .assumption("Design points", input.points.to_string())
        .assumption("Replications per point", input.replications.to_string())
        .assumption("Seed", input.seed.to_string())
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"))
        .input("Resolved scenario, with the ranges analysed", input.resolved_toml)
        .note("The data behind this page are in sensitivity.csv, sensitivity.json and design.csv beside it.")
        .to_html()
}
