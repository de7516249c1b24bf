//! The report's table of the populations' headline metrics, beside the
//! platforms' and the gatekeeper's (none without populations).

use super::{Block, Table};
use crate::experiments::montecarlo::MonteCarloResult;
use crate::present::output::populations::population_table;

/// The populations' table, if the run had populations.
pub(crate) fn population_blocks(r: &MonteCarloResult) -> Vec<Block> {
    population_table(r)
        .map(|(header, rows)| {
            Block::Table(Table {
                caption: "Per population (summed or averaged over its members)".into(),
                header,
                rows,
            })
        })
        .into_iter()
        .collect()
}
