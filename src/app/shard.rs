//! The app's side of sharding: reading `--shard K/N`, writing a shard's
//! partial result instead of the outputs, and `gatesim merge`, which reads
//! the partials back, checks they are the N shards of one run, adds their
//! accumulators and writes the outputs through the command's own exporters.

use super::{AppError, compare, run, sensitivity, sweep, write_file};
use crate::app::cli::{MergeArgs, OutputFlags, RunFlags};
use crate::experiments::shard::Shard;
use crate::experiments::shard::partial::{self, Header, check_complete};
use crate::experiments::shard::payload::{self, Inputs, Payload, RunIdentity, State};
use crate::scenario::{Loaded, load_str};
use std::path::{Path, PathBuf};

/// The shard asked for with `--shard`, if any.
pub(super) fn shard_of(flags: &RunFlags) -> Result<Option<Shard>, AppError> {
    flags
        .shard
        .as_deref()
        .map(|t| Shard::parse(t).map_err(|e| AppError::usage(format!("--shard {t}: {e}"))))
        .transpose()
}

/// Writes shard `shard`'s partial result of a run of `inputs` into `--out`.
pub(super) fn write_partial(
    flags: &OutputFlags,
    shard: Shard,
    id: &RunIdentity,
    inputs: Inputs,
    state: State,
) -> Result<(), AppError> {
    let header = payload::header(&inputs, id, shard);
    let bytes = partial::encode(&header, &Payload { inputs, state }.to_bytes());
    let path = flags.out.join(payload::file_name(&id.name, shard));
    write_file(&path, &bytes)?;
    if !flags.quiet {
        let r = id.block(shard);
        let (unit, count) = match id.points {
            Some(p) => ("design points", p),
            None => ("replications", id.replications),
        };
        let covered = if r.is_empty() {
            format!("no {unit} of {count}")
        } else {
            format!("{unit} {} to {} of {count}", r.start + 1, r.end)
        };
        println!(
            "shard {shard} of {}: {covered}; partial result: {}",
            id.name,
            path.display()
        );
    }
    Ok(())
}

/// A scenario loaded from the resolved TOML a partial holds.
pub(super) fn load_resolved(text: &str, from: &str) -> Result<Loaded, AppError> {
    load_str(text, Path::new(from), "scenario", &[]).map_err(AppError::from)
}

/// The partial files among `paths`: files as given, and the `*.partial`
/// files of folders (not their subfolders), in name order.
fn partial_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, AppError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| AppError::usage_because(format!("{}", p.display()), e))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "partial"))
                .collect();
            if found.is_empty() {
                return Err(AppError::usage(format!(
                    "{}: no *.partial files in this folder",
                    p.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// `gatesim merge`.
pub(super) fn merge(a: &MergeArgs) -> Result<(), AppError> {
    let files = partial_files(&a.partials)?;
    // Headers first: a foreign or damaged file is refused before any work.
    let mut read: Vec<(String, Header, Vec<u8>)> = Vec::new();
    for f in &files {
        let name = f.display().to_string();
        let bytes = std::fs::read(f).map_err(|e| AppError::usage_because(name.clone(), e))?;
        let header = partial::read_header(&bytes).map_err(|e| AppError::usage(format!("{name}: {e}")))?;
        read.push((name, header, bytes));
    }
    let ordered = check_complete(&read).map_err(AppError::usage)?;
    let mut merged: Option<Payload> = None;
    for (name, _, bytes) in ordered {
        let (_, body) = partial::decode(bytes).map_err(|e| AppError::usage(format!("{name}: {e}")))?;
        let p = Payload::from_bytes(&body).map_err(|e| AppError::usage(format!("{name}: {e}")))?;
        merged = Some(match merged {
            None => p,
            Some(mut m) => {
                if m.inputs != p.inputs {
                    return Err(AppError::usage(format!(
                        "{name}: its inputs differ from the other shards'"
                    )));
                }
                m.state
                    .merge(p.state)
                    .map_err(|e| AppError::usage(format!("{name}: {e}")))?;
                m
            }
        });
    }
    let Some(Payload { inputs, state }) = merged else {
        return Err(AppError::usage("no partial results to merge"));
    };
    let flags = &a.output;
    let from = &read[0].0;
    match (inputs, state) {
        (Inputs::Run { scenario }, State::Run(s)) => run::finish_merged(&load_resolved(&scenario, from)?, s, flags),
        (Inputs::Compare { scenarios }, State::Compare { runs, paired }) => {
            let loaded = scenarios
                .iter()
                .map(|t| load_resolved(t, from))
                .collect::<Result<Vec<_>, _>>()?;
            compare::finish_merged(&loaded, runs, paired, flags)
        }
        (Inputs::Sweep { keys, labels, points }, State::Sweep(states)) => {
            let points = points
                .into_iter()
                .map(|(values, t)| Ok((values, load_resolved(&t, from)?)))
                .collect::<Result<Vec<_>, AppError>>()?;
            sweep::finish_merged(keys, labels, &points, states, flags)
        }
        (inputs @ Inputs::Sensitivity { .. }, State::Sensitivity { values }) => {
            sensitivity::finish_merged(inputs, values, from, flags)
        }
        _ => Err(AppError::usage(format!("{from}: its results do not match its command"))),
    }
}
