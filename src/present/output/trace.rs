//! The audit log as CSV: one row per pipeline event of one replication, in
//! the order they happened ([`trace_csv`]); or as a review log, one row per
//! submission, as `gatesim fit reviews` reads them ([`trace_log_csv`]).

use super::csv::{field, line};
use crate::core::numbers::trim;
use crate::core::time::{TICKS_PER_DAY, TICKS_PER_HOUR};
use crate::experiments::trace::Trace;

/// Milliseconds as hours, to the tenth of a millisecond (7 decimals keep
/// every millisecond apart), without trailing zeros.
fn hours(ms: u64) -> String {
    trim(format!("{:.7}", ms as f64 / TICKS_PER_HOUR as f64))
}

/// The review log of `trace`: `platform,class,build,submitted,decided,outcome`,
/// one row per submission in the order they were made, times in hours from
/// the start of the run; a submission still pending at the end has empty
/// `decided` and `outcome`. The first line, a comment, says where it came
/// from and when the log was taken (the end of the run), which `fit
/// reviews` needs as `--until`.
pub fn trace_log_csv(trace: &Trace) -> Vec<u8> {
    let until = hours(trace.horizon_ms);
    let mut out = format!(
        "# Review log drawn by gatesim trace --format log from scenario {}, replication {}: one row per submission, \
         times in hours from the start of the run; taken at its end, {until} hours: gatesim fit reviews FILE --until {until}\n\
         platform,class,build,submitted,decided,outcome\n",
        trace.scenario.replace(['\n', '\r'], " "),
        trace.replication
    );
    for r in trace.review_log() {
        let platform = trace.platforms.get(r.platform).map_or(String::new(), |p| field(p));
        let (decided, outcome) = match r.decided {
            Some((ms, o)) => (hours(ms), o.as_str().to_string()),
            None => (String::new(), String::new()),
        };
        line(
            &mut out,
            &[
                platform,
                field(&r.class),
                r.build.to_string(),
                hours(r.submitted_ms),
                decided,
                outcome,
            ],
        );
    }
    out.into_bytes()
}

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
