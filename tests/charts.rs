//! Charts of a real Monte Carlo run (the Guizhou scenario, 4 replications):
//! every chart exists in PNG and SVG, the PNGs decode at 1600x900 with
//! something drawn in the plot area, the SVGs carry their titles, axis
//! labels and platform names, rendering is deterministic, and a scenario
//! without users gets its pipeline charts only.

use crate::common::chart_files;

use chart_files::{COMPARE_STEMS, RESPONSE_STEMS, assert_png_drawn, both_formats};
use gatesim::Trace;
use gatesim::charts::{Format, Marker, RunCharts, run_charts};
use gatesim::{MonteCarloResult, Plan, run_monte_carlo as run};
use gatesim::{Scenario, load_scenario as load, load_scenario_str as load_str};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

struct Run {
    scenario: Scenario,
    result: MonteCarloResult,
    timeline: Trace,
}

fn simulate(scenario: Scenario) -> Run {
    let plan = Plan {
        replications: 4,
        precision: None,
        max_replications: 4,
        threads: 2,
    };
    let result = run(&scenario, &plan, &AtomicBool::new(false), &|| {}, &|_| {}).expect("the run succeeds");
    let timeline = result
        .timeline
        .clone()
        .expect("the run keeps replication 0's audit log");
    assert_eq!(
        timeline,
        gatesim::trace_replication(&scenario, 0).expect("replication 0 runs"),
        "the kept log is replication 0's, as `gatesim trace` writes it"
    );
    Run {
        scenario,
        result,
        timeline,
    }
}

fn guizhou() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/guizhou.toml");
        simulate(load(&path, &[]).expect("guizhou.toml loads").scenario)
    })
}

fn input(run: &Run, markers: Vec<Marker>) -> RunCharts<'_> {
    let s = &run.scenario;
    RunCharts {
        scenario: &s.name,
        seed: s.seed,
        result: &run.result,
        timeline: &run.timeline,
        horizon_days: s.horizon_days,
        markers,
        focal: s.platforms.iter().position(|p| p.name == "Taocaicai"),
        potential_users: s.users.as_ref().map(|_| 8_000_000),
        sbg_reference: None,
    }
}

fn guizhou_charts() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        let markers = vec![Marker {
            day: 150.0,
            label: "regulator's order".into(),
        }];
        run_charts(&input(guizhou(), markers), &[Format::Png, Format::Svg]).expect("the charts render")
    })
}

const STEMS: [&str; 8] = [
    "active_users",
    "orders",
    "market_share",
    "decision_time",
    "release_timeline",
    "staleness",
    "cohort_retention",
    "gatekeeper_queue",
];

/// (stem, title, axis labels, whether it has one series per platform).
const EXPECTED: [(&str, &str, &[&str], bool); 8] = [
    (
        "active_users",
        "Active users per platform",
        &["Date", "Active users"],
        true,
    ),
    (
        "orders",
        "Orders per day per platform",
        &["Date", "Orders per day"],
        true,
    ),
    ("market_share", "Market share", &["Date", "Share of the market"], true),
    (
        "decision_time",
        "Time from submission to the review decision",
        &["Time since submission", "Share of submissions"],
        true,
    ),
    (
        "release_timeline",
        "Submissions, decisions and releases",
        &["Date"],
        true,
    ),
    ("staleness", "Staleness", &["Date", "Days since its release"], true),
    (
        "cohort_retention",
        "Retention of acquired users",
        &["Days since acquisition", "Share still active"],
        true,
    ),
    (
        "gatekeeper_queue",
        "Submissions at the gatekeeper",
        &["Date", "Submissions"],
        false,
    ),
];

fn svg_of<'a>(charts: &'a [(String, Vec<u8>)], stem: &str) -> &'a str {
    let bytes = &charts
        .iter()
        .find(|(n, _)| n == &format!("{stem}.svg"))
        .expect("the SVG exists")
        .1;
    std::str::from_utf8(bytes).expect("an SVG is UTF-8 text")
}

