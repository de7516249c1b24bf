//! CLI tests: money. A scenario whose platforms give an average order value
//! and its currency gets each platform's gross merchandise value (GMV) over
//! the run and per day, and the market's, equal to the orders times the
//! value in every replication and on every day, with the currency wherever
//! units are written; comparisons difference it in the currency and refuse
//! two currencies; a scenario without order values writes what it wrote
//! before.

use super::*;

const VALUES: &str = "average_order_value = 15\ncurrency = \"CNY\"\n";

/// regulator-lifts-block (15 CNY an order) over 60 days, the block lifted
/// on day 30, Taocaicai's
/// orders worth 16.5 CNY, in `dir` as `name.toml` named `name`.
fn money_scenario(dir: &Path, name: &str) -> PathBuf {
    let mut text = edit(
        &scenario_text("regulator-lifts-block"),
        "horizon_days = 240",
        "horizon_days = 60",
    );
    text = edit(&text, "name = \"regulator-lifts-block\"", &format!("name = \"{name}\""));
    text = edit(&text, "[[changes]]\nday = 90\n", "[[changes]]\nday = 30\n");
    let last = text.rfind(VALUES).expect("Taocaicai's order value");
    text.replace_range(
        last..last + VALUES.len(),
        "average_order_value = 16.5\ncurrency = \"CNY\"\n",
    );
    let file = dir.join(format!("{name}.toml"));
    fs::write(&file, text).unwrap();
    file
}

/// The same scenario with no order values.
fn without_values(dir: &Path, name: &str) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    let with = fs::read_to_string(money_scenario(dir, name)).unwrap();
    let text = with
        .replace(VALUES, "")
        .replace("average_order_value = 16.5\ncurrency = \"CNY\"\n", "");
    assert!(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .all(|l| !l.contains("average_order_value") && !l.contains("currency"))
    );
    let file = dir.join(format!("{name}.toml"));
    fs::write(&file, text).unwrap();
    file
}

const AOV: [(&str, f64); 3] = [("Meituan Select", 15.0), ("Duoduo Maicai", 15.0), ("Taocaicai", 16.5)];

