//! Holm's step-down adjustment of p-values for multiple comparisons, as
//! R's `p.adjust(p, "holm")`: sorted increasingly, the i-th smallest of m
//! p-values becomes max over j <= i of (m - j + 1) p_(j), capped at 1. It
//! controls the family-wise error rate under any dependence between the
//! tests.

/// A p-value that is not a number in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("p-value {index} is {value}, not a number in [0, 1]")]
pub struct NotAProbability {
    /// Its position.
    pub index: usize,
    /// Its value.
    pub value: f64,
}

/// Holm's adjusted p-values, in the order of `p`.
pub fn holm(p: &[f64]) -> Result<Vec<f64>, NotAProbability> {
    if let Some(index) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(NotAProbability { index, value: p[index] });
    }
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    // Stable, as R's order(): equal p-values keep their input order.
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![0.0; m];
    let mut running = 0.0f64;
    for (i, &at) in order.iter().enumerate() {
        running = running.max((m - i) as f64 * p[at]);
        adjusted[at] = running.min(1.0);
    }
    Ok(adjusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Holm (1979) applied by hand, and the worked example of the
    /// Holm-Bonferroni method (GeeksforGeeks, "Holm-Bonferroni Method"):
    /// p = 0.01, 0.04, 0.03, 0.005 at alpha 0.05 rejects H4 (0.005 <=
    /// 0.05/4) and H1 (0.01 <= 0.05/3) and stops at H3 (0.03 > 0.05/2).
    /// The adjusted values are 4 x 0.005 = 0.02, 3 x 0.01 = 0.03, max(0.03,
    /// 2 x 0.03) = 0.06 and max(0.06, 0.04) = 0.06; the rejected ones are
    /// exactly those below 0.05.
    #[test]
    fn holm_reproduces_the_worked_example() {
        let adjusted = holm(&[0.01, 0.04, 0.03, 0.005]).unwrap();
        let expected = [0.03, 0.06, 0.06, 0.02];
        for (a, e) in adjusted.iter().zip(expected) {
            assert!((a - e).abs() < 1e-15, "{adjusted:?}");
        }
        let rejected: Vec<bool> = adjusted.iter().map(|&a| a <= 0.05).collect();
        assert_eq!(rejected, [true, false, false, true]);
    }

    #[test]
    fn holm_caps_at_one_keeps_ties_and_refuses_non_probabilities() {
        assert_eq!(holm(&[0.5, 0.5, 0.9]).unwrap(), [1.0, 1.0, 1.0]);
        assert_eq!(holm(&[0.01, 0.01]).unwrap(), [0.02, 0.02]);
        assert_eq!(holm(&[]).unwrap(), Vec::<f64>::new());
        assert_eq!(holm(&[0.2]).unwrap(), [0.2]);
        assert_eq!(holm(&[0.1, f64::NAN]).unwrap_err().index, 1);
        assert!(holm(&[1.5]).is_err() && holm(&[-0.1]).is_err());
    }
}
