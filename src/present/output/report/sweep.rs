//! The report of `gatesim sweep`: the question (how the headline metrics
//! respond to the swept parameters), one table per platform with every
//! point's headline metrics and their 95% intervals, the charts, and the
//! assumptions (the grid, seed, replications, version, the scenario as
//! resolved at the first point).

use super::{Block, Report, Table};
use crate::core::metric::Metric;
use crate::experiments::provenance::Provenance;
use crate::experiments::sweep::SweepResult;
use crate::present::output::cells::column_cells;

/// What a sweep's report is made of besides the results.
#[derive(Clone, Debug)]
pub(crate) struct SweepReport<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Its description.
    pub description: &'a str,
    /// Seed.
    pub seed: u64,
    /// Horizon (days).
    pub horizon_days: u32,
    /// The scenario resolved at the first point, as TOML.
    pub first_point_toml: &'a str,
    /// The chart files rendered; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
}

/// The headline metrics tabulated, when the scenario has them (and the GMV
/// after the orders, when it gives order values).
const SHOWN: [Metric; 6] = [
    Metric::ActiveUsersEnd,
    Metric::OrdersTotal,
    Metric::MeanStalenessDays,
    Metric::ShareOfBuildsReleased,
    Metric::DecisionHoursMean,
    Metric::Rejections,
];

/// `report.html` of a sweep.
pub(crate) fn sweep_report(input: &SweepReport<'_>, r: &SweepResult) -> Vec<u8> {
    let reps = r.points.first().map_or(0, |p| p.result.replications);
    let mut report = Report::new(
        "gatesim sweep",
        format!("Sweep of {} over {}", input.scenario, r.labels.join(" and ")),
    )
    .provenance(input.provenance)
    .question(format!(
        "How do the results of {} respond to {}?",
        input.scenario,
        r.labels.join(" and ")
    ))
    .line(super::run::question(input.description))
    .line(format!(
        "{} points, {reps} replications each, seed {}, common random numbers across points. Cells: mean ± \
             half-width of the 95% confidence interval.",
        r.points.len(),
        input.seed
    ));
    if let Some(first) = r.points.first() {
        let gatekeeper = std::iter::once("gatekeeper".to_string());
        for scope in first.result.platforms.iter().cloned().chain(gatekeeper) {
            let metrics: Vec<Metric> = if scope == "gatekeeper" {
                vec![Metric::Utilisation, Metric::QueueWaitHoursMean]
            } else {
                Metric::with_gmv(&SHOWN, first.result.currency())
            };
            let metrics: Vec<Metric> = metrics
                .into_iter()
                .filter(|m| first.result.headline(&scope, *m).is_some())
                .collect();
            let mut header: Vec<String> = r.labels.clone();
            header.extend(metrics.iter().map(|m| m.label().to_string()));
            let columns: Vec<Vec<String>> = metrics
                .iter()
                .map(|m| {
                    let found: Vec<_> = r.points.iter().map(|p| p.result.headline(&scope, *m)).collect();
                    column_cells(*m, &found)
                })
                .collect();
            let rows = r
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut row = p.values.clone();
                    row.extend(columns.iter().map(|c| c[i].clone()));
                    row
                })
                .collect();
            let heading = if scope == "gatekeeper" {
                "Gatekeeper".to_string()
            } else {
                scope.clone()
            };
            report = report.section(
                heading,
                vec![Block::Table(Table {
                    caption: String::new(),
                    header,
                    rows,
                })],
            );
        }
    }
    let grid: Vec<String> = r
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let mut values: Vec<&str> = Vec::new();
            for p in &r.points {
                if let Some(v) = p.values.get(i)
                    && !values.contains(&v.as_str())
                {
                    values.push(v);
                }
            }
            format!("{k} = {}", values.join(", "))
        })
        .collect();
    report
        .charts_from(input.charts)
        .assumption("Swept", grid.join("; "))
        .assumption("Seed", input.seed.to_string())
        .assumption("Replications per point", reps.to_string())
        .assumption("Horizon", format!("{} days", input.horizon_days))
        .assumption("gatesim version", env!("CARGO_PKG_VERSION"))
        .input(
            format!("Scenario {}, resolved at the first point", input.scenario),
            input.first_point_toml,
        )
        .note("A point is exactly `gatesim run --set` of its values. The data behind this page are in sweep.csv, sweep.json and sweep.md beside it.")
        .to_html()
}
