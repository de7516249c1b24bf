//! Confidence intervals for a mean across independent replications, and
//! the skewness that decides whether the usual one can be trusted.
//!
//! Three 95% intervals of the mean of `x_1..x_n` (independent, as
//! replications are): Student's t (what [`Summary`](super::Summary)
//! gives), Johnson's (1978) modified t, which shifts the t interval by a
//! skewness correction, and the bootstrap-t (studentised bootstrap), whose
//! resamples come from a named stream. The interval of a *paired*
//! difference (two configurations run on common random numbers) is the
//! interval of the per-replication differences: [`Interval::of_differences`].
//!
//! [`skew_check`] reads the sample skewness G1 against Cochran's rule
//! (n > 25 G1^2) and gives the one-sided error the first Edgeworth term
//! predicts for the t interval; [`n_for_tail_error`] turns that term around
//! into the number of replications that brings each tail's error below a
//! tolerance.
//!
//! Every figure is computed on the values scaled by a power of two (exact)
//! so that no sum or square overflows, whatever their magnitude; a figure
//! that is undefined, or that does not fit in an `f64` once scaled back,
//! is `None`, never NaN or infinity.

use crate::core::rng::{mix, stream};
use crate::core::theory::{normal_pdf, t_975};
use rand::Rng;
use rayon::prelude::*;

/// The 97.5% standard normal quantile: the `z` of the Edgeworth terms.
const Z_975: f64 = 1.959_963_984_540_054;

/// The nominal one-sided error of a two-sided 95% interval.
const TAIL: f64 = 0.025;

/// The default number of bootstrap resamples: (B + 1) times 2.5% is a
/// whole number, so the quantiles are plain order statistics.
pub const RESAMPLES: usize = 1999;

/// Bootstrap resamples a thread takes at a time: enough that sharing
/// them out costs little beside drawing them.
const RESAMPLES_PER_TASK: usize = 64;

/// A 95% confidence interval of a mean, with the sample mean it is about.
/// Only the t interval is symmetric about the mean; [`below`](Self::below)
/// and [`above`](Self::above) give the two arms of the others.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The sample mean (the point estimate, whatever the interval).
    pub mean: f64,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// Where a bootstrap's resamples come from: resample `b` draws from
/// `stream(seed, b, name)`, so the interval is fixed by `(seed, name)`
/// and the first resamples are the same whatever their number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bootstrap<'a> {
    /// The run's seed.
    pub seed: u64,
    /// The stream's name (for example `intervals/bootstrap/<metric>`).
    pub name: &'a str,
    /// Number of resamples B (at least 39 for a 95% interval; 999 or
    /// 1999 make (B + 1) times 2.5% whole).
    pub resamples: usize,
}

