//! Outputs that survive: the real `gatesim` binary is killed at the worst
//! moments of writing its results (right before and right after the swap),
//! runs twice at once into the same folder, is stopped by SIGTERM, and
//! writes to a full disk and a read-only folder. Each time the output
//! folder must hold either the previous results or the new ones, whole,
//! byte for byte, and the next run must leave no temporary folder behind.
//! The writer's test-only hooks (`GATESIM_TEST_PAUSE_BEFORE_SWAP`,
//! `GATESIM_TEST_PAUSE_AFTER_SWAP`, `GATESIM_TEST_FAIL_WRITE`, see
//! `src/output/write.rs`) stop it at a chosen point, so nothing depends on
//! timing. Tests that need to mount a small file system (root only) say so
//! and skip when they cannot.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");
/// The output folder of the corpus's valid scenario (its `name`).
const NAME: &str = "corpus";

fn valid() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/valid.toml")
}

/// The arguments of a quick run of the valid scenario with `seed` into `out`.
fn run_args(out: &Path, seed: u64) -> Vec<String> {
    vec![
        "run".into(),
        valid().to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
        "-n".into(),
        "2".into(),
        "-j".into(),
        "1".into(),
        "--no-charts".into(),
        "--quiet".into(),
        "--seed".into(),
        seed.to_string(),
    ]
}

