//! `summary.md`: the headline metrics as Markdown tables, ready to paste
//! into a report: one table with a column per platform, one for the
//! gatekeeper, and the flows of users between platforms.

use super::cells::{headline_cells, lone_cell};
use crate::core::metric::Metric;
use crate::core::numbers::{count, percent};
use crate::experiments::montecarlo::MonteCarloResult;

/// The Markdown bytes. `title` heads the document; `subtitle` follows it.
pub(crate) fn summary_md(title: &str, subtitle: &str, r: &MonteCarloResult) -> Vec<u8> {
    let mut out = format!("# {title}\n\n{subtitle}\n\n");
    out.push_str("Each cell: mean across replications ± half-width of its 95% confidence interval.\n\n");
    let mut metrics: Vec<Metric> = Vec::new();
    for h in r.headlines.iter().filter(|h| r.platforms.contains(&h.scope)) {
        if !metrics.contains(&h.metric) {
            metrics.push(h.metric);
        }
    }
    out.push_str(&format!("| Metric | {} |\n", r.platforms.join(" | ")));
    out.push_str(&format!("|---|{}\n", "---:|".repeat(r.platforms.len())));
    for m in metrics {
        let cells = headline_cells(r, m);
        out.push_str(&format!("| {} | {} |\n", m.label(), cells.join(" | ")));
    }
    out.push_str(&super::populations::populations_md(r));
    if r.headlines.iter().any(|h| h.scope == "market") {
        out.push_str("\n| Market | |\n|---|---:|\n");
        for h in r.headlines.iter().filter(|h| h.scope == "market") {
            out.push_str(&format!("| {} | {} |\n", h.metric.label(), lone_cell(h)));
        }
    }
    out.push_str("\n| Gatekeeper | |\n|---|---:|\n");
    for h in r.headlines.iter().filter(|h| h.scope == "gatekeeper") {
        out.push_str(&format!("| {} | {} |\n", h.metric.label(), lone_cell(h)));
    }
    if !r.flows.is_empty() {
        out.push_str("\nMean adoptions per replication, by where the users came from (rows) and the platform they adopted (columns):\n\n");
        out.push_str(&format!("| From | {} |\n", r.platforms.join(" | ")));
        out.push_str(&format!("|---|{}\n", "---:|".repeat(r.platforms.len())));
        for (i, row) in r.flows.iter().enumerate() {
            let from = if i == 0 {
                "No platform before".to_string()
            } else {
                format!("Former users of {}", r.platforms[i - 1])
            };
            let cells: Vec<String> = row.iter().map(|&v| count(v.round())).collect();
            out.push_str(&format!("| {from} | {} |\n", cells.join(" | ")));
        }
    }
    if let Some(p) = &r.precision {
        out.push_str(&format!(
            "\nPrecision target: every targeted headline's 95% half-width within {} of its mean: {} after {} replications{}.\n",
            percent(p.target, 1),
            if p.met { "met" } else { "not met" },
            r.replications,
            p.worst
                .as_ref()
                .zip(p.worst_relative_half_width)
                .map_or(String::new(), |(w, x)| format!(" (widest: {w}, {})", percent(x, 1)))
        ));
    }
    out.into_bytes()
}
