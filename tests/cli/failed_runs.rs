//! CLI tests: a failed or interrupted run keeps the previous results.

use super::*;

#[test]
fn a_previous_result_survives_a_failed_run_of_the_same_scenario() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &[]);
    let before: Vec<Vec<u8>> = OUTPUT_FILES
        .iter()
        .map(|f| fs::read(out.join("guizhou").join(f)).unwrap())
        .collect();

    // Same `name`, invalid content.
    let bad = cwd.path().join("bad.toml");
    let text = edit(&scenario_text("guizhou"), "\nreviewers = 4\n", "\nreviewers = 0\n");
    assert!(text.contains("name = \"guizhou\""));
    fs::write(&bad, text).unwrap();
    gatesim(
        cwd.path(),
        &["run".into(), s(&bad), "--out".into(), s(&out), "-n".into(), "2".into()],
    )
    .expect_code(2);
    // The valid file with an invalid override.
    gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&out),
            "-n".into(),
            "2".into(),
            "--set".into(),
            "simulation.horizon_days=0".into(),
        ],
    )
    .expect_code(2);

    assert_eq!(names_in(&out.join("guizhou")), OUTPUT_FILES);
    for (f, b) in OUTPUT_FILES.iter().zip(&before) {
        assert!(
            &fs::read(out.join("guizhou").join(f)).unwrap() == b,
            "{f} changed after a failed run"
        );
    }
    assert_eq!(names_in(&out), ["guizhou"], "no temporary folder is left behind");
}

#[test]
fn an_interrupted_run_exits_130_and_keeps_the_previous_results() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    run_ok(cwd.path(), &scenario("guizhou"), &out, &["-n", "2"]);
    let dir = out.join("guizhou");
    let summary_before = fs::read(dir.join("summary.json")).unwrap();
    let before: Vec<Vec<u8>> = OUTPUT_FILES.iter().map(|f| fs::read(dir.join(f)).unwrap()).collect();

    let mut child = Command::new(BIN)
        .args([
            "run".to_string(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&out),
            "-q".into(),
            "-n".into(),
            "100000".into(),
            "--threads".into(),
            "1".into(),
        ])
        .current_dir(cwd.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gatesim binary starts");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it was interrupted"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success(), "kill -INT failed");
    // Give it a generous while to stop, but never hang the suite.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not stop within 30 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "the program panicked:\n{stderr}");
    assert_eq!(
        status.code(),
        Some(130),
        "exit code of an interrupted run; stderr:\n{stderr}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");

    assert!(
        fs::read(dir.join("summary.json")).unwrap() == summary_before,
        "summary.json changed after an interrupted run"
    );
    assert_eq!(names_in(&dir), OUTPUT_FILES);
    for (f, b) in OUTPUT_FILES.iter().zip(&before) {
        assert!(
            &fs::read(dir.join(f)).unwrap() == b,
            "{f} changed after an interrupted run"
        );
    }
    assert_eq!(
        names_in(&out),
        ["guizhou"],
        "no temporary folder (.guizhou.tmp-*) is left behind"
    );
}
