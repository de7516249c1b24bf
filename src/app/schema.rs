//! `gatesim schema`: prints the scenario format's JSON Schema, or with
//! `--markdown` its reference, to standard output.

use super::AppError;
use crate::app::cli::SchemaArgs;
use crate::scenario::schema::{reference::reference_markdown, schema_json};
use std::io::Write;

pub(super) fn schema(a: &SchemaArgs) -> Result<(), AppError> {
    let text = if a.markdown {
        reference_markdown()
    } else {
        schema_json()
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| AppError::run_because("cannot write to standard output", e))
}
