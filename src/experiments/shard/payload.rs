//! What a partial result holds besides its header: the inputs of the run
//! (so that `gatesim merge` needs nothing but the partials) and the exact
//! accumulators of the shard's replications, for each kind of command.
//! Inputs are the resolved scenarios as TOML, the form `gatesim run`
//! writes to `scenario.toml`: loading them gives back the scenarios run.

use super::Shard;
use super::partial::{Header, sha256_hex};
use crate::analysis::abc::Evaluated;
use crate::core::stats::Moments;
use crate::experiments::calibrate::state::{Inputs as CalibrateInputs, Progress};
use crate::experiments::compare::{Pairs, merge_state};
use crate::experiments::montecarlo::collector::{CollectorState, ShapeMismatch};
use crate::experiments::provenance::Provenance;
use serde::{Deserialize, Serialize};

/// The inputs of a sharded command: everything that changes its results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Inputs {
    /// `gatesim run`: the resolved scenario.
    Run {
        /// Its TOML, with the replications of the whole run.
        scenario: String,
    },
    /// `gatesim compare`: the resolved scenarios, baseline first, each with
    /// the shared seed and the replications of the whole run.
    Compare {
        /// Their TOML.
        scenarios: Vec<String>,
        /// The pairs differenced.
        pairs: Pairs,
    },
    /// `gatesim sweep`: the swept keys, their chart labels, and every
    /// point's values and resolved scenario.
    Sweep {
        /// The swept key paths.
        keys: Vec<String>,
        /// What charts call them.
        labels: Vec<String>,
        /// Per point: its values (TOML text) and its resolved scenario.
        points: Vec<(Vec<String>, String)>,
        /// The point the others are differenced against, if any.
        reference: Option<u64>,
    },
    /// `gatesim sensitivity`: the scenario with the parameters analysed as
    /// its `[[uncertain]]` entries, and everything else the analysis
    /// depends on, resolved from the flags.
    Sensitivity {
        /// The resolved scenario's TOML, as `scenario.toml` records it.
        scenario: String,
        /// The method's name (`tornado`, `morris`, `sobol`, `uncertainty`).
        method: String,
        /// `--samples`, if given.
        samples: Option<u64>,
        /// Whether a Sobol design samples a Latin hypercube.
        latin_hypercube: bool,
        /// Morris' grid levels.
        levels: u64,
        /// `--candidates`, if given.
        candidates: Option<u64>,
        /// The outputs asked for by name (`--metric`), empty for the default.
        metrics: Vec<String>,
        /// The contrast's overrides (`--against`), empty for none.
        against: Vec<String>,
        /// The contrast's label (`--label`), if given.
        label: Option<String>,
        /// Replications per point.
        replications: u64,
    },
    /// `gatesim calibrate`: a round of a generation's candidates, shared
    /// among the shards (each a block of the window).
    Calibrate {
        /// What the calibration was started from.
        inputs: CalibrateInputs,
        /// Where it stood when the round began (boxed: it holds the
        /// population).
        progress: Box<Progress>,
        /// The round's window of candidate indices: first, and one past
        /// the last.
        window: (u64, u64),
    },
}

impl Inputs {
    /// The command's name.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Inputs::Run { .. } => "run",
            Inputs::Compare { .. } => "compare",
            Inputs::Sweep { .. } => "sweep",
            Inputs::Sensitivity { .. } => "sensitivity",
            Inputs::Calibrate { .. } => "calibrate",
        }
    }

    /// SHA-256 of the inputs, for merge to tell partials of different runs apart.
    pub(crate) fn sha256(&self) -> String {
        sha256_hex(&postcard::to_stdvec(self).unwrap_or_default())
    }
}

