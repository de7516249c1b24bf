//! Charts of sensitivity analyses of a small stand-in model with six
//! parameters named like scenario keys (one of which has no effect): for
//! each method, every chart exists in PNG and SVG under its file name, the
//! PNGs decode at 1600x900 with something drawn in the plot area, the SVGs
//! carry their titles, axis labels and every parameter's name, and
//! rendering is deterministic.

use gatesim::charts::Format;
use gatesim::charts::{Charted, SensitivityCharts, sensitivity_charts};
use gatesim::sampling::normal;
use gatesim::sampling::stream;
use gatesim::sensitivity::{
    Distribution, Evaluations, MorrisOptions, Output, Parameter, ParameterSpace, RESAMPLES, Sampling,
    SensitivityResult, analyse, morris_design, sobol_design, tornado_design, uncertainty_design,
};
use std::collections::HashSet;
use std::sync::OnceLock;

const SEED: u64 = 20211116;
const SCENARIO: &str = "guizhou";

const NAMES: [&str; 6] = [
    "users.churn_sensitivity",
    "users.choice_sensitivity",
    "policy.grace_days",
    "appeal.half_life_days",
    "users.adoption",
    "users.cool_off_days",
];

fn space() -> ParameterSpace {
    let d = [
        Distribution::log_uniform(0.2, 5.0).unwrap(),
        Distribution::uniform(0.5, 2.0).unwrap(),
        Distribution::uniform(0.0, 30.0).unwrap(),
        Distribution::log_uniform(7.0, 90.0).unwrap(),
        Distribution::uniform(0.8, 1.2).unwrap(),
        Distribution::uniform(0.0, 14.0).unwrap(),
    ];
    ParameterSpace::new(NAMES.iter().zip(d).map(|(n, d)| Parameter::new(*n, d)).collect()).unwrap()
}

fn outputs() -> Vec<Output> {
    vec![
        Output::new("Taocaicai", "active_users_end", "users"),
        Output::new("market", "orders_total", "orders"),
    ]
}

/// A stand-in for the simulation: users kept fall with churn and with the
/// grace (more so when users choose readily), rise with adoption and a
/// longer appeal; the cool-off does nothing. Replication noise is common
/// to every point (common random numbers) plus a little of each point's.
fn model(x: &[f64], rep: usize) -> Vec<f64> {
    let common = normal(&mut stream(SEED, rep as u64, "chart-test/common"));
    let own = normal(&mut stream(SEED, rep as u64, &format!("chart-test/{:?}", x)));
    let kept =
        1.5e6 * x[4] * (-0.35 * x[0].powf(0.7)).exp() * (1.0 - 0.012 * x[1] * x[2]) * (1.0 + 0.08 * (x[3] / 30.0).ln());
    let users = kept * (1.0 + 0.01 * common) + 4e3 * own;
    vec![users, 38.0 * users]
}

fn charted() -> Vec<Charted> {
    vec![
        Charted {
            scope: "Taocaicai".into(),
            metric: "active_users_end".into(),
            label: "Active users at the end".into(),
            against: None,
        },
        Charted {
            scope: "market".into(),
            metric: "orders_total".into(),
            label: "Orders over the run".into(),
            against: None,
        },
    ]
}

fn results() -> &'static Vec<SensitivityResult> {
    static R: OnceLock<Vec<SensitivityResult>> = OnceLock::new();
    R.get_or_init(|| {
        let s = space();
        let designs = [
            tornado_design(&s, &[1.0, 1.0, 14.0, 30.0, 1.0, 7.0], SEED).unwrap(),
            morris_design(
                &s,
                &MorrisOptions {
                    trajectories: 40,
                    levels: 4,
                    candidates: Some(200),
                },
                SEED,
            )
            .unwrap(),
            sobol_design(&s, 512, Sampling::ScrambledSobol, SEED).unwrap(),
            uncertainty_design(&s, 400, SEED).unwrap(),
        ];
        designs
            .iter()
            .map(|d| {
                let ev = Evaluations::evaluate(d, outputs(), 8, model).unwrap();
                analyse(d, &ev, RESAMPLES).unwrap()
            })
            .collect()
    })
}

fn render(r: &SensitivityResult, formats: &[Format]) -> Charts {
    let input = SensitivityCharts {
        result: r,
        scenario: SCENARIO,
        charted: charted(),
    };
    sensitivity_charts(&input, formats).expect("the charts render")
}

/// Rendered charts: `(file name, bytes)`.
type Charts = Vec<(String, Vec<u8>)>;

fn charts() -> &'static Vec<Charts> {
    static C: OnceLock<Vec<Charts>> = OnceLock::new();
    C.get_or_init(|| {
        results()
            .iter()
            .map(|r| render(r, &[Format::Png, Format::Svg]))
            .collect()
    })
}

const METHODS: [&str; 4] = ["tornado", "morris", "sobol", "uncertainty"];

