//! The workhorse chart: lines over a shared horizontal axis, each with an
//! optional shaded band (5–95% across replications, a confidence interval),
//! solid or dashed, plus dated guide lines. Time series, cumulative
//! distributions, retention curves and scenario comparisons are all drawn
//! with it; the legend lists every line that asks for an entry, then any
//! extra entries (what dashes mean, a note). A solid line that would hide
//! one drawn before it (two platforms with the same retention) is drawn in
//! long dashes, in the legend too, so the one beneath shows between them.

use super::PlotError;
use super::axis::Axis;
use super::canvas::{Canvas, Shape};
use super::frame::{Frame, Guide};
use super::legend::{Legend, LegendEntry, Swatch};
use super::style::{LINE, NEUTRAL_DARK, PlatformStyle};
use plotters::prelude::{DrawingBackend, RGBColor};

/// One line and its band.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    /// Legend label (`\n` breaks it).
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Width (logical pixels).
    pub width: f64,
    /// Dashed or solid.
    pub dashed: bool,
    /// Points (data units), in drawing order.
    pub points: Vec<(f64, f64)>,
    /// Band `(x, low, high)`; empty for none.
    pub band: Vec<(f64, f64, f64)>,
    /// Band opacity.
    pub band_alpha: f64,
    /// Whether the line has a legend entry.
    pub in_legend: bool,
    /// Whether its legend label is bold.
    pub bold: bool,
    /// Dash and gap lengths of a dashed line (logical pixels); `None`: the
    /// standard dashes. A zero dash draws no line: only the markers.
    pub pattern: Option<(f64, f64)>,
    /// A point marker at every point; `None`: none.
    pub marker: Option<Shape>,
}

impl Line {
    /// A solid line without band, in the legend.
    pub(crate) fn new(label: impl Into<String>, colour: RGBColor, width: f64, points: Vec<(f64, f64)>) -> Line {
        Line {
            label: label.into(),
            colour,
            width,
            dashed: false,
            points,
            band: Vec::new(),
            band_alpha: 0.0,
            in_legend: true,
            bold: false,
            pattern: None,
            marker: None,
        }
    }

    /// The line in a platform's style: colour, width, pattern, bold label.
    pub(crate) fn in_style(mut self, style: PlatformStyle) -> Line {
        self.colour = style.colour;
        self.width = style.line_width();
        self.bold = style.focal;
        if style.pattern.is_some() {
            self.dashed = true;
            self.pattern = style.pattern;
        }
        self
    }

    /// The legend entry of the line.
    pub(crate) fn legend_entry(&self) -> LegendEntry {
        let swatch = if self.marker.is_some() || (self.dashed && self.pattern.is_some()) {
            Swatch::Styled {
                colour: self.colour,
                width: self.width,
                pattern: if self.dashed {
                    Some(self.pattern.unwrap_or((12.0, 8.0)))
                } else {
                    None
                },
                band_alpha: (!self.band.is_empty()).then(|| self.band_alpha.max(0.15)),
                marker: self.marker,
            }
        } else if self.band.is_empty() {
            Swatch::Line {
                colour: self.colour,
                width: self.width,
                dashed: self.dashed,
            }
        } else {
            Swatch::LineBand {
                colour: self.colour,
                width: self.width,
                dashed: self.dashed,
                alpha: self.band_alpha.max(0.15),
            }
        };
        LegendEntry {
            swatch,
            label: self.label.clone(),
            bold: self.bold,
        }
    }
}

/// A chart of lines with bands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SeriesChart {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Lines, in legend order; bands are drawn first, then the solid lines
    /// (thinnest first, so an emphasised line stays on top), then the dashed.
    pub lines: Vec<Line>,
    /// Vertical guides (policy changes...).
    pub guides: Vec<Guide>,
    /// Legend heading.
    pub legend_heading: Option<String>,
    /// Legend entries after the lines'.
    pub extra_legend: Vec<LegendEntry>,
}

