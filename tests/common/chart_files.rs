//! What the chart tests of the library and of the command line both check:
//! the names of the charts a comparison and a sweep write, and that a PNG
//! decodes at its size with a drawing in its plot area.

#![allow(dead_code)]

use std::collections::HashSet;

/// The comparison charts, in order.
pub const COMPARE_STEMS: [&str; 5] = [
    "active_users_overlay",
    "users_difference",
    "orders_difference",
    "staleness_difference",
    "headline_differences",
];

/// The response charts of a one-parameter sweep of a scenario with users.
pub const RESPONSE_STEMS: [&str; 3] = [
    "response_active_users_end",
    "response_orders_total",
    "response_mean_staleness_days",
];

/// `stem.png` and `stem.svg` for every stem.
pub fn both_formats(stems: &[&str]) -> Vec<String> {
    stems
        .iter()
        .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
        .collect()
}

/// Decodes a PNG, checks its size and that its plot area holds a drawing.
pub fn assert_png_drawn(name: &str, bytes: &[u8]) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!((info.width, info.height), (1600, 900), "{name}");
    let (mut colours, mut inked, mut total) = (HashSet::new(), 0usize, 0usize);
    for y in 150..780 {
        for x in 200..1200 {
            let i = (y * info.width as usize + x) * 3;
            let p = (buf[i], buf[i + 1], buf[i + 2]);
            colours.insert(p);
            total += 1;
            if p != (255, 255, 255) {
                inked += 1;
            }
        }
    }
    assert!(
        colours.len() >= 12,
        "{name}: only {} colours in the plot area",
        colours.len()
    );
    assert!(
        inked * 50 >= total,
        "{name}: only {inked} of {total} pixels drawn in the plot area"
    );
}
