//! Model-free survival statistics for review logs: per platform, the time
//! from submission to decision, with submissions still pending taken as
//! right-censored at the time the log was read.
//!
//! - [`kaplan_meier`]: the Kaplan-Meier curve with Greenwood's variance and
//!   pointwise 95% bands (log-log, as R's `survfit(conf.type = "log-log")`,
//!   or log, R's default), quantiles of the time with Brookmeyer-Crowley
//!   intervals (R's `quantile.survfit`) and the restricted mean with its
//!   standard error (R's `print(fit, rmean = tau)`);
//! - [`logrank`]: the two-sample and k-sample log-rank (Mantel-Haenszel)
//!   tests, and each group against all the others pooled, with Holm's
//!   adjustment, in O(n log n) for any number of groups;
//! - [`cox`]: the two-sample Cox proportional-hazards model (Efron's or
//!   Breslow's handling of ties) with the Wald, score and likelihood-ratio
//!   tests;
//! - [`proportions`]: Wilson's interval for a share, Fisher's exact test of
//!   a 2 x 2 table and the chi-square test of homogeneity of a 2 x k table;
//! - [`multiple`]: Holm's adjustment of a list of p-values.
//!
//! Ties follow the usual convention: a subject whose time is t (event or
//! censored) is at risk at t, and events at t come before censorings at t.
//! No function panics on any input, and no result is NaN or infinite: a
//! figure that is undefined for the data at hand is `None`, and input that
//! cannot be analysed is refused with a typed error.

pub(crate) mod cox;
pub(crate) mod kaplan_meier;
pub(crate) mod logrank;
pub(crate) mod multiple;
pub(crate) mod proportions;

use crate::analysis::fit::special::chi_square_sf;

/// The 97.5% quantile of the standard normal: the multiplier of two-sided
/// 95% intervals (R's `qnorm(0.975)`).
pub(crate) const Z_975: f64 = 1.959_963_984_540_054;

/// One subject: the time from submission to decision, or to the reading of
/// the log when the decision is still pending (then `event` is false).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// The time, finite and >= 0, in any unit.
    pub time: f64,
    /// True when the decision was observed at `time`; false when the
    /// submission was still pending then (right-censored).
    pub event: bool,
}

impl Observation {
    /// A decision observed at `time`.
    pub fn event(time: f64) -> Observation {
        Observation { time, event: true }
    }

    /// A submission still pending at `time`.
    pub fn censored(time: f64) -> Observation {
        Observation { time, event: false }
    }
}

/// Input that cannot be analysed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A time that is negative, infinite or not a number.
    #[error("observation {index}: the time {time} is not a finite number >= 0")]
    BadTime {
        /// The observation's position.
        index: usize,
        /// Its time.
        time: f64,
    },
    /// A group index outside 0..k.
    #[error("observation {index}: group {group} is not below the number of groups, {groups}")]
    BadGroup {
        /// The observation's position.
        index: usize,
        /// Its group.
        group: usize,
        /// The number of groups.
        groups: usize,
    },
    /// Group indices given for a different number of observations.
    #[error("{groups} group indices for {observations} observations")]
    LengthMismatch {
        /// The number of observations.
        observations: usize,
        /// The number of group indices.
        groups: usize,
    },
    /// More groups than a `u32` counts.
    #[error("{groups} groups: at most {} are supported", u32::MAX)]
    TooManyGroups {
        /// The number of groups asked for.
        groups: usize,
    },
}

/// Checks every time of `observations`.
pub(crate) fn check_times(observations: &[Observation]) -> Result<(), InputError> {
    match observations.iter().position(|o| !(o.time.is_finite() && o.time >= 0.0)) {
        Some(index) => Err(InputError::BadTime {
            index,
            time: observations[index].time,
        }),
        None => Ok(()),
    }
}

/// Observations split into `k` groups (platforms), checked once: every time
/// finite and >= 0, every group below `k`.
#[derive(Clone, Copy, Debug)]
pub struct GroupedSample<'a> {
    /// The observations.
    observations: &'a [Observation],
    /// The group of each observation, in 0..k.
    groups: &'a [usize],
    /// The number of groups (some may be empty).
    k: usize,
}

