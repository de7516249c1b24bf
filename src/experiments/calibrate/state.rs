//! A calibration in progress, as plain data: what it was started from
//! ([`Inputs`]: the scenario with the calibrated keys as its
//! `[[uncertain]]` entries, the observed data file's text, the settings and
//! the `--against` contrast to run at the end) and where it stands
//! ([`Progress`]: every closed generation's figures, the generation to run
//! next, and the candidates already taken of it when a sharded round did
//! not complete it). Saved beside the outputs of a sharded generation's
//! merge (`calibration.state`), and carried by each shard's partial
//! result, so that `--resume DIR` and `gatesim merge` need nothing else.
//! Doubles are kept to the last bit (postcard), since a last-bit change
//! would move every later candidate.

use super::Options;
use crate::analysis::abc::{Acceptor, GenerationParts, GenerationStats};
use serde::{Deserialize, Serialize};

/// The `--against` contrast a calibration runs over its posterior.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ContrastSpec {
    /// The contrast's overrides (`--against`), empty for none.
    pub(crate) against: Vec<String>,
    /// Its label (`--label`), if given.
    pub(crate) label: Option<String>,
    /// The outputs asked for by name (`--metric`), empty for the default.
    pub(crate) metrics: Vec<String>,
}

/// What a calibration was started from: everything its results depend on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Inputs {
    /// The resolved scenario with the calibrated keys as its
    /// `[[uncertain]]` entries (`scenario.toml` of a sensitivity
    /// analysis, in form).
    pub(crate) scenario: String,
    /// The observed data file's name, as given.
    pub(crate) data_file: String,
    /// Its text.
    pub(crate) data: String,
    /// The settings.
    pub(crate) options: Options,
    /// The contrast to run over the posterior.
    pub(crate) contrast: ContrastSpec,
}

/// Where a calibration stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Progress {
    /// Every closed generation's figures, in order.
    pub(crate) history: Vec<GenerationStats>,
    /// The generation to run (or to go on with).
    pub(crate) next: GenerationParts,
    /// The candidates of `next` taken so far, when a round of shards did
    /// not complete it.
    pub(crate) open: Option<Acceptor>,
}

impl Progress {
    /// A calibration's start: generation 0, nothing taken.
    pub(crate) fn start(first: GenerationParts) -> Progress {
        Progress {
            history: Vec::new(),
            next: first,
            open: None,
        }
    }
}
