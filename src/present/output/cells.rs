//! Cells of headline tables for people (the terminal, Markdown and the
//! report share them): a headline as `mean ± half-width`, each row (or
//! column) of a table in one unit, through [`crate::core::numbers`].

use crate::core::metric::Metric;
use crate::core::numbers::Shown;
use crate::experiments::montecarlo::{Headline, MonteCarloResult};

/// `mean ± half-width` of `h`, written as `shown` says.
pub(crate) fn headline_cell(h: &Headline, shown: Shown) -> String {
    shown.level_ci(h.stat.mean, h.stat.ci_low, h.stat.ci_high)
}

/// `mean ± half-width` of `h` alone in its row.
pub(crate) fn lone_cell(h: &Headline) -> String {
    headline_cell(h, Shown::for_row(h.unit, h.stat.mean))
}

/// One cell per platform for headline `metric` (or "-"), the row in one unit.
pub(crate) fn headline_cells(r: &MonteCarloResult, metric: Metric) -> Vec<String> {
    let found: Vec<Option<&Headline>> = r.platforms.iter().map(|p| r.headline(p, metric)).collect();
    let shown = Shown::for_row(metric.unit(), found.iter().flatten().filter_map(|h| h.stat.mean));
    found
        .iter()
        .map(|h| h.map_or("-".into(), |h| headline_cell(h, shown)))
        .collect()
}

/// The cells of `headlines` (one per row of a column of a table), in one unit.
pub(crate) fn column_cells(metric: Metric, headlines: &[Option<&Headline>]) -> Vec<String> {
    let shown = Shown::for_row(metric.unit(), headlines.iter().flatten().filter_map(|h| h.stat.mean));
    headlines
        .iter()
        .map(|h| h.map_or("-".into(), |h| headline_cell(h, shown)))
        .collect()
}
