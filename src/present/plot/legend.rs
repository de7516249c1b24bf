//! Legends, drawn in their own panel beside the plot so they never cover
//! data: a swatch (line, dashed or dotted line, line over a band, filled
//! area, point marker) and a label of one or more lines per entry, with an
//! optional heading, and optionally a colour scale (a bar with its ticks)
//! below the entries.

use super::PlotError;
use super::canvas::{Canvas, Shape};
use super::font::{Font, HAlign, VAlign};
use super::style::{self, AXIS, INK, MUTED};
use plotters::prelude::{DrawingBackend, RGBColor};

/// What an entry's swatch shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Swatch {
    /// A solid or dashed line.
    Line {
        /// Colour.
        colour: RGBColor,
        /// Width (logical pixels).
        width: f64,
        /// Dashed or solid.
        dashed: bool,
    },
    /// A line over a shaded band.
    LineBand {
        /// Colour.
        colour: RGBColor,
        /// Line width.
        width: f64,
        /// Dashed or solid line.
        dashed: bool,
        /// Band opacity.
        alpha: f64,
    },
    /// A filled area.
    Area {
        /// Colour.
        colour: RGBColor,
        /// Opacity.
        alpha: f64,
    },
    /// A point marker.
    Marker {
        /// Shape.
        shape: Shape,
        /// Colour.
        colour: RGBColor,
    },
    /// A line in any dash pattern, over an optional band, with an optional
    /// point marker in its middle.
    Styled {
        /// Colour.
        colour: RGBColor,
        /// Line width.
        width: f64,
        /// Dash and gap lengths (logical pixels); `None`: solid.
        pattern: Option<(f64, f64)>,
        /// Band opacity; `None`: no band.
        band_alpha: Option<f64>,
        /// Point marker.
        marker: Option<Shape>,
    },
    /// No swatch: a note.
    None,
}

/// A continuous colour scale: a vertical bar running from the colour of
/// `lo` at the bottom to that of `hi` at the top, with tick labels beside it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ColourScale {
    /// Value at the bottom of the bar.
    pub lo: f64,
    /// Value at the top of the bar.
    pub hi: f64,
    /// Colour at evenly spaced points from `lo` to `hi` (at least two).
    pub stops: Vec<RGBColor>,
    /// Ticks `(value, label)` inside `lo..=hi`.
    pub ticks: Vec<(f64, String)>,
}

/// Height of a colour scale's bar at scale 1 (logical pixels).
const SCALE_H: f64 = 330.0;
/// Width of a colour scale's bar at scale 1.
const SCALE_W: f64 = 34.0;

impl ColourScale {
    /// The colour of `v`, interpolated between the stops.
    pub(crate) fn colour(&self, v: f64) -> RGBColor {
        let n = self.stops.len();
        if n == 0 {
            return INK;
        }
        if n == 1 || self.hi <= self.lo || !v.is_finite() {
            return self.stops[0];
        }
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0) * (n - 1) as f64;
        let i = (t.floor() as usize).min(n - 2);
        let f = t - i as f64;
        let (a, b) = (self.stops[i], self.stops[i + 1]);
        let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
        RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// One entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LegendEntry {
    /// Swatch.
    pub swatch: Swatch,
    /// Label; `\n` breaks it into lines.
    pub label: String,
    /// Whether the label is bold (e.g. the focal platform).
    pub bold: bool,
}

impl LegendEntry {
    /// An entry.
    pub(crate) fn new(swatch: Swatch, label: impl Into<String>) -> LegendEntry {
        LegendEntry {
            swatch,
            label: label.into(),
            bold: false,
        }
    }
}

/// A legend: optional heading and entries, top to bottom, then an optional
/// colour scale.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Legend {
    /// Heading.
    pub heading: Option<String>,
    /// Entries.
    pub entries: Vec<LegendEntry>,
    /// Colour scale below the entries.
    pub scale: Option<ColourScale>,
}

const SWATCH_W: f64 = 52.0;
const SWATCH_GAP: f64 = 14.0;
const LINE_GAP: f64 = 1.28;
const ENTRY_GAP: f64 = 14.0;

fn font(bold: bool, k: f64) -> Font {
    let f = Font::new(style::LEGEND * k, INK);
    if bold { f.bold() } else { f }
}

impl Legend {
    /// Whether there is nothing to draw.
    pub(crate) fn is_empty(&self) -> bool {
        self.heading.is_none() && self.entries.is_empty() && self.scale.is_none()
    }

    /// Height of the legend drawn at scale `k` (logical pixels).
    pub(crate) fn height(&self, k: f64) -> f64 {
        let line_h = style::LEGEND * LINE_GAP * k;
        let mut h = 0.0;
        if self.heading.is_some() {
            h += line_h + ENTRY_GAP * 0.5 * k;
        }
        for e in &self.entries {
            h += e.label.lines().count().max(1) as f64 * line_h + ENTRY_GAP * k;
        }
        if self.scale.is_some() {
            h += SCALE_H * k + line_h;
        }
        h
    }

    /// The scale (at most 1, at least 0.6) at which the legend fits in `height`.
    pub(crate) fn fit(&self, height: f64) -> f64 {
        let full = self.height(1.0);
        if full <= height { 1.0 } else { (height / full).max(0.6) }
    }

