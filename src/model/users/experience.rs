//! What users experience of each platform on a day, and what follows from it
//! for every user of that platform alike: the churn multiplier, engagement,
//! and the platform's share of the day's adopters. One computation shared by
//! both representations of users, so they cannot drift apart.

use super::params::{MarketParams, Sensitivities};
use crate::model::platform::{Release, share_on_latest};

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

/// Every platform's appeal day after day, kept incrementally: the releases
/// fully rolled out contribute a sum that decays by the same factor for
/// all of them, so a day costs one exponential per platform plus one per
/// release still in its phase, instead of one per release ever made. The
/// same value as [`appeal`] up to rounding (about 1e-13 relative after ten
/// years of daily steps).
#[derive(Clone, Debug, Default)]
pub(crate) struct AppealBook {
    /// Per platform: (day of `settled`, decayed sum of the settled releases,
    /// number of releases settled).
    platforms: Vec<(f64, f64, usize)>,
}

/// 2^(-age / half-life), 0 with no half-life.
fn decay(age: f64, half_life_days: f64) -> f64 {
    if half_life_days > 0.0 {
        libm::exp(-age * std::f64::consts::LN_2 / half_life_days)
    } else {
        0.0
    }
}

impl AppealBook {
    /// The appeal of platform `p` with `base` appeal and these `releases`
    /// on `day` (days never go back).
    pub(crate) fn appeal(&mut self, p: usize, base: f64, releases: &[Release], day: f64, half_life_days: f64) -> f64 {
        if self.platforms.len() <= p {
            self.platforms.resize(p + 1, (0.0, 0.0, 0));
        }
        let (at, sum, settled) = &mut self.platforms[p];
        if day > *at {
            *sum *= decay(day - *at, half_life_days);
            *at = day;
        }
        while let Some(r) = releases
            .get(*settled)
            .filter(|r| r.full_day <= day && r.start_day <= day)
        {
            *sum += r.appeal * decay(day - r.start_day, half_life_days);
            *settled += 1;
        }
        let rolling: f64 = releases[*settled..]
            .iter()
            .filter(|r| r.start_day <= day)
            .map(|r| r.appeal * share_on_latest(r, day) * decay(day - r.start_day, half_life_days))
            .sum();
        *sum + rolling + base
    }
}

/// The conditions of every platform on `day`, given their experiences.
pub fn conditions(market: &MarketParams, day: f64, exp: &[Experience<'_>]) -> Vec<Conditions> {
    let s: &Sensitivities = &market.sensitivities;
    let appeals: Vec<f64> = exp
        .iter()
        .zip(&market.platforms)
        .map(|(e, p)| appeal(p.base_appeal, e.releases, day, s.appeal_half_life_days))
        .collect();
    conditions_with_appeals(market, exp, &appeals)
}

/// The conditions of every platform, given their experiences and appeals.
pub(crate) fn conditions_with_appeals(
    market: &MarketParams,
    exp: &[Experience<'_>],
    appeals: &[f64],
) -> Vec<Conditions> {
    let s: &Sensitivities = &market.sensitivities;
    let utilities: Vec<f64> = exp
        .iter()
        .zip(&market.platforms)
        .zip(appeals)
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
    fn the_appeal_book_follows_the_direct_sum() {
        // A release every 7 days, phased over 3, for ten years.
        let releases: Vec<Release> = (0..520)
            .map(|i| {
                release(
                    7.0 * f64::from(i) + 0.5,
                    7.0 * f64::from(i) + 3.5,
                    1.0 + f64::from(i % 5),
                )
            })
            .collect();
        let mut book = AppealBook::default();
        for day in 0..3650 {
            let d = f64::from(day);
            let known = releases.iter().take_while(|r| r.start_day <= d).count();
            let direct = appeal(2.0, &releases[..known], d, 30.0);
            let kept = book.appeal(0, 2.0, &releases[..known], d, 30.0);
            assert!((kept - direct).abs() <= 1e-12 * direct, "day {day}: {kept} vs {direct}");
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
