//! The charts of one run: turns a [`RunCharts`] into figures, one builder
//! per chart, sharing one context (platform colours, subtitle, the day
//! axis, the policy-change guides). Charts of users are skipped when the
//! scenario has none, charts of populations ([`populations`]) likewise.

mod cohort_retention;
mod daily;
mod decision_time;
mod market_share;
mod populations;
mod release_timeline;

use super::axis::Axis;
use super::frame::Guide;
use super::render::Figure;
use super::series_chart::Line;
use super::style::{self, PlatformStyle};
use super::{PlotError, RunCharts};
use crate::core::metric::Metric;
use crate::experiments::montecarlo::DailySeries;

/// What every chart of the run shares.
pub(crate) struct Ctx<'a> {
    /// The input.
    pub input: &'a RunCharts<'a>,
    /// Each platform's colour and emphasis.
    pub styles: Vec<PlatformStyle>,
    /// The policy changes as guides over days.
    pub guides: Vec<Guide>,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a RunCharts<'a>) -> Ctx<'a> {
        Ctx {
            input,
            styles: style::platform_styles(input.result.platforms.len(), input.focal),
            guides: crate::present::plot::guides(&input.markers),
        }
    }

    /// The platform names.
    pub(crate) fn platforms(&self) -> &[String] {
        &self.input.result.platforms
    }

    /// The standard subtitle ending in `what`.
    pub(crate) fn subtitle(&self, what: &str) -> String {
        style::subtitle(
            self.input.scenario,
            self.input.result.replications,
            self.input.seed,
            what,
        )
    }

    /// The axis of days over the run (of dates when it has a start date).
    pub(crate) fn day_axis(&self) -> Axis {
        Axis::days(
            0.0,
            f64::from(self.input.horizon_days.max(1)),
            10,
            self.input.result.annotations.start_date,
        )
    }

    /// The daily series `metric` of `scope`.
    pub(crate) fn series(&self, scope: &str, metric: Metric) -> Option<&'a DailySeries> {
        self.input.result.series(scope, metric)
    }

    /// The daily series `metric` of `scope`, or an error saying it is missing.
    pub(crate) fn require(&self, scope: &str, metric: Metric) -> Result<&'a DailySeries, PlotError> {
        self.series(scope, metric).ok_or_else(|| PlotError::MissingSeries {
            scope: scope.into(),
            metric,
        })
    }

    /// Whether the run simulated users.
    pub(crate) fn has_users(&self) -> bool {
        self.platforms()
            .first()
            .is_some_and(|p| self.series(p, Metric::ActiveUsers).is_some())
    }

    /// The mean of a daily series as a line with its 5–95% band.
    pub(crate) fn mean_with_band(&self, s: &DailySeries, label: &str, st: PlatformStyle) -> Line {
        Line {
            label: label.into(),
            colour: st.colour,
            width: st.line_width(),
            dashed: false,
            points: s.days.iter().filter_map(|d| Some((d.day as f64, d.mean?))).collect(),
            band: s
                .days
                .iter()
                .filter_map(|d| Some((d.day as f64, d.p05?, d.p95?)))
                .collect(),
            band_alpha: st.band_alpha(),
            in_legend: true,
            bold: st.focal,
            pattern: None,
            marker: None,
        }
        .in_style(st)
    }
}

/// Every chart of the run as `(file stem, figure)`, in the fixed order.
pub(crate) fn figures(input: &RunCharts<'_>) -> Result<Vec<(&'static str, Figure)>, PlotError> {
    let ctx = Ctx::new(input);
    let mut out: Vec<(&'static str, Figure)> = Vec::new();
    if ctx.has_users() {
        out.push(("active_users", Figure::Series(daily::active_users(&ctx)?)));
        out.push(("orders", Figure::Series(daily::orders(&ctx)?)));
        if let Some(f) = daily::gmv(&ctx) {
            out.push(("gmv", Figure::Series(f?)));
        }
        if let Some(f) = market_share::chart(&ctx)? {
            out.push(("market_share", Figure::Stacked(f)));
        }
    }
    out.push(("decision_time", Figure::Series(decision_time::chart(&ctx))));
    out.push(("release_timeline", Figure::Timeline(release_timeline::chart(&ctx))));
    out.push(("staleness", Figure::Series(daily::staleness(&ctx)?)));
    if let Some(f) = cohort_retention::chart(&ctx) {
        out.push(("cohort_retention", Figure::Series(f)));
    }
    out.push(("gatekeeper_queue", Figure::Series(daily::gatekeeper_queue(&ctx)?)));
    if !input.result.populations.is_empty() {
        out.push((
            "population_submissions",
            Figure::Series(populations::submissions(&ctx)?),
        ));
        out.push(("reviewer_utilisation", Figure::Series(populations::utilisation(&ctx)?)));
        out.push(("population_staleness", Figure::Series(populations::staleness(&ctx)?)));
    }
    Ok(out)
}