/// (method, title of the Taocaicai chart, texts every chart of the method carries).
const EXPECTED: [(&str, &str, &[&str]); 4] = [
    (
        "tornado",
        "Taocaicai: active users at the end, one assumption at a time",
        &[
            "Change in active users at the end from the base",
            "its low value",
            "base ",
        ],
    ),
    (
        "morris",
        "Taocaicai: screening the assumptions for active users at the end",
        &[
            "mean absolute effect on active users at the end",
            "spread of the effects",
        ],
    ),
    (
        "sobol",
        "Taocaicai: which assumptions drive active users at the end",
        &[
            "Share of the variance of active users at the end",
            "Sum of first-order indices",
            "First order",
        ],
    ),
    (
        "uncertainty",
        "Taocaicai: active users at the end over the plausible assumptions",
        &["Share of the sampled assumptions", "5th percentile", "median", "95th"],
    ),
];

#[test]
fn every_chart_exists_in_both_formats_named_by_method_scope_and_metric() {
    for (k, method) in METHODS.iter().enumerate() {
        let names: Vec<&str> = charts()[k].iter().map(|(n, _)| n.as_str()).collect();
        let expected: Vec<String> = ["taocaicai_active_users_end", "market_orders_total"]
            .iter()
            .flat_map(|s| [format!("{method}_{s}.png"), format!("{method}_{s}.svg")])
            .collect();
        assert_eq!(names, expected);
    }
}

#[test]
fn each_png_decodes_at_1600_by_900_and_its_plot_area_is_not_blank() {
    for (name, bytes) in charts().iter().flatten().filter(|(n, _)| n.ends_with(".png")) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
        let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
        let info = reader.next_frame(&mut buf).expect("a frame");
        assert_eq!((info.width, info.height), (1600, 900), "{name}");
        assert_eq!(info.color_type, png::ColorType::Rgb, "{name}");
        let (mut colours, mut inked, mut total) = (HashSet::new(), 0usize, 0usize);
        for y in 150..780 {
            for x in 200..1200 {
                let i = (y * 1600 + x) * 3;
                let p = (buf[i], buf[i + 1], buf[i + 2]);
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
        assert!(inked * 50 >= total, "{name}: only {inked} of {total} pixels drawn");
    }
}

fn svg<'a>(charts: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let bytes = &charts.iter().find(|(n, _)| n == name).expect("the SVG exists").1;
    std::str::from_utf8(bytes).expect("an SVG is UTF-8 text")
}

#[test]
fn each_svg_carries_its_title_subtitle_axis_labels_and_every_parameter_name() {
    for (k, (method, title, texts)) in EXPECTED.iter().enumerate() {
        let r = &results()[k];
        let s = svg(&charts()[k], &format!("{method}_taocaicai_active_users_end.svg"));
        assert!(
            s.trim_start().starts_with("<svg") && s.trim_end().ends_with("</svg>"),
            "{method}"
        );
        assert!(s.contains(title), "{method}: no title `{title}`");
        let sub = format!("scenario guizhou · {} points × 8 replications · seed {SEED}", r.points);
        assert!(s.contains(&sub), "{method}: no subtitle `{sub}`");
        for t in *texts {
            assert!(s.contains(t), "{method}: no `{t}`");
        }
        // The histogram is of one output, not of the parameters.
        if *method != "uncertainty" {
            for p in NAMES {
                assert!(s.contains(p), "{method}: no parameter `{p}`");
            }
        }
        let market = svg(&charts()[k], &format!("{method}_market_orders_total.svg"));
        assert!(
            market.contains("Market: "),
            "{method}: the market's chart is not titled by its scope"
        );
    }
}

#[test]
fn the_tornado_puts_the_widest_swing_first_and_labels_each_end_with_its_value() {
    let s = svg(&charts()[0], "tornado_taocaicai_active_users_end.svg");
    // Churn moves users most; the cool-off not at all. Category labels are
    // written from the bottom up, so the widest swing comes last in the file.
    let churn = s.find("users.churn_sensitivity").expect("churn is drawn");
    let cool = s.find("users.cool_off_days").expect("cool-off is drawn");
    assert!(cool < churn, "the tornado is not sorted by swing");
    assert!(
        s.contains("at 0.2") && s.contains("at 5"),
        "the churn's ends are not labelled"
    );
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (k, r) in results().iter().enumerate() {
        let again = render(r, &[Format::Png, Format::Svg]);
        assert_eq!(again.len(), charts()[k].len());
        for ((n1, b1), (n2, b2)) in charts()[k].iter().zip(&again) {
            assert_eq!(n1, n2);
            assert!(b1 == b2, "{n1} differs between two renderings");
        }
    }
}

#[test]
fn outputs_the_result_lacks_are_skipped_and_no_format_renders_nothing() {
    let r = &results()[2];
    let input = SensitivityCharts {
        result: r,
        scenario: SCENARIO,
        charted: vec![Charted {
            scope: "nobody".into(),
            metric: "nothing".into(),
            label: "Nothing".into(),
            against: None,
        }],
    };
    assert!(sensitivity_charts(&input, &[Format::Svg]).unwrap().is_empty());
    assert!(render(r, &[]).is_empty());
}
