//! The review pipeline's rules on fully fixed delays, where every day of the
//! outcome can be computed by hand: submission, hold, review, decision and
//! release days; supersession under the one-version rule; rationed
//! withdrawals; reviews that a newer build waits for or withdraws; a block
//! lifted by a dated policy change; expedited reviews; phased releases.

use crate::common;

use gatesim::{TraceKind, TraceRecord};

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

/// The scenario of a platform cutting a build a day, every review rejecting
/// after 12 hours and every fix taking 3 days, with the one-version rule
/// off: each rejected build is superseded by the next build, cut during its
/// fix, and none is ever resubmitted.
const RULE_OFF_REJECTIONS: &str = r#"
name = "rule-off-rejections"
[simulation]
seed = 1
horizon_days = 8
[gatekeeper]
reviewers = 1
one_version_under_review = false
[[gatekeeper.classes]]
name = "R"
review_hours = 12
rejection_probability = 1
[[platforms]]
name = "P"
class = "R"
cadence_days = 1
first_build_days = 0
fix_days = 3
"#;

#[test]
fn with_the_rule_off_a_rejected_build_is_superseded_by_the_build_cut_during_its_fix() {
    let s = common::scenario(RULE_OFF_REJECTIONS);
    let run = common::run(&s, 0, true);
    let trace = run.trace.unwrap();
    let ev: Vec<(u64, TraceKind, u32, String)> = trace
        .iter()
        .map(|r| (r.time_ms, r.kind, r.build, r.detail.render(&[])))
        .collect();
    // Build k is cut on day k - 1 (a build cut exactly at the horizon, day 8, counts).
    let builds: Vec<(u64, u32)> = ev
        .iter()
        .filter(|e| e.1 == TraceKind::Build)
        .map(|e| (e.0, e.2))
        .collect();
    assert_eq!(builds, (1..=9).map(|k| (u64::from(k - 1) * DAY, k)).collect::<Vec<_>>());
    // Each of builds 1 to 8 is rejected 12 hours after its cut, with a 3-day fix.
    let rejects: Vec<(u64, u32, &str)> = ev
        .iter()
        .filter(|e| e.1 == TraceKind::Reject)
        .map(|e| (e.0, e.2, e.3.as_str()))
        .collect();
    assert_eq!(
        rejects,
        (1..=8)
            .map(|k| (u64::from(k - 1) * DAY + 12 * HOUR, k, "fix 3 days"))
            .collect::<Vec<_>>()
    );
    // ... and superseded a day after its cut by the next build, named.
    let supersede: Vec<(u64, u32, &str)> = ev
        .iter()
        .filter(|e| e.1 == TraceKind::Supersede)
        .map(|e| (e.0, e.2, e.3.as_str()))
        .collect();
    let names: Vec<String> = (2..=9).map(|k| format!("by build {k}")).collect();
    assert_eq!(
        supersede,
        (1..=8)
            .map(|k| (u64::from(k) * DAY, k, names[k as usize - 1].as_str()))
            .collect::<Vec<_>>()
    );
    // Nothing is resubmitted; every submission is a first one.
    assert!(
        ev.iter()
            .all(|e| !(e.1 == TraceKind::Submit && e.3.contains("resubmission")))
    );
    let c = &run.result.platforms[0].counts;
    assert_eq!((c.builds, c.submissions, c.rejections, c.resubmissions), (9, 9, 8, 0));
    assert_eq!(c.supersessions, 8);
    // The books: eight superseded, build 9 in review at the horizon.
    let books = common::ledger::replay(&trace, 8 * DAY).unwrap();
    assert_eq!(books.count(0, common::ledger::Fate::Superseded), 8);
    assert_eq!(books.fates[&(0, 9)], common::ledger::Fate::InReview);
}

#[test]
fn with_the_rule_off_a_build_cut_before_a_rejection_does_not_replace_the_fixed_build() {
    // Reviews take 36 hours, fixes 6 hours, a build a day. Build 1 (day 0) is
    // rejected at day 1.5 while build 2 (cut at day 1, before the rejection,
    // so without its fix) waits in the queue; build 1 is resubmitted at day
    // 1.75, since no build was cut during its fix.
    let text = RULE_OFF_REJECTIONS
        .replace("review_hours = 12", "review_hours = 36")
        .replace("fix_days = 3", "fix_days = 0.25")
        .replace("horizon_days = 8", "horizon_days = 2");
    let ev = events(&text);
    assert_eq!(times_of(&ev, TraceKind::Reject)[0], (DAY + 12 * HOUR, 1));
    assert_eq!(
        times_of(&ev, TraceKind::Submit),
        vec![(0, 1), (DAY, 2), (DAY + 18 * HOUR, 1), (2 * DAY, 3)]
    );
    assert!(times_of(&ev, TraceKind::Supersede).is_empty());
}

