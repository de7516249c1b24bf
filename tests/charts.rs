//! Charts of a real Monte Carlo run (the Guizhou scenario, 4 replications):
//! every chart exists in PNG and SVG, the PNGs decode at 1600x900 with
//! something drawn in the plot area, the SVGs carry their titles, axis
//! labels and platform names, rendering is deterministic, and a scenario
//! without users gets its pipeline charts only.

use gatesim::montecarlo::{MonteCarloResult, Plan, run};
use gatesim::pipeline::TraceRecord;
use gatesim::plot::{Format, Marker, RunCharts, run_charts};
use gatesim::scenario::{Scenario, load, load_str};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

struct Run {
    scenario: Scenario,
    result: MonteCarloResult,
    timeline: Vec<TraceRecord>,
}

fn simulate(scenario: Scenario) -> Run {
    let plan = Plan {
        replications: 4,
        precision: None,
        max_replications: 4,
        threads: 2,
    };
    let result = run(&scenario, &plan, &AtomicBool::new(false), &|| {}, &|_| {}).expect("the run succeeds");
    let timeline = gatesim::world::run_replication(&scenario, 0, true)
        .expect("replication 0 runs")
        .trace
        .expect("a trace was asked for");
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
        &["Day", "Active users"],
        true,
    ),
    (
        "orders",
        "Orders per day per platform",
        &["Day", "Orders per day"],
        true,
    ),
    ("market_share", "Market share", &["Day", "Share of the market"], true),
    (
        "decision_time",
        "Time from submission to the review decision",
        &["Time since submission", "Share of submissions"],
        true,
    ),
    (
        "release_timeline",
        "Submissions, decisions and releases",
        &["Day"],
        true,
    ),
    ("staleness", "Staleness", &["Day", "Days since its release"], true),
    (
        "cohort_retention",
        "Retention of acquired users",
        &["Days since acquisition", "Share still active"],
        true,
    ),
    (
        "gatekeeper_queue",
        "Submissions at the gatekeeper",
        &["Day", "Submissions"],
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
    i.sbg_reference = Some(vec![(0.704, 17.9); 3]);
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

/// Writes the flagship charts to $GATESIM_CHART_DIR (default: the temporary
/// folder's `charts/`) to look at them: `cargo test --test charts -- --ignored`.
#[test]
#[ignore]
fn render_the_flagship_charts_for_a_visual_check() {
    let dir = std::env::var_os("GATESIM_CHART_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("charts"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in guizhou_charts() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let mut with_sbg = input(guizhou(), Vec::new());
    with_sbg.sbg_reference = Some(vec![(0.704, 17.9); 3]);
    for (name, bytes) in run_charts(&with_sbg, &[Format::Png]).unwrap() {
        if name.starts_with("cohort_retention") {
            std::fs::write(dir.join(format!("sbg_{name}")), bytes).unwrap();
        }
    }
    let loaded = load_str(PIPELINE_ONLY, Path::new("x.toml"), "x", &[]).unwrap();
    let run = simulate(loaded.scenario);
    let mut i = input(&run, Vec::new());
    i.focal = Some(1);
    for (name, bytes) in run_charts(&i, &[Format::Png]).unwrap() {
        std::fs::write(dir.join(format!("pipeline_only_{name}")), bytes).unwrap();
    }
}
