//! The shifted-beta-geometric churn law of one platform, as the aggregate
//! representation needs it every day for every group of users: the
//! probability that a survivor whose propensity has the posterior
//! Beta(alpha, b) churns under multiplier m,
//!
//! ```text
//! p = 1 - B(alpha, b + m) / B(alpha, b)
//!   = 1 - exp(-(g(b + m) - g(b))),   g(x) = ln Gamma(x + alpha) - ln Gamma(x).
//! ```
//!
//! Evaluating g by two log-gamma functions costs half a dozen logarithms and
//! loses digits to cancellation. For x large against alpha, g has the
//! asymptotic expansion (from Stirling's series with Bernoulli polynomials)
//!
//! ```text
//! g(x) = alpha ln x + sum_{k=2..K} c_k / x^(k-1),
//! c_k = (-1)^k (B_k(alpha) - B_k) / (k (k - 1)),
//! ```
//!
//! so g(b + m) - g(b) = alpha log1p(m / b) + (a short polynomial difference),
//! and p = 1 - exp(-(that)): for the small arguments met every day, a
//! division and a few dozen multiply-adds per group and day, accurate to
//! about 1e-15 relative (tested against 50-digit values). Below the range where the
//! series is that accurate, the log-gamma form is used.

use crate::core::theory::ln_gamma;

/// Terms of the series (k = 2..=TERMS + 1).
const TERMS: usize = 11;
// `ChurnLaw::tail` spells out the eleven terms.
const _: () = assert!(TERMS == 11);

/// Bernoulli numbers B_0..B_12.
const BERNOULLI: [f64; 13] = [
    1.0,
    -0.5,
    1.0 / 6.0,
    0.0,
    -1.0 / 30.0,
    0.0,
    1.0 / 42.0,
    0.0,
    -1.0 / 30.0,
    0.0,
    5.0 / 66.0,
    0.0,
    -691.0 / 2730.0,
];

/// One day's churn of a group: the probability `p` and ln(1 - p).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Probability that a survivor churns.
    pub p: f64,
    /// ln(1 - p), exact where `p` is rounded (for the binomial's zero term).
    pub ln_keep: f64,
}

/// The churn law of one platform's users: Beta(alpha, .) propensities.
#[derive(Clone, Debug)]
pub struct ChurnLaw {
    alpha: f64,
    /// c_2..c_{TERMS+1}: the coefficients of 1/x, 1/x^2, ...
    coeffs: [f64; TERMS],
    /// Smallest b where the series is used.
    series_from: f64,
}

/// 2 atanh(s) = ln((1 + s) / (1 - s)) for 0 <= s <= 1/9 (s = y / (2 + y)
/// gives ln(1 + y) for y up to 1/4): a short odd series, within an ulp or
/// two, 2 s (1 + t/3 + t^2/5 + ... + t^9/19) with t = s^2, evaluated by
/// Estrin's scheme (pairs, then pairs of pairs) so that its multiplications
/// overlap instead of waiting on each other.
#[inline]
fn log1p_atanh(s: f64) -> f64 {
    // s^2 <= 1/81: the 21st-power term is below 1e-18 of the first.
    let t = s * s;
    let (t2, t4) = (t * t, t * t * (t * t));
    let e0 = 1.0 + t * (1.0 / 3.0);
    let e1 = 1.0 / 5.0 + t * (1.0 / 7.0);
    let e2 = 1.0 / 9.0 + t * (1.0 / 11.0);
    let e3 = 1.0 / 13.0 + t * (1.0 / 15.0);
    let e4 = 1.0 / 17.0 + t * (1.0 / 19.0);
    let sum = (e0 + e1 * t2) + (e2 + e3 * t2) * t4 + e4 * (t4 * t4);
    2.0 * s * sum
}

