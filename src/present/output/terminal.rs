//! The compact table printed at the end of a run: each headline metric per
//! platform as mean ± 95% half-width (the GMV beside the orders when the
//! scenario gives order values), then the market's concentration (and
//! GMV) and the gatekeeper's. Text only;
//! printing is the caller's business.

use super::cells::{headline_cells, lone_cell};
use super::text_table::aligned;
use crate::core::metric::Metric;
use crate::experiments::montecarlo::MonteCarloResult;

/// The headline metrics shown in the terminal, in order (the GMV, when
/// there is one, right after the orders).
const SHOWN: [Metric; 9] = [
    Metric::ActiveUsersEnd,
    Metric::MarketShareEnd,
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
    let shown = Metric::with_gmv(&SHOWN, r.currency());
    let rows: Vec<(&str, Vec<String>)> = shown
        .iter()
        .filter(|&&m| r.platforms.iter().any(|p| r.headline(p, m).is_some()))
        .map(|&m| (m.label(), headline_cells(r, m)))
        .collect();
    let mut header = vec![String::new()];
    header.extend(r.platforms.iter().cloned());
    let table: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(name, cells)| std::iter::once(name.to_string()).chain(cells).collect())
        .collect();
    out.push_str(&aligned(&header, &table));
    let gate: Vec<String> = r
        .headlines
        .iter()
        .filter(|h| h.scope == "gatekeeper" && matches!(h.metric, Metric::Utilisation | Metric::QueueWaitHoursMean))
        .map(|h| format!("{} {}", h.metric.label().to_lowercase(), lone_cell(h)))
        .collect();
    out.push_str(&super::populations::populations_text(r));
    let market: Vec<String> = r
        .headlines
        .iter()
        .filter(|h| h.scope == "market")
        .map(|h| {
            format!(
                "{} {}",
                h.metric
                    .label()
                    .to_lowercase()
                    .replace("hhi", "HHI")
                    .replace("gmv", "GMV"),
                lone_cell(h)
            )
        })
        .collect();
    if !market.is_empty() {
        out.push_str(&format!("\nmarket: {}", market.join("; ")));
    }
    out.push_str(&format!("\ngatekeeper: {}\n", gate.join("; ")));
    out.push_str("(mean across replications ± half-width of the 95% confidence interval)\n");
    if let Some(w) = &r.auto_warmup {
        for line in super::notes::auto_warmup_sentences(w, r.annotations.horizon_days) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(line) = super::notes::skew_warning(&r.headlines) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
