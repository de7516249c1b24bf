//! The sweep's files: `sweep.csv` (one row per point: the parameters'
//! values, then every headline metric's mean and 95% interval), `sweep.json`
//! (the same with full statistics) and `sweep.md` (per platform, the main
//! headline metrics at every point).

use super::cells::column_cells;
use super::csv::{field, line, num};
use crate::core::metric::Metric;
use crate::core::numbers::Shown;
use crate::experiments::compare::HeadlineDiff;
use crate::experiments::sweep::SweepResult;
use serde::Serialize;

/// `sweep.csv`.
pub(crate) fn sweep_csv(r: &SweepResult) -> Vec<u8> {
    let mut out = String::new();
    let Some(first) = r.points.first() else {
        return out.into_bytes();
    };
    let mut header: Vec<String> = r.keys.iter().map(|k| field(k)).collect();
    for h in &first.result.headlines {
        for part in ["mean", "ci_low", "ci_high"] {
            header.push(field(&format!("{}.{}.{part}", h.scope, h.metric)));
        }
    }
    // With a reference point: each headline's paired difference from it, in
    // the difference's unit (percentage points for shares and percentages).
    if r.reference.is_some() {
        for h in &first.differences {
            for part in ["difference_mean", "difference_ci_low", "difference_ci_high"] {
                header.push(field(&format!("{}.{}.{part}", h.scope, h.metric)));
            }
        }
    }
    line(&mut out, &header);
    for p in &r.points {
        let mut cells: Vec<String> = p.values.iter().map(|v| field(v)).collect();
        for h in &p.result.headlines {
            cells.extend([num(h.stat.mean), num(h.stat.ci_low), num(h.stat.ci_high)]);
        }
        for d in &p.differences {
            let x = d.difference.scaled(d.unit.difference_scale());
            cells.extend([num(x.mean), num(x.ci_low), num(x.ci_high)]);
        }
        line(&mut out, &cells);
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct Point<'a> {
    values: &'a [String],
    replications: u64,
    headlines: &'a [crate::experiments::montecarlo::Headline],
    /// Paired differences from the reference point (with `--reference`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    differences: &'a [HeadlineDiff],
}

#[derive(Serialize)]
struct Json<'a> {
    gatesim_version: &'a str,
    scenario: &'a str,
    seed: u64,
    parameters: &'a [String],
    /// The values of the point the differences are from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a [String]>,
    points: Vec<Point<'a>>,
}

/// `sweep.json`.
pub(crate) fn sweep_json(r: &SweepResult, scenario: &str, seed: u64) -> Vec<u8> {
    let j = Json {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario,
        seed,
        parameters: &r.keys,
        reference: r.reference.and_then(|i| r.points.get(i)).map(|p| p.values.as_slice()),
        points: r
            .points
            .iter()
            .map(|p| Point {
                values: &p.values,
                replications: p.result.replications,
                headlines: &p.result.headlines,
                differences: &p.differences,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The headline metrics shown in `sweep.md` and the terminal, when present
/// (and the GMV after the orders, when the scenario gives order values).
const SHOWN: [Metric; 4] = [
    Metric::ActiveUsersEnd,
    Metric::OrdersTotal,
    Metric::MeanStalenessDays,
    Metric::ShareOfBuildsReleased,
];

/// `sweep.md` (also printed at the end of a sweep).
pub(crate) fn sweep_md(r: &SweepResult, scenario: &str, seed: u64) -> String {
    let Some(first) = r.points.first() else {
        return String::new();
    };
    let mut out = format!(
        "# Sweep of {scenario} over {}\n\n{} replications per point, seed {seed}, common random numbers across points. \
         Cells: mean ± half-width of the 95% confidence interval.\n",
        r.keys.join(" and "),
        first.result.replications
    );
    for platform in &first.result.platforms {
        let metrics: Vec<Metric> = Metric::with_gmv(&SHOWN, first.result.currency())
            .iter()
            .copied()
            .filter(|m| first.result.headline(platform, *m).is_some())
            .collect();
        out.push_str(&format!("\n## {platform}\n\n| {} |", r.keys.join(" | ")));
        for m in &metrics {
            out.push_str(&format!(" {} |", m.label()));
        }
        out.push_str(&format!(
            "\n|{}{}\n",
            "---|".repeat(r.keys.len()),
            "---:|".repeat(metrics.len())
        ));
        let columns: Vec<Vec<String>> = metrics
            .iter()
            .map(|m| {
                let found: Vec<_> = r.points.iter().map(|p| p.result.headline(platform, *m)).collect();
                column_cells(*m, &found)
            })
            .collect();
        for (i, p) in r.points.iter().enumerate() {
            out.push_str(&format!("| {} |", p.values.join(" | ")));
            for c in &columns {
                out.push_str(&format!(" {} |", c[i]));
            }
            out.push('\n');
        }
        if let Some(reference) = r.reference.and_then(|i| r.points.get(i)) {
            out.push_str(&format!(
                "\nPaired differences from the point {} (replication by replication):\n\n| {} |",
                r.keys
                    .iter()
                    .zip(&reference.values)
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                r.keys.join(" | ")
            ));
            for m in &metrics {
                out.push_str(&format!(" {} |", m.label()));
            }
            out.push_str(&format!(
                "\n|{}{}\n",
                "---|".repeat(r.keys.len()),
                "---:|".repeat(metrics.len())
            ));
            for (i, p) in r.points.iter().enumerate() {
                out.push_str(&format!("| {} |", p.values.join(" | ")));
                for m in &metrics {
                    let cell = match p.differences.iter().find(|d| d.scope == *platform && d.metric == *m) {
                        _ if Some(i) == r.reference => "reference".to_string(),
                        Some(d) => Shown::for_row(d.unit, d.difference.mean).difference_ci(
                            d.difference.mean,
                            d.difference.ci_low,
                            d.difference.ci_high,
                        ),
                        None => "-".into(),
                    };
                    out.push_str(&format!(" {cell} |"));
                }
                out.push('\n');
            }
        }
    }
    out
}
