//! `gatesim schema`: prints the scenario format's JSON Schema, or with
//! `--markdown` its reference, or with `--cli-markdown` the command-line
//! reference, to standard output.

use super::command::{Command, Context};
use super::error::AppError;
use crate::scenario::schema::{reference::reference_markdown, schema_json};
use clap::Args;
use std::io::Write;

/// `gatesim schema`
#[derive(Debug, Args)]
pub(crate) struct Schema {
    /// Print the Markdown reference (docs/src/reference/scenario.md) instead of the JSON Schema.
    #[arg(long, conflicts_with = "cli_markdown")]
    markdown: bool,
    /// Print the Markdown reference of every command and flag
    /// (docs/src/reference/cli.md) instead of the JSON Schema.
    #[arg(long)]
    cli_markdown: bool,
}

impl Command for Schema {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let text = if self.cli_markdown {
            super::cli_reference_markdown()
        } else if self.markdown {
            reference_markdown()
        } else {
            schema_json()
        };
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| AppError::run_because("cannot write to standard output", e))
    }
}
