//! Text in CJK scripts (Chinese, Japanese kana, Korean hangul), which
//! DejaVu Sans lacks: a text with a character that DejaVu Sans lacks and the
//! embedded subset of Noto Sans CJK SC has (`fonts/README.md`) is measured
//! and drawn whole in that font, Latin letters and all, at the same em and
//! on the same baseline as DejaVu Sans would be. Every other text is left to
//! the canvas as before, so a chart without such a character comes out
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
use super::font::{Font, HAlign};
use super::style::{FONT, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::cell::RefCell;
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

/// Which way a CJK text runs from its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Run {
    /// Along a horizontal baseline through the point, aligned on it as said.
    Across(HAlign),
    /// Reading upwards along a vertical baseline through the point,
    /// centred on it.
    Up,
}

/// Draws `text` in the CJK font on `area` with its baseline through
/// `anchor`, running as `run` says; on an SVG, a placeholder whose outlines
/// are added to `outlines` (see [`splice_outlines`]).
pub(super) fn draw_cjk<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: Theme,
    outlines: &RefCell<Vec<String>>,
    text: &str,
    anchor: (f64, f64),
    font: Font,
    run: Run,
) -> Result<(), PlotError> {
    let Some(f) = faces() else {
        return Err(PlotError::Font("the CJK font does not parse".to_string()));
    };
    let (share, up) = match run {
        Run::Across(HAlign::Left) => (0.0, false),
        Run::Across(HAlign::Center) => (0.5, false),
        Run::Across(HAlign::Right) => (1.0, false),
        Run::Up => (0.5, true),
    };
    if theme.svg {
        let em = font.size / SVG_SIZE_PER_EM;
        let w = width_em(f, text, font.bold) * em;
        // A stroked (bold) outline spreads half the stroke to the left.
        let lead = if font.bold { BOLD_EM * em / 2.0 } else { 0.0 };
        let origin = if up {
            (anchor.0, anchor.1 + w * share - lead)
        } else {
            (anchor.0 - w * share + lead, anchor.1)
        };
        let mut outlines = outlines.borrow_mut();
        let style = FontDesc::new(FontFamily::Name(FONT), font.size, FontStyle::Normal).color(&font.colour);
        let pos = (theme.px(origin.0), theme.px(origin.1));
        area.draw_text(&token(outlines.len()), &style, pos)
            .map_err(draw_error)?;
        outlines.push(svg_path(&f.cjk, text, font, &Placement { origin, em, up }));
        return Ok(());
    }
    // plotters sizes the CJK font by its ascent minus descent, and puts
    // its baseline half that size below the top it is given.
    let size = font.size * height_em(&f.cjk) / height_em(&f.regular);
    let em = font.size / height_em(&f.regular);
    let w = width_em(f, text, font.bold) * em;
    let smear = if font.bold { theme.px(BOLD_EM * em).max(1) } else { 0 };
    let style = FontDesc::new(FontFamily::Name(CJK_FAMILY), theme.len(size), FontStyle::Normal);
    let top = |baseline: f64| theme.px(baseline - size / 2.0);
    for i in 0..=smear {
        if up {
            let style = style
                .clone()
                .transform(FontTransform::Rotate270)
                .color(&font.colour)
                .pos(Pos::new(HPos::Left, VPos::Top));
            let start = theme.px(anchor.1 + w * share) - i;
            area.draw_text(text, &style, (top(anchor.0), start))
                .map_err(draw_error)?;
        } else {
            let style = style.clone().color(&font.colour).pos(Pos::new(HPos::Left, VPos::Top));
            let start = theme.px(anchor.0 - w * share) + i;
            area.draw_text(text, &style, (start, top(anchor.1)))
                .map_err(draw_error)?;
        }
    }
    Ok(())
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
