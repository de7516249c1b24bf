//! The charts of `gatesim fit reviews`.
//!
//! `km_curves`: the Kaplan-Meier curve of each group's time to a decision
//! (the share of submissions still awaiting one), a staircase with its
//! pointwise 95% band (log-log), on the decision-time chart's logarithmic
//! time axis; a short vertical tick on the curve at each time a submission
//! was censored (withdrawn, or pending when the log was taken). The groups
//! that differ come first, the first of them in vermillion; a log of more
//! than a few groups draws those that differ, the reference and the
//! others pooled.
//!
//! `hazard_ratios`: a forest plot of each group's Cox hazard ratio of a
//! decision against the reference, with its 95% interval, on a log scale
//! around 1 (as fast as the reference); a ratio that runs to zero (no
//! decision while the reference's came) is an arrow at the axis's left
//! end. At most [`MAX_FOREST`] rows: those that differ first, then the
//! smallest p-values.

use super::axis::{Axis, Scale, Tick};
use super::canvas::Shape;
use super::frame::Guide;
use super::legend::{Legend, LegendEntry, Swatch};
use super::panels::{Panel, PanelChart, SharedY};
use super::render::Figure;
use super::series_chart::{Line, SeriesChart};
use super::style::{self, INK, NEUTRAL_DARK};
use super::ticks::{NumberFormat, duration_hours};
use super::{Format, PlotError, render_all};
use crate::analysis::reviews::{Analysis, Curve, Hazard};
use crate::core::numbers::{counted, parameter};

/// Rows of the forest plot, at most.
pub(crate) const MAX_FOREST: usize = 25;

/// Points (time, S) of a curve drawn as a staircase.
type Steps = Vec<(f64, f64)>;
/// Points (time, lower, upper) of a band.
type Band = Vec<(f64, f64, f64)>;

/// The staircase of S(t) from `lo` to the curve's last time, and its band.
fn staircase(c: &Curve, lo: f64) -> (Steps, Band) {
    let mut pts = vec![(lo, 1.0)];
    let mut band = Vec::new();
    let mut prev = 1.0;
    let mut prev_band: Option<(f64, f64)> = None;
    for s in &c.km.steps {
        let t = s.time.max(lo);
        pts.push((t, prev));
        pts.push((t, s.survival));
        if let Some((l, h)) = prev_band {
            band.push((t, l, h));
        }
        match (s.lower, s.upper) {
            (Some(l), Some(h)) => {
                band.push((t, l, h));
                prev_band = Some((l, h));
            }
            _ => {
                // The band ends where it is undefined (S reached 0).
                prev_band = None;
            }
        }
        prev = s.survival;
    }
    let end = c.km.last_time.unwrap_or(lo).max(lo);
    if pts.last().is_some_and(|p| p.0 < end) {
        pts.push((end, prev));
        if let Some((l, h)) = prev_band {
            band.push((end, l, h));
        }
    }
    (pts, band)
}

/// S at `t` on curve `c`.
fn survival_at(c: &Curve, t: f64) -> f64 {
    c.km.survival_at(t).unwrap_or(1.0)
}

