//! A sensitivity analysis' files: `sensitivity.csv` and `sensitivity.json`
//! (every estimate in long form: `parameter`, `scope`, `metric`, `index`,
//! `estimate`, `ci_low`, `ci_high`; the JSON also says what was run and on
//! which parameters), `sensitivity.md` (one table per output, ready for a
//! report), the design's CSV (every point's parameter values and the mean
//! of every output there, for analyses of one's own) and the summary
//! printed at the end of an analysis. Undefined values are empty cells in
//! CSV and null in JSON, never NaN.

use super::csv::{field, line, num};
use super::notes::{skew_lead, skewed_one};
use super::text_table::from_markdown;
use crate::analysis::sensitivity::{
    Design, Evaluations, Index, Method, Output, ParameterSummary, Record, SensitivityResult, UndefinedOutput,
};
use crate::core::metric::{Metric, Unit};
use crate::core::numbers::{Shown, counted, fixed, parameter, percent};
use serde::Serialize;

/// What the exporters say besides the estimates.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Notes<'a> {
    /// The contrast the outputs are differences from ("updating weekly").
    pub against: Option<&'a str>,
    /// Outputs left out because they are undefined at some points.
    pub skipped: &'a [UndefinedOutput],
}

/// A left-out output in the JSON.
#[derive(Serialize)]
struct Skipped<'a> {
    scope: &'a str,
    metric: &'a str,
    undefined_at_points: &'a [usize],
}

/// `sensitivity.csv`: one row per record.
pub(crate) fn sensitivity_csv(r: &SensitivityResult) -> Vec<u8> {
    let mut out = String::from("parameter,scope,metric,index,estimate,ci_low,ci_high\n");
    for rec in &r.records {
        line(
            &mut out,
            &[
                rec.parameter.as_deref().map_or(String::new(), field),
                field(&rec.scope),
                field(&rec.metric),
                rec.index.name().to_string(),
                num(rec.estimate),
                num(rec.ci_low),
                num(rec.ci_high),
            ],
        );
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct Json<'a> {
    gatesim_version: &'a str,
    scenario: &'a str,
    method: Method,
    design: &'a str,
    seed: u64,
    points: usize,
    replications: usize,
    samples: usize,
    resamples: usize,
    intervals: &'static str,
    parameters: &'a [ParameterSummary],
    outputs: &'a [Output],
    /// The contrast the outputs are differences from (point minus contrast,
    /// replication by replication), if any.
    against: Option<&'a str>,
    skipped: Vec<Skipped<'a>>,
    records: &'a [Record],
}

/// How each method's intervals are made.
fn intervals(method: Method) -> &'static str {
    match method {
        Method::Tornado => "95% Student t intervals of the paired differences over replications",
        Method::Morris => "95% bootstrap percentile intervals over trajectories",
        Method::Sobol => "95% bootstrap percentile intervals over the base sample's rows",
        Method::Uncertainty => "95% bootstrap percentile intervals over the design's points",
    }
}

