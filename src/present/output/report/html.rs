//! Renders a [`Report`] as one HTML page: escaped text, inline CSS for
//! screens of any width and for print, and the charts' SVG inlined (its
//! XML prolog, namespace and fixed size removed so that it scales with
//! the page). A Content-Security-Policy forbids every external load, so a
//! page that tried one would show it as a console error.

pub(crate) use super::elements::escape;
use super::elements::table;
use super::markdown::markdown;
use super::{Block, Chart, Report, Section};

const CSS: &str = "\
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--band:#f4f4f4;--accent:#1f5fa8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.5}
main{max-width:70rem;margin:0 auto;padding:1rem 1rem 3rem}
header .kind{margin:0;color:var(--muted);font-size:.9rem;text-transform:uppercase;letter-spacing:.05em}
h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.3rem;margin:2rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid var(--line)}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.question{font-size:1.15rem;margin:.2rem 0 .6rem}
.meta{color:var(--muted);margin:.1rem 0}
.provenance{font-size:.8rem;color:var(--muted)}.provenance code{word-break:break-all;white-space:pre-wrap}
nav ul{list-style:none;padding:0;margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
a{color:var(--accent)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.4rem 0 1rem}
table{border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);padding:.2rem 0;caption-side:top}
th,td{padding:.3rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--band);text-align:left}
td{text-align:right;white-space:nowrap}
td:first-child,th:first-child{text-align:left;white-space:normal;min-width:9rem}
tbody th{background:none;font-weight:600}
figure{margin:1rem 0 2rem;break-inside:avoid;page-break-inside:avoid}
figure svg{display:block;width:100%;max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{font-size:.92rem;margin-top:.4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.4rem 0 1rem}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
pre{background:var(--band);padding:.6rem;overflow-x:auto;font-size:.82rem;line-height:1.35;white-space:pre}
code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){main{padding:.6rem}h1{font-size:1.3rem}dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}table{font-size:.85rem}}
@media print{nav{display:none}main{max-width:none;padding:0}table{font-size:.75rem}td{white-space:normal}h2{break-after:avoid}table,pre,dl{break-inside:avoid}pre{white-space:pre-wrap}figure svg{border:none}a{color:inherit;text-decoration:none}.scroll{overflow:visible}}
@page{margin:15mm}
";

