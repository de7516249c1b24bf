//! Outputs: pure functions from result structs to bytes (one file each:
//! [`summary`], [`summary_md`], [`timeseries`], [`replications`],
//! [`cohorts`], [`trace`], [`fit`], the one-page [`report`], and the
//! [`terminal`] table) and one manager,
//! [`write`], that does all the file-system work, atomically. Nothing here
//! runs a simulation or reads a scenario file.

pub mod cohorts;
pub mod compare;
pub mod csv;
pub mod fit;
pub mod format;
pub mod replications;
pub mod report;
pub mod sensitivity;
pub mod summary;
pub mod summary_md;
pub mod sweep;
pub mod terminal;
pub mod timeseries;
pub mod trace;
pub mod write;
