//! The charts of a calibration, drawn from a [`CalibrationResult`]:
//!
//! - `fit_<scope>_<metric>`, one per observed series: the observations as
//!   points (with their standard errors as 95% bars where the file gives
//!   them) against the posterior predictive's median and 90% band on
//!   every day of the run;
//! - `posteriors`: one panel per parameter, the posterior as a weighted
//!   histogram against the prior's density (dashed), the 90% credible
//!   interval marked;
//! - `pairs`: the most correlated pairs of parameters (up to six), each
//!   particle a point;
//! - `generations`: the tolerance and the acceptance rate by generation.
//!
//! Names are lower case, anything but letters and digits turned into `_`.

use super::axis::Axis;
use super::canvas::Shape;
use super::frame::Guide;
use super::legend::{Legend, LegendEntry, Swatch};
use super::panels::{Bar, Panel, PanelChart, Rule, SharedY};
use super::render::{self, Figure};
use super::series_chart::Line;
use super::style::{INK, MUTED, PLATFORM_COLOURS, VERMILLION};
use super::ticks::NumberFormat;
use super::{Format, PlotError};
use crate::analysis::abc::Population;
use crate::core::metric::Unit;
use crate::core::numbers::{counted, fixed, parameter};
use crate::experiments::calibrate::posterior::SeriesFit;
use crate::experiments::calibrate::result::CalibrationResult;

/// Blue: the posterior.
const BLUE: plotters::style::RGBColor = PLATFORM_COLOURS[0];

/// Bins of a posterior histogram.
const BINS: usize = 30;
/// Pairs drawn at most.
const PAIRS: usize = 6;

/// Markers alone at `points` (one line of one point each, so that no line
/// joins them), the first in the legend as `label`.
fn dots(label: &str, colour: plotters::style::RGBColor, width: f64, points: &[(f64, f64)]) -> Vec<Line> {
    points
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let mut l = Line::new(label, colour, width, vec![p]);
            l.marker = Some(Shape::Disc);
            l.in_legend = i == 0;
            l
        })
        .collect()
}

