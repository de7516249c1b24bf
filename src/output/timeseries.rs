//! `timeseries.csv`: one row per day per platform, the platform's state
//! that day beside the gatekeeper's (repeated on each platform's row so
//! every row stands alone).

use super::csv::{field, line, num};
use crate::pipeline::PipelineResult;

/// The column names, in order.
pub const COLUMNS: [&str; 16] = [
    "day",
    "platform",
    "staleness_days",
    "open_defects",
    "share_on_latest",
    "builds",
    "submissions",
    "approvals",
    "rejections",
    "supersessions",
    "releases",
    "pending",
    "gatekeeper_waiting",
    "gatekeeper_in_review",
    "gatekeeper_held",
    "gatekeeper_reviewers",
];

/// The CSV bytes.
pub fn timeseries_csv(r: &PipelineResult) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    for (i, g) in r.gatekeeper.daily.iter().enumerate() {
        for p in &r.platforms {
            let Some(d) = p.daily.get(i) else { continue };
            line(
                &mut out,
                &[
                    d.day.to_string(),
                    field(&p.name),
                    num(Some(d.staleness_days)),
                    d.open_defects.to_string(),
                    num(Some(d.share_on_latest)),
                    d.builds.to_string(),
                    d.submissions.to_string(),
                    d.approvals.to_string(),
                    d.rejections.to_string(),
                    d.supersessions.to_string(),
                    d.releases.to_string(),
                    d.pending.to_string(),
                    g.waiting.to_string(),
                    g.in_review.to_string(),
                    g.held.to_string(),
                    g.reviewers.to_string(),
                ],
            );
        }
    }
    out.into_bytes()
}
