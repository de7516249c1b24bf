//! gatesim's integration tests, one binary (linking one is much cheaper
//! than linking one per file): each topic is a module. `cli` runs the real
//! program end to end; the others call the library. Run one topic with
//! `cargo test --test integration TOPIC::` (e.g. `queueing_theory::`).

mod common;

mod charts;
mod cjk_charts;
mod cli;
mod compare_sweep;
mod corpus;
mod determinism;
mod docs;
mod embed;
mod fit;
mod library;
mod market_events;
mod merged_mode;
mod montecarlo;
#[cfg(unix)]
mod output_safety;
mod pipeline_rules;
mod populations;
mod properties;
mod queueing_theory;
mod report;
mod retention_theory;
mod reviews;
mod schema;
mod sensitivity;
mod sensitivity_charts;
mod sensitivity_estimators;
mod user_rules;
