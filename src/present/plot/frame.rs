//! The frame shared by every chart: white page, title and subtitle at the
//! top left, the legend in a panel on the right (never over the data), and
//! the plot area sized from the measured tick labels so nothing is clipped,
//! with grid lines, ticks, tick labels and axis titles, and dated guide
//! lines whose labels sit in a band above the plot. [`Frame::draw`]
//! returns the [`Plot`] area, which maps data to the page.

use super::PlotError;
use super::axis::{Axis, Scale};
use super::canvas::Canvas;
use super::font::{Font, HAlign, VAlign};
use super::legend::Legend;
pub(crate) use super::plot_area::Plot;
use super::style::{self, AXIS, GRID, HEIGHT, INK, MARGIN, MUTED, PAPER, WIDTH};
use plotters::prelude::DrawingBackend;

/// A figure's frame.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Frame {
    /// Title: the subject.
    pub title: String,
    /// Subtitle: scenario, replications, seed, what is shown.
    pub subtitle: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Legend, drawn right of the plot.
    pub legend: Legend,
    /// Vertical guides, drawn under the data with their labels above the
    /// plot area (so they never cover data).
    pub guides: Vec<Guide>,
}

/// A vertical guide line at `x` (data units) with a label above the plot:
/// a dated policy change, the horizon...
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Guide {
    /// Position (data units of the horizontal axis).
    pub x: f64,
    /// Label.
    pub label: String,
}

/// Gap between the plot and the legend panel.
const LEGEND_GAP: f64 = 48.0;
/// Length of tick marks.
const TICK_LEN: f64 = 8.0;
/// Gap between tick marks and their labels.
const TICK_GAP: f64 = 6.0;
/// Gap between tick labels and the axis title.
const TITLE_GAP: f64 = 18.0;

fn tick_font() -> Font {
    Font::new(style::TICK, INK)
}

fn axis_font() -> Font {
    Font::new(style::AXIS_LABEL, INK)
}

/// Height of a row of guide labels.
const GUIDE_ROW: f64 = style::NOTE * 1.45;

/// Where a guide and its label go.
struct GuideLabel {
    /// Page x of the line.
    x: f64,
    /// Label.
    text: String,
    /// Label right of the line (else left of it).
    left: bool,
    /// Left end of a label pushed right to stay inside the box (it then
    /// covers its line's top).
    clamped: Option<f64>,
    /// Row of labels, 0 the top one.
    row: usize,
}

/// Places the guides inside the x range: each label right of its line
/// (left when it would run past the plot), in the lowest row where it
/// does not touch another.
fn layout_guides<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    guides: &[Guide],
    x_axis: &Axis,
    (min_x, left, right): (f64, f64, f64),
) -> Result<Vec<GuideLabel>, PlotError> {
    let note = Font::new(style::NOTE, INK);
    let mut sorted: Vec<&Guide> = guides.iter().filter(|g| g.x >= x_axis.lo && g.x <= x_axis.hi).collect();
    sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut ends: Vec<f64> = Vec::new();
    let mut out = Vec::new();
    for g in sorted {
        let x = left + x_axis.fraction(g.x) * (right - left);
        // A label wider than the plot's box is cut with an ellipsis, so
        // that it never runs into a neighbouring panel.
        let room = (right - min_x).max(40.0);
        let mut label = g.label.clone();
        let mut kept: Vec<char> = label.chars().collect();
        while !label.is_empty() && c.text_width(&label, note)? > room && kept.len() > 1 {
            kept.pop();
            label = format!("{}…", kept.iter().collect::<String>().trim_end());
        }
        let w = if label.is_empty() {
            0.0
        } else {
            c.text_width(&label, note)?
        };
        let on_right = x + 9.0 + w <= right;
        // Left of the line, but not out of the box: pushed right, over the line.
        let clamped = (!on_right && x - 9.0 - w < min_x).then_some(min_x);
        let (from, to) = match (on_right, clamped) {
            (true, _) => (x, x + 9.0 + w),
            (false, None) => (x - 9.0 - w, x),
            (false, Some(start)) => (start, start + w + 9.0),
        };
        let row = ends.iter().position(|&end| from > end + 14.0).unwrap_or(ends.len());
        if row == ends.len() {
            ends.push(to);
        } else {
            ends[row] = to;
        }
        out.push(GuideLabel {
            x,
            text: label,
            left: on_right,
            clamped,
            row,
        });
    }
    // Row 0 is drawn lowest: flip so the first-placed labels sit nearest the plot.
    let n = ends.len();
    for l in &mut out {
        l.row = n - 1 - l.row;
    }
    Ok(out)
}

