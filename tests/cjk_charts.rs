//! Charts of platforms named in Chinese (the Guizhou scenario with its
//! platforms renamed 美团优选, 多多买菜 and 淘菜菜, 2 replications): the
//! PNG legends draw each name with its own glyphs, not with a row of
//! identical missing-glyph boxes; the SVGs draw every CJK text as outlines
//! from the embedded font, whose character map covers every character used,
//! and keep every other text as text.

use gatesim::Trace;
use gatesim::charts::{Format, Marker, RunCharts, run_charts};
use gatesim::{MonteCarloResult, Plan, Scenario, load_scenario_str, run_monte_carlo};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

/// The platforms' names in the scenario file and in Chinese.
const RENAMED: [(&str, &str); 3] = [
    ("Meituan Select", "美团优选"),
    ("Duoduo Maicai", "多多买菜"),
    ("Taocaicai", "淘菜菜"),
];

/// The label of the marked policy change: Chinese and Latin in one text.
const MARKER: &str = "监管令 (regulator's order)";

/// The embedded CJK font, as vendored.
fn cjk_font() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/present/plot/fonts/NotoSansCJKsc-Regular-subset.otf");
    std::fs::read(path).expect("the vendored CJK font is there")
}

/// A scenario run: what its charts are drawn from.
struct Run {
    /// The scenario.
    scenario: Scenario,
    /// Its Monte Carlo results.
    result: MonteCarloResult,
    /// Replication 0's pipeline events.
    timeline: Trace,
}

/// The Guizhou scenario with its platforms renamed `names`, run.
fn guizhou_named(names: [&str; 3]) -> Run {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/guizhou.toml");
    let mut text = std::fs::read_to_string(&path).expect("guizhou.toml reads");
    for ((latin, _), name) in RENAMED.iter().zip(names) {
        text = text.replace(&format!("\"{latin}\""), &format!("\"{name}\""));
    }
    let scenario = load_scenario_str(&text, Path::new("guizhou.toml"), "guizhou", &[])
        .expect("the renamed scenario loads")
        .scenario;
    let plan = Plan {
        replications: 2,
        precision: None,
        max_replications: 2,
        threads: 2,
    };
    let result = run_monte_carlo(&scenario, &plan, &AtomicBool::new(false), &|| {}, &|_| {}).expect("the run succeeds");
    let timeline = result
        .timeline
        .clone()
        .expect("the run keeps replication 0's audit log");
    Run {
        scenario,
        result,
        timeline,
    }
}

/// The charts of a run, in PNG and SVG, with `marker` marked on day 150.
fn render(run: &Run, marker: &str) -> Vec<(String, Vec<u8>)> {
    let s = &run.scenario;
    let input = RunCharts {
        scenario: &s.name,
        seed: s.seed,
        result: &run.result,
        timeline: &run.timeline,
        horizon_days: s.horizon_days,
        markers: vec![Marker {
            day: 150.0,
            label: marker.into(),
        }],
        focal: Some(2),
        potential_users: s.users.as_ref().map(|_| 8_000_000),
        sbg_reference: None,
    };
    run_charts(&input, &[Format::Png, Format::Svg]).expect("the charts render")
}

/// The run with the platforms named in Chinese.
fn chinese_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| guizhou_named(RENAMED.map(|(_, c)| c)))
}

/// The charts with the platforms named in Chinese.
fn charts() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| render(chinese_run(), MARKER))
}

/// Names of as many characters as the Chinese ones, made of unassigned code
/// points that no font has: they draw as DejaVu Sans' missing-glyph box,
/// as the Chinese names did before the CJK font.
const BOXES: [&str; 3] = [
    "\u{0378}\u{0379}\u{0380}\u{0381}",
    "\u{0382}\u{0383}\u{038B}\u{038D}",
    "\u{03A2}\u{0530}\u{0557}",
];

/// The charts with the platforms named in missing-glyph boxes.
fn box_charts() -> &'static Vec<(String, Vec<u8>)> {
    static CHARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    CHARTS.get_or_init(|| render(&guizhou_named(BOXES), MARKER))
}

/// The bytes of the chart file `name`.
fn file_of<'a>(charts: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    charts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.as_slice())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// The SVG of chart `stem`.
fn svg_of<'a>(charts: &'a [(String, Vec<u8>)], stem: &str) -> &'a str {
    std::str::from_utf8(file_of(charts, &format!("{stem}.svg"))).expect("an SVG is UTF-8")
}

/// The SVG of chart `stem` with the platforms named in Chinese.
fn svg(stem: &str) -> &'static str {
    svg_of(charts(), stem)
}

/// Whether `c` is a CJK ideograph, kana, hangul syllable or CJK punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xFF00..=0xFFEF)
}

/// A CJK text drawn as outlines on an SVG.
struct Outline {
    /// The text (the path's `aria-label`).
    text: String,
    /// Start of its baseline.
    origin: (f64, f64),
    /// One em (pixels).
    em: f64,
    /// The path data.
    d: String,
}