/// `sensitivity.json`.
pub(crate) fn sensitivity_json(r: &SensitivityResult, scenario: &str, notes: &Notes<'_>) -> Vec<u8> {
    let j = Json {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        scenario,
        method: r.method,
        design: &r.design,
        seed: r.seed,
        points: r.points,
        replications: r.replications,
        samples: r.samples,
        resamples: r.resamples,
        intervals: intervals(r.method),
        parameters: &r.parameters,
        outputs: &r.outputs,
        against: notes.against,
        skipped: notes
            .skipped
            .iter()
            .map(|u| Skipped {
                scope: &u.scope,
                metric: &u.metric,
                undefined_at_points: &u.points,
            })
            .collect(),
        records: &r.records,
    };
    let mut bytes = serde_json::to_vec_pretty(&j).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// An estimate and its interval: "0.312 (0.281 to 0.344)", or "-".
fn cell(rec: Option<&Record>, text: &dyn Fn(f64) -> String) -> String {
    let Some(rec) = rec else { return "-".into() };
    match (rec.estimate, rec.ci_low, rec.ci_high) {
        (Some(e), Some(a), Some(b)) => format!("{} ({} to {})", text(e), text(a), text(b)),
        (Some(e), _, _) => text(e),
        _ => "-".into(),
    }
}

fn index_text(x: f64) -> String {
    fixed(x, 3)
}

/// How an output is called: its label, and the contrast when the outputs
/// are differences ("Active users at the end, difference from updating
/// weekly").
pub(crate) fn output_label(o: &Output, against: Option<&str>) -> String {
    let label = Metric::headline_label(&o.metric).unwrap_or(o.metric.as_str());
    match against {
        Some(a) => format!("{label}, difference from {a}"),
        None => label.to_string(),
    }
}

/// `sensitivity.md`.
pub(crate) fn sensitivity_md(r: &SensitivityResult, scenario: &str, notes: &Notes<'_>) -> String {
    let mut out = format!(
        "# Sensitivity of {scenario}: {}\n\n{}; {} points × {} replications (the same replications at every point), \
         seed {}. Intervals: {}{}.\n",
        r.method.name(),
        capitalised(&r.design),
        r.points,
        r.replications,
        r.seed,
        intervals(r.method),
        if r.resamples > 0 {
            format!(" ({} resamples)", r.resamples)
        } else {
            String::new()
        },
    );
    if let Some(a) = notes.against {
        out.push_str(&format!(
            "\nEvery output is a paired difference: the scenario minus {a}, replication by replication, at every point.\n"
        ));
    }
    if !notes.skipped.is_empty() {
        let list: Vec<String> = notes.skipped.iter().map(UndefinedOutput::to_string).collect();
        out.push_str(&format!(
            "\nLeft out, undefined at some points (never averaged into an index): {}.\n",
            list.join("; ")
        ));
    }
    out.push_str(&format!(
        "\n## Parameters\n\n| parameter | distribution | range |{} why |\n|---|---|---|{}---|\n",
        if r.method == Method::Tornado { " base |" } else { "" },
        if r.method == Method::Tornado { "---|" } else { "" },
    ));
    for p in &r.parameters {
        let base = match (r.method, p.base) {
            (Method::Tornado, Some(b)) => format!(" {} |", parameter(b)),
            (Method::Tornado, None) => " - |".into(),
            _ => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} to {} |{base} {} |\n",
            p.name,
            p.distribution,
            parameter(p.low),
            parameter(p.high),
            p.why
        ));
    }
    for o in &r.outputs {
        out.push_str(&format!("\n## {}: {}\n\n", o.scope, output_label(o, notes.against)));
        out.push_str(&section(r, o, notes));
    }
    out
}

/// How the values of output `o` are written: in its unit, in one unit for
/// all of them (`values`: the estimates of its table).
fn shown(o: &Output, values: impl IntoIterator<Item = f64>) -> Shown {
    let unit = Metric::headline_named(&o.metric)
        .map(Metric::unit)
        .or_else(|| Unit::named(&o.unit))
        .unwrap_or(Unit::Users);
    Shown::for_row(unit, values)
}

