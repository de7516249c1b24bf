//! The results of `gatesim fit`: `fit.json` (estimates with standard
//! errors, log-likelihoods, the observed and fitted curves, the scenario
//! lines), and the same as text for the terminal and as Markdown for
//! `fit.md`. The scenario lines are printed so that they load as they are:
//! `churn_alpha` and `churn_beta` for `[platforms.users]`, and
//! distribution tables for `review_hours`, `hold_days` and `fix_days`, with
//! four significant digits. The shared formatting (numbers, tables,
//! paragraphs) is here; each report is in its own file, `retention`,
//! `durations` and `reviews` (a review log: the tests of unequal
//! treatment, and the review classes with each platform's class).

pub(crate) mod durations;
pub(crate) mod retention;
pub(crate) mod reviews;

pub(crate) use durations::{durations_json, durations_md, durations_text};
pub(crate) use retention::{retention_json, retention_md, retention_text};
pub(crate) use reviews::{groups_csv, reviews_json, reviews_md, reviews_text};

use super::text_table::{pad, width};
use crate::analysis::fit::Param;
use serde::Serialize;

/// `x` with `digits` significant digits, as a TOML number (plain decimals;
/// an exponent only beyond 1e15 or below 1e-6).
pub(crate) fn sig(x: f64, digits: i32) -> String {
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
    crate::core::numbers::percent(x, 1)
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
                .map(|r| width(&r[i]))
                .chain(std::iter::once(width(head[i])))
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
            .map(|(i, (c, w))| pad(c, *w, !numeric[i]))
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

/// Pretty JSON with a final newline.
fn to_bytes(v: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}").into_bytes());
    bytes.push(b'\n');
    bytes
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
