//! The review pipeline's rules on fully fixed delays, where every day of the
//! outcome can be computed by hand: submission, hold, review, decision and
//! release days; supersession under the one-version rule; rationed
//! withdrawals; reviews that a newer build waits for or withdraws; a block
//! lifted by a dated policy change; expedited reviews; phased releases.

mod common;

use gatesim::pipeline::{TraceKind, TraceRecord};

const DAY: u64 = 86_400_000;
const HOUR: u64 = 3_600_000;

/// A one-platform scenario with fixed delays; `extra_gk` goes into
/// [gatekeeper], `class` and `platform` into the class and platform tables,
/// `tail` at the end of the file.
fn fixed(extra_gk: &str, class: &str, platform: &str, tail: &str) -> String {
    format!(
        r#"
[simulation]
horizon_days = 60

[gatekeeper]
reviewers = 1
{extra_gk}

[[gatekeeper.classes]]
name = "standard"
review_hours = 24
{class}

[[gatekeeper.classes]]
name = "blocked"
review_hours = 24
hold_days = "never"

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7
first_build_days = 1
fix_days = 1
{platform}
{tail}
"#
    )
}

/// (time in ms, event, build) of every record of platform 0.
fn events(text: &str) -> Vec<(u64, TraceKind, u32)> {
    let s = common::scenario(text);
    let trace: Vec<TraceRecord> = common::run(&s, 0, true).trace.unwrap();
    trace
        .into_iter()
        .filter(|r| r.platform == Some(0))
        .map(|r| (r.time_ms, r.kind, r.build))
        .collect()
}

fn times_of(ev: &[(u64, TraceKind, u32)], kind: TraceKind) -> Vec<(u64, u32)> {
    ev.iter().filter(|e| e.1 == kind).map(|e| (e.0, e.2)).collect()
}

#[test]
fn fixed_delays_give_hand_computed_submission_approval_and_release_days() {
    // Weekly builds from day 1; hold 2 days; review 24 h; release 6 h after approval.
    let ev = events(&fixed("", "hold_days = 2", "release_delay_hours = 6", ""));
    let builds: Vec<u64> = (0..9).map(|k| DAY + 7 * k * DAY).collect(); // days 1, 8, ..., 57
    let submit = times_of(&ev, TraceKind::Submit);
    assert_eq!(submit.iter().map(|s| s.0).collect::<Vec<_>>(), builds);
    let queue = times_of(&ev, TraceKind::Queue);
    assert_eq!(
        queue.iter().map(|s| s.0).collect::<Vec<_>>(),
        builds.iter().map(|b| b + 2 * DAY).collect::<Vec<_>>()
    );
    // Decided 3 days after submission; the build from day 57 is decided on day 60, the horizon.
    let approve = times_of(&ev, TraceKind::Approve);
    assert_eq!(
        approve.iter().map(|s| s.0).collect::<Vec<_>>(),
        builds.iter().map(|b| b + 3 * DAY).collect::<Vec<_>>()
    );
    let release = times_of(&ev, TraceKind::ReleaseStart);
    let expected: Vec<u64> = builds
        .iter()
        .map(|b| b + 3 * DAY + 6 * HOUR)
        .filter(|&t| t <= 60 * DAY)
        .collect();
    assert_eq!(release.iter().map(|s| s.0).collect::<Vec<_>>(), expected);
    assert_eq!(
        release.iter().map(|s| s.1).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<u32>>()
    );
}

#[test]
fn staleness_counts_days_since_the_last_release() {
    let s = common::scenario(&fixed("", "", "initial_version_age_days = 10", ""));
    let r = common::run(&s, 0, false).result;
    let daily = &r.platforms[0].daily;
    // Day d's record is the state at time d, before anything else happening
    // at that instant. Build 1 is cut on day 1, reviewed in 24 h and released
    // at time 2 days, just after day 2's record.
    assert_eq!(daily[0].staleness_days, 10.0);
    assert_eq!(daily[2].staleness_days, 12.0);
    assert_eq!(daily[3].staleness_days, 1.0);
    assert_eq!(daily[8].staleness_days, 6.0);
    // Build 2 is cut on day 8 and released at time 9 days.
    assert_eq!(daily[9].staleness_days, 7.0);
    assert_eq!(daily[10].staleness_days, 1.0);
    let c = &r.platforms[0].counts;
    assert_eq!((c.builds, c.submissions, c.approvals, c.releases), (9, 9, 9, 9));
    // Decision time is exactly the review: 24 h.
    assert_eq!(r.platforms[0].decision_hours.mean, Some(24.0));
}

#[test]
fn a_newer_build_supersedes_a_held_one_so_a_long_hold_releases_nothing() {
    // A 10-day hold is longer than the 7-day cadence: each build is withdrawn
    // when the next one arrives, and nothing is ever reviewed.
    let s = common::scenario(&fixed("", "hold_days = 10", "", ""));
    let r = common::run(&s, 0, false).result;
    let c = &r.platforms[0].counts;
    assert_eq!((c.builds, c.submissions, c.withdrawals, c.supersessions), (9, 9, 8, 8));
    assert_eq!((c.approvals, c.releases), (0, 0));
}

