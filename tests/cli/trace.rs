//! CLI tests: trace.

use super::*;

fn trace_stdout(args: &[&str]) -> String {
    let cwd = tmp();
    let mut all = vec!["trace".to_string(), s(&scenario("guizhou"))];
    all.extend(args.iter().map(|a| a.to_string()));
    let o = gatesim(cwd.path(), &all);
    o.expect_code(0);
    assert!(absent_or_empty(cwd.path()), "trace to stdout wrote files");
    o.stdout_text()
}

#[test]
fn trace_writes_time_sorted_csv_with_the_documented_header() {
    let text = trace_stdout(&[]);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(TRACE_HEADER));
    let rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    assert!(rows.len() > 100, "a 240-day run has many events");
    let mut last = 0u64;
    for row in &rows {
        assert_eq!(row.len(), 7, "{row:?}");
        let t: u64 = row[0].parse().unwrap();
        assert!(t >= last, "rows are sorted by time_ms: {t} after {last}");
        last = t;
        let days: f64 = row[1].parse().unwrap();
        assert_eq!(
            (days * 86_400_000.0).round() as u64,
            t,
            "time_days is time_ms in days, to the millisecond: {row:?}"
        );
        let decimals = row[1].split('.').nth(1).map_or(0, str::len);
        assert!(
            decimals <= 8,
            "time_days has no more decimals than a millisecond needs: {row:?}"
        );
        assert!(t <= 240 * 86_400_000, "events fall within the horizon");
        assert!(row[2].is_empty() || PLATFORMS.contains(&row[2].as_str()), "{row:?}");
    }
}

#[test]
fn in_guizhou_taocaicai_is_held_and_withdrawn_but_never_approved_or_released() {
    let text = trace_stdout(&[]);
    let events = |platform: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(csv_fields)
            .filter(|r| r[2] == platform)
            .map(|r| r[5].clone())
            .collect()
    };
    let t = events("Taocaicai");
    for e in ["build", "submit", "hold", "withdraw"] {
        assert!(t.iter().any(|x| x == e), "Taocaicai has no `{e}` event");
    }
    for e in ["approve", "release_start", "release_full"] {
        assert!(!t.iter().any(|x| x == e), "Taocaicai has a `{e}` event");
    }
    // The scenario may lift the block on the horizon (a dated class change on
    // day 240): a review may start then, but never while Taocaicai is blocked.
    let rows: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(csv_fields)
        .filter(|r| r[2] == "Taocaicai")
        .collect();
    let lift = rows.iter().position(|r| r[5] == "class_change").unwrap_or(rows.len());
    assert!(
        rows[..lift].iter().all(|r| r[5] != "review_start"),
        "Taocaicai has a review while blocked"
    );
    if let Some(change) = rows.get(lift) {
        assert_eq!(change[1], "240", "the block is lifted only on the horizon: {change:?}");
    }
    let m = events("Meituan Select");
    for e in ["approve", "release_start"] {
        assert!(m.iter().any(|x| x == e), "Meituan Select has no `{e}` event");
    }
}

#[test]
fn trace_out_writes_the_same_bytes_as_standard_output() {
    let cwd = tmp();
    let file = cwd.path().join("trace.csv");
    let stdout = gatesim(cwd.path(), &["trace".into(), s(&scenario("guizhou"))]);
    stdout.expect_code(0);
    let to_file = gatesim(
        cwd.path(),
        &["trace".into(), s(&scenario("guizhou")), "--out".into(), s(&file)],
    );
    to_file.expect_code(0);
    assert_eq!(
        to_file.stdout_text(),
        format!("outputs: {}\n", file.display()),
        "trace --out says where it wrote, and prints nothing else"
    );
    assert!(fs::read(&file).unwrap() == stdout.stdout, "--out and stdout differ");
    let entries: Vec<_> = fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [OsStr::new("trace.csv")], "no temporary file is left behind");
}

#[test]
fn another_replication_traces_another_history() {
    let zero = trace_stdout(&[]);
    assert_eq!(zero, trace_stdout(&["--replication", "0"]));
    let one = trace_stdout(&["--replication", "1"]);
    assert!(one.starts_with(TRACE_HEADER));
    assert_ne!(zero, one, "replication 1 repeats replication 0");
}

#[test]
fn trace_follows_the_seed_and_the_sets() {
    let base = trace_stdout(&[]);
    assert_ne!(base, trace_stdout(&["--seed", "7"]));
    let unblocked = trace_stdout(&["--set", "platforms.Taocaicai.class=standard"]);
    assert!(
        unblocked
            .lines()
            .map(csv_fields)
            .any(|r| r[2] == "Taocaicai" && r[5] == "approve"),
        "a standard Taocaicai gets approvals"
    );
}
