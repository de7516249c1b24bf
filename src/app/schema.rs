//! `gatesim schema`: prints the scenario format's JSON Schema, or with
//! `--markdown` its reference, to standard output.

use super::command::{Command, Context};
use super::error::AppError;
use crate::scenario::schema::{reference::reference_markdown, schema_json};
use clap::Args;
use std::io::Write;

/// `gatesim schema`
#[derive(Debug, Args)]
pub(crate) struct Schema {
    /// Print the Markdown reference (docs/scenario-reference.md) instead of the JSON Schema.
    #[arg(long)]
    markdown: bool,
}

impl Command for Schema {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let text = if self.markdown {
            reference_markdown()
        } else {
            schema_json()
        };
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| AppError::run_because("cannot write to standard output", e))
    }
}
