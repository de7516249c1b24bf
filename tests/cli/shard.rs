//! CLI tests: `--shard K/N` and `gatesim merge`. The shards of a run, a
//! comparison, a sweep and a sensitivity analysis, merged in any order,
//! give the unsharded command's files byte for byte; every merge that
//! cannot be right is refused with exit code 2, a message naming the
//! file, and nothing written.

use super::*;
use sha2::{Digest, Sha256};

/// The arguments of `command` with `--out out -q`, then `extra`.
fn args(command: &[String], out: &Path, extra: &[&str]) -> Vec<String> {
    let mut a = command.to_vec();
    a.extend(["--out".to_string(), s(out), "-q".into()]);
    a.extend(extra.iter().map(|x| x.to_string()));
    a
}

/// Runs `command` unsharded into `out` and expects success.
fn single(cwd: &Path, command: &[String], out: &Path) {
    gatesim(cwd, &args(command, out, &[])).expect_code(0);
}

/// Runs shard `k` of `n` of `command` into `out` and returns its partial
/// file, checking it is the only thing the shard wrote there under its name.
fn shard(cwd: &Path, command: &[String], k: u64, n: u64, out: &Path, name: &str) -> PathBuf {
    let o = gatesim(cwd, &args(command, out, &["--shard", &format!("{k}/{n}")]));
    o.expect_code(0);
    assert!(o.stdout.is_empty(), "-q printed: {}", o.stdout_text());
    let file = out.join(format!("{name}.shard-{k}-of-{n}.partial"));
    assert!(file.is_file(), "shard {k}/{n} wrote no {}", file.display());
    file
}

/// Runs every shard of `n` into `out`; returns their files, by shard.
fn shards(cwd: &Path, command: &[String], n: u64, out: &Path, name: &str) -> Vec<PathBuf> {
    (1..=n).map(|k| shard(cwd, command, k, n, out, name)).collect()
}

/// `gatesim merge inputs... --out out -q extra...`.
fn merge(cwd: &Path, inputs: &[&Path], out: &Path, extra: &[&str]) -> Outcome {
    let mut a = vec!["merge".to_string()];
    a.extend(inputs.iter().map(|p| s(p)));
    a.extend(["--out".to_string(), s(out), "-q".into()]);
    a.extend(extra.iter().map(|x| x.to_string()));
    gatesim(cwd, &a)
}

/// Words of a command line, for building commands.
fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|x| x.to_string()).collect()
}

/// `run guizhou -n 6 --no-charts`, the run most tests shard.
fn guizhou_run(extra: &[&str]) -> Vec<String> {
    let mut c = vec!["run".to_string(), s(&scenario("guizhou")), "-n".into(), "6".into()];
    c.push("--no-charts".into());
    c.extend(extra.iter().map(|x| x.to_string()));
    c
}

/// Shards 1/3, 2/3 and 3/3 of `command` merged equal the unsharded
/// command's `name` folder byte for byte (charts left out on both sides).
fn assert_three_shards_merge_to_the_single_run(command: &[String], name: &str) {
    let cwd = tmp();
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    single(cwd.path(), command, &one);
    let files = shards(cwd.path(), command, 3, &parts, name);
    assert_eq!(
        names_in(&parts),
        (1..=3)
            .map(|k| format!("{name}.shard-{k}-of-3.partial"))
            .collect::<Vec<_>>(),
        "each shard writes its partial result and nothing else"
    );
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    merge(cwd.path(), &inputs, &merged, &["--no-charts"]).expect_code(0);
    assert_eq!(names_in(&merged), [name], "merge writes the command's folder");
    assert_same_outputs(
        &one.join(name),
        &merged.join(name),
        "3 shards merged and the single run",
    );
}

#[test]
fn three_shards_of_a_run_merged_equal_the_single_run_byte_for_byte() {
    assert_three_shards_merge_to_the_single_run(&guizhou_run(&[]), "guizhou");
}

