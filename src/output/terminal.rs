//! The short human summary printed at the end of a run: a table of each
//! platform's pipeline and a line on the gatekeeper. Text only; printing is
//! the caller's business.

use crate::pipeline::PipelineResult;
use crate::users::UsersResult;

/// A duration given in hours, in the unit a reader expects.
pub fn human_hours(h: Option<f64>) -> String {
    match h {
        None => "-".into(),
        Some(h) if h < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} d", h / 24.0),
    }
}

/// A duration given in days.
pub fn human_days(d: Option<f64>) -> String {
    human_hours(d.map(|d| d * 24.0))
}

/// A count in thousands or millions for reading at a glance.
pub fn human_count(n: f64) -> String {
    let a = n.abs();
    if a >= 1e6 {
        format!("{:.2}M", n / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// The users table: active users at the start and end, orders, DAU, D30.
pub fn users_text(r: &PipelineResult, u: &UsersResult, warmup: u64) -> String {
    let w = r.platforms.iter().map(|p| p.name.len()).max().unwrap_or(8).max(8);
    let mut out = format!(
        "{:<w$}  {:>9} {:>9} {:>8} {:>12} {:>9} {:>6}\n",
        "platform", "users d0", "users end", "change", "orders", "mean DAU", "D30"
    );
    for (p, pu) in r.platforms.iter().zip(&u.platforms) {
        let h = pu.headline(warmup);
        out.push_str(&format!(
            "{:<w$}  {:>9} {:>9} {:>8} {:>12} {:>9} {:>6}\n",
            p.name,
            human_count(h.active_start as f64),
            human_count(h.active_end as f64),
            h.active_change_pct.map_or("-".into(), |c| format!("{c:+.1}%")),
            human_count(h.orders_total as f64),
            h.mean_dau.map_or("-".into(), human_count),
            h.d30_retention.map_or("-".into(), |r| format!("{:.0}%", 100.0 * r)),
        ));
    }
    out
}

/// The summary text.
pub fn summary_text(title: &str, r: &PipelineResult) -> String {
    let mut out = format!("{title}\n\n");
    let w = r.platforms.iter().map(|p| p.name.len()).max().unwrap_or(8).max(8);
    out.push_str(&format!(
        "{:<w$}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>8}  {:>10} {:>10} {:>10}\n",
        "platform", "builds", "subm.", "appr.", "rej.", "super.", "releases", "decision", "staleness", "stale end"
    ));
    for p in &r.platforms {
        let c = &p.counts;
        out.push_str(&format!(
            "{:<w$}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>8}  {:>10} {:>10} {:>10}\n",
            p.name,
            c.builds,
            c.submissions,
            c.approvals,
            c.rejections,
            c.supersessions,
            c.releases,
            human_hours(p.decision_hours.mean),
            human_days(p.mean_staleness_days),
            human_days(p.final_staleness_days),
        ));
    }
    let g = &r.gatekeeper;
    out.push_str(&format!(
        "\n(decision: mean time from submission to decision; staleness: mean days since the last release)\n\
         gatekeeper: utilisation {}, mean waiting {:.2}, mean wait {} (p95 {}), mean held {:.2}\n",
        g.utilisation.map_or("-".into(), |u| format!("{:.1}%", 100.0 * u)),
        g.mean_waiting.unwrap_or(0.0),
        human_hours(g.queue_wait_hours.mean),
        human_hours(g.queue_wait_hours.p95),
        g.mean_held.unwrap_or(0.0),
    ));
    out
}
