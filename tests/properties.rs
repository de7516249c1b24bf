//! Properties of the pipeline over random scenarios: it never panics, its
//! books balance (every build cut ends in exactly one fate, replayed from the
//! audit log; every submission is decided, withdrawn or still pending), and
//! its daily records stay within their ranges.

use crate::common;

use proptest::prelude::*;

fn dist(kind: u8, mean: f64) -> String {
    match kind % 5 {
        0 => format!("{mean}"),
        1 => format!("{{ dist = \"exponential\", mean = {mean} }}"),
        2 => format!("{{ dist = \"lognormal\", median = {mean}, sigma = 0.8 }}"),
        3 => format!("{{ dist = \"uniform\", low = 0, high = {} }}", 2.0 * mean),
        _ => format!("{{ dist = \"gamma\", shape = 0.5, scale = {} }}", 2.0 * mean),
    }
}

#[allow(clippy::too_many_arguments)]
fn scenario(
    reviewers: u32,
    in_review: bool,
    caps: Option<(u32, u32)>,
    hold: (u8, f64, bool),
    review: (u8, f64),
    reject: f64,
    cadence: (u8, f64),
    phase: f64,
    one_version: bool,
    fix: (u8, f64),
    release_delay: f64,
) -> String {
    let hold = if hold.2 {
        "\"never\"".to_string()
    } else {
        dist(hold.0, hold.1)
    };
    let caps = caps.map_or(String::new(), |(d, m)| {
        format!("withdrawals_per_day = {d}\nwithdrawals_per_month = {m}")
    });
    let mut platforms = String::new();
    for (i, class) in ["a", "b", "a"].iter().enumerate() {
        platforms.push_str(&format!(
            "[[platforms]]\nname = \"p{i}\"\nclass = \"{class}\"\ncadence_days = {}\nphase_days = {phase}\n\
             defects_per_day = 0.5\nexpedite = \"resubmissions\"\nfix_days = {}\nrelease_delay_hours = {}\n\n",
            dist(cadence.0.wrapping_add(i as u8), cadence.1),
            dist(fix.0.wrapping_add(i as u8), fix.1),
            dist(fix.0, release_delay),
        ));
    }
    format!(
        r#"
[simulation]
horizon_days = 200
warmup_days = 20

[gatekeeper]
reviewers = {reviewers}
discipline = "priority"
one_version_under_review = {one_version}
when_in_review = "{wr}"
{caps}

[gatekeeper.expedite]
per_platform_per_year = 2
review_hours = 2

[[gatekeeper.classes]]
name = "a"
priority = 2
review_hours = {review}
rejection_probability = {reject}

[[gatekeeper.classes]]
name = "b"
priority = 1
review_hours = 24
hold_days = {hold}
rejection_probability = 0.1

{platforms}

[[changes]]
day = 100
platform = "p1"
class = "a"

[[changes]]
day = 150
reviewers = 1
"#,
        wr = if in_review { "wait" } else { "withdraw" },
        review = dist(review.0, review.1),
    )
}

proptest! {
    // A fixed seed: the same cases on every run and machine.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_211_116),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_books_balance_on_random_scenarios(
        reviewers in 1u32..4,
        in_review in any::<bool>(),
        caps in proptest::option::of((0u32..3, 0u32..6)),
        hold in (any::<u8>(), 0.1f64..20.0, any::<bool>()),
        review in (any::<u8>(), 0.5f64..100.0),
        reject in 0.0f64..0.9,
        cadence in (any::<u8>(), 0.5f64..15.0),
        phase in 0.0f64..10.0,
        one_version in any::<bool>(),
        fix in (any::<u8>(), 0.1f64..10.0),
        release_delay in 0.1f64..100.0,
        seed in 0u64..1000,
    ) {
        let text = scenario(reviewers, in_review, caps, hold, review, reject, cadence, phase, one_version, fix, release_delay);
        let mut s = common::scenario(&text);
        s.warmup_days = 0; // count from the start so the books are complete
        s.seed = seed;
        let run = common::run(&s, 0, true);
        let r = run.result;
        let books = match common::ledger::replay(run.trace.as_deref().unwrap(), 200 * 86_400_000) {
            Ok(b) => b,
            Err(e) => return Err(TestCaseError::fail(e)),
        };
        for (i, p) in r.platforms.iter().enumerate() {
            let c = &p.counts;
            // The replayed books agree with the pipeline's own counts.
            let cut = books.fates.keys().filter(|k| k.0 == i).count() as u64;
            prop_assert_eq!(cut, c.builds);
            prop_assert_eq!(books.count(i, common::ledger::Fate::Released), c.releases);
            prop_assert_eq!(books.count(i, common::ledger::Fate::Withdrawn), c.withdrawals);
            let decided_or_gone = c.approvals + c.rejections + c.withdrawals;
            prop_assert!(decided_or_gone <= c.submissions, "{c:?}");
            if one_version {
                // At most one submission per platform is pending at the end.
                prop_assert!(c.submissions - decided_or_gone <= 1, "{c:?}");
            }
            prop_assert!(c.releases <= c.approvals);
            prop_assert!(c.approvals <= c.builds + c.resubmissions);
            prop_assert!(c.submissions == 0 || c.builds > 0);
            let mut last = 0.0f64;
            for d in &p.daily {
                prop_assert!(d.staleness_days >= 0.0 && d.staleness_days.is_finite());
                prop_assert!((0.0..=1.0).contains(&d.share_on_latest));
                prop_assert!(d.releases as f64 >= last);
                last = d.releases as f64;
            }
            for w in p.releases.windows(2) {
                prop_assert!(w[0].build < w[1].build, "releases go forward");
                prop_assert!(w[1].start_day >= w[0].full_day, "no release starts during a phase");
            }
        }
        let (rejections, resubmissions) = r.platforms.iter().fold((0, 0), |(a, b), p| (a + p.counts.rejections, b + p.counts.resubmissions));
        prop_assert_eq!(books.rejections, rejections);
        prop_assert_eq!(books.resubmissions, resubmissions);
        let g = &r.gatekeeper;
        prop_assert!(g.utilisation.unwrap() <= 1.0 + 1e-12);
        prop_assert_eq!(g.daily.len(), 201);
    }
}

