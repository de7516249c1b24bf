//! Text in CJK scripts (Chinese, Japanese kana, Korean hangul), which
//! DejaVu Sans lacks: a text with a character that DejaVu Sans lacks and the
//! embedded subset of Noto Sans CJK SC has (`fonts/README.md`) is measured
//! and drawn whole in that font, Latin letters and all, at the same em and
//! on the same baseline as DejaVu Sans would be. Every other text is left to
//! the [`Canvas`] as before, so a chart without such a character comes out
//! byte for byte as it did without this module.
//!
//! On a PNG the text is drawn by plotters with the CJK font registered as
//! [`CJK_FAMILY`]. On an SVG it is drawn as outlines, a `<path>` in the
//! text's colour labelled with the text (`aria-label`), so any viewer shows
//! it without a CJK font: plotters writes a placeholder `<text>` where the
//! text goes, and [`splice_outlines`] puts the path there (same stacking
//! order). The font has one weight: a bold text is emboldened, smeared
//! sideways by [`BOLD_EM`] on a PNG and stroked that wide on an SVG.

use super::PlotError;
use super::canvas::{Canvas, Font, HAlign};
use super::style::FONT;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt::Write as _;
use std::sync::OnceLock;
use ttf_parser::{Face, GlyphId, OutlineBuilder};

/// The embedded subset of Noto Sans CJK SC, regular (SIL Open Font License).
pub(crate) static CJK_FONT: &[u8] = include_bytes!("fonts/NotoSansCJKsc-Regular-subset.otf");

/// The family name the CJK font is registered under with plotters (only
/// PNGs use it; it is never written into a chart).
pub(crate) const CJK_FAMILY: &str = "gatesim-cjk";

/// How much wider a bold CJK text is drawn than a regular one, in ems.
const BOLD_EM: f64 = 0.05;

/// plotters' SVG backend writes `font-size` as the size divided by this.
const SVG_SIZE_PER_EM: f64 = 1.24;

/// The parsed fonts: DejaVu Sans regular and bold (whose coverage decides)
/// and the CJK font.
struct Faces {
    /// DejaVu Sans.
    regular: Face<'static>,
    /// DejaVu Sans Bold.
    bold: Face<'static>,
    /// The CJK font.
    cjk: Face<'static>,
}

/// The fonts, parsed once; `None` if one does not parse (then every text
/// stays with DejaVu Sans).
fn faces() -> Option<&'static Faces> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some(Faces {
                regular: Face::parse(dejavu::sans::regular(), 0).ok()?,
                bold: Face::parse(dejavu::sans::bold(), 0).ok()?,
                cjk: Face::parse(CJK_FONT, 0).ok()?,
            })
        })
        .as_ref()
}

/// Whether `face` has a glyph for `c`.
fn covers(face: &Face<'_>, c: char) -> bool {
    face.glyph_index(c).is_some_and(|g| g.0 != 0)
}

/// Whether `text` is drawn in the CJK font: it has a character that DejaVu
/// Sans (bold when `bold`) lacks and the CJK font has.
pub(crate) fn needs_cjk(text: &str, bold: bool) -> bool {
    if text.is_ascii() {
        return false;
    }
    let Some(f) = faces() else {
        return false;
    };
    let latin = if bold { &f.bold } else { &f.regular };
    text.chars().any(|c| !covers(latin, c) && covers(&f.cjk, c))
}

/// Ascent minus descent of `face`, in ems: plotters' bitmap text sizes a
/// font by that height.
fn height_em(face: &Face<'_>) -> f64 {
    (f64::from(face.ascender()) - f64::from(face.descender())) / f64::from(face.units_per_em())
}

/// The glyph of `c` in the CJK font (its missing-glyph box if it has none).
fn glyph(cjk: &Face<'_>, c: char) -> GlyphId {
    cjk.glyph_index(c).unwrap_or(GlyphId(0))
}

/// Advance width of `text` in the CJK font, in font units (the subset has
/// no kerning).
fn advance_units(cjk: &Face<'_>, text: &str) -> f64 {
    text.chars()
        .map(|c| f64::from(cjk.glyph_hor_advance(glyph(cjk, c)).unwrap_or(0)))
        .sum()
}

/// Width of `text` in the CJK font in ems, bold included.
fn width_em(f: &Faces, text: &str, bold: bool) -> f64 {
    advance_units(&f.cjk, text) / f64::from(f.cjk.units_per_em()) + if bold { BOLD_EM } else { 0.0 }
}

/// Width of `text` drawn in the CJK font at `font` (logical pixels), at the
/// em that DejaVu Sans has at that size on a PNG: the measure the layout
/// uses for every text on both backends.
pub(crate) fn text_width(text: &str, font: Font) -> f64 {
    match faces() {
        Some(f) => width_em(f, text, font.bold) * font.size / height_em(&f.regular),
        None => 0.0,
    }
}