#[test]
fn rationed_withdrawals_keep_the_newer_build_until_the_decision() {
    // One withdrawal a month. Build 1 (day 1) held until day 11; build 2 (day 8)
    // withdraws it and is held until day 18; build 3 (day 15) may not withdraw
    // again this month, so it waits; build 2 is approved on day 19 and build 3
    // is submitted then.
    let ev = events(&fixed("withdrawals_per_month = 1", "hold_days = 10", "", ""));
    assert_eq!(times_of(&ev, TraceKind::Withdraw)[0], (8 * DAY, 1));
    assert!(
        times_of(&ev, TraceKind::Withdraw)
            .iter()
            .all(|w| w.0 == 8 * DAY || w.0 >= 30 * DAY)
    );
    assert_eq!(times_of(&ev, TraceKind::Stage)[0], (15 * DAY, 3));
    assert_eq!(times_of(&ev, TraceKind::Approve)[0], (19 * DAY, 2));
    assert_eq!(times_of(&ev, TraceKind::Submit)[2], (19 * DAY, 3));
}

#[test]
fn a_newer_build_waits_for_a_review_under_way_or_withdraws_it_as_configured() {
    // Reviews take 10 days, longer than the cadence.
    let wait = events(
        &fixed("when_in_review = \"wait\"", "review_hours = 240", "", "").replacen("review_hours = 24\n", "", 1),
    );
    // Build 2 (day 8) waits; build 1 is decided on day 11; build 2 goes then.
    assert_eq!(times_of(&wait, TraceKind::Approve)[0], (11 * DAY, 1));
    assert_eq!(times_of(&wait, TraceKind::Submit)[1], (11 * DAY, 2));
    let withdraw = events(
        &fixed("when_in_review = \"withdraw\"", "review_hours = 240", "", "").replacen("review_hours = 24\n", "", 1),
    );
    // Every review is interrupted by the next build: nothing is approved.
    assert!(times_of(&withdraw, TraceKind::Approve).is_empty());
    assert_eq!(times_of(&withdraw, TraceKind::Withdraw)[0], (8 * DAY, 1));
}

#[test]
fn lifting_a_block_on_a_given_day_releases_the_pending_build() {
    let text = fixed(
        "",
        "",
        "",
        "[[changes]]\nday = 30\nplatform = \"P\"\nclass = \"standard\"\n",
    )
    .replace(
        "class = \"standard\"\ncadence_days",
        "class = \"blocked\"\ncadence_days",
    );
    let ev = events(&text);
    // Builds on days 1, 8, 15, 22, 29 are held; the one from day 29 is pending
    // when the block is lifted on day 30, queued at once, approved on day 31.
    assert_eq!(times_of(&ev, TraceKind::Approve)[0], (31 * DAY, 5));
    assert_eq!(times_of(&ev, TraceKind::ReleaseStart)[0], (31 * DAY, 5));
    assert_eq!(times_of(&ev, TraceKind::ClassChange), vec![(30 * DAY, 0)]);
}

#[test]
fn expedited_reviews_are_used_within_the_yearly_quota() {
    let gk = "[gatekeeper.expedite]\nper_platform_per_year = 3\nreview_hours = 2";
    let s = common::scenario(
        &fixed("", "", "expedite = \"all\"", "").replace("reviewers = 1\n", &format!("reviewers = 1\n{gk}\n")),
    );
    let r = common::run(&s, 0, false).result;
    assert_eq!(r.platforms[0].counts.expedites, 3);
    // Three 2-hour reviews and six 24-hour ones.
    assert_eq!(r.platforms[0].decision_hours.mean, Some((3.0 * 2.0 + 6.0 * 24.0) / 9.0));
}

#[test]
fn a_rejected_build_is_fixed_and_resubmitted() {
    let s = common::scenario(&fixed("", "rejection_probability = 1", "", ""));
    let ev = {
        let trace = common::run(&s, 0, true).trace.unwrap();
        trace
            .into_iter()
            .filter(|r| r.platform == Some(0))
            .map(|r| (r.time_ms, r.kind, r.build))
            .collect::<Vec<_>>()
    };
    // Build 1: submitted day 1, rejected day 2, fixed and resubmitted day 3,
    // rejected day 4, resubmitted day 5, rejected day 6, resubmitted day 7,
    // then build 2 (day 8) arrives while it is in review and waits for it.
    let rejects: Vec<(u64, u32)> = times_of(&ev, TraceKind::Reject);
    assert_eq!(&rejects[..4], &[(2 * DAY, 1), (4 * DAY, 1), (6 * DAY, 1), (8 * DAY, 1)]);
    assert_eq!(times_of(&ev, TraceKind::Submit)[1], (3 * DAY, 1));
    assert!(times_of(&ev, TraceKind::Approve).is_empty());
}

#[test]
fn a_phased_release_spreads_over_its_days_and_holds_back_the_next() {
    // 10-day phases with a weekly cadence: build 2 (approved day 9) waits for
    // build 1's phase (days 2 to 12) to end.
    let ev = events(&fixed("", "", "phase_days = 10", ""));
    let rel = times_of(&ev, TraceKind::ReleaseStart);
    assert_eq!(rel[0], (2 * DAY, 1));
    assert_eq!(rel[1], (12 * DAY, 2));
    let s = common::scenario(&fixed("", "", "phase_days = 10", ""));
    let daily = common::run(&s, 0, false).result.platforms[0].daily.clone();
    assert!((daily[7].share_on_latest - 0.5).abs() < 1e-12);
}
