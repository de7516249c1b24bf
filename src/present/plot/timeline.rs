//! A timeline of events: one row per subject (platform), time across,
//! each event a point marker whose shape and colour say what happened and
//! whose lane within the row keeps kinds apart; shaded spans with a label
//! pick out long stretches (e.g. no release for 230 days); dated guides
//! mark policy changes.

use super::PlotError;
use super::axis::Axis;
use super::canvas::{Canvas, Shape};
use super::font::{Font, HAlign, VAlign};
use super::frame::{Frame, Guide};
use super::legend::{Legend, LegendEntry, Swatch};
use super::style::{self, GRID, INK, PAPER};
use plotters::prelude::{DrawingBackend, RGBColor};

/// A row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    /// Label on the vertical axis.
    pub label: String,
    /// Colour of the label and of marks without their own colour.
    pub colour: RGBColor,
}

/// A kind of mark.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MarkKind {
    /// Legend label.
    pub label: String,
    /// Shape.
    pub shape: Shape,
    /// Colour; `None`: the row's colour.
    pub colour: Option<RGBColor>,
    /// Vertical offset within the row, in rows (positive is up).
    pub lane: f64,
    /// Size (logical pixels).
    pub size: f64,
}

/// One event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Mark {
    /// Row index (0 at the top).
    pub row: usize,
    /// Time (data units of the horizontal axis).
    pub x: f64,
    /// Index into the kinds.
    pub kind: usize,
}

/// A shaded stretch of a row, labelled in the row's lowest lane.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Span {
    /// Row index.
    pub row: usize,
    /// Start.
    pub from: f64,
    /// End.
    pub to: f64,
    /// Label, written inside the span, centred on the lane at `label_lane`.
    pub label: String,
}

/// A timeline chart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Timeline {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Horizontal axis (time).
    pub x: Axis,
    /// Rows, top first.
    pub rows: Vec<Row>,
    /// Kinds of marks, in legend order.
    pub kinds: Vec<MarkKind>,
    /// Events.
    pub marks: Vec<Mark>,
    /// Shaded stretches.
    pub spans: Vec<Span>,
    /// Vertical guides.
    pub guides: Vec<Guide>,
    /// Lane (offset in rows) on which span labels are centred: the lane of
    /// the events whose absence the span marks.
    pub label_lane: f64,
    /// Legend heading.
    pub legend_heading: Option<String>,
    /// Legend entries after the kinds'.
    pub extra_legend: Vec<LegendEntry>,
}

/// Half the height of a span, in rows.
const SPAN_HALF: f64 = 0.44;

impl Timeline {
    fn row_y(&self, row: usize) -> f64 {
        (self.rows.len() - 1 - row) as f64
    }

    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let mut entries: Vec<LegendEntry> = self
            .kinds
            .iter()
            .map(|k| {
                LegendEntry::new(
                    Swatch::Marker {
                        shape: k.shape,
                        colour: k.colour.unwrap_or(INK),
                    },
                    k.label.clone(),
                )
            })
            .collect();
        entries.extend(self.extra_legend.iter().cloned());
        let names: Vec<(String, Option<RGBColor>)> = self
            .rows
            .iter()
            .rev()
            .map(|r| (r.label.clone(), Some(r.colour)))
            .collect();
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            x: self.x.clone(),
            y: Axis::categories("", &names),
            legend: Legend {
                heading: self.legend_heading.clone(),
                entries,
                scale: None,
            },
            guides: self.guides.clone(),
        };
        let plot = frame.draw(c)?;
        // Row separators.
        for i in 0..self.rows.len().saturating_sub(1) {
            let y = plot.py(i as f64 + 0.5);
            c.line(&[(plot.left, y), (plot.right, y)], GRID, 2.0)?;
        }
        for s in &self.spans {
            let Some(row) = self.rows.get(s.row) else { continue };
            let y = self.row_y(s.row);
            let (x0, y0) = plot.pt_clamped((s.from, y + SPAN_HALF));
            let (x1, y1) = plot.pt_clamped((s.to, y - SPAN_HALF));
            c.fill_rect((x0, y0), (x1, y1), row.colour, 0.10)?;
            c.line(&[(x0, y0), (x0, y1)], row.colour, 2.0)?;
            c.line(&[(x1, y0), (x1, y1)], row.colour, 2.0)?;
        }
        // Marks shrink with the rows when there are many platforms.
        let row_px = (plot.py(0.0) - plot.py(1.0)).abs();
        for (i, k) in self.kinds.iter().enumerate() {
            let size = k.size.min(row_px * 0.16);
            for m in self.marks.iter().filter(|m| m.kind == i) {
                let Some(row) = self.rows.get(m.row) else { continue };
                if m.x < self.x.lo || m.x > self.x.hi {
                    continue;
                }
                let p = plot.pt((m.x, self.row_y(m.row) + k.lane));
                c.marker(k.shape, p, size, k.colour.unwrap_or(row.colour))?;
            }
        }
        // Span labels last, on a patch of paper, so guides do not cross them.
        for s in &self.spans {
            let Some(row) = self.rows.get(s.row) else { continue };
            let (x0, ym) = plot.pt_clamped((s.from, self.row_y(s.row) + self.label_lane));
            let (x1, _) = plot.pt_clamped((s.to, self.row_y(s.row)));
            let f = Font::new(style::LEGEND.min(row_px * 0.3), row.colour).bold();
            let w = c.text_width(&s.label, f)?;
            if s.label.is_empty() || w + 24.0 >= x1 - x0 {
                continue;
            }
            let cx = (x0 + x1) / 2.0;
            let cap = c.cap_height(f);
            c.fill_rect(
                (cx - w / 2.0 - 10.0, ym - cap / 2.0 - 6.0),
                (cx + w / 2.0 + 10.0, ym + cap / 2.0 + 6.0),
                PAPER,
                0.85,
            )?;
            c.text(&s.label, (cx, ym), f, HAlign::Center, VAlign::Middle)?;
        }
        Ok(())
    }
}
