//! Special functions the likelihoods need beyond [`crate::core::theory`]: the
//! digamma function, the regularised incomplete gamma functions (in logs,
//! for far tails), the chi-square tail, the log of normal tails, and
//! ln(1 - e^x) computed without cancellation. All from `libm`.

use crate::core::theory::ln_gamma;
use std::f64::consts::{LN_2, PI};

/// The digamma function psi(x) = d ln Gamma(x) / dx for x > 0: the
/// recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic
/// series to 1/x^10 (error below 1e-14).
pub(crate) fn digamma(x: f64) -> f64 {
    let mut x = x;
    let mut r = 0.0;
    while x < 10.0 {
        r -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let tail = f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f * (1.0 / 132.0)))));
    r + libm::log(x) - 0.5 / x - tail
}

/// Where the large-argument forms of [`ln_gamma_rise`] and
/// [`digamma_rise`] take over.
const LARGE: f64 = 100.0;

/// ln Gamma(y + a) - ln Gamma(y), y > 0, a >= 0: directly for moderate y,
/// and for large y from Stirling's series written so that nothing cancels,
/// (y - 1/2) ln(1 + a/y) + a ln(y + a) - a + (1/12)(1/z - 1/y) -
/// (1/360)(1/z^3 - 1/y^3), z = y + a, whose next term is below 1e-13
/// there. (The direct difference of two values near y ln y loses digits
/// as y grows: 1e-10 at y = 1000 already.)
pub(crate) fn ln_gamma_rise(y: f64, a: f64) -> f64 {
    if y < LARGE {
        return ln_gamma(y + a) - ln_gamma(y);
    }
    let z = y + a;
    let cube = |v: f64| 1.0 / (v * v * v);
    (y - 0.5) * libm::log1p(a / y) + a * libm::log(z) - a - a / (12.0 * y * z) - (cube(z) - cube(y)) / 360.0
}

/// psi(y + a) - psi(y), y > 0, a >= 0, without cancellation for large y
/// (the asymptotic series of psi to 1/y^6, differenced term by term).
pub(crate) fn digamma_rise(y: f64, a: f64) -> f64 {
    if y < LARGE {
        return digamma(y + a) - digamma(y);
    }
    let z = y + a;
    // 1/v^2, 1/v^4, 1/v^6 by multiplication (a power function call each
    // had been most of a BdW fit's time).
    let (y2, z2) = (1.0 / (y * y), 1.0 / (z * z));
    let (y4, z4) = (y2 * y2, z2 * z2);
    libm::log1p(a / y) + a / (2.0 * y * z) + (y2 - z2) / 12.0 - (y4 - z4) / 120.0 + (y4 * y2 - z4 * z2) / 252.0
}

/// ln(1 - e^x) for x < 0, accurate near 0 and far below it.
pub(crate) fn ln_one_minus_exp(x: f64) -> f64 {
    if x > -LN_2 {
        libm::log(-libm::expm1(x))
    } else {
        libm::log1p(-libm::exp(x))
    }
}

/// (ln P(a, x), ln Q(a, x)): the logs of the regularised lower and upper
/// incomplete gamma functions, a > 0, x >= 0. The series below x = a + 1,
/// the continued fraction (modified Lentz) above, each in logs so that far
/// tails do not underflow.
pub(crate) fn ln_gamma_pq(a: f64, x: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (f64::NEG_INFINITY, 0.0);
    }
    let ln_front = a * libm::log(x) - x - ln_gamma(a);
    if x < a + 1.0 {
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        let ln_p = ln_front + libm::log(sum);
        (ln_p, ln_one_minus_exp(ln_p.min(-1e-300)))
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        let ln_q = ln_front + libm::log(h);
        (ln_one_minus_exp(ln_q.min(-1e-300)), ln_q)
    }
}

/// P(X > x) for X chi-square with `df` degrees of freedom.
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    libm::exp(ln_gamma_pq(0.5 * df, 0.5 * x).1)
}

/// ln P(Z > z) for a standard normal Z: `libm::erfc` where it does not
/// underflow, the asymptotic series beyond.
pub(crate) fn ln_normal_sf(z: f64) -> f64 {
    if z < 30.0 {
        libm::log(0.5 * libm::erfc(z / std::f64::consts::SQRT_2))
    } else {
        let z2 = z * z;
        let series = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2);
        -0.5 * z2 - libm::log(z) - 0.5 * libm::log(2.0 * PI) + libm::log(series)
    }
}

