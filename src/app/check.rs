//! `gatesim check`: validates a scenario (with its overrides) and prints it
//! resolved, defaults filled in; or every problem found.

use super::command::{Command, Context, load_scenario};
use super::error::AppError;
use super::flags::ScenarioFlags;
use clap::Args;
use std::path::PathBuf;

/// `gatesim check`
#[derive(Debug, Args)]
pub(crate) struct Check {
    /// The scenario file (TOML).
    scenario: PathBuf,
    #[command(flatten)]
    overrides: ScenarioFlags,
}

impl Command for Check {
    fn execute(&self, _: &Context) -> Result<(), AppError> {
        let loaded = load_scenario(&self.scenario, &self.overrides)?;
        println!(
            "# {} is valid. Resolved, with defaults filled in:\n",
            self.scenario.display()
        );
        print!("{}", loaded.resolved_toml());
        Ok(())
    }
}
