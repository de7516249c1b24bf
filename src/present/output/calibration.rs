//! A calibration's files: `posterior.csv` (one row per particle: its
//! weight and its parameter values), `calibration.json` (what was
//! calibrated to what and how; per generation its tolerance, acceptance,
//! effective sample size and simulations; per parameter its prior and
//! posterior and how much the data narrowed it; the posterior
//! correlations; the contrast over the posterior), `calibration.md` (the
//! same for a report) and the text printed at the end. Undefined values
//! are empty cells in CSV and null in JSON, never NaN.

use super::csv::{field, line, num};
use super::text_table::from_markdown;
use crate::analysis::abc::{GenerationStats, StopReason, UNINFORMED_RATIO};
use crate::core::numbers::{Shown, counted, fixed, parameter, percent};
use crate::experiments::calibrate::posterior::{ContrastOutput, ContrastResult};
use crate::experiments::calibrate::result::{CalibrationResult, ParameterResult};
use serde::Serialize;

/// `posterior.csv`: `particle,weight,distance,<key>...`, one row per
/// particle of the posterior: its weight (the weights sum to 1), the
/// distance that accepted it (empty in generation 0, which takes the
/// prior) and its values (as drawn, before a whole-number key's rounding).
pub(crate) fn posterior_csv(r: &CalibrationResult) -> Vec<u8> {
    let mut out = String::new();
    let mut header = vec!["particle".to_string(), "weight".into(), "distance".into()];
    header.extend(r.parameters.iter().map(|p| field(&p.name)));
    line(&mut out, &header);
    if let Some(post) = &r.posterior {
        let rows = post.parameters().iter().zip(post.weights()).zip(post.distances());
        for (i, ((theta, w), d)) in rows.enumerate() {
            let mut cells = vec![i.to_string(), num(Some(*w)), num(*d)];
            cells.extend(theta.iter().map(|&v| num(Some(v))));
            line(&mut out, &cells);
        }
    }
    out.into_bytes()
}

/// Why a calibration stopped, or that it goes on.
fn status(stop: Option<StopReason>) -> (&'static str, &'static str) {
    match stop {
        Some(s) => (stop_name(s), s.describe()),
        None => (
            "in_progress",
            "a sharded generation was merged; go on with --resume on this folder",
        ),
    }
}

/// A stopping reason's name in files.
fn stop_name(s: StopReason) -> &'static str {
    match s {
        StopReason::Budget => "budget",
        StopReason::AcceptanceRate => "acceptance_rate",
        StopReason::ToleranceStalled => "tolerance_stalled",
        StopReason::MaxGenerations => "max_generations",
        StopReason::Interrupted => "interrupted",
        StopReason::Degenerate => "degenerate",
    }
}

#[derive(Serialize)]
struct Settings {
    particles: usize,
    replications_per_candidate: usize,
    budget: u64,
    max_generations: usize,
    seed: u64,
    tolerance_quantile: f64,
    min_acceptance_rate: f64,
    min_tolerance_decrease: f64,
    uninformed_width_ratio: f64,
}

#[derive(Serialize)]
struct Generation<'a> {
    generation: usize,
    tolerance: Option<f64>,
    candidates: u64,
    outside_prior: u64,
    simulations: u64,
    undefined: u64,
    accepted: usize,
    acceptance_rate: Option<f64>,
    ess: Option<f64>,
    complete: bool,
    kernel_diagonal: Option<bool>,
    series_scales: &'a [Option<f64>],
    next_tolerance: Option<f64>,
    tolerance_decrease: Option<f64>,
}

impl<'a> From<&'a GenerationStats> for Generation<'a> {
    fn from(g: &'a GenerationStats) -> Generation<'a> {
        Generation {
            generation: g.generation,
            tolerance: g.tolerance,
            candidates: g.candidates,
            outside_prior: g.outside_support,
            simulations: g.simulations,
            undefined: g.undefined,
            accepted: g.accepted,
            acceptance_rate: g.acceptance_rate,
            ess: g.ess,
            complete: g.complete,
            kernel_diagonal: g.kernel_diagonal,
            series_scales: &g.scales,
            next_tolerance: g.next_tolerance,
            tolerance_decrease: g.tolerance_decrease,
        }
    }
}

