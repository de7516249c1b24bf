//! `gatesim fit retention` and `gatesim fit durations`: read the user's
//! file (a bad one is refused with its line, exit code 2, before anything
//! is written), fit, print the estimates and the scenario lines, and with
//! `--out DIR` write `DIR/fit-<file stem>/` (fit.json, fit.md, charts/)
//! atomically.

use super::AppError;
use crate::analysis::fit::retention::RetentionOptions;
use crate::analysis::fit::{Model, Period, Unit, fit_durations, fit_retention, read_durations, read_retention};
use crate::app::cli::{
    FitArgs, FitCommand, FitDurationsArgs, FitOutputFlags, FitRetentionArgs, PeriodArg, RetentionModelArg, UnitArg,
};
use crate::present::output::fit::{
    durations_json, durations_md, durations_text, retention_json, retention_md, retention_text,
};
use crate::present::output::report::fit::{FitReport, fit_report};
use crate::present::output::write::{prepare_out_dir, write_dir_atomically};
use crate::present::plot::Format;
use crate::present::plot::fit::{durations_charts, retention_charts};
use std::path::{Path, PathBuf};

pub(super) fn fit(a: &FitArgs) -> Result<(), AppError> {
    match &a.what {
        FitCommand::Retention(r) => retention(r),
        FitCommand::Durations(d) => durations(d),
    }
}

/// The chart formats asked for (none with --no-charts).
fn formats(o: &FitOutputFlags) -> Result<Vec<Format>, AppError> {
    if o.no_charts {
        return Ok(Vec::new());
    }
    Format::parse_list(&o.format).map_err(|e| AppError::usage_because("--format", e))
}

/// The input's file name (for the outputs) and the output folder, if any.
fn names(file: &Path, o: &FitOutputFlags) -> (String, Option<PathBuf>) {
    let name = file
        .file_name()
        .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let stem = file
        .file_stem()
        .map_or_else(|| "data".into(), |s| s.to_string_lossy().into_owned());
    (name, o.out.as_ref().map(|dir| dir.join(format!("fit-{stem}"))))
}

fn prepare(o: &FitOutputFlags) -> Result<(), AppError> {
    match &o.out {
        Some(dir) => super::signals::shielded(|| prepare_out_dir(dir))
            .map_err(|e| AppError::usage_because(format!("--out {}", dir.display()), e)),
        None => Ok(()),
    }
}

/// The chart formats to render: those asked for, plus SVG for the report.
fn render_formats(o: &FitOutputFlags, asked: &[Format]) -> Vec<Format> {
    super::render_formats(asked, !o.no_report)
}

/// Writes `json`, `md`, the charts of the formats asked for and, unless
/// `--no-report`, `report.html` (`report` with the rendered charts) into `target`.
fn write(
    target: &Path,
    json: Vec<u8>,
    md: Vec<u8>,
    rendered: Vec<(String, Vec<u8>)>,
    asked: &[Format],
    report: Option<FitReport<'_>>,
) -> Result<(), AppError> {
    let rendered: Vec<(String, Vec<u8>)> = rendered.into_iter().map(|(n, b)| (format!("charts/{n}"), b)).collect();
    let charts = super::asked_only(&rendered, asked);
    let page = report.map(|r| {
        fit_report(&FitReport {
            markdown: &String::from_utf8_lossy(&md),
            charts: &rendered,
            ..r
        })
    });
    let mut files: Vec<(&str, Vec<u8>)> = vec![("fit.json", json), ("fit.md", md)];
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    if let Some(page) = page {
        files.push(("report.html", page));
    }
    write_dir_atomically(target, &files)
        .map_err(|e| AppError::run_because(format!("cannot write {}", target.display()), e))
}

fn draw_error(e: crate::present::plot::PlotError) -> AppError {
    AppError::run_because("cannot draw the chart", e)
}

fn retention(a: &FitRetentionArgs) -> Result<(), AppError> {
    let formats = formats(&a.output)?;
    let data = read_retention(&a.file).map_err(|e| AppError::usage(e.to_string()))?;
    prepare(&a.output)?;
    let opts = RetentionOptions {
        period: match a.period {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
            PeriodArg::Month => Period::Month,
            PeriodArg::Year => Period::Year,
        },
        model: match a.model {
            RetentionModelArg::Sbg => Model::Sbg,
            RetentionModelArg::Bdw => Model::Bdw,
        },
        project: a.project.map(|p| p as usize),
    };
    let f = fit_retention(&data, &opts).map_err(|e| AppError::run_because(format!("{}", a.file.display()), e))?;
    let (name, target) = names(&a.file, &a.output);
    if let Some(target) = &target {
        let rendered = retention_charts(&f, &name, &render_formats(&a.output, &formats)).map_err(draw_error)?;
        let report = (!a.output.no_report).then(|| FitReport {
            kind: "retention",
            file: &name,
            options: vec![
                ("Period".into(), format!("{:?}", a.period).to_lowercase()),
                ("Model".into(), format!("{:?}", a.model).to_lowercase()),
                (
                    "Periods projected".into(),
                    a.project.map_or("default".into(), |p| p.to_string()),
                ),
            ],
            markdown: "",
            charts: &[],
        });
        let (json, md) = (retention_json(&f, &name), retention_md(&f, &name));
        write(target, json, md, rendered, &formats, report)?;
    }
    print!("{}", retention_text(&f, &name));
    if let Some(t) = target {
        println!("\noutputs: {}", t.display());
    }
    Ok(())
}

fn durations(a: &FitDurationsArgs) -> Result<(), AppError> {
    let formats = formats(&a.output)?;
    let data = read_durations(&a.file, a.column.as_deref(), a.censored_column.as_deref())
        .map_err(|e| AppError::usage(e.to_string()))?;
    prepare(&a.output)?;
    let unit = match a.unit {
        UnitArg::Hours => Unit::Hours,
        UnitArg::Days => Unit::Days,
    };
    let f = fit_durations(&data, unit).map_err(|e| AppError::run_because(format!("{}", a.file.display()), e))?;
    let (name, target) = names(&a.file, &a.output);
    if let Some(target) = &target {
        let rendered = durations_charts(&f, &name, &render_formats(&a.output, &formats)).map_err(draw_error)?;
        let report = (!a.output.no_report).then(|| FitReport {
            kind: "durations",
            file: &name,
            options: vec![
                ("Column".into(), a.column.clone().unwrap_or_else(|| "default".into())),
                ("Unit".into(), format!("{:?}", a.unit).to_lowercase()),
                (
                    "Censored column".into(),
                    a.censored_column.clone().unwrap_or_else(|| "default".into()),
                ),
            ],
            markdown: "",
            charts: &[],
        });
        let (json, md) = (durations_json(&f, &name), durations_md(&f, &name));
        write(target, json, md, rendered, &formats, report)?;
    }
    print!("{}", durations_text(&f, &name));
    if let Some(t) = target {
        println!("\noutputs: {}", t.display());
    }
    Ok(())
}