/// The method's table for output `o`.
fn section(r: &SensitivityResult, o: &Output, notes: &Notes<'_>) -> String {
    let mut out = String::new();
    let rec = |p: Option<&str>, index| r.record(p, &o.scope, &o.metric, index);
    let all = r
        .records
        .iter()
        .filter(|x| x.scope == o.scope && x.metric == o.metric && x.index != Index::NoiseShare)
        .filter_map(|x| x.estimate);
    let u = shown(o, all);
    // Outputs are differences when analysed against a contrast.
    let differences = notes.against.is_some();
    let level = |x: f64| if differences { u.difference(x) } else { u.level(x) };
    let change = |x: f64| u.difference(x);
    let spread = |x: f64| u.spread(x, true);
    let sd = |x: f64| u.spread(x, differences);
    match r.method {
        Method::Tornado => {
            out.push_str(&format!(
                "At the base: {}. Changes from the base, sorted by swing.\n\n\
                 | parameter | at its low value | at its high value | swing (high − low) |\n|---|---:|---:|---:|\n",
                cell(rec(None, Index::Base), &level)
            ));
            for p in sorted(r, o, Index::Swing) {
                let n = Some(p.name.as_str());
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    p.name,
                    cell(rec(n, Index::Low), &change),
                    cell(rec(n, Index::High), &change),
                    cell(rec(n, Index::Swing), &change)
                ));
            }
            out.push_str(&skew_warning(r, o));
        }
        Method::Morris => {
            out.push_str(
                "Elementary effects per whole range of each parameter, sorted by μ*.\n\n\
                 | parameter | μ* (mean absolute effect) | μ (mean effect) | σ (spread) |\n|---|---:|---:|---:|\n",
            );
            for p in sorted(r, o, Index::MuStar) {
                let n = Some(p.name.as_str());
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    p.name,
                    cell(rec(n, Index::MuStar), &spread),
                    cell(rec(n, Index::Mu), &change),
                    cell(rec(n, Index::Sigma), &spread)
                ));
            }
        }
        Method::Sobol => {
            out.push_str(&format!(
                "Sum of first-order indices: {} (1 when the effects add up). Sorted by total index.\n\n\
                 | parameter | first order | total |\n|---|---:|---:|\n",
                cell(rec(None, Index::SumFirstOrder), &index_text)
            ));
            for p in sorted(r, o, Index::Total) {
                let n = Some(p.name.as_str());
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    p.name,
                    cell(rec(n, Index::FirstOrder), &index_text),
                    cell(rec(n, Index::Total), &index_text)
                ));
            }
        }
        Method::Uncertainty => {
            let share = |x: f64| percent(x, 1);
            let est = |index| rec(None, index).and_then(|x| x.estimate).map(&level);
            if let (Some(m), Some(a), Some(b)) = (est(Index::Mean), est(Index::P05), est(Index::P95)) {
                out.push_str(&format!(
                    "{m} on average over the plausible assumptions; 90% of them give between {a} and {b}.\n\n"
                ));
            }
            out.push_str(&format!(
                "| statistic | value |\n|---|---:|\n| mean | {} |\n| 5th percentile | {} |\n| median | {} |\n\
                 | 95th percentile | {} |\n| standard deviation | {} |\n| share of the variance that is Monte Carlo noise | {} |\n",
                cell(rec(None, Index::Mean), &level),
                cell(rec(None, Index::P05), &level),
                cell(rec(None, Index::P50), &level),
                cell(rec(None, Index::P95), &level),
                cell(rec(None, Index::Sd), &sd),
                cell(rec(None, Index::NoiseShare), &share)
            ));
            if rec(None, Index::NoiseShare).and_then(|x| x.estimate) == Some(1.0) {
                out.push_str(&format!(
                    "\nThe Monte Carlo noise is as large as the whole spread (its estimate, held at 100%, \
                     reached it): {} replications per point cannot tell the assumptions' effect from noise; \
                     run more.\n",
                    r.replications
                ));
            }
        }
    }
    out
}

/// A tornado's warning naming the effects of output `o` whose paired
/// differences are skewed enough for their t interval to cover less than
/// 95% at the analysis' replications (Cochran's rule, as for a run's
/// headlines); empty when there is none.
fn skew_warning(r: &SensitivityResult, o: &Output) -> String {
    let skewed: Vec<String> = r
        .records
        .iter()
        .filter(|x| x.scope == o.scope && x.metric == o.metric && x.may_under_cover(r.replications))
        .map(|x| {
            let name = match &x.parameter {
                Some(p) => format!("{p} {}", x.index.name()),
                None => x.index.name().to_string(),
            };
            skewed_one(&name, x.skewness, x.replications_for_t)
        })
        .collect();
    if skewed.is_empty() {
        return String::new();
    }
    format!(
        "\n{}{}. Run at least the number given (-n).\n",
        skew_lead(r.replications as u64),
        skewed.join("; ")
    )
}

