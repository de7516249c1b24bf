//! A stacked area chart: layers piled bottom to top over a shared
//! horizontal axis (shares of a market, a breakdown of a total), separated
//! by thin white lines, with the legend listed top to bottom as the layers
//! appear.

use super::PlotError;
use super::axis::Axis;
use super::canvas::Canvas;
use super::frame::{Frame, Guide};
use super::legend::{Legend, LegendEntry, Swatch};
use super::style::{INK, PAPER};
use plotters::prelude::{DrawingBackend, RGBColor};

/// One layer.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layer {
    /// Legend label.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Opacity.
    pub alpha: f64,
    /// Value at each x of the chart.
    pub values: Vec<f64>,
    /// Whether its legend label is bold.
    pub bold: bool,
}

/// A stacked area chart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StackedArea {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// The x of each value.
    pub xs: Vec<f64>,
    /// Layers, bottom first.
    pub layers: Vec<Layer>,
    /// Vertical guides.
    pub guides: Vec<Guide>,
    /// Legend heading.
    pub legend_heading: Option<String>,
}

impl StackedArea {
    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let legend = Legend {
            heading: self.legend_heading.clone(),
            entries: self
                .layers
                .iter()
                .rev()
                .map(|l| LegendEntry {
                    swatch: Swatch::Area {
                        colour: l.colour,
                        alpha: l.alpha,
                    },
                    label: l.label.clone(),
                    bold: l.bold,
                })
                .collect(),
            scale: None,
        };
        let frame = Frame {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            legend,
            guides: self.guides.clone(),
        };
        let plot = frame.draw(c)?;
        let n = self.xs.len();
        let mut base = vec![0.0; n];
        let mut edges: Vec<Vec<(f64, f64)>> = Vec::new();
        for l in &self.layers {
            let top: Vec<f64> = (0..n)
                .map(|i| base[i] + l.values.get(i).copied().unwrap_or(0.0))
                .collect();
            let mut poly: Vec<(f64, f64)> = (0..n).map(|i| plot.pt_clamped((self.xs[i], top[i]))).collect();
            poly.extend((0..n).rev().map(|i| plot.pt_clamped((self.xs[i], base[i]))));
            // Opaque (the colour blended with the paper), so the guides
            // drawn under the data do not show through twice.
            c.polygon(&poly, on_paper(l.colour, l.alpha), 1.0)?;
            edges.push((0..n).map(|i| (self.xs[i], top[i])).collect());
            base = top;
        }
        // White separators between layers (not above the top one).
        for e in edges.iter().take(edges.len().saturating_sub(1)) {
            plot.line(c, e, PAPER, 2.0, false)?;
        }
        // The guides again, over the opaque layers.
        for g in &self.guides {
            plot.line(c, &[(g.x, plot.y.lo), (g.x, plot.y.hi)], INK, 2.0, true)?;
        }
        Ok(())
    }
}

/// `colour` at opacity `alpha` over white paper, as an opaque colour.
fn on_paper(colour: RGBColor, alpha: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) * alpha + 255.0 * (1.0 - alpha)).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}
