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
//! time order. The k-sample statistic U' V^-1 U (U = O - E) is solved two
//! ways. Up to [`DIRECT_GROUPS`] groups and [`DIRECT_WORK`]
//! group-observations, V is built whole (each pair of groups one merge of
//! their time-ordered lists, O(k n)) and factored (Cholesky, O(k^3)).
//! Beyond, V is never built: the conjugate gradient method (Jacobi
//! preconditioned) needs only products V x, and each costs O(n) whatever
//! k, since (V x)_g = x_g sum_j c_j n_gj / n_j - sum_j c_j n_gj s_j / n_j^2
//! with s_j = sum_h n_hj x_h the at-risk subjects' sum of x (a suffix sum
//! over the times) and the second term a sum over g's subjects of a prefix
//! sum over the times. It stops when the residual is below 1e-10 of U
//! (the statistic then agrees with the direct one to about 1e-9, tested),
//! so the test takes any number of groups: ten thousand platforms of a
//! host-scale review log.

use super::multiple::holm;
use super::{ChiSquareTest, GroupedSample, InputError, Observation, Packed, check_times, sort_packed};

/// Up to this many groups the k-sample covariance matrix is built whole and
/// factored; beyond, the statistic is solved by conjugate gradients.
pub const DIRECT_GROUPS: usize = 500;

/// Up to this many groups x observations the covariance matrix is built
/// whole (its pairwise merges cost about that many steps).
pub const DIRECT_WORK: u64 = 2_000_000_000;

/// The conjugate gradient stops when the residual's norm is below this
/// share of U's.
const CG_TOLERANCE: f64 = 1e-10;

/// The conjugate gradient gives up after this many products V x (each
/// O(n)); in exact arithmetic it ends within as many as there are groups.
const CG_MAX_ITERATIONS: usize = 5_000;

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
    /// The conjugate gradient did not reach its tolerance (the covariance
    /// matrix is nearly singular).
    #[error(
        "the k-sample statistic did not converge in {iterations} iterations (the covariance matrix of the groups is nearly singular)"
    )]
    NotConverged {
        /// The iterations tried.
        iterations: usize,
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
/// times up to and including that time, and F's own term at that time,
/// c_j / n_j^2 (0 at a time without events).
fn pooled_sums(sorted: &[Packed]) -> Vec<[f64; 4]> {
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
        let mut term = 0.0;
        if d > 0 {
            let (d, n) = (d as f64, at_risk);
            h += d / n;
            if n > 1.0 {
                let c = d * (n - d) / (n - 1.0);
                g += c / n;
                term = c / (n * n);
                f += term;
            }
        }
        sums.push([h, g, f, term]);
        at_risk -= m as f64;
    }
    sums
}

/// Per group: subjects, O, E and V_gg, by one pass over the subjects from
/// the latest time to the earliest.
fn group_counts(sorted: &[Packed], sums: &[[f64; 4]], k: usize) -> Vec<GroupCounts> {
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
        let [h, g_sum, f_sum, _] = sums[j];
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
/// with rho = 0), for any number of groups; see the module's doc.
pub fn logrank_k_sample(sample: &GroupedSample) -> Result<KSampleLogRank, KSampleError> {
    k_sample_sorted(&sample.sorted(), sample.k())
}

/// [`logrank_k_sample`] of observations already sorted by time.
pub(crate) fn k_sample_sorted(sorted: &[Packed], k: usize) -> Result<KSampleLogRank, KSampleError> {
    let direct = k <= DIRECT_GROUPS && (k as u64).saturating_mul(sorted.len() as u64) <= DIRECT_WORK;
    k_sample_by(sorted, k, direct)
}

/// The k-sample test with the covariance matrix built and factored
/// (`direct`) or by conjugate gradients.
fn k_sample_by(sorted: &[Packed], k: usize, direct: bool) -> Result<KSampleLogRank, KSampleError> {
    let sums = pooled_sums(sorted);
    let counts = group_counts(sorted, &sums, k);
    let tested: Vec<usize> = (0..k)
        .filter(|&g| counts[g].expected > 0.0 && counts[g].variance > 0.0)
        .collect();
    if tested.len() < 2 {
        return Err(KSampleError::NoComparison);
    }
    let runs = group_runs(sorted, k);
    // The tested groups but the first.
    let rest = &tested[1..];
    let m = rest.len();
    let u: Vec<f64> = rest
        .iter()
        .map(|&g| counts[g].observed as f64 - counts[g].expected)
        .collect();
    let x = if direct {
        let f: Vec<f64> = sums.iter().map(|s| s[2]).collect();
        let mut v = vec![0.0; m * m];
        for (a, &g) in rest.iter().enumerate() {
            v[a * m + a] = counts[g].variance;
            for (b, &h) in rest.iter().enumerate().skip(a + 1) {
                let c = -cross_sum(&f, &runs[g], &runs[h], counts[g].subjects, counts[h].subjects);
                v[a * m + b] = c;
                v[b * m + a] = c;
            }
        }
        solve_positive_definite(&mut v, m, &u).ok_or(KSampleError::Singular)?
    } else {
        let product = CovarianceProduct::new(&sums, &runs, rest);
        let diagonal: Vec<f64> = rest.iter().map(|&g| counts[g].variance).collect();
        conjugate_gradient(&product, &diagonal, &u)?
    };
    let statistic: f64 = u.iter().zip(&x).map(|(a, b)| a * b).sum();
    let test = ChiSquareTest::new(statistic.max(0.0), m).ok_or(KSampleError::Singular)?;
    Ok(KSampleLogRank { counts, tested, test })
}

/// Products V x of the covariance matrix of O - E over some groups with
/// a vector, in O(n) each, without V (see the module's doc).
struct CovarianceProduct<'a> {
    /// c_j / n_j^2 at each distinct time.
    term: Vec<f64>,
    /// The groups' runs (time index, subjects).
    runs: Vec<&'a [(u32, u32)]>,
    /// sum_j c_j n_gj / n_j of each group.
    first: Vec<f64>,
}

