//! The drawing surface every chart draws on, in logical pixels of the
//! 1600x900 canvas: text placed by its cap height or baseline (the same on
//! the bitmap and SVG backends, whose text placement differs), lines, dashed
//! lines, filled polygons, rectangles and point markers. It hides plotters'
//! coordinate types: primitives above it speak in logical pixels only. A
//! text with a character DejaVu Sans lacks (CJK) is measured and drawn by
//! [`super::glyphs`].

use super::PlotError;
use super::font::{Font, HAlign, VAlign};
use super::glyphs;
use super::style::{FONT, Theme};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::cell::RefCell;

/// DejaVu Sans capital height, in ems.
const CAP: f64 = 0.729;

/// Point marker shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Filled disc.
    Disc,
    /// Hollow circle.
    Ring,
    /// Filled triangle pointing up.
    TriangleUp,
    /// Hollow square.
    Square,
    /// A diagonal cross.
    Cross,
    /// A tall vertical bar.
    Bar,
}

/// A drawing area with the theme that scales it.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    /// The area drawn on.
    pub(super) area: &'a DrawingArea<DB, Shift>,
    /// Its theme.
    pub(super) theme: Theme,
    /// The outlines of the CJK texts drawn on an SVG, in order.
    pub(super) outlines: RefCell<Vec<String>>,
}

