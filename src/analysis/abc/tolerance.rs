//! The tolerance schedule and its stopping rule. Each generation's
//! tolerance is a quantile (by default the median) of the previous
//! generation's accepted distances, recomputed under the distance adapted
//! after that generation (Del Moral et al. 2012's adaptive schedule with
//! Prangle 2017's adaptive distance). Since the distance changes from one
//! generation to the next, tolerances of different generations are not
//! compared directly: the schedule has stopped shrinking when, under one
//! and the same distance, the quantile of the new population's distances
//! is hardly below that of the previous population's.

/// The quantile of the previous distances that sets a tolerance, unless
/// the caller chooses another: the median.
pub(crate) const DEFAULT_QUANTILE: f64 = 0.5;

/// The tolerance that keeps the share of `distances` nearest `alpha`:
/// among the distinct distances d, the one whose share of distances at or
/// below it is closest to `alpha` (on a tie, the larger share). With
/// distinct distances this is the `alpha`-quantile, the inverse of the
/// empirical distribution function rounded to the nearest order
/// statistic. With ties (discrete summaries, or several exact matches) a
/// plain quantile would sit on the tied value generation after generation
/// (a median of 1 when 35% of the distances are 0 and the rest 1); the
/// nearest share moves to 0 instead, when 35% is closer to one half than
/// 100% is. Undefined distances count in the total but are never kept;
/// `None` when no distance is defined.
pub(crate) fn quantile_tolerance(distances: &[Option<f64>], alpha: f64) -> Option<f64> {
    let n = distances.len() as f64;
    if !(alpha > 0.0 && alpha <= 1.0) {
        return None;
    }
    let mut defined: Vec<f64> = distances.iter().flatten().copied().filter(|d| d.is_finite()).collect();
    defined.sort_by(f64::total_cmp);
    let mut best: Option<(f64, f64)> = None;
    for (i, &d) in defined.iter().enumerate() {
        // The last of a run of equal distances gives its share.
        if defined.get(i + 1) == Some(&d) {
            continue;
        }
        let gap = ((i + 1) as f64 / n - alpha).abs();
        if best.is_none_or(|(g, _)| gap <= g) {
            best = Some((gap, d));
        } else {
            break;
        }
    }
    best.map(|(_, d)| d)
}

/// The relative decrease from `before` to `after`, 1 - after / before;
/// `None` when `before` is 0 (nothing is left to shrink) or either is not
/// finite.
pub(crate) fn relative_decrease(before: f64, after: f64) -> Option<f64> {
    let r = 1.0 - after / before;
    (before > 0.0 && before.is_finite() && after.is_finite() && r.is_finite()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tolerance_keeps_the_chosen_share_of_distances() {
        let d: Vec<Option<f64>> = [5.0, 1.0, 4.0, 2.0, 3.0].iter().map(|&x| Some(x)).collect();
        // Shares 0.2, 0.4, ..., 1: one half lies between 0.4 and 0.6.
        assert_eq!(quantile_tolerance(&d, 0.5), Some(3.0));
        assert_eq!(quantile_tolerance(&d, 0.2), Some(1.0));
        assert_eq!(quantile_tolerance(&d, 0.31), Some(2.0));
        assert_eq!(quantile_tolerance(&d, 1.0), Some(5.0));
        assert_eq!(quantile_tolerance(&d, 1e-9), Some(1.0));
        assert_eq!(quantile_tolerance(&d, 0.0), None);
        assert_eq!(quantile_tolerance(&[], 0.5), None);
        // Undefined distances count in the total but are never kept.
        let u = [None, Some(2.0), None, Some(1.0)];
        assert_eq!(quantile_tolerance(&u, 0.5), Some(2.0));
        assert_eq!(quantile_tolerance(&u, 0.9), Some(2.0));
        assert_eq!(quantile_tolerance(&[None, None], 0.5), None);
    }

    #[test]
    fn tied_distances_give_the_share_nearest_the_quantile() {
        // 35% exact matches, 65% at 1: 35% is nearer one half than 100%.
        let mut d = vec![Some(0.0); 35];
        d.extend(vec![Some(1.0); 65]);
        assert_eq!(quantile_tolerance(&d, 0.5), Some(0.0));
        // 20% exact: 100% is nearer than 20% only above alpha 0.6.
        let mut d = vec![Some(0.0); 20];
        d.extend(vec![Some(1.0); 80]);
        assert_eq!(quantile_tolerance(&d, 0.5), Some(0.0));
        assert_eq!(quantile_tolerance(&d, 0.61), Some(1.0));
        // All tied: the only value.
        assert_eq!(quantile_tolerance(&[Some(2.0); 4], 0.5), Some(2.0));
    }

    #[test]
    fn a_decrease_is_relative_to_what_came_before() {
        assert_eq!(relative_decrease(4.0, 3.0), Some(0.25));
        assert_eq!(relative_decrease(4.0, 5.0), Some(-0.25));
        assert_eq!(relative_decrease(0.0, 0.0), None);
        assert_eq!(relative_decrease(f64::NAN, 1.0), None);
    }
}
