//! The `console` blocks of a Markdown file as examples to run: each line
//! `$ gatesim ARGS` is a command, an optional line `? N` under it the exit
//! code expected (0 when absent), and the lines up to the next command or
//! the block's end what it prints, standard output and standard error
//! together as a terminal shows them. In what is shown, `[..]` stands for
//! any text within a line and a line `...` for any number of lines;
//! trailing blank lines are not compared.

use std::io::Read;
use std::path::Path;
use std::process::Command;

/// One command of a `console` block.
#[derive(Debug)]
pub struct Example {
    /// The 1-based line of its `$` line in the file.
    pub line: usize,
    /// The words after `$ gatesim`.
    pub args: Vec<String>,
    /// The exit code shown (`? N`), 0 when none is.
    pub status: i32,
    /// The output lines shown.
    pub shown: Vec<String>,
    /// The file's lines (0-based, end exclusive) that hold the output
    /// shown, for rewriting them.
    pub output_lines: std::ops::Range<usize>,
}

/// The examples of `text`'s `console` blocks, in order; an error names the
/// line of a command that cannot be split or does not run gatesim.
pub fn examples(text: &str) -> Result<Vec<Example>, String> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_console = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t.trim_start().starts_with("```") {
            if in_console && let Some(last) = out.last_mut() {
                last.output_lines.end = last.output_lines.end.min(i);
            }
            in_console = !in_console && t.trim_start() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = t.strip_prefix("$ ") {
            let words = shlex::split(command).ok_or(format!("line {}: cannot split `{command}`", i + 1))?;
            let Some(("gatesim", args)) = words.split_first().map(|(a, b)| (a.as_str(), b)) else {
                return Err(format!("line {}: `{command}` does not run gatesim", i + 1));
            };
            out.push(Example {
                line: i + 1,
                args: args.to_vec(),
                status: 0,
                shown: Vec::new(),
                output_lines: i + 1..usize::MAX,
            });
            continue;
        }
        let Some(last) = out.last_mut() else {
            return Err(format!("line {}: output before any `$ gatesim` command", i + 1));
        };
        if last.shown.is_empty()
            && last.output_lines.start == i
            && let Some(code) = t.strip_prefix("? ")
        {
            last.status = code
                .trim()
                .parse()
                .map_err(|_| format!("line {}: `? {code}` is not an exit code", i + 1))?;
            last.output_lines.start = i + 1;
            continue;
        }
        last.shown.push(t.to_string());
        last.output_lines.end = i + 1;
    }
    for e in &mut out {
        if e.output_lines.end == usize::MAX {
            e.output_lines.end = e.output_lines.start;
        }
        while e.shown.last().is_some_and(|l| l.is_empty()) {
            e.shown.pop();
        }
    }
    Ok(out)
}

/// Runs `bin` with `args` in `dir`, its standard output and standard error
/// into one pipe (so their lines interleave as a terminal shows them);
/// returns its exit code and what it printed.
pub fn run(bin: &Path, dir: &Path, args: &[String]) -> (i32, String) {
    let (mut reader, writer) = std::io::pipe().expect("a pipe");
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(writer.try_clone().expect("a pipe's copy"))
        .stderr(writer)
        .spawn()
        .expect("gatesim starts");
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).expect("its output");
    let status = child.wait().expect("gatesim ends");
    let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    (status.code().unwrap_or(-1), text)
}

/// Whether the lines `actual` are what `shown` shows (`...` any lines,
/// `[..]` any text within a line), trailing blank lines aside.
pub fn matches(shown: &[String], actual: &str) -> bool {
    lines_match(shown, &printed_lines(actual))
}

/// The lines of `printed`, trailing spaces and trailing blank lines cut.
pub fn printed_lines(printed: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn lines_match(shown: &[String], actual: &[&str]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..])),
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| line_matches(first, a) && lines_match(rest, more)),
    }
}

/// Whether line `actual` is what `shown` shows, each `[..]` any text.
fn line_matches(shown: &str, actual: &str) -> bool {
    let parts: Vec<&str> = shown.split("[..]").collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return shown == actual;
    };
    if !actual.starts_with(first) || actual.len() < first.len() + last.len() || !actual.ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn a_wildcard_stands_for_any_text_within_a_line_and_dots_for_any_lines() {
    let shown = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a [..] c", "..."]), "a b c\nmore\nlines\n"));
    assert!(matches(&shown(&["a [..] c"]), "a  c\n\n"));
    assert!(matches(&shown(&["x", "...", "z"]), "x\nz"));
    assert!(matches(&shown(&["[..]b[..]b"]), "abab"));
    assert!(!matches(&shown(&["a [..] c"]), "a b d"));
    assert!(!matches(&shown(&["x", "z"]), "x\ny\nz"));
    assert!(!matches(&shown(&["[..]ab[..]ba"]), "aba"));
    assert!(!matches(&shown(&["x"]), "x\ny"));
}

#[test]
fn a_block_gives_each_command_its_exit_code_and_its_lines() {
    let text = "text\n```console\n$ gatesim check 'a b.toml'\n? 2\nerror: x\n\n$ gatesim run s.toml\nok\n```\n$ gatesim not-in-a-block\n";
    let ex = examples(text).unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!((ex[0].line, ex[0].status), (3, 2));
    assert_eq!(ex[0].args, ["check", "a b.toml"]);
    assert_eq!(ex[0].shown, ["error: x"]);
    assert_eq!(ex[0].output_lines, 4..6);
    assert_eq!(
        (ex[1].status, ex[1].shown.as_slice()),
        (0, ["ok".to_string()].as_slice())
    );
    assert_eq!(ex[1].output_lines, 7..8);
    assert!(examples("```console\n$ ls\n```\n").unwrap_err().contains("line 2"));
}
