//! The charts of a comparison: turns a [`CompareCharts`] into figures.
//! Platforms keep the colours of the run charts (the same palette, the same
//! focal platform in vermillion); scenarios are told apart by line style,
//! the baseline solid. Differences are paired (scenario minus baseline,
//! replication by replication, common random numbers) and drawn with their
//! 95% confidence intervals around a zero line.
//!
//! Charts, in order: `active_users_overlay`, `users_difference`,
//! `orders_difference` (when the scenarios have users), `staleness_difference`
//! and `headline_differences`.

use super::axis::Axis;
use super::frame::Guide;
use super::legend::{Legend, LegendEntry, Swatch};
use super::panels::{Bar, Panel, PanelChart, Rule, SharedY};
use super::render::Figure;
use super::series_chart::{Line, y_extent};
use super::style::{self, INK, NEUTRAL_DARK, PlatformStyle};
use super::ticks::NumberFormat;
use super::{CompareCharts, PlotError};
use crate::core::metric::Metric;
use crate::core::numbers::{human, signed, signed_human};
use crate::experiments::compare::{HeadlineDiff, ScenarioDiff};
use crate::experiments::montecarlo::DailySeries;

/// What every chart of the comparison shares.
struct Ctx<'a> {
    input: &'a CompareCharts<'a>,
    /// The baseline's platforms.
    platforms: &'a [String],
    styles: Vec<PlatformStyle>,
    guides: Vec<Guide>,
    /// Last day of the daily series.
    horizon: f64,
}

/// Width of the neutral swatches that stand for a scenario's line style.
const SCENARIO_LINE: f64 = 3.5;

impl<'a> Ctx<'a> {
    fn new(input: &'a CompareCharts<'a>) -> Ctx<'a> {
        let platforms: &[String] = input.result.runs.first().map_or(&[], |r| r.platforms.as_slice());
        let focal = input.focal.filter(|&f| f < platforms.len());
        let horizon = input
            .result
            .runs
            .first()
            .and_then(|r| r.daily.first())
            .and_then(|s| s.days.last())
            .map_or(1.0, |d| d.day as f64)
            .max(1.0);
        Ctx {
            input,
            platforms,
            styles: style::platform_styles(platforms.len(), focal),
            guides: crate::present::plot::guides(&input.markers),
            horizon,
        }
    }

    fn names(&self) -> &'a [String] {
        &self.input.result.names
    }

    fn baseline(&self) -> &'a str {
        self.names().first().map_or("", String::as_str)
    }

    fn subtitle(&self, what: &str) -> String {
        let reps = self.input.result.runs.first().map_or(0, |r| r.replications);
        style::compare_subtitle(self.names(), reps, self.input.seed, what)
    }

    fn has_users(&self) -> bool {
        self.platforms
            .first()
            .is_some_and(|p| self.input.result.runs[0].series(p, Metric::ActiveUsers).is_some())
    }

    /// Days across a panel `columns` panels wide.
    fn day_axis(&self, columns: usize) -> Axis {
        let target = match columns {
            1 => 10,
            2 => 6,
            _ => 4,
        };
        let start = self.input.result.runs.first().and_then(|r| r.annotations.start_date);
        Axis::days(0.0, self.horizon, target, start)
    }

    /// The non-baseline scenarios' differences.
    fn diffs(&self) -> &'a [ScenarioDiff] {
        &self.input.result.diffs
    }
}

fn daily<'a>(series: &'a [DailySeries], scope: &str, metric: Metric) -> Option<&'a DailySeries> {
    series.iter().find(|s| s.scope == scope && s.metric == metric)
}

fn headline<'a>(d: &'a ScenarioDiff, scope: &str, metric: Metric) -> Option<&'a HeadlineDiff> {
    d.headlines.iter().find(|h| h.scope == scope && h.metric == metric)
}

fn value_axis(title: &str, lo: f64, hi: f64, pad: (f64, f64), target: usize) -> Axis {
    Axis::around_zero(title, lo, hi, pad, target)
}

/// Columns of a grid of `n` panels.
fn columns(n: usize) -> usize {
    match n {
        0..=3 => n.max(1),
        4 => 2,
        _ => 3,
    }
}