#[test]
fn every_chart_exists_in_both_formats_in_a_fixed_order() {
    let names: Vec<&str> = guizhou_charts().iter().map(|(n, _)| n.as_str()).collect();
    let expected: Vec<String> = STEMS
        .iter()
        .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
        .collect();
    assert_eq!(names, expected);
}

#[test]
fn each_png_decodes_at_1600_by_900_and_its_plot_area_is_not_blank() {
    for (name, bytes) in guizhou_charts().iter().filter(|(n, _)| n.ends_with(".png")) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
        let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
        let info = reader.next_frame(&mut buf).expect("a frame");
        assert_eq!((info.width, info.height), (1600, 900), "{name}");
        assert_eq!(info.color_type, png::ColorType::Rgb, "{name}");
        let pixel = |x: usize, y: usize| {
            let i = (y * info.width as usize + x) * 3;
            (buf[i], buf[i + 1], buf[i + 2])
        };
        let (mut colours, mut inked, mut total) = (HashSet::new(), 0usize, 0usize);
        for y in 150..780 {
            for x in 200..1200 {
                let p = pixel(x, y);
                colours.insert(p);
                total += 1;
                if p != (255, 255, 255) {
                    inked += 1;
                }
            }
        }
        assert!(
            colours.len() >= 12,
            "{name}: only {} colours in the plot area",
            colours.len()
        );
        assert!(
            inked * 50 >= total,
            "{name}: only {inked} of {total} pixels drawn in the plot area"
        );
    }
}

#[test]
fn each_svg_carries_its_title_axis_labels_and_every_platform_name() {
    let charts = guizhou_charts();
    let platforms: Vec<&str> = guizhou().result.platforms.iter().map(String::as_str).collect();
    assert_eq!(platforms.len(), 3);
    for (stem, title, axes, per_platform) in EXPECTED {
        let svg = svg_of(charts, stem);
        assert!(svg.trim_start().starts_with("<svg"), "{stem}: not an SVG");
        assert!(svg.trim_end().ends_with("</svg>"), "{stem}: unterminated SVG");
        assert!(svg.contains(title), "{stem}: no title `{title}`");
        assert!(svg.contains("scenario guizhou · 4 replications · seed 20211116") || stem == "release_timeline");
        for a in axes {
            assert!(svg.contains(a), "{stem}: no axis label `{a}`");
        }
        if per_platform {
            for p in &platforms {
                assert!(svg.contains(p), "{stem}: no series for {p}");
            }
        }
    }
}

#[test]
fn charts_over_days_of_a_dated_scenario_are_ticked_by_month() {
    // Guizhou starts on 21 March 2021 and ends on 16 November 2021.
    for stem in ["active_users", "release_timeline", "staleness"] {
        let svg = svg_of(guizhou_charts(), stem);
        let text = |label: &str| svg.contains(&format!(">\n{label}\n</text>"));
        for label in ["Date", "Apr 2021", "May", "Nov"] {
            assert!(text(label), "{stem}: no tick {label}");
        }
        assert!(
            !text("Mar") && !text("Day"),
            "{stem}: no first of March inside the run, no day numbers"
        );
    }
}

#[test]
fn the_blocked_platform_is_named_as_never_decided_on_the_decision_time_chart() {
    let svg = svg_of(guizhou_charts(), "decision_time");
    assert!(
        svg.contains("Taocaicai: no decision"),
        "the legend does not say Taocaicai had no decision"
    );
    assert!(svg.contains("withdrawn after"));
    let timeline = svg_of(guizhou_charts(), "release_timeline");
    assert!(
        timeline.contains("no release in 240 days"),
        "the blocked platform's gap is not labelled"
    );
}

#[test]
fn policy_changes_are_marked_with_their_labels_on_charts_over_days() {
    for stem in [
        "active_users",
        "orders",
        "market_share",
        "release_timeline",
        "staleness",
        "gatekeeper_queue",
    ] {
        assert!(
            svg_of(guizhou_charts(), stem).contains("regulator&apos;s order")
                || svg_of(guizhou_charts(), stem).contains("regulator's order"),
            "{stem}"
        );
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let markers = vec![Marker {
        day: 150.0,
        label: "regulator's order".into(),
    }];
    let again = run_charts(&input(guizhou(), markers), &[Format::Png, Format::Svg]).expect("the charts render");
    assert_eq!(again.len(), guizhou_charts().len());
    for ((n1, b1), (n2, b2)) in guizhou_charts().iter().zip(&again) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs between two renderings");
    }
}