#[derive(Serialize)]
struct Interval {
    q05: Option<f64>,
    q95: Option<f64>,
}

#[derive(Serialize)]
struct Prior<'a> {
    distribution: &'a str,
    mean: Option<f64>,
    sd: Option<f64>,
    interval90: Interval,
}

#[derive(Serialize)]
struct Posterior {
    mean: Option<f64>,
    median: Option<f64>,
    sd: Option<f64>,
    interval90: Interval,
}

#[derive(Serialize)]
struct Narrowed {
    sd_ratio: Option<f64>,
    width_ratio: Option<f64>,
    informed: Option<bool>,
}

#[derive(Serialize)]
struct Parameter<'a> {
    name: &'a str,
    why: &'a str,
    whole_number: bool,
    prior: Prior<'a>,
    posterior: Posterior,
    narrowing: Narrowed,
}

#[derive(Serialize)]
struct Series<'a> {
    name: &'a str,
    scope: &'a str,
    metric: &'a str,
    unit: &'a str,
    days: &'a [u32],
    values: &'a [f64],
    standard_errors: &'a [Option<f64>],
    predictive_median: Vec<Option<f64>>,
}

#[derive(Serialize)]
struct ContrastJson<'a> {
    label: &'a str,
    against: &'a [String],
    replications_per_particle: u64,
    intervals: &'static str,
    outputs: Vec<ContrastOutputJson<'a>>,
}

#[derive(Serialize)]
struct ContrastOutputJson<'a> {
    scope: &'a str,
    metric: &'a str,
    unit: &'a str,
    mean: Option<f64>,
    sd: Option<f64>,
    p05: Option<f64>,
    p50: Option<f64>,
    p95: Option<f64>,
    noise_share: Option<f64>,
    parameter_share: Option<f64>,
    particles: usize,
}

#[derive(Serialize)]
struct Json<'a> {
    gatesim_version: &'a str,
    scenario: &'a str,
    data: &'a str,
    method: &'static str,
    settings: Settings,
    status: &'static str,
    stopped_because: &'static str,
    generations_run: usize,
    simulations: u64,
    predictive_simulations: u64,
    contrast_simulations: u64,
    generations: Vec<Generation<'a>>,
    parameters: Vec<Parameter<'a>>,
    correlations: &'a [Vec<Option<f64>>],
    series: Vec<Series<'a>>,
    contrast: Option<ContrastJson<'a>>,
}

/// What a contrast's intervals are.
const CONTRAST_INTERVALS: &str = "weighted 5th, 50th and 95th percentiles over the posterior's particles of each one's mean \
     paired difference: the parameters' uncertainty and Monte Carlo noise together; noise_share is the share of the \
     variance that is Monte Carlo noise, parameter_share the rest";