impl<'a> GroupedSample<'a> {
    /// Checks and wraps `observations` with their `groups` in 0..`k`.
    pub fn new(
        observations: &'a [Observation],
        groups: &'a [usize],
        k: usize,
    ) -> Result<GroupedSample<'a>, InputError> {
        if groups.len() != observations.len() {
            return Err(InputError::LengthMismatch {
                observations: observations.len(),
                groups: groups.len(),
            });
        }
        if u32::try_from(k).is_err() {
            return Err(InputError::TooManyGroups { groups: k });
        }
        check_times(observations)?;
        if let Some(index) = groups.iter().position(|&g| g >= k) {
            return Err(InputError::BadGroup {
                index,
                group: groups[index],
                groups: k,
            });
        }
        Ok(GroupedSample {
            observations,
            groups,
            k,
        })
    }

    /// The observations.
    pub fn observations(&self) -> &'a [Observation] {
        self.observations
    }

    /// The number of groups.
    pub fn k(&self) -> usize {
        self.k
    }

    /// The observations as [`Packed`] records sorted by time (ties in no
    /// particular order).
    pub(crate) fn sorted(&self) -> Vec<Packed> {
        let mut packed: Vec<Packed> = self
            .observations
            .iter()
            .zip(self.groups)
            .map(|(o, &g)| Packed::new(o.time, g as u32, o.event))
            .collect();
        sort_packed(&mut packed);
        packed
    }
}

/// An observation packed for sorting: the time's bits (which order
/// non-negative times as numbers), the group and the event flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Packed {
    /// The bits of the time (never -0.0).
    pub(crate) key: u64,
    /// The group.
    pub(crate) group: u32,
    /// Whether the decision was observed.
    pub(crate) event: bool,
}

impl Packed {
    /// Packs a checked (finite, >= 0) time.
    pub(crate) fn new(time: f64, group: u32, event: bool) -> Packed {
        // Adding +0.0 turns -0.0 into +0.0, so equal times have equal keys.
        Packed {
            key: (time + 0.0).to_bits(),
            group,
            event,
        }
    }

    /// The time.
    pub(crate) fn time(self) -> f64 {
        f64::from_bits(self.key)
    }
}