/// The SVG placeholder text of the `i`-th outline (private-use characters
/// around it, which no chart text has).
fn token(i: usize) -> String {
    format!("\u{E000}gatesim-cjk-{i}\u{E001}")
}

/// `v` with at most `decimals` decimals, without trailing zeros.
fn num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".to_string() } else { s }
}

/// `text` escaped for an XML attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes glyph outlines as SVG path data in font units, shifted right by
/// `dx`.
struct PathData {
    /// The path data so far.
    d: String,
    /// Shift of the current glyph (font units).
    dx: f32,
}

impl PathData {
    /// Appends one point.
    fn point(&mut self, x: f32, y: f32) {
        let _ = write!(self.d, "{} {}", num(f64::from(x + self.dx), 1), num(f64::from(y), 1));
    }
}

impl OutlineBuilder for PathData {
    fn move_to(&mut self, x: f32, y: f32) {
        self.d.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.d.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.d.push('Q');
        self.point(x1, y1);
        self.d.push(' ');
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.d.push('C');
        self.point(x1, y1);
        self.d.push(' ');
        self.point(x2, y2);
        self.d.push(' ');
        self.point(x, y);
    }

    fn close(&mut self) {
        self.d.push('Z');
    }
}

/// Where and how a CJK text is drawn on an SVG.
struct Placement {
    /// Start of its baseline (logical pixels).
    origin: (f64, f64),
    /// One em (logical pixels).
    em: f64,
    /// Whether it reads upwards (rotated a quarter turn anticlockwise).
    up: bool,
}

/// The `<path>` element that draws `text` in the CJK font as `at` says, in
/// the colour of `font`, emboldened if it is bold.
fn svg_path(cjk: &Face<'_>, text: &str, font: Font, at: &Placement) -> String {
    let upem = f64::from(cjk.units_per_em());
    let mut path = PathData {
        d: String::new(),
        dx: 0.0,
    };
    let mut pen = 0.0f64;
    for c in text.chars() {
        let g = glyph(cjk, c);
        path.dx = pen as f32;
        cjk.outline_glyph(g, &mut path);
        pen += f64::from(cjk.glyph_hor_advance(g).unwrap_or(0));
    }
    let s = num(at.em / upem, 6);
    let rotate = if at.up { " rotate(-90)" } else { "" };
    let RGBColor(r, g, b) = font.colour;
    let colour = format!("#{r:02X}{g:02X}{b:02X}");
    let stroke = if font.bold {
        format!(
            " stroke=\"{colour}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
            num(BOLD_EM * upem, 1)
        )
    } else {
        String::new()
    };
    format!(
        "<path aria-label=\"{}\" transform=\"translate({} {}){rotate} scale({s} -{s})\" fill=\"{colour}\"{stroke} d=\"{}\"/>\n",
        escape(text),
        num(at.origin.0, 3),
        num(at.origin.1, 3),
        path.d
    )
}

/// Replaces, in an SVG that plotters wrote, the placeholder `<text>` of
/// each CJK text (in drawing order) by its outlines.
pub(crate) fn splice_outlines(svg: &str, outlines: &[String]) -> Result<String, PlotError> {
    let mut out = String::with_capacity(svg.len() + outlines.iter().map(String::len).sum::<usize>());
    let mut from = 0;
    for (i, outline) in outlines.iter().enumerate() {
        let missing = || PlotError::Draw(format!("the SVG lost the place of CJK text {i}"));
        let tok = token(i);
        let at = from + svg[from..].find(&tok).ok_or_else(missing)?;
        let start = from + svg[from..at].rfind("<text").ok_or_else(missing)?;
        const CLOSE: &str = "</text>\n";
        let end = at + svg[at..].find(CLOSE).ok_or_else(missing)? + CLOSE.len();
        out.push_str(&svg[from..start]);
        out.push_str(outline);
        from = end;
    }
    out.push_str(&svg[from..]);
    Ok(out)
}

