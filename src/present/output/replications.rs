//! `replications.csv`: one row per replication with its headline outcomes,
//! for users who want their own analysis. Columns are `scope.metric`.

use super::csv::{field, line, num};
use crate::experiments::montecarlo::MonteCarloResult;

/// The CSV bytes.
pub(crate) fn replications_csv(r: &MonteCarloResult) -> Vec<u8> {
    let mut header = vec!["replication".to_string()];
    header.extend(r.headlines.iter().map(|h| field(&format!("{}.{}", h.scope, h.metric))));
    let mut out = String::new();
    line(&mut out, &header);
    for (rep, values) in &r.rows {
        let mut cells = vec![rep.to_string()];
        cells.extend(values.iter().map(|v| num(*v)));
        line(&mut out, &cells);
    }
    out.into_bytes()
}
