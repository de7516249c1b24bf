//! Exact, mergeable moments of a stream of observations: count, sum and sum
//! of squares kept as integers (values in fixed point), so that adding the
//! same observations in any order, or merging partial accumulators computed
//! anywhere, gives bit-identical results. This is what lets replications
//! finish in any order, on any number of threads or machines, and still give
//! byte-identical outputs.

use super::Summary;
use crate::core::theory::t_975;

/// Fixed-point resolution of real-valued observations: 2^-20 (about 1e-6).
pub(crate) const REAL_SCALE: f64 = 1_048_576.0;

/// How an observation is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (a count): stored exactly.
    Count,
    /// A real number: stored to [`REAL_SCALE`].
    Real,
}

impl Kind {
    /// The fixed-point integer of `x` (rounded half away from zero).
    #[inline]
    pub fn to_fixed(self, x: f64) -> i128 {
        let y = match self {
            Kind::Count => x,
            Kind::Real => x * REAL_SCALE,
        };
        if y.abs() < 4.0e15 {
            // y - trunc(y) is exact here, so this is f64::round without a library call.
            let t = y as i64;
            let frac = y - t as f64;
            i128::from(t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5))
        } else {
            y.round() as i128
        }
    }

    /// The value of fixed-point `v`.
    pub fn fixed_to_value(self, v: f64) -> f64 {
        match self {
            Kind::Count => v,
            Kind::Real => v / REAL_SCALE,
        }
    }
}

/// Count, sum and sum of squares in fixed point.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    n: u64,
    sum: i128,
    sum_sq: i128,
}

impl Moments {
    /// Adds one observation (already in fixed point).
    #[inline]
    pub fn add(&mut self, v: i128) {
        self.n += 1;
        self.sum = self.sum.saturating_add(v);
        let sq = match i64::try_from(v) {
            // |v| < 2^63, so v^2 < 2^126: no overflow.
            Ok(small) => i128::from(small) * i128::from(small),
            Err(_) => v.saturating_mul(v),
        };
        self.sum_sq = self.sum_sq.saturating_add(sq);
    }

