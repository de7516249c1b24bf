//! `cohorts.csv`: each acquisition cohort's retention curve across
//! replications, one row per platform, cohort and age (long format): the
//! mean share still active and its 95% confidence interval.

use super::csv::{field, line, num};
use crate::experiments::montecarlo::MonteCarloResult;

/// The CSV bytes.
pub(crate) fn cohorts_csv(r: &MonteCarloResult) -> Vec<u8> {
    let mut out = String::from("platform,cohort,first_day,last_day,mean_size,age_days,retention,ci_low,ci_high\n");
    for c in &r.cohorts {
        for a in &c.ages {
            line(
                &mut out,
                &[
                    field(&c.platform),
                    field(&c.cohort),
                    c.first_day.to_string(),
                    c.last_day.to_string(),
                    num(c.mean_size),
                    a.age_days.to_string(),
                    num(a.mean),
                    num(a.ci_low),
                    num(a.ci_high),
                ],
            );
        }
    }
    out.into_bytes()
}
