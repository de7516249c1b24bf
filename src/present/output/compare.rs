//! The comparison's files: `compare.json` (every scenario's headline
//! statistics, the paired differences against the baseline with their 95%
//! intervals and the variance reduction), `compare.csv` (the same, one row
//! per scenario, scope and metric) and `compare.md` (a table ready for a
//! report), plus the terminal text.

use super::csv::{field, line, num};
use super::text_table::{from_markdown, pad, width};
use crate::core::metric::{Metric, Unit};
use crate::core::numbers::{Shown, counted};
use crate::core::stats::concentration::guideline_reading;
use crate::experiments::compare::inputs::InputDifference;
use crate::experiments::compare::{CompareResult, HeadlineDiff, ScenarioDiff, Unmatched};
use crate::experiments::montecarlo::{DailySeries, DayStat, HeadlineStat};
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    gatesim_version: &'a str,
    seed: u64,
    replications: u64,
    baseline: &'a str,
    scenarios: &'a [String],
    note: &'static str,
    inputs_that_differ: &'a [InputDifference],
    comparisons: Vec<Comparison<'a>>,
}

/// One scenario against the baseline, as the JSON holds it.
#[derive(Serialize)]
struct Comparison<'a> {
    scenario: &'a str,
    baseline: &'a str,
    headlines: Vec<Difference<'a>>,
    /// Headlines of platforms only one of the two has: their levels.
    unmatched: &'a [Unmatched],
    daily: Vec<DailyDifference<'a>>,
}

/// A daily series of paired differences, in the difference's unit.
#[derive(Serialize)]
struct DailyDifference<'a> {
    scope: &'a str,
    metric: Metric,
    unit: &'static str,
    days: Vec<DayStat>,
}

impl<'a> DailyDifference<'a> {
    fn of(s: &'a DailySeries) -> DailyDifference<'a> {
        let k = s.unit.difference_scale();
        let m = |x: Option<f64>| x.map(|v| v * k);
        DailyDifference {
            scope: &s.scope,
            metric: s.metric,
            unit: s.unit.difference_name(),
            days: s
                .days
                .iter()
                .map(|d| DayStat {
                    day: d.day,
                    mean: m(d.mean),
                    ci_low: m(d.ci_low),
                    ci_high: m(d.ci_high),
                    p05: m(d.p05),
                    p50: m(d.p50),
                    p95: m(d.p95),
                })
                .collect(),
        }
    }
}

/// A headline's paired difference, the difference in its own unit
/// (percentage points for shares and percentages).
#[derive(Serialize)]
struct Difference<'a> {
    scope: &'a str,
    metric: Metric,
    unit: Unit,
    difference_unit: &'static str,
    baseline: &'a HeadlineStat,
    scenario: &'a HeadlineStat,
    difference: HeadlineStat,
    variance_reduction: Option<f64>,
}