/// What a plot's axes show beside the ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AxesOptions {
    /// Whether the vertical axis' title is written (small multiples that
    /// share it write it once).
    pub y_title: bool,
    /// Whether the vertical axis' tick labels are written.
    pub y_labels: bool,
}

impl Default for AxesOptions {
    fn default() -> Self {
        AxesOptions {
            y_title: true,
            y_labels: true,
        }
    }
}

/// Draws a plot's grid, guides, axes, ticks, tick labels and axis titles
/// inside the box from `x0` (left end of the vertical axis' title) and `top`
/// (top of the guide labels) to `right` (right edge of the plot) and `y1`
/// (bottom of the horizontal axis' title); returns the plot area.
pub(crate) fn draw_axes<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    (x0, top, right, y1): (f64, f64, f64, f64),
    x_axis: &Axis,
    y_axis: &Axis,
    guides: &[Guide],
    opts: AxesOptions,
) -> Result<Plot, PlotError> {
    // Plot area, from the measured labels.
    let tf = tick_font();
    let af = axis_font();
    let mut y_label_w: f64 = 0.0;
    if opts.y_labels {
        for t in &y_axis.ticks {
            y_label_w = y_label_w.max(c.text_width(&t.label, tf)?);
        }
    }
    let axis_title_h = c.cap_height(af);
    let left = if opts.y_title {
        x0 + axis_title_h + TITLE_GAP + y_label_w + TICK_GAP + TICK_LEN
    } else {
        x0 + y_label_w + TICK_GAP + TICK_LEN
    };
    let x_title_base = y1 - 0.236 * style::AXIS_LABEL / 1.164;
    let tick_h = c.cap_height(tf) + 0.236 * style::TICK / 1.164;
    let bottom = x_title_base - axis_title_h - TITLE_GAP - tick_h - TICK_GAP - TICK_LEN;
    // Guide labels in rows above the plot, then room for the highest y tick label.
    let labels = layout_guides(c, guides, x_axis, (x0, left, right))?;
    let rows = labels.iter().map(|l| l.row + 1).max().unwrap_or(0);
    let label_top = top;
    let top = top + rows as f64 * GUIDE_ROW + if rows > 0 { 10.0 } else { c.cap_height(tf) / 2.0 };
    let plot = Plot {
        left,
        top,
        right,
        bottom,
        x: x_axis.clone(),
        y: y_axis.clone(),
    };

    // Grid.
    for t in &y_axis.ticks {
        if y_axis.grid {
            let y = plot.py(t.value);
            c.line(&[(left, y), (right, y)], GRID, 1.5)?;
        }
    }
    for t in &x_axis.ticks {
        if x_axis.grid {
            let x = plot.px(t.value);
            c.line(&[(x, top), (x, bottom)], GRID, 1.5)?;
        }
    }

    // Guides: dashed lines from their label down to the axis.
    let note = Font::new(style::NOTE, INK);
    for l in &labels {
        let y0 = label_top + l.row as f64 * GUIDE_ROW;
        c.dashed(&[(l.x, y0), (l.x, bottom)], INK, 2.0, 10.0, 7.0)?;
    }
    // Labels over any line that crosses their row.
    for l in labels.iter().filter(|l| !l.text.is_empty()) {
        let y0 = label_top + l.row as f64 * GUIDE_ROW;
        let w = c.text_width(&l.text, note)?;
        let (lx, align, x0) = match (l.left, l.clamped) {
            (true, _) => (l.x + 9.0, HAlign::Left, l.x + 4.0),
            (false, None) => (l.x - 9.0, HAlign::Right, l.x - 14.0 - w),
            (false, Some(start)) => (start, HAlign::Left, start - 5.0),
        };
        c.fill_rect(
            (x0, y0 - 5.0),
            (x0 + w + 10.0, y0 + c.cap_height(note) + 6.0),
            PAPER,
            1.0,
        )?;
        c.text(&l.text, (lx, y0), note, align, VAlign::Top)?;
    }

    // Axes, ticks and labels.
    c.line(&[(left, top), (left, bottom), (right, bottom)], AXIS, 2.0)?;
    for t in &y_axis.ticks {
        let y = plot.py(t.value);
        c.line(&[(left - TICK_LEN, y), (left, y)], AXIS, 2.0)?;
        if !opts.y_labels {
            continue;
        }
        let f = Font::new(style::TICK, t.colour.unwrap_or(INK));
        let f = if t.colour.is_some() { f.bold() } else { f };
        c.text(
            &t.label,
            (left - TICK_LEN - TICK_GAP, y),
            f,
            HAlign::Right,
            VAlign::Middle,
        )?;
    }
    // A label that would touch the previous one is left out (its tick stays).
    let mut last_end = f64::NEG_INFINITY;
    for t in &x_axis.ticks {
        let x = plot.px(t.value);
        c.line(&[(x, bottom), (x, bottom + TICK_LEN)], AXIS, 2.0)?;
        let f = Font::new(style::TICK, t.colour.unwrap_or(INK));
        let half = c.text_width(&t.label, f)? / 2.0;
        if x - half < last_end + 14.0 {
            continue;
        }
        last_end = x + half;
        c.text(
            &t.label,
            (x, bottom + TICK_LEN + TICK_GAP),
            f,
            HAlign::Center,
            VAlign::Top,
        )?;
    }
    let x_title = match x_axis.scale {
        Scale::Linear => x_axis.title.clone(),
        Scale::Log => format!("{} (log scale)", x_axis.title),
    };
    c.text(
        &x_title,
        ((left + right) / 2.0, x_title_base),
        af,
        HAlign::Center,
        VAlign::Baseline,
    )?;
    if opts.y_title && !y_axis.title.is_empty() {
        c.text_up(&y_axis.title, (x0 + axis_title_h / 2.0, (top + bottom) / 2.0), af)?;
    }
    Ok(plot)
}

