//! A scatter of labelled points (a Morris mu*-sigma plot): each point a
//! disc with an optional horizontal 95% interval, reference lines under
//! the points, and each point's name set beside it where it covers no
//! other point, interval or name (tried in turn: above, below, right,
//! left, the four diagonals, then stacked further away with a leader
//! line), so that clusters of points stay readable. Rendered by
//! `render::render` like every other chart.

use crate::present::plot::canvas::{Canvas, Shape};
use crate::present::plot::font::{Font, HAlign, VAlign};
use crate::present::plot::frame::{Frame, Plot};
use crate::present::plot::legend::Legend;
use crate::present::plot::series_chart::{Line, draw_line};
use crate::present::plot::style::{self, INK, MUTED, PAPER};
use crate::present::plot::{PlotError, axis::Axis};
use plotters::prelude::*;

/// One labelled point.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LabelledPoint {
    /// Horizontal position (data units).
    pub x: f64,
    /// Vertical position (data units).
    pub y: f64,
    /// Its name.
    pub label: String,
    /// Interval along the horizontal axis, drawn as an error bar.
    pub x_interval: Option<(f64, f64)>,
}

/// A scatter of labelled points.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scatter {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Colour of the points and their intervals.
    pub colour: RGBColor,
    /// The points; earlier points get the first choice of label places.
    pub points: Vec<LabelledPoint>,
    /// Reference lines, drawn under the points.
    pub lines: Vec<Line>,
    /// Legend.
    pub legend: Legend,
}

/// Diameter of a point's disc (logical pixels).
const DISC: f64 = 17.0;
/// Half the height of an error bar's caps.
const CAP: f64 = 8.0;

/// A box on the page: (left, top, right, bottom).
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn inside(a: Rect, plot: &Plot) -> bool {
    a.0 >= plot.left + 2.0 && a.2 <= plot.right - 2.0 && a.1 >= plot.top && a.3 <= plot.bottom - 2.0
}

impl Scatter {
    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            legend: self.legend.clone(),
            guides: Vec::new(),
        };
        let plot = frame.draw(c)?;
        for l in &self.lines {
            draw_line(&plot, c, l)?;
        }
        let mut obstacles: Vec<Rect> = Vec::new();
        for p in &self.points {
            let y = plot.py(p.y);
            if let Some((lo, hi)) = p.x_interval {
                let a = plot.px(lo).clamp(plot.left, plot.right);
                let b = plot.px(hi).clamp(plot.left, plot.right);
                c.line(&[(a, y), (b, y)], self.colour, 2.5)?;
                for e in [a, b] {
                    c.line(&[(e, y - CAP), (e, y + CAP)], self.colour, 2.5)?;
                }
                obstacles.push((a - 2.0, y - CAP, b + 2.0, y + CAP));
            }
            let (px, py) = plot.pt((p.x, p.y));
            obstacles.push((px - DISC / 2.0, py - DISC / 2.0, px + DISC / 2.0, py + DISC / 2.0));
        }
        for p in &self.points {
            c.marker(Shape::Disc, plot.pt((p.x, p.y)), DISC, self.colour)?;
        }
        self.draw_labels(c, &plot, obstacles)
    }

    /// Sets each point's name where it covers nothing drawn or named.
    fn draw_labels<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        plot: &Plot,
        mut taken: Vec<Rect>,
    ) -> Result<(), PlotError> {
        let font = Font::new(style::NOTE, INK);
        let h = c.cap_height(font);
        let pad = 4.0;
        for p in &self.points {
            let w = c.text_width(&p.label, font)?;
            let (px, py) = plot.pt((p.x, p.y));
            // Clear of the point's own disc, padding included.
            let r = DISC / 2.0 + pad + 3.0;
            let d = DISC / 2.0 + pad + 1.0;
            // Candidate boxes (text box without padding) and whether they
            // need a leader line back to the point.
            let mut candidates: Vec<(Rect, bool)> = vec![
                ((px - w / 2.0, py - r - h, px + w / 2.0, py - r), false),
                ((px - w / 2.0, py + r, px + w / 2.0, py + r + h), false),
                ((px + r, py - h / 2.0, px + r + w, py + h / 2.0), false),
                ((px - r - w, py - h / 2.0, px - r, py + h / 2.0), false),
                ((px + d, py - d - h, px + d + w, py - d), false),
                ((px + d, py + d, px + d + w, py + d + h), false),
                ((px - d - w, py - d - h, px - d, py - d), false),
                ((px - d - w, py + d, px - d, py + d + h), false),
            ];
            for k in 1..24 {
                let dy = k as f64 * (h + 2.0 * pad + 4.0);
                for (sx, sy) in [(1.0, -1.0), (1.0, 1.0), (-1.0, -1.0), (-1.0, 1.0)] {
                    let x0 = if sx > 0.0 { px + 2.0 * r } else { px - 2.0 * r - w };
                    let y0 = if sy < 0.0 { py - d - h - dy } else { py + d + dy };
                    candidates.push(((x0, y0, x0 + w, y0 + h), true));
                }
            }
            let padded = |b: Rect| (b.0 - pad, b.1 - pad, b.2 + pad, b.3 + pad);
            // The first free place; failing that, the first inside the plot.
            let (chosen, leader) = candidates
                .iter()
                .copied()
                .find(|&(b, _)| inside(padded(b), plot) && !taken.iter().any(|&t| overlaps(padded(b), t)))
                .or_else(|| candidates.iter().copied().find(|&(b, _)| inside(b, plot)))
                .unwrap_or(candidates[0]);
            if leader {
                let tx = if chosen.0 > px { chosen.0 - 3.0 } else { chosen.2 + 3.0 };
                let ty = (chosen.1 + chosen.3) / 2.0;
                c.line(&[(px, py), (tx, ty)], MUTED, 1.5)?;
            }
            c.fill_rect(
                (chosen.0 - 3.0, chosen.1 - 3.0),
                (chosen.2 + 3.0, chosen.3 + 3.0),
                PAPER,
                0.85,
            )?;
            c.text(&p.label, (chosen.0, chosen.1), font, HAlign::Left, VAlign::Top)?;
            taken.push(padded(chosen));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_overlap_only_when_they_share_area() {
        assert!(overlaps((0.0, 0.0, 10.0, 10.0), (5.0, 5.0, 15.0, 15.0)));
        assert!(!overlaps((0.0, 0.0, 10.0, 10.0), (10.0, 0.0, 20.0, 10.0)));
        assert!(!overlaps((0.0, 0.0, 10.0, 10.0), (0.0, 11.0, 10.0, 20.0)));
    }
}