/// A drawing error as a [`PlotError`].
fn draw_error<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Draws `text` in the CJK font with its baseline through `anchor`:
    /// aligned on `anchor.0` as `h` says along a horizontal baseline at
    /// `anchor.1`, or, reading upwards (`up`), along a vertical baseline at
    /// `anchor.0`, aligned on `anchor.1`.
    pub(super) fn cjk_text(
        &self,
        text: &str,
        anchor: (f64, f64),
        font: Font,
        h: HAlign,
        up: bool,
    ) -> Result<(), PlotError> {
        let Some(f) = faces() else {
            return Err(PlotError::Font("the CJK font does not parse".to_string()));
        };
        let share = match h {
            HAlign::Left => 0.0,
            HAlign::Center => 0.5,
            HAlign::Right => 1.0,
        };
        if self.theme.svg {
            let em = font.size / SVG_SIZE_PER_EM;
            let w = width_em(f, text, font.bold) * em;
            // A stroked (bold) outline spreads half the stroke to the left.
            let lead = if font.bold { BOLD_EM * em / 2.0 } else { 0.0 };
            let origin = if up {
                (anchor.0, anchor.1 + w * share - lead)
            } else {
                (anchor.0 - w * share + lead, anchor.1)
            };
            let mut outlines = self.outlines.borrow_mut();
            let style = FontDesc::new(FontFamily::Name(FONT), font.size, FontStyle::Normal).color(&font.colour);
            let pos = (self.theme.px(origin.0), self.theme.px(origin.1));
            self.area
                .draw_text(&token(outlines.len()), &style, pos)
                .map_err(draw_error)?;
            outlines.push(svg_path(&f.cjk, text, font, &Placement { origin, em, up }));
            return Ok(());
        }
        // plotters sizes the CJK font by its ascent minus descent, and puts
        // its baseline half that size below the top it is given.
        let size = font.size * height_em(&f.cjk) / height_em(&f.regular);
        let em = font.size / height_em(&f.regular);
        let w = width_em(f, text, font.bold) * em;
        let smear = if font.bold {
            self.theme.px(BOLD_EM * em).max(1)
        } else {
            0
        };
        let style = FontDesc::new(FontFamily::Name(CJK_FAMILY), self.theme.len(size), FontStyle::Normal);
        let top = |baseline: f64| self.theme.px(baseline - size / 2.0);
        for i in 0..=smear {
            if up {
                let style = style
                    .clone()
                    .transform(FontTransform::Rotate270)
                    .color(&font.colour)
                    .pos(Pos::new(HPos::Left, VPos::Top));
                let start = self.theme.px(anchor.1 + w * share) - i;
                self.area
                    .draw_text(text, &style, (top(anchor.0), start))
                    .map_err(draw_error)?;
            } else {
                let style = style.clone().color(&font.colour).pos(Pos::new(HPos::Left, VPos::Top));
                let start = self.theme.px(anchor.0 - w * share) + i;
                self.area
                    .draw_text(text, &style, (start, top(anchor.1)))
                    .map_err(draw_error)?;
            }
        }
        Ok(())
    }

    /// Takes the outlines of the CJK texts drawn so far on an SVG, for
    /// [`splice_outlines`].
    pub(super) fn take_outlines(&self) -> Vec<String> {
        std::mem::take(&mut *self.outlines.borrow_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::plot::style::INK;

    #[test]
    fn only_texts_with_a_character_dejavu_lacks_go_to_the_cjk_font() {
        assert!(!needs_cjk("Taocaicai (blocked) · 5–95% × μ", false));
        assert!(!needs_cjk("Měituán", true));
        assert!(needs_cjk("淘菜菜 (blocked)", false));
        assert!(needs_cjk("美团优选", true));
        assert!(needs_cjk("ひらがな カタカナ", false));
        assert!(needs_cjk("한국어", false));
        // A character neither font has leaves the text with DejaVu Sans.
        assert!(!needs_cjk("\u{E000}", false));
    }

    #[test]
    fn every_character_of_the_platform_names_has_a_glyph_in_the_cjk_font() {
        let f = faces().expect("the fonts parse");
        for c in "美团优选多多买菜淘菜菜臺灣ひらがなカタカナ한국어（）「」、。".chars() {
            assert_ne!(glyph(&f.cjk, c), GlyphId(0), "{c}");
        }
    }

    #[test]
    fn a_cjk_text_is_as_wide_as_its_ems_and_bold_adds_a_little() {
        let font = Font::new(26.0, INK);
        let em = 26.0 / 1.164;
        assert!((text_width("美团优选", font) - 4.0 * em).abs() < 0.1);
        assert!(text_width("美团优选", font.bold()) > text_width("美团优选", font));
    }

    #[test]
    fn outlines_replace_their_placeholders_in_order() {
        let svg = format!(
            "<svg>\n<text x=\"1\">\n{}\n</text>\n<rect/>\n<text x=\"2\">\n{}\n</text>\n</svg>\n",
            token(0),
            token(1)
        );
        let out = splice_outlines(&svg, &["<path id=\"a\"/>\n".into(), "<path id=\"b\"/>\n".into()]).unwrap();
        assert_eq!(out, "<svg>\n<path id=\"a\"/>\n<rect/>\n<path id=\"b\"/>\n</svg>\n");
        assert!(splice_outlines("<svg/>", &["x".into()]).is_err());
    }

    #[test]
    fn numbers_in_paths_are_short() {
        assert_eq!(num(12.0, 1), "12");
        assert_eq!(num(-0.04, 1), "0");
        assert_eq!(num(0.012_345, 6), "0.012345");
        assert_eq!(num(3.26, 1), "3.3");
    }
}

#[cfg(test)]
mod drawing_tests {
    use super::*;
    use crate::present::plot::canvas::VAlign;
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
