//! The charts of a sweep: turns a [`SweepCharts`] into figures. For each
//! headline metric the scenario has (active users at the end, orders over
//! the run, mean staleness), its mean and 95% confidence interval against
//! the swept parameter's values (`response_<metric>`): one line per
//! platform in the run charts' colours with one parameter; with more, one
//! line per value of the other parameters for the focal platform (or the
//! first), in shades of its colour. With exactly two parameters, a heat map
//! of the focal platform's active users at the end over the grid
//! (`heatmap_active_users_end`). Numeric values are placed on a numeric
//! axis; any other value makes the axis categorical, in the order given.

use super::SweepCharts;
use super::axis::Axis;
use super::canvas::Shape;
use super::legend::{ColourScale, Legend, LegendEntry, Swatch};
use super::panels::{Cell, Panel, PanelChart, SharedY};
use super::render::Figure;
use super::series_chart::{Line, SeriesChart, y_extent};
use super::style::{self, PlatformStyle};
use super::ticks::{self, NumberFormat};
use crate::core::metric::Metric;
use crate::core::numbers::human;
use crate::experiments::sweep::SweepPoint;

/// A swept value as a number, if it is one (TOML digit separators allowed).
pub(crate) fn numeric(value: &str) -> Option<f64> {
    let v = value.trim().replace('_', "");
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A swept value as a reader should see it: TOML strings without quotes.
pub(crate) fn display(value: &str) -> String {
    let v = value.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

/// The values one parameter takes, in order of first appearance, and where
/// each sits on an axis: its number when every value is a number, else its
/// index (a categorical axis).
struct Values {
    /// Distinct values, as TOML text.
    texts: Vec<String>,
    /// Their numbers, when every value is one.
    numbers: Option<Vec<f64>>,
}

impl Values {
    fn of(points: &[SweepPoint], k: usize) -> Values {
        let mut texts: Vec<String> = Vec::new();
        for p in points {
            if let Some(v) = p.values.get(k)
                && !texts.contains(v)
            {
                texts.push(v.clone());
            }
        }
        let numbers: Option<Vec<f64>> = texts.iter().map(|t| numeric(t)).collect();
        Values { texts, numbers }
    }

    fn position(&self, text: &str) -> Option<f64> {
        let i = self.texts.iter().position(|t| t == text)?;
        Some(match &self.numbers {
            Some(n) => n[i],
            None => i as f64,
        })
    }

    /// The indices of the values in ascending order (numbers) or as given.
    fn order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.texts.len()).collect();
        if let Some(n) = &self.numbers {
            idx.sort_by(|&a, &b| n[a].total_cmp(&n[b]));
        }
        idx
    }
}

/// The headline metrics charted against the parameter, when present.
const METRICS: [Metric; 3] = [Metric::ActiveUsersEnd, Metric::OrdersTotal, Metric::MeanStalenessDays];

