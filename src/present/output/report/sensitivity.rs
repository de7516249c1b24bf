//! The report of `gatesim sensitivity`: the question (how far the
//! scenario's answer moves with its uncertain assumptions, and which drive
//! it), the estimates (from `sensitivity.md`), the charts, and what the
//! analysis rests on (method, design, replications, seed, the resolved
//! scenario with its declared ranges).

use super::{Block, Report, svg_charts};
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

/// The estimates, each output's chart beside its table: the Markdown's
/// sections (the parameters', then one per output, in the order the charts
/// are drawn) with the output's chart after its section.
fn estimates(markdown: &str, charts: &[(String, Vec<u8>)]) -> Vec<Block> {
    let mut sections: Vec<String> = Vec::new();
    for line in markdown.lines() {
        if line.starts_with("## ") || sections.is_empty() {
            sections.push(String::new());
        }
        if let Some(last) = sections.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    let mut figures = svg_charts(charts).into_iter();
    let mut blocks = Vec::new();
    let outputs = sections
        .iter()
        .filter(|s| s.starts_with("## ") && !s.starts_with("## Parameters"))
        .count();
    let mut left = outputs;
    for s in sections {
        let is_output = s.starts_with("## ") && !s.starts_with("## Parameters");
        blocks.push(Block::Markdown(s));
        if is_output && left > 0 {
            left -= 1;
            if let Some(f) = figures.next() {
                blocks.push(Block::Figure(f));
            }
        }
    }
    blocks.extend(figures.map(Block::Figure));
    blocks
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
        .section("Estimates", estimates(input.markdown, input.charts))
        .assumption("Method", input.method)
        .assumption("Design points", input.points.to_string())
        .assumption("Replications per point", input.replications.to_string())
        .assumption("Seed", input.seed.to_string())
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"))
        .input("Resolved scenario, with the ranges analysed", input.resolved_toml)
        .note("The data behind this page are in sensitivity.csv, sensitivity.json and design.csv beside it.")
        .to_html()
}
