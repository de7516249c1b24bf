//! Log-rank (Mantel-Haenszel) tests of equal survival curves: two samples;
//! k groups at once (k - 1 degrees of freedom, as R's `survdiff`); and each
//! group against all the others pooled (1 degree of freedom each), with
//! Holm's adjustment over the groups.
//!
//! Notation: at each distinct event time t_j, n_j subjects are at risk
//! (time >= t_j) and d_j have their event; n_gj and d_gj are group g's
//! shares. Group g's observed count is O_g = sum d_gj, its expected count
//! E_g = sum d_j n_gj / n_j, and the covariance of O - E is V_gh = sum c_j
//! (n_gj / n_j) (delta_gh - n_hj / n_j) with c_j = d_j (n_j - d_j) / (n_j -
//! 1) (the hypergeometric variance; 0 when n_j = 1).
//!
//! Each group against the rest costs O(n log n) in all, whatever the
//! number of groups: with the pooled Nelson-Aalen hazard H(t) = sum over
//! t_j <= t of d_j / n_j, E_g = sum over g's subjects of H(T_i) (a subject
//! is at risk at every t_j <= T_i); with G(t) = sum over t_j <= t of c_j /
//! n_j and F(t) = sum over t_j <= t of c_j / n_j^2, V_gg = sum over g's
//! subjects of G(T_i) minus sum over pairs (i, i') of g's subjects of
//! F(min(T_i, T_i')), the pair sum taken in one pass over g's subjects in
//! time order. The k-sample test needs every covariance V_gh: each pair of
//! groups is one merge of their time-ordered lists, O(k n) in all, so it
//! is refused above [`MAX_K_SAMPLE_GROUPS`] groups or [`MAX_K_SAMPLE_WORK`]
//! group-observations (the per-group tests have no such limit).

use super::multiple::holm;
use super::{ChiSquareTest, GroupedSample, InputError, Observation, Packed, check_times, sort_packed};

/// The most groups the k-sample test takes (its covariance matrix is k x k
/// and costs one merge per pair of groups).
pub const MAX_K_SAMPLE_GROUPS: usize = 500;

/// The most groups x observations the k-sample test takes: its pairwise
/// merges cost about that many steps (a few seconds at the limit).
pub const MAX_K_SAMPLE_WORK: u64 = 2_000_000_000;

/// Below this share of its first term, a variance V_gg = sum G - sum F is
/// rounding and counts as 0 (it is 0 exactly when the group is never at
/// risk together with another at an event time, or only where c_j = 0).
const VARIANCE_RELATIVE_FLOOR: f64 = 1e-11;

/// One group's counts in a log-rank test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupCounts {
    /// Subjects in the group.
    pub subjects: usize,
    /// Observed events, O.
    pub observed: usize,
    /// Expected events under equal survival, E.
    pub expected: f64,
    /// The variance of O - E (the group against all the others).
    pub variance: f64,
}

/// The two-sample log-rank test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TwoSampleLogRank {
    /// The counts of the two samples.
    pub counts: [GroupCounts; 2],
    /// (O - E)^2 / V on 1 degree of freedom; `None` when V = 0 (no event
    /// time with both samples at risk).
    pub test: Option<ChiSquareTest>,
}

/// One group against all the others pooled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupVsRest {
    /// The group.
    pub group: usize,
    /// Its counts.
    pub counts: GroupCounts,
    /// (O - E)^2 / V on 1 degree of freedom; `None` when V = 0.
    pub test: Option<ChiSquareTest>,
    /// Holm's adjustment of the p-value over the groups whose test is
    /// defined; `None` where the test is not.
    pub holm_p_value: Option<f64>,
}

/// The k-sample log-rank test.
#[derive(Clone, Debug, PartialEq)]
pub struct KSampleLogRank {
    /// Every group's counts, in group order.
    pub counts: Vec<GroupCounts>,
    /// The groups in the statistic: those with E > 0 and V > 0 (as R's
    /// survdiff drops groups with E = 0; a group with V = 0 has O = E and
    /// adds nothing).
    pub tested: Vec<usize>,
    /// (O - E)' V^-1 (O - E) over the tested groups less the first, on
    /// (tested groups - 1) degrees of freedom.
    pub test: ChiSquareTest,
}