#[test]
fn under_the_rule_a_rejected_build_is_superseded_by_the_build_kept_back() {
    // Reviews of 10 days: build 2 (day 8) waits for build 1's review, which
    // rejects on day 11; build 1 is then superseded by build 2, submitted at once.
    let text =
        fixed("", "review_hours = 240\nrejection_probability = 1", "", "").replacen("review_hours = 24\n", "", 1);
    let s = common::scenario(&text);
    let trace = common::run(&s, 0, true).trace.unwrap();
    let first: Vec<(u64, TraceKind, u32, String)> = trace
        .iter()
        .filter(|r| r.time_ms == 11 * DAY)
        .map(|r| (r.time_ms, r.kind, r.build, r.detail.render(&[])))
        .collect();
    assert_eq!(
        first[..3],
        [
            (11 * DAY, TraceKind::Reject, 1, String::new()),
            (11 * DAY, TraceKind::Supersede, 1, "by build 2".to_string()),
            (11 * DAY, TraceKind::Submit, 2, String::new()),
        ]
    );
    common::ledger::replay(&trace, 60 * DAY).unwrap();
}

#[test]
fn a_hold_exactly_as_long_as_the_cadence_lets_nothing_through() {
    // Events at one instant run in the order they were scheduled: build 2's
    // cut (scheduled when build 1 was cut) comes before build 1's hold ends
    // (scheduled just after), so build 1 is withdrawn at the instant its
    // hold would have ended.
    let s = common::scenario(&fixed("", "hold_days = 7", "", ""));
    let run = common::run(&s, 0, true);
    let c = &run.result.platforms[0].counts;
    assert_eq!((c.builds, c.withdrawals, c.approvals), (9, 8, 0));
    let ev: Vec<(u64, TraceKind, u32)> = run
        .trace
        .unwrap()
        .iter()
        .map(|r| (r.time_ms, r.kind, r.build))
        .collect();
    assert!(times_of(&ev, TraceKind::Queue).is_empty());
    assert_eq!(times_of(&ev, TraceKind::Withdraw)[0], (8 * DAY, 1));
    // A hold of 6.875 days lets build 1 queue before build 2 is cut.
    let ev = events(&fixed("", "hold_days = 6.875", "", ""));
    assert_eq!(times_of(&ev, TraceKind::Queue)[0], (7 * DAY + 21 * HOUR, 1));
    assert_eq!(times_of(&ev, TraceKind::Approve)[0], (8 * DAY + 21 * HOUR, 1));
}

#[test]
fn withdrawal_caps_count_calendar_days_and_thirty_day_blocks_and_a_capped_build_waits() {
    // Held forever; a build every 0.4 days from day 0.1; one withdrawal a day.
    let text = fixed("withdrawals_per_day = 1", "hold_days = \"never\"", "", "")
        .replace(
            "cadence_days = 7\nfirst_build_days = 1",
            "cadence_days = 0.4\nfirst_build_days = 0.1",
        )
        .replace("horizon_days = 60", "horizon_days = 2");
    let ev = events(&text);
    // Build 2 (day 0.5) withdraws build 1; build 3 (day 0.9) may not: kept
    // back. The cap resets at day 1 but build 3 stays kept back until build
    // 4 (day 1.3) withdraws build 2 and supersedes it; build 5 (day 1.7) is
    // kept back again.
    assert_eq!(
        times_of(&ev, TraceKind::Withdraw),
        vec![(DAY / 2, 1), (13 * DAY / 10, 2)]
    );
    assert_eq!(times_of(&ev, TraceKind::Stage)[0], (9 * DAY / 10, 3));
    assert_eq!(times_of(&ev, TraceKind::Supersede)[0], (13 * DAY / 10, 3));
    // Two withdrawals per 30-day block from day 0, weekly builds from day 1:
    // withdrawals on days 8 and 15; builds of days 22 and 29 kept back (29
    // supersedes 22); the block ends at day 30 but build 5 waits; build 6
    // (day 36) withdraws build 3 and supersedes build 5.
    let ev = events(&fixed("withdrawals_per_month = 2", "hold_days = \"never\"", "", ""));
    let w = times_of(&ev, TraceKind::Withdraw);
    assert_eq!(&w[..3], &[(8 * DAY, 1), (15 * DAY, 2), (36 * DAY, 3)]);
    assert_eq!(times_of(&ev, TraceKind::Stage)[..2], [(22 * DAY, 4), (29 * DAY, 5)]);
    assert_eq!(times_of(&ev, TraceKind::Supersede)[..2], [(29 * DAY, 4), (36 * DAY, 5)]);
}