/// 1 - e^(-x) for x >= 0: by its Taylor series for small x (within an ulp
/// or two), else `libm`.
#[inline]
fn one_minus_exp_neg(x: f64) -> f64 {
    if !(0.0..=0.125).contains(&x) {
        return -libm::expm1(-x);
    }
    // 1 - e^-x = x (1 + z/2! + z^2/3! + ... + z^12/13!), z = -x: the first
    // term left out is below 1e-19 of the first for x <= 1/8. Estrin's
    // scheme, as above.
    const C: [f64; 13] = [
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let z = -x;
    let (z2, z4) = (z * z, z * z * (z * z));
    let z8 = z4 * z4;
    let p0 = (C[0] + C[1] * z) + (C[2] + C[3] * z) * z2;
    let p1 = (C[4] + C[5] * z) + (C[6] + C[7] * z) * z2;
    let p2 = (C[8] + C[9] * z) + (C[10] + C[11] * z) * z2;
    let sum = (p0 + p1 * z4) + (p2 + C[12] * z4) * z8;
    x * sum
}

/// Binomial coefficient C(n, k) as a float (small n).
fn choose(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, j| acc * (n - j) as f64 / (j + 1) as f64)
}

impl ChurnLaw {
    /// The law of propensities Beta(`alpha`, .).
    pub fn new(alpha: f64) -> ChurnLaw {
        let mut coeffs = [0.0; TERMS];
        for (i, c) in coeffs.iter_mut().enumerate() {
            let k = i + 2;
            // B_k(alpha) - B_k = sum_{j<k} C(k, j) B_j alpha^(k-j).
            let diff: f64 = (0..k)
                .map(|j| choose(k, j) * BERNOULLI[j] * libm::pow(alpha, (k - j) as f64))
                .sum();
            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
            *c = sign * diff / (k * (k - 1)) as f64;
        }
        ChurnLaw {
            alpha,
            coeffs,
            series_from: (8.0 * alpha).max(16.0),
        }
    }

    /// sum_k c_k / x^(k-1), a polynomial in y = 1/x evaluated by Estrin's
    /// scheme (see [`log1p_atanh`]).
    #[inline]
    fn tail(&self, x: f64) -> f64 {
        let c = &self.coeffs;
        let y = 1.0 / x;
        let (y2, y4) = (y * y, y * y * (y * y));
        let y8 = y4 * y4;
        let q0 = (c[0] + c[1] * y) + (c[2] + c[3] * y) * y2;
        let q1 = (c[4] + c[5] * y) + (c[6] + c[7] * y) * y2;
        let q2 = (c[8] + c[9] * y) + c[10] * y2;
        y * ((q0 + q1 * y4) + q2 * y8)
    }

    /// A survivor's posterior Beta(alpha, `b`).
    pub fn posterior(&self, b: f64) -> Posterior {
        Posterior { b, tail: f64::NAN }
    }

    /// The churn step of a survivor with posterior Beta(alpha, `b`) under multiplier `m`.
    pub fn step(&self, b: f64, m: f64) -> Step {
        self.advance(&mut self.posterior(b), m)
    }

    /// The churn step of a survivor with posterior `post` under multiplier
    /// `m`; the posterior then moves to that of a survivor of the day,
    /// Beta(alpha, b + m). The series part of the posterior is kept, so a
    /// day costs one evaluation of it, not two.
    #[inline]
    pub fn advance(&self, post: &mut Posterior, m: f64) -> Step {
        let a = self.alpha;
        let b = post.b;
        let next = b + m;
        post.b = next;
        if m == 1.0 {
            // Exact rational form: B(a, b + 1) / B(a, b) = b / (a + b).
            post.tail = f64::NAN;
            let p = a / (a + b);
            return Step {
                p,
                ln_keep: libm::log1p(-p),
            };
        }
        let rise = if b >= self.series_from {
            let tail_b = if post.tail.is_nan() { self.tail(b) } else { post.tail };
            let tail_next = self.tail(next);
            post.tail = tail_next;
            // g(b + m) - g(b), without cancellation in the logarithm:
            // ln(1 + m/b) = 2 atanh(m / (2b + m)).
            let log = if m <= 0.25 * b {
                log1p_atanh(m / (2.0 * b + m))
            } else {
                libm::log1p(m / b)
            };
            a * log + (tail_next - tail_b)
        } else {
            post.tail = f64::NAN;
            (ln_gamma(next + a) - ln_gamma(next)) - (ln_gamma(b + a) - ln_gamma(b))
        };
        let rise = rise.max(0.0);
        Step {
            p: one_minus_exp_neg(rise).clamp(0.0, 1.0),
            ln_keep: -rise,
        }
    }
}

