//! The house style of every chart, in one place: canvas size, font sizes,
//! line widths, the colour-blind-safe palette (Okabe–Ito) and how platforms
//! get their colours, and the subtitle line. Sizes are in logical pixels of
//! a 1600x900 canvas; a [`Theme`] scales them for the backend it draws on
//! (PNGs are drawn at twice the size and averaged down, for smooth lines).

use plotters::style::RGBColor;

/// Logical canvas width (pixels).
pub(crate) const WIDTH: u32 = 1600;
/// Logical canvas height (pixels).
pub(crate) const HEIGHT: u32 = 900;
/// PNGs are drawn this many times larger, then averaged down (anti-aliasing).
pub(crate) const SUPERSAMPLE: u32 = 2;

/// Font family every text uses (registered from the embedded DejaVu Sans).
pub(crate) const FONT: &str = "sans-serif";
/// Title font size.
pub(crate) const TITLE: f64 = 42.0;
/// Subtitle font size.
pub(crate) const SUBTITLE: f64 = 27.0;
/// Axis title font size.
pub(crate) const AXIS_LABEL: f64 = 29.0;
/// Tick label font size.
pub(crate) const TICK: f64 = 26.0;
/// Legend font size.
pub(crate) const LEGEND: f64 = 26.0;
/// Annotation font size (marker labels, notes inside the plot).
pub(crate) const NOTE: f64 = 23.0;

/// Outer margin around everything.
pub(crate) const MARGIN: f64 = 28.0;
/// Line width of an ordinary series.
pub(crate) const LINE: f64 = 3.0;
/// Line width of the focal platform's series.
pub(crate) const LINE_FOCAL: f64 = 5.5;
/// Opacity of a 5–95% band.
pub(crate) const BAND_ALPHA: f64 = 0.16;
/// Opacity of the focal platform's band.
pub(crate) const BAND_ALPHA_FOCAL: f64 = 0.22;

/// Text.
pub(crate) const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
/// Secondary text (subtitle, notes).
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
/// Axis lines and ticks.
pub(crate) const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// Background.
pub(crate) const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// Areas that are no platform's (the pool of non-users).
pub(crate) const NEUTRAL: RGBColor = RGBColor(0xc8, 0xc8, 0xc8);
/// A second neutral series (e.g. held submissions).
pub(crate) const NEUTRAL_DARK: RGBColor = RGBColor(0x70, 0x70, 0x70);

/// Okabe–Ito vermillion: reserved for the focal (blocked) platform.
pub(crate) const VERMILLION: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
/// Okabe–Ito colours for the other platforms, in scenario order.
pub(crate) const PLATFORM_COLOURS: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xb2), // blue
    RGBColor(0x00, 0x9e, 0x73), // bluish green
    RGBColor(0xe6, 0x9f, 0x00), // orange
    RGBColor(0xcc, 0x79, 0xa7), // reddish purple
    RGBColor(0x56, 0xb4, 0xe9), // sky blue
    RGBColor(0xb8, 0xa9, 0x00), // yellow, darkened to show on white
    RGBColor(0x00, 0x00, 0x00), // black
];

/// Line patterns that tell apart platforms of the same colour once the
/// seven colours are used up: solid, then dashed, then dotted (21
/// distinct styles).
const PLATFORM_PATTERNS: [Option<(f64, f64)>; 3] = [None, Some((14.0, 8.0)), Some((3.0, 6.0))];

/// How one platform is drawn, the same on every chart of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PlatformStyle {
    /// Its colour.
    pub colour: RGBColor,
    /// Whether it is the focal platform (thicker line, drawn on top).
    pub focal: bool,
    /// Its line's dashes and gaps (logical pixels); `None`: solid.
    pub pattern: Option<(f64, f64)>,
}

impl PlatformStyle {
    /// Line width of its series.
    pub(crate) fn line_width(self) -> f64 {
        if self.focal { LINE_FOCAL } else { LINE }
    }

    /// Opacity of its bands.
    pub(crate) fn band_alpha(self) -> f64 {
        if self.focal { BAND_ALPHA_FOCAL } else { BAND_ALPHA }
    }
}

/// The styles of `n` platforms: the focal one vermillion, the others the
/// Okabe–Ito colours in scenario order, solid for the first seven, then
/// dashed, then dotted: 21 platforms besides the focal one are told apart
/// (beyond, the styles repeat).
pub(crate) fn platform_styles(n: usize, focal: Option<usize>) -> Vec<PlatformStyle> {
    let mut next = 0;
    (0..n)
        .map(|p| {
            if Some(p) == focal {
                PlatformStyle {
                    colour: VERMILLION,
                    focal: true,
                    pattern: None,
                }
            } else {
                let colour = PLATFORM_COLOURS[next % PLATFORM_COLOURS.len()];
                let pattern = PLATFORM_PATTERNS[(next / PLATFORM_COLOURS.len()) % PLATFORM_PATTERNS.len()];
                next += 1;
                PlatformStyle {
                    colour,
                    focal: false,
                    pattern,
                }
            }
        })
        .collect()
}

/// The standard subtitle: "scenario NAME · N replications · seed S · WHAT".
pub(crate) fn subtitle(scenario: &str, replications: u64, seed: u64, what: &str) -> String {
    let reps = if replications == 1 {
        "1 replication".to_string()
    } else {
        format!("{replications} replications")
    };
    let mut s = format!("scenario {scenario} · {reps} · seed {seed}");
    if !what.is_empty() {
        s.push_str(" · ");
        s.push_str(what);
    }
    s
}