/// The Kaplan-Meier chart.
fn km_figure(a: &Analysis, file: &str, what: &str) -> SeriesChart {
    let positive = a
        .curves
        .iter()
        .flat_map(|c| c.km.steps.iter().map(|s| s.time).chain(c.censored.iter().copied()))
        .filter(|&t| t > 0.0)
        .fold(f64::INFINITY, f64::min);
    let lo = if positive.is_finite() {
        (positive * 0.5).min(0.1)
    } else {
        0.1
    };
    let longest = a.curves.iter().filter_map(|c| c.km.last_time).fold(1.0f64, f64::max);
    let hi = (longest * 1.3).max(lo * 100.0);
    let focal = (!a.step_down.set_aside.is_empty()).then_some(0);
    let styles = style::platform_styles(a.curves.len(), focal);
    let mut lines = Vec::new();
    for (c, st) in a.curves.iter().zip(&styles) {
        let (pts, band) = staircase(c, lo);
        let median = median_of(c);
        let label = format!(
            "{}\n{}, median {}",
            c.label,
            counted(c.km.subjects, "submission"),
            median.map_or("not reached".to_string(), duration_hours)
        );
        let mut l = Line::new(label, st.colour, st.line_width(), pts);
        l.band = band;
        l.band_alpha = st.band_alpha();
        l.bold = st.focal;
        lines.push(l);
        if !c.censored.is_empty() {
            let ticks: Vec<(f64, f64)> = c.censored.iter().map(|&t| (t.max(lo), survival_at(c, t))).collect();
            let mut m = Line::new("", st.colour, 1.5, ticks);
            m.dashed = true;
            m.pattern = Some((0.0, 1.0));
            m.marker = Some(Shape::Bar);
            m.in_legend = false;
            lines.push(m);
        }
    }
    SeriesChart {
        title: "Time to a review decision: Kaplan-Meier curves".into(),
        subtitle: format!(
            "{file} · by {what} · shaded: pointwise 95% band (log-log) · ticks: submissions withdrawn or still pending"
        ),
        x: Axis::log_hours("Time since submission", lo, hi),
        y: Axis::fixed("Share still awaiting a decision", 0.0, 1.0, NumberFormat::Percent, 5).with_headroom(0.03),
        lines,
        guides: Vec::new(),
        legend_heading: Some(capitalised(what)),
        extra_legend: vec![LegendEntry::new(
            Swatch::Styled {
                colour: NEUTRAL_DARK,
                width: 1.5,
                pattern: Some((0.0, 1.0)),
                band_alpha: None,
                marker: Some(Shape::Bar),
            },
            "censored: withdrawn,\nor pending at the end",
        )],
    }
}

/// The median of a curve, for its legend.
fn median_of(c: &Curve) -> Option<f64> {
    c.km.median().and_then(|q| q.time)
}

/// `Platform`, `Class`.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Ticks of a log axis of ratios over `lo..hi`: 1, 2 and 5 times powers of ten.
fn ratio_ticks(lo: f64, hi: f64) -> Vec<Tick> {
    let mut out = Vec::new();
    let first = libm::floor(libm::log10(lo)) as i32;
    let last = libm::ceil(libm::log10(hi)) as i32;
    let span = last - first;
    let mults: &[f64] = if span > 4 { &[1.0] } else { &[1.0, 2.0, 5.0] };
    for e in first..=last {
        for &m in mults {
            let v = m * 10f64.powi(e);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push(Tick {
                    value: v,
                    label: parameter(v),
                    colour: None,
                });
            }
        }
    }
    out
}