fn gatesim(args: &[String], env: &[(&str, &Path)]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Runs to the end and returns the output, checking there was no panic.
fn finish(mut c: Command) -> Output {
    let o = c.output().expect("gatesim runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "gatesim panicked:\n{err}");
    o
}

fn run_ok(out: &Path, seed: u64) {
    let o = finish(gatesim(&run_args(out, seed), &[]));
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir` (relative path -> bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).expect("the folder is readable") {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, into);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                into.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

/// The results a normal run with `seed` writes, made in a folder of their own.
fn reference(seed: u64) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    run_ok(dir.path(), seed);
    snapshot(&dir.path().join(NAME))
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_whole(out: &Path, expected: &BTreeMap<String, Vec<u8>>, what: &str) {
    let got = snapshot(&out.join(NAME));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: not the same files"
    );
    for (k, v) in expected {
        assert!(got[k] == *v, "{what}: {k} differs");
    }
}

/// Starts a run that pauses at `moment` (`BEFORE_SWAP` or `AFTER_SWAP`)
/// until `gate` exists, and returns once it is paused there.
fn start_paused(out: &Path, seed: u64, moment: &str, gate: &Path) -> (Child, BufReader<std::process::ChildStderr>) {
    let var = format!("GATESIM_TEST_PAUSE_{moment}");
    let mut child = gatesim(&run_args(out, seed), &[(var.as_str(), gate)])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("gatesim starts");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("gatesim-test: paused") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "gatesim ended before pausing");
    }
    (child, err)
}

fn sigkill(child: &mut Child) {
    child.kill().expect("the paused process can be killed");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "killed by a signal");
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(ok.success());
}

fn temporaries(out: &Path) -> Vec<String> {
    names(out).into_iter().filter(|n| n != NAME).collect()
}

#[test]
fn a_run_killed_right_before_the_swap_leaves_the_previous_results_whole_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    let (mut child, _err) = start_paused(&out, 2, "BEFORE_SWAP", &dir.path().join("gate"));
    sigkill(&mut child);
    assert_whole(&out, &previous, "after a kill before the swap");
    assert_eq!(
        temporaries(&out).len(),
        1,
        "the killed run's temporary folder is still there"
    );
    run_ok(&out, 3);
    assert_whole(&out, &reference(3), "the next run");
    assert_eq!(names(&out), [NAME], "the next run removed what the killed one left");
}

#[test]
fn a_run_killed_right_after_the_exchange_leaves_the_new_results_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, 1);
    let (mut child, _err) = start_paused(&out, 2, "AFTER_SWAP", &dir.path().join("gate"));
    sigkill(&mut child);
    assert_whole(&out, &reference(2), "after a kill right after the swap");
    run_ok(&out, 1);
    assert_eq!(names(&out), [NAME], "the previous results set aside were removed");
}

#[test]
fn a_first_run_killed_before_its_swap_leaves_no_results_and_no_mix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    let (mut child, _err) = start_paused(&out, 2, "BEFORE_SWAP", &dir.path().join("gate"));
    sigkill(&mut child);
    assert!(!out.join(NAME).exists(), "no half-made results under the target's name");
    run_ok(&out, 2);
    assert_whole(&out, &reference(2), "the next run");
    assert_eq!(names(&out), [NAME]);
}

#[test]
fn two_runs_writing_the_same_folder_at_once_leave_the_last_one_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let gate = dir.path().join("gate");
    run_ok(&out, 1);
    // The first writer is stopped with its files written, before its swap;
    // the second runs meanwhile and must wait its turn, then win.
    let (mut first, _err) = start_paused(&out, 2, "BEFORE_SWAP", &gate);
    let second = gatesim(&run_args(&out, 3), &[]).stderr(Stdio::piped()).spawn().unwrap();
    fs::write(&gate, b"").unwrap();
    assert_eq!(first.wait().unwrap().code(), Some(0));
    let second = second.wait_with_output().unwrap();
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_whole(&out, &reference(3), "the run that finished last");
    assert_eq!(names(&out), [NAME]);
}

#[test]
fn runs_racing_into_the_same_folder_never_mix_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (a, b) = (reference(4), reference(5));
    for round in 0..4 {
        let runs: Vec<Child> = [4, 5]
            .iter()
            .map(|&seed| gatesim(&run_args(&out, seed), &[]).spawn().unwrap())
            .collect();
        for mut c in runs {
            assert_eq!(c.wait().unwrap().code(), Some(0), "round {round}");
        }
        let got = snapshot(&out.join(NAME));
        assert!(got == a || got == b, "round {round}: the results are a mix of two runs");
        assert_eq!(names(&out), [NAME], "round {round}");
    }
}

#[test]
fn sigterm_while_writing_exits_143_and_keeps_the_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let gate = dir.path().join("gate");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    let (mut child, mut err) = start_paused(&out, 2, "BEFORE_SWAP", &gate);
    signal(&child, "-TERM");
    // The writer sees the signal when it resumes, before its swap.
    fs::write(&gate, b"").unwrap();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert_eq!(status.code(), Some(143), "{rest}");
    assert!(rest.contains("interrupted by SIGTERM"), "{rest}");
    assert_whole(&out, &previous, "after SIGTERM while writing");
    assert_eq!(names(&out), [NAME], "no temporary folder is left");
}

#[test]
fn sigterm_during_the_replications_exits_143_and_keeps_the_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    // So many replications that the run is still going when the signal comes.
    let mut args = run_args(&out, 2);
    args[5] = "10000000".into();
    let mut child = gatesim(&args, &[]).stderr(Stdio::piped()).spawn().unwrap();
    // Signal only once the process catches SIGTERM (else the system, not
    // gatesim, would end it).
    let status = format!("/proc/{}/status", child.id());
    let catches_term = || {
        fs::read_to_string(&status).ok().and_then(|s| {
            let mask = s.lines().find_map(|l| l.strip_prefix("SigCgt:"))?;
            u64::from_str_radix(mask.trim(), 16).ok()
        })
    };
    loop {
        match catches_term() {
            Some(mask) if mask & (1 << (15 - 1)) != 0 => break,
            Some(_) => std::thread::yield_now(),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                return skip("the SIGTERM-during-the-run test", "no /proc/PID/status to read");
            }
        }
    }
    signal(&child, "-TERM");
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted by SIGTERM"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_whole(&out, &previous, "after SIGTERM during the run");
    assert_eq!(names(&out), [NAME]);
}

#[test]
fn a_failed_write_exits_1_with_the_reason_and_keeps_the_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    for nth in ["1", "4"] {
        let fail = PathBuf::from(nth);
        let o = finish(gatesim(&run_args(&out, 2), &[("GATESIM_TEST_FAIL_WRITE", &fail)]));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
        assert!(err.contains(NAME), "the message names the folder: {err}");
        assert_whole(&out, &previous, "after a failed write");
        assert_eq!(names(&out), [NAME], "the temporary folder is removed");
    }
}

#[test]
fn an_output_name_taken_by_a_file_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join(NAME), b"not results").unwrap();
    let o = finish(gatesim(&run_args(&out, 1), &[]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(matches!(o.status.code(), Some(1 | 2)), "{err}");
    assert!(err.contains("is not a folder"), "{err}");
    assert_eq!(fs::read(out.join(NAME)).unwrap(), b"not results");
    assert_eq!(names(&out), [NAME]);
}

/// A small tmpfs mounted for a test, unmounted when dropped.
struct Mount {
    dir: TempDir,
}

impl Mount {
    /// Mounts a tmpfs of `size` (e.g. `400k`), or says why it cannot.
    fn tmpfs(size: &str) -> Result<Mount, String> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Err("not running as root".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !o.status.success() {
            return Err(format!("mount failed: {}", String::from_utf8_lossy(&o.stderr).trim()));
        }
        Ok(Mount { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read_only(&self) -> Result<(), String> {
        let o = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .output()
            .map_err(|e| e.to_string())?;
        if o.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn skip(test: &str, why: &str) {
    println!("note: {test} skipped: {why}");
    eprintln!("note: {test} skipped: {why}");
}

#[test]
fn a_full_disk_fails_with_a_clear_message_and_keeps_the_previous_results() {
    // The previous results without charts fit in 400 kB; with charts they do not.
    let disk = match Mount::tmpfs("400k") {
        Ok(m) => m,
        Err(why) => return skip("the full-disk test", &why),
    };
    let out = disk.path().join("out");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    let mut args = run_args(&out, 2);
    args.retain(|a| a != "--no-charts");
    let o = finish(gatesim(&args, &[]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains(NAME), "{err}");
    assert_whole(&out, &previous, "after a full disk");
    assert_eq!(names(&out), [NAME], "the partial temporary folder is removed");
}

#[test]
fn an_unwritable_out_folder_is_refused_and_keeps_the_previous_results() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Root ignores permissions: a file system remounted read-only stands in.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mount = if root {
        match Mount::tmpfs("4m") {
            Ok(m) => Some(m),
            Err(why) => return skip("the unwritable-folder test", &why),
        }
    } else {
        None
    };
    let out = mount.as_ref().map_or(dir.path(), Mount::path).join("out");
    run_ok(&out, 1);
    let previous = snapshot(&out.join(NAME));
    match &mount {
        Some(m) => {
            if let Err(why) = m.read_only() {
                return skip("the unwritable-folder test", &why);
            }
        }
        None => fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap(),
    }
    let o = finish(gatesim(&run_args(&out, 2), &[]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "refused before running; {err}");
    assert!(
        err.contains("Read-only file system") || err.contains("Permission denied"),
        "{err}"
    );
    assert!(
        err.contains(&*out.to_string_lossy()),
        "the message names the folder: {err}"
    );
    assert_whole(&out, &previous, "after refusing an unwritable folder");
    if mount.is_none() {
        fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
    }
}
