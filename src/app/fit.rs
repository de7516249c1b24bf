//! `gatesim fit retention` and `gatesim fit durations`: read the user's
//! file (a bad one is refused with its line, exit code 2, before anything
//! is written), fit, print the estimates and the scenario lines, and with
//! `--out DIR` write `DIR/fit-<file stem>/` (fit.json, fit.md, charts/)
//! atomically.

use super::AppError;
use crate::cli::{
    FitArgs, FitCommand, FitDurationsArgs, FitOutputFlags, FitRetentionArgs, PeriodArg, RetentionModelArg, UnitArg,
};
use crate::fit::retention::RetentionOptions;
use crate::fit::{Model, Period, Unit, fit_durations, fit_retention, read_durations, read_retention};
use crate::output::fit::{durations_json, durations_md, durations_text, retention_json, retention_md, retention_text};
use crate::output::write::{prepare_out_dir, write_dir_atomically};
use crate::plot::Format;
use crate::plot::fit::{durations_charts, retention_charts};
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
    Format::parse_list(&o.format).map_err(|e| AppError::Usage(format!("--format: {e}")))
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
        Some(dir) => prepare_out_dir(dir).map_err(|e| AppError::Usage(format!("--out {}: {e}", dir.display()))),
        None => Ok(()),
    }
}

/// Writes `json`, `md` and the charts into `target`.
fn write(target: &Path, json: Vec<u8>, md: Vec<u8>, charts: Vec<(String, Vec<u8>)>) -> Result<(), AppError> {
    let charts: Vec<(String, Vec<u8>)> = charts.into_iter().map(|(n, b)| (format!("charts/{n}"), b)).collect();
    let mut files: Vec<(&str, Vec<u8>)> = vec![("fit.json", json), ("fit.md", md)];
    files.extend(charts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    write_dir_atomically(target, &files).map_err(|e| AppError::Run(format!("cannot write {}: {e}", target.display())))
}

fn draw_error(e: crate::plot::PlotError) -> AppError {
    AppError::Run(format!("cannot draw the chart: {e}"))
}

fn retention(a: &FitRetentionArgs) -> Result<(), AppError> {
    let formats = formats(&a.output)?;
    let data = read_retention(&a.file).map_err(|e| AppError::Usage(e.to_string()))?;
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
    let f = fit_retention(&data, &opts).map_err(|e| AppError::Run(format!("{}: {e}", a.file.display())))?;
    let (name, target) = names(&a.file, &a.output);
    if let Some(target) = &target {
        let charts = retention_charts(&f, &name, &formats).map_err(draw_error)?;
        write(target, retention_json(&f, &name), retention_md(&f, &name), charts)?;
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
        .map_err(|e| AppError::Usage(e.to_string()))?;
    prepare(&a.output)?;
    let unit = match a.unit {
        UnitArg::Hours => Unit::Hours,
        UnitArg::Days => Unit::Days,
    };
    let f = fit_durations(&data, unit).map_err(|e| AppError::Run(format!("{}: {e}", a.file.display())))?;
    let (name, target) = names(&a.file, &a.output);
    if let Some(target) = &target {
        let charts = durations_charts(&f, &name, &formats).map_err(draw_error)?;
        write(target, durations_json(&f, &name), durations_md(&f, &name), charts)?;
    }
    print!("{}", durations_text(&f, &name));
    if let Some(t) = target {
        println!("\noutputs: {}", t.display());
    }
    Ok(())
}