/// A survivor's posterior Beta(alpha, b), with the series part of g(b)
/// once it is known (NaN before).
#[derive(Clone, Copy, Debug)]
pub struct Posterior {
    /// The second shape, beta plus the exposure survived.
    pub b: f64,
    tail: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (alpha, b, m, p) with p from 50-digit arithmetic (mpmath, on these
    /// exact binary inputs), rounded to the nearest double.
    const REFERENCE: [(f64, f64, f64, f64); 10] = [
        (0.704, 17.9, 1.37, 0.050984177303309126),
        (0.704, 17.9, 0.9, 0.03421306982790684),
        (0.704, 107.9, 1.02, 0.006610874870009037),
        (0.704, 3667.9, 1.5, 0.00028781449160188296),
        (0.704, 3667.9, 0.999, 0.00019170675366699785),
        (0.3, 40.0, 2.5, 0.018175092278872797),
        (2.5, 60.0, 0.7, 0.028238856414698647),
        (0.704, 1e7, 1.1, 7.743999388843569e-08),
        (0.668, 3.806, 1.3, 0.18410665456604733),
        (0.704, 17.9, 20.0, 0.41207729900689644),
    ];

    #[test]
    fn churn_probabilities_match_fifty_digit_values() {
        for (a, b, m, want) in REFERENCE {
            let s = ChurnLaw::new(a).step(b, m);
            let tol = if b >= ChurnLaw::new(a).series_from {
                4e-15
            } else {
                1e-11
            };
            assert!((s.p - want).abs() <= tol * want, "p({a}, {b}, {m}) = {} vs {want}", s.p);
            assert!((s.ln_keep - libm::log1p(-want)).abs() <= tol * want);
        }
    }

    #[test]
    fn a_unit_multiplier_gives_the_sbg_hazard_exactly() {
        let law = ChurnLaw::new(0.704);
        for t in 0..50 {
            let b = 1.182 + f64::from(t);
            assert_eq!(law.step(b, 1.0).p, 0.704 / (0.704 + b));
        }
    }

    #[test]
    fn the_short_series_agree_with_libm_to_the_last_bits() {
        let mut y = 1e-12;
        while y < 0.25 {
            let (a, b) = (log1p_atanh(y / (2.0 + y)), libm::log1p(y));
            assert!((a - b).abs() <= 4.0 * f64::EPSILON * b, "log1p({y}): {a} vs {b}");
            let (a, b) = (one_minus_exp_neg(y), -libm::expm1(-y));
            assert!((a - b).abs() <= 4.0 * f64::EPSILON * b, "1 - exp(-{y}): {a} vs {b}");
            y *= 1.013;
        }
    }

    #[test]
    fn advancing_a_posterior_gives_the_steps_of_fresh_evaluations() {
        let law = ChurnLaw::new(0.704);
        let mut post = law.posterior(17.9);
        for day in 0..400 {
            let m = [0.8, 1.0, 1.37, 3.0, 1.0, 0.05][day % 6];
            let (b, fresh) = (post.b, law.step(post.b, m));
            assert_eq!(law.advance(&mut post, m), fresh, "day {day}");
            assert_eq!(post.b, b + m);
        }
    }

    #[test]
    fn no_multiplier_means_no_churn() {
        let law = ChurnLaw::new(0.9);
        assert_eq!(law.step(30.0, 0.0).p, 0.0);
        assert_eq!(law.step(3.0, 0.0).p, 0.0);
    }
}