#[test]
fn gmv_is_the_orders_times_the_order_value_in_every_replication_and_on_every_day_in_the_currency() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let file = money_scenario(cwd.path(), "money");
    let o = run_ok(cwd.path(), &file, &out, &[]);
    let dir = out.join("money");
    // Per replication: exactly the orders times the value; the market's the sum.
    let reps = CsvTable::read(&dir.join("replications.csv"));
    let col = |name: &str| reps.col(name);
    let mut rows = 0;
    for row in reps.numbers() {
        let mut total = 0.0;
        for (p, value) in AOV {
            let orders = row[col(&format!("{p}.orders_total"))];
            let gmv = row[col(&format!("{p}.gmv_total"))];
            assert!(orders > 0.0, "{p}");
            assert_eq!(gmv, orders * value, "{p}");
            total += gmv;
        }
        assert_eq!(row[col("market.gmv_total")], total);
        rows += 1;
    }
    assert_eq!(rows, N);
    // Per day: the mean GMV is the mean orders times the value, in CNY per day.
    let series = read_timeseries(&dir.join("timeseries.csv"));
    let mut checked = 0;
    for (p, value) in AOV {
        let of =
            |metric: &str| -> Vec<&Vec<String>> { series.iter().filter(|r| r[1] == p && r[2] == metric).collect() };
        let (orders, gmv) = (of("orders"), of("gmv"));
        assert_eq!(gmv.len(), 61, "{p}: one row a day");
        for (o_row, g_row) in orders.iter().zip(&gmv) {
            let day = &g_row[0];
            assert_eq!(&o_row[0], day, "same day");
            assert_eq!(g_row[3], "CNY per day");
            // Mean and 95% interval.
            for c in [4, 5, 6] {
                let (o, g) = (cell(&o_row[c]).unwrap(), cell(&g_row[c]).unwrap());
                assert!(
                    (g - o * value).abs() <= 1e-9 * g.abs().max(1.0),
                    "{p} day {day}: {g} against {o} x {value}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * 61);
    // The unit wherever units are written.
    let summary = read_json(&dir.join("summary.json"));
    for scope in ["Meituan Select", "Duoduo Maicai", "Taocaicai", "market"] {
        assert_eq!(headline(&summary, scope, "gmv_total")["unit"], "CNY", "{scope}");
    }
    let md = fs::read_to_string(dir.join("summary.md")).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| GMV over the run |"))
        .expect("a GMV row");
    assert_eq!(
        row.matches(" CNY").count(),
        6,
        "each level and half-width in CNY: {row}"
    );
    let text = o.stdout_text();
    assert!(text.is_empty(), "-q prints nothing: {text}");
    let o = gatesim(
        cwd.path(),
        &[
            "run",
            &s(&file),
            "-n",
            "2",
            "--no-charts",
            "--no-report",
            "--out",
            &s(&cwd.path().join("t")),
        ],
    );
    o.expect_code(0);
    let text = o.stdout_text();
    let line = text
        .lines()
        .find(|l| l.starts_with("GMV over the run"))
        .expect("the GMV row");
    assert!(line.contains("CNY"), "{line}");
    let orders_at = text.find("Orders over the run").unwrap();
    assert!(
        text.find("GMV over the run").unwrap() > orders_at,
        "GMV beside the orders"
    );
    assert!(
        text.contains("market: ") && text.contains("; GMV over the run "),
        "{text}"
    );
}

#[test]
fn without_order_values_a_run_writes_no_money_and_every_other_number_is_unchanged() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    let with = money_scenario(&a, "lift");
    let without = without_values(&b, "lift");
    let (out_a, out_b) = (cwd.path().join("out-a"), cwd.path().join("out-b"));
    run_ok(cwd.path(), &with, &out_a, &[]);
    let o = gatesim(
        cwd.path(),
        &[
            "run",
            &s(&without),
            "-n",
            &N.to_string(),
            "--no-charts",
            "--out",
            &s(&out_b),
        ],
    );
    o.expect_code(0);
    assert!(!o.stdout_text().contains("GMV"), "{}", o.stdout_text());
    let (da, db) = (out_a.join("lift"), out_b.join("lift"));
    for f in [
        "timeseries.csv",
        "summary.md",
        "replications.csv",
        "summary.json",
        "report.html",
    ] {
        let text = fs::read_to_string(db.join(f)).unwrap();
        assert!(
            !text.contains("gmv") && !text.contains("GMV") && !text.contains("CNY"),
            "{f}"
        );
    }
    // The daily series are those of the run with order values, less GMV.
    let ts = |d: &Path| fs::read_to_string(d.join("timeseries.csv")).unwrap();
    let kept: Vec<String> = ts(&da)
        .lines()
        .filter(|l| !l.contains(",gmv,"))
        .map(String::from)
        .collect();
    assert_eq!(kept.join("\n"), ts(&db).trim_end());
    // So are the headlines per replication, less the GMV columns.
    let columns = |d: &Path| -> Vec<Vec<String>> {
        let text = fs::read_to_string(d.join("replications.csv")).unwrap();
        let rows: Vec<Vec<String>> = text.lines().map(|l| l.split(',').map(String::from).collect()).collect();
        let keep: Vec<usize> = (0..rows[0].len())
            .filter(|&i| !rows[0][i].ends_with(".gmv_total"))
            .collect();
        rows.iter()
            .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
            .collect()
    };
    assert_eq!(columns(&da), columns(&db));
    let md = |d: &Path| -> String {
        fs::read_to_string(d.join("summary.md"))
            .unwrap()
            .lines()
            .filter(|l| !l.contains("GMV"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(md(&da), md(&db));
}

#[test]
fn a_comparison_differences_gmv_in_its_currency_and_refuses_two_currencies() {
    let cwd = tmp();
    let base = money_scenario(cwd.path(), "base");
    let lift = cwd.path().join("lift.toml");
    let base_text = fs::read_to_string(&base).unwrap();
    // The block never lifted in the baseline: same order values.
    fs::write(
        &base,
        edit(&base_text, "[[changes]]\nday = 30\n", "[[changes]]\nday = 59\n"),
    )
    .unwrap();
    fs::write(
        &lift,
        edit(&base_text, "name = \"base\"", "name = \"lift\"")
            .replace("[[changes]]\nday = 30\n", "[[changes]]\nday = 10\n"),
    )
    .unwrap();
    let out = cwd.path().join("out");
    let compare = |files: &[&Path]| {
        let mut a = vec!["compare".to_string()];
        a.extend(files.iter().map(|f| s(f)));
        a.extend(["-n", "3", "--no-charts", "--out"].iter().map(|x| x.to_string()));
        a.push(s(&out));
        gatesim(cwd.path(), &a)
    };
    let o = compare(&[&base, &lift]);
    o.expect_code(0);
    let dir = out.join("compare-base-vs-lift");
    let csv = CsvTable::read(&dir.join("compare.csv"));
    let col = |name: &str| csv.col(name);
    let rows: Vec<&Vec<String>> = csv.rows.iter().filter(|f| f[col("metric")] == "gmv_total").collect();
    assert_eq!(rows.len(), 4, "three platforms and the market: {:?}", csv.rows);
    for f in &rows {
        assert_eq!(f[col("unit")], "CNY");
        assert_eq!(f[col("difference_unit")], "CNY");
    }
    let taocaicai = rows.iter().find(|f| f[col("platform")] == "Taocaicai").unwrap();
    let d: f64 = taocaicai[col("difference_mean")].parse().unwrap();
    assert!(d > 0.0, "lifting the block earlier wins Taocaicai orders, so GMV");
    let text = o.stdout_text();
    assert!(
        text.lines()
            .any(|l| l.contains("Taocaicai") && l.contains("GMV over the run") && l.contains(" CNY")),
        "{text}"
    );
    let md = fs::read_to_string(dir.join("compare.md")).unwrap();
    assert!(md.contains("| market | GMV over the run |"), "{md}");
    // Another currency: refused, naming both files.
    let usd = cwd.path().join("usd.toml");
    fs::write(
        &usd,
        edit(&base_text, "name = \"base\"", "name = \"usd\"").replace("currency = \"CNY\"", "currency = \"USD\""),
    )
    .unwrap();
    let refused = compare(&[&base, &usd]);
    refused.expect_code(2);
    let err = &refused.stderr;
    assert!(
        err.contains("usd.toml") && err.contains("base.toml") && err.contains("one currency"),
        "{err}"
    );
    // A baseline without order values: its GMV is reported absent, not dropped.
    let plain = without_values(&cwd.path().join("plain"), "plain");
    let o = compare(&[&plain, &lift]);
    o.expect_code(0);
    assert!(o.stdout_text().contains("GMV: only in lift"), "{}", o.stdout_text());
    let md = fs::read_to_string(out.join("compare-plain-vs-lift").join("compare.md")).unwrap();
    assert!(md.contains("| market | GMV over the run | absent |"), "{md}");
}
