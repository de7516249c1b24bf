//! The hostile-input corpus: every malformed input under `tests/corpus/`
//! is given to the real `gatesim` binary, which must refuse it with exit
//! code 2 within a few seconds, naming the file and the key path or line
//! (the case's expected fragments), never panicking and never writing an
//! output.
//!
//! Each folder of `tests/corpus/` holding a `commands.txt` is a kind of
//! input: every other file in it is a case, run with each command of
//! `commands.txt` (`{file}` is the case, `{out}` a fresh output folder,
//! `{valid}` the corpus' valid scenario).
//! A case's expected fragments are its first lines `# expect: FRAGMENT`, or
//! the lines of a sidecar file `CASE.expect` for inputs that cannot hold a
//! comment (empty, binary, not UTF-8). `tests/corpus/cli.txt` holds the
//! command-line cases, one per line: `ARGUMENTS ==> FRAGMENT`. Inputs too
//! big to commit (a 50 MB file, deep nesting) are made here in a temporary
//! folder. `tests/corpus/pending/` holds reproducers not run here.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gatesim");
/// How long a refusal may take: a guard against hangs, generous for a
/// loaded machine; a refusal normally takes milliseconds.
const LIMIT: Duration = Duration::from_secs(20);

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn corpus() -> PathBuf {
    repository().join("tests/corpus")
}

/// What one invocation did.
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    timed_out: bool,
}

/// Runs gatesim with `args` in `cwd`, killing it past [`LIMIT`].
fn gatesim(cwd: &Path, args: &[String]) -> Outcome {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gatesim binary runs");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Outcome {
        code: status.code(),
        stdout: String::from_utf8_lossy(&reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        timed_out,
    }
}

/// Splits a line into words as a shell would, for single and double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                started = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if started || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Nothing under `dir`, or `dir` absent.
fn empty_or_absent(dir: &Path) -> bool {
    fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

/// Checks one refusal; returns what is wrong with it, if anything.
fn judge(what: &str, o: &Outcome, file: Option<&str>, expected: &[String], out: &Path, cwd: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    let mut fail = |m: String| bad.push(format!("{what}: {m}\n    stderr: {}", o.stderr.trim_end()));
    if o.timed_out {
        fail(format!("still running after {LIMIT:?}"));
    }
    if o.stderr.contains("panicked") || o.code == Some(101) {
        fail("panicked".into());
    }
    if o.code != Some(2) {
        fail(format!("exit code {:?}, expected 2", o.code));
    }
    if let Some(f) = file
        && !o.stderr.contains(f)
    {
        fail(format!("the message does not name the file {f}"));
    }
    for e in expected {
        if !o.stderr.contains(e.as_str()) {
            fail(format!("the message does not say `{e}`"));
        }
    }
    if !o.stdout.is_empty() {
        fail(format!("printed to standard output: {}", o.stdout.trim_end()));
    }
    if !empty_or_absent(out) {
        fail("wrote into its output folder".into());
    }
    let left: Vec<_> = fs::read_dir(cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "out" && n != "exists.txt" && n != "dir")
        .collect();
    if !left.is_empty() {
        fail(format!("left files in its working folder: {left:?}"));
    }
    bad
}

/// The expected fragments of a case: `# expect:` lines at its top, or its
/// sidecar `.expect` file.
fn expectations(case: &Path) -> Vec<String> {
    let mut sidecar = case.as_os_str().to_owned();
    sidecar.push(".expect");
    if let Ok(text) = fs::read_to_string(&sidecar) {
        return text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
    }
    let bytes = fs::read(case).unwrap();
    String::from_utf8_lossy(&bytes)
        .lines()
        .map_while(|l| l.strip_prefix("# expect:"))
        .map(|e| e.trim().to_string())
        .collect()
}

/// The commands of a kind's folder, as word lists with placeholders.
fn commands(kind: &Path) -> Vec<Vec<String>> {
    fs::read_to_string(kind.join("commands.txt"))
        .expect("every kind has its commands.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(words)
        .collect()
}

/// Runs every command of `kind` on `case` and returns every failure.
fn check_case(case: &Path, expected: &[String], commands: &[Vec<String>]) -> Vec<String> {
    let mut bad = Vec::new();
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    if expected.is_empty() {
        bad.push(format!("{name}: no `# expect:` line and no .expect file"));
        return bad;
    }
    for cmd in commands {
        let cwd = tempfile::tempdir().unwrap();
        let out = cwd.path().join("out");
        let args: Vec<String> = cmd
            .iter()
            .map(|w| {
                w.replace("{file}", &case.to_string_lossy())
                    .replace("{out}", &out.to_string_lossy())
                    .replace("{valid}", &corpus().join("valid.toml").to_string_lossy())
            })
            .collect();
        let o = gatesim(cwd.path(), &args);
        bad.extend(judge(
            &format!("{name} ({})", cmd[0]),
            &o,
            Some(&name),
            expected,
            &out,
            cwd.path(),
        ));
    }
    bad
}

fn report(bad: &[String]) {
    assert!(bad.is_empty(), "{} failures:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn every_malformed_input_in_the_corpus_is_refused_cleanly() {
    let mut bad = Vec::new();
    let mut cases = 0;
    let mut kinds: Vec<PathBuf> = fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("commands.txt").is_file())
        .collect();
    kinds.sort();
    assert!(!kinds.is_empty(), "no kind of input found under tests/corpus");
    for kind in &kinds {
        let cmds = commands(kind);
        let mut files: Vec<PathBuf> = fs::read_dir(kind)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n != "commands.txt" && !n.ends_with(".expect")
            })
            .collect();
        files.sort();
        for f in &files {
            cases += 1;
            bad.extend(check_case(f, &expectations(f), &cmds));
        }
    }
    let scenarios = fs::read_dir(corpus().join("scenarios"))
        .unwrap()
        .filter(|e| {
            let n = e.as_ref().unwrap().file_name().to_string_lossy().into_owned();
            n != "commands.txt" && !n.ends_with(".expect")
        })
        .count();
    assert!(scenarios >= 80, "the scenario corpus shrank to {scenarios} files");
    println!("{cases} corpus cases checked");
    report(&bad);
}