/// A file stem from its parts: lower case, runs of anything but letters and
/// digits made one `_`.
fn stem(parts: &[&str]) -> String {
    let mut out = String::new();
    for c in parts.join("_").chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The subtitle of every chart.
fn subtitle(r: &CalibrationResult, what: &str) -> String {
    format!(
        "scenario {} · calibrated to {} · {} · {} · seed {} · {what}",
        r.scenario,
        r.data_file,
        counted(r.options.particles, "particle"),
        counted(r.simulations, "simulation"),
        r.options.seed
    )
}

/// One page of panels.
fn page(title: String, subtitle: String, legend: Vec<LegendEntry>, panels: Vec<Panel>, columns: usize) -> PanelChart {
    PanelChart {
        title,
        subtitle,
        legend: Legend {
            heading: None,
            entries: legend,
            scale: None,
        },
        panels,
        columns,
        shared_y: SharedY::No,
    }
}

/// The axis format of a unit.
fn format_of(unit: Unit) -> NumberFormat {
    if unit == Unit::Share {
        NumberFormat::Percent
    } else {
        NumberFormat::Human
    }
}

/// The chart of one observed series against the posterior predictive.
fn fit(r: &CalibrationResult, f: &SeriesFit) -> (String, Figure) {
    let median: Vec<(f64, f64)> = f.band.iter().map(|b| (f64::from(b.0), b.2)).collect();
    let band: Vec<(f64, f64, f64)> = f.band.iter().map(|b| (f64::from(b.0), b.1, b.3)).collect();
    let observed: Vec<(f64, f64)> = f.days.iter().zip(&f.values).map(|(&d, &v)| (f64::from(d), v)).collect();
    let bars: Vec<(f64, f64, f64)> = f
        .days
        .iter()
        .zip(&f.values)
        .zip(&f.standard_errors)
        .filter_map(|((&d, &v), se)| se.map(|s| (f64::from(d), v - 1.96 * s, v + 1.96 * s)))
        .collect();
    let ys = band
        .iter()
        .flat_map(|b| [b.1, b.2])
        .chain(observed.iter().map(|p| p.1))
        .chain(bars.iter().flat_map(|b| [b.1, b.2]))
        .filter(|y| y.is_finite());
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let (lo, hi) = if lo.is_finite() { (lo.min(0.0), hi) } else { (0.0, 1.0) };
    let unit = f.metric.unit();
    let x = Axis::days(0.0, f64::from(r.horizon_days), 8, r.start_date);
    let y = Axis::rounded(&f.metric.axis_title(), lo, hi, format_of(unit), 6);
    let mut panel = Panel::new(x, y);
    let mut predictive = Line::new("Posterior predictive:\nmedian and 90% band", BLUE, 3.0, median);
    predictive.band = band;
    predictive.band_alpha = 0.22;
    panel.lines.push(predictive);
    for (d, a, b) in &bars {
        let mut bar = Line::new("", INK, 2.0, vec![(*d, *a), (*d, *b)]);
        bar.in_legend = false;
        panel.lines.push(bar);
    }
    panel.lines.extend(dots("Observed", INK, 4.0, &observed));
    let mut legend: Vec<LegendEntry> = panel
        .lines
        .iter()
        .filter(|l| l.in_legend)
        .map(Line::legend_entry)
        .collect();
    if !bars.is_empty() {
        legend.push(LegendEntry::new(
            Swatch::Line {
                colour: INK,
                width: 2.0,
                dashed: false,
            },
            "±1.96 standard errors",
        ));
    }
    let chart = page(
        format!("{}: {}, observed and predicted", f.scope, f.metric.label()),
        subtitle(r, "the band holds 90% of the posterior's simulations"),
        legend,
        vec![panel],
        1,
    );
    (stem(&["fit", &f.scope, f.metric.name()]), Figure::Panels(chart))
}

/// The horizontal range a parameter's panel spans: every particle, and
/// half as much again on each side, within the prior's central 99.8%.
fn span(r: &CalibrationResult, post: &Population, j: usize) -> (f64, f64) {
    let (a, b) = r.prior.parameters()[j].interval(0.998);
    let xs = post.parameters().iter().map(|t| t[j]);
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let pad = 0.5 * (hi - lo);
    let (lo, hi) = ((lo - pad).max(a.min(lo)), (hi + pad).min(b.max(hi)));
    if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) }
}