/// ln of the standard normal density at `z`.
pub(crate) fn ln_normal_pdf(z: f64) -> f64 {
    -0.5 * z * z - 0.5 * libm::log(2.0 * PI)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn digamma_matches_known_values() {
        // psi(1) = -Euler's gamma; psi(1/2) = -gamma - 2 ln 2.
        let euler = 0.577_215_664_901_532_9;
        assert!(close(digamma(1.0), -euler, 1e-13));
        assert!(close(digamma(0.5), -euler - 2.0 * LN_2, 1e-13));
        assert!(close(digamma(10.0), 2.251_752_589_066_721, 1e-13));
        // The derivative of ln Gamma.
        let h = 1e-5;
        let x = 3.7;
        assert!(close(digamma(x), (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h), 1e-8));
    }

    #[test]
    fn rises_of_ln_gamma_and_digamma_join_their_large_argument_forms() {
        // Against 30-digit values (mpmath), on either side of the switch at 100.
        let table = [
            (99.5, 0.3, 1.378_991_313_556_816_7, 0.003_025_695_268_839_655),
            (99.5, 7.5, 34.740_605_393_716_54, 0.073_024_557_347_583_7),
            (99.5, 1e4, 82_659.799_408_963_97, 4.625_067_587_109_531),
            (100.0, 0.3, 1.380_500_359_482_732_5, 0.003_010_513_889_298_853),
            (100.0, 7.5, 34.777_029_044_937_55, 0.072_670_620_996_228_03),
            (100.0, 1e4, 82_662.110_694_639_48, 4.620_079_344_323_855),
            (1000.0, 0.3, 2.072_221_576_698_317_3, 0.000_300_105_013_988_970_44),
            (1000.0, 7.5, 51.832_482_914_590_6, 0.007_475_738_159_144_814),
            (1000.0, 1e4, 85_453.201_767_209_47, 2.398_349_900_897_535_8),
        ];
        for (y, a, lg, dg) in table {
            assert!(
                close(ln_gamma_rise(y, a), lg, 1e-12),
                "ln Gamma rise at {y}, {a}: {}",
                ln_gamma_rise(y, a)
            );
            assert!(
                (digamma_rise(y, a) - dg).abs() < 1e-13 * dg.max(1.0),
                "psi rise at {y}, {a}: {}",
                digamma_rise(y, a)
            );
        }
        // Gamma(y + 1) / Gamma(y) = y exactly.
        for y in [0.5, 20.0, 5e4, 1e12] {
            assert!(close(ln_gamma_rise(y, 1.0), libm::log(y), 1e-12), "y {y}");
            assert!(close(digamma_rise(y, 1.0), 1.0 / y, 1e-12), "y {y}");
        }
    }

    #[test]
    fn incomplete_gamma_matches_the_exponential_and_chi_square_tables() {
        // a = 1: Q(1, x) = e^-x.
        for x in [0.1, 1.0, 2.0, 5.0, 50.0, 700.0] {
            let (p, q) = ln_gamma_pq(1.0, x);
            assert!(close(q, -x, 1e-12), "x {x}");
            assert!(close(libm::exp(p), -libm::expm1(-x), 1e-12), "x {x}");
        }
        // Chi-square quantiles: 3.841 (1 df) and 11.07 (5 df) at 5%.
        assert!((chi_square_sf(3.841_458_820_694_124, 1.0) - 0.05).abs() < 1e-9);
        assert!((chi_square_sf(11.070_497_693_516_35, 5.0) - 0.05).abs() < 1e-9);
        // Far into the tail, still finite: Q(3, 2000) ~ e^-2000 2000^2 / 2.
        let q = ln_gamma_pq(3.0, 2000.0).1;
        assert!(close(q, -2000.0 + 2.0 * libm::log(2000.0) - LN_2, 1e-6), "{q}");
    }

    #[test]
    fn normal_tails_are_exact_near_the_centre_and_finite_far_out() {
        assert!(close(ln_normal_sf(0.0), -LN_2, 1e-14));
        assert!(close(libm::exp(ln_normal_sf(1.959_963_984_540_054)), 0.025, 1e-12));
        // The two sides of the switch agree.
        assert!(close(ln_normal_sf(29.999_999), ln_normal_sf(30.0), 1e-7));
        assert!(ln_normal_sf(100.0).is_finite());
        assert!(close(ln_one_minus_exp(-1e-20), -46.051_701_859_880_914, 1e-12));
    }
}
