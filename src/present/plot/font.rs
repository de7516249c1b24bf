//! How a text is set: its font (size, weight, colour) and how it aligns on
//! its anchor point. Shared by the canvas that draws text and the CJK
//! glyphs that measure and draw what DejaVu Sans lacks.

use plotters::style::RGBColor;

/// Horizontal alignment of a text on its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HAlign {
    /// The text starts at the point.
    Left,
    /// The text is centred on the point.
    Center,
    /// The text ends at the point.
    Right,
}

/// Vertical alignment of a text on its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VAlign {
    /// The top of the capitals is at the point.
    Top,
    /// The middle of the capitals is at the point.
    Middle,
    /// The baseline is at the point.
    Baseline,
}

/// A font: size (logical pixels, plotters' convention), weight and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Font {
    /// Size.
    pub size: f64,
    /// Bold or regular.
    pub bold: bool,
    /// Colour.
    pub colour: RGBColor,
}

impl Font {
    /// A regular font.
    pub(crate) fn new(size: f64, colour: RGBColor) -> Font {
        Font {
            size,
            bold: false,
            colour,
        }
    }

    /// The same font, bold.
    pub(crate) fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
}
