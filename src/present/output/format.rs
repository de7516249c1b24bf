//! Numbers for people, on top of each unit's own formatting
//! ([`crate::core::metric::Unit::format`]): a mean with the half-width of its
//! interval. Shared by the Markdown summaries and the terminal table.

use crate::core::metric::Unit;

/// `mean ± half-width`, or the mean alone, or "-".
pub(crate) fn mean_ci(mean: Option<f64>, lo: Option<f64>, hi: Option<f64>, unit: Unit) -> String {
    match (mean, lo, hi) {
        (Some(m), Some(l), Some(h)) => format!("{} ± {}", unit.format(m), unit.spread(0.5 * (h - l))),
        (Some(m), _, _) => unit.format(m),
        _ => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mean_reads_with_its_half_width() {
        assert_eq!(mean_ci(Some(10.0), Some(9.0), Some(11.0), Unit::Days), "10.0 d ± 1.0 d");
        assert_eq!(
            mean_ci(Some(-66.2), Some(-67.0), Some(-65.4), Unit::PercentChange),
            "-66.2% ± 0.8%"
        );
        assert_eq!(mean_ci(Some(5.0), None, None, Unit::Hours), "5.0 h");
        assert_eq!(mean_ci(None, None, None, Unit::Days), "-");
    }
}