/// The accumulators of a shard's replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum State {
    /// One scenario's.
    Run(CollectorState),
    /// Every scenario's, and their paired differences.
    Compare {
        /// Per scenario, baseline first.
        runs: Vec<CollectorState>,
        /// The paired daily differences against the baseline.
        paired: Vec<Vec<Moments>>,
    },
    /// Every point's, in point order.
    Sweep(Vec<CollectorState>),
    /// A block of a sensitivity analysis' design points: `values[i][r][o]`
    /// is output `o` in replication `r` at the block's point `i` (NaN where
    /// undefined).
    Sensitivity {
        /// Per point of the block, in point order.
        values: Vec<Vec<Vec<f64>>>,
    },
    /// A block of a calibration round's candidates, evaluated, in index
    /// order.
    Calibrate {
        /// The candidates, with their summaries.
        evaluated: Vec<Evaluated>,
    },
}

impl State {
    /// Adds `other`, the state of other replications of the same inputs.
    pub(crate) fn merge(&mut self, other: State) -> Result<(), ShapeMismatch> {
        match (self, other) {
            (State::Run(a), State::Run(b)) => a.merge(b),
            (State::Compare { runs, paired }, State::Compare { runs: r, paired: p }) => {
                if runs.len() != r.len() {
                    return Err(ShapeMismatch);
                }
                for (a, b) in runs.iter_mut().zip(r) {
                    a.merge(b)?;
                }
                merge_state(paired, &p)
            }
            (State::Sweep(a), State::Sweep(b)) => {
                if a.len() != b.len() {
                    return Err(ShapeMismatch);
                }
                a.iter_mut().zip(b).try_for_each(|(x, y)| x.merge(y))
            }
            // Shards are merged in shard order: the next block of points.
            (State::Sensitivity { values }, State::Sensitivity { values: more }) => {
                values.extend(more);
                Ok(())
            }
            // Likewise: the next block of candidates.
            (State::Calibrate { evaluated }, State::Calibrate { evaluated: more }) => {
                evaluated.extend(more);
                Ok(())
            }
            _ => Err(ShapeMismatch),
        }
    }
}

/// A shard's whole payload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// What was run.
    pub(crate) inputs: Inputs,
    /// What the shard's replications gave.
    pub(crate) state: State,
    /// Where the results come from (the unsharded command's provenance:
    /// the command line without `--shard`).
    pub(crate) provenance: Provenance,
}

impl Payload {
    /// The serialised payload.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// The command it belongs to: `run`, `compare`, `sweep`, `sensitivity`
    /// or `calibrate`.
    pub fn kind(&self) -> &'static str {
        self.inputs.kind()
    }

    /// SHA-256 (hex) of its inputs, as its header records it.
    pub fn inputs_sha256(&self) -> String {
        self.inputs.sha256()
    }

    /// The payload in `bytes`, if they hold one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Payload, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("its results cannot be read: {e}"))
    }
}

/// What a header needs besides the inputs.
#[derive(Clone, Debug)]
pub(crate) struct RunIdentity {
    /// The output folder's name.
    pub name: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u64,
    /// Horizon (days).
    pub horizon_days: u32,
    /// Design points, for a sensitivity analysis (its shards split them),
    /// or a calibration round's candidates.
    pub points: Option<u64>,
}

impl RunIdentity {
    /// The block of the units split (replications, or design points)
    /// that `shard` covers.
    pub(crate) fn block(&self, shard: Shard) -> std::ops::Range<u64> {
        shard.replications(self.points.unwrap_or(self.replications))
    }
}

/// The header of shard `shard` of a run of `inputs`.
pub(crate) fn header(inputs: &Inputs, id: &RunIdentity, shard: Shard) -> Header {
    let r = id.block(shard);
    Header {
        gatesim_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: inputs.kind().to_string(),
        name: id.name.clone(),
        inputs_sha256: inputs.sha256(),
        seed: id.seed,
        replications: id.replications,
        horizon_days: id.horizon_days,
        shard: shard.k(),
        shards: shard.n(),
        first_replication: r.start,
        end_replication: r.end,
        points: id.points,
    }
}

/// The file a shard writes: `<name>.shard-K-of-N.partial`.
pub(crate) fn file_name(name: &str, shard: Shard) -> String {
    format!("{name}.shard-{}-of-{}.partial", shard.k(), shard.n())
}
