//! Renders the charts of a flagship run (also with the platforms named in
//! Chinese), a comparison and a sweep into a
//! folder, to look at them after a change to the charts (the tests check
//! what can be checked by machine; this is for the eye):
//!
//! ```sh
//! cargo run --release --example render_charts -- [FOLDER]   # default: target/charts
//! ```
//!
//! The charts of a sensitivity analysis come from the command itself, e.g.
//! `gatesim sensitivity scenarios/guizhou.toml --method tornado -n 4 --format png`.

use gatesim::charts::{CompareCharts, Format, RunCharts, SweepCharts, compare_charts, run_charts, sweep_charts};
use gatesim::{Plan, load_scenario, load_sweep_points, parse_sweep_param, run_compare, run_monte_carlo, run_sweep};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("target/charts"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let stop = AtomicBool::new(false);
    let plan = |n| Plan {
        replications: n,
        precision: None,
        max_replications: n,
        threads: 2,
    };
    let write = |prefix: &str, files: Vec<(String, Vec<u8>)>| -> std::io::Result<()> {
        for (name, bytes) in files {
            std::fs::write(dir.join(format!("{prefix}{name}")), bytes)?;
        }
        Ok(())
    };

    let guizhou = load_scenario(&root.join("guizhou.toml"), &[])?;
    let run = run_monte_carlo(&guizhou.scenario, &plan(20), &stop, &|| {}, &|_| {})?;
    write("run_", run_charts(&RunCharts::of(&run), &[Format::Png])?)?;

    // The same with the platforms named in Chinese, as the case's users name them.
    let mut text = std::fs::read_to_string(root.join("guizhou.toml"))?;
    for (latin, chinese) in [
        ("Meituan Select", "美团优选"),
        ("Duoduo Maicai", "多多买菜"),
        ("Taocaicai", "淘菜菜"),
    ] {
        text = text.replace(&format!("\"{latin}\""), &format!("\"{chinese}\""));
    }
    let named = gatesim::load_scenario_str(&text, &root.join("guizhou.toml"), "guizhou", &[])?;
    let run = run_monte_carlo(&named.scenario, &plan(4), &stop, &|| {}, &|_| {})?;
    write("cjk_", run_charts(&RunCharts::of(&run), &[Format::Png])?)?;

    let weekly = load_scenario(&root.join("weekly.toml"), &[])?.scenario;
    let blocked = load_scenario(&root.join("blocked.toml"), &[])?.scenario;
    let compared = run_compare(&[weekly, blocked], gatesim::Pairs::Baseline, 20, 2, &stop, &|| {})?;
    write(
        "compare_",
        compare_charts(&CompareCharts::of(&compared), &[Format::Png])?,
    )?;

    let params = vec![parse_sweep_param("changes[0].day=0:240:60")?];
    let points = load_sweep_points(&guizhou, &root.join("guizhou.toml"), &params)?;
    let keys = vec![params[0].key.clone()];
    let swept = run_sweep(keys.clone(), keys, &points, &plan(10), &stop, &|| {})?;
    write("sweep_", sweep_charts(&SweepCharts::of(&swept), &[Format::Png])?)?;

    println!("charts written to {}", dir.display());
    Ok(())
}
