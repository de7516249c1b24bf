//! Writing a shard's partial result (`--shard K/N`) in place of the
//! outputs, for any command whose work shards; `gatesim merge` reads them
//! back ([`super::merge`]).

use super::error::AppError;
use super::flags::OutputFlags;
use crate::experiments::provenance::Provenance;
use crate::experiments::shard::Shard;
use crate::experiments::shard::partial;
use crate::experiments::shard::payload::{self, Inputs, Payload, RunIdentity, State};
use crate::present::output::write::write_file_atomically;

/// Writes shard `shard`'s partial result of a run of `inputs` into `--out`,
/// with the provenance of the unsharded command.
pub(crate) fn write_partial(
    flags: &OutputFlags,
    shard: Shard,
    id: &RunIdentity,
    inputs: Inputs,
    state: State,
    provenance: Provenance,
) -> Result<(), AppError> {
    let header = payload::header(&inputs, id, shard);
    let payload = Payload {
        inputs,
        state,
        provenance,
    };
    let bytes = partial::encode(&header, &payload.to_bytes());
    let path = flags.out_dir().join(payload::file_name(&id.name, shard));
    write_file_atomically(&path, &bytes)
        .map_err(|e| AppError::run_because(format!("cannot write {}", path.display()), e))?;
    if !flags.quiet {
        let r = id.block(shard);
        let (unit, count) = match id.points {
            Some(p) => ("design points", p),
            None => ("replications", id.replications),
        };
        let covered = if r.is_empty() {
            format!("no {unit} of {count}")
        } else {
            format!("{unit} {} to {} of {count}", r.start, r.end - 1)
        };
        println!(
            "shard {shard} of {}: {covered}; partial result: {}",
            id.name,
            path.display()
        );
    }
    Ok(())
}
