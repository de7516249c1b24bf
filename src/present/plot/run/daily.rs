//! Daily series of a run as lines with 5–95% bands: active users, orders
//! per day (and their value, when the scenario gives order values) and
//! staleness per platform, and the gatekeeper's load (waiting
//! for a reviewer, in review and held), with the policy changes marked.

use super::Ctx;
use crate::core::metric::Metric;
use crate::experiments::montecarlo::DailySeries;
use crate::present::plot::PlotError;
use crate::present::plot::axis::Axis;
use crate::present::plot::series_chart::{Line, SeriesChart, y_extent};
use crate::present::plot::style::{INK, NEUTRAL_DARK, PlatformStyle};
use crate::present::plot::ticks::NumberFormat;

const BAND_NOTE: &str = "mean and 5–95% band";

/// One line per platform of `metric`, with bands.
fn per_platform(
    ctx: &Ctx<'_>,
    metric: Metric,
    title: &str,
    y_title: &str,
    format: NumberFormat,
) -> Result<SeriesChart, PlotError> {
    let mut lines = Vec::new();
    for (p, name) in ctx.platforms().iter().enumerate() {
        let s = ctx.require(name, metric)?;
        lines.push(ctx.mean_with_band(s, name, ctx.styles[p]));
    }
    Ok(chart(ctx, lines, title, y_title, format, "Platform"))
}

fn chart(
    ctx: &Ctx<'_>,
    lines: Vec<Line>,
    title: &str,
    y_title: &str,
    format: NumberFormat,
    heading: &str,
) -> SeriesChart {
    let hi = y_extent(&lines).map_or(1.0, |(_, hi)| hi).max(1e-9);
    // 5% above the highest value, ticks inside: no space lost to rounding;
    // 2% below zero, so a series at zero does not hide in the axis line.
    let y = Axis::fixed(y_title, -0.02 * hi, hi * 1.05, format, 6);
    SeriesChart {
        title: title.into(),
        subtitle: ctx.subtitle(BAND_NOTE),
        x: ctx.day_axis(),
        y,
        lines,
        guides: ctx.guides.clone(),
        legend_heading: Some(heading.into()),
        extra_legend: Vec::new(),
    }
}

/// Active users per platform.
pub(super) fn active_users(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    per_platform(
        ctx,
        Metric::ActiveUsers,
        "Active users per platform",
        "Active users",
        NumberFormat::Human,
    )
}

/// Orders per day per platform.
pub(super) fn orders(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    per_platform(
        ctx,
        Metric::Orders,
        "Orders per day per platform",
        "Orders per day",
        NumberFormat::Human,
    )
}

/// Gross merchandise value per day per platform, in the scenario's
/// currency; `None` when the scenario gives no order values.
pub(super) fn gmv(ctx: &Ctx<'_>) -> Option<Result<SeriesChart, PlotError>> {
    let first = ctx.platforms().first()?;
    let metric = ctx
        .input
        .result
        .daily
        .iter()
        .find(|s| &s.scope == first && matches!(s.metric, Metric::Gmv(_)))?
        .metric;
    Some(per_platform(
        ctx,
        metric,
        "GMV per day per platform",
        &metric.axis_title(),
        NumberFormat::Human,
    ))
}

/// Staleness: days since the version users run was released.
pub(super) fn staleness(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    per_platform(
        ctx,
        Metric::StalenessDays,
        "Staleness: age of the version users run",
        "Days since its release",
        NumberFormat::Days,
    )
}

/// Colour of the in-review series (the palette's sky blue; no platform is
/// drawn on this chart).
const REVIEW_BLUE: plotters::style::RGBColor = plotters::style::RGBColor(0x56, 0xb4, 0xe9);

/// Submissions waiting for a reviewer, in review, and held before review.
pub(super) fn gatekeeper_queue(ctx: &Ctx<'_>) -> Result<SeriesChart, PlotError> {
    let waiting = ctx.require("gatekeeper", Metric::Waiting)?;
    let in_review = ctx.require("gatekeeper", Metric::InReview)?;
    let held = ctx.require("gatekeeper", Metric::Held)?;
    let label = |what: &str, s: &DailySeries| {
        let m: Vec<f64> = s.days.iter().filter_map(|d| d.mean).collect();
        let avg = m.iter().sum::<f64>() / m.len().max(1) as f64;
        format!("{what}\n(mean over the run {avg:.2})")
    };
    let mut w = ctx.mean_with_band(
        waiting,
        &label("waiting for a reviewer", waiting),
        PlatformStyle {
            colour: INK,
            focal: false,
            pattern: None,
        },
    );
    w.band_alpha = 0.12;
    let mut r = ctx.mean_with_band(
        in_review,
        &label("in review", in_review),
        PlatformStyle {
            colour: REVIEW_BLUE,
            focal: false,
            pattern: None,
        },
    );
    r.band_alpha = 0.12;
    r.bold = false;
    let mut h = ctx.mean_with_band(
        held,
        &label("held before review", held),
        PlatformStyle {
            colour: NEUTRAL_DARK,
            focal: false,
            pattern: None,
        },
    );
    h.dashed = true;
    h.band_alpha = 0.12;
    h.bold = false;
    Ok(chart(
        ctx,
        vec![w, r, h],
        "Submissions at the gatekeeper",
        "Submissions",
        NumberFormat::Human,
        "Gatekeeper",
    ))
}
