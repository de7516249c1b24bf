//! `report.html` as the commands write it: one per run, compare, sweep and
//! fit, self-contained (charts inlined as SVG, nothing loaded from
//! anywhere), the same bytes for the same inputs, and absent with
//! `--no-report`. The browser check is `.ci/report-check`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn gatesim(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gatesim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gatesim {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The checks every report passes: one document, no script, no external
/// reference, and as many inline charts as figures.
fn self_contained(html: &str) -> usize {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for needle in [
        "http://", "https://", "src=", "<script", "<link", "@import", "url(", "<?xml",
    ] {
        assert!(!html.contains(needle), "the report contains {needle}");
    }
    for href in html.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "a link leaves the page: {}",
            &href[..href.len().min(40)]
        );
    }
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("@media print"));
    let figures = html.matches("<figure").count();
    assert_eq!(html.matches("<svg").count(), figures);
    assert_eq!(html.matches("<figcaption>").count(), figures);
    figures
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_run_writes_a_self_contained_report_with_svg_charts_even_when_only_png_was_asked_for() {
    let dir = out_dir();
    let args = [
        "run",
        "scenarios/guizhou.toml",
        "-n",
        "3",
        "--set",
        "simulation.horizon_days=60",
        "--set",
        "changes[0].day=60",
        "--format",
        "png",
        "--quiet",
        "--out",
        s(dir.path()),
    ];
    gatesim(&args);
    let folder = dir.path().join("guizhou+simulation.horizon_days=60+changes_0_.day=60");
    let html = read(&folder.join("report.html"));
    assert_eq!(self_contained(&html), 8);
    // Only the PNGs asked for were written.
    let charts: Vec<PathBuf> = std::fs::read_dir(folder.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(charts.len(), 8);
    assert!(charts.iter().all(|p| p.extension().unwrap() == "png"));
    // The question, the headline table with intervals, the assumptions.
    assert!(html.contains("Taocaicai&#39;s updates held for over seven months"));
    assert!(html.contains("Active users at the end"));
    assert!(html.contains(" ± "));
    assert!(html.contains("<dt>Seed</dt><dd>20211116</dd>"));
    assert!(html.contains("<dt>Replications</dt><dd>3</dd>"));
    assert!(html.contains(&format!("<dd>{}</dd>", env!("CARGO_PKG_VERSION"))));
    assert!(
        html.contains("name = &quot;guizhou&quot;"),
        "the resolved scenario, escaped"
    );
    // Deterministic: the same inputs give the same bytes.
    let again = out_dir();
    let mut args2 = args;
    args2[args2.len() - 1] = s(again.path());
    gatesim(&args2);
    let folder2 = again.path().join(folder.file_name().unwrap());
    assert!(read(&folder2.join("report.html")) == html);
}

#[test]
fn no_report_writes_none() {
    let dir = out_dir();
    gatesim(&[
        "run",
        "scenarios/app-store-24h.toml",
        "-n",
        "2",
        "--no-report",
        "--no-charts",
        "--quiet",
        "--out",
        s(dir.path()),
    ]);
    let folder = dir.path().join("app-store-24h");
    assert!(folder.join("summary.json").exists());
    assert!(!folder.join("report.html").exists());
}

#[test]
fn a_comparison_report_shows_the_paired_differences() {
    let dir = out_dir();
    gatesim(&[
        "compare",
        "scenarios/weekly.toml",
        "scenarios/blocked.toml",
        "-n",
        "3",
        "--format",
        "svg",
        "--quiet",
        "--out",
        s(dir.path()),
    ]);
    let html = read(&dir.path().join("compare-weekly-vs-blocked/report.html"));
    assert_eq!(self_contained(&html), 5);
    assert!(html.contains("What changes when blocked replaces the baseline weekly?"));
    assert!(html.contains("<h3>blocked minus weekly</h3>"));
    assert!(html.contains("95% interval of the difference"));
    assert!(html.contains("Variance reduction"));
    assert!(html.contains("Scenario weekly, resolved") && html.contains("Scenario blocked, resolved"));
}

#[test]
fn a_sweep_report_tabulates_every_point() {
    let dir = out_dir();
    gatesim(&[
        "sweep",
        "scenarios/review-surge.toml",
        "--param",
        "changes[0].reviewers=3,6",
        "-n",
        "2",
        "--set",
        "simulation.horizon_days=50",
        "--quiet",
        "--out",
        s(dir.path()),
    ]);
    let html = read(
        &dir.path()
            .join("sweep-review-surge+simulation.horizon_days=50/report.html"),
    );
    assert!(self_contained(&html) >= 1);
    assert!(html.contains("How do the results of review-surge respond to changes[0].reviewers?"));
    assert!(html.contains("<dt>Swept</dt><dd>changes[0].reviewers = 3, 6</dd>"));
    assert!(html.contains("<th scope=\"row\">3</th>") && html.contains("<th scope=\"row\">6</th>"));
}

#[test]
fn a_fit_report_carries_the_estimates_and_the_lines_to_paste() {
    let dir = out_dir();
    gatesim(&[
        "fit",
        "retention",
        "scenarios/data/fader_hardie_regular.csv",
        "--period",
        "year",
        "--out",
        s(dir.path()),
    ]);
    let html = read(&dir.path().join("fit-retention-fader_hardie_regular/report.html"));
    assert_eq!(self_contained(&html), 1);
    assert!(
        html.contains("<th scope=\"row\">alpha</th><td>0.7041 ± 0.066</td>"),
        "{html}"
    );
    assert!(html.contains("churn_alpha = 0.7094"));
    assert!(html.contains("<dt>Period</dt><dd>year</dd>"));
}
