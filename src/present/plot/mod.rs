//! Charts of a Monte Carlo run, of a comparison and of a sweep, rendered in
//! memory to PNG or SVG bytes (the caller writes the files). Everything that
//! knows plotters lives in this module; the text uses the embedded DejaVu
//! Sans, or the embedded Noto Sans CJK subset for a text in a CJK script
//! ([`glyphs`]), so no system font library is needed.
//!
//! Layers: [`style`] (sizes, palette, subtitle) and [`ticks`] (numbers on
//! axes); [`canvas`] (drawing in logical pixels), [`axis`], [`legend`],
//! [`frame`] (page layout) and [`plot_area`] (data to page, clipping); the
//! chart primitives [`series_chart`] (lines with bands), [`stacked_area`],
//! [`timeline`] and [`panels`] (small multiples, bars, heat maps);
//! [`render`] (bytes); and the builders: [`run`] (a run's charts from a
//! [`MonteCarloResult`]), [`compare`] (from a [`CompareResult`]) and
//! [`sweep`] (from a [`SweepResult`]); [`fit`] (the charts of
//! `gatesim fit`) and [`reviews`] (those of `gatesim fit reviews`).

pub(crate) mod axis;
pub(crate) mod calibration;
pub(crate) mod canvas;
pub(crate) mod compare;
pub(crate) mod fit;
pub(crate) mod font;
pub(crate) mod frame;
pub(crate) mod glyphs;
pub(crate) mod legend;
pub(crate) mod panels;
pub(crate) mod plot_area;
pub(crate) mod render;
pub(crate) mod reviews;
pub(crate) mod run;
pub(crate) mod sensitivity;
pub(crate) mod series_chart;
pub(crate) mod stacked_area;
pub(crate) mod style;
pub(crate) mod sweep;
pub(crate) mod ticks;
pub(crate) mod timeline;

use crate::core::theory::sbg_survival;
use crate::experiments::compare::CompareResult;
use crate::experiments::montecarlo::MonteCarloResult;
use crate::experiments::sweep::SweepResult;
use crate::experiments::trace::Trace;

/// An image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG, 1600x900 pixels.
    Png,
    /// SVG of the same aspect.
    Svg,
}

impl Format {
    /// Parses a comma-separated list: "png,svg", "png", "svg" (case and
    /// spaces ignored, repeats dropped). An unknown or empty item is an
    /// error that names it.
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        let mut out = Vec::new();
        for item in s.split(',') {
            let f = match item.trim().to_ascii_lowercase().as_str() {
                "png" => Format::Png,
                "svg" => Format::Svg,
                "" => return Err(format!("empty chart format in `{s}`: expected png, svg or png,svg")),
                _ => return Err(format!("unknown chart format `{}`: expected png or svg", item.trim())),
            };
            if !out.contains(&f) {
                out.push(f);
            }
        }
        Ok(out)
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

pub use crate::experiments::annotations::Marker;

/// The vertical guides that mark `markers` on a chart over days.
pub(crate) fn guides(markers: &[Marker]) -> Vec<frame::Guide> {
    markers
        .iter()
        .map(|m| frame::Guide {
            x: m.day,
            label: m.label.clone(),
        })
        .collect()
}

/// Everything the charts of a run are drawn from.
#[derive(Clone, Debug)]
pub struct RunCharts<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed.
    pub seed: u64,
    /// The Monte Carlo results.
    pub result: &'a MonteCarloResult,
    /// Every pipeline event of replication 0.
    pub timeline: &'a Trace,
    /// Length of the run (days).
    pub horizon_days: u32,
    /// Dated policy changes to mark.
    pub markers: Vec<Marker>,
    /// The platform to pick out (the blocked one), if any.
    pub focal: Option<usize>,
    /// Market size when the scenario has users.
    pub potential_users: Option<u64>,
    /// Per platform, the sBG closed-form survival as (age in days, share)
    /// points, drawn dashed on the cohort chart (given when every experience
    /// effect on churn is off).
    pub sbg_reference: Option<Vec<Vec<(f64, f64)>>>,
}

/// An audit log with no events, for runs that kept none.
static NO_TIMELINE: Trace = Trace {
    scenario: String::new(),
    replication: 0,
    horizon_ms: 0,
    platforms: Vec::new(),
    populations: Vec::new(),
    classes: Vec::new(),
    rows: Vec::new(),
};

impl<'a> RunCharts<'a> {
    /// The charts of result `r`, drawn from what it carries: its scenario's
    /// annotations (changes marked, the platform picked out, the market's
    /// size, the sBG closed form when nothing moves churn) and replication
    /// 0's audit log.
    pub fn of(r: &'a MonteCarloResult) -> RunCharts<'a> {
        let a = &r.annotations;
        RunCharts {
            scenario: &a.scenario,
            seed: a.seed,
            result: r,
            timeline: r.timeline.as_ref().unwrap_or(&NO_TIMELINE),
            horizon_days: a.horizon_days,
            markers: a.markers.clone(),
            focal: a.focal,
            potential_users: a.potential_users,
            sbg_reference: a.sbg.as_ref().map(|platforms| {
                let ages = 0..=u64::from(a.horizon_days);
                platforms
                    .iter()
                    .map(|&(alpha, beta)| {
                        ages.clone()
                            .map(|t| (t as f64, sbg_survival(alpha, beta, t as f64)))
                            .collect()
                    })
                    .collect()
            }),
        }
    }
}

/// Why charts could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The embedded font could not be registered.
    #[error("cannot load the chart font: {0}")]
    Font(String),
    /// Drawing failed.
    #[error("cannot draw a chart: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("cannot encode a PNG: {0}")]
    Encode(String),
    /// A series every run has is missing from the results.
    #[error("the results have no daily series `{metric}` for {scope}")]
    MissingSeries {
        /// Platform name, `market` or `gatekeeper`.
        scope: String,
        /// The metric.
        metric: crate::core::metric::Metric,
    },
}