/// Why the k-sample test was not computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KSampleError {
    /// More groups than [`MAX_K_SAMPLE_GROUPS`].
    #[error(
        "{groups} groups: the k-sample log-rank test takes at most {max} (test each group against the rest instead)"
    )]
    TooManyGroups {
        /// The number of groups.
        groups: usize,
        /// The limit.
        max: usize,
    },
    /// Groups x observations above [`MAX_K_SAMPLE_WORK`].
    #[error(
        "{groups} groups x {observations} observations: the k-sample log-rank test takes at most {max} (test each group against the rest instead)"
    )]
    TooMuchWork {
        /// The number of groups.
        groups: usize,
        /// The number of observations.
        observations: usize,
        /// The limit on their product.
        max: u64,
    },
    /// Fewer than two groups with subjects at risk at event times, or no
    /// event time with two groups at risk: nothing to compare.
    #[error("fewer than two groups can be compared (no event time with two groups at risk)")]
    NoComparison,
    /// The covariance matrix is singular (the groups fall into sets never
    /// at risk together at an event time).
    #[error("the covariance matrix of the groups is singular")]
    Singular,
}

/// The two-sample log-rank test of `a` against `b`, by one pass over the
/// pooled event times.
pub fn logrank_two_sample(a: &[Observation], b: &[Observation]) -> Result<TwoSampleLogRank, InputError> {
    check_times(a)?;
    check_times(b)?;
    let mut packed: Vec<Packed> = a
        .iter()
        .map(|o| Packed::new(o.time, 0, o.event))
        .chain(b.iter().map(|o| Packed::new(o.time, 1, o.event)))
        .collect();
    sort_packed(&mut packed);
    let mut at_risk = [a.len() as f64, b.len() as f64];
    let (mut observed, mut expected, mut variance) = ([0usize; 2], 0.0, 0.0);
    let mut i = 0;
    while i < packed.len() {
        let key = packed[i].key;
        let (mut events, mut leaving) = ([0usize; 2], [0usize; 2]);
        while i < packed.len() && packed[i].key == key {
            let g = packed[i].group as usize;
            events[g] += usize::from(packed[i].event);
            leaving[g] += 1;
            i += 1;
        }
        let d = (events[0] + events[1]) as f64;
        let n = at_risk[0] + at_risk[1];
        if d > 0.0 {
            let share = at_risk[0] / n;
            expected += d * share;
            if n > 1.0 {
                variance += d * (n - d) / (n - 1.0) * share * (1.0 - share);
            }
        }
        for g in 0..2 {
            observed[g] += events[g];
            at_risk[g] -= leaving[g] as f64;
        }
    }
    let total = (observed[0] + observed[1]) as f64;
    let counts = [
        GroupCounts {
            subjects: a.len(),
            observed: observed[0],
            expected,
            variance,
        },
        GroupCounts {
            subjects: b.len(),
            observed: observed[1],
            expected: total - expected,
            variance,
        },
    ];
    let test = (variance > 0.0)
        .then(|| ChiSquareTest::new((observed[0] as f64 - expected).powi(2) / variance, 1))
        .flatten();
    Ok(TwoSampleLogRank { counts, test })
}

/// The pooled sums at each distinct time, in time order: H (Nelson-Aalen),
/// G = sum c_j / n_j and F = sum c_j / n_j^2, each summed over the event
/// times up to and including that time.
fn pooled_sums(sorted: &[Packed]) -> Vec<[f64; 3]> {
    let mut sums = Vec::new();
    let mut at_risk = sorted.len() as f64;
    let (mut h, mut g, mut f) = (0.0, 0.0, 0.0);
    let mut i = 0;
    while i < sorted.len() {
        let key = sorted[i].key;
        let (mut d, mut m) = (0usize, 0usize);
        while i < sorted.len() && sorted[i].key == key {
            d += usize::from(sorted[i].event);
            m += 1;
            i += 1;
        }
        if d > 0 {
            let (d, n) = (d as f64, at_risk);
            h += d / n;
            if n > 1.0 {
                let c = d * (n - d) / (n - 1.0);
                g += c / n;
                f += c / (n * n);
            }
        }
        sums.push([h, g, f]);
        at_risk -= m as f64;
    }
    sums
}

