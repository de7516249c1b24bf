//! `timeseries.csv`: one row per day per platform, the platform's state
//! that day beside the gatekeeper's (repeated on each platform's row so
//! every row stands alone), and, when the scenario has users, the
//! platform's users and the market's pool.

use super::csv::{field, line, num};
use crate::pipeline::PipelineResult;
use crate::users::UsersResult;

/// The user columns, in order, present when the scenario has users.
pub const USER_COLUMNS: [&str; 11] = [
    "pool",
    "active_users",
    "dau",
    "new_users",
    "churned_users",
    "switched_in",
    "switched_out",
    "orders",
    "appeal",
    "churn_multiplier",
    "choice_share",
];

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
pub fn timeseries_csv(r: &PipelineResult, users: Option<&UsersResult>) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&COLUMNS.join(","));
    if users.is_some() {
        out.push(',');
        out.push_str(&USER_COLUMNS.join(","));
    }
    out.push('\n');
    for (i, g) in r.gatekeeper.daily.iter().enumerate() {
        for (pi, p) in r.platforms.iter().enumerate() {
            let Some(d) = p.daily.get(i) else { continue };
            let mut cells = vec![
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
            ];
            if let Some(u) = users {
                let pool = u.pool.get(i).copied().unwrap_or(0);
                match u.platforms.get(pi).and_then(|pu| pu.daily.get(i)) {
                    Some(ud) => cells.extend([
                        pool.to_string(),
                        ud.active.to_string(),
                        ud.dau.to_string(),
                        ud.new_users.to_string(),
                        ud.churned.to_string(),
                        ud.switched_in.to_string(),
                        ud.switched_out.to_string(),
                        ud.orders.to_string(),
                        num(Some(ud.appeal)),
                        num(Some(ud.churn_multiplier)),
                        num(Some(ud.choice_share)),
                    ]),
                    None => cells.extend(std::iter::repeat_n(String::new(), USER_COLUMNS.len())),
                }
            }
            line(&mut out, &cells);
        }
    }
    out.into_bytes()
}
