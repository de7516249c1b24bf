//! The workhorse chart: lines over a shared horizontal axis, each with an
//! optional shaded band (5–95% across replications, a confidence interval),
//! solid or dashed, plus dated guide lines. Time series, cumulative
//! distributions, retention curves and scenario comparisons are all drawn
//! with it; the legend lists every line that asks for an entry, then any
//! extra entries (what dashes mean, a note).

use super::PlotError;
use super::axis::Axis;
use super::canvas::{Canvas, Shape};
use super::frame::{Frame, Guide};
use super::legend::{Legend, LegendEntry, Swatch};
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
    /// The legend: one entry per line that asks for one, then the extras.
    pub(crate) fn legend(&self) -> Legend {
        let mut entries: Vec<LegendEntry> = self
            .lines
            .iter()
            .filter(|l| l.in_legend)
            .map(Line::legend_entry)
            .collect();
        entries.extend(self.extra_legend.iter().cloned());
        Legend {
            heading: self.legend_heading.clone(),
            entries,
            scale: None,
        }
    }

    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            legend: self.legend(),
            guides: self.guides.clone(),
        };
        let plot = frame.draw(c)?;
        for l in &self.lines {
            plot.band(c, &l.band, l.colour, l.band_alpha)?;
        }
        // Solid lines first, thinnest first so that an emphasised line stays
        // on top; dashed (reference) lines over them; otherwise in order.
        let mut order: Vec<&Line> = self.lines.iter().collect();
        order.sort_by(|a, b| a.dashed.cmp(&b.dashed).then(a.width.total_cmp(&b.width)));
        for l in order {
            draw_line(&plot, c, l)?;
        }
        Ok(())
    }
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
