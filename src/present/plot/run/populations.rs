//! The charts of a run with populations: daily submissions per population
//! (the load every member puts on the shared reviewers), the reviewers'
//! daily utilisation, and each population's members' staleness (mean and
//! 95th percentile across members). The populations' decision times are
//! drawn beside the named platforms' on the decision-time chart.

use super::Ctx;
use crate::core::metric::Metric;
use crate::present::plot::PlotError;
use crate::present::plot::axis::Axis;
use crate::present::plot::series_chart::{Line, SeriesChart, y_extent};
use crate::present::plot::style::{self, INK, PlatformStyle};
use crate::present::plot::ticks::NumberFormat;

/// Each population's style: the colours after the platforms'.
pub(super) fn population_styles(ctx: &Ctx<'_>) -> Vec<PlatformStyle> {
    let named = ctx.platforms().len();
    let all = style::platform_styles(named + ctx.input.result.populations.len(), ctx.input.focal);
    all.into_iter().skip(named).collect()
}

/// A chart of `lines` over the run's days.
fn over_days(ctx: &Ctx<'_>, lines: Vec<Line>, (title, y_title): (&str, &str), format: NumberFormat) -> SeriesChart {
    let hi = match format {
        NumberFormat::Percent => 1.0,
        _ => y_extent(&lines).map_or(1.0, |(_, hi)| hi).max(1e-9) * 1.05,
    };
    SeriesChart {
        title: title.into(),
        subtitle: ctx.subtitle("mean and 5–95% band"),
        x: ctx.day_axis(),
        y: Axis::fixed(y_title, 0.0, hi, format, 6),
        lines,
        guides: ctx.guides.clone(),
        legend_heading: Some("Population".into()),
        extra_legend: Vec::new(),
    }
}

/// Submissions per day, one line per population.
pub(super) fn submissions(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    let styles = population_styles(ctx);
    let mut lines = Vec::new();
    for (k, name) in ctx.input.result.populations.iter().enumerate() {
        let s = ctx.require(name, Metric::DailySubmissions)?;
        lines.push(ctx.mean_with_band(s, name, styles[k]));
    }
    Ok(over_days(
        ctx,
        lines,
        ("Submissions per day by population", "Submissions per day"),
        NumberFormat::Human,
    ))
}

/// The reviewers' utilisation, day by day.
pub(super) fn utilisation(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    let s = ctx.require("gatekeeper", Metric::UtilisationDaily)?;
    let line = ctx.mean_with_band(
        s,
        "share of the reviewers'\ntime spent reviewing",
        PlatformStyle {
            colour: INK,
            focal: false,
            pattern: None,
        },
    );
    let mut chart = over_days(
        ctx,
        vec![line],
        ("Reviewers' utilisation per day", "Reviewer utilisation"),
        NumberFormat::Percent,
    );
    chart.legend_heading = Some("Gatekeeper".into());
    Ok(chart)
}

/// The age of the version members' users run: per population the mean
/// across members (solid, with its band across replications) and the
/// 95th percentile across members (dashed).
pub(super) fn staleness(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    let styles = population_styles(ctx);
    let mut lines = Vec::new();
    for (k, name) in ctx.input.result.populations.iter().enumerate() {
        let mean = ctx.require(name, Metric::StalenessMean)?;
        lines.push(ctx.mean_with_band(mean, &format!("{name}, mean"), styles[k]));
        let p95 = ctx.require(name, Metric::StalenessP95)?;
        let mut l = ctx.mean_with_band(p95, &format!("{name}, 95th percentile"), styles[k]);
        l.dashed = true;
        l.band = Vec::new();
        lines.push(l);
    }
    Ok(over_days(
        ctx,
        lines,
        (
            "Staleness across a population's members",
            "Days since the version users run was released",
        ),
        NumberFormat::Days,
    ))
}