#[test]
fn three_shards_of_a_run_with_order_values_merged_equal_the_single_run_byte_for_byte() {
    // Its GMV headlines and series merge as every other one does.
    let dir = tmp();
    let text = edit(
        &scenario_text("regulator-lifts-block"),
        "horizon_days = 240",
        "horizon_days = 60",
    )
    .replace("[[changes]]\nday = 90\n", "[[changes]]\nday = 30\n");
    let file = dir.path().join("money.toml");
    std::fs::write(&file, text).unwrap();
    let command = words(&["run", &s(&file), "-n", "6", "--no-charts"]);
    assert_three_shards_merge_to_the_single_run(&command, "regulator-lifts-block");
}

#[test]
fn three_shards_of_a_run_with_an_automatic_warmup_merged_choose_the_single_runs_warmup() {
    let dir = tmp();
    let text = std::fs::read_to_string(scenario("guizhou"))
        .unwrap()
        .replace("name = \"guizhou\"", "name = \"auto\"")
        .replace("warmup_days = 0", "warmup_days = \"auto\"");
    let file = dir.path().join("auto.toml");
    std::fs::write(&file, text).unwrap();
    let command = words(&["run", &s(&file), "-n", "6", "--no-charts"]);
    assert_three_shards_merge_to_the_single_run(&command, "auto");
    let cwd = tmp();
    single(cwd.path(), &command, cwd.path());
    let summary = std::fs::read_to_string(cwd.path().join("auto/summary.json")).unwrap();
    assert!(
        summary.contains("\"auto_warmup\"") && summary.contains("\"set_by\""),
        "{summary}"
    );
}

#[test]
fn three_shards_of_a_comparison_merged_equal_the_single_comparison_byte_for_byte() {
    let command = vec![
        "compare".to_string(),
        s(&scenario("weekly")),
        s(&scenario("blocked")),
        "-n".into(),
        "6".into(),
        "--no-charts".into(),
    ];
    assert_three_shards_merge_to_the_single_run(&command, "compare-weekly-vs-blocked");
}

#[test]
fn three_shards_of_a_sweep_merged_equal_the_single_sweep_byte_for_byte() {
    let command = vec![
        "sweep".to_string(),
        s(&scenario("guizhou")),
        "--param".into(),
        "changes[0].day=0,120".into(),
        "-n".into(),
        "6".into(),
        "--no-charts".into(),
    ];
    assert_three_shards_merge_to_the_single_run(&command, "sweep-guizhou");
}

