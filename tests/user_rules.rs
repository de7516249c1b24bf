//! The user model's rules at their edges, checked exactly: when a churned
//! user may adopt again (the cool-off), which days the headline metrics
//! count, how releases add appeal during a phased release, and the unclipped
//! appeal-gap term of the churn multiplier.

use crate::common;

use gatesim::user_model::{Experience, MarketParams, Mode, PlatformUsers, Release, Sensitivities, appeal, conditions};

/// One platform reviewed at once, a market of 2,000 households all of them
/// users at the start (none in the pool); every available pool member
/// adopts each day.
fn everyone_adopts(mode: &str, cooloff: u32) -> String {
    format!(
        r#"
[simulation]
horizon_days = 40
seed = 7

[gatekeeper]
reviewers = 1

[[gatekeeper.classes]]
name = "standard"
review_hours = 24

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7

[platforms.users]
initial_users = 2000
churn_alpha = 2
churn_beta = 8
open_probability = 0.5
orders_per_user_day = 0.4

[users]
mode = "{mode}"
potential_users = 2000
adoption_per_day = 1
cooloff_days = {cooloff}
"#
    )
}

#[test]
fn a_user_who_churns_on_day_t_may_adopt_again_on_day_t_plus_cooloff_plus_one() {
    for mode in ["aggregate", "agents"] {
        for cooloff in [0u32, 1, 5] {
            let s = common::scenario(&everyone_adopts(mode, cooloff));
            let u = common::run(&s, 0, false).users.unwrap();
            let days = &u.platforms[0].daily;
            let lag = cooloff as usize + 1;
            // Nobody is in the pool at the start, so nobody adopts before
            // the first churners are available again.
            for d in days.iter().take(lag + 1) {
                assert_eq!(d.new_users, 0, "{mode}, cool-off {cooloff}, day {}", d.day);
            }
            // With adoption certain, the churners of day t, and only they,
            // adopt again on day t + cool-off + 1.
            let mut some = 0;
            for t in 1..days.len() - lag {
                assert_eq!(
                    days[t + lag].new_users,
                    days[t].churned,
                    "{mode}, cool-off {cooloff}: churned on day {t}"
                );
                some += days[t].churned;
            }
            assert!(some > 100, "the test needs churners");
        }
    }
}

#[test]
fn headlines_count_the_days_after_the_warm_up_and_never_day_zero() {
    let mut s = common::scenario(&everyone_adopts("aggregate", 0));
    for warmup in [0u32, 10] {
        s.warmup_days = warmup;
        let u = common::run(&s, 0, false).users.unwrap();
        let p = &u.platforms[0];
        let w = u64::from(warmup);
        let h = p.headline(w);
        let lived: Vec<_> = p.daily.iter().filter(|d| d.day > w).collect();
        assert_eq!(lived.len(), 40 - warmup as usize);
        assert!(
            p.daily[0].orders > 0 && p.daily[0].dau > 0,
            "day 0 records the start's activity"
        );
        assert_eq!(h.orders_total, lived.iter().map(|d| d.orders).sum::<u64>());
        let dau = lived.iter().map(|d| d.dau as f64).sum::<f64>() / lived.len() as f64;
        assert!((h.mean_dau.unwrap() - dau).abs() < 1e-9);
        assert_eq!(h.churned, lived.iter().map(|d| d.churned).sum::<u64>());
        assert_eq!(h.active_start, p.daily[warmup as usize].active);
        assert_eq!(h.active_end, p.daily[40].active);
    }
}

fn release(build: u32, start: f64, full: f64, appeal: f64) -> Release {
    Release {
        build,
        start_day: start,
        full_day: full,
        appeal,
        fixes_defects_upto: 0,
    }
}

#[test]
fn during_a_phased_release_the_previous_release_still_counts_for_every_user() {
    // Versions are cumulative: users already on the new version also have
    // what the previous one brought, so the previous release counts in full
    // and the new one for the share that has it.
    let rs = [release(1, 0.0, 0.0, 2.0), release(2, 10.0, 20.0, 4.0)];
    let half = |age: f64| libm::exp(-age * std::f64::consts::LN_2 / 30.0);
    let at_15 = appeal(1.0, &rs, 15.0, 30.0);
    let want = 1.0 + 2.0 * half(15.0) + 4.0 * 0.5 * half(5.0);
    assert!((at_15 - want).abs() < 1e-12, "{at_15} vs {want}");
}

fn market(k_a: f64) -> MarketParams {
    let platform = PlatformUsers {
        initial_users: 0,
        initial_tenure_days: 0.0,
        churn_alpha: 1.0,
        churn_beta: 10.0,
        base_appeal: 0.0,
        base_utility: 0.0,
        open_probability: 0.5,
        orders_per_user_day: 0.0,
        orders_shape: 1.0,
        average_order_value: None,
    };
    MarketParams {
        mode: Mode::Aggregate,
        potential_users: 100,
        adoption_per_day: 0.1,
        cooloff_days: 0,
        sensitivities: Sensitivities {
            staleness_grace_days: 14.0,
            churn_per_stale_day: 0.0,
            churn_per_open_defect: 0.0,
            churn_per_appeal_gap: k_a,
            engagement_elasticity: 0.0,
            choice_per_appeal: 0.0,
            choice_per_open_defect: 0.0,
            choice_per_stale_day: 0.0,
            appeal_half_life_days: 30.0,
        },
        platforms: vec![platform.clone(), platform],
        currency: None,
        events: Vec::new(),
    }
}

#[test]
fn the_platform_with_the_best_appeal_gets_a_churn_multiplier_below_one() {
    // The appeal-gap term is not clipped at zero: a lead in appeal lowers churn.
    let fresh = [release(1, 9.0, 9.0, 2.0)];
    let exp = [
        Experience {
            staleness_days: 1.0,
            open_defects: 0,
            releases: &fresh,
        },
        Experience {
            staleness_days: 1.0,
            open_defects: 0,
            releases: &[],
        },
    ];
    let c = conditions(&market(0.05), 10.0, &exp);
    let gap = 2.0 * libm::exp(-std::f64::consts::LN_2 / 30.0);
    assert!((c[0].multiplier - libm::exp(-0.05 * gap)).abs() < 1e-12);
    assert!(c[0].multiplier < 1.0 && c[1].multiplier > 1.0);
    // Engagement only falls with a positive log multiplier: the leader's stays 1.
    assert_eq!(c[0].engagement, 1.0);
}