#[test]
fn inputs_too_big_to_commit_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let cmds = commands(&corpus().join("scenarios"));
    let valid = fs::read_to_string(corpus().join("valid.toml")).unwrap();
    let mut cases: Vec<(&str, Vec<u8>, Vec<&str>)> = Vec::new();
    // 50 MB: refused before it is read in full.
    let mut big = valid.clone().into_bytes();
    big.extend(std::iter::repeat_n(b'#', 50 << 20));
    cases.push(("fifty_megabytes.toml", big, vec!["larger than 16 MB"]));
    // Just under the cap: parsed, and refused at its first unknown key.
    let mut many = valid.clone();
    let mut i = 0;
    while many.len() < 15 << 20 {
        many.push_str(&format!("\n[unknown_{i}]\nkey = 1"));
        i += 1;
    }
    cases.push(("fifteen_megabytes_of_tables.toml", many.into_bytes(), vec!["unknown_0"]));
    let nest = |open: &str, inner: &str, close: &str, depth: usize| {
        format!("{}{}{}\n", open.repeat(depth), inner, close.repeat(depth))
    };
    for (name, depth) in [("nested_arrays_10k.toml", 10_000), ("nested_arrays_1m.toml", 1_000_000)] {
        let text = format!("description = {}", nest("[", "", "]", depth));
        cases.push((name, text.into_bytes(), vec!["nested too deeply", "line 1"]));
    }
    let tables = format!("description = {}", nest("{ a = ", "1", " }", 10_000));
    cases.push((
        "nested_tables_10k.toml",
        tables.into_bytes(),
        vec!["nested too deeply", "line 1"],
    ));
    let dotted = format!("{} = 1\n", vec!["a"; 100_000].join("."));
    cases.push(("dotted_key_100k.toml", dotted.into_bytes(), vec!["nested too deeply"]));
    let headers = format!("[{}]\n", vec!["a"; 100_000].join("."));
    cases.push((
        "table_header_100k.toml",
        headers.into_bytes(),
        vec!["nested too deeply"],
    ));
    let long_line = format!("name = \"{}\"\n{valid}", "x".repeat(10 << 20));
    cases.push(("ten_megabyte_line.toml", long_line.into_bytes(), vec!["duplicate key"]));
    let mut bad = Vec::new();
    for (name, bytes, expected) in &cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        bad.extend(check_case(&path, &expected, &cmds));
        fs::remove_file(&path).unwrap();
    }
    report(&bad);
}