/// What every chart of the sweep shares.
struct Ctx<'a> {
    input: &'a SweepCharts<'a>,
    platforms: &'a [String],
    styles: Vec<PlatformStyle>,
    /// The platform the grid's lines and heat map are drawn for.
    focal: usize,
    x: Values,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a SweepCharts<'a>) -> Ctx<'a> {
        let platforms: &[String] = input
            .result
            .points
            .first()
            .map_or(&[], |p| p.result.platforms.as_slice());
        let focal = input.focal.filter(|&f| f < platforms.len());
        Ctx {
            input,
            platforms,
            styles: style::platform_styles(platforms.len(), focal),
            focal: focal.unwrap_or(0),
            x: Values::of(&input.result.points, 0),
        }
    }

    fn labels(&self) -> &'a [String] {
        &self.input.result.labels
    }

    fn points(&self) -> &'a [SweepPoint] {
        &self.input.result.points
    }

    fn subtitle(&self, what: &str) -> String {
        let reps = self.points().first().map_or(0, |p| p.result.replications);
        style::sweep_subtitle(self.input.scenario, self.points().len(), reps, self.input.seed, what)
    }

    /// The axis of the first parameter.
    fn x_axis(&self) -> Axis {
        let key = self.labels().first().map_or("", String::as_str);
        match &self.x.numbers {
            Some(n) => {
                let lo = n.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = n.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let span = if hi > lo { hi - lo } else { 1.0 };
                let days = key.ends_with("day") || key.ends_with("days");
                let format = if days { NumberFormat::Days } else { NumberFormat::Human };
                let mut a = Axis::fixed(key, lo - 0.03 * span, hi + 0.03 * span, format, 10);
                for t in &mut a.ticks {
                    t.label = ticks::true_minus(&t.label);
                }
                a
            }
            None => Axis::categories(
                key,
                &self.x.texts.iter().map(|t| (display(t), None)).collect::<Vec<_>>(),
            ),
        }
    }

    fn has(&self, metric: Metric) -> bool {
        self.points().first().is_some_and(|p| {
            self.platforms
                .first()
                .is_some_and(|name| p.result.headline(name, metric).is_some())
        })
    }

    /// A line through the points `pts` of `platform`'s `metric`, in order
    /// along the first parameter, with its 95% interval.
    fn line(&self, pts: &[&SweepPoint], platform: &str, metric: Metric, label: String, colour: PlatformStyle) -> Line {
        // (x, mean, 95% interval), in order along x.
        type Row = (f64, f64, Option<(f64, f64)>);
        let mut rows: Vec<Row> = pts
            .iter()
            .filter_map(|p| {
                let x = self.x.position(p.values.first()?)?;
                let s = &p.result.headline(platform, metric)?.stat;
                Some((x, s.mean?, s.ci_low.zip(s.ci_high)))
            })
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut l = Line::new(
            label,
            colour.colour,
            colour.line_width(),
            rows.iter().map(|r| (r.0, r.1)).collect(),
        );
        l.band = rows.iter().filter_map(|r| Some((r.0, r.2?.0, r.2?.1))).collect();
        l.band_alpha = colour.band_alpha();
        l.marker = Some(Shape::Disc);
        l.bold = colour.focal;
        l
    }

    /// Whether the first parameter's axis is categorical.
    fn categorical(&self) -> bool {
        self.x.numbers.is_none()
    }
}

/// On a categorical axis values have no order to draw a line along: the
/// line becomes its markers, its band error bars, and lines sharing the
/// axis are set side by side (`slot` of `slots`) so none hides another.
fn as_points(mut l: Line, slot: usize, slots: usize) -> Vec<Line> {
    let shift = if slots > 1 {
        (slot as f64 - (slots - 1) as f64 / 2.0) * (0.3 / slots as f64)
    } else {
        0.0
    };
    for p in &mut l.points {
        p.0 += shift;
    }
    let mut out: Vec<Line> = l
        .band
        .iter()
        .map(|&(x, lo, hi)| {
            let mut e = Line::new("", l.colour, l.width.min(3.5), vec![(x + shift, lo), (x + shift, hi)]);
            e.in_legend = false;
            e
        })
        .collect();
    l.band.clear();
    // A zero dash: no line, only the markers.
    l.dashed = true;
    l.pattern = Some((0.0, 1.0));
    out.insert(0, l);
    out
}

impl Ctx<'_> {
    /// `lines` as they are drawn on this sweep's axis.
    fn placed(&self, lines: Vec<Line>) -> Vec<Line> {
        if !self.categorical() {
            return lines;
        }
        let n = lines.len();
        lines
            .into_iter()
            .enumerate()
            .flat_map(|(i, l)| as_points(l, i, n))
            .collect()
    }
}

/// A legend label with the line's first and last values: "Taocaicai\n1.27M → 412k".
fn with_range(label: &str, l: &Line, suffix: &str) -> String {
    match (l.points.first(), l.points.last()) {
        (Some(a), Some(b)) if l.points.len() > 1 => {
            format!("{label}\n{}{suffix} → {}{suffix}", human(a.1), human(b.1))
        }
        _ => label.to_string(),
    }
}