#[test]
fn the_sbg_reference_is_drawn_on_the_cohort_chart_when_given() {
    let run = guizhou();
    let mut i = input(run, Vec::new());
    i.sbg_reference = Some(vec![
        (0..=240)
            .map(|t| (
                f64::from(t),
                gatesim::closed_form::sbg_survival(0.704, 17.9, f64::from(t))
            ))
            .collect();
        3
    ]);
    let charts = run_charts(&i, &[Format::Svg]).expect("the charts render");
    let svg = svg_of(&charts, "cohort_retention");
    assert!(svg.contains("sBG closed form"));
    let plain = svg_of(guizhou_charts(), "cohort_retention");
    assert!(!plain.contains("sBG closed form"));
    assert!(svg.len() > plain.len(), "no dashed reference curves were drawn");
}

const PIPELINE_ONLY: &str = r#"
name = "pipeline_only"
[simulation]
seed = 7
horizon_days = 60

[gatekeeper]
reviewers = 2

[[gatekeeper.classes]]
name = "standard"
review_hours = { dist = "lognormal", median = 20, sigma = 0.6 }
hold_days = 0
rejection_probability = 0.1

[[gatekeeper.classes]]
name = "blocked"
review_hours = { dist = "lognormal", median = 20, sigma = 0.6 }
hold_days = "never"
rejection_probability = 0.0

[[platforms]]
name = "Alpha"
class = "standard"
cadence_days = 7

[[platforms]]
name = "Beta"
class = "blocked"
cadence_days = 7
"#;

#[test]
fn a_scenario_without_users_renders_the_pipeline_charts_and_skips_the_user_charts() {
    let loaded = load_str(PIPELINE_ONLY, Path::new("x.toml"), "x", &[]).expect("the scenario loads");
    let run = simulate(loaded.scenario);
    let mut i = input(&run, Vec::new());
    i.focal = Some(1);
    i.potential_users = None;
    let charts = run_charts(&i, &[Format::Svg, Format::Png]).expect("the pipeline charts render");
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "decision_time.svg",
            "decision_time.png",
            "release_timeline.svg",
            "release_timeline.png",
            "staleness.svg",
            "staleness.png",
            "gatekeeper_queue.svg",
            "gatekeeper_queue.png"
        ]
    );
    assert!(svg_of(&charts, "decision_time").contains("Beta: no decision"));
}

#[test]
fn chart_format_lists_parse_and_a_bad_item_is_named() {
    assert_eq!(Format::parse_list("png,svg"), Ok(vec![Format::Png, Format::Svg]));
    assert_eq!(Format::parse_list("svg"), Ok(vec![Format::Svg]));
    let e = Format::parse_list("png,gif").unwrap_err();
    assert!(e.contains("gif"), "{e}");
}

// ---------------------------------------------------------------------------
// Charts of a comparison and of a sweep.

use gatesim::CompareResult;
use gatesim::SweepResult;
use gatesim::charts::{CompareCharts, SweepCharts, compare_charts, sweep_charts};

fn shipped(file: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    load(&path, &[]).expect("a shipped scenario loads").scenario
}

fn weekly_vs_blocked() -> &'static CompareResult {
    static RESULT: OnceLock<CompareResult> = OnceLock::new();
    RESULT.get_or_init(|| {
        gatesim::run_compare(
            &[shipped("weekly.toml"), shipped("blocked.toml")],
            gatesim::Pairs::Baseline,
            4,
            2,
            &AtomicBool::new(false),
            &|| {},
        )
        .expect("the comparison runs")
    })
}

