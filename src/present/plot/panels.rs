//! Small multiples: one or more plots (panels) on one page under one title,
//! subtitle and legend, in a grid of columns. A panel has its own title (in
//! a platform's colour, say) and note, its own axes and guides, and holds
//! any of: heat-map cells, lines with bands (and point markers), horizontal
//! rules (a zero line), and bars with 95% error bars and value labels.
//! Panels that share the vertical axis write its title once per row. One
//! panel without a title is laid out like every other chart.

use super::PlotError;
use super::axis::Axis;
use super::canvas::Canvas;
use super::font::{Font, HAlign, VAlign};
use super::frame::{AxesOptions, Guide, Plot, draw_axes, draw_page};
use super::legend::Legend;
use super::series_chart::{Line, draw_line};
use super::style::{self, HEIGHT, INK, MARGIN, MUTED, PAPER};
use plotters::prelude::{DrawingBackend, RGBColor};

/// A horizontal reference line across a panel (a zero line).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    /// Position (data units of the vertical axis).
    pub y: f64,
    /// Colour.
    pub colour: RGBColor,
    /// Width (logical pixels).
    pub width: f64,
}

/// A bar from zero to `value`, with an optional 95% interval drawn as an
/// error bar and a label beyond its end. Vertical, or horizontal in a
/// panel whose bars are horizontal.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bar {
    /// Centre across the bar (data units of the category axis).
    pub at: f64,
    /// Half its width across (data units of the category axis).
    pub half_width: f64,
    /// Value (data units of the value axis).
    pub value: f64,
    /// Interval `(low, high)`, drawn as an error bar.
    pub interval: Option<(f64, f64)>,
    /// Colour.
    pub colour: RGBColor,
    /// Opacity.
    pub alpha: f64,
    /// Label beyond the end of the bar (and of its interval); `\n` breaks
    /// it: the first line bold, the others muted.
    pub label: String,
}

/// A heat-map cell: a rectangle centred on `(x, y)`, filled, with a label.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    /// Centre, horizontal (data units).
    pub x: f64,
    /// Centre, vertical (data units).
    pub y: f64,
    /// Half its width (data units).
    pub half_width: f64,
    /// Half its height (data units).
    pub half_height: f64,
    /// Fill.
    pub colour: RGBColor,
    /// Label, centred, white on dark fills.
    pub label: String,
}

/// One panel.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Panel {
    /// Title above the plot (may be empty).
    pub title: String,
    /// Colour of the title.
    pub title_colour: RGBColor,
    /// Note under the title, muted (may be empty).
    pub note: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Vertical guides (policy changes).
    pub guides: Vec<Guide>,
    /// Heat-map cells, drawn first.
    pub cells: Vec<Cell>,
    /// Lines with their bands; bands are drawn under the rules and bars,
    /// lines over them (solid thinnest first, then dashed).
    pub lines: Vec<Line>,
    /// Horizontal rules.
    pub rules: Vec<Rule>,
    /// Bars.
    pub bars: Vec<Bar>,
    /// Whether the bars lie along the horizontal axis (categories on the
    /// vertical axis).
    pub horizontal_bars: bool,
}

impl Panel {
    /// An empty panel with these axes.
    pub(crate) fn new(x: Axis, y: Axis) -> Panel {
        Panel {
            title: String::new(),
            title_colour: INK,
            note: String::new(),
            x,
            y,
            guides: Vec::new(),
            cells: Vec::new(),
            lines: Vec::new(),
            rules: Vec::new(),
            bars: Vec::new(),
            horizontal_bars: false,
        }
    }
}

/// What panels share of their vertical axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SharedY {
    /// Nothing: each panel writes its title and tick labels.
    No,
    /// The title, written once per row left of the first panel.
    Title,
    /// The title and the tick labels, written once per row.
    TitleAndLabels,
}

/// A page of panels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PanelChart {
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Legend, right of the panels.
    pub legend: Legend,
    /// Panels, row by row.
    pub panels: Vec<Panel>,
    /// Panels per row.
    pub columns: usize,
    /// What the panels share of their vertical axes.
    pub shared_y: SharedY,
}

/// Horizontal gap between panels.
const GAP_X: f64 = 64.0;
/// Vertical gap between rows of panels.
const GAP_Y: f64 = 34.0;
/// Gap between a panel's title (or note) and its plot.
const TITLE_GAP: f64 = 14.0;
/// Gap between a panel's title and its note.
const NOTE_GAP: f64 = 12.0;
/// Gap between an axis title and the tick labels (as in the frame).
const AXIS_TITLE_GAP: f64 = 18.0;

fn panel_title_font(colour: RGBColor) -> Font {
    Font::new(style::AXIS_LABEL, colour).bold()
}

