//! Retention of acquired users: per platform, the share of a cohort still
//! active k days after acquisition, combining the weekly cohorts (not the
//! initial users) by averaging, at each age, the cohorts that reached it,
//! weighted by their mean size. When every experience effect is off, the
//! shifted-beta-geometric closed form S(t) = B(α, β+t) / B(α, β) of each
//! platform is drawn dashed and dark over its curve.

use super::Ctx;
use crate::experiments::montecarlo::CohortCurve;
use crate::present::plot::axis::Axis;
use crate::present::plot::legend::{LegendEntry, Swatch};
use crate::present::plot::series_chart::{Line, SeriesChart};
use crate::present::plot::style::INK;
use crate::present::plot::ticks::NumberFormat;

/// The size-weighted mean retention at each age of `cohorts`: `(age, share)`.
pub(super) fn combine(cohorts: &[&CohortCurve]) -> Vec<(f64, f64)> {
    let max_age = cohorts.iter().flat_map(|c| c.ages.iter().map(|a| a.age_days)).max();
    let Some(max_age) = max_age else { return Vec::new() };
    let mut sum = vec![0.0; max_age as usize + 1];
    let mut weight = vec![0.0; max_age as usize + 1];
    for c in cohorts {
        let w = match c.mean_size {
            Some(w) if w > 0.0 && w.is_finite() => w,
            _ => continue,
        };
        for a in &c.ages {
            if let Some(m) = a.mean.filter(|m| m.is_finite()) {
                sum[a.age_days as usize] += w * m;
                weight[a.age_days as usize] += w;
            }
        }
    }
    (0..=max_age as usize)
        .filter(|&k| weight[k] > 0.0)
        .map(|k| (k as f64, sum[k] / weight[k]))
        .collect()
}

/// The cohort chart, or `None` when the run has no acquired cohorts.
pub(super) fn chart(ctx: &Ctx<'_>) -> Option<SeriesChart> {
    let mut lines = Vec::new();
    let mut max_age: f64 = 0.0;
    for (p, name) in ctx.platforms().iter().enumerate() {
        let cohorts: Vec<&CohortCurve> = ctx
            .input
            .result
            .cohorts
            .iter()
            .filter(|c| &c.platform == name && c.cohort != "initial")
            .collect();
        let pts = combine(&cohorts);
        let Some(&(last, _)) = pts.last() else { continue };
        max_age = max_age.max(last);
        let st = ctx.styles[p];
        lines.push(Line::new(name.clone(), st.colour, st.line_width(), pts).in_style(st));
    }
    if lines.is_empty() {
        return None;
    }
    let mut extra = Vec::new();
    if let Some(refs) = &ctx.input.sbg_reference {
        for (p, name) in ctx.platforms().iter().enumerate() {
            let Some(curve) = refs.get(p) else { continue };
            if !lines.iter().any(|l| &l.label == name) {
                continue;
            }
            // Dark and thin, over the platform's own curve: where the two
            // agree the dashes run along the coloured line.
            let pts = curve.iter().copied().take_while(|&(age, _)| age <= max_age).collect();
            let mut l = Line::new("", INK, 2.0, pts);
            l.dashed = true;
            l.in_legend = false;
            lines.push(l);
        }
        extra.push(LegendEntry::new(
            Swatch::Line {
                colour: INK,
                width: 2.0,
                dashed: true,
            },
            "sBG closed form\nS(t) = B(α, β+t) / B(α, β)",
        ));
    }
    Some(SeriesChart {
        title: "Retention of acquired users".into(),
        subtitle: ctx.subtitle("mean of weekly cohorts, weighted by size"),
        x: Axis::fixed("Days since acquisition", 0.0, max_age.max(1.0), NumberFormat::Days, 10),
        y: Axis::fixed("Share still active", 0.0, 1.0, NumberFormat::Percent, 5),
        lines,
        guides: Vec::new(),
        legend_heading: Some("Platform".into()),
        extra_legend: extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::montecarlo::result::AgeStat;

    fn curve(size: f64, means: &[f64]) -> CohortCurve {
        CohortCurve {
            platform: "p".into(),
            cohort: "week 0".into(),
            first_day: 1,
            last_day: 7,
            mean_size: Some(size),
            ages: means
                .iter()
                .enumerate()
                .map(|(k, &m)| AgeStat {
                    age_days: k as u64,
                    mean: Some(m),
                    ci_low: None,
                    ci_high: None,
                })
                .collect(),
        }
    }

    #[test]
    fn cohorts_are_averaged_by_size_over_those_that_reached_each_age() {
        let a = curve(300.0, &[1.0, 0.5, 0.4]);
        let b = curve(100.0, &[1.0, 0.9]);
        let c = combine(&[&a, &b]);
        assert_eq!(c.len(), 3);
        assert!((c[1].1 - 0.6).abs() < 1e-12);
        assert!((c[2].1 - 0.4).abs() < 1e-12);
    }
}
