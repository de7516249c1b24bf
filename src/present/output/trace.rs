//! The audit log as CSV: one row per pipeline event of one replication, in
//! the order they happened.

use super::csv::{field, line};
use crate::core::numbers::trim;
use crate::core::time::TICKS_PER_DAY;
use crate::experiments::trace::Trace;

/// The CSV bytes of `trace`.
pub(crate) fn trace_csv(trace: &Trace) -> Vec<u8> {
    let mut out = String::from("time_ms,time_days,platform,build,submission,event,detail\n");
    for r in &trace.rows {
        let platform = trace.actor_of(r).map_or(String::new(), |a| field(&a));
        line(
            &mut out,
            &[
                r.time_ms.to_string(),
                trim(format!("{:.8}", r.time_ms as f64 / TICKS_PER_DAY as f64)),
                platform,
                if r.build == 0 {
                    String::new()
                } else {
                    r.build.to_string()
                },
                r.submission.map_or(String::new(), |s| s.to_string()),
                r.kind.as_str().to_string(),
                field(&r.detail),
            ],
        );
    }
    out.into_bytes()
}
