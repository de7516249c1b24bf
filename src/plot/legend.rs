//! Legends, drawn in their own panel beside the plot so they never cover
//! data: a swatch (line, dashed line, line over a band, filled area, point
//! marker) and a label of one or more lines per entry, with an optional
//! heading.

use super::PlotError;
use super::canvas::{Canvas, Font, HAlign, Shape, VAlign};
use super::style::{self, INK, MUTED};
use plotters::prelude::{DrawingBackend, RGBColor};

/// What an entry's swatch shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
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
    /// No swatch: a note.
    None,
}

/// One entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Swatch.
    pub swatch: Swatch,
    /// Label; `\n` breaks it into lines.
    pub label: String,
    /// Whether the label is bold (e.g. the focal platform).
    pub bold: bool,
}

impl LegendEntry {
    /// An entry.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> LegendEntry {
        LegendEntry {
            swatch,
            label: label.into(),
            bold: false,
        }
    }
}

/// A legend: optional heading and entries, top to bottom.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legend {
    /// Heading.
    pub heading: Option<String>,
    /// Entries.
    pub entries: Vec<LegendEntry>,
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
    pub fn is_empty(&self) -> bool {
        self.heading.is_none() && self.entries.is_empty()
    }

    /// Height of the legend drawn at scale `k` (logical pixels).
    pub fn height(&self, k: f64) -> f64 {
        let line_h = style::LEGEND * LINE_GAP * k;
        let mut h = 0.0;
        if self.heading.is_some() {
            h += line_h + ENTRY_GAP * 0.5 * k;
        }
        for e in &self.entries {
            h += e.label.lines().count().max(1) as f64 * line_h + ENTRY_GAP * k;
        }
        h
    }

    /// The scale (at most 1, at least 0.6) at which the legend fits in `height`.
    pub fn fit(&self, height: f64) -> f64 {
        let full = self.height(1.0);
        if full <= height { 1.0 } else { (height / full).max(0.6) }
    }

    /// Width of the legend drawn at scale `k` (logical pixels).
    pub fn width<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>, k: f64) -> Result<f64, PlotError> {
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
        Ok(w)
    }

    /// Draws the legend at scale `k` with its top-left corner at `(x, y)`.
    pub fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>, (x, y): (f64, f64), k: f64) -> Result<(), PlotError> {
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
        Ok(())
    }
}

/// Draws a swatch whose left end is at `x`, centred vertically on `mid`.
pub fn draw_swatch<DB: DrawingBackend>(
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
        Swatch::None => Ok(()),
    }
}
