//! Outputs: pure functions from result structs to bytes (one file each:
//! [`summary`], [`timeseries`], [`trace`], [`terminal`]) and one manager,
//! [`write`], that does all the file-system work, atomically. Nothing here
//! runs a simulation or reads a scenario file.

pub mod cohorts;
pub mod csv;
pub mod summary;
pub mod terminal;
pub mod timeseries;
pub mod trace;
pub mod write;