/// Sorts packed observations by time: least-significant-digit radix sort
/// on the time's bits, 16 bits a pass (passes where every key has the same
/// digit are skipped), linear in the number of observations; a comparison
/// sort below a few thousand.
pub(crate) fn sort_packed(packed: &mut Vec<Packed>) {
    if packed.len() < 4096 {
        packed.sort_unstable_by_key(|p| p.key);
        return;
    }
    let mut from = std::mem::take(packed);
    let mut to = from.clone();
    for shift in [0u32, 16, 32, 48] {
        let digit = |p: &Packed| ((p.key >> shift) & 0xffff) as usize;
        let mut starts = vec![0usize; 1 << 16];
        for p in &from {
            starts[digit(p)] += 1;
        }
        if starts.contains(&from.len()) {
            continue;
        }
        let mut sum = 0;
        for s in starts.iter_mut() {
            let c = *s;
            *s = sum;
            sum += c;
        }
        for p in &from {
            let slot = &mut starts[digit(p)];
            to[*slot] = *p;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    *packed = from;
}

/// A chi-square test: the statistic, its degrees of freedom and the
/// p-value P(X > statistic).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChiSquareTest {
    /// The statistic.
    pub statistic: f64,
    /// The degrees of freedom (at least 1).
    pub df: usize,
    /// The upper-tail probability of the statistic.
    pub p_value: f64,
}

impl ChiSquareTest {
    /// The test of `statistic` on `df` degrees of freedom; `None` when the
    /// statistic is not a finite number >= 0 or `df` is 0.
    pub(crate) fn new(statistic: f64, df: usize) -> Option<ChiSquareTest> {
        if !(statistic.is_finite() && statistic >= 0.0) || df == 0 {
            return None;
        }
        Some(ChiSquareTest {
            statistic,
            df,
            p_value: chi_square_sf(statistic, df as f64).clamp(0.0, 1.0),
        })
    }
}

#[cfg(test)]
pub(crate) mod testdata {
    //! The 6-MP/placebo remission data of Freireich et al. (1963), as
    //! analysed by Gehan (1965) and Cox (1972): weeks in remission, with
    //! patients still in remission when the study closed censored. Also
    //! MASS's `gehan`, Klein & Moeschberger's `drug6mp` and G. Rodriguez's
    //! `gehan.dat` (Princeton, WWS 509).

    use super::Observation;

    /// 6-MP: 6, 6, 6, 6*, 7, 9*, 10, 10*, 11*, 13, 16, 17*, 19*, 20*, 22,
    /// 23, 25*, 32*, 32*, 34*, 35* (* censored).
    pub(crate) fn six_mp() -> Vec<Observation> {
        let events = [6.0, 6.0, 6.0, 7.0, 10.0, 13.0, 16.0, 22.0, 23.0];
        let censored = [6.0, 9.0, 10.0, 11.0, 17.0, 19.0, 20.0, 25.0, 32.0, 32.0, 34.0, 35.0];
        let mut all: Vec<Observation> = events.iter().map(|&t| Observation::event(t)).collect();
        all.extend(censored.iter().map(|&t| Observation::censored(t)));
        all
    }

    /// Placebo: 1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15,
    /// 17, 22, 23, every one a relapse.
    pub(crate) fn placebo() -> Vec<Observation> {
        [
            1.0, 1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 5.0, 8.0, 8.0, 8.0, 8.0, 11.0, 11.0, 12.0, 12.0, 15.0, 17.0, 22.0,
            23.0,
        ]
        .iter()
        .map(|&t| Observation::event(t))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_samples_refuse_bad_times_groups_and_lengths() {
        let obs = [Observation::event(1.0), Observation::censored(f64::NAN)];
        let err = GroupedSample::new(&obs, &[0, 0], 1).unwrap_err();
        assert!(matches!(err, InputError::BadTime { index: 1, .. }), "{err}");
        let obs = [Observation::event(1.0), Observation::censored(-0.5)];
        assert!(matches!(
            GroupedSample::new(&obs, &[0, 0], 1),
            Err(InputError::BadTime { index: 1, .. })
        ));
        let obs = [Observation::event(1.0), Observation::censored(f64::INFINITY)];
        assert!(GroupedSample::new(&obs, &[0, 0], 1).is_err());
        let obs = [Observation::event(1.0), Observation::censored(2.0)];
        assert_eq!(
            GroupedSample::new(&obs, &[0, 2], 2).unwrap_err(),
            InputError::BadGroup {
                index: 1,
                group: 2,
                groups: 2
            }
        );
        assert_eq!(
            GroupedSample::new(&obs, &[0], 2).unwrap_err(),
            InputError::LengthMismatch {
                observations: 2,
                groups: 1
            }
        );
        // Zero times, and -0.0, are fine; an empty sample too.
        let obs = [Observation::event(0.0), Observation::censored(-0.0)];
        let sample = GroupedSample::new(&obs, &[0, 0], 1).unwrap();
        let sorted = sample.sorted();
        assert_eq!(sorted[0].key, sorted[1].key);
        assert!(GroupedSample::new(&[], &[], 0).is_ok());
    }

    #[test]
    fn the_radix_sort_orders_times_as_numbers() {
        use crate::core::rng::Stream;
        use rand::{RngExt, SeedableRng};
        let mut rng = Stream::seed_from_u64(7);
        let mut packed: Vec<Packed> = (0..20_000)
            .map(|i| {
                let t = match i % 4 {
                    0 => rng.random::<f64>() * 1e6,
                    1 => (rng.random::<f64>() * 50.0).floor(),
                    2 => rng.random::<f64>() * 1e-300,
                    _ => 0.0,
                };
                Packed::new(t, i as u32, i % 3 == 0)
            })
            .collect();
        let mut expected: Vec<f64> = packed.iter().map(|p| p.time()).collect();
        expected.sort_by(f64::total_cmp);
        sort_packed(&mut packed);
        let got: Vec<f64> = packed.iter().map(|p| p.time()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn chi_square_tests_refuse_undefined_statistics() {
        assert!(ChiSquareTest::new(f64::NAN, 1).is_none());
        assert!(ChiSquareTest::new(-1.0, 1).is_none());
        assert!(ChiSquareTest::new(1.0, 0).is_none());
        // 3.841 is the 95% point of chi-square with 1 df.
        let t = ChiSquareTest::new(3.841_458_820_694_124, 1).unwrap();
        assert!((t.p_value - 0.05).abs() < 1e-9);
    }
}
