//! Any bytes as a CSV file for `gatesim fit`: read as a retention table
//! (with the usual column names and with the first column named as the
//! periods) and as a duration log (with the columns found by default and
//! with the first column named), as the command reads them (text that is not UTF-8 is
//! read lossily here, so that its valid parts still reach the readers). A
//! refusal must name the file and a line from 1 to one past the last;
//! what is accepted is fitted (the sBG, or for short tables the
//! beta-discrete-Weibull too; the four duration families) and printed.
//! Nothing may panic.

#![no_main]

use gatesim::fitting::{
    Model, Period, RetentionColumns, RetentionOptions, Unit, durations_text, fit_durations, fit_retention,
    parse_durations, parse_retention, parse_retention_with, retention_text,
};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const FILE: &str = "fuzz.csv";

/// A refusal names the file and a line of it.
fn refused(e: &impl std::fmt::Display, line: Option<usize>, lines: usize) {
    let text = e.to_string();
    assert!(text.starts_with(FILE), "{text}");
    let l = line.expect("a refusal of a text names its line");
    assert!((1..=lines + 1).contains(&l), "line {l} of {lines}: {text}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = Path::new(FILE);
    let lines = text.lines().count();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let first = first
        .and_then(|l| l.split([',', ';', '\t']).next())
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let named = RetentionColumns {
        period: first.map(str::to_string),
        ..RetentionColumns::default()
    };
    for read in [parse_retention(&text, file), parse_retention_with(&text, file, &named)] {
        match read {
            Ok(d) => {
                let model = if d.last_period() <= 50 { Model::Bdw } else { Model::Sbg };
                let opts = RetentionOptions {
                    period: Period::Day,
                    model,
                    project: None,
                };
                if let Ok(fit) = fit_retention(&d, &opts) {
                    let _ = retention_text(&fit, FILE);
                }
            }
            Err(e) => refused(&e, e.line, lines),
        }
    }
    for column in [None, first] {
        match parse_durations(&text, file, column, None) {
            Ok(d) => {
                if let Ok(fit) = fit_durations(&d, Unit::Hours) {
                    let _ = durations_text(&fit, FILE);
                }
            }
            Err(e) => refused(&e, e.line, lines),
        }
    }
});