#[test]
fn a_merge_writes_the_charts_and_the_report_of_the_single_run() {
    let cwd = tmp();
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    let command = words(&["run", &s(&scenario("guizhou")), "-n", "3", "--format", "png"]);
    single(cwd.path(), &command, &one);
    let files = shards(cwd.path(), &command, 3, &parts, "guizhou");
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    merge(cwd.path(), &inputs, &merged, &["--format", "png"]).expect_code(0);
    let (a, b) = (one.join("guizhou"), merged.join("guizhou"));
    assert_eq!(names_in(&b), names_in(&a), "the same files");
    assert!(names_in(&b).contains(&"report.html".to_string()), "{:?}", names_in(&b));
    assert_eq!(
        names_in(&b.join("charts")),
        names_in(&a.join("charts")),
        "the same charts"
    );
    assert!(!names_in(&b.join("charts")).is_empty(), "charts were drawn");
    for chart in names_in(&b.join("charts")) {
        let len = fs::metadata(b.join("charts").join(&chart)).unwrap().len();
        assert!(len > 1000, "{chart} is {len} bytes");
    }
    for f in [
        "summary.json",
        "summary.md",
        "timeseries.csv",
        "replications.csv",
        "cohorts.csv",
        "scenario.toml",
    ] {
        assert!(
            fs::read(a.join(f)).unwrap() == fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    let report = fs::read_to_string(b.join("report.html")).unwrap();
    assert!(report.contains("<svg"), "the report inlines its charts");
}

#[test]
fn partials_given_in_any_order_or_as_a_folder_merge_to_the_same_bytes() {
    let cwd = tmp();
    let parts = cwd.path().join("parts");
    let f = shards(cwd.path(), &guizhou_run(&[]), 3, &parts, "guizhou");
    let reference = cwd.path().join("in-order");
    merge(cwd.path(), &[&f[0], &f[1], &f[2]], &reference, &["--no-charts"]).expect_code(0);
    let orders: [(&str, Vec<&Path>); 4] = [
        ("3 1 2", vec![&f[2], &f[0], &f[1]]),
        ("2 3 1", vec![&f[1], &f[2], &f[0]]),
        ("3 2 1", vec![&f[2], &f[1], &f[0]]),
        ("the folder", vec![&parts]),
    ];
    for (what, inputs) in orders {
        let out = cwd.path().join(what.replace(' ', "-"));
        merge(cwd.path(), &inputs, &out, &["--no-charts"]).expect_code(0);
        assert_same_outputs(&reference.join("guizhou"), &out.join("guizhou"), what);
    }
}

#[test]
fn a_run_in_one_shard_merges_to_the_single_run() {
    let cwd = tmp();
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    single(cwd.path(), &guizhou_run(&[]), &one);
    let f = shard(cwd.path(), &guizhou_run(&[]), 1, 1, &parts, "guizhou");
    merge(cwd.path(), &[&f], &merged, &["--no-charts"]).expect_code(0);
    assert_same_outputs(
        &one.join("guizhou"),
        &merged.join("guizhou"),
        "1 shard and the single run",
    );
}

#[test]
fn more_shards_than_replications_leave_some_empty_and_still_merge_exactly() {
    let cwd = tmp();
    let command = words(&["run", &s(&scenario("weekly")), "-n", "2", "--no-charts"]);
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    single(cwd.path(), &command, &one);
    shards(cwd.path(), &command, 3, &parts, "weekly");
    merge(cwd.path(), &[&parts], &merged, &["--no-charts"]).expect_code(0);
    assert_same_outputs(
        &one.join("weekly"),
        &merged.join("weekly"),
        "3 shards of 2 replications",
    );
}

/// Expects `merge inputs` to be refused: exit code 2, no panic, nothing on
/// standard output, every fragment of `expected` in the message, and no
/// output folder.
fn assert_merge_refused(cwd: &Path, inputs: &[&Path], expected: &[&str]) -> String {
    let out = cwd.join("merged");
    let o = merge(cwd, inputs, &out, &["--no-charts"]);
    o.expect_code(2);
    assert!(o.stdout.is_empty(), "a refused merge printed: {}", o.stdout_text());
    for e in expected {
        assert!(o.stderr.contains(e), "the message does not say `{e}`:\n{}", o.stderr);
    }
    assert!(!out.exists(), "a refused merge created its output folder");
    o.stderr
}

/// Shards 1/2 of `a` and 2/2 of `b`, both `-n 6`-style commands, written
/// into folders of their own; returns the two files.
fn mixed_pair(cwd: &Path, a: &[String], a_name: &str, b: &[String], b_name: &str) -> (PathBuf, PathBuf) {
    let first = shard(cwd, a, 1, 2, &cwd.join("a"), a_name);
    let second = shard(cwd, b, 2, 2, &cwd.join("b"), b_name);
    (first, second)
}

#[test]
fn partials_of_another_scenario_are_refused_by_name() {
    let cwd = tmp();
    let other = words(&["run", &s(&scenario("weekly")), "-n", "6", "--no-charts"]);
    let (a, b) = mixed_pair(cwd.path(), &guizhou_run(&[]), "guizhou", &other, "weekly");
    assert_merge_refused(
        cwd.path(),
        &[&a, &b],
        &[
            &s(&b),
            &s(&a),
            "does not belong with",
            "its scenario is weekly, not guizhou",
        ],
    );
}

#[test]
fn partials_of_the_same_scenario_with_other_overrides_are_refused() {
    let cwd = tmp();
    let other = guizhou_run(&["--set", "gatekeeper.reviewers=3"]);
    let (a, b) = mixed_pair(cwd.path(), &guizhou_run(&[]), "guizhou", &other, "guizhou");
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "different inputs"]);
}