impl<'a> Bootstrap<'a> {
    /// [`RESAMPLES`] resamples from stream `name` of a run seeded `seed`.
    pub fn new(seed: u64, name: &'a str) -> Bootstrap<'a> {
        Bootstrap {
            seed,
            name,
            resamples: RESAMPLES,
        }
    }

    /// [`RESAMPLES`] resamples from stream `name` of a seed made of the
    /// values `xs` themselves (their bits mixed in order): the interval is
    /// a function of the values alone, the same wherever and however they
    /// were computed, with no seed to carry to where it is made.
    pub(crate) fn seeded_by(xs: &[f64], name: &'a str) -> Bootstrap<'a> {
        let seed = xs.iter().fold(mix(xs.len() as u64), |k, x| mix(k ^ x.to_bits()));
        Bootstrap::new(seed, name)
    }
}

/// How to make an interval of a mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method<'a> {
    /// Student's t (see [`student_t`]).
    StudentT,
    /// Johnson's (1978) modified t (see [`johnson`]).
    Johnson,
    /// The studentised bootstrap (see [`bootstrap_t`]).
    BootstrapT(Bootstrap<'a>),
}

impl Interval {
    /// The 95% interval of the mean of the independent values `xs` by
    /// `method`; `None` with fewer than two values, a non-finite value, or
    /// ends beyond the range of `f64`.
    pub fn of(xs: &[f64], method: &Method<'_>) -> Option<Interval> {
        match method {
            Method::StudentT => student_t(xs),
            Method::Johnson => johnson(xs),
            Method::BootstrapT(b) => bootstrap_t(xs, b),
        }
    }

    /// The interval of the mean paired difference `a_i - b_i` (replication
    /// `i` of two configurations on common random numbers): the interval
    /// of the differences, which is what pairing means. `None` when the
    /// lengths differ, or as [`Interval::of`].
    pub fn of_differences(a: &[f64], b: &[f64], method: &Method<'_>) -> Option<Interval> {
        Interval::of(&differences(a, b)?, method)
    }

    /// Half the interval's length: the "±" of a symmetric interval.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.high - self.low)
    }

    /// How far the interval reaches below the mean (negative when it lies
    /// wholly above it, which a bootstrap-t interval may).
    pub fn below(&self) -> f64 {
        self.mean - self.low
    }

    /// How far the interval reaches above the mean.
    pub fn above(&self) -> f64 {
        self.high - self.mean
    }
}

/// The paired differences `a_i - b_i`; `None` when the lengths differ.
pub(crate) fn differences(a: &[f64], b: &[f64]) -> Option<Vec<f64>> {
    (a.len() == b.len()).then(|| a.iter().zip(b).map(|(x, y)| x - y).collect())
}

/// Student's t interval, `mean ± t_{0.975, n-1} s / sqrt(n)` (the
/// interval of [`Summary`](super::Summary)), with `s^2 = sum (x_i -
/// mean)^2 / (n - 1)`.
pub fn student_t(xs: &[f64]) -> Option<Interval> {
    let m = Moments::of(xs)?;
    let half = t_975(m.n as u64 - 1) * m.standard_error();
    m.interval(m.mean - half, m.mean + half)
}

/// Johnson's (1978) modified t interval: the t interval moved by the
/// first-order skewness correction of the mean's studentised error,
///
/// `mean + mu3 / (6 s^2 n) ± t_{0.975, n-1} s / sqrt(n)`,
///
/// with `s^2 = sum (x_i - mean)^2 / (n - 1)` and `mu3 = sum (x_i - mean)^3 / n`
/// (Johnson, N. J. 1978, "Modified t tests and confidence intervals for
/// asymmetrical populations", JASA 73, 536-544). His statistic is
/// `(mean - mu + mu3 / (6 s^2 n) + mu3 (mean - mu)^2 / (3 s^4)) / (s /
/// sqrt(n))`; the interval inverts it without the term in `(mean -
/// mu)^2`, which is of order 1/n (Kleijnen, Kloppenburg and Meeuwsen 1986
/// study it for simulation output). So it corrects the bias of the
/// studentised mean but not its skewness, and moves the t interval only a
/// little: up for right skew. A constant sample has no skewness to correct
/// and gets the t interval (of length 0).
pub fn johnson(xs: &[f64]) -> Option<Interval> {
    let m = Moments::of(xs)?;
    let n = m.n as f64;
    let half = t_975(m.n as u64 - 1) * m.standard_error();
    let shift = if m.ss > 0.0 {
        (m.cubes / n) / (6.0 * (m.ss / (n - 1.0)) * n)
    } else {
        0.0
    };
    m.interval(m.mean + shift - half, m.mean + shift + half)
}

/// The bootstrap-t (studentised bootstrap) interval (Efron and Tibshirani
/// 1993, ch. 12; Davison and Hinkley 1997, §5.2). Resample `b` draws `n`
/// values with replacement and gives `T*_b = (mean*_b - mean) / (s*_b /
/// sqrt(n))`; with `T*_(k)` the k-th smallest of the B values and `k =
/// floor((B + 1) 2.5%)`, the interval is
///
/// `[mean - T*_(B+1-k) s / sqrt(n), mean - T*_(k) s / sqrt(n)]`.
///
/// A resample of equal values has `s* = 0` and `T* = ±infinity` (0 when
/// its mean is the sample's), so an interval resting on one is `None`; so
/// is one with fewer than 39 resamples (`k = 0`). A constant sample gets
/// the interval of length 0.
pub fn bootstrap_t(xs: &[f64], bootstrap: &Bootstrap<'_>) -> Option<Interval> {
    let m = Moments::of(xs)?;
    let k = ((bootstrap.resamples as f64 + 1.0) * TAIL) as usize;
    if k == 0 {
        return None;
    }
    let n = m.n;
    let root_n = (n as f64).sqrt();
    // Resample b draws from its own stream, so the values (and their
    // order) are the same on any number of threads. Inside a thread pool
    // (a run's `-j`) the resamples are shared among its threads; outside
    // one, they are drawn on the calling thread.
    let resample = |draw: &mut Vec<f64>, b: usize| -> f64 {
        let mut rng = stream(bootstrap.seed, b as u64, bootstrap.name);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut sum = 0.0;
        for d in draw.iter_mut() {
            // An index below n by a 64-bit multiply-shift (bias at most n / 2^64).
            let i = ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize;
            *d = m.deviations[i];
            sum += *d;
            lo = lo.min(*d);
            hi = hi.max(*d);
        }
        // Deviations from the sample mean: this is mean* - mean.
        let shift = sum / n as f64;
        if lo == hi {
            return if lo == 0.0 { 0.0 } else { lo.signum() * f64::INFINITY };
        }
        let ss: f64 = draw.iter().map(|d| (d - shift) * (d - shift)).sum();
        shift * root_n / (ss / (n - 1) as f64).sqrt()
    };
    let mut t: Vec<f64> = if rayon::current_thread_index().is_some() {
        (0..bootstrap.resamples)
            .into_par_iter()
            .with_min_len(RESAMPLES_PER_TASK)
            .map_init(|| vec![0.0; n], resample)
            .collect()
    } else {
        let mut draw = vec![0.0; n];
        (0..bootstrap.resamples).map(|b| resample(&mut draw, b)).collect()
    };
    let (low_t, high_t) = {
        let (_, &mut low_t, above) = t.select_nth_unstable_by(k - 1, f64::total_cmp);
        // The (B + 1 - k)-th smallest is the (B + 1 - 2k)-th of those above the k-th.
        let (_, &mut high_t, _) = above.select_nth_unstable_by(bootstrap.resamples - 2 * k, f64::total_cmp);
        (low_t, high_t)
    };
    let se = m.standard_error();
    m.interval(m.mean - high_t * se, m.mean - low_t * se)
}

/// The adjusted Fisher-Pearson sample skewness G1 = g1 sqrt(n (n - 1)) /
/// (n - 2), with g1 = m3 / m2^(3/2) and m_k = sum (x_i - mean)^k / n (the
/// skewness of SAS, Excel and `scipy.stats.skew(bias=False)`; Joanes and
/// Gill 1998). `None` with fewer than three values or no spread. At small
/// n it understates a skewed population's skewness: |G1| cannot exceed
/// about sqrt(n).
pub fn skewness(xs: &[f64]) -> Option<f64> {
    let m = Moments::of(xs)?;
    let n = m.n as f64;
    if m.n < 3 || m.ss <= 0.0 {
        return None;
    }
    let g1 = (m.cubes / n) / (m.ss / n).powf(1.5);
    // A spread so small that its cube underflows has no skewness to read.
    Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)).filter(|g| g.is_finite())
}

