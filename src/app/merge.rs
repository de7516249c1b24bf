//! `gatesim merge`: reads the partial results of every shard of a run,
//! comparison, sweep or sensitivity analysis, checks they are the N shards
//! of one piece of work, adds their accumulators and hands them to the
//! command that wrote them (through the registry), which writes the
//! outputs of the unsharded command, byte for byte.

use super::command::{Command, Context, Merged};
use super::error::AppError;
use super::flags::OutputFlags;
use crate::experiments::shard::partial::{self, Header, check_complete};
use crate::experiments::shard::payload::Payload;
use clap::Args;
use std::path::PathBuf;

/// `gatesim merge`
#[derive(Debug, Args)]
pub(crate) struct Merge {
    /// Partial result files, or folders of them (their *.partial files), in any order.
    #[arg(required = true, value_name = "PARTIAL")]
    partials: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputFlags,
}

impl Command for Merge {
    fn execute(&self, cx: &Context) -> Result<(), AppError> {
        let files = partial_files(&self.partials)?;
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
        let Some(Payload {
            inputs,
            state,
            provenance,
        }) = merged
        else {
            return Err(AppError::usage("no partial results to merge"));
        };
        let from = read[0].0.clone();
        let merged = Merged {
            inputs,
            state,
            from,
            provenance,
        };
        (cx.finish_merged)(merged, &self.output)
    }
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