#[test]
fn partials_of_another_seed_are_refused_by_name() {
    let cwd = tmp();
    let (a, b) = mixed_pair(
        cwd.path(),
        &guizhou_run(&[]),
        "guizhou",
        &guizhou_run(&["--seed", "7"]),
        "guizhou",
    );
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "its seed is 7, not 20211116"]);
}

#[test]
fn partials_of_another_replication_count_are_refused_by_name() {
    let cwd = tmp();
    let mut eight = guizhou_run(&[]);
    eight[3] = "8".into();
    let (a, b) = mixed_pair(cwd.path(), &guizhou_run(&[]), "guizhou", &eight, "guizhou");
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "its replication count is 8, not 6"]);
}

#[test]
fn partials_of_another_command_are_refused_by_name() {
    let cwd = tmp();
    let sweep = words(&[
        "sweep",
        &s(&scenario("guizhou")),
        "--param",
        "gatekeeper.reviewers=1",
        "-n",
        "6",
    ]);
    let (a, b) = mixed_pair(cwd.path(), &guizhou_run(&[]), "guizhou", &sweep, "sweep-guizhou");
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "its command is sweep, not run"]);
}

#[test]
fn partials_of_another_number_of_shards_are_refused_by_name() {
    let cwd = tmp();
    let a = shard(cwd.path(), &guizhou_run(&[]), 1, 2, &cwd.path().join("a"), "guizhou");
    let b = shard(cwd.path(), &guizhou_run(&[]), 2, 3, &cwd.path().join("b"), "guizhou");
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "its number of shards is 3, not 2"]);
}

/// The parts of a partial file: magic and version, header (JSON), the
/// compressed payload; the lengths and the SHA-256 are recomputed by
/// [`assemble`]. The layout is the one documented in src/shard/partial.rs.
fn split(bytes: &[u8]) -> (Vec<u8>, Json, Vec<u8>) {
    let len = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    assert_eq!(&bytes[..16], b"GATESIM-PARTIAL\n");
    let h = len(20);
    let header: Json = serde_json::from_slice(&bytes[28..28 + h]).expect("the header is JSON");
    let p = len(28 + h);
    let payload = bytes[36 + h..36 + h + p].to_vec();
    assert_eq!(bytes.len(), 36 + h + p + 32, "nothing after the checksum");
    (bytes[..20].to_vec(), header, payload)
}

/// A partial file of these parts, with its lengths and a valid SHA-256.
fn assemble(start: &[u8], header: &Json, payload: &[u8]) -> Vec<u8> {
    let head = serde_json::to_vec(header).unwrap();
    let mut out = start.to_vec();
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

#[test]
fn the_test_reassembles_a_partial_to_its_own_bytes() {
    // Guards the tests below that rewrite a partial: splitting and
    // reassembling changes nothing, and the header says what it covers.
    let cwd = tmp();
    let f = shard(cwd.path(), &guizhou_run(&[]), 1, 2, &cwd.path().join("p"), "guizhou");
    let bytes = fs::read(&f).unwrap();
    let (start, header, payload) = split(&bytes);
    let raw = &bytes[28..28 + u64::from_le_bytes(bytes[20..28].try_into().unwrap()) as usize];
    assert_eq!(serde_json::from_slice::<Json>(raw).unwrap(), header);
    let mut again = start.clone();
    again.extend_from_slice(&(raw.len() as u64).to_le_bytes());
    again.extend_from_slice(raw);
    again.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    again.extend_from_slice(&payload);
    again.extend_from_slice(&Sha256::digest(&again));
    assert!(again == bytes, "reassembled bytes differ");
    assert_eq!(header["gatesim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(header["kind"], "run");
    assert_eq!(header["name"], "guizhou");
    assert_eq!(header["shard"].as_u64(), Some(1));
    assert_eq!(header["shards"].as_u64(), Some(2));
    assert_eq!(header["replications"].as_u64(), Some(6));
    assert_eq!(header["first_replication"].as_u64(), Some(0));
    assert_eq!(header["end_replication"].as_u64(), Some(3));
}

#[test]
fn a_partial_of_another_gatesim_version_is_refused_by_name() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 2, &cwd.path().join("p"), "guizhou");
    let (start, mut header, payload) = split(&fs::read(&f[1]).unwrap());
    // Control: the header rewritten unchanged (its keys reordered, the
    // checksum recomputed) still merges, so what refuses below is the version.
    fs::write(&f[1], assemble(&start, &header, &payload)).unwrap();
    merge(
        cwd.path(),
        &[&f[0], &f[1]],
        &cwd.path().join("control"),
        &["--no-charts"],
    )
    .expect_code(0);
    header["gatesim_version"] = "0.0.1".into();
    fs::write(&f[1], assemble(&start, &header, &payload)).unwrap();
    assert_merge_refused(
        cwd.path(),
        &[&f[0], &f[1]],
        &[
            &s(&f[1]),
            &format!("its gatesim version is 0.0.1, not {}", env!("CARGO_PKG_VERSION")),
        ],
    );
}

#[test]
fn a_partial_of_a_later_format_version_is_refused_by_name() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 2, &cwd.path().join("p"), "guizhou");
    let (mut start, header, payload) = split(&fs::read(&f[0]).unwrap());
    start[16..20].copy_from_slice(&3u32.to_le_bytes());
    fs::write(&f[0], assemble(&start, &header, &payload)).unwrap();
    assert_merge_refused(
        cwd.path(),
        &[&f[0], &f[1]],
        &[&s(&f[0]), "partial format version 3, this gatesim reads version 2"],
    );
}

