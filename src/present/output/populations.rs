//! The populations' headline metrics as a table (a column per population,
//! a row per metric, each cell `mean ± 95% half-width`) and as a few
//! terminal lines. Shared by `summary.md`, the terminal summary and the
//! report; empty when the scenario has no population.

use super::cells::{column_cells, lone_cell};
use crate::core::metric::Metric;
use crate::experiments::montecarlo::MonteCarloResult;

/// The table's heading row and rows, if there are populations.
pub(crate) fn population_table(r: &MonteCarloResult) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    if r.populations.is_empty() {
        return None;
    }
    let mut header = vec!["Metric".to_string()];
    header.extend(r.populations.iter().cloned());
    let rows = Metric::POPULATION_HEADLINES
        .iter()
        .map(|&m| {
            let found: Vec<_> = r.populations.iter().map(|p| r.headline(p, m)).collect();
            std::iter::once(m.label().to_string())
                .chain(column_cells(m, &found))
                .collect()
        })
        .collect();
    Some((header, rows))
}

/// `mean ± half-width` of headline `m` of `scope`, or "-".
fn cell(r: &MonteCarloResult, scope: &str, m: Metric) -> String {
    r.headline(scope, m).map_or("-".into(), lone_cell)
}

/// The table in Markdown, with a line before it (empty without populations).
pub(crate) fn populations_md(r: &MonteCarloResult) -> String {
    let Some((header, rows)) = population_table(r) else {
        return String::new();
    };
    let mut out = String::from("\nPopulations, summed or averaged over their members:\n\n");
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("|---|{}\n", "---:|".repeat(header.len() - 1)));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// One terminal line per population: its submissions, the shares decided
/// within 24 hours and 7 days, and its mean staleness.
pub(crate) fn populations_text(r: &MonteCarloResult) -> String {
    let shown = [
        Metric::Submissions,
        Metric::DecidedWithin24h,
        Metric::DecidedWithin7d,
        Metric::MeanStalenessDays,
    ];
    let lines: String = r
        .populations
        .iter()
        .map(|p| {
            let parts: Vec<String> = shown
                .iter()
                .map(|&m| format!("{} {}", m.label().to_lowercase(), cell(r, p, m)))
                .collect();
            format!("{p}: {}\n", parts.join("; "))
        })
        .collect();
    if lines.is_empty() { lines } else { format!("\n{lines}") }
}