/// Active users of every platform, each scenario overlaid with its 5–95%
/// band: one panel per platform, on a shared scale.
fn active_users_overlay(ctx: &Ctx<'_>) -> Result<PanelChart, PlotError> {
    let runs = &ctx.input.result.runs;
    let cols = columns(ctx.platforms.len());
    let mut panels = Vec::new();
    for (p, name) in ctx.platforms.iter().enumerate() {
        let st = ctx.styles[p];
        let mut lines = Vec::new();
        for (k, run) in runs.iter().enumerate() {
            let Some(s) = run.series(name, Metric::ActiveUsers) else {
                continue;
            };
            let mut l = Line::new(
                "",
                st.colour,
                st.line_width(),
                s.days.iter().filter_map(|d| Some((d.day as f64, d.mean?))).collect(),
            );
            l.band = s
                .days
                .iter()
                .filter_map(|d| Some((d.day as f64, d.p05?, d.p95?)))
                .collect();
            l.band_alpha = st.band_alpha() * if k == 0 { 1.0 } else { 0.8 };
            l.dashed = k > 0;
            l.pattern = style::scenario_pattern(k);
            l.in_legend = false;
            lines.push(l);
        }
        if lines.is_empty() {
            return Err(PlotError::MissingSeries {
                scope: name.clone(),
                metric: Metric::ActiveUsers,
            });
        }
        let mut panel = Panel::new(ctx.day_axis(cols), Axis::fixed("", 0.0, 1.0, NumberFormat::Human, 6));
        panel.title = name.clone();
        panel.title_colour = st.colour;
        panel.note = end_note(ctx, name);
        panel.guides = ctx.guides.clone();
        panel.lines = lines;
        panels.push(panel);
    }
    // One scale for every panel, from zero, as on the run charts.
    let hi = panels
        .iter()
        .filter_map(|p| y_extent(&p.lines))
        .map(|e| e.1)
        .fold(1e-9, f64::max);
    let y = Axis::fixed("Active users", -0.02 * hi, hi * 1.05, NumberFormat::Human, 6);
    for p in &mut panels {
        p.y = y.clone();
    }
    let mut entries: Vec<LegendEntry> = ctx
        .names()
        .iter()
        .enumerate()
        .map(|(k, n)| {
            LegendEntry::new(
                Swatch::Styled {
                    colour: NEUTRAL_DARK,
                    width: SCENARIO_LINE,
                    pattern: style::scenario_pattern(k),
                    band_alpha: Some(0.18),
                    marker: None,
                },
                if k == 0 { format!("{n} (baseline)") } else { n.clone() },
            )
        })
        .collect();
    entries.push(LegendEntry::new(
        Swatch::None,
        "Colour: platform\nBand: 5–95% of\nreplications",
    ));
    let names = ctx.names();
    let title = if names.len() == 2 {
        format!("Active users per platform: {} and {}", names[0], names[1])
    } else {
        "Active users per platform in each scenario".to_string()
    };
    Ok(PanelChart {
        title,
        subtitle: ctx.subtitle("mean and 5–95% band"),
        legend: Legend {
            heading: Some("Scenario".into()),
            entries,
            scale: None,
        },
        panels,
        columns: cols,
        shared_y: SharedY::Title,
    })
}

/// "at the end: 1.52M → 412k": the platform's mean active users at the end in
/// each scenario, when there are two.
fn end_note(ctx: &Ctx<'_>, platform: &str) -> String {
    let runs = &ctx.input.result.runs;
    if runs.len() != 2 {
        return String::new();
    }
    let end = |k: usize| {
        runs[k]
            .headline(platform, Metric::ActiveUsersEnd)
            .and_then(|h| h.stat.mean)
    };
    match (end(0), end(1)) {
        (Some(a), Some(b)) => format!("at the end: {} → {}", human(a), human(b)),
        _ => String::new(),
    }
}

/// What a daily difference chart shows.
struct DiffSpec {
    metric: Metric,
    title: String,
    y_title: &'static str,
    /// The headline whose paired difference the legend quotes, and how.
    headline: Metric,
    quote: fn(f64) -> String,
}