/// The value of attribute `name` in `el`, an element's attributes.
fn attr<'a>(el: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = el
        .match_indices(&key)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || el[..i].ends_with(' '))?
        + key.len();
    let len = el[start..].find('"')?;
    Some(&el[start..start + len])
}

/// Every outlined text of an SVG.
fn outlines(svg: &str) -> Vec<Outline> {
    svg.split("<path ")
        .skip(1)
        .filter_map(|rest| {
            let el = &rest[..rest.find("/>")?];
            let text = attr(el, "aria-label")?;
            let transform = attr(el, "transform")?;
            let nums: Vec<f64> = transform
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.parse().ok())
                .collect();
            let (x, y, scale) = (*nums.first()?, *nums.get(1)?, *nums.last()?);
            Some(Outline {
                text: text.replace("&apos;", "'"),
                origin: (x, y),
                // The font has 1000 units per em; the scale maps them to pixels.
                em: -scale * 1000.0,
                d: attr(el, "d")?.to_string(),
            })
        })
        .collect()
}

/// The texts of an SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let body = &rest[rest.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim())
        })
        .collect()
}

/// A decoded RGB PNG: width, height, pixels.
fn decode(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("the PNG decodes");
    let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    (info.width as usize, info.height as usize, buf)
}

/// Darkness (0 white to 255 black) of each pixel of the box `x0..x1` x
/// `y0..y1`, row by row.
fn darkness(png: &(usize, usize, Vec<u8>), (x0, x1): (usize, usize), (y0, y1): (usize, usize)) -> Vec<u8> {
    let (w, _, px) = png;
    let mut out = Vec::new();
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * w + x) * 3;
            let lum = (u32::from(px[i]) * 2126 + u32::from(px[i + 1]) * 7152 + u32::from(px[i + 2]) * 722) / 10000;
            out.push(255 - lum as u8);
        }
    }
    out
}

/// Where the label `text` (or a label that begins `text:`) starts on its
/// baseline, and its em, in an SVG
/// (the same place as on the PNG, give or take a pixel): from the
/// transform of its outline, or, for a text drawn as text, from its x, y
/// and font size (plotters puts the baseline 0.76 em below y).
fn label_at(svg: &str, text: &str) -> Option<(f64, f64, f64)> {
    let is_label = |t: &str| t == text || t.strip_prefix(text).is_some_and(|rest| rest.starts_with(':'));
    if let Some(o) = outlines(svg).into_iter().find(|o| is_label(&o.text)) {
        return Some((o.origin.0, o.origin.1, o.em));
    }
    svg.split("<text ").skip(1).find_map(|rest| {
        let end = rest.find('>')?;
        let (el, body) = (&rest[..end], &rest[end + 1..]);
        if !is_label(body[..body.find("</text>")?].trim()) {
            return None;
        }
        let num = |name: &str| attr(el, name)?.parse::<f64>().ok();
        let size = num("font-size")?;
        Some((num("x")?, num("y")? + 0.76 * size, size))
    })
}

/// The darkness of the box a label of `chars` characters, one em each,
/// starts at `(x, baseline)` with em `em` (of the SVG) fills on the PNG,
/// one box per character.
fn label_cells(png: &(usize, usize, Vec<u8>), (x, baseline, em): (f64, f64, f64), chars: usize) -> Vec<Vec<u8>> {
    // The PNG draws at a slightly larger em than the SVG (by 1.24 / 1.164).
    let em = em * 1.24 / 1.164;
    let (top, bottom) = ((baseline - em * 0.95) as usize, (baseline + em * 0.2) as usize);
    (0..chars)
        .map(|k| {
            let left = (x + k as f64 * em).round() as usize;
            darkness(png, (left, left + em as usize), (top, bottom))
        })
        .collect()
}

