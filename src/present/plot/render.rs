//! Rendering a figure to bytes, in memory: SVG text, or a PNG drawn at
//! twice the size into an RGB buffer, averaged down (smooth lines and text)
//! and encoded with the `png` crate. Same figure, same bytes. The embedded
//! fonts, DejaVu Sans and the Noto Sans CJK subset (see [`super::glyphs`]),
//! are registered once per process before anything draws. An SVG's CJK texts
//! are spliced in as outlines once plotters has written it.

use super::canvas::Canvas;
use super::glyphs;
use super::panels::PanelChart;
use super::sensitivity::scatter::Scatter;
use super::series_chart::SeriesChart;
use super::stacked_area::StackedArea;
use super::style::{HEIGHT, SUPERSAMPLE, Theme, WIDTH};
use super::timeline::Timeline;
use super::{Format, PlotError};
use plotters::prelude::*;
use std::sync::OnceLock;

/// Any chart this module draws.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Figure {
    /// Lines with bands.
    Series(SeriesChart),
    /// Stacked areas.
    Stacked(StackedArea),
    /// Event timeline.
    Timeline(Timeline),
    /// Small multiples (also bars and heat maps).
    Panels(PanelChart),
    /// Labelled points (Morris mu* against sigma).
    Scatter(Scatter),
}

impl Figure {
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        match self {
            Figure::Series(f) => f.draw(c),
            Figure::Stacked(f) => f.draw(c),
            Figure::Timeline(f) => f.draw(c),
            Figure::Panels(f) => f.draw(c),
            Figure::Scatter(f) => f.draw(c),
        }
    }
}

/// Registers DejaVu Sans (regular and bold) as plotters' "sans-serif", and
/// the CJK font as [`glyphs::CJK_FAMILY`], once per process; every later
/// call returns the first outcome.
pub(crate) fn register_fonts() -> Result<(), PlotError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let family = super::style::FONT;
        plotters::style::register_font(family, FontStyle::Normal, dejavu::sans::regular())
            .map_err(|_| "DejaVu Sans regular is not a usable font".to_string())?;
        plotters::style::register_font(family, FontStyle::Bold, dejavu::sans::bold())
            .map_err(|_| "DejaVu Sans bold is not a usable font".to_string())?;
        plotters::style::register_font(glyphs::CJK_FAMILY, FontStyle::Normal, glyphs::CJK_FONT)
            .map_err(|_| "Noto Sans CJK is not a usable font".to_string())
    })
    .clone()
    .map_err(PlotError::Font)
}

/// Renders `figure` as `format`.
pub(crate) fn render(figure: &Figure, format: Format) -> Result<Vec<u8>, PlotError> {
    register_fonts()?;
    match format {
        Format::Svg => render_svg(figure),
        Format::Png => render_png(figure),
    }
}

fn render_svg(figure: &Figure) -> Result<Vec<u8>, PlotError> {
    let mut out = String::new();
    let outlines = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        let canvas = Canvas::new(&root, Theme { scale: 1.0, svg: true });
        figure.draw(&canvas)?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
        canvas.take_outlines()
    };
    if outlines.is_empty() {
        Ok(out.into_bytes())
    } else {
        Ok(glyphs::splice_outlines(&out, &outlines)?.into_bytes())
    }
}

fn render_png(figure: &Figure) -> Result<Vec<u8>, PlotError> {
    let (w, h) = (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE);
    let mut big = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut big, (w, h)).into_drawing_area();
        let theme = Theme {
            scale: f64::from(SUPERSAMPLE),
            svg: false,
        };
        figure.draw(&Canvas::new(&root, theme))?;
        root.present().map_err(|e| PlotError::Draw(e.to_string()))?;
    }
    let small = downsample(&big, w as usize, h as usize, SUPERSAMPLE as usize);
    encode_png(&small, WIDTH, HEIGHT)
}

/// Averages `k` x `k` blocks of an RGB image `w` x `h` pixels.
fn downsample(rgb: &[u8], w: usize, h: usize, k: usize) -> Vec<u8> {
    let (sw, sh) = (w / k, h / k);
    let mut out = vec![0u8; sw * sh * 3];
    let n = (k * k) as u32;
    for y in 0..sh {
        for x in 0..sw {
            for ch in 0..3 {
                let mut sum = 0u32;
                for dy in 0..k {
                    let row = (y * k + dy) * w;
                    for dx in 0..k {
                        sum += u32::from(rgb[(row + x * k + dx) * 3 + ch]);
                    }
                }
                out[(y * sw + x) * 3 + ch] = ((sum + n / 2) / n) as u8;
            }
        }
    }
    out
}

/// Encodes an RGB buffer as an 8-bit PNG.
pub(crate) fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(|e| PlotError::Encode(e.to_string()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| PlotError::Encode(e.to_string()))?;
        writer.finish().map_err(|e| PlotError::Encode(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_averages_blocks() {
        let img = [0u8, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&img, 2, 2, 2), vec![191, 191, 191]);
    }
}