#[test]
fn a_shard_given_twice_is_refused_naming_both_files() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 2, &cwd.path().join("p"), "guizhou");
    let copy = cwd.path().join("copy.partial");
    fs::copy(&f[1], &copy).unwrap();
    assert_merge_refused(
        cwd.path(),
        &[&f[0], &f[1], &copy],
        &[&format!("shard 2/2 given twice: {} and {}", s(&f[1]), s(&copy))],
    );
    // The same file twice, and a folder with one of its files.
    assert_merge_refused(cwd.path(), &[&f[0], &f[1], &f[1]], &["shard 2/2 given twice"]);
    assert_merge_refused(cwd.path(), &[&cwd.path().join("p"), &f[0]], &["shard 1/2 given twice"]);
}

#[test]
fn a_missing_shard_is_refused_with_the_replications_it_holds() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 3, &cwd.path().join("p"), "guizhou");
    assert_merge_refused(cwd.path(), &[&f[0], &f[2]], &["shard 2/3 missing: replications 2 to 3"]);
    assert_merge_refused(cwd.path(), &[&f[1], &f[2]], &["shard 1/3 missing: replications 0 to 1"]);
    assert_merge_refused(cwd.path(), &[&f[0]], &["shard 2/3 missing"]);
}

#[test]
fn a_file_that_is_not_a_partial_is_refused_by_name() {
    let cwd = tmp();
    let f = shard(cwd.path(), &guizhou_run(&[]), 1, 1, &cwd.path().join("p"), "guizhou");
    let toml = scenario("guizhou");
    assert_merge_refused(cwd.path(), &[&f, &toml], &[&s(&toml), "not a gatesim partial result"]);
    let empty = cwd.path().join("empty.partial");
    fs::write(&empty, b"").unwrap();
    assert_merge_refused(cwd.path(), &[&empty], &[&s(&empty), "not a gatesim partial result"]);
    let absent = cwd.path().join("absent.partial");
    assert_merge_refused(cwd.path(), &[&absent], &[&s(&absent)]);
}

#[test]
fn a_truncated_partial_is_refused_by_name() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 2, &cwd.path().join("p"), "guizhou");
    let whole = fs::read(&f[1]).unwrap();
    for cut in [18, 24, 100, whole.len() / 2, whole.len() - 1] {
        fs::write(&f[1], &whole[..cut]).unwrap();
        let e = assert_merge_refused(cwd.path(), &[&f[0], &f[1]], &[&s(&f[1]), "truncated"]);
        assert!(e.contains("the file ends before its"), "cut at {cut}: {e}");
    }
}