#[test]
fn every_malformed_command_line_in_the_corpus_is_refused_cleanly() {
    let table = fs::read_to_string(corpus().join("cli.txt")).unwrap();
    let mut bad = Vec::new();
    let mut n = 0;
    for (i, line) in table.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((args, fragment)) = line.split_once(" ==> ") else {
            bad.push(format!("cli.txt line {}: no ` ==> `", i + 1));
            continue;
        };
        n += 1;
        let cwd = tempfile::tempdir().unwrap();
        let out = cwd.path().join("out");
        let file = cwd.path().join("exists.txt");
        fs::write(&file, b"a file").unwrap();
        let folder = cwd.path().join("dir");
        fs::create_dir(&folder).unwrap();
        let s = |p: &Path| p.to_string_lossy().into_owned();
        let args: Vec<String> = words(args)
            .into_iter()
            .map(|w| {
                w.replace("{valid60}", &s(&corpus().join("valid60.toml")))
                    .replace("{valid}", &s(&corpus().join("valid.toml")))
                    .replace("{out}", &s(&out))
                    .replace("{file}", &s(&file))
                    .replace("{dir}", &s(&folder))
                    .replace("{log}", &s(&repository().join("scenarios/data/review_log.csv")))
            })
            .collect();
        let o = gatesim(cwd.path(), &args);
        bad.extend(judge(
            &format!("cli.txt line {}: {args:?}", i + 1),
            &o,
            None,
            &[fragment.trim().to_string()],
            &out,
            cwd.path(),
        ));
        if fs::read(&file).unwrap() != b"a file" || !empty_or_absent(&folder) {
            bad.push(format!("cli.txt line {}: changed an existing file or folder", i + 1));
        }
    }
    assert!(n >= 60, "the command-line corpus shrank to {n} cases");
    report(&bad);
}

#[test]
fn a_deeply_nested_set_value_is_refused_cleanly() {
    let cwd = tempfile::tempdir().unwrap();
    let out = cwd.path().join("out");
    let deep = format!("gatekeeper.reviewers={}{}", "[".repeat(10_000), "]".repeat(10_000));
    let valid = corpus().join("valid.toml").to_string_lossy().into_owned();
    for cmd in ["check", "run"] {
        let mut args = vec![cmd.to_string(), valid.clone(), "--set".into(), deep.clone()];
        if cmd == "run" {
            args.extend(["--out".into(), out.to_string_lossy().into_owned()]);
        }
        let o = gatesim(cwd.path(), &args);
        let expected = ["gatekeeper.reviewers".into(), "nested too deeply".into()];
        report(&judge(cmd, &o, Some("valid.toml"), &expected, &out, cwd.path()));
    }
}