/// A value axis for a headline metric: from zero (as on the run charts)
/// when every value is positive, else around zero.
fn metric_axis(title: &str, lines: &[Line]) -> Axis {
    let (lo, hi) = y_extent(lines).unwrap_or((0.0, 1.0));
    if lo >= 0.0 {
        let hi = hi.max(1e-9);
        Axis::fixed(title, -0.02 * hi, hi * 1.05, NumberFormat::Human, 6)
    } else {
        Axis::around_zero(title, lo, hi, (0.05, 0.05), 6)
    }
}

/// The response of `metric` to the parameters.
fn response(ctx: &Ctx<'_>, metric: Metric) -> SeriesChart {
    let keys = ctx.labels();
    let key0 = keys.first().map_or("", String::as_str);
    let points = ctx.points();
    let (lines, heading, title) = if keys.len() <= 1 {
        let all: Vec<&SweepPoint> = points.iter().collect();
        let lines: Vec<Line> = ctx
            .platforms
            .iter()
            .enumerate()
            .map(|(p, name)| {
                let mut l = ctx.line(&all, name, metric, name.clone(), ctx.styles[p]);
                l.label = with_range(name, &l, metric.unit().suffix());
                l
            })
            .collect();
        (lines, "Platform".to_string(), format!("{}, by {key0}", metric.title()))
    } else {
        // One line per combination of the other parameters' values, in
        // shades of the focal platform's colour, light to dark.
        let mut groups: Vec<(Vec<String>, Vec<&SweepPoint>)> = Vec::new();
        for p in points {
            let rest = p.values.get(1..).unwrap_or_default().to_vec();
            match groups.iter_mut().find(|g| g.0 == rest) {
                Some(g) => g.1.push(p),
                None => groups.push((rest, vec![p])),
            }
        }
        let second = Values::of(points, 1);
        if keys.len() == 2 {
            let order = second.order();
            groups.sort_by_key(|g| order.iter().position(|&i| second.texts[i] == g.0[0]));
        }
        let name = &ctx.platforms[ctx.focal];
        let st = ctx.styles[ctx.focal];
        let n = groups.len();
        let lines: Vec<Line> = groups
            .iter()
            .enumerate()
            .map(|(i, (rest, pts))| {
                let t = if n > 1 { i as f64 / (n - 1) as f64 } else { 0.5 };
                let colour = style::shade(st.colour, 0.6 - 0.95 * t);
                let label = if keys.len() == 2 {
                    display(&rest[0])
                } else {
                    keys[1..]
                        .iter()
                        .zip(rest)
                        .map(|(k, v)| format!("{k} = {}", display(v)))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let mut l = ctx.line(
                    pts,
                    name,
                    metric,
                    label,
                    PlatformStyle {
                        colour,
                        focal: false,
                        pattern: None,
                    },
                );
                l.label = with_range(&l.label, &l, metric.unit().suffix());
                l.width = style::LINE + 0.5;
                // Several bands overlap: keep each faint.
                l.band_alpha = 0.09;
                l
            })
            .collect();
        let heading = if keys.len() == 2 {
            keys[1].clone()
        } else {
            "Other parameters".to_string()
        };
        let what = metric.title().to_lowercase();
        (lines, heading, format!("{name}: {what}, by {key0}"))
    };
    let lines = ctx.placed(lines);
    let y = metric_axis(&metric.axis_title(), &lines);
    let first = ctx.x.order().first().map(|&i| display(&ctx.x.texts[i]));
    let last = ctx.x.order().last().map(|&i| display(&ctx.x.texts[i]));
    let extra_legend = match (first, last) {
        (Some(a), Some(b)) if ctx.x.texts.len() > 1 => vec![LegendEntry::new(
            Swatch::None,
            format!("a → b: values at\n{key0}\n= {a} and {b}"),
        )],
        _ => Vec::new(),
    };
    SeriesChart {
        title,
        subtitle: ctx.subtitle("common random numbers · mean and 95% CI"),
        x: ctx.x_axis(),
        y,
        lines,
        guides: Vec::new(),
        legend_heading: Some(heading),
        extra_legend,
    }
}

/// The focal platform's active users at the end over a two-parameter grid.
fn heatmap(ctx: &Ctx<'_>) -> PanelChart {
    let keys = ctx.labels();
    let points = ctx.points();
    let name = &ctx.platforms[ctx.focal];
    let (xv, yv) = (&ctx.x, Values::of(points, 1));
    let (xo, yo) = (xv.order(), yv.order());
    let labels = |v: &Values, order: &[usize]| -> Vec<(String, Option<plotters::style::RGBColor>)> {
        order.iter().map(|&i| (display(&v.texts[i]), None)).collect()
    };
    let mut values = Vec::new();
    for p in points {
        let (Some(a), Some(b)) = (p.values.first(), p.values.get(1)) else {
            continue;
        };
        let i = xo.iter().position(|&k| &xv.texts[k] == a);
        let j = yo.iter().position(|&k| &yv.texts[k] == b);
        let m = p
            .result
            .headline(name, Metric::ActiveUsersEnd)
            .and_then(|h| h.stat.mean);
        if let (Some(i), Some(j), Some(m)) = (i, j, m) {
            values.push((i as f64, j as f64, m));
        }
    }
    let lo = values.iter().map(|v| v.2).fold(f64::INFINITY, f64::min);
    let hi = values.iter().map(|v| v.2).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() && hi > lo {
        (lo, hi)
    } else if lo.is_finite() {
        (lo, lo + 1.0)
    } else {
        (0.0, 1.0)
    };
    let scale = ColourScale {
        lo,
        hi,
        stops: style::SEQUENTIAL.to_vec(),
        ticks: ticks::ticks_within(lo, hi, 5, NumberFormat::Human),
    };
    let cells = values
        .iter()
        .map(|&(i, j, m)| Cell {
            x: i,
            y: j,
            half_width: 0.5,
            half_height: 0.5,
            colour: scale.colour(m),
            label: human(m),
        })
        .collect();
    let mut panel = Panel::new(
        Axis::categories(keys.first().map_or("", String::as_str), &labels(xv, &xo)),
        Axis::categories(keys.get(1).map_or("", String::as_str), &labels(&yv, &yo)),
    );
    panel.cells = cells;
    PanelChart {
        title: format!("{name}: active users at the end of the run"),
        subtitle: ctx.subtitle("common random numbers · mean per grid point"),
        legend: Legend {
            heading: Some("Active users".into()),
            entries: vec![LegendEntry::new(Swatch::None, format!("at the end,\n{name}"))],
            scale: Some(scale),
        },
        panels: vec![panel],
        columns: 1,
        shared_y: SharedY::No,
    }
}

/// Every chart of the sweep as `(file stem, figure)`, in the fixed order.
pub(crate) fn figures(input: &SweepCharts<'_>) -> Vec<(String, Figure)> {
    let ctx = Ctx::new(input);
    let mut out: Vec<(String, Figure)> = Vec::new();
    if ctx.platforms.is_empty() || ctx.points().is_empty() {
        return out;
    }
    for m in METRICS {
        if ctx.has(m) {
            out.push((format!("response_{m}"), Figure::Series(response(&ctx, m))));
        }
    }
    if ctx.labels().len() == 2 && ctx.has(Metric::ActiveUsersEnd) {
        out.push((
            format!("heatmap_{}", Metric::ActiveUsersEnd),
            Figure::Panels(heatmap(&ctx)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swept_values_are_read_as_numbers_or_shown_without_quotes() {
        assert_eq!(numeric("30"), Some(30.0));
        assert_eq!(numeric("8_000_000"), Some(8e6));
        assert_eq!(numeric("0.004"), Some(0.004));
        assert_eq!(numeric("\"blocked\""), None);
        assert_eq!(numeric("nan"), None);
        assert_eq!(display("\"blocked\""), "blocked");
        assert_eq!(
            display("{ dist = \"exponential\", mean = 30 }"),
            "{ dist = \"exponential\", mean = 30 }"
        );
    }
}
