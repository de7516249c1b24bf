//! CLI tests: each shipped scenario runs and writes its six files.

use super::*;

#[test]
fn guizhou_runs_and_writes_its_summary_series_and_resolved_scenario() {
    let o = check_run_outputs("guizhou");
    assert_eq!(o.last_mean("Taocaicai", "approvals"), 0.0, "Taocaicai is held");
    assert_eq!(mean(&o.summary, "Taocaicai", "releases"), 0.0);
    assert!(o.last_mean("Meituan Select", "approvals") > 0.0);
    assert!(mean(&o.summary, "Meituan Select", "releases") > 0.0);
    // Nothing decided: no decision time.
    assert!(headline(&o.summary, "Taocaicai", "decision_hours_mean")["mean"].is_null());
    assert!(
        mean(&o.summary, "Taocaicai", "active_users_change_pct") < 0.0,
        "a held Taocaicai loses users"
    );
    // The scenario starts on 21 March 2021: its days are dated, day 240 the
    // 16 November Taocaicai left Guizhou, in the CSV and the summary (the
    // charts over days: tests/charts.rs).
    assert_eq!(o.summary["run"]["start_date"], "2021-03-21");
    let text = fs::read_to_string(o.dir.join("timeseries.csv")).unwrap();
    assert!(text.starts_with(DATED_TIMESERIES_HEADER), "{}", &text[..80]);
    assert!(text.lines().nth(1).unwrap().starts_with("0,2021-03-21,"));
    assert!(text.lines().last().unwrap().starts_with("240,2021-11-16,"));
    // In every replication the platforms' market shares at the end are
    // their active users over the total, and the HHI the sum of the squared
    // shares in percent.
    let reps = CsvTable::read(&o.dir.join("replications.csv"));
    let col = |name: &str| reps.col(name);
    for row in reps.numbers() {
        let active: Vec<f64> = PLATFORMS
            .iter()
            .map(|p| row[col(&format!("{p}.active_users_end"))])
            .collect();
        let total: f64 = active.iter().sum();
        let mut hhi = 0.0;
        for (p, a) in PLATFORMS.iter().zip(&active) {
            let share = row[col(&format!("{p}.market_share_end"))];
            assert!((share - a / total).abs() < 1e-12, "{p}: share {share}");
            hhi += (100.0 * share).powi(2);
        }
        let written = row[col("market.hhi_active_users_end")];
        assert!((written - hhi).abs() < 1e-6, "HHI {written} against {hhi}");
        assert!(
            written > 10_000.0 / 3.0 && written < 10_000.0,
            "three unequal platforms"
        );
    }
}

#[test]
fn weekly_runs_and_every_platform_gets_updates_approved() {
    let o = check_run_outputs("weekly");
    for p in PLATFORMS {
        assert!(o.last_mean(p, "approvals") > 0.0, "{p} has approvals");
        assert!(mean(&o.summary, p, "releases") > 0.0, "{p} has releases");
    }
}

#[test]
fn blocked_runs_and_taocaicai_gets_no_update_approved() {
    let o = check_run_outputs("blocked");
    assert_eq!(o.last_mean("Taocaicai", "approvals"), 0.0);
    assert_eq!(mean(&o.summary, "Taocaicai", "releases"), 0.0);
    let releases = headline(&o.summary, "Taocaicai", "releases");
    assert_eq!(
        (releases["ci_low"].as_f64(), releases["ci_high"].as_f64()),
        (Some(0.0), Some(0.0))
    );
    assert!(
        o.last_mean("Taocaicai", "submissions") > 0.0,
        "Taocaicai keeps submitting"
    );
    assert!(mean(&o.summary, "Duoduo Maicai", "releases") > 0.0);
    assert!(o.dir.join("summary.md").is_file());
}

/// Reports the first rows of a timeseries whose percentiles are out of order.
fn percentiles_out_of_order(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter()
        .filter(|row| match (cell(&row[7]), cell(&row[8]), cell(&row[9])) {
            (Some(a), Some(b), Some(c)) => !(a <= b && b <= c),
            _ => false,
        })
        .map(|row| row.join(","))
        .collect()
}

#[test]
fn the_daily_percentiles_are_in_order() {
    for name in ["guizhou", "weekly"] {
        let cwd = tmp();
        let out = cwd.path().join("out");
        run_ok(cwd.path(), &scenario(name), &out, &[]);
        let rows = read_timeseries(&out.join(name).join("timeseries.csv"));
        let bad = percentiles_out_of_order(&rows);
        assert!(
            bad.is_empty(),
            "{name}: {} rows with p05 <= p50 <= p95 broken, e.g.\n{}",
            bad.len(),
            bad.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

#[test]
fn a_quiet_run_prints_nothing_and_a_normal_run_names_its_output_folder() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let quiet = run_ok(cwd.path(), &scenario("weekly"), &out, &[]);
    assert!(quiet.stdout.is_empty(), "--quiet printed: {}", quiet.stdout_text());
    assert!(quiet.stderr.is_empty(), "--quiet printed errors: {}", quiet.stderr);
    let loud = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("weekly")),
            "--out".into(),
            s(&out),
            "-n".into(),
            "2".into(),
        ],
    );
    loud.expect_code(0);
    let text = loud.stdout_text();
    assert!(text.contains("weekly") && text.contains("2 replications"), "{text}");
    for p in PLATFORMS {
        assert!(text.contains(p), "the table names {p}: {text}");
    }
    assert!(
        text.contains(&s(&out.join("weekly"))),
        "the output folder is named: {text}"
    );
}