    /// Adds the values `xs` of this kind, NaN standing for no value: the
    /// same as adding each one's fixed point with [`Moments::add`]. Those
    /// below 2^32 - 1 in fixed point (all but huge ones) are summed apart in
    /// plain 64- and 128-bit integers, where at most 2^20 of them cannot
    /// overflow, and added at once; the sums could only differ from
    /// one-by-one adding past 2^127, which takes 2^75 such observations.
    #[inline]
    pub fn add_values(&mut self, kind: Kind, xs: &[f64]) {
        // x * 1.0 is x, so one multiplication serves both kinds.
        let scale = match kind {
            Kind::Count => 1.0,
            Kind::Real => REAL_SCALE,
        };
        let (mut n, mut sum, mut sum_sq) = (0u64, 0i64, 0u128);
        for &x in xs {
            let y = x * scale;
            // Below 2^32 - 1 (false for NaN): y - trunc(y) is exact, and the
            // rounded value's square fits in 64 bits.
            if y.abs() < 4_294_967_295.0 && n < 1 << 20 {
                let t = y as i64;
                let frac = y - t as f64;
                let v = t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5);
                let u = v.unsigned_abs();
                n += 1;
                sum += v;
                sum_sq += u128::from(u * u);
            } else if !x.is_nan() {
                self.add(kind.to_fixed(x));
            }
        }
        self.merge(&Moments {
            n,
            sum: i128::from(sum),
            sum_sq: sum_sq as i128,
        });
    }

    /// Adds `count` observations of the value `x` of this kind: the same as
    /// adding each.
    pub fn add_repeated(&mut self, kind: Kind, x: f64, count: u64) {
        let v = kind.to_fixed(x);
        match i64::try_from(v) {
            Ok(small) if small.unsigned_abs() < 1 << 32 && count < 1 << 20 => {
                let c = i128::from(count);
                self.merge(&Moments {
                    n: count,
                    sum: c * v,
                    sum_sq: c * i128::from(small) * i128::from(small),
                });
            }
            _ => (0..count).for_each(|_| self.add(v)),
        }
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
    }

    /// Number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Mean, standard deviation and 95% Student-t interval of the mean, in
    /// the observations' unit.
    pub fn summary(&self, kind: Kind) -> Summary {
        let n = self.n;
        let mean = (n > 0).then(|| kind.fixed_to_value(self.sum as f64 / n as f64));
        let sd = (n > 1).then(|| {
            // n * sum_sq - sum^2 is exact in integers when it fits; it is never negative.
            let nf = n as f64;
            let num = i128::from(n)
                .checked_mul(self.sum_sq)
                .and_then(|a| self.sum.checked_mul(self.sum).and_then(|b| a.checked_sub(b)))
                .map(|d| d as f64)
                .unwrap_or_else(|| nf * self.sum_sq as f64 - (self.sum as f64).powi(2));
            kind.fixed_to_value((num.max(0.0) / (nf * (nf - 1.0))).sqrt())
        });
        let half = sd.map(|s| t_975(n - 1) * s / (n as f64).sqrt());
        Summary {
            n,
            mean,
            sd,
            ci_low: mean.zip(half).map(|(m, h)| m - h),
            ci_high: mean.zip(half).map(|(m, h)| m + h),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_moments_match_the_floating_point_summary() {
        let xs = [2.5, 4.0, 4.25, 4.0, 5.0, 5.5, 7.0, 9.75];
        let mut m = Moments::default();
        for &x in &xs {
            m.add(Kind::Real.to_fixed(x));
        }
        let exact = Summary::of(&xs);
        let got = m.summary(Kind::Real);
        assert!((got.mean.unwrap() - exact.mean.unwrap()).abs() < 1e-12);
        assert!((got.sd.unwrap() - exact.sd.unwrap()).abs() < 1e-9);
        assert!((got.ci_high.unwrap() - exact.ci_high.unwrap()).abs() < 1e-9);
    }

    #[test]
    fn merging_in_any_order_gives_identical_bits() {
        let xs: Vec<f64> = (0..100).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        let mut forward = Moments::default();
        xs.iter().for_each(|&x| forward.add(Kind::Real.to_fixed(x)));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs.iter().rev().step_by(2).for_each(|&x| a.add(Kind::Real.to_fixed(x)));
        xs.iter()
            .rev()
            .skip(1)
            .step_by(2)
            .for_each(|&x| b.add(Kind::Real.to_fixed(x)));
        b.merge(&a);
        assert_eq!(forward, b);
        assert_eq!(
            format!("{:?}", forward.summary(Kind::Real)),
            format!("{:?}", b.summary(Kind::Real))
        );
    }

    #[test]
    fn fixed_point_conversion_rounds_half_away_from_zero_like_f64_round() {
        for x in [
            0.0,
            0.5,
            -0.5,
            1.5,
            -2.5,
            2.499_999_999_999_999_6,
            -0.499_999_999_999_999_94,
            1e15 + 0.5,
            -7.0,
            3.7e18,
            123.456,
            -9.9e16,
        ] {
            assert_eq!(Kind::Count.to_fixed(x), x.round() as i128, "{x}");
            assert_eq!(Kind::Real.to_fixed(x), (x * REAL_SCALE).round() as i128, "{x}");
        }
    }

    #[test]
    fn adding_values_at_once_equals_adding_one_by_one_small_and_huge_alike() {
        let xs: Vec<f64> = (0..300)
            .map(|i| match i % 7 {
                0 => f64::from(i - 150) * 1e12,
                1 => -4096.5,
                2 => f64::NAN,
                3 => 4_095.999_999,
                _ => f64::from(i * 7919 - 1_000_000) / 3.0,
            })
            .collect();
        let mut one = Moments::default();
        xs.iter()
            .filter(|x| !x.is_nan())
            .for_each(|&x| one.add(Kind::Real.to_fixed(x)));
        let mut all = Moments::default();
        all.add(12345);
        all.add_values(Kind::Real, &xs);
        one.merge(&{
            let mut m = Moments::default();
            m.add(12345);
            m
        });
        assert_eq!(all, one);
        assert_eq!(all.n(), 300 - 43 + 1);
    }

    #[test]
    fn adding_a_value_many_times_at_once_equals_adding_it_one_by_one() {
        for (kind, x, count) in [
            (Kind::Real, 3.25, 1000u64),
            (Kind::Count, 0.0, 64),
            (Kind::Count, 7.0, 3),
            (Kind::Real, -1e15, 10),
        ] {
            let mut one = Moments::default();
            one.add(5);
            (0..count).for_each(|_| one.add(kind.to_fixed(x)));
            let mut at_once = Moments::default();
            at_once.add(5);
            at_once.add_repeated(kind, x, count);
            assert_eq!(at_once, one, "{x} x {count}");
        }
    }

    #[test]
    fn counts_are_exact_and_a_constant_has_zero_spread() {
        let mut m = Moments::default();
        for _ in 0..5 {
            m.add(Kind::Count.to_fixed(1_000_000_007.0));
        }
        let s = m.summary(Kind::Count);
        assert_eq!(s.mean, Some(1_000_000_007.0));
        assert_eq!(s.sd, Some(0.0));
        assert_eq!(s.ci_low, Some(1_000_000_007.0));
    }
}