impl SeriesChart {
    /// The legend of `lines` (the chart's, as drawn): one entry per line
    /// that asks for one, then the extras.
    /// When a line was given long dashes to show the one beneath (see
    /// [`lines_as_drawn`](Self::lines_as_drawn)), a last entry says so,
    /// lest they be read as the chart's own dashes.
    fn legend(&self, lines: &[Line]) -> Legend {
        let mut entries: Vec<LegendEntry> = lines.iter().filter(|l| l.in_legend).map(Line::legend_entry).collect();
        entries.extend(self.extra_legend.iter().cloned());
        if lines
            .iter()
            .zip(&self.lines)
            .any(|(drawn, own)| drawn.dashed != own.dashed)
        {
            entries.push(LegendEntry::new(
                Swatch::Styled {
                    colour: NEUTRAL_DARK,
                    width: LINE,
                    pattern: Some(INTERLEAVED),
                    band_alpha: None,
                    marker: None,
                },
                "long dashes: a line over\nan equal one beneath",
            ));
        }
        Legend {
            heading: self.legend_heading.clone(),
            entries,
            scale: None,
        }
    }

    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let lines = self.lines_as_drawn();
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            legend: self.legend(&lines),
            guides: self.guides.clone(),
        };
        let plot = frame.draw(c)?;
        for l in &lines {
            plot.band(c, &l.band, l.colour, l.band_alpha)?;
        }
        for i in drawing_order(&lines) {
            draw_line(&plot, c, &lines[i])?;
        }
        Ok(())
    }

    /// The lines as they are drawn: a solid line that lies on a solid line
    /// drawn before it (see [`hides`]) gets long dashes, so that the line
    /// beneath shows between them.
    pub(crate) fn lines_as_drawn(&self) -> Vec<Line> {
        let mut lines = self.lines.clone();
        let order = drawing_order(&self.lines);
        for (k, &i) in order.iter().enumerate() {
            let on_top = &self.lines[i];
            if on_top.dashed || on_top.marker.is_some() {
                continue;
            }
            if order[..k]
                .iter()
                .any(|&j| hides(on_top, &self.lines[j], &self.x, &self.y))
            {
                lines[i].dashed = true;
                lines[i].pattern = Some(INTERLEAVED);
            }
        }
        lines
    }
}

/// Dash and gap of a line drawn over one it would hide (logical pixels):
/// equal, so each line shows half its length.
const INTERLEAVED: (f64, f64) = (18.0, 18.0);

/// The order lines are drawn in (their indices): solid lines first,
/// thinnest first so that an emphasised line stays on top; dashed
/// (reference) lines over them; otherwise in their order.
fn drawing_order(lines: &[Line]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| (lines[a].dashed.cmp(&lines[b].dashed)).then(lines[a].width.total_cmp(&lines[b].width)));
    order
}

/// Plot area assumed to compare lines (logical pixels): about its size on
/// the 1600x900 canvas, beside the legend.
const PLOT_AREA: (f64, f64) = (1200.0, 600.0);

/// Whether `top`, drawn over the solid line `beneath`, hides it: both
/// solid, and nine points in ten or more of each within the narrower
/// line's width of the other line (so that at most a sliver of the line
/// beneath shows), measured on a plot area of [`PLOT_AREA`] on the axes'
/// scales, from a point to the other line's segments (so a steep part
/// shifted sideways by a pixel still lies on the other). Lines whose
/// points do not run left to right are compared point by point.
fn hides(top: &Line, beneath: &Line, x: &Axis, y: &Axis) -> bool {
    if beneath.dashed || beneath.points.len() < 2 || top.points.len() < 2 {
        return false;
    }
    let tolerance = top.width.min(beneath.width);
    let on_plot = |l: &Line| -> Vec<(f64, f64)> {
        l.points
            .iter()
            .map(|p| (x.fraction(p.0) * PLOT_AREA.0, y.fraction(p.1) * PLOT_AREA.1))
            .collect()
    };
    let (a, b) = (on_plot(top), on_plot(beneath));
    let mostly = |close: usize, of: usize| close * 10 >= of * 9;
    let left_to_right = |l: &[(f64, f64)]| l.windows(2).all(|w| w[0].0 <= w[1].0);
    if left_to_right(&a) && left_to_right(&b) {
        let on = |from: &[(f64, f64)], to: &[(f64, f64)]| from.iter().filter(|&&p| within(to, p, tolerance)).count();
        mostly(on(&a, &b), a.len()) && mostly(on(&b, &a), b.len())
    } else {
        let close = a
            .iter()
            .zip(&b)
            .filter(|(p, q)| distance(**p, **q) <= tolerance)
            .count();
        a.len() == b.len() && mostly(close, a.len())
    }
}

/// Whether `p` lies within `tolerance` of the line through `points`
/// (running left to right); only the segments that reach within
/// `tolerance` of it sideways are measured.
fn within(points: &[(f64, f64)], p: (f64, f64), tolerance: f64) -> bool {
    if !(p.0.is_finite() && p.1.is_finite()) {
        return false;
    }
    let from = points.partition_point(|q| q.0 < p.0 - tolerance).saturating_sub(1);
    let to = points.partition_point(|q| q.0 <= p.0 + tolerance).min(points.len() - 1);
    (from..to.max(from + 1)).any(|i| {
        let (s, e) = (points[i], points[(i + 1).min(points.len() - 1)]);
        to_segment(p, s, e) <= tolerance
    })
}