/// `calibration.json`.
pub(crate) fn calibration_json(r: &CalibrationResult) -> Vec<u8> {
    let (status, because) = status(r.stop);
    let settings = crate::experiments::calibrate::Options::settings(&r.options);
    let j = Json {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario: &r.scenario,
        data: &r.data_file,
        method: "ABC-SMC (Toni et al. 2009, Beaumont et al. 2009): adaptive tolerance (a quantile of the previous \
                 distances), adaptive distance scales (Prangle 2017), multivariate normal kernel of twice the \
                 weighted covariance",
        settings: Settings {
            particles: r.options.particles,
            replications_per_candidate: r.options.replications,
            budget: r.options.budget,
            max_generations: r.options.generations,
            seed: r.options.seed,
            tolerance_quantile: settings.quantile,
            min_acceptance_rate: settings.min_acceptance,
            min_tolerance_decrease: settings.min_decrease,
            uninformed_width_ratio: UNINFORMED_RATIO,
        },
        status,
        stopped_because: because,
        generations_run: r.generations.len(),
        simulations: r.simulations,
        predictive_simulations: r.predictive_simulations,
        contrast_simulations: r.contrast_simulations,
        generations: r.generations.iter().map(Generation::from).collect(),
        parameters: r
            .parameters
            .iter()
            .map(|p| Parameter {
                name: &p.name,
                why: &p.why,
                whole_number: p.whole,
                prior: Prior {
                    distribution: &p.prior,
                    mean: p.prior_mean,
                    sd: p.narrowing.prior_sd,
                    interval90: Interval {
                        q05: Some(p.prior_interval.0),
                        q95: Some(p.prior_interval.1),
                    },
                },
                posterior: Posterior {
                    mean: p.mean,
                    median: p.median,
                    sd: p.sd,
                    interval90: Interval {
                        q05: p.interval.map(|i| i.0),
                        q95: p.interval.map(|i| i.1),
                    },
                },
                narrowing: Narrowed {
                    sd_ratio: p.narrowing.sd_ratio,
                    width_ratio: p.narrowing.width_ratio,
                    informed: p.narrowing.informed,
                },
            })
            .collect(),
        correlations: &r.correlations,
        series: r
            .fits
            .iter()
            .map(|f| Series {
                name: &f.name,
                scope: &f.scope,
                metric: f.metric.name(),
                unit: f.metric.unit().name(),
                days: &f.days,
                values: &f.values,
                standard_errors: &f.standard_errors,
                predictive_median: f
                    .days
                    .iter()
                    .map(|d| f.band.iter().find(|b| b.0 == *d).map(|b| b.2))
                    .collect(),
            })
            .collect(),
        contrast: r.contrast.as_ref().map(|c| ContrastJson {
            label: &c.label,
            against: &c.sets,
            replications_per_particle: c.replications,
            intervals: CONTRAST_INTERVALS,
            outputs: c
                .outputs
                .iter()
                .map(|o| ContrastOutputJson {
                    scope: &o.scope,
                    metric: o.metric.name(),
                    unit: o.metric.unit().name(),
                    mean: o.mean,
                    sd: o.sd,
                    p05: o.p05,
                    p50: o.p50,
                    p95: o.p95,
                    noise_share: o.noise_share,
                    parameter_share: o.noise_share.map(|s| 1.0 - s),
                    particles: o.particles,
                })
                .collect(),
        }),
    };
    let mut bytes = serde_json::to_vec_pretty(&j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A value of a parameter, or "-".
fn value(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), parameter)
}

/// "a to b", or "-".
fn range(x: Option<(f64, f64)>) -> String {
    x.map_or_else(|| "-".into(), |(a, b)| format!("{} to {}", parameter(a), parameter(b)))
}

/// How much a parameter was narrowed: "12% of the prior's width".
fn narrowed(p: &ParameterResult) -> String {
    match p.narrowing.width_ratio {
        Some(w) => format!("{} of the prior's", percent(w, 0)),
        None => "-".into(),
    }
}

/// The parameters the data did not inform.
fn uninformed(r: &CalibrationResult) -> Vec<&str> {
    r.parameters
        .iter()
        .filter(|p| p.narrowing.informed == Some(false))
        .map(|p| p.name.as_str())
        .collect()
}

/// The line saying how the calibration ran and why it stopped.
fn run_line(r: &CalibrationResult) -> String {
    let (_, because) = status(r.stop);
    let mut s = format!(
        "{} over {}, {} per candidate; {} in {}",
        counted(r.options.particles, "particle"),
        counted(r.parameters.len(), "parameter"),
        counted(r.options.replications, "replication"),
        counted(r.simulations, "simulation"),
        counted(r.generations.len(), "generation"),
    );
    match r.stop {
        Some(_) => s.push_str(&format!(" (budget {}); stopped: {because}", r.options.budget)),
        None => s.push_str(&format!(" (budget {}); in progress: {because}", r.options.budget)),
    }
    s
}