#[test]
fn in_withdraw_mode_a_build_kept_back_by_the_cap_is_labelled_as_the_cap() {
    let text = fixed(
        "when_in_review = \"withdraw\"\nwithdrawals_per_month = 0",
        "review_hours = 240",
        "",
        "",
    )
    .replacen("review_hours = 24\n", "", 1);
    let s = common::scenario(&text);
    let trace = common::run(&s, 0, true).trace.unwrap();
    let stage = trace.iter().find(|r| r.kind == TraceKind::Stage).unwrap();
    assert_eq!(
        (stage.time_ms, stage.detail.render(&[]).as_str()),
        (8 * DAY, "withdrawal cap reached")
    );
    let text = fixed("when_in_review = \"wait\"", "review_hours = 240", "", "").replacen("review_hours = 24\n", "", 1);
    let trace = common::run(&common::scenario(&text), 0, true).trace.unwrap();
    let stage = trace.iter().find(|r| r.kind == TraceKind::Stage).unwrap();
    assert_eq!(stage.detail.render(&[]), "pending build in review");
}

#[test]
fn counts_cover_the_window_from_the_warm_up_and_staleness_averages_the_days_after_it() {
    // Weekly builds from day 1, reviewed in 24 h, released at once: releases
    // at days 2, 9, ..., 58. With a 10-day warm-up, the window's releases are
    // those of days 16 to 58 (7 of them) and its mean staleness averages the
    // records of days 11 to 60.
    let text = fixed("", "", "initial_version_age_days = 10", "")
        .replace("horizon_days = 60", "horizon_days = 60\nwarmup_days = 10");
    let s = common::scenario(&text);
    let r = common::run(&s, 0, false).result;
    let p = &r.platforms[0];
    assert_eq!(p.counts.releases, 7);
    let days: Vec<f64> = p
        .daily
        .iter()
        .filter(|d| d.day > 10)
        .map(|d| d.staleness_days)
        .collect();
    assert_eq!(days.len(), 50);
    let mean = days.iter().sum::<f64>() / 50.0;
    assert!((p.mean_staleness_days.unwrap() - mean).abs() < 1e-12);
    // Staleness of day d: days since the last release before time d, which
    // is (d - 3) mod 7 + 1 (a release day's record is the state before it).
    let by_hand: f64 = (11..=60u64).map(|d| ((d + 4) % 7 + 1) as f64).sum::<f64>() / 50.0;
    assert!(
        (p.mean_staleness_days.unwrap() - by_hand).abs() < 1e-12,
        "{:?} vs {by_hand}",
        p.mean_staleness_days
    );
}

#[test]
fn the_first_build_of_a_random_cadence_is_uniform_over_its_mean_interval() {
    // Cadence exponential with mean 10 days and no first_build_days: the
    // first build is uniform on [0, 10] days.
    let text = fixed("", "", "", "").replace(
        "cadence_days = 7\nfirst_build_days = 1",
        "cadence_days = { dist = \"exponential\", mean = 10 }",
    );
    let s = common::scenario(&text);
    let firsts: Vec<f64> = (0..400)
        .map(|rep| {
            let t = common::run(&s, rep, true).trace.unwrap();
            t.iter().find(|r| r.kind == TraceKind::Build).unwrap().time_ms as f64 / DAY as f64
        })
        .collect();
    assert!(firsts.iter().all(|&d| (0.0..=10.0).contains(&d)));
    let mean = firsts.iter().sum::<f64>() / 400.0;
    // Uniform on [0, 10]: mean 5, sd 10 / sqrt(12).
    let se = 10.0 / 12f64.sqrt() / 20.0;
    assert!((mean - 5.0).abs() <= 4.0 * se, "mean first build {mean}");
}