/// The flagship market with random user parameters, small enough for agents.
#[allow(clippy::too_many_arguments)]
fn market(
    mode: &str,
    n: u64,
    initial: (u64, u64, u64),
    adoption: f64,
    cooloff: u32,
    sens: (f64, f64, f64, f64),
    churn: (f64, f64),
) -> String {
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/guizhou.toml")).unwrap();
    let mut s = base
        .replace("mode = \"merged\"", &format!("mode = \"{mode}\""))
        .replace("potential_users = 8_000_000", &format!("potential_users = {n}"))
        .replace("adoption_per_day = 0.012", &format!("adoption_per_day = {adoption}"))
        .replace("cooloff_days = 7", &format!("cooloff_days = {cooloff}"))
        .replace(
            "churn_per_stale_day = 0.004",
            &format!("churn_per_stale_day = {}", sens.0),
        )
        .replace(
            "churn_per_open_defect = 0.005",
            &format!("churn_per_open_defect = {}", sens.1),
        )
        .replace(
            "churn_per_appeal_gap = 0.05",
            &format!("churn_per_appeal_gap = {}", sens.2),
        )
        .replace("choice_per_appeal = 0.1", &format!("choice_per_appeal = {}", sens.3))
        .replace("churn_alpha = 0.704", &format!("churn_alpha = {}", churn.0))
        .replace("churn_beta = 17.9", &format!("churn_beta = {}", churn.1))
        .replace("horizon_days = 240", "horizon_days = 90")
        .replace("\nday = 240 ", "\nday = 45 ");
    for (from, to) in [("1600000", initial.0), ("1600000", initial.1), ("1200000", initial.2)] {
        s = s.replacen(&format!("initial_users = {from}"), &format!("initial_users = {to}"), 1);
    }
    s
}

proptest! {
    // A fixed seed: the same cases on every run and machine.
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(38_600_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn users_are_conserved_every_day_on_random_markets(
        agents in any::<bool>(),
        n in 1u64..3_000,
        shares in (0.0f64..0.4, 0.0f64..0.3, 0.0f64..0.3),
        adoption in 0.0f64..0.2,
        cooloff in 0u32..20,
        sens in (-0.05f64..0.05, 0.0f64..0.2, -1.0f64..1.0, -2.0f64..2.0),
        churn in (0.05f64..5.0, 0.5f64..200.0),
        seed in 0u64..1_000,
    ) {
        let initial = ((shares.0 * n as f64) as u64, (shares.1 * n as f64) as u64, (shares.2 * n as f64) as u64);
        let mode = if agents { "agents" } else { "aggregate" };
        let mut s = common::scenario(&market(mode, n, initial, adoption, cooloff, sens, churn));
        s.seed = seed;
        let u = common::run(&s, 0, false).users.unwrap();
        for day in 0..=90usize {
            let active: u64 = u.platforms.iter().map(|p| p.daily[day].active).sum();
            prop_assert_eq!(u.pool[day] + active, n, "day {}", day);
        }
        let flows: u64 = u.flows.iter().flatten().sum();
        let new: u64 = u.platforms.iter().flat_map(|p| &p.daily).map(|d| d.new_users).sum();
        prop_assert_eq!(flows, new, "every adoption is a flow");
    }
}
