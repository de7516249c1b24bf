//! Outputs: pure functions from result structs to bytes (one file each:
//! [`summary`], [`summary_md`], [`timeseries`], [`replications`],
//! [`cohorts`], [`trace`], [`fit`], the one-page [`report`], the
//! [`terminal`] table, and the [`populations`] table they share) and one manager,
//! [`write`], that does all the file-system work, atomically. Nothing here
//! runs a simulation or reads a scenario file.

pub(crate) mod calibration;
pub(crate) mod cells;
pub(crate) mod cohorts;
pub(crate) mod compare;
pub(crate) mod csv;
pub(crate) mod fit;
pub(crate) mod notes;
pub(crate) mod populations;
pub(crate) mod provenance;
pub(crate) mod replications;
pub(crate) mod report;
pub(crate) mod sensitivity;
pub(crate) mod summary;
pub(crate) mod summary_md;
pub(crate) mod sweep;
pub(crate) mod terminal;
pub(crate) mod text_table;
pub(crate) mod timeseries;
pub(crate) mod trace;
pub(crate) mod write;
