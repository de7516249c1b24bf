//! CLI tests: no command panics when its standard output is closed (as
//! `gatesim check x.toml | head -1` closes it): it ends quietly, and what
//! it writes to files is written whole before anything is printed.

use super::*;
use std::os::unix::process::ExitStatusExt;

/// Runs `args` with standard output closed before the program writes to
/// it, and checks it neither panicked nor failed: it ended by SIGPIPE, as
/// command-line tools do, or succeeded.
fn survives_a_closed_stdout(cwd: &Path, args: &[String]) {
    let mut child = Command::new(BIN)
        .current_dir(cwd)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gatesim starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("gatesim ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(
        out.status.success() || out.status.signal() == Some(13),
        "{args:?} ended with {:?}: {stderr}",
        out.status
    );
}

#[test]
fn no_command_panics_when_its_output_is_closed() {
    let cwd = tmp();
    let out = s(&cwd.path().join("out"));
    let guizhou = s(&scenario("guizhou"));
    let data = |f: &str| s(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/data").join(f));
    let w = |words: &[&str]| words.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases = [
        w(&["check", &guizhou]),
        w(&["schema"]),
        w(&["schema", "--markdown"]),
        w(&["trace", &guizhou]),
        w(&["run", &guizhou, "-n", "2", "--no-charts", "--out", &out]),
        w(&[
            "compare",
            &s(&scenario("weekly")),
            &s(&scenario("blocked")),
            "-n",
            "2",
            "--no-charts",
            "--out",
            &out,
        ]),
        w(&[
            "sweep",
            &guizhou,
            "--param",
            "gatekeeper.reviewers=1,2",
            "-n",
            "2",
            "--no-charts",
            "--out",
            &out,
        ]),
        w(&[
            "sensitivity",
            &guizhou,
            "--method",
            "tornado",
            "-n",
            "2",
            "--vary",
            "users.churn_per_stale_day=0.001:0.004",
            "--no-charts",
            "--out",
            &out,
        ]),
        w(&[
            "fit",
            "retention",
            &data("fader_hardie_regular.csv"),
            "--period",
            "year",
        ]),
        w(&["fit", "durations", &data("review_durations.csv")]),
        w(&["run", &guizhou, "-n", "2", "--shard", "1/1", "--out", &out]),
        w(&["merge", &out, "--no-charts", "--out", &format!("{out}-merged")]),
        w(&["--help"]),
    ];
    for args in &cases {
        survives_a_closed_stdout(cwd.path(), args);
    }
}