/// What the skewness of a sample says about its t interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SkewCheck {
    /// Number of values (replications).
    pub n: usize,
    /// The sample skewness G1 ([`skewness`]).
    pub skewness: f64,
    /// Cochran's rule: the smallest n with n > 25 G1^2, from which a 95%
    /// interval of the mean is wrong at most about 6% of the time
    /// (Cochran 1977, Sampling Techniques, 3rd ed., §2.15; reviewed by Boos
    /// and Hughes-Oliver 2000, "How large does n have to be for Z and t
    /// intervals?", The American Statistician 54, 121-128).
    pub replications_needed: u64,
    /// Each tail's coverage error of the t interval at n, from the first
    /// Edgeworth term of the studentised mean, P(T <= x) = Phi(x) + G1
    /// (2 x^2 + 1) phi(x) / (6 sqrt(n)) + O(1/n) (Hall 1992, The Bootstrap
    /// and Edgeworth Expansion, §2.6; Boos and Hughes-Oliver 2000), at x =
    /// 1.96: right skew puts this much more than 2.5% of the misses above
    /// the upper end and this much less below the lower end. The two
    /// cancel to this order; the net under-coverage is of order 1 / n.
    pub tail_error: f64,
}

impl SkewCheck {
    /// Whether the skewness is large enough for the t interval to
    /// under-cover at n replications (n does not pass Cochran's rule).
    pub fn t_may_under_cover(&self) -> bool {
        (self.n as u64) < self.replications_needed
    }
}

