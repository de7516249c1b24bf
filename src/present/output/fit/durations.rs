//! The duration fit's report: the text for the terminal, `fit.md`, and
//! `fit.json` (every family ranked by AIC with its estimates, standard
//! errors and KS distance; the empirical CDF; the tables to paste).

use super::{heading, para, paste, sig, table, to_bytes, with_se};
use crate::analysis::fit::{DurationsFit, Family, FamilyFit, Unit};
use crate::core::numbers::fixed;
use serde::Serialize;

/// A distribution table as a scenario writes it, with the parameters
/// scaled by `factor` where they carry time (1/24 from hours to days).
pub(crate) fn dist_table(fit: &FamilyFit, factor: f64) -> String {
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
pub(crate) fn duration_lines(f: &DurationsFit) -> Vec<(&'static str, String)> {
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
                fixed(x.aic, 1),
                fixed(x.delta_aic, 1),
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
pub(crate) fn durations_md(f: &DurationsFit, file: &str) -> Vec<u8> {
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
pub(crate) fn durations_json(f: &DurationsFit, file: &str) -> Vec<u8> {
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