impl PanelChart {
    /// Draws the chart.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<(), PlotError> {
        let (top, mut right) = draw_page(c, &self.title, &self.subtitle, &self.legend)?;
        let n = self.panels.len();
        if n == 0 {
            return Ok(());
        }
        if self.legend.is_empty()
            && let Some(last) = self.panels[n - 1].x.ticks.last()
        {
            right -= c.text_width(&last.label, Font::new(style::TICK, INK))? / 2.0;
        }
        let cols = self.columns.clamp(1, n);
        let rows = n.div_ceil(cols);
        let bottom = f64::from(HEIGHT) - MARGIN;
        // The first column also holds what the row shares: give it the
        // extra width so that the plots come out the same size.
        let first_y = &self.panels[0].y;
        let mut y_title_w = 0.0;
        if self.shared_y != SharedY::No && !first_y.title.is_empty() {
            y_title_w += c.cap_height(Font::new(style::AXIS_LABEL, INK)) + AXIS_TITLE_GAP;
        }
        if self.shared_y == SharedY::TitleAndLabels {
            let mut w: f64 = 0.0;
            for t in &first_y.ticks {
                let f = Font::new(style::TICK, t.colour.unwrap_or(INK));
                let f = if t.colour.is_some() { f.bold() } else { f };
                w = w.max(c.text_width(&t.label, f)?);
            }
            y_title_w += w;
        }
        let cell_w = (right - MARGIN - y_title_w - GAP_X * (cols - 1) as f64) / cols as f64;
        let cell_h = (bottom - top - GAP_Y * (rows - 1) as f64) / rows as f64;
        let has_titles = self.panels.iter().any(|p| !p.title.is_empty());
        let has_notes = self.panels.iter().any(|p| !p.note.is_empty());
        let title_cap = c.cap_height(panel_title_font(INK));
        let note_font = Font::new(style::NOTE, MUTED);
        let note_top = if has_titles { title_cap + NOTE_GAP } else { 0.0 };
        let title_h = match (has_titles, has_notes) {
            (false, false) => 0.0,
            (_, true) => note_top + c.cap_height(note_font) + TITLE_GAP,
            (true, false) => title_cap + TITLE_GAP,
        };
        for (i, p) in self.panels.iter().enumerate() {
            let (row, col) = (i / cols, i % cols);
            let x0 = if col == 0 {
                MARGIN
            } else {
                MARGIN + y_title_w + col as f64 * (cell_w + GAP_X)
            };
            let x1 = MARGIN + y_title_w + col as f64 * (cell_w + GAP_X) + cell_w;
            let y0 = top + row as f64 * (cell_h + GAP_Y);
            let y1 = y0 + cell_h;
            let first = col == 0 || self.shared_y == SharedY::No;
            let opts = AxesOptions {
                y_title: first && !p.y.title.is_empty(),
                y_labels: first || self.shared_y != SharedY::TitleAndLabels,
            };
            // The frame measures tick labels in the regular weight; coloured
            // (bold) category labels need the difference too.
            let x0 = if opts.y_labels {
                x0 + bold_overflow(c, &p.y)?
            } else {
                x0
            };
            let x_axis = if p.horizontal_bars {
                let y_w = if opts.y_labels {
                    tick_labels_width(c, &p.y, false)?
                } else {
                    0.0
                };
                let y_t = if opts.y_title {
                    c.cap_height(Font::new(style::AXIS_LABEL, INK)) + AXIS_TITLE_GAP
                } else {
                    0.0
                };
                // Width of the plot, as the frame will lay it out.
                let width = x1 - (x0 + y_t + y_w + 6.0 + 8.0);
                fit_bar_labels(c, p, width)?
            } else {
                p.x.clone()
            };
            let plot = draw_axes(c, (x0, y0 + title_h, x1, y1), &x_axis, &p.y, &p.guides, opts)?;
            // A title or note wider than its cell is set smaller (to 60%),
            // then cut with an ellipsis: it never runs into the next panel's.
            let room = x1 - plot.left;
            if !p.title.is_empty() {
                let (title, font) = fitted(c, &p.title, panel_title_font(p.title_colour), room)?;
                c.text(&title, (plot.left, y0), font, HAlign::Left, VAlign::Top)?;
            }
            if !p.note.is_empty() {
                let (note, font) = fitted(c, &p.note, note_font, room)?;
                c.text(&note, (plot.left, y0 + note_top), font, HAlign::Left, VAlign::Top)?;
            }
            draw_content(c, &plot, p)?;
        }
        Ok(())
    }
}

