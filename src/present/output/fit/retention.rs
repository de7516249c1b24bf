//! The retention fit's report: the text for the terminal, `fit.md`, and
//! `fit.json` (the model's estimates with standard errors, the observed
//! and fitted curves, the per-day parameters, the lines to paste).

use super::{heading, para, paste, pct, shown, sig, table, to_bytes, with_se};
use crate::analysis::fit::bdw::LrTest;
use crate::analysis::fit::rescale::DailyParams;
use crate::analysis::fit::retention::{ChiSquare, ModelFit};
use crate::analysis::fit::{Model, Param, RetentionFit};
use crate::core::numbers::fixed;
use serde::Serialize;

/// The TOML lines of the per-day churn parameters.
pub(crate) fn churn_lines(f: &RetentionFit) -> Vec<String> {
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
        "{}log-likelihood {}; chi-square {} on {} df{}\n",
        if md { "\n" } else { "  " },
        fixed(m.log_likelihood, 3),
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
pub(crate) fn retention_md(f: &RetentionFit, file: &str) -> Vec<u8> {
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

/// `fit.json` of a retention fit of `file` (its name).
pub(crate) fn retention_json(f: &RetentionFit, file: &str) -> Vec<u8> {
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