/// Draws the white page, the title and subtitle and the legend panel at
/// the right; returns the top of the space below the header and the right
/// end of the space left of the legend (the page's right margin without one).
pub(crate) fn draw_page<DB: DrawingBackend>(
    c: &Canvas<'_, DB>,
    title: &str,
    subtitle: &str,
    legend: &Legend,
) -> Result<(f64, f64), PlotError> {
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    c.fill_rect((0.0, 0.0), (w, h), PAPER, 1.0)?;

    // Header.
    let title_font = Font::new(style::TITLE, INK).bold();
    let mut sub = Font::new(style::SUBTITLE, MUTED);
    // A subtitle too long for the page is set smaller (down to 75%).
    let sub_w = c.text_width(subtitle, sub)?;
    if sub_w > w - 2.0 * MARGIN {
        sub.size *= ((w - 2.0 * MARGIN) / sub_w).max(0.75);
    }
    c.text(title, (MARGIN, MARGIN), title_font, HAlign::Left, VAlign::Top)?;
    let sub_top = MARGIN + c.cap_height(title_font) + 22.0;
    c.text(subtitle, (MARGIN, sub_top), sub, HAlign::Left, VAlign::Top)?;
    let header_bottom = sub_top + c.cap_height(Font::new(style::SUBTITLE, MUTED));

    // Legend panel.
    let top = header_bottom + 44.0;
    let mut right = w - MARGIN;
    if !legend.is_empty() {
        // Shrunk (down to 60%) when it would run off the page.
        let k = legend.fit(h - MARGIN - top);
        let lw = legend.width(c, k)?;
        let lx = w - MARGIN - lw;
        legend.draw(c, (lx, top), k)?;
        right = lx - LEGEND_GAP;
    }
    Ok((top, right))
}

