//! Any text as `--set key.path=value` overrides and `--param key=VALUES`
//! sweep parameters: each line is parsed both ways and applied to a valid
//! scenario, the parameters are combined into a grid, and the first lines
//! go through the loader and the validation as `--set` flags. Nothing may
//! panic.

#![no_main]

use gatesim::load_scenario_str as load_str;
use gatesim::overrides;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const BASE: &str = include_str!("../../tests/corpus/valid.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines: Vec<&str> = text.split('\n').take(8).collect();
    let mut table: toml::Table = toml::from_str(BASE).expect("the base scenario parses");
    let mut params = Vec::new();
    for line in &lines {
        if let Ok(o) = overrides::parse(line) {
            let _ = overrides::apply(&mut table, &o);
        }
        if let Ok(p) = gatesim::parse_sweep_param(line) {
            assert!(!p.values.is_empty() && p.values.len() <= gatesim::MAX_SWEEP_POINTS);
            params.push(p);
        }
    }
    if let Ok(points) = gatesim::sweep_grid(&params) {
        assert!(points.len() <= gatesim::MAX_SWEEP_POINTS);
    }
    let sets: Vec<String> = lines.iter().take(4).map(|s| s.to_string()).collect();
    if let Err(e) = load_str(BASE, Path::new("base.toml"), "base", &sets) {
        let _ = e.to_string();
    }
});
