//! Pure statistics: summaries of samples (mean, standard deviation, Student-t
//! confidence interval, percentiles), skewness-aware intervals of a mean
//! across replications ([`interval`]), an automatic warm-up ([`mser`]:
//! MSER-5, and [`inefficiency`]: how long a series stays correlated), the
//! time-weighted average of a piecewise-constant quantity,
//! exact mergeable accumulators for statistics across replications
//! ([`moments`], [`histogram`]), and market concentration
//! ([`concentration`]: shares and the HHI). No I/O, no simulation.

pub(crate) mod concentration;
pub(crate) mod histogram;
pub(crate) mod inefficiency;
pub(crate) mod interval;
pub(crate) mod moments;
pub(crate) mod mser;
mod radix;

pub(crate) use histogram::Histogram;
pub(crate) use moments::{Kind, Moments};

use crate::core::theory::t_975;
use serde::Serialize;

/// Mean, spread and a 95% confidence interval of a sample.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Number of observations.
    pub n: u64,
    /// Sample mean (in the observations' unit); `None` when `n = 0`.
    pub mean: Option<f64>,
    /// Sample standard deviation (n - 1 denominator); `None` when `n < 2`.
    pub sd: Option<f64>,
    /// Lower end of the 95% Student-t interval of the mean; `None` when `n < 2`.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% Student-t interval of the mean; `None` when `n < 2`.
    pub ci_high: Option<f64>,
}

impl Summary {
    /// Summarises `xs` (Welford's update, stable for large samples).
    pub fn of(xs: &[f64]) -> Summary {
        let mut n = 0u64;
        let mut mean = 0.0;
        let mut m2 = 0.0;
        for &x in xs {
            n += 1;
            let d = x - mean;
            mean += d / n as f64;
            m2 += d * (x - mean);
        }
        if n == 0 {
            return Summary {
                n,
                mean: None,
                sd: None,
                ci_low: None,
                ci_high: None,
            };
        }
        if n == 1 {
            return Summary {
                n,
                mean: Some(mean),
                sd: None,
                ci_low: None,
                ci_high: None,
            };
        }
        let sd = (m2 / (n - 1) as f64).sqrt();
        let half = t_975(n - 1) * sd / (n as f64).sqrt();
        Summary {
            n,
            mean: Some(mean),
            sd: Some(sd),
            ci_low: Some(mean - half),
            ci_high: Some(mean + half),
        }
    }

    /// Half-width of the 95% interval, when there is one.
    pub fn half_width(&self) -> Option<f64> {
        Some(0.5 * (self.ci_high? - self.ci_low?))
    }
}

/// The `q`-quantile (0 <= q <= 1) of `xs` by linear interpolation between
/// order statistics (Hyndman and Fan's type 7, the default of R and NumPy);
/// `None` for an empty sample. NaNs are not expected.
pub(crate) fn percentile(xs: &[f64], q: f64) -> Option<f64> {
    percentiles(xs, &[q])[0]
}

/// Several quantiles of `xs` at once (see [`percentile`]), in the order of
/// `qs`. The order statistics are selected from one copy in about linear
/// time, each from the part above the previous one; they are the values a
/// full sort would give. The copy holds each value's bits turned into an
/// integer of the same order as [`f64::total_cmp`], so that selecting
/// compares plain integers; the values come back exactly.
pub(crate) fn percentiles(xs: &[f64], qs: &[f64]) -> Vec<Option<f64>> {
    let mut out = vec![None; qs.len()];
    if xs.is_empty() {
        return out;
    }
    let mut v: Vec<i64> = xs.iter().map(|&x| ordered(x)).collect();
    let n = v.len();
    let mut order: Vec<usize> = (0..qs.len()).collect();
    order.sort_by(|&a, &b| qs[a].clamp(0.0, 1.0).total_cmp(&qs[b].clamp(0.0, 1.0)));
    // v[..done] holds the `done` smallest values, the last in its sorted place.
    let mut done = 0;
    for i in order {
        let h = (n - 1) as f64 * qs[i].clamp(0.0, 1.0);
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        if lo >= done {
            v[done..].select_nth_unstable(lo - done);
            done = lo + 1;
        }
        let at_lo = value(v[lo]);
        let at_hi = if hi > lo {
            v[lo + 1..].iter().copied().min().map_or(at_lo, value)
        } else {
            at_lo
        };
        out[i] = Some(at_lo + (h - lo as f64) * (at_hi - at_lo));
    }
    out
}

/// `x`'s bits as an integer ordered as [`f64::total_cmp`] orders the
/// values (negative values' magnitude bits flipped).
fn ordered(x: f64) -> i64 {
    flip(x.to_bits() as i64)
}

/// The value of an [`ordered`] key (flipping twice undoes it).
fn value(key: i64) -> f64 {
    f64::from_bits(flip(key) as u64)
}

