//! Tables for the terminal: columns aligned by their display width (a
//! Chinese character takes two columns, so names such as 淘菜菜 line up),
//! numbers right-aligned and text left-aligned; and the Markdown gatesim
//! writes (headings, paragraphs, pipe tables) turned into such text, so
//! that `sweep` and `sensitivity` print what `run` prints: aligned tables,
//! not Markdown source.

use unicode_width::UnicodeWidthStr;

/// The columns `text` takes on a terminal.
pub(crate) fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` padded with spaces to `w` columns, on the right (`left`) or on
/// the left.
pub(crate) fn pad(text: &str, w: usize, left: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(text)));
    if left {
        format!("{text}{fill}")
    } else {
        format!("{fill}{text}")
    }
}

/// Whether a cell reads as a number (a figure with its unit, sign, ± or
/// interval), to be right-aligned.
fn is_number(cell: &str) -> bool {
    let c = cell.trim();
    c == "-"
        || c.chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_digit() || "+\u{2212}-.".contains(ch))
}

/// `header` and `rows` as aligned text, two spaces between columns; a
/// column of numbers is right-aligned, the first column and text left.
pub(crate) fn aligned(header: &[String], rows: &[Vec<String>]) -> String {
    let n = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let cell = |r: &[String], i: usize| r.get(i).map_or(String::new(), Clone::clone);
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| width(&cell(r, i)))
                .chain(std::iter::once(width(&cell(header, i))))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = (0..n)
        .map(|i| i > 0 && rows.iter().all(|r| is_number(&cell(r, i)) || cell(r, i).is_empty()))
        .collect();
    let line = |r: &[String]| {
        let cells: Vec<String> = (0..n).map(|i| pad(&cell(r, i), widths[i], !numeric[i])).collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = String::new();
    if header.iter().any(|h| !h.is_empty()) {
        out.push_str(&line(header));
        out.push('\n');
    }
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

/// The cells of a Markdown pipe-table row.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Whether `line` is a pipe table's separator (`|---|---:|`).
fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| "|-: ".contains(c))
}

/// Markdown as gatesim writes it (headings, paragraphs, pipe tables),
/// as text for a terminal: headings without their `#`, tables aligned.
pub(crate) fn from_markdown(md: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.trim_start().starts_with('|') {
            let header = cells(l);
            let mut rows = Vec::new();
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                if !is_separator(lines[i]) {
                    rows.push(cells(lines[i]));
                }
                i += 1;
            }
            out.push_str(&aligned(&header, &rows));
            continue;
        }
        out.push_str(l.trim_start_matches('#').trim_start());
        out.push('\n');
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_take_two_columns_and_stay_aligned() {
        let t = aligned(
            &["".into(), "淘菜菜".into(), "Meituan Select".into()],
            &[vec!["Active users".into(), "412.5k".into(), "2.04M".into()]],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(width(lines[0]), width(lines[1]), "{t}");
        assert!(lines[1].ends_with("2.04M"), "{t}");
    }

    #[test]
    fn markdown_tables_become_aligned_text() {
        let md = "# Title\n\nSome words.\n\n| a | b |\n|---|---:|\n| x | 1.0 |\n| longer | \u{2212}22.5 |\n";
        let t = from_markdown(md);
        assert!(t.starts_with("Title\n\nSome words.\n\n"), "{t}");
        assert!(
            t.contains("\na           b\nx         1.0\nlonger  \u{2212}22.5\n"),
            "{t}"
        );
        assert!(!t.contains('|'), "{t}");
    }
}