/// (time in ms, event, build) of every record of platform `p`.
fn events_of(text: &str, p: usize) -> Vec<(u64, TraceKind, u32)> {
    let s = common::scenario(text);
    let trace: Vec<TraceRecord> = common::run(&s, 0, true).trace.unwrap();
    trace
        .into_iter()
        .filter(|r| r.platform == Some(p))
        .map(|r| (r.time_ms, r.kind, r.build))
        .collect()
}

#[test]
fn a_change_comes_before_a_first_build_cut_at_its_instant() {
    // P's first build is cut on day 2, the instant P is blocked: the change
    // goes first, so build 1 is held (never reviewed) under the new class.
    let text = fixed(
        "",
        "",
        "",
        "[[changes]]\nday = 2\nplatform = \"P\"\nclass = \"blocked\"\n",
    )
    .replace("first_build_days = 1\n", "first_build_days = 2\n");
    let ev = events(&text);
    assert_eq!(
        ev[..4],
        [
            (2 * DAY, TraceKind::ClassChange, 0),
            (2 * DAY, TraceKind::Build, 1),
            (2 * DAY, TraceKind::Submit, 1),
            (2 * DAY, TraceKind::Hold, 1),
        ]
    );
    assert!(times_of(&ev, TraceKind::ReviewStart).is_empty());
    assert!(times_of(&ev, TraceKind::Approve).is_empty());
}

#[test]
fn a_later_build_cut_at_a_changes_instant_comes_after_the_change_and_is_held() {
    // Builds on days 2, 9, ...; P is blocked on day 9: build 1 (approved on
    // day 3) is released, build 2 is cut after the change and held.
    let text = fixed(
        "",
        "",
        "",
        "[[changes]]\nday = 9\nplatform = \"P\"\nclass = \"blocked\"\n",
    )
    .replace("first_build_days = 1\n", "first_build_days = 2\n");
    let ev = events(&text);
    assert_eq!(times_of(&ev, TraceKind::Approve), vec![(3 * DAY, 1)]);
    let at_nine: Vec<(TraceKind, u32)> = ev.iter().filter(|e| e.0 == 9 * DAY).map(|e| (e.1, e.2)).collect();
    assert_eq!(
        at_nine,
        [
            (TraceKind::ClassChange, 0),
            (TraceKind::Build, 2),
            (TraceKind::Submit, 2),
            (TraceKind::Hold, 2),
        ]
    );
    assert_eq!(times_of(&ev, TraceKind::ReleaseStart), vec![(3 * DAY, 1)]);
}

#[test]
fn a_change_dated_within_a_day_is_refused_with_its_key_path() {
    let text = fixed(
        "",
        "",
        "",
        "[[changes]]\nday = 3.5\nplatform = \"P\"\nclass = \"blocked\"\n",
    );
    let err = gatesim::load_scenario_str(&text, std::path::Path::new("t.toml"), "t", &[]).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("changes[0].day") && message.contains("whole number of days"),
        "{message}"
    );
}

#[test]
fn expedited_reviews_go_first_in_arrival_order_whatever_their_class_priority() {
    // One reviewer, busy from time 0 for 10 hours; meanwhile X (low
    // priority, expedited) arrives at 2.4 h, Z (high priority, not
    // expedited) at 3.6 h, Y (high priority, expedited) at 4.8 h. The
    // expedited ones go first, in the order they came (X, then Y, although
    // Y's class ranks before X's), then Z.
    let text = r#"
[simulation]
horizon_days = 3

[gatekeeper]
reviewers = 1
discipline = "priority"

[gatekeeper.expedite]
per_platform_per_year = 3
review_hours = 1

[[gatekeeper.classes]]
name = "vip"
priority = 0
review_hours = 10

[[gatekeeper.classes]]
name = "standard"
priority = 9
review_hours = 10

[[platforms]]
name = "First"
class = "vip"
cadence_days = "never"
first_build_days = 0

[[platforms]]
name = "X"
class = "standard"
cadence_days = "never"
first_build_days = 0.1
expedite = "all"

[[platforms]]
name = "Z"
class = "vip"
cadence_days = "never"
first_build_days = 0.15

[[platforms]]
name = "Y"
class = "vip"
cadence_days = "never"
first_build_days = 0.2
expedite = "all"
"#;
    let start = |p| times_of(&events_of(text, p), TraceKind::ReviewStart)[0].0;
    assert_eq!(start(0), 0);
    assert_eq!(start(1), 10 * HOUR);
    assert_eq!(start(3), 11 * HOUR);
    assert_eq!(start(2), 12 * HOUR);
}
