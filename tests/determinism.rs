//! Same inputs, same numbers: a replication depends only on the scenario,
//! the seed and its index, and each component draws from its own named
//! stream, so a platform that is the same in two scenarios sees the same
//! random numbers in both (common random numbers).

use crate::common;

use std::path::PathBuf;

fn load(file: &str) -> gatesim::Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    gatesim::load_scenario(&path, &[]).unwrap().scenario
}

#[test]
fn the_same_seed_gives_identical_results_twice() {
    let s = load("guizhou.toml");
    let a = common::run(&s, 3, true);
    let b = common::run(&s, 3, true);
    assert_eq!(format!("{:?}", a.result), format!("{:?}", b.result));
    assert_eq!(a.trace, b.trace);
}

#[test]
fn replications_and_seeds_differ_from_each_other() {
    let s = load("guizhou.toml");
    let a = common::run(&s, 0, true).trace.unwrap();
    let b = common::run(&s, 1, true).trace.unwrap();
    assert_ne!(a, b);
    let mut s2 = s.clone();
    s2.seed += 1;
    assert_ne!(a, common::run(&s2, 0, true).trace.unwrap());
}

#[test]
fn a_platform_unchanged_between_scenarios_draws_the_same_numbers() {
    // weekly.toml and blocked.toml differ only in Taocaicai's review class;
    // reviewers are plentiful, so its rivals' pipelines must be identical.
    let weekly = common::run(&load("weekly.toml"), 0, false).result;
    let blocked = common::run(&load("blocked.toml"), 0, false).result;
    for i in 0..2 {
        let (w, b) = (&weekly.platforms[i], &blocked.platforms[i]);
        assert_eq!(w.name, b.name);
        assert_eq!(format!("{:?}", w.releases), format!("{:?}", b.releases), "{}", w.name);
        assert_eq!(w.counts, b.counts);
    }
    // And the changed platform did change.
    assert_ne!(weekly.platforms[2].counts, blocked.platforms[2].counts);
}

/// The same, through the command line: determinism.
mod from_the_command_line {
    use crate::cli::*;
    use std::fs;

    #[test]
    fn the_same_scenario_run_twice_gives_byte_identical_outputs() {
        let cwd = tmp();
        let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
        run_ok(cwd.path(), &scenario("guizhou"), &a, &[]);
        run_ok(cwd.path(), &scenario("guizhou"), &b, &[]);
        assert_eq!(names_in(&a.join("guizhou")), OUTPUT_FILES);
        assert_same_outputs(&a.join("guizhou"), &b.join("guizhou"), "two identical runs");
    }

    #[test]
    fn outputs_are_byte_identical_for_one_and_two_threads() {
        let cwd = tmp();
        let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
        run_ok(cwd.path(), &scenario("guizhou"), &a, &["-n", "6", "--threads", "1"]);
        run_ok(cwd.path(), &scenario("guizhou"), &b, &["-n", "6", "--threads", "2"]);
        assert_eq!(names_in(&a.join("guizhou")), OUTPUT_FILES);
        assert_eq!(
            read_json(&a.join("guizhou/summary.json"))["replications"].as_u64(),
            Some(6)
        );
        assert_same_outputs(&a.join("guizhou"), &b.join("guizhou"), "--threads 1 and --threads 2");
    }

    #[test]
    fn more_replications_extend_the_same_replications() {
        // Replication i does not depend on how many run: the first rows agree.
        let cwd = tmp();
        let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
        run_ok(cwd.path(), &scenario("weekly"), &a, &["-n", "2"]);
        run_ok(cwd.path(), &scenario("weekly"), &b, &["-n", "4"]);
        let x = fs::read_to_string(a.join("weekly/replications.csv")).unwrap();
        let y = fs::read_to_string(b.join("weekly/replications.csv")).unwrap();
        assert_eq!(x.lines().count(), 3);
        assert_eq!(y.lines().count(), 5);
        assert!(y.starts_with(&x), "replications 0 and 1 changed when 4 ran:\n{x}\n{y}");
    }

    #[test]
    fn another_seed_gives_another_timeseries_and_is_recorded() {
        let cwd = tmp();
        let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
        run_ok(cwd.path(), &scenario("guizhou"), &a, &[]);
        run_ok(cwd.path(), &scenario("guizhou"), &b, &["--seed", "7"]);
        let x = fs::read(a.join("guizhou/timeseries.csv")).unwrap();
        let y = fs::read(b.join("guizhou/timeseries.csv")).unwrap();
        assert!(x != y, "--seed 7 gave the same series as the default seed");
        let summary = read_json(&b.join("guizhou/summary.json"));
        assert_eq!(summary["run"]["seed"].as_u64(), Some(7));
        let resolved = fs::read_to_string(b.join("guizhou/scenario.toml")).unwrap();
        assert!(
            resolved.contains("seed = 7\n"),
            "the resolved scenario records the seed:\n{resolved}"
        );
    }
}
