//! The comparison's files: `compare.json` (every scenario's headline
//! statistics, the paired differences against the baseline with their 95%
//! intervals and the variance reduction), `compare.csv` (the same, one row
//! per scenario, scope and metric) and `compare.md` (a table ready for a
//! report), plus the terminal text.

use super::csv::{field, line, num};
use super::format::mean_ci;
use crate::core::metric::Metric;
use crate::experiments::compare::{CompareResult, HeadlineDiff};
use serde::Serialize;

#[derive(Serialize)]
struct Json<'a> {
    gatesim_version: &'a str,
    seed: u64,
    replications: u64,
    baseline: &'a str,
    scenarios: &'a [String],
    note: &'static str,
    comparisons: &'a [crate::experiments::compare::ScenarioDiff],
}

/// `compare.json`.
pub(crate) fn compare_json(r: &CompareResult, seed: u64) -> Vec<u8> {
    let j = Json {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        seed,
        replications: r.runs.first().map_or(0, |x| x.replications),
        baseline: r.names.first().map_or("", |n| n.as_str()),
        scenarios: &r.names,
        note: "difference = scenario minus baseline, replication by replication (common random numbers); \
               variance_reduction = (Var baseline + Var scenario) / Var difference",
        comparisons: &r.diffs,
    };
    let mut bytes = serde_json::to_vec_pretty(&j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// `compare.csv`.
pub(crate) fn compare_csv(r: &CompareResult) -> Vec<u8> {
    let mut out = String::from(
        "scenario,baseline,platform,metric,unit,baseline_mean,baseline_ci_low,baseline_ci_high,\
         scenario_mean,scenario_ci_low,scenario_ci_high,difference_mean,difference_ci_low,difference_ci_high,\
         variance_reduction\n",
    );
    for d in &r.diffs {
        for h in &d.headlines {
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
                    num(h.difference.mean),
                    num(h.difference.ci_low),
                    num(h.difference.ci_high),
                    num(h.variance_reduction),
                ],
            );
        }
    }
    out.into_bytes()
}

fn signed(x: Option<f64>, lo: Option<f64>, hi: Option<f64>, unit: crate::core::metric::Unit) -> String {
    let s = mean_ci(x, lo, hi, unit);
    match x {
        Some(v) if v > 0.0 && !s.starts_with('+') => format!("+{s}"),
        _ => s,
    }
}

fn reduction(h: &HeadlineDiff) -> String {
    h.variance_reduction.map_or("-".into(), |v| format!("{v:.1}x"))
}

/// `compare.md`.
pub(crate) fn compare_md(r: &CompareResult, seed: u64) -> Vec<u8> {
    let reps = r.runs.first().map_or(0, |x| x.replications);
    let mut out = format!(
        "# {}\n\n{reps} replications of each scenario, seed {seed}, common random numbers. \
         Cells: mean ± half-width of the 95% confidence interval; the difference is each scenario minus \
         `{}`, replication by replication; variance reduction is how many times smaller the variance of the \
         difference is than under independent sampling.\n",
        r.names.join(" vs "),
        r.names[0]
    );
    for d in &r.diffs {
        out.push_str(&format!(
            "\n## {} minus {}\n\n| Platform | Metric | {} | {} | Difference | Variance reduction |\n|---|---|---:|---:|---:|---:|\n",
            d.scenario, d.baseline, d.baseline, d.scenario
        ));
        for h in &d.headlines {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                h.scope,
                h.metric.label(),
                mean_ci(h.baseline.mean, h.baseline.ci_low, h.baseline.ci_high, h.unit),
                mean_ci(h.scenario.mean, h.scenario.ci_low, h.scenario.ci_high, h.unit),
                signed(h.difference.mean, h.difference.ci_low, h.difference.ci_high, h.unit),
                reduction(h),
            ));
        }
    }
    out.into_bytes()
}

/// The terminal text: the users and orders each scenario gains or loses
/// against the baseline, per platform.
pub(crate) fn compare_text(r: &CompareResult) -> String {
    let reps = r.runs.first().map_or(0, |x| x.replications);
    let mut out = format!(
        "{} ({reps} replications each, common random numbers)\n",
        r.names.join(" vs ")
    );
    for d in &r.diffs {
        out.push_str(&format!("\n{} minus {}:\n", d.scenario, d.baseline));
        let shown = [Metric::ActiveUsersEnd, Metric::OrdersTotal, Metric::MeanStalenessDays];
        let rows: Vec<&HeadlineDiff> = d
            .headlines
            .iter()
            .filter(|h| shown.contains(&h.metric) && h.scope != "gatekeeper")
            .collect();
        let w = rows.iter().map(|h| h.scope.len()).max().unwrap_or(8);
        for h in rows {
            let lo_hi = match (h.difference.ci_low, h.difference.ci_high) {
                (Some(l), Some(hh)) => format!(" (95% CI {} to {})", h.unit.format(l), h.unit.format(hh)),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  {:<w$}  {:<28} {:>12}{}  variance reduction {}\n",
                h.scope,
                h.metric.label(),
                h.difference.mean.map_or("-".into(), |m| if m > 0.0 {
                    format!("+{}", h.unit.format(m))
                } else {
                    h.unit.format(m)
                }),
                lo_hi,
                reduction(h)
            ));
        }
    }
    out
}
