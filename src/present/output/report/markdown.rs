//! The Markdown that gatesim's own `.md` files write, as HTML: headings,
//! paragraphs (whose lines gatesim writes one statement each, so they stay
//! lines), pipe tables, fenced code and inline `code` and *emphasis*.
//! Not a general Markdown renderer: it serves reports built from those
//! files (e.g. `fit.md`), and escapes everything it does not recognise.

use super::Table;
use super::elements::{escape, table};

/// `md` as HTML. Top-level headings (`# `) are dropped (the report has its
/// own title); `## ` becomes a fourth-level heading.
pub(crate) fn markdown(md: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            let lines: Vec<String> = para.iter().map(|l| inline(l)).collect();
            out.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
            para.clear();
        }
    };
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() {
            flush(&mut para, &mut out);
            i += 1;
        } else if let Some(fence) = line.strip_prefix("```") {
            flush(&mut para, &mut out);
            let _language = fence;
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                code.push(lines[i]);
                i += 1;
            }
            i += 1;
            out.push_str(&format!("<pre><code>{}</code></pre>\n", escape(&code.join("\n"))));
        } else if line.starts_with('#') {
            flush(&mut para, &mut out);
            let level = line.chars().take_while(|c| *c == '#').count();
            let text = line[level..].trim();
            if level > 1 {
                out.push_str(&format!("<h4>{}</h4>\n", inline(text)));
            }
            i += 1;
        } else if line.starts_with('|') {
            flush(&mut para, &mut out);
            let mut rows: Vec<Vec<String>> = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                let cells = split_row(lines[i].trim());
                if !cells
                    .iter()
                    .all(|c| !c.is_empty() && c.chars().all(|ch| "-:".contains(ch)))
                {
                    rows.push(cells);
                }
                i += 1;
            }
            let header = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
            let plain = |cells: Vec<String>| cells.into_iter().map(|c| strip_inline(&c)).collect();
            out.push_str(&table(&Table {
                caption: String::new(),
                header: plain(header),
                rows: rows.into_iter().map(plain).collect(),
            }));
        } else {
            para.push(line.trim());
            i += 1;
        }
    }
    flush(&mut para, &mut out);
    out
}

/// The cells of `| a | b |`.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().replace("\\|", "|")).collect()
}

/// A cell's text without Markdown's inline marks (tables escape their text).
fn strip_inline(s: &str) -> String {
    let trimmed = s.trim_matches('*');
    trimmed.replace('`', "")
}

/// Escapes `s`, then renders `code` spans and *emphasis*.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (k, part) in s.split('`').enumerate() {
        if k % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            let mut em = false;
            for (j, bit) in part.split('*').enumerate() {
                if j > 0 {
                    out.push_str(if em { "</em>" } else { "<em>" });
                    em = !em;
                }
                out.push_str(&escape(bit));
            }
            if em {
                out.push_str("</em>");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_tables_code_and_paragraphs_become_html() {
        let md = "# Title\n\nSome *text* with `code` & more\non two lines.\n\n## Part\n\n| a | b |\n|---|---:|\n| x<y | 1 |\n\n```toml\nk = \"<v>\"\n```\n";
        let html = markdown(md);
        assert!(!html.contains("Title"), "{html}");
        assert!(
            html.contains("<p>Some <em>text</em> with <code>code</code> &amp; more<br>\non two lines.</p>"),
            "{html}"
        );
        assert!(html.contains("<h4>Part</h4>"), "{html}");
        assert!(html.contains("<th scope=\"col\">a</th>"), "{html}");
        assert!(html.contains("<th scope=\"row\">x&lt;y</th><td>1</td>"), "{html}");
        assert!(
            html.contains("<pre><code>k = &quot;&lt;v&gt;&quot;</code></pre>"),
            "{html}"
        );
    }
}
