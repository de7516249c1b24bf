//! Any bytes as the observed-series file of `gatesim calibrate` (text that
//! is not UTF-8 is read lossily here, so that its valid parts still reach
//! the reader), checked against a small scenario with users (two
//! platforms, ten days). A refusal must name the file and a line from 1 to
//! one past the last; what is accepted must be series of the scenario's
//! platforms (or the market or the gatekeeper), on days from 0 to the
//! horizon, increasing, with finite values at least 0 and standard errors
//! above 0, and is calibrated (a few particles, a few dozen simulations).
//! Nothing may panic.

#![no_main]

use gatesim::calibration::{CalibrationOptions, ObservedScope, calibrate, parse_observed};
use gatesim::load_scenario_str;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const FILE: &str = "fuzz.csv";

const SCENARIO: &str = r#"
name = "tiny"
[simulation]
horizon_days = 10
seed = 3
[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24
[[platforms]]
name = "A"
class = "standard"
cadence_days = 7
[platforms.users]
initial_users = 200
churn_alpha = 0.7
churn_beta = 18
[[platforms]]
name = "B"
class = "standard"
cadence_days = 5
[platforms.users]
initial_users = 100
churn_alpha = 0.7
churn_beta = 18
[users]
potential_users = 1000
adoption_per_day = 0.01
[[uncertain]]
key = "users.adoption_per_day"
dist = { dist = "loguniform", low = 0.001, high = 0.1 }
"#;

fuzz_target!(|data: &[u8]| {
    static LOADED: OnceLock<gatesim::Loaded> = OnceLock::new();
    let loaded = LOADED.get_or_init(|| load_scenario_str(SCENARIO, Path::new("tiny.toml"), "tiny", &[]).unwrap());
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count();
    match parse_observed(&text, Path::new(FILE), &loaded.scenario) {
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.starts_with(FILE), "{shown}");
            let l = e.line.expect("a refusal of a text names its line");
            assert!((1..=lines + 1).contains(&l), "line {l} of {lines}: {shown}");
        }
        Ok(d) => {
            assert!(!d.series.is_empty());
            for s in &d.series {
                match s.scope {
                    ObservedScope::Platform(p) => assert!(p < 2),
                    ObservedScope::Market | ObservedScope::Gatekeeper => {}
                }
                assert!(s.days.windows(2).all(|w| w[0] < w[1]), "{:?}", s.days);
                assert!(s.days.iter().all(|&d| d <= 10));
                assert!(s.values.iter().all(|v| v.is_finite() && *v >= 0.0));
                assert!(s.standard_errors.iter().flatten().all(|e| e.is_finite() && *e > 0.0));
                assert_eq!(s.values.len(), s.days.len());
            }
            let options = CalibrationOptions {
                particles: 4,
                replications: 1,
                budget: 24,
                generations: 3,
                seed: 1,
                threads: 1,
            };
            if let Ok(post) = calibrate(loaded, &loaded.uncertain, Path::new(FILE), &text, &options) {
                assert!(post.particles.iter().flatten().all(|x| x.is_finite()));
                let total: f64 = post.weights.iter().sum();
                assert!((total - 1.0).abs() < 1e-9, "{total}");
            }
        }
    }
});
