//! The command-line reference (`gatesim schema --cli-markdown`, committed as
//! `docs/src/reference/cli.md`): every command and subcommand with its usage
//! line, its arguments and flags, their values, defaults and help, rendered
//! from the clap definitions that parse the command line, so it cannot
//! drift from them (a test compares the committed file with this text).

use clap::{Arg, ArgAction, Command};

/// Where the committed command-line reference lives, relative to the repository.
pub const CLI_REFERENCE_PATH: &str = "docs/src/reference/cli.md";

/// The command that regenerates it.
pub const CLI_REGENERATE: &str = "cargo run --release -- schema --cli-markdown > docs/src/reference/cli.md";

/// The Markdown reference of `cli` (the `gatesim` command): a section per
/// command, in the order `gatesim --help` lists them.
pub(crate) fn cli_markdown(cli: Command) -> String {
    let mut cli = cli.bin_name("gatesim");
    cli.build();
    let mut out = String::from(
        "# Command-line reference\n\n\
         Every command of `gatesim` with its arguments and flags, generated from the definitions that parse \
         the command line (`gatesim schema --cli-markdown`; do not edit by hand: regenerate it with \
         `cargo run --release -- schema --cli-markdown > docs/src/reference/cli.md`, and a test fails until \
         you do). `gatesim COMMAND --help` prints the same text on the terminal.\n\n\
         A flag that takes a value is written `--flag VALUE`; a repeatable flag can be given several times. \
         Exit codes: 0 success, 1 the run failed, 2 bad usage or an invalid input (nothing written), \
         130 interrupted by Ctrl-C, 143 stopped by SIGTERM.\n",
    );
    for sub in cli.get_subcommands() {
        section(&mut out, sub, "gatesim");
    }
    out
}

/// The section of command `cmd` (and of its subcommands, after it).
fn section(out: &mut String, cmd: &Command, parent: &str) {
    if cmd.is_hide_set() || cmd.get_name() == "help" {
        return;
    }
    let name = format!("{parent} {}", cmd.get_name());
    let subs: Vec<&Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    out.push_str(&format!("\n## `{name}`\n\n"));
    let about = cmd.get_long_about().or(cmd.get_about()).map(ToString::to_string);
    if let Some(about) = about {
        out.push_str(&format!("{}\n\n", cell(&sentence(&about))));
    }
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim().strip_prefix("Usage: ").unwrap_or(usage.trim()).to_string();
    out.push_str(&format!("```text\n{usage}\n```\n"));
    let args: Vec<&Arg> = cmd.get_arguments().filter(|a| shown(a)).collect();
    if !args.is_empty() {
        out.push_str("\n| argument | default | meaning |\n|---|---|---|\n");
        for a in args {
            out.push_str(&format!("| {} | {} | {} |\n", written(a), default(a), meaning(a)));
        }
    }
    if !subs.is_empty() {
        let list: Vec<String> = subs.iter().map(|s| format!("`{name} {}`", s.get_name())).collect();
        out.push_str(&format!("\nIts commands: {}.\n", list.join(", ")));
    }
    for sub in subs {
        section(out, sub, &name);
    }
}

/// Whether `a` is listed: not hidden, not clap's own --help and --version.
fn shown(a: &Arg) -> bool {
    !a.is_hide_set()
        && !matches!(
            a.get_action(),
            ArgAction::Help | ArgAction::HelpLong | ArgAction::Version
        )
}

/// How `a` is written on the command line: `SCENARIO`, `-n, --replications N`.
fn written(a: &Arg) -> String {
    let values = a
        .get_value_names()
        .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
    if a.is_positional() {
        let many = matches!(a.get_num_args(), Some(r) if r.max_values() > 1);
        return format!("`{values}{}`", if many { "..." } else { "" });
    }
    let mut names = Vec::new();
    if let Some(s) = a.get_short() {
        names.push(format!("-{s}"));
    }
    if let Some(l) = a.get_long() {
        names.push(format!("--{l}"));
    }
    let takes = a.get_action().takes_values();
    let text = if takes {
        format!("{} {values}", names.join(", "))
    } else {
        names.join(", ")
    };
    format!("`{text}`")
}

/// The default of `a`, or what it is when none is written: `required`, `off`.
fn default(a: &Arg) -> String {
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if a.is_required_set() {
        "required".into()
    } else if !a.get_action().takes_values() {
        "off".into()
    } else if defaults.is_empty() {
        "".into()
    } else {
        format!("`{}`", defaults.join(","))
    }
}

/// The help of `a`, with its allowed values and whether it repeats.
fn meaning(a: &Arg) -> String {
    let help = a
        .get_long_help()
        .or(a.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut text = sentence(&help);
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| format!("`{}`", v.get_name()))
        .collect();
    if !values.is_empty() && a.get_action().takes_values() {
        text.push_str(&format!(" One of {}.", values.join(", ")));
    }
    let says_it = text.to_lowercase().contains("repeatable");
    if matches!(a.get_action(), ArgAction::Append) && !a.is_positional() && !says_it {
        text.push_str(" Repeatable.");
    }
    cell(&text)
}

/// `text` on one line: paragraphs joined, runs of spaces made one.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` on one line, ending with a full stop.
fn sentence(text: &str) -> String {
    let mut s = one_paragraph(text);
    if !s.is_empty() && !s.ends_with(['.', '?', '!']) {
        s.push('.');
    }
    s
}

/// `text` safe in Markdown text and table cells: no pipe ends a cell, no
/// `<name>` is read as an HTML tag (inside code spans it stays as written).
fn cell(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                part.to_string()
            } else {
                part.replace('<', "&lt;").replace('>', "&gt;")
            }
        })
        .collect::<Vec<_>>()
        .join("`")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_section_and_every_flag_its_row() {
        let md = cli_markdown(super::super::cli());
        for c in [
            "run",
            "compare",
            "sweep",
            "sensitivity",
            "calibrate",
            "merge",
            "fit retention",
            "trace",
        ] {
            assert!(md.contains(&format!("\n## `gatesim {c}`\n")), "{c}");
        }
        assert!(md.contains("| `-n, --replications N` |"), "{md}");
        assert!(!md.contains("`-h, --help`"), "clap's own flags are left out");
    }
}