/// The paired daily difference of `spec.metric` per platform, one panel
/// per non-baseline scenario, mean and 95% interval around a zero line.
fn difference(ctx: &Ctx<'_>, spec: &DiffSpec) -> Result<PanelChart, PlotError> {
    let diffs = ctx.diffs();
    let cols = columns(diffs.len());
    let mut panels = Vec::new();
    for d in diffs {
        let mut lines = Vec::new();
        for (p, name) in ctx.platforms.iter().enumerate() {
            let Some(s) = daily(&d.daily, name, spec.metric) else {
                continue;
            };
            let st = ctx.styles[p];
            let mut l = Line::new(
                "",
                st.colour,
                st.line_width(),
                s.days.iter().filter_map(|x| Some((x.day as f64, x.mean?))).collect(),
            );
            l.band = s
                .days
                .iter()
                .filter_map(|x| Some((x.day as f64, x.ci_low?, x.ci_high?)))
                .collect();
            l.band_alpha = st.band_alpha() + 0.06;
            l.in_legend = false;
            lines.push(l);
        }
        let mut panel = Panel::new(ctx.day_axis(cols), Axis::fixed("", 0.0, 1.0, NumberFormat::Human, 6));
        panel.title = format!("{} − {}", d.scenario, d.baseline);
        panel.guides = ctx.guides.clone();
        panel.lines = lines;
        panel.rules = vec![Rule {
            y: 0.0,
            colour: INK,
            width: 2.0,
        }];
        panels.push(panel);
    }
    if panels.iter().all(|p| p.lines.is_empty()) {
        return Err(PlotError::MissingSeries {
            scope: ctx.platforms.first().cloned().unwrap_or_default(),
            metric: spec.metric,
        });
    }
    let (lo, hi) = panels
        .iter()
        .filter_map(|p| y_extent(&p.lines))
        .fold((0.0f64, 0.0f64), |a, e| (a.0.min(e.0), a.1.max(e.1)));
    let y = value_axis(spec.y_title, lo, hi, (0.05, 0.05), 8);
    for p in &mut panels {
        p.y = y.clone();
    }
    // The legend: each platform, with the headline difference it ends on.
    let mut entries: Vec<LegendEntry> = ctx
        .platforms
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let st = ctx.styles[p];
            let quotes: Vec<String> = diffs
                .iter()
                .filter_map(|d| {
                    let m = headline(d, name, spec.headline)?.difference.mean?;
                    let q = (spec.quote)(m);
                    Some(if diffs.len() == 1 {
                        q
                    } else {
                        format!("{}: {q}", d.scenario)
                    })
                })
                .collect();
            let mut label = name.clone();
            for q in quotes {
                label.push('\n');
                label.push_str(&q);
            }
            LegendEntry {
                swatch: Swatch::LineBand {
                    colour: st.colour,
                    width: st.line_width(),
                    dashed: false,
                    alpha: st.band_alpha() + 0.06,
                },
                label,
                bold: st.focal,
            }
        })
        .collect();
    entries.push(LegendEntry::new(
        Swatch::None,
        "Line: mean difference\nBand: its 95% CI",
    ));
    Ok(PanelChart {
        title: spec.title.clone(),
        subtitle: ctx.subtitle("paired differences, common random numbers"),
        legend: Legend {
            heading: Some("Platform".into()),
            entries,
            scale: None,
        },
        panels,
        columns: cols,
        shared_y: SharedY::Title,
    })
}

/// Opacity of the bars of the k-th non-baseline scenario.
fn bar_alpha(k: usize) -> f64 {
    [1.0, 0.55, 0.3][k % 3]
}

/// Paired differences of headline metrics per platform, as horizontal bars
/// with 95% error bars, one panel per metric.
fn headline_differences(ctx: &Ctx<'_>) -> PanelChart {
    let specs: &[Metric] = if ctx.has_users() {
        &[Metric::ActiveUsersEnd, Metric::OrdersTotal, Metric::MeanStalenessDays]
    } else {
        &[Metric::MeanStalenessDays, Metric::Releases]
    };
    let diffs = ctx.diffs();
    let n = ctx.platforms.len();
    // The first platform at the top.
    let cats: Vec<(String, Option<plotters::style::RGBColor>)> = ctx
        .platforms
        .iter()
        .enumerate()
        .rev()
        .map(|(p, name)| (name.clone(), Some(ctx.styles[p].colour)))
        .collect();
    let slot = 0.72 / diffs.len().max(1) as f64;
    let mut panels = Vec::new();
    for spec in specs {
        let mut bars = Vec::new();
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for (p, name) in ctx.platforms.iter().enumerate() {
            for (k, d) in diffs.iter().enumerate() {
                let Some(h) = headline(d, name, *spec) else {
                    continue;
                };
                let Some(m) = h.difference.mean else { continue };
                let interval = h.difference.ci_low.zip(h.difference.ci_high);
                lo = lo.min(interval.map_or(m, |i| i.0.min(m)));
                hi = hi.max(interval.map_or(m, |i| i.1.max(m)));
                let suffix = spec.unit().suffix();
                let mut label = format!("{}{}", signed_human(m), suffix);
                if let Some(b) = h.baseline.mean.filter(|b| *b != 0.0 && suffix.is_empty()) {
                    label.push_str(&format!("\n{}", signed_percent(m / b)));
                }
                let centre = (n - 1 - p) as f64 + 0.36 - slot * (k as f64 + 0.5);
                bars.push(Bar {
                    at: centre,
                    half_width: slot * 0.42,
                    value: m,
                    interval,
                    colour: ctx.styles[p].colour,
                    alpha: bar_alpha(k),
                    label,
                });
            }
        }
        // The panel widens this axis until the bars' labels fit.
        let x = value_axis(&format!("Difference ({})", spec.unit().name()), lo, hi, (0.05, 0.05), 4);
        let mut panel = Panel::new(x, Axis::categories("", &cats));
        panel.title = spec.label().into();
        panel.bars = bars;
        panel.horizontal_bars = true;
        // The zero line, vertical here, through the bars' base.
        panel.lines = vec![zero_line(-0.5, n as f64 - 0.5)];
        panels.push(panel);
    }
    let names = ctx.names();
    let legend = if diffs.len() > 1 {
        Legend {
            heading: Some("Scenario".into()),
            entries: diffs
                .iter()
                .enumerate()
                .map(|(k, d)| {
                    LegendEntry::new(
                        Swatch::Area {
                            colour: NEUTRAL_DARK,
                            alpha: bar_alpha(k),
                        },
                        format!("{} − {}", d.scenario, d.baseline),
                    )
                })
                .collect(),
            scale: None,
        }
    } else {
        Legend::default()
    };
    let title = if diffs.len() == 1 {
        format!("What {} changes against {}, per platform", names[1], ctx.baseline())
    } else {
        format!("Headline differences against {}, per platform", ctx.baseline())
    };
    let cols = specs.len();
    PanelChart {
        title,
        subtitle: ctx.subtitle("paired differences · mean and 95% CI · % of the baseline"),
        legend,
        panels,
        columns: cols,
        shared_y: SharedY::TitleAndLabels,
    }
}

