//! CLI tests: every figure in the right unit. Differences of percentages
//! and shares are in percentage points (pp) wherever they are written; a
//! share is never above 100%; levels and spreads carry no plus sign; a row
//! of a table is in one unit; one minus sign, the true minus.

use super::*;

#[test]
fn differences_of_percentages_and_shares_are_in_percentage_points_everywhere() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let args = [
        "compare",
        &s(&scenario("weekly")),
        &s(&scenario("blocked")),
        "-n",
        "3",
        "--no-charts",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let dir = out.join("compare-weekly-vs-blocked");
    let md = fs::read_to_string(dir.join("compare.md")).unwrap();
    let change = md
        .lines()
        .find(|l| l.starts_with("| Meituan Select | Change in active users |"))
        .expect("the row of the change in active users");
    let cells: Vec<&str> = change.split('|').map(str::trim).collect();
    assert!(
        cells[3].ends_with('%') && cells[4].ends_with('%'),
        "levels in percent: {change}"
    );
    assert!(cells[5].contains(" pp"), "the difference in pp: {change}");
    let retention = md
        .lines()
        .find(|l| l.contains("| D30 retention of new users |"))
        .unwrap();
    assert!(retention.split('|').nth(5).unwrap().contains(" pp"), "{retention}");
    let csv = CsvTable::read(&dir.join("compare.csv"));
    let col = |name: &str| csv.col(name);
    let retentions: Vec<_> = csv
        .rows
        .iter()
        .filter(|f| f[col("metric")] == "d30_retention")
        .collect();
    assert!(!retentions.is_empty(), "no d30_retention row in compare.csv");
    for f in retentions {
        assert_eq!(f[col("unit")], "share");
        assert_eq!(f[col("difference_unit")], "percentage points");
        // The difference is in points: 100 times the difference of the shares.
        let (a, b, d): (f64, f64, f64) = (
            f[col("baseline_mean")].parse().unwrap(),
            f[col("scenario_mean")].parse().unwrap(),
            f[col("difference_mean")].parse().unwrap(),
        );
        assert!((d - 100.0 * (b - a)).abs() < 1e-9, "{f:?}");
    }
    let json: Json = serde_json::from_slice(&fs::read(dir.join("compare.json")).unwrap()).unwrap();
    let h = &json["comparisons"][0]["headlines"];
    let change = h
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["metric"] == "active_users_change_pct")
        .unwrap();
    assert_eq!(change["difference_unit"], "percentage points");
    let text = o.stdout_text();
    assert!(
        !text.contains("-0.0") && !text.contains("+0.0"),
        "no signed zero: {text}"
    );
}

#[test]
fn a_row_of_the_terminal_table_is_in_one_unit_and_uses_the_true_minus() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    // A slower review class: decisions take about two days, their
    // half-widths hours (written "2.2 d ± 23.4 h" before).
    let args = [
        "run",
        &s(&scenario("guizhou")),
        "-n",
        "3",
        "--no-charts",
        "--set",
        "gatekeeper.classes[0].review_hours.median=45",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let text = o.stdout_text();
    assert!(text.contains("\u{2212}"), "a true minus: {text}");
    assert!(!text.contains(" -6"), "no hyphen for a minus: {text}");
    for line in text.lines().filter(|l| l.starts_with("Submission to decision")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let hours = words.iter().filter(|w| **w == "h").count();
        let days = words.iter().filter(|w| **w == "d").count();
        assert!(hours == 0 || days == 0, "one unit per row: {line}");
    }
}

#[test]
fn a_share_is_never_above_100_percent_and_a_spread_is_never_signed() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let args = [
        "sensitivity",
        &s(&scenario("guizhou")),
        "--method",
        "uncertainty",
        "--samples",
        "20",
        "-n",
        "2",
        "--no-charts",
        "--out",
        &s(&out),
    ];
    let o = gatesim(cwd.path(), &args);
    o.expect_code(0);
    let md = fs::read_to_string(out.join("sensitivity-guizhou-uncertainty/sensitivity.md")).unwrap();
    for line in md.lines().filter(|l| l.contains("Monte Carlo noise")) {
        for pct in line.split(['|', ' ', '(', ')']).filter(|w| w.ends_with('%')) {
            let v: f64 = pct.trim_end_matches('%').parse().unwrap();
            assert!((0.0..=100.0).contains(&v), "a share within 0 and 100%: {line}");
        }
    }
    for line in md.lines().filter(|l| l.starts_with("| standard deviation |")) {
        assert!(!line.contains('+'), "a standard deviation is not signed: {line}");
    }
}
