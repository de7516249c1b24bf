//! Shares and their comparisons, for approval rates: Wilson's score
//! interval for one share (R's `prop.test(x, n, correct = FALSE)`),
//! Fisher's exact test of a 2 x 2 table (two-sided, as R's `fisher.test`)
//! and Pearson's chi-square test of homogeneity of k shares, a 2 x k table
//! (R's `prop.test(x, n)` for k > 2, `chisq.test(correct = FALSE)`).

use super::{ChiSquareTest, Z_975};

/// A share with its 95% Wilson score interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Share {
    /// Successes (for instance approvals).
    pub successes: u64,
    /// Trials (decisions).
    pub trials: u64,
    /// successes / trials.
    pub estimate: f64,
    /// Lower limit of the 95% interval.
    pub lower: f64,
    /// Upper limit of the 95% interval.
    pub upper: f64,
}

/// Why a table cannot be tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// More successes than trials.
    #[error("group {group}: {successes} successes out of {trials} trials")]
    MoreSuccessesThanTrials {
        /// The group.
        group: usize,
        /// Its successes.
        successes: u64,
        /// Its trials.
        trials: u64,
    },
    /// Fewer than two groups with trials.
    #[error("fewer than two groups with trials")]
    TooFewGroups,
    /// Every trial a success, or none: the shares cannot differ.
    #[error("every trial is a success, or none is: the shares cannot differ")]
    NoVariation,
    /// A table too large for the exact test.
    #[error("the table is too large for the exact test (more than {max} tables with its margins count)")]
    TooLarge {
        /// The most tables visited.
        max: u64,
    },
}

/// The share `successes / trials` with Wilson's 95% score interval (p +
/// z^2 / 2n +- z sqrt(p (1 - p) / n + z^2 / 4n^2)) / (1 + z^2 / n), which
/// stays inside [0, 1]. `None` without trials or with more successes than
/// trials.
pub fn wilson(successes: u64, trials: u64) -> Option<Share> {
    if trials == 0 || successes > trials {
        return None;
    }
    let (x, n) = (successes as f64, trials as f64);
    let p = x / n;
    let z2 = Z_975 * Z_975;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Share {
        successes,
        trials,
        estimate: p,
        lower: if successes == 0 { 0.0 } else { (centre - half).max(0.0) },
        upper: if successes == trials {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    })
}

/// R's `fisher.test` relative tolerance: tables whose probability is
/// within this factor of the observed one count as at least as extreme.
const FISHER_RELATIVE_TOLERANCE: f64 = 1.0 + 1e-7;

/// The most tables (with the observed margins) the exact test visits: those
/// within e^-745 of the most likely one, which is all that counts in double
/// precision, about 77 standard deviations of the hypergeometric count
/// (balanced 2 x 2 tables of up to about 10^11 subjects).
pub const MAX_FISHER_TABLES: u64 = 10_000_000;

/// The two-sided p-value of Fisher's exact test of the 2 x 2 `table`
/// (rows, then columns), as R's `fisher.test`: the sum of the
/// probabilities of the tables with the same margins whose probability
/// (hypergeometric) is at most the observed one's, within a relative
/// 1e-7. The probabilities come from the ratio of consecutive terms, in
/// logs, walking out from the most likely table until they fall below
/// e^-745 of it (they no longer count in double precision; an observed
/// table beyond that gives 0), twice (to find the largest, then to sum),
/// in constant memory. Refused when that walk would pass
/// [`MAX_FISHER_TABLES`] tables.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> Result<f64, TableError> {
    let [[a, b], [c, d]] = table.map(|row| row.map(u128::from));
    // R's notation: x = a, m = first column, n = second, k = first row.
    let (m, n, k) = (a + c, b + d, a + b);
    let too_large = Err(TableError::TooLarge { max: MAX_FISHER_TABLES });
    let (mf, nf, kf) = ((m as f64), (n as f64), (k as f64));
    let total = mf + nf;
    if total > 1.0 {
        let variance = kf * mf * nf * (total - kf) / (total * total * (total - 1.0));
        if 80.0 * variance.sqrt() > MAX_FISHER_TABLES as f64 {
            return too_large;
        }
    }
    let (lo, hi) = (k.saturating_sub(n), k.min(m));
    // log P(x + 1) - log P(x), for lo <= x < hi; the differences are taken
    // in integers, exact whatever the size of the counts.
    let up = |x: u128| {
        let f = |v: u128| v as f64;
        libm::log(f(m - x) * f(k - x)) - libm::log(f(x + 1) * f(n + x + 1 - k))
    };
    // Start at (about) the mode; the terms fall away on both sides.
    let mode = (((mf + 1.0) * (kf + 1.0) / (total + 2.0)).floor() as u128).clamp(lo, hi);
    // Visits log P(x) - log P(mode) from the mode down, then up, while it
    // is within 745 of the largest so far; returns that largest.
    let walk = |visit: &mut dyn FnMut(u128, f64)| -> Result<f64, TableError> {
        visit(mode, 0.0);
        let (mut max, mut visited) = (0.0f64, 1u64);
        for upward in [false, true] {
            let (mut x, mut log_p) = (mode, 0.0);
            while (upward && x < hi) || (!upward && x > lo) {
                if upward {
                    log_p += up(x);
                    x += 1;
                } else {
                    x -= 1;
                    log_p -= up(x);
                }
                max = max.max(log_p);
                if log_p < max - 745.0 {
                    break;
                }
                visit(x, log_p);
                visited += 1;
                if visited > MAX_FISHER_TABLES {
                    return Err(TableError::TooLarge { max: MAX_FISHER_TABLES });
                }
            }
        }
        Ok(max)
    };
    let mut observed = None;
    let max = walk(&mut |x, log_p| {
        if x == a {
            observed = Some(log_p);
        }
    })?;
    let Some(observed) = observed else { return Ok(0.0) };
    let threshold = libm::exp(observed - max) * FISHER_RELATIVE_TOLERANCE;
    let (mut sum, mut extreme) = (0.0, 0.0);
    walk(&mut |_, log_p| {
        let p = libm::exp(log_p - max);
        sum += p;
        if p <= threshold {
            extreme += p;
        }
    })?;
    Ok((extreme / sum).clamp(0.0, 1.0))
}

