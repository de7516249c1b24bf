//! Helpers shared by the integration tests: load a scenario from TOML text
//! and run one replication of it; replay an audit log ([`ledger`]).

#![allow(dead_code)]

pub mod ledger;

use gatesim::{Replication, run_replication};
use gatesim::{Scenario, load_scenario_str as load_str};
use std::path::Path;

/// Loads a scenario from TOML text, panicking with the loader's message.
pub fn scenario(text: &str) -> Scenario {
    match load_str(text, Path::new("test.toml"), "test", &[]) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

/// Runs replication `rep` of `s`.
pub fn run(s: &Scenario, rep: u64, trace: bool) -> Replication {
    run_replication(s, rep, trace).expect("the run schedules nothing in the past")
}
