//! What happened to each platform's builds in replication 0: one row per
//! platform, a mark for every submission, approval, rejection, withdrawal
//! or supersession and release, each kind with its own shape and lane.
//! Releases are tall bars in the platform's colour, so a platform that
//! never releases shows an empty lane; its longest stretch without a
//! release is shaded and labelled.

use super::Ctx;
use crate::core::event::TraceKind;
use crate::present::plot::canvas::Shape;
use crate::present::plot::style::{INK, MUTED};
use crate::present::plot::timeline::{Mark, MarkKind, Row, Span, Timeline};

const MS_PER_DAY: f64 = 86_400_000.0;

/// Lane of the release bars (rows below the row's centre line).
const RELEASE_LANE: f64 = -0.27;

/// Stretches shorter than this (days) are not picked out.
const LONG_GAP_DAYS: f64 = 28.0;

/// Index of each mark kind for a trace event, if it is shown.
fn kind_of(k: TraceKind) -> Option<usize> {
    match k {
        TraceKind::Submit => Some(0),
        TraceKind::Approve => Some(1),
        TraceKind::Reject => Some(2),
        TraceKind::Withdraw | TraceKind::Supersede => Some(3),
        TraceKind::ReleaseStart => Some(4),
        _ => None,
    }
}

fn kinds() -> Vec<MarkKind> {
    let k = |label: &str, shape, colour, lane, size| MarkKind {
        label: label.into(),
        shape,
        colour,
        lane,
        size,
    };
    vec![
        k("submitted", Shape::Ring, Some(MUTED), 0.28, 20.0),
        k("approved", Shape::TriangleUp, Some(INK), 0.10, 22.0),
        k("rejected", Shape::Cross, Some(INK), 0.10, 22.0),
        k("withdrawn or\nsuperseded", Shape::Square, Some(MUTED), -0.08, 18.0),
        k(
            "release started\n(platform colour)",
            Shape::Bar,
            None,
            RELEASE_LANE,
            26.0,
        ),
    ]
}

/// The longest stretch of `0..horizon` days without a release in `releases`.
fn longest_gap(releases: &[f64], horizon: f64) -> (f64, f64) {
    let mut edges = vec![0.0];
    edges.extend(releases.iter().copied().filter(|&d| d > 0.0 && d < horizon));
    edges.push(horizon);
    edges
        .windows(2)
        .map(|w| (w[0], w[1]))
        .fold((0.0, 0.0), |best, g| if g.1 - g.0 > best.1 - best.0 { g } else { best })
}

/// The release-timeline chart.
pub(super) fn chart(ctx: &Ctx<'_>) -> Timeline {
    let horizon = f64::from(ctx.input.horizon_days.max(1));
    let names = ctx.platforms();
    let mut marks = Vec::new();
    let mut releases: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for r in &ctx.input.timeline.rows {
        let (Some(p), Some(kind)) = (r.platform, kind_of(r.kind)) else {
            continue;
        };
        if p >= names.len() {
            continue;
        }
        let x = r.time_ms as f64 / MS_PER_DAY;
        marks.push(Mark { row: p, x, kind });
        if kind == 4 {
            releases[p].push(x);
        }
    }
    let spans = releases
        .iter()
        .enumerate()
        .filter_map(|(p, rel)| {
            let (a, b) = longest_gap(rel, horizon);
            let len = b - a;
            (len >= LONG_GAP_DAYS).then(|| Span {
                row: p,
                from: a,
                to: b,
                label: if rel.is_empty() {
                    format!("no release in {:.0} days", len)
                } else {
                    format!("no release for {:.0} days", len)
                },
            })
        })
        .collect();
    Timeline {
        title: "Submissions, decisions and releases per platform".into(),
        subtitle: format!(
            "scenario {} · replication 0 · seed {} · every event of one run",
            ctx.input.scenario, ctx.input.seed
        ),
        x: ctx.day_axis(),
        rows: names
            .iter()
            .enumerate()
            .map(|(p, n)| Row {
                label: n.clone(),
                colour: ctx.styles[p].colour,
            })
            .collect(),
        kinds: kinds(),
        marks,
        spans,
        label_lane: RELEASE_LANE,
        guides: ctx.guides.clone(),
        legend_heading: Some("Event".into()),
        extra_legend: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_gap_runs_between_releases_or_to_the_ends() {
        assert_eq!(longest_gap(&[], 240.0), (0.0, 240.0));
        assert_eq!(longest_gap(&[10.0, 20.0, 200.0], 240.0), (20.0, 200.0));
        assert_eq!(longest_gap(&[5.0], 8.0), (0.0, 5.0));
    }
}
