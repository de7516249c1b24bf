//! Dated market events: a rival's subsidy war (its choice utility rises on a
//! given day) changes nothing before that day and wins it adopters after.

use crate::common;

use gatesim::load_scenario as load;
use std::path::PathBuf;

fn weekly(sets: &[&str]) -> gatesim::Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/weekly.toml");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load(&path, &sets).unwrap().scenario
}

#[test]
fn a_subsidy_war_wins_adopters_from_its_day_on_and_changes_nothing_before() {
    let base = weekly(&[]);
    let mut war = base.clone();
    war.users.as_mut().unwrap().events.push(gatesim::MarketEvent {
        day: 60.0,
        platform: 1,
        base_utility: 1.0,
    });
    let a = common::run(&base, 0, false).users.unwrap();
    let b = common::run(&war, 0, false).users.unwrap();
    for p in 0..3 {
        assert_eq!(
            a.platforms[p].daily[..60],
            b.platforms[p].daily[..60],
            "platform {p} before the war"
        );
    }
    let share = |u: &gatesim::UsersResult, day: usize| u.platforms[1].daily[day].choice_share;
    assert!(
        share(&b, 60) > share(&a, 60) + 0.1,
        "{} vs {}",
        share(&b, 60),
        share(&a, 60)
    );
    let end = |u: &gatesim::UsersResult| u.platforms[1].daily[240].active;
    assert!(end(&b) > end(&a));
}

#[test]
fn a_market_event_is_refused_without_users_or_mixed_with_a_class_change() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/weekly.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mixed =
        format!("{text}\n[[changes]]\nday = 5\nplatform = \"Taocaicai\"\nclass = \"standard\"\nbase_utility = 1\n");
    let e = gatesim::load_scenario_str(&mixed, &path, "weekly", &[]).unwrap_err();
    assert!(e.to_string().contains("changes[0]"), "{e}");
    let no_users = text[..text.find("\n[users]").unwrap()].replace("[platforms.users]", "[platforms.ignored]");
    let cut: String = no_users
        .split("[platforms.ignored]")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                part[part.find("\n[[").map_or(part.len(), |k| k)..].to_string()
            }
        })
        .collect();
    let event = format!("{cut}\n[[changes]]\nday = 5\nplatform = \"Taocaicai\"\nbase_utility = 1\n");
    let e = gatesim::load_scenario_str(&event, &path, "weekly", &[]).unwrap_err();
    assert!(e.to_string().contains("needs the scenario's [users] table"), "{e}");
}