/// Per group: subjects, O, E and V_gg, by one pass over the subjects from
/// the latest time to the earliest.
fn group_counts(sorted: &[Packed], sums: &[[f64; 3]], k: usize) -> Vec<GroupCounts> {
    let mut subjects = vec![0usize; k];
    let mut observed = vec![0usize; k];
    let mut expected = vec![0.0; k];
    let mut first = vec![0.0; k];
    let mut pairs = vec![0.0; k];
    let mut j = sums.len();
    let mut previous = None;
    for p in sorted.iter().rev() {
        if previous != Some(p.key) {
            j -= 1;
            previous = Some(p.key);
        }
        let [h, g_sum, f_sum] = sums[j];
        let g = p.group as usize;
        expected[g] += h;
        first[g] += g_sum;
        // Pairs whose earlier time is this subject's: itself once, and
        // both orders with each of the group's subjects seen so far.
        pairs[g] += f_sum * (2 * subjects[g] + 1) as f64;
        subjects[g] += 1;
        observed[g] += usize::from(p.event);
    }
    (0..k)
        .map(|g| {
            let v = first[g] - pairs[g];
            GroupCounts {
                subjects: subjects[g],
                observed: observed[g],
                expected: expected[g],
                variance: if v > VARIANCE_RELATIVE_FLOOR * first[g] { v } else { 0.0 },
            }
        })
        .collect()
}

/// Each group of `sample` against all the others pooled, with Holm's
/// adjustment over the groups whose test is defined. One sort of the
/// observations, then linear: suited to any number of groups.
pub fn logrank_each_vs_rest(sample: &GroupedSample) -> Vec<GroupVsRest> {
    each_vs_rest_sorted(&sample.sorted(), sample.k())
}

/// Each group's counts (O, E and the variance of O - E against all the
/// others) from observations sorted by time (as [`GroupedSample::sorted`]
/// gives them) in groups 0..`k`: two linear passes.
pub(crate) fn counts_sorted(sorted: &[Packed], k: usize) -> Vec<GroupCounts> {
    group_counts(sorted, &pooled_sums(sorted), k)
}

/// The test of one group against the rest from its counts: (O - E)^2 / V
/// on 1 degree of freedom; `None` when V = 0.
pub(crate) fn vs_rest_test(c: &GroupCounts) -> Option<ChiSquareTest> {
    (c.variance > 0.0)
        .then(|| ChiSquareTest::new((c.observed as f64 - c.expected).powi(2) / c.variance, 1))
        .flatten()
}

/// [`logrank_each_vs_rest`] of observations already sorted by time.
pub(crate) fn each_vs_rest_sorted(sorted: &[Packed], k: usize) -> Vec<GroupVsRest> {
    let counts = counts_sorted(sorted, k);
    let tests: Vec<Option<ChiSquareTest>> = counts.iter().map(vs_rest_test).collect();
    let defined: Vec<f64> = tests.iter().flatten().map(|t| t.p_value).collect();
    let mut adjusted = holm(&defined).unwrap_or_default().into_iter();
    counts
        .into_iter()
        .zip(tests)
        .enumerate()
        .map(|(group, (counts, test))| GroupVsRest {
            group,
            counts,
            test,
            holm_p_value: test.and_then(|_| adjusted.next()),
        })
        .collect()
}

