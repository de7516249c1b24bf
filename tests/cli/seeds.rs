//! CLI tests: seeds.

use super::*;

#[test]
fn a_seed_above_2_pow_63_minus_1_is_refused() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("guizhou"));
    for seed in [
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-1",
    ] {
        for cmd in ["run", "check", "trace"] {
            // `--seed=-1`: a separate `-1` would be read as a flag.
            let mut args = vec![cmd.to_string(), scen.clone(), format!("--seed={seed}")];
            if cmd == "run" {
                args.extend(["--out".into(), s(&out), "-n".into(), "2".into()]);
            }
            let o = gatesim(cwd.path(), &args);
            o.expect_code(2);
            assert!(o.stdout.is_empty(), "{cmd} --seed {seed} printed output");
            assert!(o.stderr.contains("seed"), "{cmd} --seed {seed}: {}", o.stderr);
        }
    }
    assert!(absent_or_empty(cwd.path()), "a refused seed wrote files");
}

#[test]
fn the_largest_seed_is_accepted_and_recorded() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &out,
        &["--seed", "9223372036854775807", "-n", "2"],
    );
    let summary = read_json(&out.join("weekly/summary.json"));
    assert_eq!(summary["run"]["seed"].as_u64(), Some(9_223_372_036_854_775_807));
    run_ok(cwd.path(), &scenario("weekly"), &out, &["--seed", "0", "-n", "2"]);
    assert_eq!(
        read_json(&out.join("weekly/summary.json"))["run"]["seed"].as_u64(),
        Some(0)
    );
}

#[test]
fn a_run_writes_every_chart_in_each_format_asked_for() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &["--format", "png,svg"]);
    let charts = names_in(&out.join("guizhou/charts"));
    let stems = [
        "active_users",
        "cohort_retention",
        "decision_time",
        "gatekeeper_queue",
        "market_share",
        "orders",
        "release_timeline",
        "staleness",
    ];
    let mut expected: Vec<String> = stems
        .iter()
        .flat_map(|c| [format!("{c}.png"), format!("{c}.svg")])
        .collect();
    expected.sort();
    assert_eq!(charts, expected);
    let out2 = cwd.path().join("out2");
    run_ok(cwd.path(), &scenario("guizhou"), &out2, &["--format", "svg"]);
    let svgs = names_in(&out2.join("guizhou/charts"));
    assert_eq!(svgs.len(), 8);
    assert!(svgs.iter().all(|f| f.ends_with(".svg")));
    for f in &svgs {
        assert_eq!(
            fs::read(out.join("guizhou/charts").join(f)).unwrap(),
            fs::read(out2.join("guizhou/charts").join(f)).unwrap()
        );
    }
    let bad = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--format".into(),
            "jpg".into(),
            "--out".into(),
            s(&cwd.path().join("out3")),
        ],
    );
    bad.expect_code(2);
    assert!(!cwd.path().join("out3").exists());
}
