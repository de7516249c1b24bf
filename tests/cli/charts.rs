//! CLI tests: the charts compare and sweep write, and chart flags.

use super::*;
use crate::chart_files::{COMPARE_STEMS, RESPONSE_STEMS, assert_png_drawn, both_formats};

fn gatesim_cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gatesim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("gatesim runs")
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn gatesim_compare_writes_its_charts_next_to_its_tables() {
    let out = tempfile::tempdir().unwrap();
    let o = gatesim_cli(&[
        "compare",
        "scenarios/weekly.toml",
        "scenarios/blocked.toml",
        "-n",
        "3",
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dir = out.path().join("compare-weekly-vs-blocked");
    assert!(dir.join("compare.json").is_file());
    let mut expected = both_formats(&COMPARE_STEMS);
    expected.sort();
    assert_eq!(listing(&dir.join("charts")), expected);
    let png = std::fs::read(dir.join("charts/users_difference.png")).unwrap();
    assert_png_drawn("users_difference.png", &png);
}

#[test]
fn gatesim_sweep_writes_the_charts_in_the_formats_asked_for() {
    let out = tempfile::tempdir().unwrap();
    let o = gatesim_cli(&[
        "sweep",
        "scenarios/guizhou.toml",
        "--param",
        "changes[0].day=0,240",
        "-n",
        "2",
        "--format",
        "svg",
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dir = out.path().join("sweep-guizhou");
    assert!(dir.join("sweep.csv").is_file());
    let mut expected: Vec<String> = RESPONSE_STEMS.iter().map(|s| format!("{s}.svg")).collect();
    expected.sort();
    assert_eq!(listing(&dir.join("charts")), expected);
}

#[test]
fn a_bad_chart_format_stops_compare_and_sweep_before_any_work() {
    let out = tempfile::tempdir().unwrap();
    let o = gatesim_cli(&[
        "compare",
        "scenarios/weekly.toml",
        "scenarios/blocked.toml",
        "--format",
        "gif",
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("gif"));
    let o = gatesim_cli(&[
        "sweep",
        "scenarios/guizhou.toml",
        "--param",
        "changes[0].day=0,240",
        "--format",
        "png,",
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(listing(out.path()).is_empty(), "something was written");
}

#[test]
fn no_charts_means_no_charts_folder_for_compare() {
    let out = tempfile::tempdir().unwrap();
    let o = gatesim_cli(&[
        "compare",
        "scenarios/weekly.toml",
        "scenarios/blocked.toml",
        "-n",
        "2",
        "--no-charts",
        "--out",
        out.path().to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dir = out.path().join("compare-weekly-vs-blocked");
    assert!(dir.join("compare.md").is_file());
    assert!(!dir.join("charts").exists());
}
