//! Reviewed snapshots of text outputs (a chart's SVG) in `tests/snapshots/`.
//!
//! `tests/snapshots/NAME` holds the reviewed text as a plain file (an SVG
//! opens in a browser). A differing output fails the test with the first
//! line that differs, and what the test got is written beside the snapshot
//! as `NAME.new` to look at. With `GATESIM_SNAPSHOTS=overwrite` the test
//! rewrites the snapshot instead; review it with `git diff tests/snapshots/`.

use std::fs;
use std::path::Path;

/// Fails unless `got` is the text of the snapshot `name`.
pub fn assert_snapshot(name: &str, got: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let path = dir.join(name);
    let new = dir.join(format!("{name}.new"));
    if std::env::var_os("GATESIM_SNAPSHOTS").is_some_and(|v| v == "overwrite") {
        fs::write(&path, got).unwrap();
        let _ = fs::remove_file(&new);
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (GATESIM_SNAPSHOTS=overwrite writes it)", path.display()));
    if want == got {
        let _ = fs::remove_file(&new);
        return;
    }
    fs::write(&new, got).unwrap();
    let (mut w, mut g) = (want.lines(), got.lines());
    let mut line = 1;
    let (w, g) = loop {
        match (w.next(), g.next()) {
            (a, b) if a == b && a.is_some() => line += 1,
            (a, b) => break (a.unwrap_or("(the end)"), b.unwrap_or("(the end)")),
        }
    };
    panic!(
        "{name} differs from its snapshot at line {line}:\n  snapshot: {w}\n  got:      {g}\n\
         what the test got is in {}; GATESIM_SNAPSHOTS=overwrite rewrites the snapshot",
        new.display()
    );
}
