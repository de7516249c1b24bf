//! The documentation's examples are tests: every `console` block of the
//! book (`docs/src/`), of the README and of the book's checked copies
//! (`docs/checked/`, the long runs with fewer replications) is run and
//! must print what it shows (`[..]` any text within a line, `...` any
//! lines; see `console`); every other command line shown in a `sh` block
//! must parse. `GATESIM_DOCS=overwrite` rewrites the blocks from the
//! program's output.

mod console;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown files of the book (generated references aside) and the README.
fn markdown_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "md") {
                out.push(p);
            }
        }
    }
    let mut out = vec![root().join("README.md")];
    walk(&root().join("docs/src"), &mut out);
    walk(&root().join("docs/checked"), &mut out);
    out
}

/// A fresh folder that sees the repository's files as its own (links to
/// each, `output/` and `target/` aside), so that the examples run as from
/// the repository's root and write their outputs elsewhere.
#[cfg(unix)]
fn sandbox() -> (Option<tempfile::TempDir>, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name != "output" && name != "target" {
            std::os::unix::fs::symlink(&path, dir.path().join(name)).unwrap();
        }
    }
    let path = dir.path().to_path_buf();
    (Some(dir), path)
}

/// Where links need privileges, the repository's root itself (outputs
/// under its `output/`).
#[cfg(not(unix))]
fn sandbox() -> (Option<tempfile::TempDir>, PathBuf) {
    (None, root())
}

#[test]
fn every_example_in_the_docs_prints_what_it_shows() {
    let bin = Path::new(env!("CARGO_BIN_EXE_gatesim"));
    let overwrite = std::env::var("GATESIM_DOCS").is_ok_and(|v| v == "overwrite");
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let shown_as = file.strip_prefix(root()).unwrap_or(&file).display().to_string();
        let examples = console::examples(&text).unwrap_or_else(|e| panic!("{shown_as}: {e}"));
        if examples.is_empty() {
            continue;
        }
        // The commands of one file share a folder: later ones may read
        // what earlier ones wrote (shards, then their merge).
        let (_guard, dir) = sandbox();
        let mut edits = Vec::new();
        for ex in &examples {
            ran += 1;
            let (status, printed) = console::run(bin, &dir, &ex.args);
            if status == ex.status && console::matches(&ex.shown, &printed) {
                continue;
            }
            failures.push(format!(
                "{shown_as}:{}: gatesim {}\n--- shown (exit {})\n{}\n--- printed (exit {status})\n{printed}",
                ex.line,
                ex.args.join(" "),
                ex.status,
                ex.shown.join("\n"),
            ));
            edits.push((ex.output_lines.clone(), status, printed));
        }
        if overwrite && !edits.is_empty() {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (range, status, printed) in edits.into_iter().rev() {
                let blank_after = range.end > range.start && lines[range.end - 1].is_empty();
                // The exit code's line, if shown, is rewritten too.
                let start = range.start - usize::from(lines[range.start - 1].starts_with("? "));
                let mut new: Vec<String> = (status != 0).then(|| format!("? {status}")).into_iter().collect();
                new.extend(console::printed_lines(&printed).into_iter().map(str::to_string));
                if blank_after {
                    new.push(String::new());
                }
                lines.splice(start..range.end, new);
            }
            std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        }
    }
    assert!(ran > 10, "only {ran} examples found");
    assert!(
        failures.is_empty(),
        "{} examples print something else:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The command lines of `sh` blocks (and, with `inline`, of inline code
/// spans): lines starting with `gatesim ` or `cargo run --release -- `,
/// joined with their `\` continuations, comments and redirections cut;
/// those naming a placeholder (an upper-case word such as SCENARIO.toml or
/// K/N, `[--flag]` options, `...`, `$k`) are synopses, not examples.
fn shown_command_lines(text: &str, inline: bool) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            pending.clear();
            continue;
        }
        if !in_sh {
            if inline {
                lines.extend(line.split('`').skip(1).step_by(2).map(str::to_string));
            }
            continue;
        }
        let code = t.split(" #").next().unwrap_or("").trim();
        let joined = format!("{pending}{}", code.trim_end_matches('\\'));
        if code.ends_with('\\') {
            pending = format!("{joined} ");
            continue;
        }
        pending.clear();
        lines.push(joined);
    }
    lines.iter().filter_map(|l| example(l)).collect()
}

/// The words after `gatesim` of command line `line`, if it is an example.
fn example(line: &str) -> Option<Vec<String>> {
    let line = line.split(" > ").next()?.split(" | ").next()?;
    let rest = line
        .strip_prefix("cargo run --release -- ")
        .or_else(|| line.strip_prefix("gatesim "))?;
    let synopsis = rest.contains(" [") || rest.contains("...") || rest.contains(['$', ';', '|', '<']);
    let words = shlex::split(rest)?;
    let placeholder = |w: &String| {
        !w.starts_with('-')
            && w.split(['=', '.', '/', ':', '#'])
                .any(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    };
    (!synopsis && !words.iter().any(placeholder)).then_some(words)
}

#[test]
fn every_command_line_shown_in_the_docs_parses() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let inline = file.ends_with("README.md");
        for words in shown_command_lines(&text, inline) {
            checked += 1;
            if let Err(e) = gatesim::parse_command_line(&words) {
                let shown = file.strip_prefix(root()).unwrap_or(&file).display();
                failures.push(format!("{shown}: gatesim {}\n{e}", words.join(" ")));
            }
        }
    }
    assert!(checked > 30, "only {checked} command lines found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The flagship's printed output as `text` shows it: from its first line
/// to the end of its block.
fn flagship_output(text: &str) -> Option<&str> {
    let start = text.find("guizhou: 200 replications of 240 days")?;
    let end = text[start..].find("```")? + start;
    Some(text[start..end].trim_end())
}

#[test]
fn the_first_run_shown_is_the_first_run_checked() {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let checked = read("docs/checked/readme-examples.md");
    let checked = flagship_output(&checked).expect("the checked first run");
    for shown in ["README.md", "docs/src/guide/first-run.md"] {
        let text = read(shown);
        assert_eq!(
            flagship_output(&text),
            Some(checked),
            "{shown} shows another first run than docs/checked/readme-examples.md prints"
        );
    }
}