/// The panel of parameter `j`: its weighted posterior histogram and the
/// prior's density.
fn posterior_panel(r: &CalibrationResult, post: &Population, j: usize) -> Panel {
    let (lo, hi) = span(r, post, j);
    let step = (hi - lo) / BINS as f64;
    let mut mass = [0.0; BINS];
    for (t, w) in post.parameters().iter().zip(post.weights()) {
        let k = (((t[j] - lo) / step).floor() as usize).min(BINS - 1);
        mass[k] += w;
    }
    let bars: Vec<Bar> = mass
        .iter()
        .enumerate()
        .map(|(k, &m)| Bar {
            at: lo + (k as f64 + 0.5) * step,
            half_width: step * 0.47,
            value: m / step,
            interval: None,
            colour: BLUE,
            alpha: 0.8,
            label: String::new(),
        })
        .collect();
    let prior = &r.prior.parameters()[j];
    let density: Vec<(f64, f64)> = (0..=200)
        .map(|i| {
            let x = lo + (hi - lo) * f64::from(i) / 200.0;
            (x, prior.ln_density(x).map_or(0.0, libm::exp))
        })
        .collect();
    let top = bars
        .iter()
        .map(|b| b.value)
        .chain(density.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    // The panel's title names the parameter; with many panels the axes
    // keep their room for the plot (the legend says what is drawn).
    let many = r.parameters.len() > 4;
    let x = Axis::fixed("", lo, hi, NumberFormat::Human, if many { 3 } else { 4 });
    let y = Axis::fixed(
        if many { "" } else { "Density" },
        0.0,
        if top > 0.0 { top * 1.1 } else { 1.0 },
        NumberFormat::Human,
        if many { 2 } else { 4 },
    );
    let mut panel = Panel::new(x, y);
    panel.bars = bars;
    let mut line = Line::new("Prior", VERMILLION, 3.0, density);
    line.dashed = true;
    panel.lines.push(line);
    let p = &r.parameters[j];
    // Keys of one table (`users.`) are named without it when all share it.
    let prefix = r.parameters[0].name.split_once('.').map(|(t, _)| format!("{t}."));
    panel.title = match prefix {
        Some(t) if r.parameters.iter().all(|q| q.name.starts_with(&t)) => p.name[t.len()..].to_string(),
        _ => p.name.clone(),
    };
    panel.title_colour = INK;
    if let (Some(m), Some((a, b))) = (p.median, p.interval) {
        panel.note = format!("median {} · 90%: {} to {}", parameter(m), parameter(a), parameter(b));
        panel.guides = vec![
            Guide {
                x: a,
                label: String::new(),
            },
            Guide {
                x: b,
                label: String::new(),
            },
        ];
    }
    if p.narrowing.informed == Some(false) {
        panel.title_colour = MUTED;
        panel.note = format!("not informed · {}", panel.note);
    }
    panel
}

/// Every parameter's posterior against its prior.
fn posteriors(r: &CalibrationResult, post: &Population) -> (String, Figure) {
    let n = r.parameters.len();
    let panels: Vec<Panel> = (0..n).map(|j| posterior_panel(r, post, j)).collect();
    // At most three rows: a fourth leaves a 900-pixel page no room to plot.
    let columns = match n {
        1 => 1,
        2 | 4 => 2,
        _ => n.div_ceil(3).max(3),
    };
    let legend = vec![
        LegendEntry::new(
            Swatch::Area {
                colour: BLUE,
                alpha: 0.8,
            },
            "Posterior\n(weighted particles)",
        ),
        LegendEntry::new(
            Swatch::Line {
                colour: VERMILLION,
                width: 3.0,
                dashed: true,
            },
            "Prior",
        ),
        LegendEntry::new(
            Swatch::Line {
                colour: MUTED,
                width: 2.0,
                dashed: true,
            },
            "90% credible\ninterval",
        ),
    ];
    let chart = page(
        "Each parameter: posterior against prior".into(),
        subtitle(r, "a posterior like its prior: the data say little about it"),
        legend,
        panels,
        columns,
    );
    ("posteriors".into(), Figure::Panels(chart))
}

/// The most correlated pairs of parameters, strongest first.
fn strongest_pairs(r: &CalibrationResult) -> Vec<(usize, usize, f64)> {
    let n = r.parameters.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if let Some(c) = r.correlations.get(i).and_then(|row| row.get(j)).copied().flatten() {
                pairs.push((i, j, c));
            }
        }
    }
    pairs.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    pairs.truncate(PAIRS);
    pairs
}