impl<'a> CovarianceProduct<'a> {
    fn new(sums: &[[f64; 4]], runs: &'a [Vec<(u32, u32)>], groups: &[usize]) -> CovarianceProduct<'a> {
        let runs: Vec<&[(u32, u32)]> = groups.iter().map(|&g| runs[g].as_slice()).collect();
        let first = runs
            .iter()
            .map(|r| r.iter().map(|&(j, c)| f64::from(c) * sums[j as usize][1]).sum())
            .collect();
        CovarianceProduct {
            term: sums.iter().map(|s| s[3]).collect(),
            runs,
            first,
        }
    }

    /// V x, into `out`.
    fn apply(&self, x: &[f64], out: &mut [f64]) {
        let times = self.term.len();
        // s_j: the at-risk subjects' sum of x (a subject is at risk at every
        // time up to its own).
        let mut s = vec![0.0; times + 1];
        for (r, &xg) in self.runs.iter().zip(x) {
            for &(j, c) in r.iter() {
                s[j as usize] += xg * f64::from(c);
            }
        }
        for j in (0..times).rev() {
            s[j] += s[j + 1];
        }
        // q_j: sum over times up to j of c / n^2 s.
        let mut q = 0.0;
        for (sj, term) in s.iter_mut().zip(&self.term) {
            q += term * *sj;
            *sj = q;
        }
        for (((r, &xg), first), o) in self.runs.iter().zip(x).zip(&self.first).zip(out.iter_mut()) {
            let pairs: f64 = r.iter().map(|&(j, c)| f64::from(c) * s[j as usize]).sum();
            *o = xg * first - pairs;
        }
    }
}

/// Solves V x = u by the conjugate gradient method with V's `diagonal` as
/// preconditioner.
fn conjugate_gradient(v: &CovarianceProduct, diagonal: &[f64], u: &[f64]) -> Result<Vec<f64>, KSampleError> {
    let m = u.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let goal = CG_TOLERANCE * dot(u, u).sqrt();
    let mut x = vec![0.0; m];
    let mut r = u.to_vec();
    let mut z: Vec<f64> = r.iter().zip(diagonal).map(|(r, d)| r / d).collect();
    let mut p = z.clone();
    let mut rz = dot(&r, &z);
    let mut vp = vec![0.0; m];
    for _ in 0..CG_MAX_ITERATIONS {
        if dot(&r, &r).sqrt() <= goal {
            return Ok(x);
        }
        v.apply(&p, &mut vp);
        let curvature = dot(&p, &vp);
        if curvature.is_nan() || curvature <= 0.0 {
            return Err(KSampleError::Singular);
        }
        let alpha = rz / curvature;
        for i in 0..m {
            x[i] += alpha * p[i];
            r[i] -= alpha * vp[i];
        }
        for i in 0..m {
            z[i] = r[i] / diagonal[i];
        }
        let next = dot(&r, &z);
        let beta = next / rz;
        rz = next;
        for i in 0..m {
            p[i] = z[i] + beta * p[i];
        }
    }
    if dot(&r, &r).sqrt() <= goal {
        Ok(x)
    } else {
        Err(KSampleError::NotConverged {
            iterations: CG_MAX_ITERATIONS,
        })
    }
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
    fn the_iterative_k_sample_statistic_equals_the_direct_one() {
        for (seed, n, k) in [(42, 3000, 8), (7, 20_000, 60), (3, 40_000, 700)] {
            let (obs, groups) = random_sample(seed, n, k);
            let sample = GroupedSample::new(&obs, &groups, k).unwrap();
            let sorted = sample.sorted();
            let direct = k_sample_by(&sorted, k, true).unwrap();
            let iterative = k_sample_by(&sorted, k, false).unwrap();
            assert_eq!(direct.tested, iterative.tested);
            assert_eq!(direct.test.df, iterative.test.df);
            assert!(
                close(direct.test.statistic, iterative.test.statistic, 1e-9),
                "{k} groups: {} direct, {} iterative",
                direct.test.statistic,
                iterative.test.statistic
            );
        }
        // Beyond the direct limit, the public test is the iterative one.
        let k = DIRECT_GROUPS + 1;
        let (obs, groups) = random_sample(5, 30_000, k);
        let sample = GroupedSample::new(&obs, &groups, k).unwrap();
        let sorted = sample.sorted();
        assert_eq!(
            logrank_k_sample(&sample).unwrap(),
            k_sample_by(&sorted, k, false).unwrap()
        );
    }

    /// Ten million observations over ten thousand groups, each group
    /// against the rest and the k-sample test (iterative), and the direct
    /// k-sample test at its limit (500 groups x 4 million observations):
    /// run with `--ignored` to time them (a few seconds each).
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
        let all = logrank_k_sample(&sample).unwrap();
        eprintln!(
            "k-sample, 10,000 groups x 10M: {:?} (chi-square {} on {} df)",
            start.elapsed(),
            all.test.statistic,
            all.test.df
        );
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