/// Pearson's chi-square test that k shares are equal, from each group's
/// (successes, trials): sum over groups of (x_g - n_g p)^2 / (n_g p (1 -
/// p)), p the pooled share, on (groups with trials - 1) degrees of
/// freedom. Groups without trials are left out.
pub fn chi_square_homogeneity(groups: &[(u64, u64)]) -> Result<ChiSquareTest, TableError> {
    if let Some(group) = groups.iter().position(|&(x, n)| x > n) {
        let (successes, trials) = groups[group];
        return Err(TableError::MoreSuccessesThanTrials {
            group,
            successes,
            trials,
        });
    }
    let used: Vec<(f64, f64)> = groups
        .iter()
        .filter(|&&(_, n)| n > 0)
        .map(|&(x, n)| (x as f64, n as f64))
        .collect();
    if used.len() < 2 {
        return Err(TableError::TooFewGroups);
    }
    let successes: f64 = used.iter().map(|g| g.0).sum();
    let trials: f64 = used.iter().map(|g| g.1).sum();
    if successes == 0.0 || successes == trials {
        return Err(TableError::NoVariation);
    }
    let p = successes / trials;
    let statistic: f64 = used
        .iter()
        .map(|&(x, n)| (x - n * p).powi(2) / (n * p * (1.0 - p)))
        .sum();
    ChiSquareTest::new(statistic, used.len() - 1).ok_or(TableError::NoVariation)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), "Two-sided confidence intervals for the single
    /// proportion: comparison of seven methods", Statistics in Medicine
    /// 17:857-872, table of examples, score method without continuity
    /// correction: 81/263 -> 0.2553 to 0.3662, 15/148 -> 0.0624 to 0.1605,
    /// 0/10 -> 0 to 0.2775.
    #[test]
    fn wilson_matches_newcombe_1998() {
        let cases = [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 10, 0.0, 0.2775),
        ];
        for (x, n, lo, hi) in cases {
            let s = wilson(x, n).unwrap();
            assert!((s.lower - lo).abs() <= 5e-5 && (s.upper - hi).abs() <= 5e-5, "{s:?}");
        }
        // The interval is symmetric under swapping successes and failures.
        let (a, b) = (wilson(10, 10).unwrap(), wilson(0, 10).unwrap());
        assert!((a.lower - (1.0 - b.upper)).abs() < 1e-15 && a.upper == 1.0);
        assert_eq!((wilson(0, 0), wilson(3, 2)), (None, None));
        let big = wilson(u64::MAX / 3, u64::MAX).unwrap();
        assert!(big.lower.is_finite() && big.lower < big.upper);
    }

    /// R's fisher.test on Fisher's tea-tasting table, matrix(c(3, 1, 1,
    /// 3), 2): p = 0.4857 (Penn State STAT 504, TeaLady.R output), where
    /// the two tail tables have equal probability (R's tolerance counts
    /// both); the dieting example (1 of 12 men and 9 of 12 women dieting):
    /// p = 0.00276 (QI Macros' Fisher exact test example); and 4 0 / 2 5:
    /// two-tailed 0.0606 (Calcugator's chi2_fisherexact example).
    #[test]
    fn fisher_matches_published_two_sided_p_values() {
        let p = fisher_exact([[3, 1], [1, 3]]).unwrap();
        assert!((p - 0.4857).abs() <= 5e-5, "{p}");
        // By hand: (1 + 16 + 16 + 1) / 70.
        assert!((p - 34.0 / 70.0).abs() < 1e-14);
        let p = fisher_exact([[1, 9], [11, 3]]).unwrap();
        assert!((p - 0.00276).abs() <= 5e-6, "{p}");
        let p = fisher_exact([[4, 0], [2, 5]]).unwrap();
        assert!((p - 0.0606).abs() <= 5e-5, "{p}");
        assert!((p - 20.0 / 330.0).abs() < 1e-14);
        // Transposing or swapping rows changes nothing.
        let f = |t| fisher_exact(t).unwrap();
        assert!((f([[1, 11], [9, 3]]) - f([[1, 9], [11, 3]])).abs() < 1e-15);
        assert!((f([[11, 3], [1, 9]]) - f([[1, 9], [11, 3]])).abs() < 1e-15);
    }

    #[test]
    fn fisher_handles_empty_far_and_huge_tables() {
        assert_eq!(fisher_exact([[0, 0], [0, 0]]), Ok(1.0));
        assert_eq!(fisher_exact([[5, 0], [0, 0]]), Ok(1.0));
        let p = fisher_exact([[1_000_000, 1_000_000], [1_000_000, 1_000_000]]).unwrap();
        assert!((p - 1.0).abs() < 1e-6, "{p}");
        let p = fisher_exact([[1_001_000, 999_000], [999_000, 1_001_000]]).unwrap();
        assert!(p > 0.0 && p < 0.05, "{p}");
        // Far in the tail: 0 to double precision.
        assert_eq!(fisher_exact([[100_000, 0], [0, 100_000]]), Ok(0.0));
        // Huge margins with a narrow range of tables are fine...
        let p = fisher_exact([[u64::MAX / 8, 0], [0, 3]]).unwrap();
        assert!(p.is_finite() && (0.0..=1.0).contains(&p));
        // ...wide ones are refused rather than walked for ever.
        let huge = 1u64 << 61;
        assert!(matches!(
            fisher_exact([[huge, 0], [0, huge]]),
            Err(TableError::TooLarge { .. })
        ));
        assert!(matches!(
            fisher_exact([[1 << 60, 1 << 60], [1 << 60, 1 << 60]]),
            Err(TableError::TooLarge { .. })
        ));
    }

    /// R's prop.test(smokers, patients) with smokers = 83, 90, 129, 70 and
    /// patients = 86, 93, 136, 82 (Fleiss): X-squared = 12.6, df = 3,
    /// p-value = 0.005585 (R's documentation example; output printed at
    /// matstat.org's R course).
    #[test]
    fn homogeneity_matches_r_prop_test_on_the_smokers_example() {
        let t = chi_square_homogeneity(&[(83, 86), (90, 93), (129, 136), (70, 82)]).unwrap();
        assert!((t.statistic - 12.6).abs() <= 0.05, "{}", t.statistic);
        assert_eq!(t.df, 3);
        assert!((t.p_value - 0.005585).abs() <= 5e-7, "{}", t.p_value);
        // Groups without trials are left out.
        let u = chi_square_homogeneity(&[(83, 86), (0, 0), (90, 93), (129, 136), (70, 82)]).unwrap();
        assert_eq!(t, u);
    }

    #[test]
    fn homogeneity_refuses_tables_it_cannot_test() {
        assert_eq!(
            chi_square_homogeneity(&[(3, 2), (1, 5)]).unwrap_err(),
            TableError::MoreSuccessesThanTrials {
                group: 0,
                successes: 3,
                trials: 2
            }
        );
        assert_eq!(chi_square_homogeneity(&[(3, 5)]).unwrap_err(), TableError::TooFewGroups);
        assert_eq!(
            chi_square_homogeneity(&[(3, 5), (0, 0)]).unwrap_err(),
            TableError::TooFewGroups
        );
        assert_eq!(
            chi_square_homogeneity(&[(5, 5), (2, 2)]).unwrap_err(),
            TableError::NoVariation
        );
        assert_eq!(
            chi_square_homogeneity(&[(0, 5), (0, 2)]).unwrap_err(),
            TableError::NoVariation
        );
        // Two groups: the chi-square is the square of the two-proportion z.
        let t = chi_square_homogeneity(&[(30, 100), (45, 100)]).unwrap();
        let p = 75.0 / 200.0;
        let z = (0.45 - 0.30) / (p * (1.0 - p) * (2.0 / 100.0f64)).sqrt();
        assert!((t.statistic - z * z).abs() < 1e-12);
    }
}