/// The k-sample log-rank test over the groups of `sample` (R's `survdiff`
/// with rho = 0). Refused above [`MAX_K_SAMPLE_GROUPS`] groups or
/// [`MAX_K_SAMPLE_WORK`] groups x observations; see the module's doc.
pub fn logrank_k_sample(sample: &GroupedSample) -> Result<KSampleLogRank, KSampleError> {
    let k = sample.k();
    if let Some(e) = k_sample_refusal(k, sample.observations().len()) {
        return Err(e);
    }
    k_sample_sorted(&sample.sorted(), k)
}

/// [`logrank_k_sample`] of observations already sorted by time, without
/// its limits (the caller checks them: see [`k_sample_refusal`]).
pub(crate) fn k_sample_sorted(sorted: &[Packed], k: usize) -> Result<KSampleLogRank, KSampleError> {
    let sums = pooled_sums(sorted);
    let counts = group_counts(sorted, &sums, k);
    let tested: Vec<usize> = (0..k)
        .filter(|&g| counts[g].expected > 0.0 && counts[g].variance > 0.0)
        .collect();
    if tested.len() < 2 {
        return Err(KSampleError::NoComparison);
    }
    let runs = group_runs(sorted, k);
    let f: Vec<f64> = sums.iter().map(|s| s[2]).collect();
    // The covariance of the tested groups but the first.
    let rest = &tested[1..];
    let m = rest.len();
    let mut v = vec![0.0; m * m];
    for (a, &g) in rest.iter().enumerate() {
        v[a * m + a] = counts[g].variance;
        for (b, &h) in rest.iter().enumerate().skip(a + 1) {
            let c = -cross_sum(&f, &runs[g], &runs[h], counts[g].subjects, counts[h].subjects);
            v[a * m + b] = c;
            v[b * m + a] = c;
        }
    }
    let u: Vec<f64> = rest
        .iter()
        .map(|&g| counts[g].observed as f64 - counts[g].expected)
        .collect();
    let x = solve_positive_definite(&mut v, m, &u).ok_or(KSampleError::Singular)?;
    let statistic: f64 = u.iter().zip(&x).map(|(a, b)| a * b).sum();
    let test = ChiSquareTest::new(statistic.max(0.0), m).ok_or(KSampleError::Singular)?;
    Ok(KSampleLogRank { counts, tested, test })
}

/// Why the k-sample test of `k` groups and `n` observations is refused
/// (above [`MAX_K_SAMPLE_GROUPS`] groups or [`MAX_K_SAMPLE_WORK`] groups x
/// observations), if it is.
pub(crate) fn k_sample_refusal(k: usize, n: usize) -> Option<KSampleError> {
    if k > MAX_K_SAMPLE_GROUPS {
        return Some(KSampleError::TooManyGroups {
            groups: k,
            max: MAX_K_SAMPLE_GROUPS,
        });
    }
    if (k as u64).saturating_mul(n as u64) > MAX_K_SAMPLE_WORK {
        return Some(KSampleError::TooMuchWork {
            groups: k,
            observations: n,
            max: MAX_K_SAMPLE_WORK,
        });
    }
    None
}

/// Each group's subjects as runs (distinct-time index, count) in time
/// order, from observations sorted by time.
fn group_runs(sorted: &[Packed], k: usize) -> Vec<Vec<(u32, u32)>> {
    let mut runs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); k];
    let mut j: u32 = 0;
    let mut previous = None;
    for p in sorted {
        if let Some(key) = previous
            && key != p.key
        {
            j += 1;
        }
        previous = Some(p.key);
        let list = &mut runs[p.group as usize];
        match list.last_mut() {
            Some((t, c)) if *t == j => *c += 1,
            _ => list.push((j, 1)),
        }
    }
    runs
}

