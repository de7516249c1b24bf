//! What users experience of each platform on a day, and what follows from it
//! for every user of that platform alike: the churn multiplier, engagement,
//! and the platform's share of the day's adopters. One computation shared by
//! both representations of users, so they cannot drift apart.

use super::params::{MarketParams, Sensitivities};
use crate::platform::{Release, share_on_latest};

/// A platform's state on a day, as the pipeline reports it.
#[derive(Clone, Copy, Debug)]
pub struct Experience<'a> {
    /// Days since the version users run was released, averaged over users (days).
    pub staleness_days: f64,
    /// Defects found and not yet fixed by a release (count).
    pub open_defects: u64,
    /// Every release so far, in order.
    pub releases: &'a [Release],
}

/// What follows for a platform's users on a day.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Conditions {
    /// Appeal: base appeal plus released features, each decaying with its
    /// age and counted for the share of users who have it (appeal points).
    pub appeal: f64,
    /// Log of the churn multiplier m (dimensionless).
    pub log_multiplier: f64,
    /// Churn multiplier: a user with propensity theta churns with
    /// probability 1 - (1 - theta)^m (dimensionless).
    pub multiplier: f64,
    /// Engagement factor on DAU and orders, at most 1 (dimensionless).
    pub engagement: f64,
    /// Share of the day's adopters choosing this platform (0 to 1).
    pub choice_share: f64,
}

/// Appeal of a platform with `base` appeal and these `releases` on day `day`.
pub fn appeal(base: f64, releases: &[Release], day: f64, half_life_days: f64) -> f64 {
    releases
        .iter()
        .filter(|r| r.start_day <= day)
        .map(|r| {
            let age = day - r.start_day;
            let decay = if half_life_days > 0.0 {
                libm::exp(-age * std::f64::consts::LN_2 / half_life_days)
            } else {
                0.0
            };
            r.appeal * share_on_latest(r, day) * decay
        })
        .sum::<f64>()
        + base
}

/// The conditions of every platform on `day`, given their experiences.
pub fn conditions(market: &MarketParams, day: f64, exp: &[Experience<'_>]) -> Vec<Conditions> {
    let s: &Sensitivities = &market.sensitivities;
    let appeals: Vec<f64> = exp
        .iter()
        .zip(&market.platforms)
        .map(|(e, p)| appeal(p.base_appeal, e.releases, day, s.appeal_half_life_days))
        .collect();
    let utilities: Vec<f64> = exp
        .iter()
        .zip(&market.platforms)
        .zip(&appeals)
        .map(|((e, p), a)| {
            let stale = (e.staleness_days - s.staleness_grace_days).max(0.0);
            p.base_utility + s.choice_per_appeal * a
                - s.choice_per_open_defect * e.open_defects as f64
                - s.choice_per_stale_day * stale
        })
        .collect();
    // Softmax, shifted by the largest utility for numerical safety.
    let top = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = utilities.iter().map(|u| libm::exp(u - top)).collect();
    let total: f64 = weights.iter().sum();
    (0..exp.len())
        .map(|i| {
            let best_rival = (0..exp.len())
                .filter(|&j| j != i)
                .map(|j| appeals[j])
                .fold(f64::NEG_INFINITY, f64::max);
            let gap = if best_rival.is_finite() {
                best_rival - appeals[i]
            } else {
                0.0
            };
            let stale = (exp[i].staleness_days - s.staleness_grace_days).max(0.0);
            let log_m = s.churn_per_stale_day * stale
                + s.churn_per_open_defect * exp[i].open_defects as f64
                + s.churn_per_appeal_gap * gap;
            Conditions {
                appeal: appeals[i],
                log_multiplier: log_m,
                multiplier: libm::exp(log_m),
                engagement: libm::exp(-s.engagement_elasticity * log_m.max(0.0)),
                choice_share: weights[i] / total,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(start: f64, full: f64, appeal: f64) -> Release {
        Release {
            build: 1,
            start_day: start,
            full_day: full,
            appeal,
            fixes_defects_upto: 0,
        }
    }

    #[test]
    fn a_features_appeal_halves_every_half_life_and_grows_with_its_phase() {
        let r = [release(10.0, 10.0, 4.0)];
        assert_eq!(appeal(1.0, &r, 9.0, 30.0), 1.0);
        assert!((appeal(1.0, &r, 40.0, 30.0) - 3.0).abs() < 1e-12);
        let phased = [release(10.0, 20.0, 4.0)];
        // Half-way through the phase, half the users have it (aged 5 days).
        let want = 1.0 + 4.0 * 0.5 * (-5.0 * std::f64::consts::LN_2 / 30.0).exp();
        assert!((appeal(1.0, &phased, 15.0, 30.0) - want).abs() < 1e-12);
    }
}
