//! Market concentration as competition authorities measure it: each
//! firm's share of the market's total, and the Herfindahl-Hirschman index
//! (HHI), the sum of the squared shares in percent, from near 0 (many small
//! firms) to 10,000 (one firm). The US merger guidelines (2023) call a
//! market above 1,800 highly concentrated and a merger that raises the
//! index by more than 100 there presumed to lessen competition.

/// Each value's share of their total (0 to 1); `None` when the total is
/// not above 0 or a value is negative or not finite.
pub(crate) fn shares(values: &[f64]) -> Option<Vec<f64>> {
    if values.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return None;
    }
    let total: f64 = values.iter().sum();
    (total > 0.0).then(|| values.iter().map(|v| v / total).collect())
}

/// The HHI of firms of sizes `values` (users, orders): the sum of their
/// squared shares in percent, 0 to 10,000; `None` as for [`shares`].
pub(crate) fn hhi(values: &[f64]) -> Option<f64> {
    Some(shares(values)?.iter().map(|s| (100.0 * s).powi(2)).sum())
}

/// The HHI above which the US merger guidelines (2023) call a market
/// highly concentrated.
pub(crate) const HIGHLY_CONCENTRATED: f64 = 1_800.0;

/// The rise of the HHI of a highly concentrated market above which the
/// same guidelines presume a substantial lessening of competition.
pub(crate) const PRESUMED_HARMFUL_RISE: f64 = 100.0;

/// How the guidelines' thresholds read a change of the HHI from `before`
/// to `after`, in words.
pub(crate) fn guideline_reading(before: f64, after: f64) -> &'static str {
    let rise = after - before;
    match (after > HIGHLY_CONCENTRATED, rise > PRESUMED_HARMFUL_RISE) {
        (true, true) => {
            "highly concentrated (above 1,800) and up by more than 100: the level and rise the 2023 US merger guidelines presume to lessen competition substantially"
        }
        (true, false) if rise > 0.0 => "highly concentrated (above 1,800), up by less than 100",
        (true, false) => "highly concentrated (above 1,800), not rising",
        (false, _) => "not highly concentrated (1,800 or below)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_equal_firms_give_ten_thousand_over_n_and_one_firm_ten_thousand() {
        for n in 1..=10 {
            let h = hhi(&vec![7.0; n]).unwrap();
            assert!((h - 10_000.0 / n as f64).abs() < 1e-9, "{n}: {h}");
        }
        assert_eq!(hhi(&[0.0, 5.0, 0.0]), Some(10_000.0));
    }

    #[test]
    fn shares_of_sixty_thirty_ten_give_forty_six_hundred() {
        // 60² + 30² + 10² = 3,600 + 900 + 100.
        let h = hhi(&[600.0, 300.0, 100.0]).unwrap();
        assert!((h - 4_600.0).abs() < 1e-9, "{h}");
        assert_eq!(shares(&[3.0, 1.0]), Some(vec![0.75, 0.25]));
    }

    #[test]
    fn the_guidelines_thresholds_read_a_rise_in_a_concentrated_market() {
        assert!(guideline_reading(3_400.0, 4_200.0).contains("presume"));
        assert!(guideline_reading(3_400.0, 3_450.0).contains("less than 100"));
        assert!(guideline_reading(1_000.0, 1_700.0).starts_with("not highly"));
        assert!(guideline_reading(1_700.0, 1_800.0).starts_with("not highly"));
        assert!(guideline_reading(1_750.0, 1_851.0).contains("presume"));
        assert!(guideline_reading(4_000.0, 3_000.0).contains("not rising"));
    }

    #[test]
    fn an_empty_or_undefined_market_has_no_index() {
        assert_eq!(hhi(&[]), None);
        assert_eq!(hhi(&[0.0, 0.0]), None);
        assert_eq!(hhi(&[1.0, f64::NAN]), None);
        assert_eq!(hhi(&[1.0, -1.0]), None);
    }
}