impl Frame {
    /// Draws the page, header, legend and axes; returns the plot area.
    pub(crate) fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<Plot, PlotError> {
        let (top, mut right) = draw_page(c, &self.title, &self.subtitle, &self.legend)?;
        if self.legend.is_empty()
            && let Some(last) = self.x.ticks.last()
        {
            right -= c.text_width(&last.label, tick_font())? / 2.0;
        }
        let h = f64::from(HEIGHT);
        draw_axes(
            c,
            (MARGIN, top, right, h - MARGIN),
            &self.x,
            &self.y,
            &self.guides,
            AxesOptions::default(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::plot::legend::{LegendEntry, Swatch};
    use crate::present::plot::render::register_fonts;
    use crate::present::plot::style::Theme;
    use crate::present::plot::ticks::NumberFormat;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    /// Draws `frame` on an SVG page and returns its plot area and the SVG.
    fn layout(frame: &Frame) -> (Plot, String) {
        register_fonts().expect("the font registers");
        let mut svg = String::new();
        let plot = {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            let c = Canvas::new(&root, Theme { scale: 1.0, svg: true });
            frame.draw(&c).expect("the frame draws")
        };
        (plot, svg)
    }

    fn frame(legend: Legend, guides: Vec<Guide>) -> Frame {
        Frame {
            title: "Active users per platform".into(),
            subtitle: "guizhou · 200 replications · seed 1".into(),
            x: Axis::fixed("Day", 0.0, 240.0, NumberFormat::Days, 10),
            y: Axis::fixed("Active users", 0.0, 2_000_000.0, NumberFormat::Human, 6),
            legend,
            guides,
        }
    }

    fn entries(n: usize, label: &str) -> Legend {
        Legend {
            heading: Some("Platform".into()),
            entries: (0..n)
                .map(|i| {
                    LegendEntry::new(
                        Swatch::Line {
                            colour: INK,
                            width: 3.0,
                            dashed: false,
                        },
                        format!("{label} {i}"),
                    )
                })
                .collect(),
            scale: None,
        }
    }

    #[test]
    fn the_plot_area_keeps_the_page_margins_and_leaves_room_for_labels_and_header() {
        let (plot, _) = layout(&frame(Legend::default(), Vec::new()));
        let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
        // Tick labels and the axis title sit left of the plot, inside the margin.
        assert!(plot.left > MARGIN + 40.0, "left {}", plot.left);
        // Below the title and subtitle; above the x tick labels and title.
        assert!(plot.top > MARGIN + 60.0 && plot.top < 0.25 * h, "top {}", plot.top);
        assert!(plot.bottom < h - MARGIN - 40.0, "bottom {}", plot.bottom);
        // Without a legend the plot runs to the right margin, less half of
        // the last tick label that overhangs it.
        assert!(
            plot.right < w - MARGIN && plot.right > w - MARGIN - 40.0,
            "right {}",
            plot.right
        );
    }

    #[test]
    fn a_legend_takes_a_panel_at_the_right_and_never_covers_the_plot() {
        let (bare, _) = layout(&frame(Legend::default(), Vec::new()));
        let (with, svg) = layout(&frame(entries(3, "A rather long platform name"), Vec::new()));
        assert!(with.right < bare.right - 200.0, "{} vs {}", with.right, bare.right);
        // Every legend label is drawn right of the plot.
        assert!(svg.contains("A rather long platform name 2"));
        let text_after = svg
            .split("A rather long platform name 0")
            .next()
            .and_then(|before| before.rsplit("<text x=\"").next())
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse::<f64>().ok())
            .expect("the legend label is an SVG text");
        assert!(
            text_after > with.right,
            "legend label at {text_after}, plot ends at {}",
            with.right
        );
    }

    #[test]
    fn a_legend_too_tall_for_the_page_shrinks_but_not_below_sixty_percent() {
        let small = entries(3, "P");
        assert_eq!(small.fit(700.0), 1.0);
        let tall = entries(40, "P");
        let k = tall.fit(700.0);
        assert!((0.6..1.0).contains(&k), "scale {k}");
        assert!((tall.height(k) - 700.0).abs() < 1e-6 || k == 0.6);
        // A label over two lines takes two lines' height.
        let one = entries(1, "P").height(1.0);
        let two = entries(1, "P\nsecond line").height(1.0);
        assert!(two > one && two < 2.0 * one);
    }

    #[test]
    fn guide_labels_that_would_touch_go_to_separate_rows_and_keep_inside_the_plot() {
        let close = vec![
            Guide {
                x: 100.0,
                label: "block lifted".into(),
            },
            Guide {
                x: 104.0,
                label: "reviewers added".into(),
            },
            Guide {
                x: 238.0,
                label: "horizon of the run".into(),
            },
        ];
        register_fonts().expect("the font registers");
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let c = Canvas::new(&root, Theme { scale: 1.0, svg: true });
        let x = Axis::fixed("Day", 0.0, 240.0, NumberFormat::Days, 10);
        let placed = layout_guides(&c, &close, &x, (MARGIN, 200.0, 1400.0)).expect("the guides lay out");
        assert_eq!(placed.len(), 3);
        // The first two labels overlap on one row, so they take two rows.
        assert_ne!(placed[0].row, placed[1].row);
        // The label at the right end goes left of its line, inside the plot.
        assert!(!placed[2].left, "the last label sits left of its line");
        // A guide outside the axis range is not placed.
        let outside = [Guide {
            x: 300.0,
            label: "after".into(),
        }];
        assert!(
            layout_guides(&c, &outside, &x, (MARGIN, 200.0, 1400.0))
                .unwrap()
                .is_empty()
        );
    }
}
