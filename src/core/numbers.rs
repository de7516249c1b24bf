//! Numbers for people, in one place: counts in tables (12.35M, 450.0k,
//! 1234), human numbers with three significant figures in charts (12.3M,
//! 450k, 0.25), signed with a true minus. Units format their values on top
//! of these ([`crate::core::metric::Unit`]); chart axes add step-aware labels
//! ([`crate::present::plot`]).

/// A count for reading: 12.34M, 450.0k, 1234 or 12.50.
pub(crate) fn count(x: f64) -> String {
    match suffix_of(x.abs()) {
        (div, s @ ("B" | "M")) => format!("{:.2}{s}", x / div),
        (div, s @ "k") => format!("{:.1}{s}", x / div),
        _ if x.abs() >= 100.0 || x.fract() == 0.0 => format!("{x:.0}"),
        _ => format!("{x:.2}"),
    }
}

/// A human number with three significant figures: 12.3M, 450k, 7.5, 0.25.
pub fn human(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let (div, suffix) = suffix_of(a);
    let x = a / div;
    let d = if x >= 100.0 {
        0
    } else if x >= 10.0 {
        1
    } else if x >= 1.0 || div > 1.0 {
        2
    } else {
        3
    };
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{}{suffix}", trim(format!("{:.*}", d, x)))
}

/// A human number with its sign, written with a true minus: "+412k",
/// "−847k", "0".
pub fn signed_human(v: f64) -> String {
    let h = human(v);
    if h.trim_start_matches('-').trim_start_matches(['0', '.']).is_empty() {
        "0".into()
    } else if let Some(rest) = h.strip_prefix('-') {
        format!("\u{2212}{rest}")
    } else if v.is_finite() {
        format!("+{h}")
    } else {
        h
    }
}

/// The suffix for a magnitude `a`: (divisor, "B" | "M" | "k" | "");
/// thousands only from 10,000.
pub(crate) fn suffix_of(a: f64) -> (f64, &'static str) {
    if a >= 1e9 {
        (1e9, "B")
    } else if a >= 1e6 {
        (1e6, "M")
    } else if a >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    }
}

/// `s` without trailing decimal zeros (and point).
pub(crate) fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_at_a_glance() {
        assert_eq!(count(12_345_678.0), "12.35M");
        assert_eq!(count(450_000.0), "450.0k");
        assert_eq!(count(1234.0), "1234");
        assert_eq!(count(12.5), "12.50");
        assert_eq!(count(2.5e9), "2.50B");
    }

    #[test]
    fn human_numbers_keep_three_significant_figures_and_a_true_minus() {
        assert_eq!(human(12_345_678.0), "12.3M");
        assert_eq!(human(450_000.0), "450k");
        assert_eq!(human(0.25), "0.25");
        assert_eq!(human(7.5), "7.5");
        assert_eq!(human(1234.0), "1234");
        assert_eq!(signed_human(-0.0001), "0");
        assert_eq!(signed_human(-847_000.0), "\u{2212}847k");
        assert_eq!(signed_human(412_000.0), "+412k");
        assert_eq!(signed_human(0.0), "0");
    }
}
