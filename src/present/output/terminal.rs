//! The compact table printed at the end of a run: each headline metric per
//! platform as mean ± 95% half-width, then the gatekeeper's. Text only;
//! printing is the caller's business.

use super::format::mean_ci;
use super::summary_md::headline_cells;
use crate::core::metric::Metric;
use crate::experiments::montecarlo::MonteCarloResult;

/// The headline metrics shown in the terminal, in order.
const SHOWN: [Metric; 8] = [
    Metric::ActiveUsersEnd,
    Metric::ActiveUsersChangePct,
    Metric::OrdersTotal,
    Metric::MeanDau,
    Metric::D30Retention,
    Metric::MeanStalenessDays,
    Metric::ShareOfBuildsReleased,
    Metric::DecisionHoursMean,
];

/// The summary text.
pub(crate) fn summary_text(title: &str, r: &MonteCarloResult) -> String {
    let mut out = format!("{title}\n\n");
    let rows: Vec<(&str, Vec<String>)> = SHOWN
        .iter()
        .filter(|&&m| r.platforms.iter().any(|p| r.headline(p, m).is_some()))
        .map(|&m| (m.label(), headline_cells(r, m)))
        .collect();
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..r.platforms.len())
        .map(|i| {
            rows.iter()
                .map(|row| row.1[i].chars().count())
                .chain(std::iter::once(r.platforms[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    out.push_str(&format!("{:<w0$}", ""));
    for (p, w) in r.platforms.iter().zip(&widths) {
        out.push_str(&format!("  {p:>w$}"));
    }
    out.push('\n');
    for (name, cells) in &rows {
        out.push_str(&format!("{name:<w0$}"));
        for (c, w) in cells.iter().zip(&widths) {
            out.push_str(&format!("  {c:>w$}"));
        }
        out.push('\n');
    }
    let gate: Vec<String> = r
        .headlines
        .iter()
        .filter(|h| h.scope == "gatekeeper" && matches!(h.metric, Metric::Utilisation | Metric::QueueWaitHoursMean))
        .map(|h| {
            format!(
                "{} {}",
                h.metric.label().to_lowercase(),
                mean_ci(h.stat.mean, h.stat.ci_low, h.stat.ci_high, h.unit)
            )
        })
        .collect();
    out.push_str(&super::populations::populations_text(r));
    out.push_str(&format!("\ngatekeeper: {}\n", gate.join("; ")));
    out.push_str("(mean across replications ± half-width of the 95% confidence interval)\n");
    out
}
