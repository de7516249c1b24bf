//! Numbers for people: counts as 12.3M or 450k, shares as percentages,
//! hours and days in the unit a reader expects. Shared by the Markdown
//! summary and the terminal table.

/// A count: 12.34M, 450k, 1,234 or 12.5.
pub fn count(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{:.2}B", x / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else if a >= 100.0 || x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// A value in `unit`, formatted for reading.
pub fn value(x: f64, unit: &str) -> String {
    match unit {
        "share" => format!("{:.1}%", 100.0 * x),
        "percent" => format!("{x:+.1}%"),
        "hours" if x.abs() >= 48.0 => format!("{:.1} d", x / 24.0),
        "hours" => format!("{x:.1} h"),
        "days" => format!("{x:.1} d"),
        _ => count(x),
    }
}

/// A half-width in `unit` (no sign for percents).
pub fn spread(x: f64, unit: &str) -> String {
    match unit {
        "percent" => format!("{x:.1}%"),
        _ => value(x, unit),
    }
}

/// `mean ± half-width`, or the mean alone, or "-".
pub fn mean_ci(mean: Option<f64>, lo: Option<f64>, hi: Option<f64>, unit: &str) -> String {
    match (mean, lo, hi) {
        (Some(m), Some(l), Some(h)) => format!("{} ± {}", value(m, unit), spread(0.5 * (h - l), unit)),
        (Some(m), _, _) => value(m, unit),
        _ => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(count(12_345_678.0), "12.35M");
        assert_eq!(count(450_000.0), "450.0k");
        assert_eq!(count(1234.0), "1234");
        assert_eq!(value(0.256, "share"), "25.6%");
        assert_eq!(value(-66.2, "percent"), "-66.2%");
        assert_eq!(value(20.0, "hours"), "20.0 h");
        assert_eq!(value(240.0, "hours"), "10.0 d");
        assert_eq!(mean_ci(Some(10.0), Some(9.0), Some(11.0), "days"), "10.0 d ± 1.0 d");
        assert_eq!(mean_ci(None, None, None, "days"), "-");
    }
}
