//! gatesim embedded (`gatesim::embed`, what the Python package calls): a
//! command run in-process hands back exactly the files the `gatesim`
//! command writes and writes them alike; its failures carry the command
//! line's messages; a stop from the host ends it with nothing written; the
//! model function at a scenario's own values gives its replications'
//! headline metrics.

use crate::cli::{BIN, gatesim, s, scenario, tmp};
use gatesim::embed::{FailureKind, PointModel, capture, stop};
use gatesim::{Metric, Plan, load_scenario, run_monte_carlo};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Every file under `dir` (path relative to it, bytes), sorted.
fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a folder") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).expect("under dir").display().to_string();
                out.push((name, std::fs::read(&p).expect("a file")));
            }
        }
    }
    out.sort();
    out
}

fn args(list: &[&str]) -> Vec<String> {
    std::iter::once(BIN)
        .chain(list.iter().copied())
        .map(String::from)
        .collect()
}

#[test]
fn an_embedded_run_writes_exactly_the_files_of_the_gatesim_command() {
    let dir = tmp();
    let flagship = s(&scenario("guizhou"));
    let common = [
        "run",
        &flagship,
        "--set",
        "gatekeeper.reviewers=3",
        "-n",
        "2",
        "--seed",
        "4",
    ];
    let captured = capture(&args(&common), &[]).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(captured.folder, "guizhou+gatekeeper.reviewers=3");
    assert_eq!(captured.command_line[1..], common.map(String::from));
    let written = captured.write(&dir.path().join("embedded"), None).expect("written");
    let out = dir.path().join("cli");
    let mut cli: Vec<&str> = common.to_vec();
    cli.extend(["--out", out.to_str().expect("UTF-8"), "-q"]);
    gatesim(dir.path(), &cli).expect_code(0);
    let ours = files_of(&written);
    let theirs = files_of(&out.join("guizhou+gatekeeper.reviewers=3"));
    assert_eq!(ours.len(), theirs.len());
    assert!(ours.iter().any(|(n, _)| n.ends_with(".png")));
    for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs from the command's");
    }
}

#[test]
fn a_scenario_given_as_text_runs_as_its_file_does() {
    let flagship = scenario("guizhou");
    let text = std::fs::read_to_string(&flagship).expect("readable");
    let virtual_path = PathBuf::from("guizhou.toml");
    let from_text = capture(
        &args(&["run", "guizhou.toml", "-n", "2", "--no-charts", "--no-report"]),
        &[(virtual_path, text)],
    )
    .unwrap_or_else(|f| panic!("{f}"));
    let from_file = capture(
        &args(&["run", &s(&flagship), "-n", "2", "--no-charts", "--no-report"]),
        &[],
    )
    .unwrap_or_else(|f| panic!("{f}"));
    let csv = |c: &gatesim::embed::Captured| {
        c.files
            .iter()
            .find(|(n, _)| n == "timeseries.csv")
            .map(|(_, b)| b.clone())
            .expect("a timeseries")
    };
    assert!(csv(&from_text) == csv(&from_file));
}

#[test]
fn an_embedded_failure_carries_the_command_lines_message() {
    let flagship = s(&scenario("guizhou"));
    let list = ["run", &flagship, "--set", "gatekeeper.reviewerz=3", "-n", "2"];
    let f = capture(&args(&list), &[]).expect_err("refused");
    assert_eq!(f.kind, FailureKind::Usage);
    let cli = gatesim(Path::new(env!("CARGO_MANIFEST_DIR")), &list);
    cli.expect_code(2);
    assert_eq!(cli.stderr_text().trim_end(), format!("error: {}", f.message));
    assert!(f.message.contains("gatekeeper.reviewerz"));
}

#[test]
fn a_stop_from_the_host_ends_a_run_with_nothing_handed_back_and_the_next_runs() {
    let flagship = s(&scenario("guizhou"));
    let stopper = std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_millis(200));
        stop();
    });
    let r = capture(&args(&["run", &flagship, "-n", "1000000", "--no-charts"]), &[]);
    stopper.join().expect("joined");
    assert_eq!(r.expect_err("stopped").kind, FailureKind::Interrupted);
    let next = capture(&args(&["run", &flagship, "-n", "1", "--no-charts", "--no-report"]), &[]);
    assert!(next.is_ok(), "the stop is not left raised");
}

#[test]
fn the_model_at_the_scenarios_own_values_gives_its_replications_headlines() {
    let loaded = load_scenario(&scenario("guizhou"), &[]).expect("loads");
    let model = PointModel::new(&loaded, &[], &["Taocaicai.active_users_end".to_string()], 2, 2).expect("a model");
    assert_eq!(model.parameters().len(), loaded.uncertain.len());
    let base: Vec<f64> = model.parameters().iter().map(|u| u.base).collect();
    let y = model
        .evaluate(&[base.clone(), base], false, &AtomicBool::new(false))
        .expect("runs");
    let plan = Plan {
        replications: 2,
        precision: None,
        max_replications: 2,
        threads: 2,
    };
    let r = run_monte_carlo(&loaded.scenario, &plan, &AtomicBool::new(false), &|| {}, &|_| {}).expect("runs");
    let mean = r
        .headline("Taocaicai", Metric::ActiveUsersEnd)
        .and_then(|h| h.stat.mean)
        .expect("a mean");
    assert_eq!(y, vec![vec![mean], vec![mean]]);
}
