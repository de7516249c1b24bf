//! Closed forms the simulation is checked against, and the special functions
//! they need: the normal distribution, the gamma function, Erlang C for the
//! M/M/c queue, and Student's t quantiles for confidence intervals. Pure
//! functions of numbers; nothing here simulates. Some of them feed the
//! simulation (the user model's churn probabilities), so logarithms and
//! exponentials come from the portable `libm`, not the platform's library.

use std::f64::consts::PI;

/// Standard normal density at `x`.
pub(crate) fn normal_pdf(x: f64) -> f64 {
    libm::exp(-0.5 * x * x) / (2.0 * PI).sqrt()
}

/// Complementary error function, relative error below 1.2e-7 everywhere
/// (Numerical Recipes' Chebyshev fit).
pub(crate) fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * libm::exp(poly);
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Standard normal cumulative distribution at `x`.
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Natural log of the gamma function for `x > 0` (Lanczos, g = 7, n = 9;
/// about 15 significant digits).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
        return libm::log(PI / libm::sin(PI * x)) - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * libm::log(2.0 * PI) + (x + 0.5) * libm::log(t) - t + libm::log(a)
}

/// The gamma function for `x > 0`.
pub(crate) fn gamma_fn(x: f64) -> f64 {
    libm::exp(ln_gamma(x))
}

/// Natural log of the beta function B(a, b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The shifted-beta-geometric survival S(t) = B(alpha, beta + t) / B(alpha,
/// beta): the share of a cohort still active after `t` periods when each
/// member's churn propensity is drawn from Beta(alpha, beta).
pub fn sbg_survival(alpha: f64, beta: f64, t: f64) -> f64 {
    libm::exp(ln_beta(alpha, beta + t) - ln_beta(alpha, beta))
}

/// Erlang C: the probability that an arrival to an M/M/c queue with offered
/// load `a = lambda / mu` (erlangs) must wait; requires `a < c`.
pub(crate) fn erlang_c(c: u32, a: f64) -> f64 {
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// Mean wait in queue (before service) of an M/M/c queue with arrival rate
/// `lambda`, service rate `mu` per server and `c` servers, in the time unit
/// of the rates. Requires `lambda < c mu`.
pub fn mmc_mean_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(c, lambda / mu) / (f64::from(c) * mu - lambda)
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom: the
/// multiplier of a two-sided 95% confidence interval. Exact table values up
/// to 30 degrees of freedom, then the Cornish-Fisher expansion (error below
/// 1e-5). `df = 0` gives infinity (no interval from one observation).
pub(crate) fn t_975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706_204_736,
        4.302_652_730,
        3.182_446_305,
        2.776_445_105,
        2.570_581_836,
        2.446_911_851,
        2.364_624_252,
        2.306_004_135,
        2.262_157_163,
        2.228_138_852,
        2.200_985_160,
        2.178_812_830,
        2.160_368_656,
        2.144_786_688,
        2.131_449_546,
        2.119_905_299,
        2.109_815_578,
        2.100_922_040,
        2.093_024_054,
        2.085_963_447,
        2.079_613_845,
        2.073_873_068,
        2.068_657_610,
        2.063_898_562,
        2.059_538_553,
        2.055_529_439,
        2.051_830_516,
        2.048_407_142,
        2.045_229_642,
        2.042_272_456,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[(df - 1) as usize],
        _ => {
            let z: f64 = 1.959_963_984_540_054;
            let n = df as f64;
            let z3 = z.powi(3);
            let z5 = z.powi(5);
            let z7 = z.powi(7);
            let z9 = z.powi(9);
            z + (z3 + z) / (4.0 * n)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92_160.0 * n.powi(4))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sbg_survival_starts_at_one_and_matches_the_first_period_retention() {
        assert!((sbg_survival(0.704, 1.182, 0.0) - 1.0).abs() < 1e-12);
        // S(1) = beta / (alpha + beta).
        assert!((sbg_survival(0.704, 1.182, 1.0) - 1.182 / (0.704 + 1.182)).abs() < 1e-9);
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn gamma_function_matches_factorials_and_sqrt_pi() {
        assert!(close(gamma_fn(5.0), 24.0, 1e-12));
        assert!(close(gamma_fn(0.5), PI.sqrt(), 1e-12));
        assert!(close(gamma_fn(10.0), 362_880.0, 1e-12));
        assert!(close(ln_beta(2.0, 3.0), (1.0f64 / 12.0).ln(), 1e-12));
    }

    #[test]
    fn normal_cdf_matches_textbook_values() {
        assert!(close(normal_cdf(0.0), 0.5, 1e-7));
        assert!(close(normal_cdf(1.959_963_985), 0.975, 1e-7));
        assert!(close(normal_cdf(-1.0), 0.158_655_253_9, 1e-6));
    }

    #[test]
    fn erlang_c_matches_published_values() {
        // M/M/1: P(wait) = rho.
        assert!(close(erlang_c(1, 0.9), 0.9, 1e-12));
        // c = 2, a = 1: C = 1/3 (hand computation).
        assert!(close(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12));
        // M/M/1 mean wait: rho / (mu - lambda).
        assert!(close(mmc_mean_wait(0.9, 1.0, 1), 9.0, 1e-12));
        // c = 4, a = 3.6, from the textbook sum formula
        // (a^c / c! * c / (c - a)) / (sum_{k<c} a^k / k! + a^c / c! * c / (c - a)).
        assert!(close(erlang_c(4, 3.6), 0.787_753_264_295_362_4, 1e-12));
    }

    #[test]
    fn t_quantiles_join_the_table_smoothly_and_approach_the_normal() {
        assert!(close(t_975(1), 12.706_204_736, 1e-9));
        assert!((t_975(31) - 2.039_513_446).abs() < 1e-5);
        assert!((t_975(60) - 2.000_297_822).abs() < 1e-5);
        assert!((t_975(1000) - 1.962_339_081).abs() < 1e-5);
        assert!(t_975(u64::MAX) > 1.959 && t_975(u64::MAX) < 1.961);
    }
}