/// The forest plot of the hazard ratios, if any was estimated.
fn forest_figure(a: &Analysis, file: &str, what: &str) -> Option<PanelChart> {
    let reference = match a.reference {
        Some(r) => a.groups[r].name.clone(),
        None => format!("the other {what}s pooled"),
    };
    let mut order: Vec<usize> = a.step_down.set_aside.iter().map(|s| s.0).collect();
    let mut rest: Vec<usize> = (0..a.groups.len()).filter(|g| !order.contains(g)).collect();
    let p = |g: usize| match a.groups[g].hazard {
        Hazard::Ratio { wald_p, .. } => wald_p,
        _ => 2.0,
    };
    rest.sort_by(|&x, &y| p(x).total_cmp(&p(y)).then(x.cmp(&y)));
    order.extend(rest);
    let rows: Vec<usize> = order
        .into_iter()
        .filter(|&g| {
            matches!(
                a.groups[g].hazard,
                Hazard::Ratio { .. } | Hazard::None { .. } | Hazard::Reference
            )
        })
        .take(MAX_FOREST)
        .collect();
    let ratios: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|&g| match a.groups[g].hazard {
            Hazard::Ratio { lower, upper, .. } => Some((lower, upper)),
            _ => None,
        })
        .collect();
    if !rows.iter().any(|&g| !matches!(a.groups[g].hazard, Hazard::Reference)) {
        return None;
    }
    let lo = ratios.iter().map(|r| r.0).fold(0.5f64, f64::min).max(1e-6);
    let hi = ratios.iter().map(|r| r.1).fold(2.0f64, f64::max).min(1e6);
    let (lo, hi) = (lo / 1.4, hi * 1.4);
    let focal = (!a.step_down.set_aside.is_empty()).then_some(0);
    let styles = style::platform_styles(rows.len(), focal);
    // The first row at the top.
    let n = rows.len();
    let mut names = vec![(String::new(), None); n];
    let mut panel_lines = Vec::new();
    for (i, (&g, st)) in rows.iter().zip(&styles).enumerate() {
        let y = (n - 1 - i) as f64;
        let s = &a.groups[g];
        let (text, line) = match s.hazard {
            Hazard::Ratio {
                ratio, lower, upper, ..
            } => {
                let mut seg = Line::new("", st.colour, 3.5, vec![(lower, y), (upper, y)]);
                seg.in_legend = false;
                let mut dot = Line::new("", st.colour, 4.0, vec![(ratio, y)]);
                dot.marker = Some(Shape::Disc);
                dot.in_legend = false;
                panel_lines.push(seg);
                (
                    format!(
                        "{}  {} ({} to {})",
                        s.name,
                        parameter(ratio),
                        parameter(lower),
                        parameter(upper)
                    ),
                    dot,
                )
            }
            Hazard::Reference => {
                let mut dot = Line::new("", st.colour, 4.0, vec![(1.0, y)]);
                dot.marker = Some(Shape::Square);
                dot.in_legend = false;
                (format!("{}  reference", s.name), dot)
            }
            Hazard::None { diverges, .. } => {
                let (x, arrow) = match diverges {
                    Some("zero") => (lo, "→ 0"),
                    Some(_) => (hi, "→ ∞"),
                    None => (1.0, "none"),
                };
                let mut dot = Line::new("", st.colour, 4.0, vec![(x, y)]);
                dot.marker = Some(Shape::TriangleUp);
                dot.in_legend = false;
                (format!("{}  {arrow}", s.name), dot)
            }
            _ => continue,
        };
        names[n - 1 - i] = (text, Some(st.colour));
        panel_lines.push(line);
    }
    let x = Axis {
        title: format!("Hazard ratio of a decision against {reference}"),
        lo,
        hi,
        scale: Scale::Log,
        ticks: ratio_ticks(lo, hi),
        grid: true,
    };
    let mut panel = Panel::new(x, Axis::categories("", &names));
    panel.lines = panel_lines;
    panel.guides = vec![Guide {
        x: 1.0,
        label: "1: as fast as the reference".into(),
    }];
    let shown = if a.groups.len() > rows.len() + 1 {
        format!(" · {} of {} {what}s", rows.len(), a.groups.len())
    } else {
        String::new()
    };
    Some(PanelChart {
        title: "Hazard ratios of a review decision".into(),
        subtitle: format!("{file} · Cox model, Efron's ties · 95% intervals{shown}"),
        legend: Legend {
            heading: None,
            entries: vec![LegendEntry::new(
                Swatch::Marker {
                    shape: Shape::TriangleUp,
                    colour: INK,
                },
                "no finite estimate:\n→ 0, no decision\nwhile the reference's came",
            )],
            scale: None,
        },
        panels: vec![panel],
        columns: 1,
        shared_y: SharedY::No,
    })
}

/// The charts of a review log `file` (its name) grouped by `what`, in each
/// of `formats`: `km_curves.<format>` and, when a hazard ratio was
/// estimated, `hazard_ratios.<format>`.
pub(crate) fn reviews_charts(
    a: &Analysis,
    file: &str,
    what: &str,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    let mut figures = vec![("km_curves", Figure::Series(km_figure(a, file, what)))];
    if let Some(f) = forest_figure(a, file, what) {
        figures.push(("hazard_ratios", Figure::Panels(f)));
    }
    render_all(figures, formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_axes_tick_at_one_two_and_five() {
        let t: Vec<String> = ratio_ticks(0.3, 12.0).into_iter().map(|t| t.label).collect();
        assert_eq!(t, ["0.5", "1", "2", "5", "10"]);
        let t: Vec<f64> = ratio_ticks(1e-4, 10.0).into_iter().map(|t| t.value).collect();
        assert_eq!(t, [1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0]);
    }
}