#[test]
fn a_corrupted_byte_is_caught_by_the_checksum() {
    let cwd = tmp();
    let f = shards(cwd.path(), &guizhou_run(&[]), 2, &cwd.path().join("p"), "guizhou");
    let whole = fs::read(&f[0]).unwrap();
    let (_, header, _) = split(&whole);
    let header_len = serde_json::to_vec(&header).unwrap().len();
    // A byte of the header, of the payload, and of the checksum itself.
    for at in [40, 28 + header_len + 8 + 100, whole.len() / 2, whole.len() - 1] {
        let mut bad = whole.clone();
        bad[at] ^= 0x10;
        fs::write(&f[0], &bad).unwrap();
        assert_merge_refused(
            cwd.path(),
            &[&f[0], &f[1]],
            &[&s(&f[0]), "corrupted: its SHA-256 checksum does not match"],
        );
    }
}

#[test]
fn a_payload_that_does_not_decompress_is_refused_by_name() {
    // A valid checksum over garbage: the decoder, not the checksum, refuses.
    let cwd = tmp();
    let f = shard(cwd.path(), &guizhou_run(&[]), 1, 1, &cwd.path().join("p"), "guizhou");
    let (start, header, payload) = split(&fs::read(&f).unwrap());
    fs::write(&f, assemble(&start, &header, &vec![0xff; payload.len().min(64)])).unwrap();
    assert_merge_refused(cwd.path(), &[&f], &[&s(&f), "its results cannot be decompressed"]);
}

#[test]
fn an_empty_folder_is_refused_by_name() {
    let cwd = tmp();
    let empty = cwd.path().join("nothing here");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("notes.txt"), "not a partial").unwrap();
    assert_merge_refused(
        cwd.path(),
        &[&empty],
        &[&s(&empty), "no *.partial files in this folder"],
    );
}

/// Expects `command` (which names `--out out`) to be refused with exit
/// code 2, each fragment of `expected`, and nothing written into `out`.
fn assert_command_refused(cwd: &Path, command: &[String], out: &Path, expected: &[&str]) {
    let o = gatesim(cwd, command);
    o.expect_code(2);
    for e in expected {
        assert!(
            o.stderr.contains(e),
            "`{}` does not say `{e}`:\n{}",
            command.join(" "),
            o.stderr
        );
    }
    assert!(
        absent_or_empty(out),
        "`{}` wrote into {}",
        command.join(" "),
        out.display()
    );
}

#[test]
fn precision_cannot_be_sharded() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let command = args(&guizhou_run(&["--precision", "0.05", "--shard", "1/2"]), &out, &[]);
    assert_command_refused(cwd.path(), &command, &out, &["--precision cannot be sharded"]);
}

#[test]
fn a_malformed_shard_is_refused_before_anything_runs() {
    let cwd = tmp();
    let out = cwd.path().join("out");
    let cases = [
        ("0/3", "the shard must be from 1 to 3, got 0"),
        ("4/3", "the shard must be from 1 to 3, got 4"),
        ("1/0", "the number of shards must be from 1"),
        ("3", "expected K/N"),
        ("a/b", "K in `a/b` is not a whole number"),
        ("1/b", "N in `1/b` is not a whole number"),
        ("", "expected K/N"),
    ];
    let commands = [
        guizhou_run(&[]),
        words(&["compare", &s(&scenario("weekly")), &s(&scenario("blocked")), "-n", "2"]),
        words(&[
            "sweep",
            &s(&scenario("guizhou")),
            "--param",
            "gatekeeper.reviewers=1,2",
            "-n",
            "2",
        ]),
        guizhou_sensitivity("tornado", &[]),
    ];
    for command in &commands {
        for (k_of_n, says) in cases {
            let c = args(command, &out, &["--shard", k_of_n]);
            assert_command_refused(cwd.path(), &c, &out, &[&format!("'{k_of_n}' for '--shard"), says]);
        }
    }
}