/// The summary printed at the end of an analysis: what ran, then the
/// method's table for each output of `focal` (a scope; every output when
/// `None` or when none is of that scope): for a tornado, Morris or Sobol
/// analysis the first such output, for an uncertainty analysis each.
pub(crate) fn sensitivity_text(
    r: &SensitivityResult,
    scenario: &str,
    notes: &Notes<'_>,
    focal: Option<&str>,
) -> String {
    let mut out = format!(
        "{scenario}: {} over {}; {} × {}, seed {}\n",
        r.method.name(),
        counted(r.parameters.len(), "parameter"),
        counted(r.points, "point"),
        counted(r.replications, "replication"),
        r.seed
    );
    if let Some(a) = notes.against {
        out.push_str(&format!("outputs: differences from {a} (paired)\n"));
    }
    for u in notes.skipped {
        out.push_str(&format!("left out, undefined at some points: {u}\n"));
    }
    let mut shown: Vec<&Output> = r.outputs.iter().filter(|o| Some(o.scope.as_str()) == focal).collect();
    if shown.is_empty() {
        shown = r.outputs.iter().collect();
    }
    if r.method != Method::Uncertainty {
        shown.truncate(1);
    }
    for o in shown {
        out.push_str(&format!("\n{}: {}\n", o.scope, output_label(o, notes.against)));
        out.push_str(&from_markdown(&section(r, o, notes)));
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|a| a.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The parameters sorted by the absolute estimate of `index` for output
/// `o`, largest first, undefined last.
fn sorted<'a>(r: &'a SensitivityResult, o: &Output, index: Index) -> Vec<&'a ParameterSummary> {
    let key = |p: &ParameterSummary| {
        r.record(Some(&p.name), &o.scope, &o.metric, index)
            .and_then(|x| x.estimate)
            .map(f64::abs)
    };
    let mut v: Vec<&ParameterSummary> = r.parameters.iter().collect();
    v.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    v
}