/// The subtitle of a comparison: "BASE (baseline) vs OTHER · N
/// replications · seed S · WHAT".
pub(crate) fn compare_subtitle(names: &[String], replications: u64, seed: u64, what: &str) -> String {
    let mut s = match names.split_first() {
        Some((base, rest)) if !rest.is_empty() => format!("{base} (baseline) vs {}", rest.join(", ")),
        Some((base, _)) => format!("scenario {base}"),
        None => String::new(),
    };
    let reps = if replications == 1 {
        "1 replication".to_string()
    } else {
        format!("{replications} replications")
    };
    s.push_str(&format!(" · {reps} · seed {seed}"));
    if !what.is_empty() {
        s.push_str(" · ");
        s.push_str(what);
    }
    s
}

/// The subtitle of a sweep: "scenario NAME · P points x N replications ·
/// seed S · WHAT".
pub(crate) fn sweep_subtitle(scenario: &str, points: usize, replications: u64, seed: u64, what: &str) -> String {
    let pts = if points == 1 {
        "1 point".to_string()
    } else {
        format!("{points} points")
    };
    let reps = if replications == 1 {
        "1 replication".to_string()
    } else {
        format!("{replications} replications")
    };
    let mut s = format!("scenario {scenario} · {pts} × {reps} · seed {seed}");
    if !what.is_empty() {
        s.push_str(" · ");
        s.push_str(what);
    }
    s
}

/// Dash patterns telling scenarios apart, in order: the baseline solid
/// (`None`), then dashed, dotted, long dashes, short dashes (cycling).
pub(crate) fn scenario_pattern(k: usize) -> Option<(f64, f64)> {
    const PATTERNS: [(f64, f64); 4] = [(16.0, 10.0), (3.0, 7.0), (30.0, 9.0), (7.0, 6.0)];
    if k == 0 {
        None
    } else {
        Some(PATTERNS[(k - 1) % PATTERNS.len()])
    }
}

/// A sequential, colour-blind-safe colour ramp (viridis), dark to light.
pub(crate) const SEQUENTIAL: [RGBColor; 9] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x47, 0x2d, 0x7b),
    RGBColor(0x3b, 0x52, 0x8b),
    RGBColor(0x2c, 0x72, 0x8e),
    RGBColor(0x21, 0x91, 0x8c),
    RGBColor(0x28, 0xae, 0x80),
    RGBColor(0x5e, 0xc9, 0x62),
    RGBColor(0xad, 0xdc, 0x30),
    RGBColor(0xfd, 0xe7, 0x25),
];

/// Whether text on `colour` should be white (the colour is dark).
pub(crate) fn is_dark(colour: RGBColor) -> bool {
    let l = 0.2126 * f64::from(colour.0) + 0.7152 * f64::from(colour.1) + 0.0722 * f64::from(colour.2);
    l < 140.0
}

/// `colour` lightened towards white by `share` (0: unchanged, 1: white),
/// or darkened towards black by `-share` when `share` is negative.
pub(crate) fn shade(colour: RGBColor, share: f64) -> RGBColor {
    let to = if share >= 0.0 { 255.0 } else { 0.0 };
    let k = share.abs().min(1.0);
    let mix = |v: u8| (f64::from(v) + (to - f64::from(v)) * k).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// How a canvas scales the logical sizes, and which backend it feeds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Theme {
    /// Backend pixels per logical pixel.
    pub scale: f64,
    /// Whether the backend is SVG (its text is placed by the viewer).
    pub svg: bool,
}

impl Theme {
    /// A logical length in backend pixels.
    pub(crate) fn px(self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A logical length in backend pixels, unrounded.
    pub(crate) fn len(self, v: f64) -> f64 {
        v * self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focal_platform_is_vermillion_and_others_keep_their_order() {
        let s = platform_styles(3, Some(2));
        assert_eq!(s[0].colour, PLATFORM_COLOURS[0]);
        assert_eq!(s[1].colour, PLATFORM_COLOURS[1]);
        assert_eq!(s[2].colour, VERMILLION);
        assert!(s[2].focal && !s[0].focal);
        let s = platform_styles(2, Some(0));
        assert_eq!(s[1].colour, PLATFORM_COLOURS[0]);
    }

    #[test]
    fn twenty_one_platforms_besides_the_focal_one_are_drawn_each_its_own_way() {
        let s = platform_styles(22, Some(3));
        let mut seen: Vec<(RGBColor, Option<(f64, f64)>)> = Vec::new();
        for st in &s {
            let key = (st.colour, st.pattern);
            assert!(
                !seen.iter().any(|k| k.0 == key.0 && k.1 == key.1),
                "two platforms drawn alike: {key:?}"
            );
            seen.push(key);
        }
        assert!(
            s[8].pattern.is_some(),
            "the eighth other platform is dashed, not a repeated solid colour"
        );
    }

    #[test]
    fn comparison_and_sweep_subtitles_name_what_was_run() {
        let names = vec!["weekly".to_string(), "blocked".to_string()];
        assert_eq!(
            compare_subtitle(&names, 4, 7, "paired differences"),
            "weekly (baseline) vs blocked · 4 replications · seed 7 · paired differences"
        );
        assert_eq!(
            sweep_subtitle("guizhou", 9, 40, 7, ""),
            "scenario guizhou · 9 points × 40 replications · seed 7"
        );
        assert_eq!(scenario_pattern(0), None);
        assert_ne!(scenario_pattern(1), scenario_pattern(2));
        assert!(is_dark(SEQUENTIAL[0]) && !is_dark(SEQUENTIAL[8]));
    }

    #[test]
    fn subtitle_names_scenario_replications_and_seed() {
        assert_eq!(
            subtitle("guizhou", 200, 20211116, "mean and 5–95% band"),
            "scenario guizhou · 200 replications · seed 20211116 · mean and 5–95% band"
        );
        assert_eq!(subtitle("x", 1, 1, ""), "scenario x · 1 replication · seed 1");
    }
}