/// Everything the charts of a comparison are drawn from.
#[derive(Clone, Debug)]
pub struct CompareCharts<'a> {
    /// The comparison (baseline first).
    pub result: &'a CompareResult,
    /// Seed every scenario ran with.
    pub seed: u64,
    /// Dated policy changes to mark (of any scenario).
    pub markers: Vec<Marker>,
    /// The platform to pick out, as an index into the baseline's platforms.
    pub focal: Option<usize>,
}

/// Everything the charts of a sweep are drawn from.
#[derive(Clone, Debug)]
pub struct SweepCharts<'a> {
    /// The sweep.
    pub result: &'a SweepResult,
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed.
    pub seed: u64,
    /// The platform to pick out (and to draw the grid for), if any.
    pub focal: Option<usize>,
}

impl<'a> CompareCharts<'a> {
    /// The charts of comparison `r`: the changes of every scenario marked
    /// once (one that not every scenario makes labelled with its scenario's
    /// name), and the platform picked out by the baseline (else by the first
    /// other scenario that picks one the baseline has).
    pub fn of(r: &'a CompareResult) -> CompareCharts<'a> {
        let seed = r.runs.first().map_or(0, |b| b.annotations.seed);
        CompareCharts {
            result: r,
            seed,
            markers: compare_markers(r),
            focal: compare_focal(r),
        }
    }
}

/// The policy changes of every scenario, once each; a change that not
/// every scenario makes is labelled with the scenario's name.
fn compare_markers(r: &CompareResult) -> Vec<Marker> {
    let per: Vec<&[Marker]> = r.runs.iter().map(|run| run.annotations.markers.as_slice()).collect();
    let mut out: Vec<Marker> = Vec::new();
    for (run, ms) in r.runs.iter().zip(&per) {
        for m in *ms {
            let everywhere = per.iter().all(|o| o.contains(m));
            let m = if everywhere {
                m.clone()
            } else {
                Marker {
                    day: m.day,
                    label: format!("{}: {}", run.annotations.scenario, m.label),
                }
            };
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// The platform to pick out, as an index into the baseline's platforms.
fn compare_focal(r: &CompareResult) -> Option<usize> {
    let base = r.runs.first()?;
    base.annotations.focal.or_else(|| {
        r.runs[1..].iter().find_map(|run| {
            let name = run.platforms.get(run.annotations.focal?)?;
            base.platforms.iter().position(|p| p == name)
        })
    })
}

impl<'a> SweepCharts<'a> {
    /// The charts of sweep `r`; the platform picked out is the first
    /// point's that picks one.
    pub fn of(r: &'a SweepResult) -> SweepCharts<'a> {
        let first = r.points.first().map(|p| &p.result.annotations);
        SweepCharts {
            result: r,
            scenario: first.map_or("", |a| a.scenario.as_str()),
            seed: first.map_or(0, |a| a.seed),
            focal: r.points.iter().find_map(|p| p.result.annotations.focal),
        }
    }
}

/// Renders `figures` in each of `formats`, figure by figure.
fn render_all(
    figures: Vec<(impl AsRef<str>, render::Figure)>,
    formats: &[Format],
) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    render::register_fonts()?;
    let mut out = Vec::new();
    for (stem, figure) in figures {
        let mut done: Vec<Format> = Vec::new();
        for &f in formats {
            if done.contains(&f) {
                continue;
            }
            done.push(f);
            out.push((
                format!("{}.{}", stem.as_ref(), f.extension()),
                render::render(&figure, f)?,
            ));
        }
    }
    Ok(out)
}

/// Renders every chart of a run in each of `formats`: `(file name, bytes)`
/// such as `("active_users.png", ...)`, chart by chart in a fixed order
/// (active_users, orders, market_share, decision_time, release_timeline,
/// staleness, cohort_retention, gatekeeper_queue), each in the order of
/// `formats`. Charts of users are left out when the scenario has none.
pub fn run_charts(input: &RunCharts<'_>, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    render_all(run::figures(input)?, formats)
}

/// Renders every chart of a comparison in each of `formats`, in a fixed
/// order: active_users_overlay, users_difference, orders_difference (when
/// the scenarios have users), staleness_difference, headline_differences
/// (when there is a scenario besides the baseline).
pub fn compare_charts(input: &CompareCharts<'_>, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    render_all(compare::figures(input)?, formats)
}

/// Renders every chart of a sweep in each of `formats`, in a fixed order:
/// response_active_users_end, response_orders_total (when the scenario has
/// users), response_mean_staleness_days, and heatmap_active_users_end when
/// two parameters were swept.
pub fn sweep_charts(input: &SweepCharts<'_>, formats: &[Format]) -> Result<Vec<(String, Vec<u8>)>, PlotError> {
    if formats.is_empty() {
        return Ok(Vec::new());
    }
    render_all(sweep::figures(input), formats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_lists_parse_and_name_a_bad_item() {
        assert_eq!(Format::parse_list("png,svg"), Ok(vec![Format::Png, Format::Svg]));
        assert_eq!(Format::parse_list(" SVG "), Ok(vec![Format::Svg]));
        assert_eq!(Format::parse_list("png,png"), Ok(vec![Format::Png]));
        let e = Format::parse_list("png,jpg").unwrap_err();
        assert!(e.contains("`jpg`"), "{e}");
        assert!(Format::parse_list("").is_err());
        assert!(Format::parse_list("png,").is_err());
    }
}