/// `text` in `font` made to fit `room` pixels: set smaller (down to 60%),
/// then cut with an ellipsis.
fn fitted<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    text: &str,
    mut font: Font,
    room: f64,
) -> Result<(String, Font), PlotError> {
    let full = c.text_width(text, font)?;
    if full > room {
        font.size *= (room / full).max(0.6);
    }
    let mut kept: Vec<char> = text.chars().collect();
    let mut shown = text.to_string();
    while c.text_width(&shown, font)? > room && kept.len() > 1 {
        kept.pop();
        shown = format!("{}…", kept.iter().collect::<String>().trim_end());
    }
    Ok((shown, font))
}

/// The widest tick label of `axis`, in the weight the frame measures
/// (regular) or draws (bold when coloured).
fn tick_labels_width<DB: DrawingBackend>(c: &Canvas<'_, DB>, axis: &Axis, as_drawn: bool) -> Result<f64, PlotError> {
    let mut w: f64 = 0.0;
    for t in &axis.ticks {
        let f = Font::new(style::TICK, t.colour.unwrap_or(INK));
        let f = if as_drawn && t.colour.is_some() { f.bold() } else { f };
        w = w.max(c.text_width(&t.label, f)?);
    }
    Ok(w)
}

/// How much wider the tick labels of `axis` are drawn than measured.
fn bold_overflow<DB: DrawingBackend>(c: &Canvas<'_, DB>, axis: &Axis) -> Result<f64, PlotError> {
    Ok((tick_labels_width(c, axis, true)? - tick_labels_width(c, axis, false)?).max(0.0))
}

/// The value axis of a panel of horizontal bars, widened until every bar's
/// label fits beyond the end of its bar (and interval) in a plot `width`
/// logical pixels wide.
fn fit_bar_labels<DB: DrawingBackend>(c: &Canvas<'_, DB>, p: &Panel, width: f64) -> Result<Axis, PlotError> {
    let bold = Font::new(style::NOTE, INK).bold();
    let regular = Font::new(style::NOTE, MUTED);
    let mut ends = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for b in &p.bars {
        let up = b.value >= 0.0;
        let end = match (b.interval, up) {
            (Some((_, h)), true) => h.max(b.value),
            (Some((l, _)), false) => l.min(b.value),
            (None, _) => b.value,
        };
        let mut w: f64 = 0.0;
        for (i, line) in b.label.lines().enumerate() {
            w = w.max(c.text_width(line, if i == 0 { bold } else { regular })?);
        }
        lo = lo.min(end);
        hi = hi.max(end);
        if !b.label.is_empty() {
            ends.push((up, end, w + 22.0));
        }
    }
    if ends.is_empty() || width <= 0.0 {
        return Ok(p.x.clone());
    }
    let (mut a, mut z) = (lo, hi);
    if z <= a {
        z = a + 1.0;
    }
    for _ in 0..30 {
        let per_px = (z - a) / width;
        let (mut na, mut nz) = (lo, hi);
        for &(up, end, room) in &ends {
            if up {
                nz = nz.max(end + room * per_px);
            } else {
                na = na.min(end - room * per_px);
            }
        }
        if nz <= na {
            break;
        }
        (a, z) = (na, nz);
    }
    // A little air on both sides, then ticks inside.
    let span = z - a;
    let target = ((width / 70.0) as usize).clamp(3, 8);
    let mut axis = Axis::around_zero(&p.x.title, a, z, (0.03, 0.03), target);
    axis.lo = axis.lo.min(a - 0.03 * span);
    axis.hi = axis.hi.max(z + 0.03 * span);
    Ok(axis)
}

