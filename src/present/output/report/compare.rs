//! The report of `gatesim compare`: each scenario's question, the paired
//! differences against the baseline (each headline metric's mean in both
//! scenarios, the difference with its 95% interval and the variance
//! reduction of common random numbers), the charts, and the assumptions
//! (seed, replications, version, every resolved scenario).

use super::{Block, Report, Table};
use crate::experiments::compare::CompareResult;
use crate::experiments::compare::inputs::InputDifference;
use crate::experiments::provenance::Provenance;
use crate::present::output::compare::shown;
use crate::present::output::compare::{headline_sentence, inputs_table};
use crate::present::output::summary::RunInfo;

/// One compared scenario as the report states it.
#[derive(Clone, Debug)]
pub(crate) struct ComparedScenario<'a> {
    /// Name.
    pub name: &'a str,
    /// Description: what the scenario is about.
    pub description: &'a str,
    /// The resolved scenario as TOML.
    pub resolved_toml: &'a str,
}

/// What a comparison's report is made of besides the results.
#[derive(Clone, Debug)]
pub(crate) struct CompareReport<'a> {
    /// The scenarios, baseline first.
    pub scenarios: Vec<ComparedScenario<'a>>,
    /// Seed every scenario ran with.
    pub seed: u64,
    /// Horizon shared by the scenarios (days).
    pub horizon_days: u32,
    /// The chart files rendered; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
    /// The inputs that differ between the scenarios.
    pub inputs: &'a [InputDifference],
}

/// `report.html` of a comparison.
pub(crate) fn compare_report(input: &CompareReport<'_>, r: &CompareResult) -> Vec<u8> {
    let reps = r.runs.first().map_or(0, |x| x.replications);
    let baseline = r.names.first().map_or("", String::as_str);
    let others: Vec<&str> = r.names.iter().skip(1).map(String::as_str).collect();
    let mut report = Report::new("gatesim compare", r.names.join(" vs "))
        .provenance(input.provenance)
        .question(format!(
            "What changes when {} replace{} the baseline {baseline}?",
            others.join(" and "),
            if others.len() == 1 { "s" } else { "" }
        ));
    for s in &input.scenarios {
        let d = if s.description.trim().is_empty() {
            "(no description)"
        } else {
            s.description.trim()
        };
        report = report.line(format!("{}: {d}", s.name));
    }
    report = report.line(format!(
        "{reps} replications of each scenario, seed {}, common random numbers: each difference is scenario minus \
         baseline, replication by replication, with the 95% confidence interval of its mean.",
        input.seed
    ));
    let mut first = inputs_table(&r.names, input.inputs);
    let sentences: Vec<String> = r.diffs.iter().filter_map(headline_sentence).collect();
    if !sentences.is_empty() {
        first.push('\n');
        first.push_str(&sentences.join(" "));
        first.push('\n');
    }
    report = report.section("What differs", vec![Block::Markdown(first)]);
    for d in &r.diffs {
        let rows = d
            .headlines
            .iter()
            .map(|h| {
                let u = shown(h);
                let diff = u.difference_ci(h.difference.mean, h.difference.ci_low, h.difference.ci_high);
                let interval = match (h.difference.ci_low, h.difference.ci_high) {
                    (Some(l), Some(hi)) => format!("{} to {}", u.difference(l), u.difference(hi)),
                    _ => "-".into(),
                };
                vec![
                    format!("{} · {}", h.scope, h.metric.label()),
                    u.level_ci(h.baseline.mean, h.baseline.ci_low, h.baseline.ci_high),
                    u.level_ci(h.scenario.mean, h.scenario.ci_low, h.scenario.ci_high),
                    diff,
                    interval,
                    h.variance_reduction.map_or("-".into(), |v| format!("{v:.1}x")),
                ]
            })
            .collect();
        report = report.section(
            format!("{} minus {}", d.scenario, d.baseline),
            vec![Block::Table(Table {
                caption: "Paired differences of the headline metrics".into(),
                header: vec![
                    "Platform · metric".into(),
                    d.baseline.clone(),
                    d.scenario.clone(),
                    "Difference".into(),
                    "95% interval of the difference".into(),
                    "Variance reduction".into(),
                ],
                rows,
            })],
        );
    }
    report = report
        .charts_from(input.charts)
        .assumption("Seed (every scenario)", input.seed.to_string())
        .assumption("Replications of each scenario", reps.to_string())
        .assumption(
            "Horizon",
            r.runs.first().map_or_else(
                || format!("{} days", input.horizon_days),
                |b| RunInfo::of(&b.annotations).span(),
            ),
        )
        .assumption("Baseline", baseline)
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"));
    for s in &input.scenarios {
        report = report.input(format!("Scenario {}, resolved", s.name), s.resolved_toml);
    }
    report
        .note(
            "Variance reduction: the variance of the difference under independent sampling, Var(A) + Var(B), over its \
             variance under common random numbers; above 1, common random numbers narrowed the interval by its square root.",
        )
        .note("The data behind this page are in compare.json, compare.md and compare.csv beside it.")
        .to_html()
}