fn err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    /// A canvas drawing on `area` with `theme`.
    pub(crate) fn new(area: &'a DrawingArea<DB, Shift>, theme: Theme) -> Self {
        Canvas {
            area,
            theme,
            outlines: RefCell::new(Vec::new()),
        }
    }

    /// Draws `text` in the CJK font (see [`glyphs::draw_cjk`]).
    fn cjk_text(&self, text: &str, anchor: (f64, f64), font: Font, run: glyphs::Run) -> Result<(), PlotError> {
        glyphs::draw_cjk(self.area, self.theme, &self.outlines, text, anchor, font, run)
    }

    /// Takes the outlines of the CJK texts drawn so far on an SVG, for
    /// [`glyphs::splice_outlines`].
    pub(super) fn take_outlines(&self) -> Vec<String> {
        std::mem::take(&mut *self.outlines.borrow_mut())
    }

    fn pt(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (self.theme.px(x), self.theme.px(y))
    }

    fn style(&self, font: Font) -> FontDesc<'static> {
        let style = if font.bold { FontStyle::Bold } else { FontStyle::Normal };
        FontDesc::new(FontFamily::Name(FONT), self.theme.len(font.size), style)
    }

    /// One em of `font` on this backend (logical pixels).
    fn em(&self, font: Font) -> f64 {
        // The bitmap backend scales fonts by ascent minus descent (1.164 em
        // for DejaVu Sans); the SVG backend writes font-size = size / 1.24.
        if self.theme.svg {
            font.size / 1.24
        } else {
            font.size / 1.164
        }
    }

    /// Where plotters must be told to put a top-anchored text so that its
    /// baseline falls at `baseline` (logical pixels, along the text's "down").
    fn top_for_baseline(&self, font: Font, baseline: f64) -> f64 {
        if self.theme.svg {
            baseline - 0.76 * font.size / 1.24
        } else {
            baseline - font.size / 2.0
        }
    }

    fn baseline(&self, font: Font, y: f64, v: VAlign) -> f64 {
        let em = self.em(font);
        match v {
            VAlign::Top => y + CAP * em,
            VAlign::Middle => y + CAP * em / 2.0,
            VAlign::Baseline => y,
        }
    }

    /// Draws `text` at (x, y) aligned as asked.
    pub(crate) fn text(
        &self,
        text: &str,
        (x, y): (f64, f64),
        font: Font,
        h: HAlign,
        v: VAlign,
    ) -> Result<(), PlotError> {
        if glyphs::needs_cjk(text, font.bold) {
            return self.cjk_text(text, (x, self.baseline(font, y, v)), font, glyphs::Run::Across(h));
        }
        let top = self.top_for_baseline(font, self.baseline(font, y, v));
        let hpos = match h {
            HAlign::Left => HPos::Left,
            HAlign::Center => HPos::Center,
            HAlign::Right => HPos::Right,
        };
        let style = self.style(font).color(&font.colour).pos(Pos::new(hpos, VPos::Top));
        self.area.draw_text(text, &style, self.pt((x, top))).map_err(err)
    }

    /// Draws `text` reading upwards, centred on `y`, with its capitals'
    /// middle on the vertical line `x`.
    pub(crate) fn text_up(&self, text: &str, (x, y): (f64, f64), font: Font) -> Result<(), PlotError> {
        // Rotated 270 degrees, the text's "down" points right: its baseline
        // lies right of the capitals' middle.
        let em = self.em(font);
        if glyphs::needs_cjk(text, font.bold) {
            return self.cjk_text(text, (x + CAP * em / 2.0, y), font, glyphs::Run::Up);
        }
        let top = self.top_for_baseline(font, x + CAP * em / 2.0);
        let style = self
            .style(font)
            .transform(FontTransform::Rotate270)
            .color(&font.colour)
            .pos(Pos::new(HPos::Center, VPos::Top));
        self.area.draw_text(text, &style, self.pt((top, y))).map_err(err)
    }

    /// Width of `text` in `font` (logical pixels).
    pub(crate) fn text_width(&self, text: &str, font: Font) -> Result<f64, PlotError> {
        if glyphs::needs_cjk(text, font.bold) {
            return Ok(glyphs::text_width(text, font));
        }
        let style = TextStyle::from(self.style(font));
        let (w, _) = self.area.estimate_text_size(text, &style).map_err(err)?;
        Ok(f64::from(w) / self.theme.scale)
    }

    /// Height of the capitals of `font` (logical pixels).
    pub(crate) fn cap_height(&self, font: Font) -> f64 {
        CAP * self.em(font)
    }

    /// A polyline of `width` logical pixels.
    pub(crate) fn line(&self, points: &[(f64, f64)], colour: RGBColor, width: f64) -> Result<(), PlotError> {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.pt(p)).collect();
        let style = ShapeStyle {
            color: colour.to_rgba(),
            filled: false,
            stroke_width: self.theme.px(width).max(1) as u32,
        };
        self.area.draw(&PathElement::new(pts, style)).map_err(err)
    }

    /// A dashed polyline: dashes of `dash` and gaps of `gap` logical
    /// pixels, measured along the line (plotters' dashed path).
    pub(crate) fn dashed(
        &self,
        points: &[(f64, f64)],
        colour: RGBColor,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Result<(), PlotError> {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.pt(p)).collect();
        let style = ShapeStyle {
            color: colour.to_rgba(),
            filled: false,
            stroke_width: self.theme.px(width).max(1) as u32,
        };
        let (dash, gap) = (self.theme.px(dash).max(1), self.theme.px(gap).max(0));
        self.area
            .draw(&DashedPathElement::new(pts, dash, gap, style))
            .map_err(err)
    }

    /// A filled polygon with opacity `alpha`.
    pub(crate) fn polygon(&self, points: &[(f64, f64)], colour: RGBColor, alpha: f64) -> Result<(), PlotError> {
        if points.len() < 3 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points.iter().map(|&p| self.pt(p)).collect();
        self.area
            .draw(&Polygon::new(pts, colour.mix(alpha).filled()))
            .map_err(err)
    }

    /// A filled rectangle with opacity `alpha`.
    pub(crate) fn fill_rect(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        colour: RGBColor,
        alpha: f64,
    ) -> Result<(), PlotError> {
        self.area
            .draw(&Rectangle::new(
                [self.pt((x0, y0)), self.pt((x1, y1))],
                colour.mix(alpha).filled(),
            ))
            .map_err(err)
    }

    /// A marker of `shape`, `size` logical pixels across, centred on (x, y).
    pub(crate) fn marker(
        &self,
        shape: Shape,
        (x, y): (f64, f64),
        size: f64,
        colour: RGBColor,
    ) -> Result<(), PlotError> {
        let r = size / 2.0;
        let stroke = (size / 7.0).max(2.0);
        match shape {
            Shape::Disc => self
                .area
                .draw(&Circle::new(self.pt((x, y)), self.theme.px(r).max(1), colour.filled()))
                .map_err(err),
            Shape::Ring => {
                let style = ShapeStyle {
                    color: colour.to_rgba(),
                    filled: false,
                    stroke_width: self.theme.px(stroke).max(1) as u32,
                };
                let r_in = self.theme.px(r - stroke / 2.0).max(1);
                self.area.draw(&Circle::new(self.pt((x, y)), r_in, style)).map_err(err)
            }
            Shape::TriangleUp => {
                let h = r * 1.1;
                self.polygon(&[(x - r, y + h * 0.8), (x + r, y + h * 0.8), (x, y - h)], colour, 1.0)
            }
            Shape::Square => {
                let s = r * 0.85;
                let p = [
                    (x - s, y - s),
                    (x + s, y - s),
                    (x + s, y + s),
                    (x - s, y + s),
                    (x - s, y - s),
                ];
                self.line(&p, colour, stroke)
            }
            Shape::Cross => {
                let s = r * 0.85;
                self.line(&[(x - s, y - s), (x + s, y + s)], colour, stroke)?;
                self.line(&[(x - s, y + s), (x + s, y - s)], colour, stroke)
            }
            Shape::Bar => self.fill_rect(
                (x - stroke * 0.75, y - r * 1.4),
                (x + stroke * 0.75, y + r * 1.4),
                colour,
                1.0,
            ),
        }
    }
}