/// The distance between two points.
fn distance(p: (f64, f64), q: (f64, f64)) -> f64 {
    (p.0 - q.0).hypot(p.1 - q.1)
}

/// The distance from `p` to the segment from `s` to `e` (infinite where
/// any is not finite).
fn to_segment(p: (f64, f64), s: (f64, f64), e: (f64, f64)) -> f64 {
    let (dx, dy) = (e.0 - s.0, e.1 - s.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((p.0 - s.0) * dx + (p.1 - s.1) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let d = distance(p, (s.0 + t * dx, s.1 + t * dy));
    if d.is_finite() { d } else { f64::INFINITY }
}

/// The smallest and largest finite y of the lines and their bands.
pub(crate) fn y_extent(lines: &[Line]) -> Option<(f64, f64)> {
    let ys = lines
        .iter()
        .flat_map(|l| {
            l.points
                .iter()
                .map(|p| p.1)
                .chain(l.band.iter().flat_map(|b| [b.1, b.2]))
        })
        .filter(|y| y.is_finite());
    ys.fold(None, |acc, y| match acc {
        None => Some((y, y)),
        Some((lo, hi)) => Some((lo.min(y), hi.max(y))),
    })
}

/// Draws a line (not its band): solid, in the standard dashes or in its own
/// pattern, then its point markers.
pub(crate) fn draw_line<DB: DrawingBackend>(
    plot: &super::frame::Plot,
    c: &Canvas<'_, DB>,
    l: &Line,
) -> Result<(), PlotError> {
    match (l.dashed, l.pattern) {
        (true, Some((dash, gap))) => {
            for run in plot.clip(&l.points) {
                c.dashed(&run, l.colour, l.width, dash, gap)?;
            }
        }
        _ => plot.line(c, &l.points, l.colour, l.width, l.dashed)?,
    }
    if let Some(shape) = l.marker {
        let size = (l.width * 3.3).max(14.0);
        for &p in &l.points {
            let inside = plot.x.fraction(p.0) >= -1e-9
                && plot.x.fraction(p.0) <= 1.0 + 1e-9
                && plot.y.fraction(p.1) >= -1e-9
                && plot.y.fraction(p.1) <= 1.0 + 1e-9;
            if p.0.is_finite() && p.1.is_finite() && inside {
                c.marker(shape, plot.pt(p), size, l.colour)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::plot::ticks::NumberFormat;

    fn chart(lines: Vec<Line>) -> SeriesChart {
        SeriesChart {
            title: String::new(),
            subtitle: String::new(),
            x: Axis::fixed("x", 0.0, 10.0, NumberFormat::Human, 5),
            y: Axis::fixed("y", 0.0, 1.0, NumberFormat::Human, 5),
            lines,
            guides: Vec::new(),
            legend_heading: None,
            extra_legend: Vec::new(),
        }
    }

    fn line(label: &str, width: f64, f: impl Fn(f64) -> f64) -> Line {
        let points = (0..=10).map(|x| (f64::from(x), f(f64::from(x)))).collect();
        Line::new(label, RGBColor(0, 0, 0), width, points)
    }

    #[test]
    fn a_line_on_top_of_an_identical_one_is_drawn_in_long_dashes_and_so_is_its_legend_swatch() {
        let c = chart(vec![
            line("a", 3.0, |x| 1.0 / (1.0 + x)),
            line("b", 3.0, |x| 1.0 / (1.0 + x)),
        ]);
        let drawn = c.lines_as_drawn();
        assert!(!drawn[0].dashed, "the line beneath stays solid");
        assert!(drawn[1].dashed);
        assert_eq!(drawn[1].pattern, Some(INTERLEAVED));
        let legend = c.legend(&drawn);
        assert!(matches!(
            legend.entries[1].swatch,
            Swatch::Styled {
                pattern: Some(INTERLEAVED),
                ..
            }
        ));
        // A last entry says what the long dashes mean; none without them.
        assert_eq!(legend.entries.len(), 3);
        assert!(
            legend.entries[2].label.starts_with("long dashes"),
            "{:?}",
            legend.entries[2]
        );
        let apart = chart(vec![line("a", 3.0, |_| 0.2), line("b", 3.0, |_| 0.8)]);
        assert_eq!(apart.legend(&apart.lines_as_drawn()).entries.len(), 2);
    }

    #[test]
    fn lines_apart_by_more_than_a_width_at_a_tenth_of_their_points_stay_solid() {
        // 0.01 of the axis is 6 of the 600 pixels: more than 3.
        let apart = chart(vec![line("a", 3.0, |_| 0.5), line("b", 3.0, |_| 0.51)]);
        assert!(apart.lines_as_drawn().iter().all(|l| !l.dashed));
        // Two of eleven points apart: the top line no longer hides the other.
        let diverging = chart(vec![
            line("a", 3.0, |_| 0.5),
            line("b", 3.0, |x| if x >= 9.0 { 0.6 } else { 0.5 }),
        ]);
        assert!(diverging.lines_as_drawn().iter().all(|l| !l.dashed));
        // One of eleven: it still does.
        let one_off = chart(vec![
            line("a", 3.0, |_| 0.5),
            line("b", 3.0, |x| if x >= 10.0 { 0.6 } else { 0.5 }),
        ]);
        assert!(one_off.lines_as_drawn()[1].dashed);
    }

    #[test]
    fn the_thicker_line_is_drawn_last_and_so_it_is_the_one_dashed_whatever_the_order_given() {
        let c = chart(vec![line("focal", 5.5, |x| x / 10.0), line("other", 3.0, |x| x / 10.0)]);
        let drawn = c.lines_as_drawn();
        assert!(drawn[0].dashed, "the focal line, drawn over the other, is dashed");
        assert!(!drawn[1].dashed);
    }

    #[test]
    fn lines_on_the_same_path_through_other_points_hide_each_other_as_well() {
        // Two distribution functions of the same straight path from 0 to 10,
        // one with points at the integers, the other half-way between.
        let xs = std::iter::once(0.0)
            .chain((0..10).map(|x| f64::from(x) + 0.5))
            .chain([10.0]);
        let shifted = Line::new("b", RGBColor(0, 0, 0), 3.0, xs.map(|x| (x, x / 10.0)).collect());
        let c = chart(vec![line("a", 3.0, |x| x / 10.0), shifted]);
        assert!(c.lines_as_drawn()[1].dashed);
    }

    #[test]
    fn a_line_over_a_part_of_a_longer_one_leaves_the_rest_to_be_seen_and_stays_solid() {
        let part = Line::new(
            "b",
            RGBColor(0, 0, 0),
            3.0,
            (0..=5).map(|x| (f64::from(x), 0.5)).collect(),
        );
        let c = chart(vec![line("a", 3.0, |_| 0.5), part]);
        assert!(c.lines_as_drawn().iter().all(|l| !l.dashed));
    }

    #[test]
    fn dashed_lines_are_left_as_they_are_and_lines_running_back_are_compared_point_by_point() {
        let mut reference = line("reference", 2.0, |x| x / 10.0);
        reference.dashed = true;
        let c = chart(vec![line("a", 3.0, |x| x / 10.0), reference.clone()]);
        assert_eq!(c.lines_as_drawn()[1], reference);
        // A loop (x goes back): the same points hide, other points do not.
        let looped = |dy: f64| {
            Line::new(
                "l",
                RGBColor(0, 0, 0),
                3.0,
                vec![(0.0, 0.1 + dy), (5.0, 0.5 + dy), (2.0, 0.9 + dy)],
            )
        };
        assert!(chart(vec![looped(0.0), looped(0.0)]).lines_as_drawn()[1].dashed);
        assert!(!chart(vec![looped(0.0), looped(0.1)]).lines_as_drawn()[1].dashed);
    }

    #[test]
    fn a_point_is_within_a_line_when_near_any_of_its_segments_steep_ones_included() {
        // A staircase: flat, then a vertical step at x = 10, then flat.
        let stairs = [(0.0, 0.0), (10.0, 0.0), (10.0, 100.0), (20.0, 100.0)];
        assert!(within(&stairs, (5.0, 1.0), 1.5));
        assert!(!within(&stairs, (5.0, 2.0), 1.5));
        // Beside the step half-way up: a vertical distance would be 50.
        assert!(within(&stairs, (11.0, 50.0), 1.5));
        assert!(!within(&stairs, (12.0, 50.0), 1.5));
        // Past either end, by more than the tolerance.
        assert!(!within(&stairs, (-2.0, 0.0), 1.5));
        assert!(within(&stairs, (21.0, 100.0), 1.5));
        assert!(!within(&stairs, (5.0, f64::NAN), 1.5));
        assert_eq!(to_segment((3.0, 4.0), (0.0, 0.0), (0.0, 0.0)), 5.0);
        assert_eq!(to_segment((0.0, 0.0), (0.0, f64::NAN), (1.0, 1.0)), f64::INFINITY);
    }
}