/// The design's CSV: one row per point (`point`, `group`, `role`, each
/// parameter's value, then each output's mean over the replications,
/// named `scope.metric`).
pub fn design_csv(design: &Design, ev: &Evaluations) -> Vec<u8> {
    let mut out = String::new();
    let mut header = vec!["point".to_string(), "group".into(), "role".into()];
    header.extend(design.parameters().iter().map(|p| field(&p.name)));
    header.extend(ev.outputs().iter().map(|o| field(&format!("{}.{}", o.scope, o.metric))));
    line(&mut out, &header);
    for (i, x) in design.points().iter().enumerate() {
        let role = design.role(i);
        let mut cells = vec![i.to_string(), role.group.to_string(), field(&role.role)];
        cells.extend(x.iter().map(|&v| num(Some(v))));
        if i < ev.points() {
            cells.extend((0..ev.outputs().len()).map(|o| num(Some(ev.mean(i, o)))));
        }
        line(&mut out, &cells);
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::{Distribution, Parameter, ParameterSpace, analyse, tornado_design};

    fn tornado() -> (Design, Evaluations, SensitivityResult) {
        let space = ParameterSpace::new(vec![
            Parameter::new("users.churn", Distribution::uniform(0.5, 2.0).unwrap()).with_why("a guess"),
            Parameter::new("grace, days", Distribution::uniform(0.0, 30.0).unwrap()),
        ])
        .unwrap();
        let design = tornado_design(&space, &[1.0, 14.0], 7).unwrap();
        let outputs = vec![
            Output::new("Taocaicai", "active_users_end", "users"),
            Output::new("market", "orders_total", "orders"),
        ];
        let ev = Evaluations::evaluate(&design, outputs, 3, |x, r| {
            vec![1000.0 - 100.0 * x[0] - x[1] + r as f64, 5.0]
        })
        .unwrap();
        let result = analyse(&design, &ev, 0).unwrap();
        (design, ev, result)
    }

    #[test]
    fn a_tornado_names_the_effects_whose_differences_are_too_skewed_for_their_replications() {
        let space = ParameterSpace::new(vec![Parameter::new(
            "users.churn",
            Distribution::uniform(0.5, 2.0).unwrap(),
        )])
        .unwrap();
        let design = tornado_design(&space, &[1.0], 7).unwrap();
        // At the high value one replication in ten jumps: its differences
        // from the base (and the swing) are skewed; the low value's are not.
        let ev = Evaluations::evaluate(
            &design,
            vec![Output::new("Held", "orders_total", "orders")],
            10,
            |x, r| {
                let jump = if x[0] > 1.5 && r == 3 { 500.0 } else { 0.0 };
                vec![100.0 + x[0] + (r % 2) as f64 + jump]
            },
        )
        .unwrap();
        let r = analyse(&design, &ev, 0).unwrap();
        let md = sensitivity_md(&r, "s", &Notes::default());
        assert!(
            md.contains("Warning: skewed across replications, so their 95% intervals may cover less than 95% at 10 replications: users.churn high (skewness 3.2: 250 replications); users.churn swing"),
            "{md}"
        );
        assert!(!md.contains("users.churn low ("), "{md}");
        let high = r
            .record(Some("users.churn"), "Held", "orders_total", Index::High)
            .unwrap();
        assert!(high.may_under_cover(10) && !high.may_under_cover(250));
        // Symmetric differences: no warning.
        let (_, _, even) = tornado();
        assert!(!sensitivity_md(&even, "s", &Notes::default()).contains("Warning"));
    }

    #[test]
    fn the_csv_is_long_form_with_empty_cells_for_undefined_values() {
        let (_, _, r) = tornado();
        let csv = String::from_utf8(sensitivity_csv(&r)).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "parameter,scope,metric,index,estimate,ci_low,ci_high");
        assert_eq!(lines.len(), 1 + 2 * (1 + 2 * 3));
        assert!(
            lines[1].starts_with(",Taocaicai,active_users_end,base,"),
            "{}",
            lines[1]
        );
        assert!(
            csv.contains("users.churn,Taocaicai,active_users_end,low,50,50,50\n"),
            "{csv}"
        );
        // A parameter name with a comma is quoted.
        assert!(
            csv.contains("\"grace, days\",market,orders_total,swing,0,0,0\n"),
            "{csv}"
        );
        assert!(!csv.contains("NaN"));
    }

    #[test]
    fn the_json_holds_the_run_and_every_record_with_null_for_undefined_values() {
        let (_, _, mut r) = tornado();
        r.records[0].ci_low = None;
        let j: serde_json::Value = serde_json::from_slice(&sensitivity_json(&r, "guizhou", &Notes::default())).unwrap();
        assert_eq!(j["scenario"], "guizhou");
        assert_eq!(j["method"], "tornado");
        assert_eq!(j["parameters"][0]["why"], "a guess");
        assert_eq!(j["records"][0]["parameter"], serde_json::Value::Null);
        assert_eq!(j["records"][0]["ci_low"], serde_json::Value::Null);
        assert_eq!(j["records"][1]["index"], "low");
        assert_eq!(j["records"].as_array().unwrap().len(), r.records.len());
    }

    #[test]
    fn the_markdown_has_the_parameters_and_a_table_per_output_sorted_by_swing() {
        let (_, _, r) = tornado();
        let md = sensitivity_md(&r, "guizhou", &Notes::default());
        assert!(md.starts_with("# Sensitivity of guizhou: tornado\n"), "{md}");
        assert!(
            md.contains("| users.churn | uniform 0.5 to 2 | 0.5 to 2 | 1 | a guess |"),
            "{md}"
        );
        assert!(md.contains("## Taocaicai: Active users at the end"), "{md}");
        // The churn moves users by 150, the grace by 30: churn first.
        let churn = md.find("| users.churn | +50").expect("churn's row");
        let grace = md.find("| grace, days | +14").expect("grace's row");
        assert!(churn < grace, "{md}");
    }

    #[test]
    fn the_design_csv_lists_every_point_its_role_and_the_outputs_means() {
        let (design, ev, _) = tornado();
        let csv = String::from_utf8(design_csv(&design, &ev)).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "point,group,role,users.churn,\"grace, days\",Taocaicai.active_users_end,market.orders_total"
        );
        assert_eq!(lines.len(), 1 + 5);
        // Base: 1000 - 100 - 14 + mean(0, 1, 2) = 887.
        assert_eq!(lines[1], "0,0,base,1,14,887,5");
        assert_eq!(lines[2], "1,0,low:users.churn,0.5,14,937,5");
    }
}
