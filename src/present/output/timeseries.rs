//! `timeseries.csv`: every daily series across replications, long format:
//! one row per day, scope (a platform, `market` or `gatekeeper`) and metric,
//! with the mean, its 95% confidence interval, and the 5th, 50th and 95th
//! percentiles across replications. Empty cells are undefined statistics.
//! When the scenario gives `simulation.start_date`, a `date` column
//! (YYYY-MM-DD) follows `day`.

use super::csv::{field, line, num};
use crate::experiments::montecarlo::MonteCarloResult;

/// The header.
pub(crate) const HEADER: &str = "day,platform,metric,unit,mean,ci_low,ci_high,p05,p50,p95";

/// The CSV bytes, ordered by day, then series.
pub(crate) fn timeseries_csv(r: &MonteCarloResult) -> Vec<u8> {
    let start = r.annotations.start_date;
    let mut out = match start {
        Some(_) => HEADER.replacen("day,", "day,date,", 1),
        None => HEADER.to_string(),
    };
    out.push('\n');
    let days = r.daily.first().map_or(0, |s| s.days.len());
    for d in 0..days {
        for s in &r.daily {
            let st = &s.days[d];
            let mut cells = vec![st.day.to_string()];
            if let Some(start) = start {
                cells.push(start.plus_days(st.day as i64).to_string());
            }
            cells.extend([
                field(&s.scope),
                s.metric.to_string(),
                field(s.unit.name()),
                num(st.mean),
                num(st.ci_low),
                num(st.ci_high),
                num(st.p05),
                num(st.p50),
                num(st.p95),
            ]);
            line(&mut out, &cells);
        }
    }
    out.into_bytes()
}
