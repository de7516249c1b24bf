//! CLI tests: help and usage errors.

use super::*;

#[test]
fn every_subcommand_has_help_naming_its_flags() {
    let cwd = tmp();
    let cases: [(&str, &[&str]); 3] = [
        (
            "run",
            &[
                "--set",
                "--seed",
                "--out",
                "--quiet",
                "--replications",
                "--threads",
                "--precision",
                "--max-replications",
            ],
        ),
        ("check", &["--set", "--seed"]),
        ("trace", &["--set", "--seed", "--out", "--replication"]),
    ];
    for (cmd, flags) in cases {
        let o = gatesim(cwd.path(), &[cmd, "--help"]);
        o.expect_code(0);
        let help = o.stdout_text();
        assert!(help.contains(&format!("gatesim {cmd}")), "{help}");
        for flag in flags {
            assert!(help.contains(flag), "`{cmd} --help` does not mention {flag}:\n{help}");
        }
    }
    let top = gatesim(cwd.path(), &["--help"]);
    top.expect_code(0);
    for cmd in ["run", "check", "trace"] {
        assert!(top.stdout_text().contains(cmd));
    }
    let version = gatesim(cwd.path(), &["--version"]);
    version.expect_code(0);
    assert!(version.stdout_text().contains(env!("CARGO_PKG_VERSION")));
    assert!(absent_or_empty(cwd.path()));
}

#[test]
fn an_unknown_flag_or_command_is_a_usage_error() {
    let cwd = tmp();
    let scen = s(&scenario("guizhou"));
    let cases: Vec<Vec<String>> = vec![
        vec![
            "run".into(),
            scen.clone(),
            "--out".into(),
            s(&cwd.path().join("o")),
            "-n".into(),
            "2".into(),
            "--bogus".into(),
        ],
        vec!["check".into(), scen.clone(), "--bogus".into()],
        vec!["trace".into(), scen.clone(), "--bogus".into()],
        vec!["check".into(), scen.clone(), "--quiet".into()],
        vec!["trace".into(), scen.clone(), "--replication".into(), "-1".into()],
        vec!["frobnicate".into(), scen.clone()],
        vec!["run".into()],
        vec![],
    ];
    for args in cases {
        let o = gatesim(cwd.path(), &args);
        o.expect_code(2);
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(o.stderr.contains("Usage"), "{args:?}: {}", o.stderr);
    }
    assert!(absent_or_empty(cwd.path()), "a usage error wrote files");
}