/// Every CSV cell of `text` that a spreadsheet would run as a formula: one
/// that begins with `=`, `+`, `-`, `@`, a tab or a carriage return and is
/// not a plain number.
fn formula_cells(text: &str) -> Vec<String> {
    let plain = |c: &str| {
        let body = c.strip_prefix(['+', '-']).unwrap_or(c);
        !body.is_empty()
            && body.parse::<f64>().is_ok_and(f64::is_finite)
            && body.bytes().all(|b| b.is_ascii_digit() || b".eE+-".contains(&b))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut bad = Vec::new();
    for record in reader.records() {
        for cell in record.expect("gatesim writes valid CSV").iter() {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain(cell) {
                bad.push(cell.to_string());
            }
        }
    }
    bad
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Names from other people's files are untrusted: a scenario and a review
/// log whose platform and class names are formulas (`=HYPERLINK(...)`,
/// `+cmd|...`, `@SUM(...)`, `-2+3...`, a leading tab) and markup
/// (`<script>`) go through every command that writes CSV, HTML or SVG.
/// No CSV cell may start a formula (each name is there, neutralised by a
/// leading single quote), and no page or chart may hold the markup
/// unescaped.
#[test]
fn hostile_names_reach_no_csv_cell_as_a_formula_and_stay_escaped_in_html_and_svg() {
    let cwd = tempfile::tempdir().unwrap();
    let out = cwd.path().join("out");
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let scenario = s(&corpus().join("names/hostile.toml"));
    // A comparison tells its scenarios apart by name: the same platforms
    // under a name of their own.
    let text = fs::read_to_string(corpus().join("names/hostile.toml")).unwrap();
    let twin = s(&cwd.path().join("twin.toml"));
    fs::write(&twin, text.replacen("name = \"hostile\"", "name = \"twin\"", 1)).unwrap();
    let log = s(&corpus().join("names/hostile_log.csv"));
    let trace = s(&cwd.path().join("trace.csv"));
    let drawn = s(&cwd.path().join("drawn_log.csv"));
    let o = s(&out);
    let runs: Vec<Vec<String>> = [
        vec!["run", &scenario, "-n", "2", "--out", &o],
        vec!["compare", &scenario, &twin, "-n", "2", "--out", &o],
        vec![
            "sweep",
            &scenario,
            "--param",
            "gatekeeper.reviewers=2,3",
            "-n",
            "2",
            "--out",
            &o,
        ],
        vec!["sensitivity", &scenario, "--method", "tornado", "-n", "1", "--out", &o],
        vec!["trace", &scenario, "--out", &trace],
        vec!["trace", &scenario, "--format", "log", "--out", &drawn],
        vec![
            "fit", "reviews", &drawn, "--until", "960", "--out", &o, "--name", "drawn",
        ],
        vec!["fit", "reviews", &log, "--out", &o, "--name", "by-platform"],
        vec![
            "fit", "reviews", &log, "--by", "class", "--out", &o, "--name", "by-class",
        ],
    ]
    .iter()
    .map(|v| v.iter().map(|w| w.to_string()).collect())
    .collect();
    let mut bad = Vec::new();
    for args in &runs {
        let r = gatesim(cwd.path(), args);
        if r.code != Some(0) || r.timed_out {
            bad.push(format!("{args:?}: exit {:?}\n{}", r.code, r.stderr));
        }
    }
    let mut files = files_under(&out);
    files.push(cwd.path().join("trace.csv"));
    files.push(cwd.path().join("drawn_log.csv"));
    let mut seen_csv = 0;
    let mut all_csv = String::new();
    for f in &files {
        let name = f.display().to_string();
        match f.extension().and_then(|e| e.to_str()) {
            Some("csv") => {
                seen_csv += 1;
                let text = fs::read_to_string(f).unwrap();
                for cell in formula_cells(&text) {
                    bad.push(format!("{name}: the cell {cell:?} starts a formula"));
                }
                all_csv.push_str(&text);
            }
            Some("html" | "svg") => {
                let text = fs::read_to_string(f).unwrap();
                if text.contains("<script>alert") {
                    bad.push(format!("{name}: a name's markup is not escaped"));
                }
            }
            _ => {}
        }
    }
    if seen_csv < 12 {
        bad.push(format!("only {seen_csv} CSV files were written"));
    }
    for neutralised in [
        "'=HYPERLINK(\"\"http://x\"\"",
        "'+cmd|' /C calc'!A0",
        "'-2+3<script>",
        "'@SUM(1+1)",
        "'=1+1",
    ] {
        if !all_csv.contains(neutralised) {
            bad.push(format!("no CSV holds the neutralised name {neutralised}"));
        }
    }
    let page = fs::read_to_string(out.join("by-platform/report.html")).unwrap();
    if !page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") {
        bad.push("report.html does not show the escaped name".into());
    }
    report(&bad);
}