/// The pair plot of the most correlated pairs.
fn pairs(r: &CalibrationResult, post: &Population) -> Option<(String, Figure)> {
    let chosen = strongest_pairs(r);
    if chosen.is_empty() {
        return None;
    }
    let panels: Vec<Panel> = chosen
        .iter()
        .map(|&(i, j, c)| {
            let (x0, x1) = span(r, post, i);
            let (y0, y1) = span(r, post, j);
            let pts: Vec<(f64, f64)> = post.parameters().iter().map(|t| (t[i], t[j])).collect();
            let x = Axis::fixed(&r.parameters[i].name, x0, x1, NumberFormat::Human, 4);
            let y = Axis::fixed(&r.parameters[j].name, y0, y1, NumberFormat::Human, 4);
            let mut panel = Panel::new(x, y);
            panel.lines.extend(dots("Particle", BLUE, 1.0, &pts));
            panel.title = format!("correlation {}", fixed(c, 2));
            panel
        })
        .collect();
    let columns = match panels.len() {
        1 => 1,
        2 | 4 => 2,
        _ => 3,
    };
    let legend = vec![LegendEntry::new(
        Swatch::Marker {
            shape: Shape::Disc,
            colour: BLUE,
        },
        "A particle of the\nposterior",
    )];
    let chart = page(
        "The most correlated pairs of parameters".into(),
        subtitle(r, "a tilted cloud: the data fix a combination of the two"),
        legend,
        panels,
        columns,
    );
    Some(("pairs".into(), Figure::Panels(chart)))
}

/// The tolerance and the acceptance rate by generation.
fn generations(r: &CalibrationResult) -> Option<(String, Figure)> {
    let g = &r.generations;
    let tol: Vec<(f64, f64)> = g
        .iter()
        .filter_map(|s| Some((s.generation as f64, s.tolerance?)))
        .collect();
    let acc: Vec<(f64, f64)> = g
        .iter()
        .filter_map(|s| Some((s.generation as f64, s.acceptance_rate?)))
        .collect();
    if acc.is_empty() {
        return None;
    }
    let last = g.len().saturating_sub(1).max(1) as f64;
    let line = |pts: Vec<(f64, f64)>| {
        let mut l = Line::new("", BLUE, 3.0, pts);
        l.marker = Some(Shape::Disc);
        l.in_legend = false;
        l
    };
    let x = || {
        Axis::fixed(
            "Generation",
            0.0,
            last,
            NumberFormat::Human,
            (last as usize).clamp(1, 10),
        )
    };
    let top = tol.iter().map(|p| p.1).fold(0.0, f64::max);
    let mut left = Panel::new(
        x(),
        Axis::rounded("Tolerance", 0.0, top.max(1e-9), NumberFormat::Human, 5),
    );
    left.title = "Tolerance (generation 0 takes the prior)".into();
    left.lines.push(line(tol));
    let mut right = Panel::new(x(), Axis::fixed("Acceptance", 0.0, 1.0, NumberFormat::Percent, 5));
    right.title = "Acceptance rate".into();
    right.lines.push(line(acc));
    right.rules.push(Rule {
        y: 0.0,
        colour: MUTED,
        width: 1.0,
    });
    let chart = page(
        "Generations: tolerance and acceptance".into(),
        subtitle(r, "each tolerance in the distance its generation used"),
        Vec::new(),
        vec![left, right],
        2,
    );
    Some(("generations".into(), Figure::Panels(chart)))
}

/// Every chart of calibration `r`, in order: one `fit_` per observed
/// series, `posteriors`, `pairs` (two parameters or more), `generations`.
fn figures(r: &CalibrationResult) -> Vec<(String, Figure)> {
    let mut out: Vec<(String, Figure)> = r.fits.iter().map(|f| fit(r, f)).collect();
    if let Some(post) = &r.posterior {
        out.push(posteriors(r, post));
        out.extend(pairs(r, post));
    }
    out.extend(generations(r));
    out
}

/// Renders the charts of calibration `r` in each of `formats`: `(file
/// name, bytes)`, chart by chart, each in the order of `formats`.
pub(crate) fn calibration_charts(
    r: &CalibrationResult,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    let mut out = Vec::new();
    if formats.is_empty() {
        return Ok(out);
    }
    render::register_fonts()?;
    for (stem, figure) in figures(r) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_lower_case_with_single_underscores() {
        assert_eq!(stem(&["fit", "Meituan Select", "dau"]), "fit_meituan_select_dau");
        assert_eq!(stem(&["fit", "market", "pool"]), "fit_market_pool");
    }
}
