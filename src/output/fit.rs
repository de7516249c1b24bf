//! The results of `gatesim fit`: `fit.json` (estimates with standard
//! errors, log-likelihoods, the observed and fitted curves, the scenario
//! lines), and the same as text for the terminal and as Markdown for
//! `fit.md`. The scenario lines are printed so that they load as they are:
//! `churn_alpha` and `churn_beta` for `[platforms.users]`, and
//! distribution tables for `review_hours`, `hold_days` and `fix_days`, with
//! four significant digits.

use crate::fit::bdw::LrTest;
use crate::fit::rescale::DailyParams;
use crate::fit::retention::{ChiSquare, ModelFit};
use crate::fit::{DurationsFit, Family, FamilyFit, Model, Param, RetentionFit, Unit};
use serde::Serialize;

/// `x` with `digits` significant digits, as a TOML number (plain decimals;
/// an exponent only beyond 1e15 or below 1e-6).
pub fn sig(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_finite() { "0".into() } else { format!("{x}") };
    }
    let e = libm::floor(libm::log10(x.abs())) as i32;
    if !(-6..15).contains(&e) {
        return format!("{:.*e}", (digits - 1).max(0) as usize, x);
    }
    format!("{:.*}", (digits - 1 - e).max(0) as usize, x)
}