/// sum over pairs (i in g, i' in h) of F(min(T_i, T_i')) = sum_j c_j n_gj
/// n_hj / n_j^2, by merging the two groups' runs.
fn cross_sum(f: &[f64], g: &[(u32, u32)], h: &[(u32, u32)], g_total: usize, h_total: usize) -> f64 {
    let (mut a, mut b) = (0, 0);
    // Subjects of each group at this time or later.
    let (mut rest_g, mut rest_h) = (g_total as f64, h_total as f64);
    let mut sum = 0.0;
    while a < g.len() && b < h.len() {
        let ((tg, cg), (th, ch)) = (g[a], h[b]);
        let (cg, ch) = (f64::from(cg), f64::from(ch));
        if tg < th {
            sum += f[tg as usize] * cg * rest_h;
            rest_g -= cg;
            a += 1;
        } else if th < tg {
            sum += f[th as usize] * ch * rest_g;
            rest_h -= ch;
            b += 1;
        } else {
            sum += f[tg as usize] * (cg * rest_h + ch * rest_g - cg * ch);
            rest_g -= cg;
            rest_h -= ch;
            a += 1;
            b += 1;
        }
    }
    sum
}

/// Solves V x = u for a symmetric positive-definite m x m `v` (row-major,
/// overwritten by its Cholesky factor); `None` when a pivot is not
/// clearly positive.
fn solve_positive_definite(v: &mut [f64], m: usize, u: &[f64]) -> Option<Vec<f64>> {
    let scale = (0..m).map(|i| v[i * m + i]).fold(0.0, f64::max);
    for j in 0..m {
        let mut d = v[j * m + j];
        for p in 0..j {
            d -= v[j * m + p] * v[j * m + p];
        }
        if d.is_nan() || d <= 1e-12 * scale {
            return None;
        }
        let d = d.sqrt();
        v[j * m + j] = d;
        for i in j + 1..m {
            let mut s = v[i * m + j];
            for p in 0..j {
                s -= v[i * m + p] * v[j * m + p];
            }
            v[i * m + j] = s / d;
        }
    }
    // L y = u, then L' x = y.
    let mut y = u.to_vec();
    for i in 0..m {
        for p in 0..i {
            y[i] -= v[i * m + p] * y[p];
        }
        y[i] /= v[i * m + i];
    }
    for i in (0..m).rev() {
        for p in i + 1..m {
            y[i] -= v[p * m + i] * y[p];
        }
        y[i] /= v[i * m + i];
    }
    y.iter().all(|x| x.is_finite()).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{placebo, six_mp};
    use super::*;
    use crate::core::rng::Stream;
    use rand::{RngExt, SeedableRng};

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    /// Random grouped data with many ties: integer times 0..30, about a
    /// third censored; group `k - 1` is left empty and group 0 is all
    /// censored, to exercise the edge cases.
    fn random_sample(seed: u64, n: usize, k: usize) -> (Vec<Observation>, Vec<usize>) {
        let mut rng = Stream::seed_from_u64(seed);
        let mut obs = Vec::with_capacity(n);
        let mut groups = Vec::with_capacity(n);
        for _ in 0..n {
            let g = rng.random_range(0..k - 1);
            // Group g's times scale with g, so the groups differ.
            let time = (rng.random::<f64>() * (10.0 + 3.0 * g as f64)).floor();
            let event = g != 0 && rng.random::<f64>() < 0.65;
            obs.push(Observation { time, event });
            groups.push(g);
        }
        (obs, groups)
    }

    /// The textbook computation, event time by event time and group by
    /// group, O(n k^2): O, E and the full covariance matrix.
    fn naive(obs: &[Observation], groups: &[usize], k: usize) -> (Vec<usize>, Vec<f64>, Vec<Vec<f64>>) {
        let mut times: Vec<f64> = obs.iter().filter(|o| o.event).map(|o| o.time).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let mut observed = vec![0; k];
        let mut expected = vec![0.0; k];
        let mut cov = vec![vec![0.0; k]; k];
        for &t in &times {
            let mut n_g = vec![0.0; k];
            let mut d_g = vec![0.0; k];
            for (o, &g) in obs.iter().zip(groups) {
                if o.time >= t {
                    n_g[g] += 1.0;
                }
                if o.time == t && o.event {
                    d_g[g] += 1.0;
                }
            }
            let n: f64 = n_g.iter().sum();
            let d: f64 = d_g.iter().sum();
            let c = if n > 1.0 { d * (n - d) / (n - 1.0) } else { 0.0 };
            for g in 0..k {
                observed[g] += d_g[g] as usize;
                expected[g] += d * n_g[g] / n;
                for h in 0..k {
                    let delta = if g == h { 1.0 } else { 0.0 };
                    cov[g][h] += c * n_g[g] / n * (delta - n_g[h] / n);
                }
            }
        }
        (observed, expected, cov)
    }

    /// R's survdiff and Stata's sts test on the 6-MP data, printed in G.
    /// Rodriguez's Princeton WWS 509 notes (grodri.github.io/survival/gehan):
    /// observed 21 and 9, expected 10.75 and 19.25 (Stata), (O-E)^2/E 9.77
    /// and 5.46, chi-square 16.79 (Stata) = 16.8 (R) on 1 df, p = 4e-05.
    #[test]
    fn the_log_rank_test_matches_survdiff_on_the_6mp_data() {
        let test = logrank_two_sample(&placebo(), &six_mp()).unwrap();
        let [control, treated] = test.counts;
        assert_eq!((control.observed, treated.observed), (21, 9));
        assert!((control.expected - 10.75).abs() < 0.005, "{}", control.expected);
        assert!((treated.expected - 19.25).abs() < 0.005, "{}", treated.expected);
        let chi_e = |c: GroupCounts| (c.observed as f64 - c.expected).powi(2) / c.expected;
        assert!((chi_e(control) - 9.77).abs() < 0.005 && (chi_e(treated) - 5.46).abs() < 0.005);
        let t = test.test.unwrap();
        assert!((t.statistic - 16.79).abs() < 0.005, "{}", t.statistic);
        assert_eq!(t.df, 1);
        assert!(t.p_value >= 3.5e-5 && t.p_value < 4.5e-5, "{}", t.p_value);
        // The same through the k-sample and the group-against-rest paths.
        let mut obs = placebo();
        obs.extend(six_mp());
        let groups: Vec<usize> = (0..42).map(|i| usize::from(i >= 21)).collect();
        let sample = GroupedSample::new(&obs, &groups, 2).unwrap();
        let k = logrank_k_sample(&sample).unwrap();
        assert!((k.test.statistic - t.statistic).abs() < 1e-12);
        let each = logrank_each_vs_rest(&sample);
        assert!((each[1].test.unwrap().statistic - t.statistic).abs() < 1e-12);
    }

    /// With two groups the k-sample statistic, each group against the rest
    /// and the two-sample test are one and the same (random data with ties,
    /// fixed seeds).
    #[test]
    fn with_two_groups_every_log_rank_path_agrees() {
        for seed in 0..5 {
            let (obs, groups) = random_sample(seed, 400, 3);
            // Relabel to two groups, 0 and 1, with group 0 no longer all
            // censored.
            let groups: Vec<usize> = groups.iter().enumerate().map(|(i, &g)| (g + i) % 2).collect();
            let a: Vec<Observation> = obs
                .iter()
                .zip(&groups)
                .filter(|(_, g)| **g == 0)
                .map(|(o, _)| *o)
                .collect();
            let b: Vec<Observation> = obs
                .iter()
                .zip(&groups)
                .filter(|(_, g)| **g == 1)
                .map(|(o, _)| *o)
                .collect();
            let two = logrank_two_sample(&a, &b).unwrap();
            let sample = GroupedSample::new(&obs, &groups, 2).unwrap();
            let k = logrank_k_sample(&sample).unwrap();
            let each = logrank_each_vs_rest(&sample);
            let chi = two.test.unwrap().statistic;
            assert!(close(k.test.statistic, chi, 1e-9), "seed {seed}");
            assert!(close(each[0].test.unwrap().statistic, chi, 1e-9), "seed {seed}");
            assert!(close(each[1].test.unwrap().statistic, chi, 1e-9), "seed {seed}");
            for (e, c) in each.iter().zip(two.counts) {
                assert_eq!(e.counts.observed, c.observed);
                assert!(close(e.counts.expected, c.expected, 1e-12));
                assert!(close(e.counts.variance, c.variance, 1e-9));
            }
        }
    }

    /// The O(n log n) per-group figures and the pairwise-merge covariances
    /// equal the textbook O(n k^2) computation on random data with ties
    /// (fixed seed), including an empty group and an all-censored one.
    #[test]
    fn fast_log_rank_figures_equal_the_naive_computation() {
        let k = 8;
        let (obs, groups) = random_sample(42, 3000, k);
        let (observed, expected, cov) = naive(&obs, &groups, k);
        let sample = GroupedSample::new(&obs, &groups, k).unwrap();
        let each = logrank_each_vs_rest(&sample);
        for g in 0..k {
            let c = each[g].counts;
            assert_eq!(c.observed, observed[g], "group {g}");
            assert!(close(c.expected, expected[g], 1e-12), "group {g}");
            assert!((c.variance - cov[g][g]).abs() <= 1e-9 * cov[g][g].max(1.0), "group {g}");
            let naive_chi = (observed[g] as f64 - expected[g]).powi(2) / cov[g][g];
            match each[g].test {
                Some(t) => assert!(close(t.statistic, naive_chi, 1e-8), "group {g}"),
                None => assert!(cov[g][g] < 1e-12, "group {g}"),
            }
        }
        assert!(each[k - 1].test.is_none() && each[k - 1].counts.subjects == 0);
        // The k-sample statistic against the naive covariance matrix.
        let ks = logrank_k_sample(&sample).unwrap();
        let rest = &ks.tested[1..];
        let m = rest.len();
        let mut v: Vec<f64> = rest
            .iter()
            .flat_map(|&g| rest.iter().map(move |&h| (g, h)))
            .map(|(g, h)| cov[g][h])
            .collect();
        let u: Vec<f64> = rest.iter().map(|&g| observed[g] as f64 - expected[g]).collect();
        let x = solve_positive_definite(&mut v, m, &u).unwrap();
        let naive_chi: f64 = u.iter().zip(&x).map(|(a, b)| a * b).sum();
        assert!(
            close(ks.test.statistic, naive_chi, 1e-8),
            "{} vs {naive_chi}",
            ks.test.statistic
        );
        // Group 0 (all censored) has E > 0 and V > 0 and is tested; the
        // empty group is not.
        assert_eq!(ks.tested, (0..k - 1).collect::<Vec<_>>());
        assert_eq!(ks.test.df, k - 2);
        // Holm over the defined tests.
        let p: Vec<f64> = each.iter().filter_map(|e| e.test.map(|t| t.p_value)).collect();
        let adjusted = holm(&p).unwrap();
        let got: Vec<f64> = each.iter().filter_map(|e| e.holm_p_value).collect();
        assert_eq!(got, adjusted);
    }

    #[test]
    fn degenerate_samples_are_refused_or_undefined_never_nan() {
        // Empty.
        let sample = GroupedSample::new(&[], &[], 0).unwrap();
        assert!(logrank_each_vs_rest(&sample).is_empty());
        assert_eq!(logrank_k_sample(&sample).unwrap_err(), KSampleError::NoComparison);
        let two = logrank_two_sample(&[], &[]).unwrap();
        assert!(two.test.is_none());
        // One group.
        let obs = six_mp();
        let groups = vec![0; obs.len()];
        let sample = GroupedSample::new(&obs, &groups, 1).unwrap();
        let each = logrank_each_vs_rest(&sample);
        assert_eq!(
            (each[0].counts.observed, each[0].test, each[0].holm_p_value),
            (9, None, None)
        );
        assert!((each[0].counts.expected - 9.0).abs() < 1e-12);
        assert_eq!(logrank_k_sample(&sample).unwrap_err(), KSampleError::NoComparison);
        // All censored, and everything at one time.
        let obs = vec![Observation::censored(1.0); 6];
        let groups = [0, 1, 0, 1, 0, 1];
        let sample = GroupedSample::new(&obs, &groups, 2).unwrap();
        assert!(logrank_each_vs_rest(&sample).iter().all(|e| e.test.is_none()));
        assert_eq!(logrank_k_sample(&sample).unwrap_err(), KSampleError::NoComparison);
        let obs = vec![Observation::event(0.0); 6];
        let sample = GroupedSample::new(&obs, &groups, 2).unwrap();
        // Everyone fails at once: c = 0, no information.
        assert!(logrank_each_vs_rest(&sample).iter().all(|e| e.test.is_none()));
        assert!(logrank_k_sample(&sample).is_err());
        // Two groups never at risk together at an event time: the first
        // group's events all come after the second group has left.
        let obs = [
            Observation::event(1.0),
            Observation::event(2.0),
            Observation::event(5.0),
            Observation::event(6.0),
        ];
        let sample = GroupedSample::new(&obs, &[1, 1, 0, 0], 2).unwrap();
        let each = logrank_each_vs_rest(&sample);
        assert!(each.iter().all(|e| e.test.is_some()));
        let two = logrank_two_sample(&obs[2..], &obs[..2]).unwrap();
        assert!(close(
            each[0].test.unwrap().statistic,
            two.test.unwrap().statistic,
            1e-12
        ));
    }

    #[test]
    fn the_k_sample_test_refuses_too_many_groups() {
        let obs = [Observation::event(1.0)];
        let sample = GroupedSample::new(&obs, &[0], MAX_K_SAMPLE_GROUPS + 1).unwrap();
        assert!(matches!(
            logrank_k_sample(&sample),
            Err(KSampleError::TooManyGroups { .. })
        ));
        let k = 400;
        let n = (MAX_K_SAMPLE_WORK / k as u64) as usize + 1;
        let obs = vec![Observation::event(1.0); n];
        let groups: Vec<usize> = (0..n).map(|i| i % k).collect();
        let sample = GroupedSample::new(&obs, &groups, k).unwrap();
        assert!(matches!(
            logrank_k_sample(&sample),
            Err(KSampleError::TooMuchWork { .. })
        ));
    }

    /// Ten million observations over ten thousand groups, each group
    /// against the rest, and the k-sample test at its limit (500 groups x 4
    /// million observations): run with `--ignored` to time them (a few
    /// seconds each).
    #[test]
    #[ignore]
    fn each_group_against_the_rest_scales_to_ten_million_observations() {
        let (n, k) = (10_000_000, 10_000);
        let mut rng = Stream::seed_from_u64(1);
        let mut obs = Vec::with_capacity(n);
        let mut groups = Vec::with_capacity(n);
        for _ in 0..n {
            let g = rng.random_range(0..k);
            let time = (rng.random::<f64>() * 1000.0 * (1.0 + g as f64 / k as f64)).floor() / 10.0;
            obs.push(Observation {
                time,
                event: rng.random::<f64>() < 0.8,
            });
            groups.push(g);
        }
        let start = std::time::Instant::now();
        let sample = GroupedSample::new(&obs, &groups, k).unwrap();
        let each = logrank_each_vs_rest(&sample);
        let elapsed = start.elapsed();
        eprintln!("each against the rest: {elapsed:?}");
        assert_eq!(each.len(), k);
        assert!(each.iter().all(|e| e.test.is_some()));
        let events: usize = each.iter().map(|e| e.counts.observed).sum();
        let expected: f64 = each.iter().map(|e| e.counts.expected).sum();
        assert!(close(expected, events as f64, 1e-9));
        let start = std::time::Instant::now();
        let few: Vec<usize> = groups[..4_000_000].iter().map(|g| g % 500).collect();
        let sample = GroupedSample::new(&obs[..4_000_000], &few, 500).unwrap();
        let ks = logrank_k_sample(&sample).unwrap();
        eprintln!(
            "k-sample, 500 groups x 4M: {:?} (chi-square {})",
            start.elapsed(),
            ks.test.statistic
        );
    }
}
