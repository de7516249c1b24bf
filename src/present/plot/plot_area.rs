//! The plot area of a drawn frame: maps data (linear or logarithmic axes)
//! to the page, and draws data polylines (solid or dashed) and shaded bands
//! clipped to it.

use super::PlotError;
use super::axis::Axis;
use super::canvas::Canvas;
use plotters::prelude::{DrawingBackend, RGBColor};

/// The plot area of a drawn frame: maps data to the page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plot {
    /// Left edge (logical pixels).
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
}

impl Plot {
    /// Page x of data x.
    pub(crate) fn px(&self, x: f64) -> f64 {
        self.left + self.x.fraction(x) * (self.right - self.left)
    }

    /// Page y of data y.
    pub(crate) fn py(&self, y: f64) -> f64 {
        self.bottom - self.y.fraction(y) * (self.bottom - self.top)
    }

    /// Page point of a data point.
    pub(crate) fn pt(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.px(x), self.py(y))
    }

    /// Page point of a data point, clamped into the plot area (to its edge
    /// when an area squeezed by its margins has none).
    pub(crate) fn pt_clamped(&self, p: (f64, f64)) -> (f64, f64) {
        let (x, y) = self.pt(p);
        (x.max(self.left).min(self.right), y.max(self.top).min(self.bottom))
    }

    /// The data polyline `points` on the page, cut into the runs that lie
    /// inside the plot area.
    pub(crate) fn clip(&self, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
        let page: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(|&p| self.pt(p))
            .collect();
        clip_polyline(&page, (self.left, self.top, self.right, self.bottom))
    }

    /// Draws a data polyline, solid or dashed, clipped to the plot area.
    pub(crate) fn line<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: f64,
        dashed: bool,
    ) -> Result<(), PlotError> {
        for run in self.clip(points) {
            if dashed {
                c.dashed(&run, colour, width, 16.0, 10.0)?;
            } else {
                c.line(&run, colour, width)?;
            }
        }
        Ok(())
    }

    /// Shades the band between `low` and `high` at each x: `(x, low, high)`.
    pub(crate) fn band<DB: DrawingBackend>(
        &self,
        c: &Canvas<'_, DB>,
        band: &[(f64, f64, f64)],
        colour: RGBColor,
        alpha: f64,
    ) -> Result<(), PlotError> {
        let ok: Vec<&(f64, f64, f64)> = band
            .iter()
            .filter(|b| b.0.is_finite() && b.1.is_finite() && b.2.is_finite())
            .collect();
        if ok.len() < 2 {
            return Ok(());
        }
        let mut poly: Vec<(f64, f64)> = ok.iter().map(|&&(x, _, hi)| self.pt_clamped((x, hi))).collect();
        poly.extend(ok.iter().rev().map(|&&(x, lo, _)| self.pt_clamped((x, lo))));
        c.polygon(&poly, colour, alpha)
    }
}

/// Clips a page polyline to the rectangle `(left, top, right, bottom)`,
/// returning the runs inside it (Liang–Barsky on each segment).
pub(crate) fn clip_polyline(points: &[(f64, f64)], rect: (f64, f64, f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let eps = 1e-6;
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], rect) {
            Some((a, b)) => {
                let joined = current
                    .last()
                    .is_some_and(|l| (l.0 - a.0).abs() < eps && (l.1 - a.1).abs() < eps);
                if !joined {
                    if current.len() >= 2 {
                        runs.push(std::mem::take(&mut current));
                    }
                    current = vec![a];
                }
                current.push(b);
            }
            None => {
                if current.len() >= 2 {
                    runs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        runs.push(current);
    }
    runs
}

fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (l, t, r, btm): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [(-dx, a.0 - l), (dx, r - a.0), (-dy, a.1 - t), (dy, btm - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let u = q / p;
            if p < 0.0 {
                t0 = t0.max(u);
            } else {
                t1 = t1.min(u);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    Some(((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polylines_are_cut_where_they_leave_the_plot() {
        let runs = clip_polyline(
            &[(0.0, 5.0), (5.0, 5.0), (15.0, 5.0), (15.0, 8.0), (5.0, 8.0)],
            (0.0, 0.0, 10.0, 10.0),
        );
        assert_eq!(
            runs,
            vec![vec![(0.0, 5.0), (5.0, 5.0), (10.0, 5.0)], vec![(10.0, 8.0), (5.0, 8.0)]]
        );
        assert!(clip_polyline(&[(20.0, 20.0), (30.0, 30.0)], (0.0, 0.0, 10.0, 10.0)).is_empty());
    }
}