/// `sensitivity guizhou` by `method` over two churn keys given with
/// `--vary`, 2 replications per point, no charts, then `extra`.
fn guizhou_sensitivity(method: &str, extra: &[&str]) -> Vec<String> {
    let mut c = words(&[
        "sensitivity",
        &s(&scenario("guizhou")),
        "--method",
        method,
        "-n",
        "2",
        "--vary",
        "users.churn_per_stale_day=0.001:0.02",
        "--vary",
        "users.churn_per_open_defect=0.0005:0.01",
        "--no-charts",
    ]);
    c.extend(extra.iter().map(|x| x.to_string()));
    c
}

#[test]
fn three_shards_of_a_sensitivity_analysis_merged_equal_the_single_analysis_byte_for_byte() {
    // A tornado over two keys has 5 design points: the shards run 1, 2 and 2.
    assert_three_shards_merge_to_the_single_run(&guizhou_sensitivity("tornado", &[]), "sensitivity-guizhou-tornado");
}

#[test]
fn sensitivity_shards_with_a_contrast_merged_in_any_order_equal_the_single_analysis() {
    let cwd = tmp();
    let command = guizhou_sensitivity(
        "morris",
        &[
            "--samples",
            "2",
            "--against",
            "platforms[0].class=blocked",
            "--label",
            "blocked",
        ],
    );
    let name = "sensitivity-guizhou-morris+against+platforms_0_.class=blocked";
    let (one, parts) = (cwd.path().join("one"), cwd.path().join("parts"));
    single(cwd.path(), &command, &one);
    assert_eq!(
        names_in(&one.join(name)),
        [
            "design.csv",
            "report.html",
            "scenario.toml",
            "sensitivity.csv",
            "sensitivity.json",
            "sensitivity.md"
        ],
        "the files compared"
    );
    let f = shards(cwd.path(), &command, 3, &parts, name);
    let orders: [(&str, Vec<&Path>); 3] = [
        ("3 1 2", vec![&f[2], &f[0], &f[1]]),
        ("2 3 1", vec![&f[1], &f[2], &f[0]]),
        ("the folder", vec![&parts]),
    ];
    for (what, inputs) in orders {
        let out = cwd.path().join(what.replace(' ', "-"));
        merge(cwd.path(), &inputs, &out, &["--no-charts"]).expect_code(0);
        assert_same_outputs(&one.join(name), &out.join(name), what);
    }
}

#[test]
fn more_sensitivity_shards_than_design_points_leave_some_empty_and_still_merge_exactly() {
    let cwd = tmp();
    let command = guizhou_sensitivity("tornado", &[]);
    let name = "sensitivity-guizhou-tornado";
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    single(cwd.path(), &command, &one);
    // 5 design points in 7 shards: shards 1 and 4 run none.
    shards(cwd.path(), &command, 7, &parts, name);
    merge(cwd.path(), &[&parts], &merged, &["--no-charts"]).expect_code(0);
    assert_same_outputs(&one.join(name), &merged.join(name), "7 shards of 5 points");
}

#[test]
fn a_missing_sensitivity_shard_is_refused_with_the_design_points_it_holds() {
    let cwd = tmp();
    let command = guizhou_sensitivity("tornado", &[]);
    let f = shards(
        cwd.path(),
        &command,
        3,
        &cwd.path().join("p"),
        "sensitivity-guizhou-tornado",
    );
    assert_merge_refused(cwd.path(), &[&f[0], &f[2]], &["shard 2/3 missing: points 1 to 2"]);
    assert_merge_refused(cwd.path(), &[&f[2], &f[1]], &["shard 1/3 missing: points 0 to 0"]);
}

#[test]
fn a_sensitivity_shard_and_a_run_shard_do_not_merge() {
    let cwd = tmp();
    let a = shard(
        cwd.path(),
        &guizhou_sensitivity("tornado", &[]),
        1,
        2,
        &cwd.path().join("a"),
        "sensitivity-guizhou-tornado",
    );
    let b = shard(cwd.path(), &guizhou_run(&[]), 2, 2, &cwd.path().join("b"), "guizhou");
    assert_merge_refused(cwd.path(), &[&a, &b], &[&s(&b), "its command is run, not sensitivity"]);
}

