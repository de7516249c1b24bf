//! The charts of a sensitivity analysis, drawn from a
//! [`SensitivityResult`] for each output the caller picks, in the house
//! style: a tornado (each parameter's paired change from the base at its
//! low and high value, with 95% intervals, sorted by swing), Sobol indices
//! (first-order and total side by side per parameter, with bootstrap
//! intervals, sorted by total), a Morris mu*-sigma scatter (labelled
//! points), and the distribution of an output over the parameters'
//! uncertainty (a histogram with the 5th, 50th and 95th percentiles).
//! One chart per output, named `<method>_<scope>_<metric>` (lower case,
//! anything but letters and digits turned into `_`).

pub(crate) mod scatter;

use super::axis::Axis;
use super::canvas::Shape;
use super::frame::Guide;
use super::legend::{Legend, LegendEntry, Swatch};
use super::panels::{Bar, Panel, PanelChart, SharedY};
use super::render::{self, Figure};
use super::series_chart::Line;
use super::style::{self, INK, NEUTRAL_DARK, PLATFORM_COLOURS};
use super::ticks::{NumberFormat, nice_step};
use super::{Format, PlotError};
use crate::analysis::sensitivity::{Index, Method, Record, SensitivityResult};
use crate::core::metric::Unit;
use crate::core::numbers::{Shown, fixed, parameter};
use plotters::style::RGBColor;
use scatter::{LabelledPoint, Scatter};

/// An output to chart, with how readers call it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charted {
    /// Platform name, `gatekeeper` or `market`.
    pub scope: String,
    /// Metric name.
    pub metric: String,
    /// The metric as readers call it: "Active users at the end".
    pub label: String,
    /// When the output is a paired difference from a contrast, what the
    /// contrast is called ("updating weekly").
    pub against: Option<String>,
}

/// Everything the charts of an analysis are drawn from.
#[derive(Clone, Debug)]
pub struct SensitivityCharts<'a> {
    /// The analysis.
    pub result: &'a SensitivityResult,
    /// Scenario name.
    pub scenario: &'a str,
    /// The outputs to chart, in order (outputs the result lacks are skipped).
    pub charted: Vec<Charted>,
}

/// Blue: the low end, first-order indices, the points of a scatter.
const BLUE: RGBColor = PLATFORM_COLOURS[0];
/// Orange: the high end.
const ORANGE: RGBColor = PLATFORM_COLOURS[2];
/// Sky blue: total indices.
const SKY: RGBColor = PLATFORM_COLOURS[4];

/// Renders the charts of `input.result`'s method for every charted output,
/// in each of `formats`: `(file name, bytes)`, output by output, each in
/// the order of `formats`.
pub fn sensitivity_charts(
    input: &SensitivityCharts<'_>,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    let mut out = Vec::new();
    if formats.is_empty() {
        return Ok(out);
    }
    render::register_fonts()?;
    for (stem, figure) in figures(input) {
        let mut done: Vec<Format> = Vec::new();
        for &f in formats {
            if !done.contains(&f) {
                done.push(f);
                out.push((format!("{stem}.{}", f.extension()), render::render(&figure, f)?));
            }
        }
    }
    Ok(out)
}

/// Every chart as `(file stem, figure)`.
fn figures(input: &SensitivityCharts<'_>) -> Vec<(String, Figure)> {
    let r = input.result;
    input
        .charted
        .iter()
        .filter_map(|ch| {
            let o = r.output(&ch.scope, &ch.metric)?;
            let ctx = Ctx {
                input,
                chart: ch,
                output: o,
            };
            let figure = match r.method {
                Method::Tornado => Figure::Panels(tornado(&ctx)?),
                Method::Sobol => Figure::Panels(sobol(&ctx)?),
                Method::Morris => Figure::Scatter(morris(&ctx)?),
                Method::Uncertainty => Figure::Panels(uncertainty(&ctx)?),
            };
            Some((stem(r.method.name(), &ch.scope, &ch.metric), figure))
        })
        .collect()
}

