//! Properties of the pipeline over random scenarios: it never panics, its
//! books balance (every build cut ends in exactly one fate, replayed from the
//! audit log; every submission is decided, withdrawn or still pending), and
//! its daily records stay within their ranges.

use crate::common;

use common::cases::{Rng, check_one, for_cases};
use rand::RngExt;

fn dist(kind: u8, mean: f64) -> String {
    match kind % 5 {
        0 => format!("{mean}"),
        1 => format!("{{ dist = \"exponential\", mean = {mean} }}"),
        2 => format!("{{ dist = \"lognormal\", median = {mean}, sigma = 0.8 }}"),
        3 => format!("{{ dist = \"uniform\", low = 0, high = {} }}", 2.0 * mean),
        _ => format!("{{ dist = \"gamma\", shape = 0.5, scale = {} }}", 2.0 * mean),
    }
}

/// The scenario text of a random pipeline: three platforms, two classes of
/// review, a dated change of class and one of reviewers.
fn scenario(c: &Pipeline) -> String {
    let Pipeline {
        reviewers,
        in_review,
        caps,
        hold,
        review,
        reject,
        cadence,
        phase,
        one_version,
        fix,
        release_delay,
        ..
    } = *c;
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

/// One random pipeline scenario of [`scenario`], and its seed.
#[derive(Debug, Clone, Copy)]
struct Pipeline {
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
    seed: u64,
}

impl Pipeline {
    /// Every range at its smallest.
    const EDGE: Pipeline = Pipeline {
        reviewers: 1,
        in_review: false,
        caps: None,
        hold: (0, 0.1, false),
        review: (0, 0.5),
        reject: 0.0,
        cadence: (254, 0.5),
        phase: 0.0,
        one_version: false,
        fix: (0, 0.1),
        release_delay: 0.1,
        seed: 0,
    };

    fn draw(rng: &mut Rng) -> Pipeline {
        Pipeline {
            reviewers: rng.random_range(1..4),
            in_review: rng.random(),
            caps: rng
                .random::<bool>()
                .then(|| (rng.random_range(0..3), rng.random_range(0..6))),
            hold: (rng.random(), rng.random_range(0.1..20.0), rng.random()),
            review: (rng.random(), rng.random_range(0.5..100.0)),
            reject: rng.random_range(0.0..0.9),
            cadence: (rng.random(), rng.random_range(0.5..15.0)),
            phase: rng.random_range(0.0..10.0),
            one_version: rng.random(),
            fix: (rng.random(), rng.random_range(0.1..10.0)),
            release_delay: rng.random_range(0.1..100.0),
            seed: rng.random_range(0..1000),
        }
    }
}

/// The books of one random pipeline balance: see the file's documentation.
fn books_balance(c: &Pipeline) {
    let mut s = common::scenario(&scenario(c));
    s.warmup_days = 0; // count from the start so the books are complete
    s.seed = c.seed;
    let run = common::run(&s, 0, true);
    let r = run.result;
    let books = common::ledger::replay(run.trace.as_deref().unwrap(), 200 * 86_400_000).unwrap();
    for (i, p) in r.platforms.iter().enumerate() {
        let counts = &p.counts;
        // The replayed books agree with the pipeline's own counts.
        let cut = books.fates.keys().filter(|k| k.0 == i).count() as u64;
        assert_eq!(cut, counts.builds);
        assert_eq!(books.count(i, common::ledger::Fate::Released), counts.releases);
        assert_eq!(books.count(i, common::ledger::Fate::Withdrawn), counts.withdrawals);
        let decided_or_gone = counts.approvals + counts.rejections + counts.withdrawals;
        assert!(decided_or_gone <= counts.submissions, "{counts:?}");
        if c.one_version {
            // At most one submission per platform is pending at the end.
            assert!(counts.submissions - decided_or_gone <= 1, "{counts:?}");
        }
        assert!(counts.releases <= counts.approvals);
        assert!(counts.approvals <= counts.builds + counts.resubmissions);
        assert!(counts.submissions == 0 || counts.builds > 0);
        let mut last = 0.0f64;
        for d in &p.daily {
            assert!(d.staleness_days >= 0.0 && d.staleness_days.is_finite());
            assert!((0.0..=1.0).contains(&d.share_on_latest));
            assert!(d.releases as f64 >= last);
            last = d.releases as f64;
        }
        for w in p.releases.windows(2) {
            assert!(w[0].build < w[1].build, "releases go forward");
            assert!(w[1].start_day >= w[0].full_day, "no release starts during a phase");
        }
    }
    let (rejections, resubmissions) = r.platforms.iter().fold((0, 0), |(a, b), p| {
        (a + p.counts.rejections, b + p.counts.resubmissions)
    });
    assert_eq!(books.rejections, rejections);
    assert_eq!(books.resubmissions, resubmissions);
    let g = &r.gatekeeper;
    assert!(g.utilisation.unwrap() <= 1.0 + 1e-12);
    assert_eq!(g.daily.len(), 201);
}

#[test]
fn the_books_balance_on_random_scenarios() {
    check_one("every range at its smallest", &Pipeline::EDGE, books_balance);
    for_cases(20_211_116, 256, Pipeline::draw, books_balance);
}

/// The flagship market with random user parameters, small enough for agents.
fn market(c: &Market) -> String {
    let Market {
        agents,
        n,
        shares,
        adoption,
        cooloff,
        sens,
        churn,
        ..
    } = *c;
    let mode = if agents { "agents" } else { "aggregate" };
    let share = |s: f64| (s * n as f64) as u64;
    let initial = (share(shares.0), share(shares.1), share(shares.2));
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

/// One random market of [`market`], and its seed.
#[derive(Debug, Clone, Copy)]
struct Market {
    agents: bool,
    n: u64,
    shares: (f64, f64, f64),
    adoption: f64,
    cooloff: u32,
    sens: (f64, f64, f64, f64),
    churn: (f64, f64),
    seed: u64,
}

impl Market {
    fn draw(rng: &mut Rng) -> Market {
        Market {
            agents: rng.random(),
            n: rng.random_range(1..3_000),
            shares: (
                rng.random_range(0.0..0.4),
                rng.random_range(0.0..0.3),
                rng.random_range(0.0..0.3),
            ),
            adoption: rng.random_range(0.0..0.2),
            cooloff: rng.random_range(0..20),
            sens: (
                rng.random_range(-0.05..0.05),
                rng.random_range(0.0..0.2),
                rng.random_range(-1.0..1.0),
                rng.random_range(-2.0..2.0),
            ),
            churn: (rng.random_range(0.05..5.0), rng.random_range(0.5..200.0)),
            seed: rng.random_range(0..1_000),
        }
    }
}

#[test]
fn users_are_conserved_every_day_on_random_markets() {
    for_cases(38_600_000, 48, Market::draw, |c| {
        let n = c.n;
        let mut s = common::scenario(&market(c));
        s.seed = c.seed;
        let u = common::run(&s, 0, false).users.unwrap();
        for day in 0..=90usize {
            let active: u64 = u.platforms.iter().map(|p| p.daily[day].active).sum();
            assert_eq!(u.pool[day] + active, n, "day {day}");
        }
        let flows: u64 = u.flows.iter().flatten().sum();
        let new: u64 = u.platforms.iter().flat_map(|p| &p.daily).map(|d| d.new_users).sum();
        assert_eq!(flows, new, "every adoption is a flow");
    });
}