fn compare_input(r: &CompareResult) -> CompareCharts<'_> {
    CompareCharts {
        result: r,
        seed: 20211116,
        markers: vec![Marker {
            day: 150.0,
            label: "regulator's order".into(),
        }],
        focal: r.runs[0].platforms.iter().position(|p| p == "Taocaicai"),
    }
}

fn compare_output() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        compare_charts(&compare_input(weekly_vs_blocked()), &[Format::Png, Format::Svg]).expect("the charts render")
    })
}

/// Runs a sweep of guizhou.toml over `params` with `replications`.
fn sweep_guizhou(params: &[&str], replications: u64) -> SweepResult {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/guizhou.toml");
    sweep_file(&path, params, replications)
}

fn sweep_file(path: &Path, params: &[&str], replications: u64) -> SweepResult {
    let params: Vec<gatesim::SweepParam> = params
        .iter()
        .map(|p| gatesim::parse_sweep_param(p).expect("the parameter parses"))
        .collect();
    let base = gatesim::load_scenario(path, &[]).expect("the scenario loads");
    let points = gatesim::load_sweep_points(&base, path, &params).expect("every point loads");
    let plan = Plan {
        replications,
        precision: None,
        max_replications: replications,
        threads: 2,
    };
    let keys = params.iter().map(|p| p.key.clone()).collect();
    let labels: Vec<String> = params.iter().map(|p| p.key.clone()).collect();
    gatesim::run_sweep(keys, labels, &points, &plan, &AtomicBool::new(false), &|| {}).expect("the sweep runs")
}

fn one_parameter() -> &'static SweepResult {
    static RESULT: OnceLock<SweepResult> = OnceLock::new();
    RESULT.get_or_init(|| sweep_guizhou(&["changes[0].day=0,120,240"], 4))
}

fn two_parameters() -> &'static SweepResult {
    static RESULT: OnceLock<SweepResult> = OnceLock::new();
    RESULT.get_or_init(|| sweep_guizhou(&["changes[0].day=0,240", "users.churn_per_stale_day=0,0.004"], 2))
}

fn sweep_input(r: &SweepResult) -> SweepCharts<'_> {
    SweepCharts {
        result: r,
        scenario: "guizhou",
        seed: 20211116,
        focal: r.points[0].result.platforms.iter().position(|p| p == "Taocaicai"),
    }
}

fn one_parameter_output() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        sweep_charts(&sweep_input(one_parameter()), &[Format::Png, Format::Svg]).expect("the charts render")
    })
}

fn two_parameter_output() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| {
        sweep_charts(&sweep_input(two_parameters()), &[Format::Png, Format::Svg]).expect("the charts render")
    })
}

fn names_of(charts: &[(String, Vec<u8>)]) -> Vec<&str> {
    charts.iter().map(|(n, _)| n.as_str()).collect()
}

/// Checks an SVG holds every one of `texts`.
fn assert_svg_holds(charts: &[(String, Vec<u8>)], stem: &str, texts: &[&str]) {
    let svg = svg_of(charts, stem);
    assert!(svg.trim_start().starts_with("<svg"), "{stem}: not an SVG");
    assert!(svg.trim_end().ends_with("</svg>"), "{stem}: unterminated SVG");
    for t in texts {
        assert!(svg.contains(t), "{stem}: no `{t}`");
    }
}

#[test]
fn every_comparison_chart_exists_in_both_formats_in_a_fixed_order() {
    assert_eq!(names_of(compare_output()), both_formats(&COMPARE_STEMS));
}

#[test]
fn each_comparison_png_decodes_at_1600_by_900_with_a_drawn_plot_area() {
    for (name, bytes) in compare_output().iter().filter(|(n, _)| n.ends_with(".png")) {
        assert_png_drawn(name, bytes);
    }
}

