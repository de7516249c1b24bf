//! The charts of `gatesim fit`. `retention_fit`: the observed share of a
//! cohort still active after each period (dots; thin grey lines for each
//! cohort of a triangle) against the fitted sBG (and BdW) survival, solid
//! over the data and dashed over the projection, with the per-day model at
//! the period ends (rings) when a period is longer than a day.
//! `duration_fit`: the empirical CDF of the durations (Kaplan-Meier when
//! some are censored) as a staircase against each fitted family's CDF, on
//! a logarithmic time axis as the decision-time chart, the fits dashed
//! over it and the best by AIC thicker.

use super::axis::Axis;
use super::canvas::Shape;
use super::frame::Guide;
use super::render::Figure;
use super::series_chart::{Line, SeriesChart};
use super::style::{INK, LINE, LINE_FOCAL, NEUTRAL, PLATFORM_COLOURS};
use super::ticks::{NumberFormat, true_minus};
use super::{Format, PlotError, render_all};
use crate::analysis::fit::{DurationsFit, ModelFit, RetentionFit};

/// `x` with `digits` significant digits (plain decimals) for a legend.
fn sig(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let e = libm::floor(libm::log10(x.abs())) as i32;
    format!("{:.*}", (digits - 1 - e).max(0) as usize, x)
}

/// Markers only, no line.
fn dots(label: &str, colour: plotters::style::RGBColor, shape: Shape, points: Vec<(f64, f64)>) -> Line {
    let mut l = Line::new(label, colour, LINE, points);
    l.dashed = true;
    l.pattern = Some((0.0, 1.0));
    l.marker = Some(shape);
    l
}

/// A fitted curve: solid over the data, dashed (no legend entry) beyond.
fn fitted(m: &ModelFit, last: usize, colour: plotters::style::RGBColor) -> [Line; 2] {
    let params: Vec<String> = m
        .parameters
        .iter()
        .map(|p| {
            let name = match p.name {
                "alpha" => "α",
                "beta" => "β",
                other => other,
            };
            format!("{name} = {}", sig(p.estimate, 3))
        })
        .collect();
    let pts: Vec<(f64, f64)> = m.fitted.iter().enumerate().map(|(t, &s)| (t as f64, s)).collect();
    let data = Line::new(
        format!("{} fit\n{}", m.model.short(), params.join(", ")),
        colour,
        LINE_FOCAL,
        pts[..=last.min(pts.len() - 1)].to_vec(),
    );
    let mut projection = Line::new("", colour, LINE_FOCAL, pts[last.min(pts.len() - 1)..].to_vec());
    projection.dashed = true;
    projection.in_legend = false;
    [data, projection]
}