/// Reads the skewness of `xs` against Cochran's rule (see [`SkewCheck`]);
/// `None` when the skewness is undefined (fewer than three values, or
/// none differ).
pub fn skew_check(xs: &[f64]) -> Option<SkewCheck> {
    let g1 = skewness(xs)?;
    Some(SkewCheck {
        n: xs.len(),
        skewness: g1,
        // G1^2 <= n, so this is far from saturating.
        replications_needed: (25.0 * g1 * g1).floor() as u64 + 1,
        tail_error: edgeworth_tail(g1) / (xs.len() as f64).sqrt(),
    })
}

/// The smallest n at which the first Edgeworth term puts each tail of the
/// t interval within `tolerance` of its nominal 2.5%:
/// `n >= (|G1| (2 z^2 + 1) phi(z) / (6 tolerance))^2` with `z = 1.96`,
/// about `(0.0846 |G1| / tolerance)^2` (at least 2). `None` for a
/// tolerance that is not positive, or a figure that is not finite.
pub fn n_for_tail_error(skewness: f64, tolerance: f64) -> Option<u64> {
    if tolerance.is_nan() || tolerance <= 0.0 || !skewness.is_finite() {
        return None;
    }
    let root_n = edgeworth_tail(skewness) / tolerance;
    let n = (root_n * root_n).ceil();
    // A count past u64 is not a figure anyone can run.
    (n < u64::MAX as f64).then(|| (n as u64).max(2))
}

/// |G1| (2 z^2 + 1) phi(z) / 6 at z = 1.96: a tail's error times sqrt(n).
fn edgeworth_tail(skewness: f64) -> f64 {
    skewness.abs() * (2.0 * Z_975 * Z_975 + 1.0) * normal_pdf(Z_975) / 6.0
}

/// The power of two `e` with |x| / 2^e < 1 for every `x` in `xs` (0 for
/// an empty or all-zero sample). Scaling by it is exact (bar values below
/// 2^-1022 of the largest) and keeps sums of squares and cubes of `n`
/// values below `n`.
pub(super) fn scale_exponent(xs: impl IntoIterator<Item = f64>) -> i32 {
    let largest = xs.into_iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    if largest > 0.0 { libm::frexp(largest).1 } else { 0 }
}

/// A sample's moments in scaled units (values divided by 2^`exponent`).
struct Moments {
    /// Number of values (at least 2).
    n: usize,
    /// The scale: values are `x / 2^exponent`.
    exponent: i32,
    /// The scaled mean.
    mean: f64,
    /// Each scaled value's deviation from the scaled mean.
    deviations: Vec<f64>,
    /// Sum of squared deviations.
    ss: f64,
    /// Sum of cubed deviations.
    cubes: f64,
}