impl<'a> Difference<'a> {
    fn of(h: &'a HeadlineDiff) -> Difference<'a> {
        Difference {
            scope: &h.scope,
            metric: h.metric,
            unit: h.unit,
            difference_unit: h.unit.difference_name(),
            baseline: &h.baseline,
            scenario: &h.scenario,
            difference: h.difference.scaled(h.unit.difference_scale()),
            variance_reduction: h.variance_reduction,
        }
    }
}

/// `compare.json`.
pub(crate) fn compare_json(r: &CompareResult, seed: u64, inputs: &[InputDifference]) -> Vec<u8> {
    let j = Json {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        seed,
        replications: r.runs.first().map_or(0, |x| x.replications),
        baseline: r.names.first().map_or("", |n| n.as_str()),
        scenarios: &r.names,
        note: "difference = scenario minus baseline, replication by replication (common random numbers); \
               variance_reduction = (Var baseline + Var scenario) / Var difference",
        inputs_that_differ: inputs,
        comparisons: r
            .diffs
            .iter()
            .map(|d| Comparison {
                scenario: &d.scenario,
                baseline: &d.baseline,
                headlines: d.headlines.iter().map(Difference::of).collect(),
                unmatched: &d.unmatched,
                daily: d.daily.iter().map(DailyDifference::of).collect(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// `compare.csv`.
pub(crate) fn compare_csv(r: &CompareResult) -> Vec<u8> {
    let mut out = String::from(
        "scenario,baseline,platform,metric,unit,baseline_mean,baseline_ci_low,baseline_ci_high,\
         scenario_mean,scenario_ci_low,scenario_ci_high,difference_unit,difference_mean,difference_ci_low,\
         difference_ci_high,variance_reduction\n",
    );
    for d in &r.diffs {
        for h in &d.headlines {
            let scaled = h.difference.scaled(h.unit.difference_scale());
            line(
                &mut out,
                &[
                    field(&d.scenario),
                    field(&d.baseline),
                    field(&h.scope),
                    h.metric.to_string(),
                    field(h.unit.name()),
                    num(h.baseline.mean),
                    num(h.baseline.ci_low),
                    num(h.baseline.ci_high),
                    num(h.scenario.mean),
                    num(h.scenario.ci_low),
                    num(h.scenario.ci_high),
                    field(h.unit.difference_name()),
                    num(scaled.mean),
                    num(scaled.ci_low),
                    num(scaled.ci_high),
                    num(h.variance_reduction),
                ],
            );
        }
        // A platform only one of the two has: its level, no difference.
        for u in &d.unmatched {
            let (m, lo, hi) = (num(u.stat.mean), num(u.stat.ci_low), num(u.stat.ci_high));
            let none = || [String::new(), String::new(), String::new()];
            let (base, other) = if u.in_baseline {
                ([m, lo, hi], none())
            } else {
                (none(), [m, lo, hi])
            };
            let mut cells = vec![
                field(&d.scenario),
                field(&d.baseline),
                field(&u.scope),
                u.metric.to_string(),
                field(u.unit.name()),
            ];
            cells.extend(base);
            cells.extend(other);
            cells.extend([
                field("absent"),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            line(&mut out, &cells);
        }
    }
    out.into_bytes()
}

/// The inputs that differ between the scenarios, as a Markdown table:
/// key path, then each scenario's value.
pub(crate) fn inputs_table(names: &[String], inputs: &[InputDifference]) -> String {
    if inputs.is_empty() {
        return "The scenarios' inputs are the same (but their names).\n".into();
    }
    let mut out = format!(
        "| Input | {} |\n|---|{}\n",
        names.join(" | "),
        "---|".repeat(names.len())
    );
    for i in inputs {
        let cells: Vec<String> = i
            .values
            .iter()
            .map(|v| {
                v.as_deref()
                    .map_or("absent".to_string(), |v| format!("`{}`", v.replace('|', "\\|")))
            })
            .collect();
        out.push_str(&format!("| `{}` | {} |\n", i.key, cells.join(" | ")));
    }
    out
}

/// One sentence saying the headline difference of `d`: the largest change
/// in active users at the end (else in mean staleness) among the
/// platforms, with its 95% interval.
pub(crate) fn headline_sentence(d: &ScenarioDiff) -> Option<String> {
    let largest = |m: Metric| {
        d.headlines
            .iter()
            .filter(|h| h.metric == m && h.scope != "gatekeeper")
            .filter(|h| h.difference.mean.is_some_and(|x| x != 0.0))
            .max_by(|a, b| {
                let key = |h: &HeadlineDiff| h.difference.mean.map_or(0.0, f64::abs);
                key(a).total_cmp(&key(b))
            })
    };
    let h = largest(Metric::ActiveUsersEnd).or_else(|| largest(Metric::MeanStalenessDays))?;
    let u = shown(h);
    let ci = match (h.difference.ci_low, h.difference.ci_high) {
        (Some(l), Some(hi)) => format!(" (95% CI {} to {})", u.difference(l), u.difference(hi)),
        _ => String::new(),
    };
    Some(format!(
        "{} minus {}: {}'s {} changes by {}{ci}.",
        d.scenario,
        d.baseline,
        h.scope,
        h.metric.label().to_lowercase(),
        u.difference(h.difference.mean?)
    ))
}

/// How the values of a row of differences are written: the baseline's,
/// the scenario's and their difference in one unit.
pub(crate) fn shown(h: &HeadlineDiff) -> Shown {
    Shown::for_row(
        h.unit,
        [h.baseline.mean, h.scenario.mean, h.difference.mean]
            .into_iter()
            .flatten(),
    )
}

fn reduction(h: &HeadlineDiff) -> String {
    h.variance_reduction.map_or("-".into(), |v| format!("{v:.1}x"))
}

/// `compare.md`.
pub(crate) fn compare_md(r: &CompareResult, seed: u64, inputs: &[InputDifference]) -> Vec<u8> {
    let reps = r.runs.first().map_or(0, |x| x.replications);
    let against = if r.diffs.iter().all(|d| d.baseline == r.names[0]) {
        format!("each scenario minus `{}`", r.names[0])
    } else {
        "each scenario minus each earlier one".to_string()
    };
    let mut out = format!(
        "# {}\n\n{} of each scenario, seed {seed}, common random numbers. \
         Cells: mean ± half-width of the 95% confidence interval; the difference is {against}, \
         replication by replication; variance reduction is how many times smaller the variance of the \
         difference is than under independent sampling.\n",
        r.names.join(" vs "),
        counted(reps, "replication"),
    );
    out.push_str("\n## What differs\n\n");
    out.push_str(&inputs_table(&r.names, inputs));
    let sentences: Vec<String> = r.diffs.iter().filter_map(headline_sentence).collect();
    if !sentences.is_empty() {
        out.push('\n');
        out.push_str(&sentences.join(" "));
        out.push('\n');
    }
    for d in &r.diffs {
        out.push_str(&format!(
            "\n## {} minus {}\n\n| Platform | Metric | {} | {} | Difference | Variance reduction |\n|---|---|---:|---:|---:|---:|\n",
            d.scenario, d.baseline, d.baseline, d.scenario
        ));
        for h in &d.headlines {
            let u = shown(h);
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                h.scope,
                h.metric.label(),
                u.level_ci(h.baseline.mean, h.baseline.ci_low, h.baseline.ci_high),
                u.level_ci(h.scenario.mean, h.scenario.ci_low, h.scenario.ci_high),
                u.difference_ci(h.difference.mean, h.difference.ci_low, h.difference.ci_high),
                reduction(h),
            ));
        }
        for x in &d.unmatched {
            let level = Shown::for_row(x.unit, x.stat.mean).level_ci(x.stat.mean, x.stat.ci_low, x.stat.ci_high);
            let (a, b) = if x.in_baseline {
                (level, "absent".to_string())
            } else {
                ("absent".to_string(), level)
            };
            out.push_str(&format!(
                "| {} | {} | {a} | {b} | absent | - |\n",
                x.scope,
                x.metric.label()
            ));
        }
    }
    out.into_bytes()
}

/// The terminal text: the users and orders each scenario gains or loses
/// against the baseline, per platform.
pub(crate) fn compare_text(r: &CompareResult, inputs: &[InputDifference]) -> String {
    let reps = r.runs.first().map_or(0, |x| x.replications);
    let mut out = format!(
        "{} ({} each, common random numbers)\n",
        r.names.join(" vs "),
        counted(reps, "replication")
    );
    if !inputs.is_empty() {
        out.push_str("\ninputs that differ:\n");
        out.push_str(&from_markdown(&inputs_table(&r.names, inputs)).replace('`', ""));
    }
    for d in &r.diffs {
        out.push_str(&format!("\n{} minus {}:\n", d.scenario, d.baseline));
        if let Some(sentence) = headline_sentence(d) {
            out.push_str(&format!("  {sentence}\n"));
        }
        for x in &d.unmatched {
            if x.metric == Metric::ActiveUsersEnd {
                let (has, lacks) = if x.in_baseline {
                    (&d.baseline, &d.scenario)
                } else {
                    (&d.scenario, &d.baseline)
                };
                out.push_str(&format!("  {}: only in {has}, absent from {lacks}\n", x.scope));
            }
            if x.scope == "market" && x.unit.currency().is_some() {
                let (has, lacks) = if x.in_baseline {
                    (&d.baseline, &d.scenario)
                } else {
                    (&d.scenario, &d.baseline)
                };
                out.push_str(&format!(
                    "  GMV: only in {has} (its platforms give average order values), absent from {lacks}\n"
                ));
            }
        }
        let listed = [Metric::ActiveUsersEnd, Metric::OrdersTotal, Metric::MeanStalenessDays];
        let rows: Vec<&HeadlineDiff> = d
            .headlines
            .iter()
            .filter(|h| {
                (listed.contains(&h.metric) || matches!(h.metric, Metric::GmvTotal(_))) && h.scope != "gatekeeper"
            })
            .collect();
        let w = rows.iter().map(|h| width(&h.scope)).max().unwrap_or(8);
        for h in rows {
            let u = shown(h);
            let lo_hi = match (h.difference.ci_low, h.difference.ci_high) {
                (Some(l), Some(hh)) => format!(" (95% CI {} to {})", u.difference(l), u.difference(hh)),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  {}  {:<28} {:>12}{}  variance reduction {}\n",
                pad(&h.scope, w, true),
                h.metric.label(),
                h.difference.mean.map_or("-".into(), |m| u.difference(m)),
                lo_hi,
                reduction(h)
            ));
        }
        for h in d
            .headlines
            .iter()
            .filter(|h| h.scope == "market" && h.unit == Unit::Hhi)
        {
            let (Some(before), Some(after), Some(rise)) = (h.baseline.mean, h.scenario.mean, h.difference.mean) else {
                continue;
            };
            let u = shown(h);
            out.push_str(&format!(
                "  market  {}: {} → {} ({} HHI points): {}\n",
                h.metric.label(),
                u.level(before),
                u.level(after),
                u.difference(rise),
                guideline_reading(before, after)
            ));
        }
    }
    out
}
