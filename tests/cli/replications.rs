//! CLI tests: replications and the precision target.

use super::*;

#[test]
fn the_replications_flag_sets_the_number_of_replications() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("blocked"), &out, &["--replications", "2"]);
    let summary = read_json(&out.join("blocked/summary.json"));
    assert_eq!(summary["replications"].as_u64(), Some(2));
    for p in PLATFORMS {
        assert_eq!(headline(&summary, p, "active_users_end")["n"].as_u64(), Some(2));
    }
    let rows = fs::read_to_string(out.join("blocked/replications.csv")).unwrap();
    let first: Vec<String> = rows.lines().skip(1).map(|l| csv_fields(l)[0].clone()).collect();
    assert_eq!(first, ["0", "1"]);
}

#[test]
fn a_single_replication_has_no_interval() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("weekly"), &out, &["-n", "1"]);
    let dir = out.join("weekly");
    let summary = read_json(&dir.join("summary.json"));
    check_summary(&summary, "weekly", 20211116, 240, 1);
    let h = headline(&summary, "Meituan Select", "active_users_end");
    assert!(h["mean"].as_f64().is_some());
    assert!(
        h["sd"].is_null() && h["ci_low"].is_null() && h["ci_high"].is_null(),
        "{h}"
    );
    let rows = check_timeseries(&dir.join("timeseries.csv"), 240);
    assert!(
        rows.iter().all(|r| r[5].is_empty() && r[6].is_empty()),
        "no interval from one replication"
    );
}

#[test]
fn the_precision_target_stops_when_met_and_reports_it() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &a,
        &["-n", "10", "--precision", "0.05", "--max-replications", "200"],
    );
    let summary = read_json(&a.join("weekly/summary.json"));
    let precision = &summary["precision"];
    assert_eq!(precision["met"], true, "{precision}");
    assert_eq!(precision["target"].as_f64(), Some(0.05));
    assert_eq!(precision["max_replications"].as_u64(), Some(200));
    let n = summary["replications"].as_u64().unwrap();
    assert!((10..=200).contains(&n), "{n} replications");
    assert!(
        n == 10 || (n - 10).is_multiple_of(50) || n == 200,
        "{n} is not a step of 50 above 10"
    );
    check_summary(&summary, "weekly", 20211116, 240, n);
    // Every targeted headline is within 5% (Law and Kelton: 0.05 / 1.05).
    for p in PLATFORMS {
        let h = headline(&summary, p, "active_users_end");
        let (m, lo, hi) = (
            h["mean"].as_f64().unwrap(),
            h["ci_low"].as_f64().unwrap(),
            h["ci_high"].as_f64().unwrap(),
        );
        assert!(0.5 * (hi - lo) <= 0.05 / 1.05 * m.abs(), "{p}: {h}");
    }
    if let Some(w) = precision["worst_relative_half_width"].as_f64() {
        assert!(w <= 0.05, "the widest targeted headline: {w}");
    }
    let md = fs::read_to_string(a.join("weekly/summary.md")).unwrap();
    assert!(md.contains("Precision target") && md.contains("met"), "{md}");
    let reps = fs::read_to_string(a.join("weekly/replications.csv")).unwrap();
    assert_eq!(reps.lines().count() as u64, n + 1);

    // An unreachable target runs to the cap and says so.
    run_ok(
        cwd.path(),
        &scenario("weekly"),
        &b,
        &["-n", "10", "--precision", "0.0001", "--max-replications", "60"],
    );
    let summary = read_json(&b.join("weekly/summary.json"));
    assert_eq!(summary["precision"]["met"], false, "{}", summary["precision"]);
    assert_eq!(summary["replications"].as_u64(), Some(60));
    assert!(summary["precision"]["worst"].is_string(), "{}", summary["precision"]);
    let reps = read_csv(
        &b.join("weekly/replications.csv"),
        fs::read_to_string(b.join("weekly/replications.csv"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    );
    let numbers: Vec<String> = reps.iter().map(|r| r[0].clone()).collect();
    let expected: Vec<String> = (0..60).map(|i: u32| i.to_string()).collect();
    assert_eq!(numbers, expected);
    let md = fs::read_to_string(b.join("weekly/summary.md")).unwrap();
    assert!(md.contains("not met"), "{md}");
}

#[test]
fn bad_precision_flags_are_refused_before_running() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("weekly"));
    let cases: [&[&str]; 6] = [
        &["--precision", "0"],
        &["--precision", "2"],
        &["--precision", "abc"],
        &["--precision", "1"],
        &["--precision", "NaN"],
        &["--precision", "0.1", "--max-replications", "5"],
    ];
    for extra in cases {
        let mut args = vec![
            "run".to_string(),
            scen.clone(),
            "--out".into(),
            s(&out),
            "-n".into(),
            "10".into(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{extra:?} printed: {}", o.stdout_text());
        let flag = if extra.len() > 2 {
            "--max-replications"
        } else {
            "--precision"
        };
        assert!(o.stderr.contains(flag), "{extra:?}: {}", o.stderr);
    }
    assert!(absent_or_empty(cwd.path()), "a refused flag wrote files");
}

#[test]
fn zero_replications_or_threads_are_refused() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let scen = s(&scenario("weekly"));
    for extra in [["-n", "0"], ["--replications", "-3"], ["--threads", "0"], ["-j", "x"]] {
        let mut args = vec!["run".to_string(), scen.clone(), "--out".into(), s(&out)];
        args.extend(extra.iter().map(|a| a.to_string()));
        if extra[0] != "-n" && extra[0] != "--replications" {
            args.extend(["-n".into(), "2".into()]);
        }
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{extra:?} printed: {}", o.stdout_text());
    }
    assert!(absent_or_empty(cwd.path()), "a refused flag wrote files");
}