/// Draws a panel's data in its plot area.
fn draw_content<DB: DrawingBackend>(c: &Canvas<'_, DB>, plot: &Plot, p: &Panel) -> Result<(), PlotError> {
    for cell in &p.cells {
        let (xa, ya) = plot.pt_clamped((cell.x - cell.half_width, cell.y + cell.half_height));
        let (xb, yb) = plot.pt_clamped((cell.x + cell.half_width, cell.y - cell.half_height));
        // A thin paper seam between neighbours.
        c.fill_rect((xa + 1.5, ya + 1.5), (xb - 1.5, yb - 1.5), cell.colour, 1.0)?;
    }
    for l in &p.lines {
        plot.band(c, &l.band, l.colour, l.band_alpha)?;
    }
    for r in &p.rules {
        if plot.y.fraction(r.y) >= 0.0 && plot.y.fraction(r.y) <= 1.0 {
            let y = plot.py(r.y);
            c.line(&[(plot.left, y), (plot.right, y)], r.colour, r.width)?;
        }
    }
    let h = p.horizontal_bars;
    // Data point of (category position, value).
    let at = |cat: f64, v: f64| if h { (v, cat) } else { (cat, v) };
    for b in &p.bars {
        let (xa, ya) = plot.pt_clamped(at(b.at - b.half_width, b.value));
        let (xb, yb) = plot.pt_clamped(at(b.at + b.half_width, 0.0));
        c.fill_rect((xa.min(xb), ya.min(yb)), (xa.max(xb), ya.max(yb)), b.colour, b.alpha)?;
    }
    for b in &p.bars {
        let Some((lo, hi)) = b.interval else { continue };
        let (a0, a1) = (plot.pt(at(b.at, 0.0)), plot.pt(at(b.at + b.half_width, 0.0)));
        let cap = (((a1.0 - a0.0).abs() + (a1.1 - a0.1).abs()) * 0.3).min(12.0);
        let plo = plot.pt_clamped(at(b.at, lo));
        let phi = plot.pt_clamped(at(b.at, hi));
        c.line(&[plo, phi], INK, 2.5)?;
        for e in [plo, phi] {
            if h {
                c.line(&[(e.0, e.1 - cap), (e.0, e.1 + cap)], INK, 2.5)?;
            } else {
                c.line(&[(e.0 - cap, e.1), (e.0 + cap, e.1)], INK, 2.5)?;
            }
        }
    }
    let mut order: Vec<&Line> = p.lines.iter().collect();
    order.sort_by(|a, b| a.dashed.cmp(&b.dashed).then(a.width.total_cmp(&b.width)));
    for l in order {
        draw_line(plot, c, l)?;
    }
    for b in &p.bars {
        draw_bar_label(c, plot, b, h)?;
    }
    for cell in &p.cells {
        if cell.label.is_empty() {
            continue;
        }
        let colour = if style::is_dark(cell.colour) { PAPER } else { INK };
        let f = Font::new(style::NOTE, colour);
        let (cx, cy) = plot.pt((cell.x, cell.y));
        let w = (plot.px(cell.x + cell.half_width) - plot.px(cell.x - cell.half_width)).abs();
        if c.text_width(&cell.label, f)? + 8.0 <= w {
            c.text(&cell.label, (cx, cy), f, HAlign::Center, VAlign::Middle)?;
        }
    }
    Ok(())
}

/// Writes a bar's label beyond the end of the bar and of its interval;
/// inside the bar's end when there is no room beyond it.
fn draw_bar_label<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    plot: &Plot,
    b: &Bar,
    horizontal: bool,
) -> Result<(), PlotError> {
    if b.label.is_empty() {
        return Ok(());
    }
    let lines: Vec<&str> = b.label.lines().collect();
    let up = b.value >= 0.0;
    let end = match (b.interval, up) {
        (Some((_, hi)), true) => hi.max(b.value),
        (Some((lo, _)), false) => lo.min(b.value),
        (None, _) => b.value,
    };
    let bold = Font::new(style::NOTE, INK).bold();
    let font = |i: usize, colour: Option<RGBColor>| {
        let f = if i == 0 { bold } else { Font::new(style::NOTE, MUTED) };
        match colour {
            Some(col) => Font { colour: col, ..f },
            None => f,
        }
    };
    let line_h = style::NOTE * 1.3;
    let n = lines.len() as f64;
    let cap = c.cap_height(bold);
    let block_h = cap + (n - 1.0) * line_h;
    if horizontal {
        let mut w: f64 = 0.0;
        for (i, t) in lines.iter().enumerate() {
            w = w.max(c.text_width(t, font(i, None))?);
        }
        let (x_end, yc) = plot.pt((end, b.at));
        let room = if up { plot.right - x_end } else { x_end - plot.left };
        let (x, align, colour) = if room >= w + 14.0 {
            if up {
                (x_end + 12.0, HAlign::Left, None)
            } else {
                (x_end - 12.0, HAlign::Right, None)
            }
        } else {
            // Inside the end of the bar, on its colour.
            let (x_bar, _) = plot.pt_clamped((b.value, b.at));
            let text = if style::is_dark(style::shade(b.colour, 1.0 - b.alpha)) {
                PAPER
            } else {
                INK
            };
            if up {
                (x_bar - 10.0, HAlign::Right, Some(text))
            } else {
                (x_bar + 10.0, HAlign::Left, Some(text))
            }
        };
        let top = yc - block_h / 2.0;
        for (i, t) in lines.iter().enumerate() {
            c.text(t, (x, top + i as f64 * line_h), font(i, colour), align, VAlign::Top)?;
        }
        return Ok(());
    }
    let (x, y_end) = plot.pt_clamped((b.at, end));
    // Top of the first line's capitals.
    let first_top = if up { y_end - 10.0 - block_h } else { y_end + 10.0 };
    for (i, t) in lines.iter().enumerate() {
        c.text(
            t,
            (x, first_top + i as f64 * line_h),
            font(i, None),
            HAlign::Center,
            VAlign::Top,
        )?;
    }
    Ok(())
}