#[test]
fn each_chinese_platform_name_is_drawn_with_its_own_glyphs_in_the_png_legend() {
    let (font, dejavu) = (cjk_font(), dejavu::sans::regular());
    let cjk = ttf_parser::Face::parse(&font, 0).expect("the CJK font parses");
    let latin = ttf_parser::Face::parse(dejavu, 0).expect("DejaVu Sans parses");
    for c in BOXES.concat().chars() {
        assert!(latin.glyph_index(c).is_none() && cjk.glyph_index(c).is_none(), "{c:?}");
    }
    for stem in ["active_users", "orders", "staleness", "decision_time"] {
        let png = decode(file_of(charts(), &format!("{stem}.png")));
        let boxes_png = decode(file_of(box_charts(), &format!("{stem}.png")));
        for ((_, name), boxes) in RENAMED.iter().zip(BOXES) {
            let n = name.chars().count();
            let at = label_at(svg(stem), name).unwrap_or_else(|| panic!("{stem}: no label {name}"));
            let boxes_at = label_at(svg_of(box_charts(), stem), boxes).unwrap_or_else(|| panic!("{stem}: no boxes"));
            let cells = label_cells(&png, at, n);
            let box_cells = label_cells(&boxes_png, boxes_at, n);
            // There is ink, and it is not what DejaVu Sans' missing-glyph
            // boxes leave (the picture before the CJK font).
            let ink: u32 = cells.iter().flatten().map(|&p| u32::from(p)).sum();
            let area = cells.iter().map(Vec::len).sum::<usize>() as u32;
            assert!(
                ink > area * 20,
                "{stem}: {name} has too little ink ({ink} over {area} pixels)"
            );
            let off_boxes: u32 = cells
                .iter()
                .flatten()
                .zip(box_cells.iter().flatten())
                .map(|(p, q)| u32::from(p.abs_diff(*q)))
                .sum();
            assert!(
                off_boxes * 2 > ink,
                "{stem}: {name} looks like a row of missing-glyph boxes ({off_boxes} of {ink})"
            );
            // Boxes would all look alike; real glyphs differ (多多 is the
            // one repeated character).
            let chars: Vec<char> = name.chars().collect();
            for a in 0..n {
                for b in a + 1..n {
                    if chars[a] == chars[b] {
                        continue;
                    }
                    let diff: u32 = cells[a]
                        .iter()
                        .zip(&cells[b])
                        .map(|(p, q)| u32::from(p.abs_diff(*q)))
                        .sum();
                    let ink_a: u32 = cells[a].iter().map(|&p| u32::from(p)).sum();
                    assert!(
                        diff * 2 > ink_a,
                        "{stem}: {} and {} of {name} look alike in the PNG",
                        chars[a],
                        chars[b]
                    );
                }
            }
        }
    }
}

#[test]
fn every_cjk_text_of_an_svg_is_outlined_with_glyphs_the_embedded_font_maps() {
    let font = cjk_font();
    let face = ttf_parser::Face::parse(&font, 0).expect("the CJK font parses");
    for (name, bytes) in charts().iter().filter(|(n, _)| n.ends_with(".svg")) {
        let svg = std::str::from_utf8(bytes).expect("UTF-8");
        for t in svg_texts(svg) {
            assert!(!t.chars().any(is_cjk), "{name}: CJK left as text: {t}");
        }
        for o in outlines(svg) {
            for c in o.text.chars() {
                assert!(
                    face.glyph_index(c).is_some_and(|g| g.0 != 0),
                    "{name}: the font has no glyph for {c} of {}",
                    o.text
                );
            }
            // A missing-glyph box is two contours; every ideograph here has more.
            let contours = o.d.matches('M').count();
            let ideographs = o.text.chars().filter(|&c| is_cjk(c)).count();
            assert!(contours > 2 * ideographs, "{name}: {} has {contours} contours", o.text);
        }
    }
    let legend: Vec<String> = outlines(svg("active_users")).into_iter().map(|o| o.text).collect();
    for (_, chinese) in RENAMED {
        assert!(legend.iter().any(|t| t == chinese), "{chinese} not in {legend:?}");
    }
}

#[test]
fn a_mixed_chinese_and_latin_text_is_outlined_whole() {
    for stem in ["active_users", "market_share", "staleness"] {
        let texts: Vec<String> = outlines(svg(stem)).into_iter().map(|o| o.text).collect();
        assert!(texts.iter().any(|t| t == MARKER), "{stem}: {texts:?}");
    }
    let decision = outlines(svg("decision_time"));
    let blocked = decision
        .iter()
        .find(|o| o.text.starts_with("淘菜菜: no decision"))
        .expect("the blocked platform's legend entry");
    assert!(blocked.d.len() > 1000);
}

/// The attributes of the outlined text `text` of an SVG.
fn outline_element<'a>(svg: &'a str, text: &str) -> &'a str {
    let key = format!("aria-label=\"{text}\"");
    svg.split("<path ")
        .find(|el| el.starts_with(&key))
        .and_then(|el| el.split("/>").next())
        .unwrap_or_else(|| panic!("no outline of {text}"))
}

#[test]
fn the_bold_label_of_the_blocked_platform_is_stroked_to_stand_out() {
    let svg = svg("active_users");
    assert!(attr(outline_element(svg, "淘菜菜"), "stroke").is_some());
    assert!(attr(outline_element(svg, "美团优选"), "stroke").is_none());
}

#[test]
fn latin_texts_stay_text_beside_the_outlines() {
    let texts = svg_texts(svg("active_users"));
    assert!(texts.contains(&"Active users per platform"), "{texts:?}");
    assert!(texts.contains(&"Date"));
}

#[test]
fn rendering_the_chinese_charts_twice_gives_identical_bytes() {
    let again = render(chinese_run(), MARKER);
    assert!(again == *charts(), "the second rendering differs");
}