/// `<method>_<scope>_<metric>`, lower case, runs of anything but letters
/// and digits turned into one `_`.
pub(crate) fn stem(method: &str, scope: &str, metric: &str) -> String {
    let mut s = String::new();
    for ch in format!("{method}_{scope}_{metric}").chars() {
        if ch.is_alphanumeric() {
            s.extend(ch.to_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    s.trim_matches('_').to_string()
}

/// One chart's inputs.
struct Ctx<'a> {
    input: &'a SensitivityCharts<'a>,
    chart: &'a Charted,
    output: usize,
}

impl Ctx<'_> {
    fn result(&self) -> &SensitivityResult {
        self.input.result
    }

    fn unit(&self) -> &str {
        &self.result().outputs[self.output].unit
    }

    fn record(&self, parameter: Option<&str>, index: Index) -> Option<&Record> {
        self.result()
            .record(parameter, &self.chart.scope, &self.chart.metric, index)
    }

    fn estimate(&self, parameter: Option<&str>, index: Index) -> Option<f64> {
        self.record(parameter, index)?.estimate
    }

    fn interval(&self, parameter: Option<&str>, index: Index) -> Option<(f64, f64)> {
        let r = self.record(parameter, index)?;
        r.ci_low.zip(r.ci_high)
    }

    fn subtitle(&self, what: &str) -> String {
        let r = self.result();
        style::sweep_subtitle(self.input.scenario, r.points, r.replications as u64, r.seed, what)
    }

    /// "Taocaicai: " (the scope, capitalised).
    fn scope(&self) -> String {
        capitalised(&self.chart.scope)
    }

    /// The label, starting lower case unless it starts with an acronym.
    fn label_lower(&self) -> String {
        let l = &self.chart.label;
        let mut chars = l.chars();
        match (chars.next(), chars.next()) {
            (Some(a), Some(b)) if b.is_lowercase() => a.to_lowercase().chain(l.chars().skip(1)).collect(),
            _ => l.clone(),
        }
    }

    /// The metric, and the contrast it is read against: "active users at
    /// the end vs updating weekly".
    fn what(&self) -> String {
        match &self.chart.against {
            Some(a) => format!("{} vs {a}", self.label_lower()),
            None => self.label_lower(),
        }
    }

    /// The quantity analysed, lower case: the metric, or "the difference".
    fn quantity(&self) -> String {
        match &self.chart.against {
            Some(_) => "the difference".into(),
            None => self.label_lower(),
        }
    }

    /// The metric with its unit, for an axis: "Mean staleness (days)",
    /// "Active users at the end, difference from updating weekly".
    fn axis_label(&self) -> String {
        let label = match &self.chart.against {
            Some(a) => format!("{}, difference from {a}", self.chart.label),
            None => self.chart.label.clone(),
        };
        match self.unit() {
            "days" => format!("{label} (days)"),
            "hours" => format!("{label} (hours)"),
            _ => label,
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|a| a.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// How values of the unit named `unit` are written.
fn shown(unit: &str) -> Shown {
    Shown::new(Unit::named(unit).unwrap_or(Unit::Users))
}

/// A value in `unit`, for a reader: 1.52M, 25.6%, 12.3 d.
fn value_text(v: f64, unit: &str) -> String {
    shown(unit).level(v)
}

/// A difference in `unit`, signed with a true minus: +412.3k, −2.1 pp.
fn change_text(v: f64, unit: &str) -> String {
    shown(unit).difference(v)
}

/// A parameter's value with three significant figures: 0.5, 1.25, 0.0012,
/// 36.5, 1.2k, 3.5e-5.
fn param_text(v: f64) -> String {
    parameter(v)
}

/// An index (a share of variance) with two decimals and a true minus.
fn index_text(v: f64) -> String {
    fixed(v, 2)
}

/// A vertical line at 0 from `lo` to `hi` on the category axis.
fn zero_line(lo: f64, hi: f64) -> Line {
    let mut l = Line::new("", INK, 2.0, vec![(0.0, lo), (0.0, hi)]);
    l.in_legend = false;
    l
}

/// The parameters sorted by `key` (largest first, undefined last), as
/// their indices.
fn sorted_by(n: usize, key: impl Fn(usize) -> Option<f64>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        match (ka, kb) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(a.cmp(&b))
    });
    order
}

/// A panel of two horizontal bars per parameter, in `order` from the top:
/// `bars(i)` gives parameter `i`'s upper and lower bar.
fn paired_bars(ctx: &Ctx<'_>, order: &[usize], x_title: &str, bars: impl Fn(usize) -> [Option<Bar>; 2]) -> Panel {
    let params = &ctx.result().parameters;
    let n = order.len();
    // The first in `order` at the top: category n - 1.
    let cats: Vec<(String, Option<RGBColor>)> = order.iter().rev().map(|&i| (params[i].name.clone(), None)).collect();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    let mut all = Vec::new();
    for (row, &i) in order.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        for (k, bar) in bars(i).into_iter().enumerate() {
            let Some(mut b) = bar else { continue };
            b.at = y + if k == 0 { 0.2 } else { -0.2 };
            b.half_width = 0.18;
            let (a, z) = b.interval.unwrap_or((b.value, b.value));
            lo = lo.min(a.min(b.value));
            hi = hi.max(z.max(b.value));
            all.push(b);
        }
    }
    // The panel widens this axis until the bars' labels fit.
    let x = Axis::around_zero(x_title, lo, hi, (0.05, 0.05), 6);
    let mut panel = Panel::new(x, Axis::categories("", &cats));
    panel.bars = all;
    panel.horizontal_bars = true;
    panel.lines = vec![zero_line(-0.5, n as f64 - 0.5)];
    panel
}

fn bar(value: f64, interval: Option<(f64, f64)>, colour: RGBColor, label: String) -> Bar {
    Bar {
        at: 0.0,
        half_width: 0.0,
        value,
        interval,
        colour,
        alpha: 1.0,
        label,
    }
}

fn single(title: String, subtitle: String, legend: Legend, panel: Panel) -> PanelChart {
    PanelChart {
        title,
        subtitle,
        legend,
        panels: vec![panel],
        columns: 1,
        shared_y: SharedY::No,
    }
}

/// The tornado: each parameter's paired change from the base at its low
/// and high value, with 95% intervals, sorted by swing.
fn tornado(ctx: &Ctx<'_>) -> Option<PanelChart> {
    let params = &ctx.result().parameters;
    let unit = ctx.unit();
    let name = |i: usize| Some(params[i].name.as_str());
    let order = sorted_by(params.len(), |i| ctx.estimate(name(i), Index::Swing).map(f64::abs));
    // Labels of two lines (the change, then the parameter's value) fit
    // when the two bars of a row point opposite ways and the rows are tall
    // enough; otherwise one line each.
    let two_lines = |i: usize| {
        let sign = |index| ctx.estimate(name(i), index).map(|v: f64| v >= 0.0);
        params.len() <= 6 && sign(Index::Low) != sign(Index::High)
    };
    let end_bar = |i: usize, index: Index, at: f64, colour: RGBColor| {
        let v = ctx.estimate(name(i), index)?;
        let sep = if two_lines(i) { "\n" } else { " " };
        let label = format!("{}{sep}at {}", change_text(v, unit), param_text(at));
        Some(bar(v, ctx.interval(name(i), index), colour, label))
    };
    let x_title = format!("Change in {} from the base", ctx.quantity());
    let panel = paired_bars(ctx, &order, &x_title, |i| {
        [
            end_bar(i, Index::Low, params[i].low, BLUE),
            end_bar(i, Index::High, params[i].high, ORANGE),
        ]
    });
    let base = ctx.estimate(None, Index::Base)?;
    let legend = Legend {
        heading: Some("Parameter at".into()),
        entries: vec![
            LegendEntry::new(
                Swatch::Area {
                    colour: BLUE,
                    alpha: 1.0,
                },
                "its low value",
            ),
            LegendEntry::new(
                Swatch::Area {
                    colour: ORANGE,
                    alpha: 1.0,
                },
                "its high value",
            ),
            LegendEntry::new(
                Swatch::None,
                "The others at the base.\nBars: mean paired change;\nwhiskers: its 95% CI",
            ),
        ],
        scale: None,
    };
    let base = if ctx.chart.against.is_some() {
        change_text(base, unit)
    } else {
        value_text(base, unit)
    };
    let (title, subtitle) = match &ctx.chart.against {
        Some(_) => (
            format!("{}: {}", ctx.scope(), ctx.what()),
            format!("paired difference, one assumption at a time · base {base}"),
        ),
        None => (
            format!("{}: {}, one assumption at a time", ctx.scope(), ctx.what()),
            format!("base {base}"),
        ),
    };
    Some(single(title, ctx.subtitle(&subtitle), legend, panel))
}

/// Sobol indices: first-order and total side by side per parameter, with
/// bootstrap intervals, sorted by total.
fn sobol(ctx: &Ctx<'_>) -> Option<PanelChart> {
    let params = &ctx.result().parameters;
    let name = |i: usize| Some(params[i].name.as_str());
    let order = sorted_by(params.len(), |i| ctx.estimate(name(i), Index::Total));
    let index_bar = |i: usize, index: Index, colour: RGBColor| {
        let v = ctx.estimate(name(i), index)?;
        Some(bar(v, ctx.interval(name(i), index), colour, index_text(v)))
    };
    let x_title = format!("Share of the variance of {}", ctx.quantity());
    let mut panel = paired_bars(ctx, &order, &x_title, |i| {
        [index_bar(i, Index::FirstOrder, BLUE), index_bar(i, Index::Total, SKY)]
    });
    if panel.bars.is_empty() {
        return None;
    }
    if let Some(sum) = ctx.estimate(None, Index::SumFirstOrder) {
        panel.note = match ctx.interval(None, Index::SumFirstOrder) {
            Some((a, b)) => format!(
                "Sum of first-order indices {} (95% CI {} to {}); 1 means the effects add up",
                index_text(sum),
                index_text(a),
                index_text(b)
            ),
            None => format!(
                "Sum of first-order indices {}; 1 means the effects add up",
                index_text(sum)
            ),
        };
    }
    let r = ctx.result();
    let legend = Legend {
        heading: Some("Index".into()),
        entries: vec![
            LegendEntry::new(
                Swatch::Area {
                    colour: BLUE,
                    alpha: 1.0,
                },
                "First order:\nthe parameter alone",
            ),
            LegendEntry::new(
                Swatch::Area {
                    colour: SKY,
                    alpha: 1.0,
                },
                "Total: with all its\ninteractions",
            ),
            LegendEntry::new(
                Swatch::None,
                format!("Whiskers: bootstrap\n95% CI ({} resamples)", r.resamples),
            ),
        ],
        scale: None,
    };
    Some(single(
        match &ctx.chart.against {
            Some(_) => format!("{}: what drives {}", ctx.scope(), ctx.what()),
            None => format!("{}: which assumptions drive {}", ctx.scope(), ctx.what()),
        },
        ctx.subtitle(&format!("Saltelli's scheme, N = {}", r.samples)),
        legend,
        panel,
    ))
}

/// Morris' mu*-sigma scatter, one labelled point per parameter with the
/// bootstrap interval of mu*.
fn morris(ctx: &Ctx<'_>) -> Option<Scatter> {
    let params = &ctx.result().parameters;
    let mut points = Vec::new();
    for p in params {
        let name = Some(p.name.as_str());
        let (Some(mu_star), Some(sigma)) = (ctx.estimate(name, Index::MuStar), ctx.estimate(name, Index::Sigma)) else {
            continue;
        };
        points.push(LabelledPoint {
            x: mu_star,
            y: sigma,
            label: p.name.clone(),
            x_interval: ctx.interval(name, Index::MuStar),
        });
    }
    if points.is_empty() {
        return None;
    }
    // The most influential first: they choose their label places first.
    points.sort_by(|a, b| b.x.total_cmp(&a.x));
    let x_hi = points
        .iter()
        .map(|p| p.x_interval.map_or(p.x, |i| i.1.max(p.x)))
        .fold(0.0f64, f64::max);
    let y_hi = points.iter().map(|p| p.y).fold(0.0f64, f64::max);
    let x_hi = if x_hi > 0.0 { x_hi } else { 1.0 };
    let y_hi = if y_hi > 0.0 { y_hi } else { 1.0 };
    let x = Axis::fixed(
        &format!("μ*: mean absolute effect on {} over each range", ctx.quantity()),
        0.0,
        x_hi * 1.1,
        NumberFormat::Human,
        7,
    );
    let y = Axis::fixed("σ: spread of the effects", 0.0, y_hi * 1.15, NumberFormat::Human, 6);
    let top = x.hi.max(y.hi);
    let mut diagonal = Line::new("", NEUTRAL_DARK, 2.0, vec![(0.0, 0.0), (top, top)]);
    diagonal.dashed = true;
    diagonal.in_legend = false;
    let r = ctx.result();
    let legend = Legend {
        heading: Some("Parameter".into()),
        entries: vec![
            LegendEntry::new(
                Swatch::Marker {
                    shape: Shape::Disc,
                    colour: BLUE,
                },
                "mean absolute\neffect μ* and\nits spread σ",
            ),
            LegendEntry::new(
                Swatch::Line {
                    colour: BLUE,
                    width: 2.5,
                    dashed: false,
                },
                format!("bootstrap 95% CI\nof μ* ({} resamples)", r.resamples),
            ),
            LegendEntry::new(
                Swatch::Line {
                    colour: NEUTRAL_DARK,
                    width: 2.0,
                    dashed: true,
                },
                "σ = μ*: effects vary\nas much as they\naverage (non-linear\nor interacting)",
            ),
        ],
        scale: None,
    };
    Some(Scatter {
        title: match &ctx.chart.against {
            Some(_) => format!("{}: screening {}", ctx.scope(), ctx.what()),
            None => format!("{}: screening the assumptions for {}", ctx.scope(), ctx.what()),
        },
        subtitle: ctx.subtitle(&format!("Morris, {} trajectories", r.samples)),
        x,
        y,
        colour: BLUE,
        points,
        lines: vec![diagonal],
        legend,
    })
}

/// The distribution of the output over the parameters' uncertainty: a
/// histogram of the point means with the 5th, 50th and 95th percentiles.
fn uncertainty(ctx: &Ctx<'_>) -> Option<PanelChart> {
    let values: Vec<f64> = ctx
        .result()
        .distributions
        .get(ctx.output)?
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return None;
    }
    let unit = ctx.unit();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) * 0.1 };
    // About sqrt(n) bins, on a nice step.
    let target = (values.len() as f64).sqrt().clamp(8.0, 40.0) as usize;
    let step = nice_step(span, target);
    let first = (lo / step).floor() * step;
    let bins = (((hi - first) / step).floor() as usize + 1).max(1);
    let mut counts = vec![0usize; bins];
    for v in &values {
        counts[(((v - first) / step).floor() as usize).min(bins - 1)] += 1;
    }
    let n = values.len() as f64;
    let bars: Vec<Bar> = counts
        .iter()
        .enumerate()
        .map(|(k, &c)| Bar {
            at: first + (k as f64 + 0.5) * step,
            half_width: step * 0.47,
            value: c as f64 / n,
            interval: None,
            colour: BLUE,
            alpha: 0.85,
            label: String::new(),
        })
        .collect();
    let top = counts.iter().copied().max().unwrap_or(1) as f64 / n;
    let format = if unit == "share" {
        NumberFormat::Percent
    } else {
        NumberFormat::Human
    };
    let x = Axis::rounded(&ctx.axis_label(), first, first + bins as f64 * step, format, 8);
    let y = Axis::rounded(
        "Share of the sampled assumptions",
        0.0,
        top * 1.05,
        NumberFormat::Percent,
        6,
    );
    let mut panel = Panel::new(x, y);
    panel.bars = bars;
    // Against a contrast, the values are differences.
    let value_text = |v: f64, unit: &str| {
        if ctx.chart.against.is_some() {
            change_text(v, unit)
        } else {
            value_text(v, unit)
        }
    };
    panel.guides = [
        (Index::P05, "5th percentile"),
        (Index::P50, "median"),
        (Index::P95, "95th"),
    ]
    .iter()
    .filter_map(|&(index, what)| {
        let v = ctx.estimate(None, index)?;
        Some(Guide {
            x: v,
            label: format!("{what} {}", value_text(v, unit)),
        })
    })
    .collect();
    let mut note = String::new();
    if let Some(m) = ctx.estimate(None, Index::Mean) {
        note.push_str(&format!("Mean {}", value_text(m, unit)));
        if let Some((a, b)) = ctx.interval(None, Index::Mean) {
            note.push_str(&format!("\n95% CI {} to {}", value_text(a, unit), value_text(b, unit)));
        }
    }
    if let Some(s) = ctx.estimate(None, Index::NoiseShare) {
        let share = if s < 0.001 {
            "below 0.1%".to_string()
        } else {
            crate::core::numbers::percent(s, 1)
        };
        note.push_str(&format!("\nMonte Carlo noise:\n{share} of the variance"));
    }
    let mut entries = vec![
        LegendEntry::new(
            Swatch::Area {
                colour: BLUE,
                alpha: 0.85,
            },
            "One value per draw\nof the assumptions\n(the mean of its\nreplications)",
        ),
        LegendEntry::new(
            Swatch::Line {
                colour: INK,
                width: 2.0,
                dashed: true,
            },
            "5th, 50th and 95th\npercentiles",
        ),
    ];
    if !note.is_empty() {
        entries.push(LegendEntry::new(Swatch::None, note.trim_start().to_string()));
    }
    let r = ctx.result();
    Some(single(
        match &ctx.chart.against {
            Some(_) => format!("{}: range of {}", ctx.scope(), ctx.what()),
            None => format!("{}: {} over the plausible assumptions", ctx.scope(), ctx.what()),
        },
        ctx.subtitle(&format!(
            "Latin hypercube over the {} parameters' distributions",
            r.parameters.len()
        )),
        Legend {
            heading: None,
            entries,
            scale: None,
        },
        panel,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_lower_case_with_single_underscores() {
        assert_eq!(
            stem("tornado", "Meituan Select", "active_users_end"),
            "tornado_meituan_select_active_users_end"
        );
        assert_eq!(stem("sobol", "market", "orders_total"), "sobol_market_orders_total");
    }

    #[test]
    fn numbers_are_written_for_readers() {
        assert_eq!(param_text(0.5), "0.5");
        assert_eq!(param_text(36.5), "36.5");
        assert_eq!(param_text(0.000_035), "3.5e-5");
        assert_eq!(param_text(-2.0), "\u{2212}2");
        assert_eq!(index_text(-0.001), "0.00");
        assert_eq!(index_text(-0.02), "\u{2212}0.02");
        assert_eq!(change_text(-0.021, "share"), "\u{2212}2.1 pp");
        assert_eq!(change_text(0.0, "share"), "0.0 pp");
        assert_eq!(value_text(0.256, "share"), "25.6%");
        assert_eq!(change_text(3.0, "days"), "+3.0 d");
        assert_eq!(change_text(-412_300.0, "users"), "\u{2212}412.3k");
    }
}
