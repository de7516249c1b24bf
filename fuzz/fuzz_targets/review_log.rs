//! Any bytes as the review log of `gatesim fit reviews` (text that is not
//! UTF-8 is read lossily here, so that its valid parts still reach the
//! reader), read three ways: by platform with the log's latest time as
//! `--until`, by platform with `--until 100` and times in days, and by
//! class. A refusal must name the file, and a line from 1 to one past the
//! last when it names one (some refusals are of the whole log: fewer than
//! two platforms, a unit given for date-times, a bad `--until`). What is
//! accepted must hold at least two groups, each with a submission, and
//! finite times at least 0, and is analysed (every test, the hazard
//! ratios against the largest group and against the others pooled, the
//! classes) and printed with its scenario lines. Nothing may panic.

#![no_main]

use gatesim::fitting::Unit;
use gatesim::reviews::{By, LogOptions, Reference, ReviewOptions, analyse, parse_log, reviews_text, scenario_lines};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const FILE: &str = "fuzz.csv";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count();
    let ways = [
        LogOptions {
            unit: None,
            until: None,
            by: By::Platform,
        },
        LogOptions {
            unit: Some(Unit::Days),
            until: Some("100".into()),
            by: By::Platform,
        },
        LogOptions {
            unit: None,
            until: None,
            by: By::Class,
        },
    ];
    for options in &ways {
        match parse_log(&text, Path::new(FILE), options) {
            Err(e) => {
                let shown = e.to_string();
                assert!(shown.starts_with(FILE), "{shown}");
                if let Some(l) = e.line {
                    assert!((1..=lines + 1).contains(&l), "line {l} of {lines}: {shown}");
                }
            }
            Ok(log) => {
                let k = log.groups.len();
                assert!(k >= 2, "{k} groups");
                assert_eq!(log.group.len(), log.hours.len());
                assert_eq!(log.outcome.len(), log.hours.len());
                assert!(log.hours.iter().all(|h| h.is_finite() && *h >= 0.0), "{:?}", log.hours);
                let mut seen = vec![false; k];
                for &g in &log.group {
                    seen[g as usize] = true;
                }
                assert!(seen.iter().all(|&s| s), "a group without submissions");
                for reference in [Reference::Largest, Reference::Pooled] {
                    if let Ok(a) = analyse(&log, &ReviewOptions { reference }) {
                        assert_eq!(a.groups.len(), k);
                        let _ = reviews_text(&log, &a, FILE);
                        let _ = scenario_lines(&log, &a);
                    }
                }
            }
        }
    }
});
