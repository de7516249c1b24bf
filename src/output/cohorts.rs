//! `cohorts.csv`: the retention curve of every acquisition cohort of every
//! platform, one row per cohort and age (long format).

use super::csv::{field, line, num};
use crate::users::UsersResult;

/// The CSV bytes; `platforms` names the platforms by index.
pub fn cohorts_csv(u: &UsersResult, platforms: &[String]) -> Vec<u8> {
    let mut out = String::from("platform,cohort,first_day,last_day,size,age_days,active,retention\n");
    for (p, pu) in u.platforms.iter().enumerate() {
        let name = platforms.get(p).map_or(String::new(), |n| field(n));
        for c in pu.cohorts.iter().filter(|c| c.size > 0) {
            for (age, &n) in c.survivors.iter().enumerate() {
                line(
                    &mut out,
                    &[
                        name.clone(),
                        field(&c.label),
                        c.first_day.to_string(),
                        c.last_day.to_string(),
                        c.size.to_string(),
                        age.to_string(),
                        n.to_string(),
                        num(c.retention(age)),
                    ],
                );
            }
        }
    }
    out.into_bytes()
}