/// The parameters' table, in Markdown.
fn parameters_md(r: &CalibrationResult) -> String {
    let mut out = String::from(
        "| parameter | prior | prior 90% | posterior median | 90% credible interval | mean | sd | width, narrowed to |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for p in &r.parameters {
        let flag = if p.narrowing.informed == Some(false) {
            " (not informed)"
        } else {
            ""
        };
        out.push_str(&format!(
            "| {}{flag} | {} | {} | {} | {} | {} | {} | {} |\n",
            p.name,
            p.prior,
            range(Some(p.prior_interval)),
            value(p.median),
            range(p.interval),
            value(p.mean),
            value(p.sd),
            narrowed(p)
        ));
    }
    out
}

/// The warning for parameters the data did not inform, if any.
fn uninformed_md(r: &CalibrationResult) -> String {
    let names = uninformed(r);
    if names.is_empty() {
        return String::new();
    }
    let stopped_early = matches!(r.stop, Some(StopReason::Budget) | None);
    let one = names.len() == 1;
    let them = if one { "it" } else { "them" };
    let why = if stopped_early {
        "the calibration stopped before its tolerance was small enough to tell (a larger --budget narrows what the \
         data can narrow)."
            .to_string()
    } else {
        format!("they constrain {them} only in combination with other parameters (see the posterior correlations).")
    };
    format!(
        "\nNot informed by the data: {}. {} posterior's 90% interval is more than {} of the prior's width: {} \
         estimate is the prior's. Either these observations say little about {them}, or {why}\n",
        names.join(", "),
        if one { "Its" } else { "Each one's" },
        percent(UNINFORMED_RATIO, 0),
        if one { "its" } else { "their" },
    )
}

/// The generations' table.
fn generations_md(r: &CalibrationResult) -> String {
    let mut out = String::from(
        "| generation | tolerance | candidates | simulations | accepted | acceptance | effective sample size |\n\
         |---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for g in &r.generations {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            g.generation,
            g.tolerance.map_or_else(|| "- (the prior)".into(), parameter),
            g.candidates,
            g.simulations,
            g.accepted,
            g.acceptance_rate.map_or_else(|| "-".into(), |a| percent(a, 1)),
            g.ess.map_or_else(|| "-".into(), |e| fixed(e, 0)),
        ));
    }
    out
}

/// The correlations' table (every pair), when there are two parameters
/// or more.
fn correlations_md(r: &CalibrationResult) -> String {
    let n = r.parameters.len();
    if n < 2 || r.correlations.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if let Some(c) = r.correlations.get(i).and_then(|row| row.get(j)).copied().flatten() {
                pairs.push((i, j, c));
            }
        }
    }
    pairs.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
    let mut out = String::from(
        "\n## Posterior correlations\n\nEvery pair of parameters, strongest first (a strong correlation: the data \
         fix a combination of the two better than either).\n\n| parameter | parameter | correlation |\n|---|---|---:|\n",
    );
    for (i, j, c) in pairs {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            r.parameters[i].name,
            r.parameters[j].name,
            fixed(c, 2)
        ));
    }
    out
}

/// The observed series' table.
fn series_md(r: &CalibrationResult) -> String {
    let mut out = String::from("| series | observations | days | with a standard error |\n|---|---:|---|---:|\n");
    for f in &r.fits {
        let (first, last) = (
            f.days.first().copied().unwrap_or(0),
            f.days.last().copied().unwrap_or(0),
        );
        out.push_str(&format!(
            "| {} | {} | {} to {} | {} |\n",
            f.name,
            f.days.len(),
            first,
            last,
            f.standard_errors.iter().filter(|s| s.is_some()).count()
        ));
    }
    out
}

