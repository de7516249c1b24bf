//! The report of `gatesim run`: the scenario's question, the headline
//! metrics per platform and of the gatekeeper with their 95% intervals,
//! the charts, and the assumptions (seed, replications, horizon, version,
//! the resolved scenario).

use super::{Block, Report, Table};
use crate::core::metric::Metric;
use crate::core::numbers::{count, counted, percent};
use crate::experiments::montecarlo::MonteCarloResult;
use crate::experiments::provenance::Provenance;
use crate::present::output::cells::{headline_cells, lone_cell};
use crate::present::output::summary::RunInfo;

/// What a run's report is made of besides the results.
#[derive(Clone, Debug)]
pub(crate) struct RunReport<'a> {
    /// Name, seed, horizon and warm-up, as in `summary.json`.
    pub info: RunInfo<'a>,
    /// The scenario's description: the question it answers.
    pub description: &'a str,
    /// The resolved scenario as TOML (what `scenario.toml` holds).
    pub resolved_toml: &'a str,
    /// The chart files rendered, `charts/<stem>.<format>`; the SVGs are inlined.
    pub charts: &'a [(String, Vec<u8>)],
    /// Where the result came from (shown in the page's header).
    pub provenance: &'a Provenance,
}

/// `report.html` of a run.
pub(crate) fn run_report(input: &RunReport<'_>, r: &MonteCarloResult) -> Vec<u8> {
    let info = &input.info;
    let mut report = Report::new("gatesim run", format!("Scenario {}", info.scenario))
        .provenance(input.provenance)
        .question(question(input.description))
        .line(format!(
            "{} of {}, seed {}{}.",
            counted(r.replications, "replication"),
            info.span(),
            info.seed,
            if info.warmup_days > 0 {
                format!(", headlines after a {}-day warm-up", info.warmup_days)
            } else {
                String::new()
            }
        ))
        .line("Every figure is a mean across replications ± the half-width of its 95% confidence interval.");
    if let Some(w) = &r.auto_warmup {
        for line in crate::present::output::notes::auto_warmup_sentences(w, info.horizon_days) {
            report = report.line(line);
        }
    }
    if let Some(line) = crate::present::output::notes::skew_warning(&r.headlines) {
        report = report.line(line);
    }
    report = report.section("Headline metrics", headline_blocks(r));
    report = report.charts_from(input.charts);
    report = assumptions(report, info, r.replications)
        .assumption(
            "Scenario file as run",
            "scenario.toml in this folder (gatesim run scenario.toml reruns it)",
        )
        .input(format!("Scenario {}, resolved", info.scenario), input.resolved_toml);
    if let Some(p) = &r.precision {
        report = report.note(format!(
            "Precision target: every targeted headline's 95% half-width within {} of its mean: {} after {} replications.",
            percent(p.target, 1),
            if p.met { "met" } else { "not met (cap reached)" },
            r.replications
        ));
    }
    report
        .note("The data behind this page are in summary.json, summary.md, timeseries.csv, replications.csv and cohorts.csv beside it.")
        .to_html()
}

/// The description as a question line, or a plain statement when there is none.
pub(crate) fn question(description: &str) -> String {
    if description.trim().is_empty() {
        "The scenario has no description.".into()
    } else {
        description.trim().to_string()
    }
}

/// The facts every simulated report states.
pub(crate) fn assumptions(report: Report, info: &RunInfo<'_>, replications: u64) -> Report {
    report
        .assumption("Seed", info.seed.to_string())
        .assumption("Replications", replications.to_string())
        .assumption("Horizon", info.span())
        .assumption(
            "Warm-up left out of the headlines",
            if info.warmup_auto {
                "chosen after the run by MSER-5 (see above)".to_string()
            } else {
                format!("{} days", info.warmup_days)
            },
        )
        .assumption("gatesim version", info.gatesim_version)
}

/// The headline tables of a run: per platform (a column each), the
/// gatekeeper's, and the flows of users between platforms.
pub(crate) fn headline_blocks(r: &MonteCarloResult) -> Vec<Block> {
    let mut metrics: Vec<Metric> = Vec::new();
    for h in r.headlines.iter().filter(|h| r.platforms.contains(&h.scope)) {
        if !metrics.contains(&h.metric) {
            metrics.push(h.metric);
        }
    }
    let mut header = vec!["Metric".to_string()];
    header.extend(r.platforms.iter().cloned());
    let rows = metrics
        .iter()
        .map(|&m| {
            let mut row = vec![m.label().to_string()];
            row.extend(headline_cells(r, m));
            row
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        caption: "Per platform".into(),
        header,
        rows,
    })];
    blocks.extend(super::populations::population_blocks(r));
    let market: Vec<Vec<String>> = r
        .headlines
        .iter()
        .filter(|h| h.scope == "market")
        .map(|h| vec![h.metric.label().to_string(), lone_cell(h)])
        .collect();
    if !market.is_empty() {
        let hhi = "HHI, 0 to 10,000; above 1,800 is highly concentrated in the US merger guidelines of 2023";
        let caption = match r.currency() {
            Some(c) => format!("Market concentration ({hhi}) and gross merchandise value ({c})"),
            None => format!("Market concentration ({hhi})"),
        };
        blocks.push(Block::Table(Table {
            caption,
            header: vec!["Metric".into(), "Market".into()],
            rows: market,
        }));
    }
    let gate: Vec<Vec<String>> = r
        .headlines
        .iter()
        .filter(|h| h.scope == "gatekeeper")
        .map(|h| vec![h.metric.label().to_string(), lone_cell(h)])
        .collect();
    if !gate.is_empty() {
        blocks.push(Block::Table(Table {
            caption: "Gatekeeper".into(),
            header: vec!["Metric".into(), "Gatekeeper".into()],
            rows: gate,
        }));
    }
    if !r.flows.is_empty() {
        let mut header = vec!["From".to_string()];
        header.extend(r.platforms.iter().cloned());
        let rows = r
            .flows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let from = if i == 0 {
                    "No platform before".to_string()
                } else {
                    format!("Former users of {}", r.platforms[i - 1])
                };
                std::iter::once(from)
                    .chain(row.iter().map(|&v| count(v.round())))
                    .collect()
            })
            .collect();
        blocks.push(Block::Table(Table {
            caption: "Mean adoptions per replication, by where the users came from (rows) and the platform they adopted (columns)".into(),
            header,
            rows,
        }));
    }
    blocks
}