#[test]
fn a_sensitivity_shard_says_which_design_points_it_ran() {
    let cwd = tmp();
    let out = cwd.path().join("p");
    let mut command = args(&guizhou_sensitivity("tornado", &[]), &out, &["--shard", "2/3"]);
    command.retain(|a| a != "-q");
    let o = gatesim(cwd.path(), &command);
    o.expect_code(0);
    let text = o.stdout_text();
    assert!(
        text.contains("shard 2/3 of sensitivity-guizhou-tornado: design points 1 to 2 of 5"),
        "{text}"
    );
    assert_eq!(names_in(&out), ["sensitivity-guizhou-tornado.shard-2-of-3.partial"]);
}

#[test]
fn a_shard_says_which_replications_it_ran_and_where_its_partial_is() {
    let cwd = tmp();
    let out = cwd.path().join("p");
    let mut command = args(&guizhou_run(&[]), &out, &["--shard", "2/3"]);
    command.retain(|a| a != "-q");
    let o = gatesim(cwd.path(), &command);
    o.expect_code(0);
    let text = o.stdout_text();
    let file = out.join("guizhou.shard-2-of-3.partial");
    assert!(
        text.contains("shard 2/3 of guizhou: replications 2 to 3 of 6") && text.contains(&s(&file)),
        "{text}"
    );
    assert_eq!(names_in(&out), ["guizhou.shard-2-of-3.partial"]);
}

/// `run host-scale` made small (the same populations with a few thousand
/// members, five reviewers, 60 days), a member watched.
fn small_ecosystem_run() -> Vec<String> {
    let mut c = vec![
        "run".to_string(),
        s(&scenario("host-scale")),
        "-n".into(),
        "6".into(),
        "--no-charts".into(),
        "--member".into(),
        "monthly#3".into(),
        "--name".into(),
        "small-ecosystem".into(),
    ];
    for set in [
        "populations.monthly.count=2000",
        "populations.quarterly.count=3000",
        "populations.rarely.count=3000",
        "populations.regulated.count=100",
        "gatekeeper.reviewers=5",
        "simulation.horizon_days=60",
        "simulation.warmup_days=10",
    ] {
        c.extend(["--set".to_string(), set.to_string()]);
    }
    c
}

#[test]
fn three_shards_of_a_run_with_populations_merged_equal_the_single_run_byte_for_byte() {
    let cwd = tmp();
    let (one, parts, merged) = (
        cwd.path().join("one"),
        cwd.path().join("parts"),
        cwd.path().join("merged"),
    );
    let command = small_ecosystem_run();
    single(cwd.path(), &command, &one);
    // Partial results are named for the scenario, the merged folder as asked.
    let files = shards(cwd.path(), &command, 3, &parts, "host-scale");
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    merge(
        cwd.path(),
        &inputs,
        &merged,
        &["--no-charts", "--name", "small-ecosystem"],
    )
    .expect_code(0);
    assert_same_outputs(
        &one.join("small-ecosystem"),
        &merged.join("small-ecosystem"),
        "3 shards merged and the single run",
    );
}

#[test]
fn a_run_with_populations_is_byte_identical_on_one_and_two_threads() {
    let cwd = tmp();
    let (a, b) = (cwd.path().join("a"), cwd.path().join("b"));
    gatesim(cwd.path(), &args(&small_ecosystem_run(), &a, &["-j", "1"])).expect_code(0);
    gatesim(cwd.path(), &args(&small_ecosystem_run(), &b, &["-j", "2"])).expect_code(0);
    let series = fs::read_to_string(a.join("small-ecosystem/timeseries.csv")).unwrap();
    assert!(series.contains(",monthly#3,staleness_days,") && series.contains(",monthly,daily_submissions,"));
    assert_same_outputs(&a.join("small-ecosystem"), &b.join("small-ecosystem"), "-j 1 and -j 2");
}