#[test]
fn each_comparison_svg_names_its_subject_axes_platforms_and_both_scenarios() {
    let charts = compare_output();
    let expected: [(&str, &[&str]); 5] = [
        (
            "active_users_overlay",
            &["Active users per platform", "Day", "Active users"],
        ),
        (
            "users_difference",
            &[
                "Users lost or won against weekly",
                "paired differences, common random numbers",
                "Day",
                "Difference in active users",
            ],
        ),
        (
            "orders_difference",
            &[
                "Orders per day lost or won against weekly",
                "paired differences, common random numbers",
                "Day",
                "Difference in orders per day",
            ],
        ),
        (
            "staleness_difference",
            &["against weekly", "Day", "Difference in days since release"],
        ),
        (
            "headline_differences",
            &[
                "against weekly",
                "Difference (users)",
                "Difference (orders)",
                "Difference (days)",
            ],
        ),
    ];
    for (stem, texts) in expected {
        assert_svg_holds(charts, stem, texts);
        assert_svg_holds(
            charts,
            stem,
            &[
                "weekly",
                "blocked",
                "4 replications",
                "seed 20211116",
                "Meituan Select",
                "Duoduo Maicai",
                "Taocaicai",
            ],
        );
    }
}

#[test]
fn the_difference_charts_quote_what_the_block_cost_in_human_numbers() {
    let r = weekly_vs_blocked();
    let lost = r.diffs[0]
        .headlines
        .iter()
        .find(|h| h.scope == "Taocaicai" && h.metric == gatesim::Metric::ActiveUsersEnd)
        .and_then(|h| h.difference.mean)
        .expect("a difference in users");
    let label = gatesim::signed_human_number(lost);
    assert!(label.starts_with('\u{2212}'), "{label}");
    for stem in ["users_difference", "headline_differences"] {
        assert_svg_holds(compare_output(), stem, &[label.as_str()]);
    }
    assert_svg_holds(compare_output(), "users_difference", &["blocked − weekly"]);
}

#[test]
fn policy_changes_are_marked_on_the_comparison_charts_over_days() {
    for stem in [
        "active_users_overlay",
        "users_difference",
        "orders_difference",
        "staleness_difference",
    ] {
        let svg = svg_of(compare_output(), stem);
        assert!(
            svg.contains("regulator&apos;s order") || svg.contains("regulator's order"),
            "{stem}"
        );
    }
}

#[test]
fn rendering_a_comparison_twice_gives_identical_bytes() {
    let again = compare_charts(&compare_input(weekly_vs_blocked()), &[Format::Png, Format::Svg]).expect("renders");
    assert_eq!(names_of(&again), names_of(compare_output()));
    for ((n, a), (_, b)) in compare_output().iter().zip(&again) {
        assert!(a == b, "{n} differs between two renderings");
    }
}

#[test]
fn a_comparison_without_users_charts_staleness_and_headline_differences_only() {
    let a = load_str(PIPELINE_ONLY, Path::new("open.toml"), "open", &[]).expect("loads");
    let b = load_str(
        PIPELINE_ONLY,
        Path::new("shut.toml"),
        "shut",
        &["platforms.Alpha.class=blocked".into()],
    )
    .expect("loads");
    let (mut a, mut b) = (a.scenario, b.scenario);
    a.name = "open".into();
    b.name = "shut".into();
    let r =
        gatesim::run_compare(&[a, b], gatesim::Pairs::Baseline, 3, 2, &AtomicBool::new(false), &|| {}).expect("runs");
    let input = CompareCharts {
        result: &r,
        seed: 7,
        markers: Vec::new(),
        focal: Some(0),
    };
    let charts = compare_charts(&input, &[Format::Svg, Format::Png]).expect("renders");
    assert_eq!(
        names_of(&charts),
        [
            "staleness_difference.svg",
            "staleness_difference.png",
            "headline_differences.svg",
            "headline_differences.png"
        ]
    );
    assert_svg_holds(
        &charts,
        "headline_differences",
        &["Mean staleness", "Releases", "Alpha", "Beta", "open", "shut"],
    );
    for (name, bytes) in charts.iter().filter(|(n, _)| n.ends_with(".png")) {
        assert_png_drawn(name, bytes);
    }
}

#[test]
fn a_sweep_of_one_parameter_charts_each_headline_against_it_and_draws_no_heat_map() {
    assert_eq!(names_of(one_parameter_output()), both_formats(&RESPONSE_STEMS));
}