/// `bits` with the magnitude bits flipped when the sign bit is set.
fn flip(bits: i64) -> i64 {
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// The arithmetic mean of `xs`, `None` when empty: their sum, in order,
/// divided by their number (Welford's running mean, as in
/// [`Summary::of`], divides at every value, which makes a replication's
/// daily averages wait on a chain of divisions).
pub(crate) fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The time integrals of several piecewise-constant quantities that always
/// change at the same instants, counted only from a `start` instant on (a
/// warm-up is left out). Times are plain numbers in any one unit; the
/// averages are `area / (end - start)`.
#[derive(Clone, Debug)]
pub(crate) struct TimeIntegrals<const N: usize> {
    start: f64,
    last: f64,
    values: [f64; N],
    areas: [f64; N],
}

impl<const N: usize> TimeIntegrals<N> {
    /// Quantities worth `values` from time 0, integrated from `start` on.
    pub(crate) fn new(start: f64, values: [f64; N]) -> TimeIntegrals<N> {
        TimeIntegrals {
            start,
            last: 0.0,
            values,
            areas: [0.0; N],
        }
    }

    /// The quantities change to `values` at time `now` (not before the last change).
    #[inline]
    pub(crate) fn set(&mut self, now: f64, values: [f64; N]) {
        self.advance(now);
        self.values = values;
    }

    /// Accounts for the time up to `now` at the current values.
    #[inline]
    pub(crate) fn advance(&mut self, now: f64) {
        let from = self.last.max(self.start);
        if now > from {
            for (a, v) in self.areas.iter_mut().zip(&self.values) {
                *a += v * (now - from);
            }
        }
        if now > self.last {
            self.last = now;
        }
    }

    /// The integrals from `start` to `now`, after accounting up to `now`.
    pub(crate) fn areas(&mut self, now: f64) -> [f64; N] {
        self.advance(now);
        self.areas
    }

    /// The time averages over `[start, end]`, after accounting up to `end`;
    /// `None` for an empty window.
    pub(crate) fn averages(&mut self, end: f64) -> [Option<f64>; N] {
        self.advance(end);
        let span = end - self.start;
        self.areas.map(|a| (span > 0.0).then(|| a / span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_integral_counts_its_own_values_on_the_shared_clock() {
        let mut together = TimeIntegrals::new(3.0, [1.0, 0.0]);
        for (t, a, b) in [
            (1.0, 2.0, 5.0),
            (2.5, 0.0, 1.0),
            (4.25, 7.0, 3.0),
            (9.0, 1.0, 1.0),
            (9.0, 2.0, 0.5),
        ] {
            together.set(t, [a, b]);
        }
        let [a, b] = together.averages(12.0);
        // From 3 on: a is 0, 7, 2 on [3, 4.25], [4.25, 9], [9, 12]; b is 1, 3, 0.5.
        assert!((a.unwrap() - (7.0 * 4.75 + 2.0 * 3.0) / 9.0).abs() < 1e-12);
        assert!((b.unwrap() - (1.25 + 3.0 * 4.75 + 0.5 * 3.0) / 9.0).abs() < 1e-12);
    }

    #[test]
    fn summary_matches_a_hand_computed_sample() {
        let s = Summary::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert!((s.mean.unwrap() - 5.0).abs() < 1e-12);
        // Sum of squared deviations 32, n - 1 = 7.
        assert!((s.sd.unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        let half = 2.364_624_252 * (32.0f64 / 7.0).sqrt() / 8.0f64.sqrt();
        assert!((s.ci_high.unwrap() - (5.0 + half)).abs() < 1e-9);
        assert!((s.ci_low.unwrap() - (5.0 - half)).abs() < 1e-9);
    }

    #[test]
    fn the_mean_is_the_sum_over_the_number_and_agrees_with_the_summary() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 3.0, 4.0]), Some(2.5));
        let xs: Vec<f64> = (0..366).map(|i| (f64::from(i) * 0.731).sin() * 40.0 + 50.0).collect();
        let (a, b) = (mean(&xs).unwrap(), Summary::of(&xs).mean.unwrap());
        assert!((a - b).abs() <= 1e-13 * b.abs(), "{a} against {b}");
    }

    #[test]
    fn summary_leaves_undefined_statistics_empty() {
        let none = Summary::of(&[]);
        assert_eq!((none.mean, none.sd, none.ci_low), (None, None, None));
        let one = Summary::of(&[3.0]);
        assert_eq!((one.mean, one.sd, one.ci_high), (Some(3.0), None, None));
    }

    #[test]
    fn ordered_keys_sort_like_total_cmp_and_give_the_values_back() {
        let xs = [
            -f64::INFINITY,
            -3.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            7.25,
            f64::MAX,
            f64::NAN,
            -f64::NAN,
        ];
        for &a in &xs {
            assert_eq!(value(ordered(a)).to_bits(), a.to_bits());
            for &b in &xs {
                assert_eq!(ordered(a).cmp(&ordered(b)), a.total_cmp(&b), "{a} {b}");
            }
        }
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&xs, 0.5), Some(3.0));
        assert_eq!(percentile(&xs, 0.0), Some(1.0));
        assert_eq!(percentile(&xs, 1.0), Some(10.0));
        // numpy.percentile([1,2,3,4,10], 95) = 8.8
        assert!((percentile(&xs, 0.95).unwrap() - 8.8).abs() < 1e-12);
        assert_eq!(percentile(&[], 0.5), None);
        // The same values as sorting, on a larger sample with ties.
        let ys: Vec<f64> = (0..1001).map(|i| f64::from((i * 7919) % 503) * 0.25).collect();
        let mut sorted = ys.clone();
        sorted.sort_by(f64::total_cmp);
        let qs = [0.95, 0.0, 0.05, 0.1234, 0.5, 0.999, 1.0, 0.5];
        let all = percentiles(&ys, &qs);
        for (q, got) in qs.into_iter().zip(all) {
            let h = 1000.0 * q;
            let (lo, hi) = (sorted[h.floor() as usize], sorted[h.ceil() as usize]);
            let want = Some(lo + (h - h.floor()) * (hi - lo));
            assert_eq!(percentile(&ys, q), want);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn time_integral_ignores_the_warmup_window() {
        let mut ti = TimeIntegrals::new(10.0, [0.0]);
        ti.set(5.0, [4.0]); // 0 from 0 to 5
        ti.set(12.0, [1.0]); // 4 from 5 to 12, but only 10..12 counts: 8
        ti.set(20.0, [0.0]); // 1 from 12 to 20: 8
        assert!((ti.averages(30.0)[0].unwrap() - 16.0 / 20.0).abs() < 1e-12);
    }
}
