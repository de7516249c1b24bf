//! CLI tests: a bad --out.

use super::*;

#[test]
fn an_out_path_that_is_a_file_is_refused_before_running() {
    let cwd = tmp();
    let file = cwd.path().join("results");
    fs::write(&file, b"keep me\n").unwrap();
    let o = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&file),
            "-n".into(),
            "2".into(),
        ],
    );
    o.expect_code(2);
    assert!(o.stdout.is_empty(), "the scenario ran: {}", o.stdout_text());
    assert!(
        o.stderr.contains("--out") && o.stderr.contains("not a folder"),
        "{}",
        o.stderr
    );
    assert_eq!(fs::read(&file).unwrap(), b"keep me\n");
    let entries: Vec<_> = fs::read_dir(cwd.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [OsStr::new("results")], "nothing else was written");
}

#[test]
fn an_out_path_below_a_file_is_refused() {
    let cwd = tmp();
    let file = cwd.path().join("results");
    fs::write(&file, b"keep me\n").unwrap();
    let o = gatesim(
        cwd.path(),
        &[
            "run".into(),
            s(&scenario("guizhou")),
            "--out".into(),
            s(&file.join("sub")),
            "-n".into(),
            "2".into(),
        ],
    );
    o.expect_code(2);
    assert!(o.stdout.is_empty());
    assert_eq!(fs::read(&file).unwrap(), b"keep me\n");
}

#[test]
fn a_missing_out_folder_is_created_with_its_parents() {
    let cwd = tmp();
    let out = cwd.path().join("deep/er/out");
    run_ok(cwd.path(), &scenario("weekly"), &out, &["-n", "2"]);
    assert_eq!(names_in(&out.join("weekly")), OUTPUT_FILES);
}