#[test]
fn a_sweep_of_two_parameters_adds_a_heat_map() {
    let mut stems = RESPONSE_STEMS.to_vec();
    stems.push("heatmap_active_users_end");
    assert_eq!(names_of(two_parameter_output()), both_formats(&stems));
}

#[test]
fn each_sweep_png_decodes_at_1600_by_900_with_a_drawn_plot_area() {
    for (name, bytes) in one_parameter_output()
        .iter()
        .chain(two_parameter_output().iter())
        .filter(|(n, _)| n.ends_with(".png"))
    {
        assert_png_drawn(name, bytes);
    }
}

#[test]
fn each_sweep_svg_names_its_subject_the_swept_key_and_the_platforms() {
    let expected: [(&str, &str, &str); 3] = [
        (
            "response_active_users_end",
            "Active users at the end",
            "Active users at the end",
        ),
        ("response_orders_total", "Orders over the run", "Orders over the run"),
        (
            "response_mean_staleness_days",
            "Mean staleness",
            "Mean staleness (days)",
        ),
    ];
    let sub = "scenario guizhou · 3 points × 4 replications · seed 20211116";
    for (stem, title, y) in expected {
        assert_svg_holds(
            one_parameter_output(),
            stem,
            &[
                title,
                y,
                "changes[0].day",
                sub,
                "Meituan Select",
                "Duoduo Maicai",
                "Taocaicai",
            ],
        );
        // With two parameters: the focal platform, one line per value of the second.
        assert_svg_holds(
            two_parameter_output(),
            stem,
            &[
                title,
                "changes[0].day",
                "users.churn_per_stale_day",
                "Taocaicai",
                "0.004",
            ],
        );
    }
    assert_svg_holds(
        two_parameter_output(),
        "heatmap_active_users_end",
        &[
            "Taocaicai: active users at the end",
            "changes[0].day",
            "users.churn_per_stale_day",
            "4 points × 2 replications",
        ],
    );
}

/// The texts of an SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let inner = t.split_once('>')?.1;
            Some(inner.split_once("</text>")?.0.trim())
        })
        .collect()
}

#[test]
fn the_heat_map_labels_every_cell_with_its_value() {
    let r = two_parameters();
    let texts = svg_texts(svg_of(two_parameter_output(), "heatmap_active_users_end"));
    for p in &r.points {
        let m = p
            .result
            .headline("Taocaicai", gatesim::Metric::ActiveUsersEnd)
            .unwrap()
            .stat
            .mean
            .unwrap();
        let label = gatesim::human_number(m);
        assert!(texts.contains(&label.as_str()), "no cell labelled {label}: {texts:?}");
    }
}

#[test]
fn rendering_a_sweep_twice_gives_identical_bytes() {
    for (r, first) in [
        (one_parameter(), one_parameter_output()),
        (two_parameters(), two_parameter_output()),
    ] {
        let again = sweep_charts(&sweep_input(r), &[Format::Png, Format::Svg]).expect("renders");
        assert_eq!(names_of(&again), names_of(first));
        for ((n, a), (_, b)) in first.iter().zip(&again) {
            assert!(a == b, "{n} differs between two renderings");
        }
    }
}

#[test]
fn a_sweep_over_words_gets_a_categorical_axis() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipeline_only.toml");
    std::fs::write(&path, PIPELINE_ONLY).unwrap();
    let r = sweep_file(&path, &["platforms.Alpha.class=standard,blocked"], 2);
    let input = SweepCharts {
        result: &r,
        scenario: "pipeline_only",
        seed: 7,
        focal: Some(1),
    };
    let charts = sweep_charts(&input, &[Format::Svg]).expect("renders");
    assert_eq!(names_of(&charts), ["response_mean_staleness_days.svg"]);
    assert_svg_holds(
        &charts,
        "response_mean_staleness_days",
        &["platforms.Alpha.class", "Alpha", "Beta"],
    );
    // The values label the axis as words.
    let texts = svg_texts(svg_of(&charts, "response_mean_staleness_days"));
    assert!(texts.contains(&"standard") && texts.contains(&"blocked"), "{texts:?}");
}