#[cfg(test)]
mod cjk_tests {
    use super::*;
    use crate::present::plot::glyphs::splice_outlines;
    use crate::present::plot::render::register_fonts;
    use crate::present::plot::style::{INK, Theme};

    /// The box `(left, top, right, bottom)` that the ink of `draw` covers on
    /// a 400x300 PNG canvas drawn at twice the size (logical pixels).
    fn ink_box(draw: impl Fn(&Canvas<'_, BitMapBackend<'_>>)) -> (f64, f64, f64, f64) {
        register_fonts().expect("the fonts register");
        let (w, h) = (800usize, 600usize);
        let mut buf = vec![255u8; w * h * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w as u32, h as u32)).into_drawing_area();
            draw(&Canvas::new(&root, Theme { scale: 2.0, svg: false }));
            root.present().expect("the drawing ends");
        }
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        for y in 0..h {
            for x in 0..w {
                if buf[(y * w + x) * 3] < 128 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
        }
        (x0 as f64 / 2.0, y0 as f64 / 2.0, x1 as f64 / 2.0, y1 as f64 / 2.0)
    }

    /// The SVG of `draw` on a 400x300 canvas, outlines spliced in.
    fn svg(draw: impl Fn(&Canvas<'_, SVGBackend<'_>>)) -> String {
        register_fonts().expect("the fonts register");
        let mut out = String::new();
        let outlines = {
            let root = SVGBackend::with_string(&mut out, (400, 300)).into_drawing_area();
            let c = Canvas::new(&root, Theme { scale: 1.0, svg: true });
            draw(&c);
            root.present().expect("the drawing ends");
            c.take_outlines()
        };
        splice_outlines(&out, &outlines).expect("the outlines find their places")
    }

    #[test]
    fn a_cjk_text_sits_on_its_baseline_and_ends_where_aligned() {
        let f = Font::new(26.0, INK);
        let em = 26.0 / 1.164;
        let (left, top, right, bottom) = ink_box(|c| {
            c.text("美团优选", (300.0, 100.0), f, HAlign::Right, VAlign::Baseline)
                .unwrap()
        });
        assert!((right - 300.0).abs() < 0.1 * em, "{right}");
        assert!((left - (300.0 - 4.0 * em)).abs() < 0.1 * em, "{left}");
        // Ideographs stand about 0.88 em above the baseline and 0.12 below.
        assert!((top - (100.0 - 0.88 * em)).abs() < 0.1 * em, "{top}");
        assert!((bottom - (100.0 + 0.12 * em)).abs() < 0.1 * em, "{bottom}");
        let (l2, _, r2, _) = ink_box(|c| {
            c.text("美团优选", (200.0, 100.0), f, HAlign::Center, VAlign::Baseline)
                .unwrap()
        });
        assert!(((l2 + r2) / 2.0 - 200.0).abs() < 0.1 * em, "{l2} {r2}");
    }

    #[test]
    fn a_cjk_text_reading_upwards_is_centred_on_its_point_in_png_and_svg() {
        let f = Font::new(26.0, INK).bold();
        let em = 26.0 / 1.164;
        let (left, top, right, bottom) = ink_box(|c| c.text_up("上升了", (200.0, 150.0), f).unwrap());
        // (The ink is a little shorter than the advances, unevenly.)
        assert!(((top + bottom) / 2.0 - 150.0).abs() < 0.2 * em, "{top} {bottom}");
        assert!(bottom - top > 2.6 * em && bottom - top < 3.05 * em, "{top} {bottom}");
        // The glyphs lie across the line x = 200, their tops to the left.
        assert!(
            left < 200.0 && right > 200.0 && right - left < 1.1 * em,
            "{left} {right}"
        );
        let svg = svg(|c| c.text_up("上升了", (200.0, 150.0), f).unwrap());
        assert!(svg.contains("aria-label=\"上升了\""), "{svg}");
        assert!(svg.contains(" rotate(-90) scale("));
        assert!(!svg.contains("<text"));
    }

    #[test]
    fn a_latin_text_draws_as_before_beside_a_cjk_one() {
        let f = Font::new(26.0, INK);
        let svg = svg(|c| {
            c.text("Alpha", (10.0, 50.0), f, HAlign::Left, VAlign::Top).unwrap();
            c.text("美团", (10.0, 100.0), f, HAlign::Left, VAlign::Top).unwrap();
            c.text("Beta · 5–95%", (10.0, 150.0), f, HAlign::Left, VAlign::Top)
                .unwrap();
        });
        let alpha = svg.find(">\nAlpha\n</text>").expect("Alpha stays text");
        let cjk = svg.find("<path aria-label=\"美团\"").expect("美团 is outlined");
        let beta = svg.find(">\nBeta · 5–95%\n</text>").expect("Beta stays text");
        assert!(alpha < cjk && cjk < beta, "drawn in order");
    }
}
