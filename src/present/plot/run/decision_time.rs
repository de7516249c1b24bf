//! Time at the gatekeeper: the empirical cumulative distribution of the
//! time from submission to decision per platform (solid), pooled over the
//! replications, on a logarithmic time axis from minutes to beyond the
//! horizon, so a one-day review and a seven-month hold fit on one chart;
//! dashed, the time until submissions left undecided were withdrawn. A
//! platform with no decision at all keeps its legend entry, which says so.
//! Populations, pooled over their members, are drawn after the platforms.

use super::Ctx;
use crate::experiments::montecarlo::Durations;
use crate::present::plot::axis::Axis;
use crate::present::plot::frame::Guide;
use crate::present::plot::legend::{LegendEntry, Swatch};
use crate::present::plot::series_chart::{Line, SeriesChart};
use crate::present::plot::style::{LINE, NEUTRAL_DARK};
use crate::present::plot::ticks::{NumberFormat, duration_hours};

/// Left end of the time axis (hours).
const FROM_HOURS: f64 = 0.1;

/// The CDF `(hours, share)` as a staircase from `lo` to `hi` hours.
fn staircase(cdf: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut pts = vec![(lo, 0.0)];
    let mut prev = 0.0;
    for &(h, s) in cdf {
        let h = h.max(lo);
        pts.push((h, prev));
        pts.push((h, s));
        prev = s;
    }
    pts.push((hi.max(pts.last().map_or(lo, |p| p.0)), prev));
    pts
}

/// The median of a CDF (hours).
fn median(cdf: &[(f64, f64)]) -> Option<f64> {
    cdf.iter().find(|p| p.1 >= 0.5).map(|p| p.0)
}

fn label(d: &Durations) -> String {
    if d.decided > 0 {
        let m = median(&d.decision_cdf).map(duration_hours).unwrap_or_default();
        format!("{}\ndecided: median {m}", d.platform)
    } else if d.withdrawn > 0 {
        let m = median(&d.withdrawal_cdf).map(duration_hours).unwrap_or_default();
        format!("{}: no decision\n(withdrawn after {m}, median)", d.platform)
    } else {
        format!("{}: no decision\n(none withdrawn)", d.platform)
    }
}

/// The decision-time chart.
pub(super) fn chart(ctx: &Ctx<'_>) -> SeriesChart {
    let horizon_h = f64::from(ctx.input.horizon_days.max(1)) * 24.0;
    let durations = &ctx.input.result.durations;
    let longest = durations
        .iter()
        .flat_map(|d| d.decision_cdf.iter().chain(d.withdrawal_cdf.iter()).map(|p| p.0))
        .fold(0.0f64, f64::max);
    // Beyond the horizon (and the longest time seen), not rounded to a tick.
    let hi = (horizon_h * 1.3).max(longest * 1.1);
    let mut lines = Vec::new();
    // The named platforms, then the populations beside them.
    let populations = &ctx.input.result.populations;
    let styles = ctx
        .styles
        .iter()
        .chain(&super::populations::population_styles(ctx))
        .copied()
        .collect::<Vec<_>>();
    for (p, name) in ctx.platforms().iter().chain(populations).enumerate() {
        let st = styles[p];
        let d = durations.iter().find(|d| &d.platform == name);
        let Some(d) = d else { continue };
        let decided = d.decided > 0;
        if decided {
            let mut l = Line::new(
                label(d),
                st.colour,
                st.line_width(),
                staircase(&d.decision_cdf, FROM_HOURS, hi),
            );
            l.bold = st.focal;
            lines.push(l);
        }
        if d.withdrawn > 0 {
            let mut l = Line::new(
                label(d),
                st.colour,
                st.line_width(),
                staircase(&d.withdrawal_cdf, FROM_HOURS, hi),
            );
            l.dashed = true;
            l.bold = st.focal;
            // The solid line carries the legend entry when there is one.
            l.in_legend = !decided;
            lines.push(l);
        } else if !decided {
            // Nothing to draw: keep the entry so the platform is not lost.
            let mut l = Line::new(label(d), st.colour, st.line_width(), Vec::new());
            l.bold = st.focal;
            lines.push(l);
        }
    }
    let y = Axis::fixed("Share of submissions", 0.0, 1.0, NumberFormat::Percent, 5).with_headroom(0.03);
    SeriesChart {
        title: "Time from submission to the review decision".into(),
        subtitle: ctx.subtitle("pooled over replications"),
        x: Axis::log_hours("Time since submission", FROM_HOURS, hi),
        y,
        lines,
        guides: vec![Guide {
            x: horizon_h,
            label: format!("end of run ({} days)", ctx.input.horizon_days),
        }],
        legend_heading: Some("Platform".into()),
        extra_legend: vec![
            LegendEntry::new(
                Swatch::Line {
                    colour: NEUTRAL_DARK,
                    width: LINE,
                    dashed: false,
                },
                "time to decision",
            ),
            LegendEntry::new(
                Swatch::Line {
                    colour: NEUTRAL_DARK,
                    width: LINE,
                    dashed: true,
                },
                "time to withdrawal,\nundecided",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cdf_becomes_a_staircase_across_the_axis() {
        let s = staircase(&[(2.0, 0.5), (4.0, 1.0)], 0.1, 100.0);
        assert_eq!(
            s,
            vec![(0.1, 0.0), (2.0, 0.0), (2.0, 0.5), (4.0, 0.5), (4.0, 1.0), (100.0, 1.0)]
        );
        assert_eq!(median(&[(2.0, 0.5), (4.0, 1.0)]), Some(2.0));
    }
}