    /// Width of the legend drawn at scale `k` (logical pixels).
    pub(crate) fn width<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>, k: f64) -> Result<f64, PlotError> {
        let mut w: f64 = 0.0;
        if let Some(h) = &self.heading {
            w = w.max(c.text_width(h, font(false, k).bold())?);
        }
        for e in &self.entries {
            let indent = if e.swatch == Swatch::None {
                0.0
            } else {
                SWATCH_W + SWATCH_GAP
            };
            for line in e.label.lines() {
                w = w.max(indent + c.text_width(line, font(e.bold, k))?);
            }
        }
        if let Some(sc) = &self.scale {
            for (_, label) in &sc.ticks {
                w = w.max((SCALE_W + 18.0) * k + c.text_width(label, font(false, k))?);
            }
        }
        Ok(w)
    }

    /// Draws the legend at scale `k` with its top-left corner at `(x, y)`.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        (x, y): (f64, f64),
        k: f64,
    ) -> Result<(), PlotError> {
        let line_h = style::LEGEND * LINE_GAP * k;
        let mut top = y;
        if let Some(h) = &self.heading {
            c.text(h, (x, top), font(false, k).bold(), HAlign::Left, VAlign::Top)?;
            top += line_h + ENTRY_GAP * 0.5 * k;
        }
        let cap = c.cap_height(font(false, k));
        for e in &self.entries {
            let lines: Vec<&str> = e.label.lines().collect();
            let mid = top + cap / 2.0;
            let indent = if e.swatch == Swatch::None {
                0.0
            } else {
                SWATCH_W + SWATCH_GAP
            };
            draw_swatch(c, e.swatch, (x, mid))?;
            for (i, line) in lines.iter().enumerate() {
                let f = if e.swatch == Swatch::None {
                    Font::new(style::LEGEND * k, MUTED)
                } else {
                    font(e.bold, k)
                };
                c.text(
                    line,
                    (x + indent, top + i as f64 * line_h),
                    f,
                    HAlign::Left,
                    VAlign::Top,
                )?;
            }
            top += lines.len().max(1) as f64 * line_h + ENTRY_GAP * k;
        }
        if let Some(sc) = &self.scale {
            self.draw_scale(c, sc, (x, top + line_h * 0.5), k)?;
        }
        Ok(())
    }

    /// Draws a colour scale whose bar's top-left corner is at `(x, y)`.
    fn draw_scale<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        sc: &ColourScale,
        (x, y): (f64, f64),
        k: f64,
    ) -> Result<(), PlotError> {
        let (bw, bh) = (SCALE_W * k, SCALE_H * k);
        let steps = 120;
        for i in 0..steps {
            let f0 = i as f64 / steps as f64;
            let f1 = (i + 1) as f64 / steps as f64;
            let v = sc.lo + (f0 + f1) / 2.0 * (sc.hi - sc.lo);
            c.fill_rect(
                (x, y + bh * (1.0 - f1)),
                (x + bw, y + bh * (1.0 - f0)),
                sc.colour(v),
                1.0,
            )?;
        }
        c.line(&[(x, y), (x + bw, y), (x + bw, y + bh), (x, y + bh), (x, y)], AXIS, 1.5)?;
        let f = Font::new(style::LEGEND * k, INK);
        for (v, label) in &sc.ticks {
            if sc.hi <= sc.lo {
                continue;
            }
            let ty = y + bh * (1.0 - (v - sc.lo) / (sc.hi - sc.lo));
            c.line(&[(x + bw, ty), (x + bw + 8.0 * k, ty)], AXIS, 2.0)?;
            c.text(label, (x + bw + 18.0 * k, ty), f, HAlign::Left, VAlign::Middle)?;
        }
        Ok(())
    }
}

/// Draws a swatch whose left end is at `x`, centred vertically on `mid`.
pub(crate) fn draw_swatch<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    swatch: Swatch,
    (x, mid): (f64, f64),
) -> Result<(), PlotError> {
    let (x0, x1) = (x, x + SWATCH_W);
    match swatch {
        Swatch::Line { colour, width, dashed } => {
            if dashed {
                c.dashed(&[(x0, mid), (x1, mid)], colour, width, 12.0, 8.0)
            } else {
                c.line(&[(x0, mid), (x1, mid)], colour, width)
            }
        }
        Swatch::LineBand {
            colour,
            width,
            dashed,
            alpha,
        } => {
            c.fill_rect((x0, mid - 13.0), (x1, mid + 13.0), colour, alpha)?;
            draw_swatch(c, Swatch::Line { colour, width, dashed }, (x, mid))
        }
        Swatch::Area { colour, alpha } => c.fill_rect((x0, mid - 13.0), (x1, mid + 13.0), colour, alpha),
        Swatch::Marker { shape, colour } => c.marker(shape, ((x0 + x1) / 2.0, mid), 20.0, colour),
        Swatch::Styled {
            colour,
            width,
            pattern,
            band_alpha,
            marker,
        } => {
            if let Some(alpha) = band_alpha {
                c.fill_rect((x0, mid - 13.0), (x1, mid + 13.0), colour, alpha)?;
            }
            match pattern {
                Some((dash, gap)) => c.dashed(&[(x0, mid), (x1, mid)], colour, width, dash, gap)?,
                None => c.line(&[(x0, mid), (x1, mid)], colour, width)?,
            }
            match marker {
                Some(shape) => c.marker(shape, ((x0 + x1) / 2.0, mid), 16.0, colour),
                None => Ok(()),
            }
        }
        Swatch::None => Ok(()),
    }
}