/// A vertical zero line from `lo` to `hi` on the category axis.
fn zero_line(lo: f64, hi: f64) -> Line {
    let mut l = Line::new("", INK, 2.0, vec![(0.0, lo), (0.0, hi)]);
    l.in_legend = false;
    l
}

/// A relative change (a share of the baseline) as a signed percentage with
/// a true minus: "−55%", "+4.1%", "0%".
fn signed_percent(share: f64) -> String {
    let pct = share * 100.0;
    let text = signed(pct, if pct.abs() >= 10.0 { 0 } else { 1 });
    if text.chars().filter(char::is_ascii_digit).all(|c| c == '0') {
        "0%".into()
    } else {
        format!("{text}%")
    }
}

/// Every chart of the comparison as `(file stem, figure)`, in the fixed order.
pub(crate) fn figures(input: &CompareCharts<'_>) -> Result<Vec<(&'static str, Figure)>, PlotError> {
    let ctx = Ctx::new(input);
    let mut out: Vec<(&'static str, Figure)> = Vec::new();
    if ctx.platforms.is_empty() || input.result.runs.is_empty() {
        return Ok(out);
    }
    let base = ctx.baseline().to_string();
    let has_diffs = !ctx.diffs().is_empty();
    if ctx.has_users() {
        out.push(("active_users_overlay", Figure::Panels(active_users_overlay(&ctx)?)));
        if has_diffs {
            let users = DiffSpec {
                metric: Metric::ActiveUsers,
                title: format!("Users lost or won against {base}"),
                y_title: "Difference in active users",
                headline: Metric::ActiveUsersEnd,
                quote: |m| format!("{} at the end", signed_human(m)),
            };
            out.push(("users_difference", Figure::Panels(difference(&ctx, &users)?)));
            let orders = DiffSpec {
                metric: Metric::Orders,
                title: format!("Orders per day lost or won against {base}"),
                y_title: "Difference in orders per day",
                headline: Metric::OrdersTotal,
                quote: |m| format!("{} over the run", signed_human(m)),
            };
            out.push(("orders_difference", Figure::Panels(difference(&ctx, &orders)?)));
        }
    }
    if has_diffs {
        let staleness = DiffSpec {
            metric: Metric::StalenessDays,
            title: format!("Age of the version users run, against {base}"),
            y_title: "Difference in days since release",
            headline: Metric::MeanStalenessDays,
            quote: |m| format!("{} d on average", signed_human(m)),
        };
        out.push(("staleness_difference", Figure::Panels(difference(&ctx, &staleness)?)));
        out.push(("headline_differences", Figure::Panels(headline_differences(&ctx))));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_written_as_signed_percentages() {
        assert_eq!(signed_percent(-0.553), "\u{2212}55%");
        assert_eq!(signed_percent(0.0412), "+4.1%");
        assert_eq!(signed_percent(0.0), "0%");
    }

    #[test]
    fn value_axes_include_zero_and_use_a_true_minus() {
        let a = value_axis("d", -800_000.0, 400_000.0, (0.05, 0.05), 6);
        assert!(a.lo < -800_000.0 && a.hi > 400_000.0);
        assert!(a.ticks.iter().any(|t| t.label.starts_with('\u{2212}')));
        let b = value_axis("d", 10.0, 20.0, (0.0, 0.0), 6);
        assert_eq!(b.lo, 0.0);
    }
}