/// A contrast output's numbers in its unit.
fn contrast_cells(o: &ContrastOutput) -> Vec<String> {
    let unit = o.metric.unit();
    let all = [o.mean, o.p05, o.p50, o.p95].into_iter().flatten();
    let u = Shown::for_row(unit, all);
    let d = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| u.difference(v));
    vec![
        d(o.mean),
        match (o.p05, o.p95) {
            (Some(a), Some(b)) => format!("{} to {}", u.difference(a), u.difference(b)),
            _ => "-".into(),
        },
        d(o.p50),
        o.sd.map_or_else(|| "-".into(), |s| u.spread(s, true)),
        o.noise_share.map_or_else(|| "-".into(), |s| percent(s, 1)),
    ]
}

/// The contrast's section.
fn contrast_md(c: &ContrastResult) -> String {
    let mut out = format!(
        "\n## The difference from {} given the data\n\nEvery particle of the posterior runs the scenario and the \
         scenario with {} on {} under common random numbers; each output is the mean paired difference, scenario \
         minus {}, and its statistics are weighted by the posterior. The 90% credible interval holds the \
         parameters' uncertainty and Monte Carlo noise; the last column is the noise's share of the variance (the \
         rest is the parameters').\n\n| output | mean | 90% credible interval | median | sd | Monte Carlo noise share |\n\
         |---|---:|---:|---:|---:|---:|\n",
        c.label,
        c.sets.join(", "),
        counted(c.replications, "replication"),
        c.label
    );
    for o in &c.outputs {
        let cells = contrast_cells(o);
        out.push_str(&format!(
            "| {}: {} | {} |\n",
            o.scope,
            o.metric.label(),
            cells.join(" | ")
        ));
    }
    out
}

/// `calibration.md`.
pub(crate) fn calibration_md(r: &CalibrationResult) -> String {
    let mut out = format!(
        "# Calibration of {} to {}\n\nABC-SMC: {}.\n",
        r.scenario,
        r.data_file,
        run_line(r)
    );
    out.push_str(&format!(
        "Observed: {} of {} in {}; a posterior predictive of {} and a contrast of {}.\n",
        counted(r.fits.len(), "series"),
        counted(r.fits.iter().map(|f| f.days.len()).sum::<usize>(), "observation"),
        r.data_file,
        counted(r.predictive_simulations, "simulation"),
        counted(r.contrast_simulations, "simulation"),
    ));
    out.push_str("\n## Parameters\n\nPosterior statistics are weighted by the particles' weights.\n\n");
    out.push_str(&parameters_md(r));
    out.push_str(&uninformed_md(r));
    out.push_str(&correlations_md(r));
    out.push_str("\n## Generations\n\nEach generation's tolerance is a distance in the units of the distance it used (its series scales adapt from one generation to the next).\n\n");
    out.push_str(&generations_md(r));
    out.push_str("\n## Observed series\n\n");
    out.push_str(&series_md(r));
    if let Some(c) = &r.contrast {
        out.push_str(&contrast_md(c));
    }
    out
}

/// The text printed at the end of a calibration.
pub(crate) fn calibration_text(r: &CalibrationResult) -> String {
    let mut out = format!("{}: calibrated to {}\n{}\n\n", r.scenario, r.data_file, run_line(r));
    out.push_str(&from_markdown(&parameters_md(r)));
    let warn = uninformed_md(r);
    if !warn.is_empty() {
        out.push_str(&format!("\n{}", warn.trim_start()));
    }
    if let Some(c) = &r.contrast {
        out.push_str(&format!(
            "\ndifference from {} given the data (90% credible interval):\n",
            c.label
        ));
        let mut table = String::from(
            "| output | mean | 90% credible interval | median | sd | noise share |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for o in &c.outputs {
            table.push_str(&format!(
                "| {}: {} | {} |\n",
                o.scope,
                o.metric.label(),
                contrast_cells(o).join(" | ")
            ));
        }
        out.push_str(&from_markdown(&table));
    }
    out
}