/// `estimate ± se`, or the estimate with "(no standard error)".
fn with_se(p: &Param) -> String {
    match p.se {
        Some(se) => format!("{} ± {}", sig(p.estimate, 4), sig(se, 2)),
        None => format!("{} (no standard error)", sig(p.estimate, 4)),
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A table as aligned text (numbers right-aligned) or as Markdown.
fn table(head: &[&str], rows: &[Vec<String>], md: bool) -> String {
    let mut out = String::new();
    if md {
        out.push_str(&format!("| {} |\n", head.join(" | ")));
        out.push_str(&format!("|{}\n", head.iter().map(|_| "---|").collect::<String>()));
        for r in rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        return out;
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain(std::iter::once(head[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Numbers (and percentages) right-aligned, text left-aligned.
    let numeric: Vec<bool> = (0..head.len())
        .map(|i| {
            rows.iter().all(|r| {
                let c = r[i].trim_end_matches('%');
                c.is_empty() || c.parse::<f64>().is_ok()
            })
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let s: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                if numeric[i] {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        format!("  {}\n", s.join("   ").trim_end())
    };
    out.push_str(&line(head.to_vec()));
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// A paragraph: wrapped at 78 columns and indented for the terminal, one
/// line in Markdown.
fn para(text: &str, md: bool) -> String {
    if md {
        return format!("\n{text}\n");
    }
    let mut out = String::new();
    let mut line = String::from(" ");
    for word in text.split_whitespace() {
        if line.chars().count() + 1 + word.chars().count() > 78 && !line.trim().is_empty() {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn heading(text: &str, md: bool) -> String {
    if md {
        format!("\n## {text}\n\n")
    } else {
        format!("\n{text}\n")
    }
}

/// Lines of scenario text to paste, as they are (a code block in Markdown).
fn paste(lines: &[String], md: bool) -> String {
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    if md { format!("```toml\n{body}```\n") } else { body }
}

/// Periods to show: all of a short table, else a spread that keeps the first
/// and the last.
fn shown(from: usize, to: usize, most: usize) -> Vec<usize> {
    if to < from {
        return Vec::new();
    }
    let n = to - from + 1;
    if n <= most {
        return (from..=to).collect();
    }
    let mut v: Vec<usize> = (0..most).map(|i| from + (i * (n - 1)) / (most - 1)).collect();
    v.dedup();
    v
}

/// The TOML lines of the per-day churn parameters.
pub fn churn_lines(f: &RetentionFit) -> Vec<String> {
    let (a, b) = f.daily();
    vec![
        format!("churn_alpha = {}", sig(a, 4)),
        format!("churn_beta = {}", sig(b, 4)),
    ]
}

fn model_block(m: &ModelFit, md: bool) -> String {
    let mut out = heading(&format!("{}, maximum likelihood", m.model.title()), md);
    let rows: Vec<Vec<String>> = m
        .parameters
        .iter()
        .map(|p| vec![p.name.to_string(), with_se(p)])
        .collect();
    out.push_str(&table(&["parameter", "estimate ± standard error"], &rows, md));
    out.push_str(&format!(
        "{}log-likelihood {:.3}; chi-square {} on {} df{}\n",
        if md { "\n" } else { "  " },
        m.log_likelihood,
        sig(m.chi_square.statistic, 3),
        m.chi_square.df,
        m.chi_square
            .p_value
            .map(|p| format!(", p = {}", sig(p, 2)))
            .unwrap_or_default()
    ));
    if m.model == Model::Bdw {
        out.push_str(&para(
            "c < 1: each user's churn falls with tenure; c > 1: it rises; c = 1 is the sBG.",
            md,
        ));
    }
    if m.at_bound {
        out.push_str(&para(
            "Warning: an estimate ran to the edge of the search, or the likelihood is flat there: the counts \
             fit a limiting case of the model (for the sBG, alpha and beta both huge: the same churn for \
             everyone, geometric survival; beta near 0: everyone leaves at once), and there are no standard \
             errors.",
            md,
        ));
    }
    out
}

fn lr_block(t: &LrTest, md: bool) -> String {
    let verdict = if t.p_value < 0.05 {
        "the sBG is rejected at 5%: churn depends on tenure beyond what the sBG's mix of users explains"
    } else {
        "the sBG is not rejected at 5%"
    };
    let mut out = heading("The BdW against the sBG", md);
    let text = para(
        &format!(
            "Likelihood-ratio test of c = 1: statistic {} on {} df, p = {}: {verdict}. gatesim's user model is \
             the sBG: the lines to paste are the sBG's.",
            sig(t.statistic, 3),
            t.df,
            sig(t.p_value, 2)
        ),
        md,
    );
    // Straight under the heading, without a second blank line.
    out.push_str(text.trim_start_matches('\n'));
    out
}

fn curves_block(f: &RetentionFit, md: bool) -> String {
    let pooled = f.data.pooled();
    let several = f.data.cohorts.len() > 1;
    let models: Vec<&ModelFit> = std::iter::once(&f.sbg).chain(f.bdw.as_ref()).collect();
    let mut head = vec!["period"];
    if several {
        head.push("cohorts");
    }
    head.push("observed");
    for m in &models {
        head.push(m.model.short());
    }
    let last = f.last_period();
    let row = |t: usize, observed: Option<(u64, u64)>| {
        let mut r = vec![t.to_string()];
        if several {
            let k = f.data.cohorts.iter().filter(|c| c.last_period() >= t).count();
            r.push(if observed.is_some() {
                k.to_string()
            } else {
                String::new()
            });
        }
        r.push(observed.map(|(n, s)| pct(s as f64 / n as f64)).unwrap_or_default());
        for m in &models {
            r.push(pct(m.fitted[t]));
        }
        r
    };
    let mut rows: Vec<Vec<String>> = shown(0, last, 16)
        .into_iter()
        .map(|t| row(t, Some(pooled[t])))
        .collect();
    let projected = shown(last + 1, last + f.projection, 8);
    if !projected.is_empty() {
        let mut mark = vec![String::new(); head.len()];
        mark[0] = if md { "*projected*".into() } else { "projected:".into() };
        rows.push(mark);
        rows.extend(projected.into_iter().map(|t| row(t, None)));
    }
    let unit = f.period.name();
    let mut out = heading(
        &format!("Share still active after each {unit}: observed, fitted and projected"),
        md,
    );
    out.push_str(&table(&head, &rows, md));
    out
}

fn daily_block(f: &RetentionFit, d: &DailyParams, md: bool) -> String {
    let unit = f.period.name();
    let mut out = heading("Per day, for gatesim's daily user model", md);
    let rows: Vec<Vec<String>> = d
        .parameters
        .iter()
        .map(|p| vec![p.name.to_string(), with_se(p)])
        .collect();
    out.push_str(&table(&["parameter", "estimate ± standard error"], &rows, md));
    out.push_str(&para(
        &format!(
            "The daily sBG fitted by maximum likelihood to the same counts, each {unit}'s losses churning on one \
             of its {days} days. This is an approximation: an sBG per {unit} holds exactly only at {unit} ends, \
             and no daily sBG reproduces it exactly. At every {unit} end up to {unit} {n}, the two survival \
             curves differ by at most {gap} percentage points.",
            days = d.days_per_period,
            n = d.compared_periods,
            gap = sig(100.0 * d.max_gap, 2),
        ),
        md,
    ));
    out
}

/// A retention fit as text (`md` false) or Markdown.
fn retention_doc(f: &RetentionFit, file: &str, md: bool) -> String {
    let cohorts = f.data.cohorts.len();
    let mut out = if md {
        format!("# Retention fit: {file}\n\n")
    } else {
        format!("fit retention: {file}\n")
    };
    out.push_str(&format!(
        "{} of {} users, periods 0 to {} (a period is a {})\n",
        if cohorts == 1 {
            "1 cohort".to_string()
        } else {
            format!("{cohorts} cohorts")
        },
        f.data.users(),
        f.last_period(),
        f.period.name()
    ));
    out.push_str(&model_block(&f.sbg, md));
    if let Some(b) = &f.bdw {
        out.push_str(&model_block(b, md));
    }
    if let Some(t) = &f.lr_test {
        out.push_str(&lr_block(t, md));
    }
    out.push_str(&curves_block(f, md));
    if let Some(d) = &f.per_day {
        out.push_str(&daily_block(f, d, md));
    }
    out.push_str(&heading(
        "Paste under [platforms.users], after the platform's [[platforms]]",
        md,
    ));
    out.push_str(&paste(&churn_lines(f), md));
    if f.per_day.is_some() {
        out.push_str(&para(
            &format!(
                "(A scenario whose every day stands for a {unit} would keep the per-{unit} values: \
                 churn_alpha {}, churn_beta {}.)",
                sig(f.sbg.estimate("alpha"), 4),
                sig(f.sbg.estimate("beta"), 4),
                unit = f.period.name()
            ),
            md,
        ));
    }
    out
}

/// The terminal text of a retention fit of `file` (its name).
pub fn retention_text(f: &RetentionFit, file: &str) -> String {
    retention_doc(f, file, false)
}

/// `fit.md` of a retention fit.
pub fn retention_md(f: &RetentionFit, file: &str) -> Vec<u8> {
    retention_doc(f, file, true).into_bytes()
}

#[derive(Serialize)]
struct Observed {
    period: usize,
    cohorts: usize,
    users: u64,
    active: u64,
    survival: f64,
}

#[derive(Serialize)]
struct Fitted {
    period: usize,
    survival: f64,
    projected: bool,
}

#[derive(Serialize)]
struct CohortJson<'a> {
    cohort: &'a str,
    active: &'a [u64],
}

#[derive(Serialize)]
struct OtherModel<'a> {
    model: Model,
    parameters: &'a [Param],
    log_likelihood: f64,
    chi_square: &'a ChiSquare,
    at_bound: bool,
    fitted: Vec<Fitted>,
}

#[derive(Serialize)]
struct PerDay<'a> {
    method: &'static str,
    #[serde(flatten)]
    params: &'a DailyParams,
}

#[derive(Serialize)]
struct RetentionJson<'a> {
    gatesim_version: &'static str,
    kind: &'static str,
    file: &'a str,
    period: &'static str,
    days_per_period: u32,
    model: Model,
    parameters: &'a [Param],
    log_likelihood: f64,
    n: u64,
    chi_square: &'a ChiSquare,
    at_bound: bool,
    last_period: usize,
    projected_periods: usize,
    observed: Vec<Observed>,
    fitted: Vec<Fitted>,
    cohorts: Vec<CohortJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sbg: Option<OtherModel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    likelihood_ratio_test: Option<&'a LrTest>,
    per_day: Option<PerDay<'a>>,
    toml: Vec<String>,
}

fn fitted(m: &ModelFit, last: usize) -> Vec<Fitted> {
    m.fitted
        .iter()
        .enumerate()
        .map(|(t, &s)| Fitted {
            period: t,
            survival: s,
            projected: t > last,
        })
        .collect()
}

fn to_bytes(v: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    bytes.push(b'\n');
    bytes
}

/// `fit.json` of a retention fit of `file` (its name).
pub fn retention_json(f: &RetentionFit, file: &str) -> Vec<u8> {
    let m = f.chosen();
    let last = f.last_period();
    let observed = f
        .data
        .pooled()
        .into_iter()
        .enumerate()
        .map(|(t, (users, active))| Observed {
            period: t,
            cohorts: f.data.cohorts.iter().filter(|c| c.last_period() >= t).count(),
            users,
            active,
            survival: active as f64 / users as f64,
        })
        .collect();
    let j = RetentionJson {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        kind: "retention",
        file,
        period: f.period.name(),
        days_per_period: f.period.days(),
        model: m.model,
        parameters: &m.parameters,
        log_likelihood: m.log_likelihood,
        n: f.data.users(),
        chi_square: &m.chi_square,
        at_bound: m.at_bound,
        last_period: last,
        projected_periods: f.projection,
        observed,
        fitted: fitted(m, last),
        cohorts: f
            .data
            .cohorts
            .iter()
            .map(|c| CohortJson {
                cohort: &c.name,
                active: &c.active,
            })
            .collect(),
        sbg: (m.model != Model::Sbg).then(|| OtherModel {
            model: Model::Sbg,
            parameters: &f.sbg.parameters,
            log_likelihood: f.sbg.log_likelihood,
            chi_square: &f.sbg.chi_square,
            at_bound: f.sbg.at_bound,
            fitted: fitted(&f.sbg, last),
        }),
        likelihood_ratio_test: f.lr_test.as_ref(),
        per_day: f.per_day.as_ref().map(|d| PerDay {
            method: "maximum likelihood of the daily sBG on the same counts, each period's losses churning on one \
                     of its days; max_gap: largest difference from the per-period fit at the period ends",
            params: d,
        }),
        toml: churn_lines(f),
    };
    to_bytes(&j)
}

/// A distribution table as a scenario writes it, with the parameters
/// scaled by `factor` where they carry time (1/24 from hours to days).
pub fn dist_table(fit: &FamilyFit, factor: f64) -> String {
    let parts: Vec<String> = fit
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = if fit.family.scales_with_time(i) {
                p.estimate * factor
            } else {
                p.estimate
            };
            format!("{} = {}", p.name, sig(v, 4))
        })
        .collect();
    format!("{{ dist = \"{}\", {} }}", fit.family.name(), parts.join(", "))
}

/// The scenario lines of the best fit: `review_hours`, `hold_days`, `fix_days`.
pub fn duration_lines(f: &DurationsFit) -> Vec<(&'static str, String)> {
    let best = &f.families[0];
    let to_hours = f.unit.hours();
    let hours = dist_table(best, to_hours);
    let days = dist_table(best, to_hours / 24.0);
    vec![
        ("review_hours", format!("review_hours = {hours}")),
        ("hold_days", format!("hold_days = {days}")),
        ("fix_days", format!("fix_days = {days}")),
    ]
}

fn params_cell(f: &FamilyFit) -> String {
    f.parameters
        .iter()
        .map(|p| format!("{} {}", p.name, with_se(p)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn durations_doc(f: &DurationsFit, file: &str, md: bool) -> String {
    let mut out = if md {
        format!("# Duration fit: {file}\n\n")
    } else {
        format!("fit durations: {file}\n")
    };
    out.push_str(&format!(
        "{} durations in column `{}`, in {}\n",
        f.n,
        f.column,
        f.unit.name()
    ));
    match &f.censored_column {
        Some(c) => out.push_str(&format!(
            "{} still pending when observed (right-censored: column `{c}`)\n",
            f.censored
        )),
        None => out.push_str("none pending (no column `censored` or `pending`)\n"),
    }
    let name = f.column.to_ascii_lowercase();
    let other = match f.unit {
        Unit::Hours => "day",
        Unit::Days => "hour",
    };
    if name.contains(other) {
        out.push_str(&para(
            &format!(
                "Note: the column's name says {other}s but the durations are read in {} (--unit).",
                f.unit.name()
            ),
            md,
        ));
    }
    out.push_str(&heading("Maximum-likelihood fits, best (lowest AIC) first", md));
    let rows: Vec<Vec<String>> = f
        .families
        .iter()
        .map(|x| {
            vec![
                x.family.name().to_string(),
                format!("{:.1}", x.aic),
                format!("{:.1}", x.delta_aic),
                format!("{:.3}", x.akaike_weight),
                format!("{:.3}", x.ks_distance),
                params_cell(x),
            ]
        })
        .collect();
    out.push_str(&table(
        &["family", "AIC", "ΔAIC", "weight", "KS", "parameters (± standard error)"],
        &rows,
        md,
    ));
    out.push_str(&para(
        &format!(
            "AIC = 2 × parameters − 2 × log-likelihood (lower is better); weight: the Akaike weight; KS: the \
             largest gap between the fitted CDF and the {}. Parameters in {}.",
            if f.censored > 0 {
                "Kaplan-Meier estimate"
            } else {
                "empirical CDF"
            },
            f.unit.name()
        ),
        md,
    ));
    for x in f.families.iter().filter(|x| x.at_bound) {
        out.push_str(&para(
            &format!(
                "Warning: the {} estimates ran to the edge of the search; they have no standard errors.",
                x.family.name()
            ),
            md,
        ));
    }
    let lines = duration_lines(f);
    let (first, second) = match f.unit {
        Unit::Hours => (vec![lines[0].1.clone()], vec![lines[1].1.clone(), lines[2].1.clone()]),
        Unit::Days => (vec![lines[1].1.clone(), lines[2].1.clone()], vec![lines[0].1.clone()]),
    };
    let (first_what, second_what) = match f.unit {
        Unit::Hours => ("as a review time, in hours", "or, in days, as a hold or a fix time"),
        Unit::Days => ("as a hold or a fix time, in days", "or, in hours, as a review time"),
    };
    out.push_str(&heading(
        &format!("Best fit: {}. Paste {first_what}", f.families[0].family.name()),
        md,
    ));
    out.push_str(&paste(&first, md));
    out.push_str(&format!(
        "{}{second_what}:\n{}",
        if md { "\n" } else { "" },
        if md { "\n" } else { "" }
    ));
    out.push_str(&paste(&second, md));
    out
}

/// The terminal text of a duration fit of `file` (its name).
pub fn durations_text(f: &DurationsFit, file: &str) -> String {
    durations_doc(f, file, false)
}

/// `fit.md` of a duration fit.
pub fn durations_md(f: &DurationsFit, file: &str) -> Vec<u8> {
    durations_doc(f, file, true).into_bytes()
}

#[derive(Serialize)]
struct FamilyJson<'a> {
    rank: usize,
    #[serde(flatten)]
    fit: &'a FamilyFit,
    toml: String,
}

#[derive(Serialize)]
struct Point {
    t: f64,
    cdf: f64,
}

#[derive(Serialize)]
struct DurationsJson<'a> {
    gatesim_version: &'static str,
    kind: &'static str,
    file: &'a str,
    column: &'a str,
    unit: Unit,
    censored_column: Option<&'a str>,
    n: usize,
    censored: usize,
    best: Family,
    families: Vec<FamilyJson<'a>>,
    empirical: Vec<Point>,
    toml: Vec<String>,
}

/// `fit.json` of a duration fit of `file` (its name).
pub fn durations_json(f: &DurationsFit, file: &str) -> Vec<u8> {
    let j = DurationsJson {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        kind: "durations",
        file,
        column: &f.column,
        unit: f.unit,
        censored_column: f.censored_column.as_deref(),
        n: f.n,
        censored: f.censored,
        best: f.families[0].family,
        families: f
            .families
            .iter()
            .enumerate()
            .map(|(i, x)| FamilyJson {
                rank: i + 1,
                fit: x,
                toml: dist_table(x, 1.0),
            })
            .collect(),
        empirical: f.empirical.iter().map(|&(t, cdf)| Point { t, cdf }).collect(),
        toml: duration_lines(f).into_iter().map(|l| l.1).collect(),
    };
    to_bytes(&j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits_and_stay_valid_toml() {
        assert_eq!(sig(0.704_08, 4), "0.7041");
        assert_eq!(sig(391.707, 4), "391.7");
        assert_eq!(sig(123_456.7, 4), "123457");
        assert_eq!(sig(0.000_123_46, 4), "0.0001235");
        assert_eq!(sig(2.5e16, 4), "2.500e16");
        assert_eq!(sig(0.0, 4), "0");
        for s in ["0.7041", "123457", "2.500e16", "0.0001235"] {
            let v: toml::Value = toml::from_str(&format!("x = {s}")).unwrap();
            assert!(v["x"].as_float().is_some() || v["x"].as_integer().is_some());
        }
        assert_eq!(shown(0, 7, 16), (0..=7).collect::<Vec<_>>());
        let s = shown(0, 120, 16);
        assert_eq!((s.len(), s[0], s[15]), (16, 0, 120));
    }
}
