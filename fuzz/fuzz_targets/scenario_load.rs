//! Any bytes as a scenario file: the loader and the validation must return
//! a scenario or a list of problems, never panic, whatever the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = gatesim::load_scenario_bytes(data, Path::new("fuzz.toml"), "fuzz", &[]) {
        // Every refusal says something, and saying it does not panic either.
        assert!(!e.problems.is_empty());
        let _ = e.to_string();
    }
});
