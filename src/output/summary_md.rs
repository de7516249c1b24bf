//! `summary.md`: the headline metrics as Markdown tables, ready to paste
//! into a report: one table with a column per platform, one for the
//! gatekeeper, and the flows of users between platforms.

use super::format::{count, mean_ci, value};
use crate::montecarlo::MonteCarloResult;

/// Human labels of the headline metrics.
pub fn label(metric: &str) -> &str {
    match metric {
        "active_users_end" => "Active users at the end",
        "active_users_change_pct" => "Change in active users",
        "orders_total" => "Orders over the run",
        "mean_dau" => "Mean daily active users",
        "d30_retention" => "D30 retention of new users",
        "mean_staleness_days" => "Mean staleness",
        "share_of_builds_released" => "Builds released",
        "releases" => "Releases",
        "rejections" => "Rejections",
        "decision_hours_mean" => "Submission to decision, mean",
        "decision_hours_p95" => "Submission to decision, 95th percentile",
        "utilisation" => "Reviewer utilisation",
        "mean_waiting" => "Mean submissions waiting",
        "queue_wait_hours_mean" => "Wait for a reviewer, mean (withdrawn included)",
        "reviewed_wait_hours_mean" => "Wait for a reviewer, reviewed submissions, mean",
        "queue_wait_hours_p95" => "Wait for a reviewer, 95th percentile",
        other => other,
    }
}

/// One cell per platform: `mean ± half-width` of headline `metric`, or "-".
pub fn headline_cells(r: &MonteCarloResult, metric: &str) -> Vec<String> {
    r.platforms
        .iter()
        .map(|p| {
            r.headline(p, metric).map_or("-".into(), |h| {
                mean_ci(h.stat.mean, h.stat.ci_low, h.stat.ci_high, h.unit)
            })
        })
        .collect()
}

/// The Markdown bytes. `title` heads the document; `subtitle` follows it.
pub fn summary_md(title: &str, subtitle: &str, r: &MonteCarloResult) -> Vec<u8> {
    let mut out = format!("# {title}\n\n{subtitle}\n\n");
    out.push_str("Each cell: mean across replications ± half-width of its 95% confidence interval.\n\n");
    let mut metrics: Vec<&str> = Vec::new();
    for h in r.headlines.iter().filter(|h| r.platforms.contains(&h.scope)) {
        if !metrics.contains(&h.metric) {
            metrics.push(h.metric);
        }
    }
    out.push_str(&format!("| Metric | {} |\n", r.platforms.join(" | ")));
    out.push_str(&format!("|---|{}\n", "---:|".repeat(r.platforms.len())));
    for m in metrics {
        let cells = headline_cells(r, m);
        out.push_str(&format!("| {} | {} |\n", label(m), cells.join(" | ")));
    }
    out.push_str("\n| Gatekeeper | |\n|---|---:|\n");
    for h in r.headlines.iter().filter(|h| h.scope == "gatekeeper") {
        out.push_str(&format!(
            "| {} | {} |\n",
            label(h.metric),
            mean_ci(h.stat.mean, h.stat.ci_low, h.stat.ci_high, h.unit)
        ));
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
            value(p.target, "share"),
            if p.met { "met" } else { "not met" },
            r.replications,
            p.worst
                .as_ref()
                .zip(p.worst_relative_half_width)
                .map_or(String::new(), |(w, x)| format!(" (widest: {w}, {})", value(x, "share")))
        ));
    }
    out.into_bytes()
}