/// The whole page.
pub(crate) fn page(r: &Report) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str(&format!("<title>{}</title>\n", escape(&r.title)));
    out.push_str(&format!("<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n"));
    out.push_str("<header>\n");
    if !r.kind.is_empty() {
        out.push_str(&format!("<p class=\"kind\">{}</p>\n", escape(&r.kind)));
    }
    out.push_str(&format!("<h1>{}</h1>\n", escape(&r.title)));
    if !r.question.is_empty() {
        out.push_str(&format!("<p class=\"question\">{}</p>\n", escape(&r.question)));
    }
    for l in &r.lines {
        out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(l)));
    }
    if !r.provenance.is_empty() {
        out.push_str("<dl class=\"provenance\">\n");
        for (k, v) in &r.provenance {
            out.push_str(&format!("<dt>{}</dt><dd><code>{}</code></dd>\n", escape(k), escape(v)));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</header>\n");
    out.push_str(&nav(r));
    if !r.results.is_empty() {
        out.push_str("<section id=\"results\">\n<h2>Results</h2>\n");
        for s in &r.results {
            out.push_str(&section(s));
        }
        out.push_str("</section>\n");
    }
    if !r.charts.is_empty() {
        out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
        for (i, c) in r.charts.iter().enumerate() {
            out.push_str(&figure(i + 1, c));
        }
        out.push_str("</section>\n");
    }
    if !r.assumptions.is_empty() || !r.inputs.is_empty() {
        out.push_str("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n");
        if !r.assumptions.is_empty() {
            out.push_str("<dl>\n");
            for (k, v) in &r.assumptions {
                out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(k), escape(v)));
            }
            out.push_str("</dl>\n");
        }
        for (heading, text) in &r.inputs {
            out.push_str(&format!(
                "<h3>{}</h3>\n<pre><code>{}</code></pre>\n",
                escape(heading),
                escape(text)
            ));
        }
        out.push_str("</section>\n");
    }
    if !r.notes.is_empty() {
        out.push_str("<section id=\"notes\">\n<h2>Notes</h2>\n");
        for n in &r.notes {
            out.push_str(&format!("<p>{}</p>\n", escape(n)));
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "<footer>Written by gatesim {}. This page is self-contained: it loads nothing.</footer>\n",
        escape(env!("CARGO_PKG_VERSION"))
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn nav(r: &Report) -> String {
    let mut links = Vec::new();
    if !r.results.is_empty() {
        links.push(("results", "Results"));
    }
    if !r.charts.is_empty() {
        links.push(("charts", "Charts"));
    }
    if !r.assumptions.is_empty() || !r.inputs.is_empty() {
        links.push(("assumptions", "Assumptions"));
    }
    if !r.notes.is_empty() {
        links.push(("notes", "Notes"));
    }
    if links.len() < 2 {
        return String::new();
    }
    let items: Vec<String> = links
        .iter()
        .map(|(id, text)| format!("<li><a href=\"#{id}\">{text}</a></li>"))
        .collect();
    format!("<nav><ul>{}</ul></nav>\n", items.join(""))
}

fn section(s: &Section) -> String {
    let mut out = format!("<h3>{}</h3>\n", escape(&s.heading));
    for b in &s.blocks {
        match b {
            Block::Table(t) => out.push_str(&table(t)),
            Block::Markdown(m) => out.push_str(&markdown(m)),
        }
    }
    out
}

fn figure(n: usize, c: &Chart) -> String {
    format!(
        "<figure id=\"chart-{n}\">\n{}\n<figcaption><strong>{}.</strong> {}</figcaption>\n</figure>\n",
        inline_svg(&c.svg, &c.title),
        escape(&c.title),
        escape(&c.caption)
    )
}

/// The SVG document made an inline element: no XML prolog or doctype, no
/// namespace declaration (HTML supplies it), no fixed width and height
/// (the viewBox keeps the aspect, CSS sets the width), labelled for
/// screen readers.
pub(crate) fn inline_svg(svg: &str, label: &str) -> String {
    let mut s = svg.trim();
    while s.starts_with("<?") || s.starts_with("<!") {
        s = s.find('>').map_or("", |i| s[i + 1..].trim_start());
    }
    let Some(start) = s.find("<svg") else {
        return String::new();
    };
    let s = &s[start..];
    let Some(end) = s.find('>') else {
        return String::new();
    };
    let (open, rest) = s.split_at(end);
    let mut attrs: Vec<String> = Vec::new();
    let mut view_box = None;
    let (mut width, mut height) = (None, None);
    for (name, value) in attributes(&open[4..]) {
        match name.as_str() {
            "xmlns" | "xmlns:xlink" => {}
            "width" => width = Some(value),
            "height" => height = Some(value),
            "viewBox" => view_box = Some(value),
            _ => attrs.push(format!("{name}=\"{value}\"")),
        }
    }
    let view_box = view_box.or_else(|| Some(format!("0 0 {} {}", width?, height?)));
    let mut head = String::from("<svg");
    if let Some(v) = view_box {
        head.push_str(&format!(" viewBox=\"{v}\""));
    }
    for a in attrs {
        head.push(' ');
        head.push_str(&a);
    }
    head.push_str(&format!(" role=\"img\" aria-label=\"{}\"", escape(label)));
    format!("{head}{}", rest.trim_end())
}

/// The `name="value"` pairs of a tag's attribute text.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_end_matches('/');
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(quote) else { break };
        out.push((name, after[1..1 + close].to_string()));
        rest = &after[close + 2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere_it_is_written() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        let r = Report::new("kind", "<script>alert(1)</script>")
            .question("Q & A")
            .assumption("k<", "v>")
            .input("in", "x = \"<y>\"");
        let html = String::from_utf8(r.to_html()).unwrap();
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Q &amp; A"));
        assert!(html.contains("x = &quot;&lt;y&gt;&quot;"));
    }

    #[test]
    fn an_svg_loses_its_prolog_namespace_and_fixed_size_but_keeps_its_view_box() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"1600\" height=\"900\" viewBox=\"0 0 1600 900\" \
                   xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\"/>\n</svg>\n";
        let s = inline_svg(svg, "Users & orders");
        assert_eq!(
            s,
            "<svg viewBox=\"0 0 1600 900\" role=\"img\" aria-label=\"Users &amp; orders\">\n<rect x=\"0\"/>\n</svg>"
        );
        let no_box = inline_svg("<svg width=\"10\" height=\"5\"><g/></svg>", "x");
        assert!(no_box.starts_with("<svg viewBox=\"0 0 10 5\""), "{no_box}");
    }
}