/// Observed and fitted survival per period.
fn retention_figure(f: &RetentionFit, file: &str) -> SeriesChart {
    let last = f.last_period();
    let mut lines = Vec::new();
    if f.data.cohorts.len() > 1 {
        for (i, c) in f.data.cohorts.iter().enumerate() {
            let n = c.size() as f64;
            let pts = c
                .active
                .iter()
                .enumerate()
                .map(|(t, &a)| (t as f64, a as f64 / n))
                .collect();
            let mut l = Line::new("each cohort", NEUTRAL, 2.0, pts);
            l.in_legend = i == 0;
            lines.push(l);
        }
    }
    let pooled: Vec<(f64, f64)> = f
        .data
        .pooled()
        .iter()
        .enumerate()
        .map(|(t, &(n, s))| (t as f64, s as f64 / n as f64))
        .collect();
    let observed = if f.data.cohorts.len() > 1 {
        "observed, cohorts pooled"
    } else {
        "observed"
    };
    lines.push(dots(observed, INK, Shape::Disc, pooled));
    lines.extend(fitted(&f.sbg, last, PLATFORM_COLOURS[0]));
    if let Some(b) = &f.bdw {
        lines.extend(fitted(b, last, PLATFORM_COLOURS[2]));
    }
    if let Some(d) = &f.per_day {
        let pts = d.survival.iter().enumerate().map(|(t, &s)| (t as f64, s)).collect();
        lines.push(dots(
            &format!(
                "per-day sBG at {} ends\nchurn_alpha = {}, churn_beta = {}",
                f.period.name(),
                sig(d.parameters[0].estimate, 3),
                sig(d.parameters[1].estimate, 4)
            ),
            PLATFORM_COLOURS[1],
            Shape::Ring,
            pts,
        ));
    }
    let span = (last + f.projection) as f64;
    let unit = f.period.name();
    let format = if unit == "day" {
        NumberFormat::Days
    } else {
        NumberFormat::Human
    };
    let cohorts = f.data.cohorts.len();
    SeriesChart {
        title: "Retention: observed and fitted".into(),
        subtitle: format!(
            "{file} · {} · {} users · maximum likelihood · dashed: projected",
            if cohorts == 1 {
                "1 cohort".to_string()
            } else {
                format!("{cohorts} cohorts")
            },
            f.data.users()
        ),
        x: Axis::fixed(
            &format!("{}s since acquisition", capitalise(unit)),
            0.0,
            span.max(1.0),
            format,
            10,
        ),
        y: Axis::fixed("Share still active", 0.0, 1.0, NumberFormat::Percent, 5).with_headroom(0.03),
        lines,
        guides: vec![Guide {
            x: last as f64,
            label: "end of the data".into(),
        }],
        legend_heading: Some("Retention".into()),
        extra_legend: Vec::new(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The empirical CDF as a staircase from `lo` to `hi`.
fn staircase(steps: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut pts = vec![(lo, 0.0)];
    let mut prev = 0.0;
    for &(t, s) in steps {
        pts.push((t, prev));
        pts.push((t, s));
        prev = s;
    }
    pts.push((hi, prev));
    pts
}

/// Empirical and fitted CDFs on a log axis of hours.
fn durations_figure(f: &DurationsFit, file: &str) -> SeriesChart {
    let h = f.unit.hours();
    let lo = (f.range.0 * h * 0.5).max(1e-12);
    let hi = (f.range.1 * h * 2.0).max(lo * 10.0);
    let steps: Vec<(f64, f64)> = f.empirical.iter().map(|&(t, s)| (t * h, s)).collect();
    let observed = if f.censored > 0 {
        format!("Kaplan-Meier estimate\n{} durations, {} pending", f.n, f.censored)
    } else {
        format!("observed\n{} durations", f.n)
    };
    let mut lines = vec![Line::new(observed, INK, 4.5, staircase(&steps, lo, hi))];
    let (l0, l1) = (libm::log(lo), libm::log(hi));
    for (i, fam) in f.families.iter().enumerate() {
        let pts = (0..=240)
            .map(|k| {
                let t = libm::exp(l0 + (l1 - l0) * f64::from(k) / 240.0);
                (t, fam.cdf(t / h))
            })
            .collect();
        let label = if i == 0 {
            let aic = true_minus(&format!("{:.1}", fam.aic));
            format!("{} (best)\nAIC {aic}, KS {:.3}", fam.family.name(), fam.ks_distance)
        } else {
            format!(
                "{}\nΔAIC {:.1}, KS {:.3}",
                fam.family.name(),
                fam.delta_aic,
                fam.ks_distance
            )
        };
        let colour = PLATFORM_COLOURS[i % PLATFORM_COLOURS.len()];
        // Dashed over the observed staircase, as the closed forms of the run charts.
        let mut l = Line::new(label, colour, if i == 0 { 4.0 } else { 2.5 }, pts);
        l.dashed = true;
        l.bold = i == 0;
        lines.push(l);
    }
    SeriesChart {
        title: "Durations: observed and fitted distributions".into(),
        subtitle: format!("{file} · maximum likelihood, ranked by AIC"),
        x: Axis::log_hours("Duration", lo, hi),
        y: Axis::fixed("Share completed", 0.0, 1.0, NumberFormat::Percent, 5).with_headroom(0.03),
        lines,
        guides: Vec::new(),
        legend_heading: Some("Distribution".into()),
        extra_legend: Vec::new(),
    }
}

/// The chart of a retention fit of `file` (its name) in each of
/// `formats`: `retention_fit.<format>`.
pub(crate) fn retention_charts(
    f: &RetentionFit,
    file: &str,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    render_all(
        vec![("retention_fit", Figure::Series(retention_figure(f, file)))],
        formats,
    )
}

/// The chart of a duration fit of `file` (its name) in each of `formats`:
/// `duration_fit.<format>`.
pub(crate) fn durations_charts(
    f: &DurationsFit,
    file: &str,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    render_all(
        vec![("duration_fit", Figure::Series(durations_figure(f, file)))],
        formats,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cdf_becomes_a_staircase_across_the_axis() {
        let s = staircase(&[(2.0, 0.5), (4.0, 1.0)], 0.1, 100.0);
        assert_eq!(
            s,
            vec![(0.1, 0.0), (2.0, 0.0), (2.0, 0.5), (4.0, 0.5), (4.0, 1.0), (100.0, 1.0)]
        );
        assert_eq!(capitalise("year"), "Year");
        assert_eq!(
            (sig(0.70408, 3), sig(391.7, 4), sig(12345.6, 3)),
            ("0.704".into(), "391.7".into(), "12346".into())
        );
    }
}