impl Moments {
    /// The moments of `xs`; `None` with fewer than two values or a
    /// non-finite one.
    fn of(xs: &[f64]) -> Option<Moments> {
        if xs.len() < 2 || xs.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let exponent = scale_exponent(xs.iter().copied());
        let ys: Vec<f64> = xs.iter().map(|&x| libm::ldexp(x, -exponent)).collect();
        let n = ys.len() as f64;
        let first = ys.iter().sum::<f64>() / n;
        // One refinement pass takes back the rounding of the first sum.
        let mean = first + ys.iter().map(|y| y - first).sum::<f64>() / n;
        let deviations: Vec<f64> = ys.iter().map(|y| y - mean).collect();
        let ss = deviations.iter().map(|d| d * d).sum();
        let cubes = deviations.iter().map(|d| d * d * d).sum();
        Some(Moments {
            n: xs.len(),
            exponent,
            mean,
            deviations,
            ss,
            cubes,
        })
    }

    /// s / sqrt(n), scaled.
    fn standard_error(&self) -> f64 {
        (self.ss / (self.n - 1) as f64 / self.n as f64).sqrt()
    }

    /// The interval with scaled ends `low` and `high`, in the values' own
    /// unit; `None` if an end does not fit in an `f64`.
    fn interval(&self, low: f64, high: f64) -> Option<Interval> {
        let unscale = |v: f64| Some(libm::ldexp(v, self.exponent)).filter(|v| v.is_finite());
        Some(Interval {
            mean: unscale(self.mean)?,
            low: unscale(low)?,
            high: unscale(high)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::{Stream, stream};
    use crate::core::sample::{exp1, normal};
    use crate::core::stats::Summary;

    /// The seed of every sample drawn here.
    const SEED: u64 = 20_260_503;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn the_t_interval_is_the_summarys() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let s = Summary::of(&xs);
        let t = student_t(&xs).unwrap();
        assert!(close(t.mean, 5.0, 1e-15));
        assert!(close(t.low, s.ci_low.unwrap(), 1e-14) && close(t.high, s.ci_high.unwrap(), 1e-14));
        assert!(close(t.half_width(), s.half_width().unwrap(), 1e-14));
        assert!(close(t.below(), t.above(), 1e-14));
    }

    #[test]
    fn johnson_moves_the_t_interval_by_the_third_moment() {
        // 0, 0, 0, 3: mean 3/4, deviations -3/4 (three times) and 9/4;
        // s^2 = 6.75 / 3 = 2.25, mu3 = (3 (-27/64) + 729/64) / 4 = 2.53125.
        let xs = [0.0, 0.0, 0.0, 3.0];
        let shift = 2.53125 / (6.0 * 2.25 * 4.0);
        let (t, j) = (student_t(&xs).unwrap(), johnson(&xs).unwrap());
        assert!(close(j.low - t.low, shift, 1e-14) && close(j.high - t.high, shift, 1e-14));
        assert_eq!(j.mean, 0.75);
        // Left skew moves it down by as much.
        let (t, j) = (
            student_t(&[0.0, 0.0, 0.0, -3.0]).unwrap(),
            johnson(&[0.0, 0.0, 0.0, -3.0]).unwrap(),
        );
        assert!(close(j.low - t.low, -shift, 1e-14));
    }

    #[test]
    fn the_skewness_is_the_adjusted_fisher_pearson_coefficient() {
        // Three zeros and a 3: g1 = 2 / sqrt(3) (a two-point law with p = 1/4),
        // G1 = g1 sqrt(4 * 3) / 2 = 2.
        assert!(close(skewness(&[0.0, 0.0, 0.0, 3.0]).unwrap(), 2.0, 1e-14));
        assert!(close(skewness(&[0.0, 0.0, 0.0, -3.0]).unwrap(), -2.0, 1e-14));
        assert!(skewness(&[1.0, 2.0, 3.0]).unwrap().abs() < 1e-15);
        // Shifting and scaling leave it alone.
        let moved: Vec<f64> = [0.0, 0.0, 0.0, 3.0].iter().map(|x| 7.5 * x - 1e6).collect();
        assert!(close(skewness(&moved).unwrap(), 2.0, 1e-9));
    }

    #[test]
    fn cochrans_rule_asks_for_more_than_25_g1_squared_replications() {
        // G1 = 2: n > 100 (G1 is 2 to the last bit or two, hence 100 or 101).
        let check = skew_check(&[0.0, 0.0, 0.0, 3.0]).unwrap();
        assert!(check.n == 4 && (100..=101).contains(&check.replications_needed));
        assert!(check.t_may_under_cover());
        // 2 (2 z^2 + 1) phi(z) / 6 / sqrt(4) at z = 1.959964: 8.682918 * 0.0584451 / 6.
        assert!(
            (check.tail_error - 0.084_578_954_610_385).abs() < 1e-14,
            "{}",
            check.tail_error
        );
        let xs = [0.3, 1.2, 0.1, 4.5, 0.8, 0.2, 2.2, 0.05, 0.6, 9.0, 0.4];
        let check = skew_check(&xs).unwrap();
        let rule = 25.0 * check.skewness * check.skewness;
        assert!(((check.replications_needed - 1) as f64) <= rule && rule < check.replications_needed as f64);
        assert!(check.t_may_under_cover());
        let symmetric = skew_check(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(symmetric.replications_needed, 1);
        assert!(!symmetric.t_may_under_cover());
    }

    #[test]
    fn the_replications_for_a_tail_error_are_the_fewest_that_reach_it() {
        for (g1, tol) in [(2.0, 0.005), (-6.18, 0.0125), (0.3, 0.001), (1.0, 0.02)] {
            let n = n_for_tail_error(g1, tol).unwrap();
            assert!(edgeworth_tail(g1) / (n as f64).sqrt() <= tol);
            assert!(n == 2 || edgeworth_tail(g1) / ((n - 1) as f64).sqrt() > tol);
        }
        // Exponential data (G1 = 2), each tail within half a point:
        // (2 * 8.682918 * 0.0584451 / 6 / 0.005)^2 = 33.8316^2 = 1144.58.
        assert_eq!(n_for_tail_error(2.0, 0.005), Some(1145));
        assert_eq!(n_for_tail_error(0.0, 0.01), Some(2));
        assert_eq!(n_for_tail_error(1.0, 0.0), None);
        assert_eq!(n_for_tail_error(1.0, f64::NAN), None);
        assert_eq!(n_for_tail_error(f64::INFINITY, 0.01), None);
        assert_eq!(n_for_tail_error(1e300, 1e-300), None);
    }

    #[test]
    fn the_bootstrap_is_fixed_by_seed_and_name() {
        let xs: Vec<f64> = (0..15).map(|i| f64::from(i * i % 11) + 0.5).collect();
        let one = Bootstrap::new(3, "test/bootstrap");
        let b = bootstrap_t(&xs, &one).unwrap();
        assert_eq!(b, bootstrap_t(&xs, &one).unwrap());
        assert_ne!(b, bootstrap_t(&xs, &Bootstrap::new(4, "test/bootstrap")).unwrap());
        assert_ne!(b, bootstrap_t(&xs, &Bootstrap::new(3, "test/bootstrap2")).unwrap());
        assert_ne!(b, bootstrap_t(&xs, &Bootstrap { resamples: 999, ..one }).unwrap());
        assert!(b.low < b.mean && b.mean < b.high);
        assert_eq!(Interval::of(&xs, &Method::BootstrapT(one)), Some(b));
        // Too few resamples for a 2.5% order statistic.
        assert_eq!(bootstrap_t(&xs, &Bootstrap { resamples: 38, ..one }), None);
        assert!(bootstrap_t(&xs, &Bootstrap { resamples: 39, ..one }).is_some());
    }

    #[test]
    fn the_bootstrap_is_the_same_on_the_calling_thread_and_shared_among_a_pools_threads() {
        let xs: Vec<f64> = (0..40).map(|i| f64::from(i * 7 % 13).powi(2) + 0.25).collect();
        let boot = Bootstrap::new(11, "test/threads");
        let alone = bootstrap_t(&xs, &boot).unwrap();
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            assert_eq!(
                pool.install(|| bootstrap_t(&xs, &boot)),
                Some(alone),
                "{threads} threads"
            );
        }
    }

    #[test]
    fn a_paired_difference_is_the_interval_of_the_differences() {
        let a = [10.0, 12.5, 9.0, 14.0, 11.0];
        let b = [9.5, 11.0, 9.5, 12.0, 10.0];
        let d = differences(&a, &b).unwrap();
        assert_eq!(d, [0.5, 1.5, -0.5, 2.0, 1.0]);
        for method in [
            Method::StudentT,
            Method::Johnson,
            Method::BootstrapT(Bootstrap::new(1, "test/paired")),
        ] {
            assert_eq!(Interval::of_differences(&a, &b, &method), Interval::of(&d, &method));
        }
        assert_eq!(Interval::of_differences(&a, &b[..4], &Method::StudentT), None);
    }

    #[test]
    fn no_input_gives_a_nan_an_infinity_or_a_panic() {
        let boot = Method::BootstrapT(Bootstrap {
            resamples: 99,
            ..Bootstrap::new(1, "test/edge")
        });
        for method in [Method::StudentT, Method::Johnson, boot] {
            assert_eq!(Interval::of(&[], &method), None);
            assert_eq!(Interval::of(&[4.0], &method), None);
            assert_eq!(Interval::of(&[1.0, f64::NAN], &method), None);
            assert_eq!(Interval::of(&[1.0, f64::INFINITY], &method), None);
            // A constant sample: the interval is the point.
            let c = Interval::of(&[0.1; 7], &method).unwrap();
            assert_eq!((c.low, c.mean, c.high), (0.1, 0.1, 0.1));
            // Huge values: no overflow on the way, ends that fit.
            let huge = [1e308, -1e308, 5e307, 1.7e308, -1.1e308, 0.0];
            let h = Interval::of(&huge, &method).unwrap();
            assert!(h.low.is_finite() && h.high.is_finite() && h.low < h.mean && h.mean < h.high);
            // Ends beyond f64: no interval rather than an infinite one.
            assert_eq!(Interval::of(&[-1.7e308, 1.7e308], &method), None);
            // Tiny ones keep their precision.
            let tiny = Interval::of(&[1e-310, 3e-310, 2e-310, 5e-310], &method).unwrap();
            assert!(tiny.low < tiny.mean && tiny.mean < tiny.high && close(tiny.mean / 1e-310, 2.75, 1e-9));
        }
        assert_eq!(skewness(&[1.0, 2.0]), None);
        assert_eq!(skewness(&[2.0; 5]), None);
        assert_eq!(skew_check(&[2.0; 5]), None);
        assert!(skewness(&[1e308, -1e308, 1.5e308, 0.0]).unwrap().is_finite());
    }

    /// How often the three intervals cover the mean `mu` over `reps`
    /// samples of `n` drawn by `draw`, and how often each covers when
    /// the t interval does not and the other way round.
    #[derive(Debug)]
    struct Coverage {
        /// Samples.
        reps: u32,
        /// Hits of the t, Johnson and bootstrap-t intervals.
        hits: [u32; 3],
        /// Samples where Johnson's, then the bootstrap-t, covers and t does not.
        beyond_t: [u32; 2],
        /// Samples where t covers and Johnson's, then the bootstrap-t, does not.
        short_of_t: [u32; 2],
        /// Summed lengths of the three intervals.
        lengths: [f64; 3],
    }

    impl Coverage {
        fn rate(&self, i: usize) -> f64 {
            f64::from(self.hits[i]) / f64::from(self.reps)
        }

        /// The binomial standard error of a coverage of 95%.
        fn nominal_se(&self) -> f64 {
            (0.95 * 0.05 / f64::from(self.reps)).sqrt()
        }

        /// How much nearer 95% interval `i` (1 Johnson, 2 bootstrap-t)
        /// comes than the t interval, in standard errors of the paired
        /// difference (McNemar's: the discordant samples decide it).
        fn gain_over_t_in_se(&self, i: usize) -> f64 {
            let gain = (self.rate(0) - 0.95).abs() - (self.rate(i) - 0.95).abs();
            let discordant = f64::from(self.beyond_t[i - 1] + self.short_of_t[i - 1]);
            gain * f64::from(self.reps) / discordant.max(1.0).sqrt()
        }
    }

    /// Samples per coverage: 10,000 at n = 10, where Johnson's correction
    /// is to be told from t's by the few samples on which they disagree,
    /// 4,000 above.
    fn samples(n: usize) -> u32 {
        if n == 10 { 10_000 } else { 4_000 }
    }

    fn coverage(law: &str, n: usize, mu: f64, draw: impl Fn(&mut Stream) -> f64) -> Coverage {
        let name = format!("test/coverage/{law}/{n}");
        let reps = samples(n);
        let mut c = Coverage {
            reps,
            hits: [0; 3],
            beyond_t: [0; 2],
            short_of_t: [0; 2],
            lengths: [0.0; 3],
        };
        for r in 0..reps {
            let mut rng = stream(SEED, u64::from(r), &name);
            let xs: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
            let boot = Bootstrap {
                seed: u64::from(r),
                name: "test/coverage/bootstrap",
                resamples: 999,
            };
            let intervals = [student_t(&xs), johnson(&xs), bootstrap_t(&xs, &boot)];
            let hit = intervals.map(|i| i.is_some_and(|i| i.low <= mu && mu <= i.high));
            for i in 0..3 {
                c.hits[i] += u32::from(hit[i]);
                c.lengths[i] += intervals[i].map_or(0.0, |i| i.high - i.low);
            }
            for i in 0..2 {
                c.beyond_t[i] += u32::from(hit[i + 1] && !hit[0]);
                c.short_of_t[i] += u32::from(hit[0] && !hit[i + 1]);
            }
        }
        // A row of the coverage table (shown with --nocapture).
        eprintln!(
            "| {law} | {n} | {reps} | {:.4} | {:.4} | {:.4} | {:.4} | {:.2} | {:.2} |",
            c.rate(0),
            c.rate(1),
            c.rate(2),
            c.nominal_se(),
            c.lengths[1] / c.lengths[0],
            c.lengths[2] / c.lengths[0],
        );
        c
    }

    #[test]
    fn on_normal_samples_all_three_intervals_cover_95_percent() {
        for n in [10, 20, 50] {
            let c = coverage("normal", n, 10.0, |rng| 10.0 + 2.0 * normal(rng));
            for i in 0..3 {
                assert!((c.rate(i) - 0.95).abs() < 4.0 * c.nominal_se(), "{n}: {c:?}");
            }
        }
    }

    #[test]
    fn on_log_normal_samples_the_t_interval_under_covers_and_the_others_come_nearer() {
        let mu = libm::exp(0.5);
        for n in [10, 20, 50] {
            let c = coverage("log-normal", n, mu, |rng| libm::exp(normal(rng)));
            // Skewness 6.18: Cochran's rule wants n > 955.
            assert!(c.rate(0) < 0.95 - 4.0 * c.nominal_se(), "{n}: {c:?}");
            if n == 10 {
                assert!(c.gain_over_t_in_se(1) > 4.0, "{n}: {c:?}");
                assert!(c.gain_over_t_in_se(2) > 4.0, "{n}: {c:?}");
            }
        }
    }

    #[test]
    fn on_exponential_samples_the_t_interval_under_covers_at_10_and_the_others_come_nearer() {
        for n in [10, 20, 50] {
            let c = coverage("exponential", n, 1.0, exp1);
            if n == 10 {
                // Skewness 2: Cochran's rule wants n > 100.
                assert!(c.rate(0) < 0.95 - 4.0 * c.nominal_se(), "{n}: {c:?}");
                assert!(c.gain_over_t_in_se(1) > 4.0, "{n}: {c:?}");
                assert!(c.gain_over_t_in_se(2) > 4.0, "{n}: {c:?}");
            }
        }
    }
}