/// Reviewed snapshots of a few charts' SVG, so that any change to the chart
/// toolkit's layout (ticks, labels, legends, margins) shows up in review as
/// a diff of the drawing itself. Update with `GATESIM_SNAPSHOTS=overwrite`
/// after looking at the charts (`tests/snapshots/*.svg.new`).
#[test]
fn the_svg_of_the_cohort_chart_the_headline_differences_and_a_sweep_response_match_their_snapshots() {
    use crate::common::snapshot::assert_snapshot;
    assert_snapshot("cohort_retention.svg", svg_of(guizhou_charts(), "cohort_retention"));
    assert_snapshot(
        "headline_differences.svg",
        svg_of(compare_output(), "headline_differences"),
    );
    assert_snapshot(
        "response_active_users_end.svg",
        svg_of(one_parameter_output(), "response_active_users_end"),
    );
}

/// The same, through the command line: the charts compare and sweep write, and chart flags.
mod from_the_command_line {
    use crate::common::chart_files::{COMPARE_STEMS, RESPONSE_STEMS, assert_png_drawn, both_formats};
    use std::path::Path;

    fn gatesim_cli(args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_gatesim"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .expect("gatesim runs")
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn gatesim_compare_writes_its_charts_next_to_its_tables() {
        let out = tempfile::tempdir().unwrap();
        let o = gatesim_cli(&[
            "compare",
            "scenarios/weekly.toml",
            "scenarios/blocked.toml",
            "-n",
            "3",
            "--out",
            out.path().to_str().unwrap(),
            "-q",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dir = out.path().join("compare-weekly-vs-blocked");
        assert!(dir.join("compare.json").is_file());
        let mut expected = both_formats(&COMPARE_STEMS);
        expected.sort();
        assert_eq!(listing(&dir.join("charts")), expected);
        let png = std::fs::read(dir.join("charts/users_difference.png")).unwrap();
        assert_png_drawn("users_difference.png", &png);
    }

    #[test]
    fn gatesim_sweep_writes_the_charts_in_the_formats_asked_for() {
        let out = tempfile::tempdir().unwrap();
        let o = gatesim_cli(&[
            "sweep",
            "scenarios/guizhou.toml",
            "--param",
            "changes[0].day=0,240",
            "-n",
            "2",
            "--format",
            "svg",
            "--out",
            out.path().to_str().unwrap(),
            "-q",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dir = out.path().join("sweep-guizhou");
        assert!(dir.join("sweep.csv").is_file());
        let mut expected: Vec<String> = RESPONSE_STEMS.iter().map(|s| format!("{s}.svg")).collect();
        expected.sort();
        assert_eq!(listing(&dir.join("charts")), expected);
    }

    #[test]
    fn a_bad_chart_format_stops_compare_and_sweep_before_any_work() {
        let out = tempfile::tempdir().unwrap();
        let o = gatesim_cli(&[
            "compare",
            "scenarios/weekly.toml",
            "scenarios/blocked.toml",
            "--format",
            "gif",
            "--out",
            out.path().to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&o.stderr).contains("gif"));
        let o = gatesim_cli(&[
            "sweep",
            "scenarios/guizhou.toml",
            "--param",
            "changes[0].day=0,240",
            "--format",
            "png,",
            "--out",
            out.path().to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(listing(out.path()).is_empty(), "something was written");
    }

    #[test]
    fn no_charts_means_no_charts_folder_for_compare() {
        let out = tempfile::tempdir().unwrap();
        let o = gatesim_cli(&[
            "compare",
            "scenarios/weekly.toml",
            "scenarios/blocked.toml",
            "-n",
            "2",
            "--no-charts",
            "--out",
            out.path().to_str().unwrap(),
            "-q",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let dir = out.path().join("compare-weekly-vs-blocked");
        assert!(dir.join("compare.md").is_file());
        assert!(!dir.join("charts").exists());
    }
}
