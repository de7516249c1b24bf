//! An automatic warm-up: MSER-5, the truncation rule that deletes the
//! start of a series where deleting it most reduces the mean's squared
//! error (White 1997, "An effective truncation heuristic for bias
//! reduction in simulation output", Simulation 69, 323-334; White, Cobb and
//! Spratt 2000, "A comparison of five steady-state truncation heuristics
//! for simulation", WSC; the rule Hoad, Robinson and Davies 2010,
//! "Automating warm-up length estimation", JORS 61, 1389-1403, found the
//! most reliable of the many they compared).
//!
//! The series is a daily one, typically the replication-averaged value of a
//! metric per day, with days possibly missing. Its batch means of 5 days
//! Z_1..Z_k give, for a truncation of d batches,
//!
//! MSER(d) = sum_{i > d} (Z_i - mean_{>d})^2 / (k - d)^2,
//!
//! an estimate of the squared standard error of the mean of what is kept
//! that grows when the kept part still holds the start's bias. The rule
//! takes the d minimising it over d in 0..=floor(k/2). That is the usual
//! restriction (White and Robinson 2010, "The problem of the initial
//! transient (again), or why MSER works", JOS 4, 268-272), and the
//! variant taken here: near the end of the series the statistic rests on a
//! few batch means and falls towards 0 by chance (MSER(k - 1) is always
//! 0), so an unrestricted search finds spurious minima in stationary
//! series (on 20,000 series of 365 i.i.d. days it put the minimum in the
//! second half for a fifth of them; the restricted rule flags 0.01%). A
//! minimum at the end of the range, d = floor(k/2), says the statistic was
//! still falling at half the series: the series is too short to show its
//! steady state, which the rules of practice read as "run longer"
//! ([`Warmup::too_short`]).

use super::interval::scale_exponent;

/// Days per batch in MSER-5.
pub(crate) const BATCH_DAYS: usize = 5;

/// The warm-up MSER chose for one series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Warmup {
    /// The truncation point in days: delete days `0..days` (the day after
    /// the last deleted batch; 0 when nothing is deleted).
    pub(crate) days: usize,
    /// The same truncation d, in batch means deleted.
    pub(crate) batches: usize,
    /// The number k of batch means the rule saw (whole batches holding at
    /// least one day; a last incomplete batch is left out).
    pub(crate) of_batches: usize,
    /// MSER(d) at the chosen d, in the square of the series' unit; `None`
    /// only if it does not fit in an `f64` (values near 1e154 and beyond).
    pub(crate) statistic: Option<f64>,
    /// Whether the minimum sits at half the batch means, the end of the
    /// search: the series is too short, run longer.
    pub(crate) too_short: bool,
}

/// The warm-up of several series: the largest truncation, the series that
/// set it, and the series that are too short.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LongestWarmup<N> {
    /// The name of the series with the largest truncation (the first of
    /// them on a tie).
    pub(crate) series: N,
    /// Its warm-up: the one to apply to every series.
    pub(crate) warmup: Warmup,
    /// The names of all series whose own warm-up is too short, in order.
    pub(crate) too_short: Vec<N>,
}

/// MSER-5 of a daily series: `days[i]` is day i's value, `None` (or a
/// non-finite value) for a missing day; a plain `&[f64]` works too. See
/// [`mser`].
#[cfg(test)]
pub(crate) fn mser5<T: Copy + Into<Option<f64>>>(days: &[T]) -> Option<Warmup> {
    mser(days, BATCH_DAYS)
}

/// MSER-m with batches of `batch` days (MSER itself when 1). A batch's
/// mean is the mean of its days present; a batch with none is left out
/// (its days count towards the truncation point if it lies before the
/// kept part). `None` when there is no whole batch with a day present.
pub(crate) fn mser<T: Copy + Into<Option<f64>>>(days: &[T], batch: usize) -> Option<Warmup> {
    if batch == 0 {
        return None;
    }
    let value = |d: &T| (*d).into().filter(|v: &f64| v.is_finite());
    // Scaled by a power of two so that no sum of squares overflows.
    let exponent = scale_exponent(days.iter().filter_map(value));
    let mut means = Vec::with_capacity(days.len() / batch);
    let mut ends = Vec::with_capacity(days.len() / batch);
    for (i, chunk) in days.chunks_exact(batch).enumerate() {
        let (mut sum, mut count) = (0.0, 0usize);
        for v in chunk.iter().filter_map(value) {
            sum += libm::ldexp(v, -exponent);
            count += 1;
        }
        if count > 0 {
            means.push(sum / count as f64);
            ends.push((i + 1) * batch);
        }
    }
    let k = means.len();
    if k == 0 {
        return None;
    }
    // Sums of squared deviations of every suffix Z_{d+1..k}, by Welford's
    // update from the end (exactly 0 for a constant suffix).
    let mut suffix_ss = vec![0.0; k];
    let (mut mean, mut ss) = (0.0, 0.0);
    for (m, (&z, slot)) in means.iter().zip(&mut suffix_ss).rev().enumerate() {
        let delta = z - mean;
        mean += delta / (m + 1) as f64;
        ss += delta * (z - mean);
        *slot = ss;
    }
    let last = k / 2;
    let mut best = (0, f64::INFINITY);
    for (d, &ss) in suffix_ss.iter().enumerate().take(last + 1) {
        let kept = (k - d) as f64;
        let statistic = ss / (kept * kept);
        // Strictly smaller: on a tie the shortest truncation wins.
        if statistic < best.1 {
            best = (d, statistic);
        }
    }
    let (d, statistic) = best;
    Some(Warmup {
        days: if d == 0 { 0 } else { ends[d - 1] },
        batches: d,
        of_batches: k,
        statistic: Some(libm::ldexp(statistic, 2 * exponent)).filter(|s| s.is_finite()),
        too_short: d == last,
    })
}

/// MSER-m with batches of `batch` days of several named series (the
/// metrics of one run; MSER-5 with [`BATCH_DAYS`], or MSER on series of
/// batch means already with 1): the largest truncation, which is the
/// warm-up to delete from all of them, with the series that set it.
/// Series without a whole batch are passed over; `None` when no series
/// has one.
pub(crate) fn longest_warmup<N: Copy, T: Copy + Into<Option<f64>>>(
    series: &[(N, &[T])],
    batch: usize,
) -> Option<LongestWarmup<N>> {
    let mut longest: Option<LongestWarmup<N>> = None;
    let mut too_short = Vec::new();
    for &(name, days) in series {
        let Some(warmup) = mser(days, batch) else { continue };
        if warmup.too_short {
            too_short.push(name);
        }
        if longest.as_ref().is_none_or(|l| warmup.days > l.warmup.days) {
            longest = Some(LongestWarmup {
                series: name,
                warmup,
                too_short: Vec::new(),
            });
        }
    }
    longest.map(|l| LongestWarmup { too_short, ..l })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;
    use crate::core::sample::{exp1, normal};
    use crate::core::theory::mmc_mean_wait;

    /// The seed of every series drawn here.
    const SEED: u64 = 20_260_503;

    /// A ramp from 0 to 10 over days 0..52 that then settles at 10, with a
    /// wiggle of period 5 that every whole batch averages out.
    fn ramp(days: usize) -> Vec<f64> {
        const WIGGLE: [f64; 5] = [1.0, -1.0, 0.5, -0.5, 0.0];
        (0..days)
            .map(|d| if d < 52 { 10.0 * d as f64 / 52.0 } else { 10.0 } + WIGGLE[d % 5])
            .collect()
    }

    #[test]
    fn a_ramp_is_cut_at_its_end_within_a_batch() {
        let w = mser5(&ramp(365)).unwrap();
        // Batch 10 (days 50..55) still holds two ramp days; from batch 11 on
        // every batch mean is 10, where MSER is 0.
        assert_eq!((w.days, w.batches, w.of_batches), (55, 11, 73));
        assert!((52..52 + BATCH_DAYS).contains(&w.days));
        assert_eq!(w.statistic, Some(0.0));
        assert!(!w.too_short);
    }

    #[test]
    fn missing_days_are_left_out_and_counted_in_the_truncation() {
        let mut days: Vec<Option<f64>> = ramp(365).into_iter().map(Some).collect();
        // Day 3 and the whole batch of days 40..45 missing, and a NaN on
        // the ramp (a day missing from the settled part would leave its
        // batch's wiggle unbalanced).
        days[3] = None;
        for d in &mut days[40..45] {
            *d = None;
        }
        days[21] = Some(f64::NAN);
        let w = mser5(&days).unwrap();
        assert_eq!((w.days, w.batches, w.of_batches), (55, 10, 72));
        // A missing batch just before the kept part: the cut is after the last deleted batch.
        for d in &mut days[50..55] {
            *d = None;
        }
        let w = mser5(&days).unwrap();
        assert_eq!((w.days, w.batches, w.of_batches), (50, 9, 71));
    }

    /// The mean wait in queue of customers `20 j .. 20 j + 20` of an M/M/1
    /// queue (arrival rate 0.8, service rate 1) that starts with 100
    /// customers' work waiting, for j below `days`, in replication `r`.
    fn mm1_started_full(r: u64, days: usize) -> Vec<f64> {
        let mut rng = stream(SEED, r, "test/mser/mm1");
        let mut work: f64 = (0..100).map(|_| exp1(&mut rng)).sum();
        (0..days)
            .map(|_| {
                let mut sum = 0.0;
                for _ in 0..20 {
                    // Lindley: the work an arrival finds is its wait.
                    work = (work - exp1(&mut rng) / 0.8).max(0.0);
                    sum += work;
                    work += exp1(&mut rng);
                }
                sum / 20.0
            })
            .collect()
    }

    #[test]
    fn an_mm1_queue_started_full_is_cut_where_its_bias_has_gone() {
        let (reps, days) = (20, 365);
        let runs: Vec<Vec<f64>> = (0..reps).map(|r| mm1_started_full(r, days)).collect();
        let averaged: Vec<f64> = (0..days)
            .map(|d| runs.iter().map(|run| run[d]).sum::<f64>() / reps as f64)
            .collect();
        let w = mser5(&averaged).unwrap();
        assert!(!w.too_short, "{w:?}");
        // The backlog of about 100 drains at 1 - rho = 0.2 per unit of time,
        // by about customer 400 (day 20): nothing before that can be kept.
        assert!(w.days >= 20, "{w:?}");
        // The replications' means of the kept days, against the steady state
        // rho / (mu - lambda) = 4: within 4 standard errors of it, where the
        // means of all days are far above.
        let wq = mmc_mean_wait(0.8, 1.0, 1);
        let within = |from: usize| {
            let means: Vec<f64> = runs
                .iter()
                .map(|run| run[from..].iter().sum::<f64>() / (days - from) as f64)
                .collect();
            let m = means.iter().sum::<f64>() / reps as f64;
            let var = means.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (reps - 1) as f64;
            (m - wq) / (var / reps as f64).sqrt()
        };
        assert!(within(w.days).abs() < 4.0, "{w:?}: {} standard errors", within(w.days));
        assert!(within(0) > 4.0, "{}", within(0));
    }

    #[test]
    fn stationary_series_are_rarely_cut() {
        // AR(1) days with coefficient 0.5, started in their stationary law.
        // A calibration on 20,000 such series of 365 days (another seed)
        // gave a mean truncation of 1.28 batches (sd 3.24), no truncation
        // for 68.9% of them, and a too-short flag for 0.015%. Over 200
        // series, each bound below is 4 standard errors from those.
        let series = 200;
        let (mut batches, mut untouched, mut flagged) = (0, 0, 0);
        for r in 0..series {
            let mut rng = stream(SEED, r, "test/mser/ar1");
            let mut x = normal(&mut rng) / 0.75_f64.sqrt();
            let days: Vec<f64> = (0..365)
                .map(|_| {
                    let today = x;
                    x = 0.5 * x + normal(&mut rng);
                    today
                })
                .collect();
            let w = mser5(&days).unwrap();
            batches += w.batches;
            untouched += usize::from(w.batches == 0);
            flagged += usize::from(w.too_short);
        }
        let n = series as f64;
        assert!((batches as f64 / n) < 1.28 + 4.0 * 3.24 / n.sqrt(), "{batches}");
        assert!(
            (untouched as f64 / n) > 0.689 - 4.0 * (0.689 * 0.311 / n).sqrt(),
            "{untouched}"
        );
        // Expected 0.03 flagged: 4 standard errors (Poisson) stay below 1.
        assert_eq!(flagged, 0);
    }

    #[test]
    fn a_constant_series_is_not_cut() {
        let w = mser5(&[0.1; 100]).unwrap();
        assert_eq!(
            (w.days, w.batches, w.of_batches, w.statistic, w.too_short),
            (0, 0, 20, Some(0.0), false)
        );
        let gappy: Vec<Option<f64>> = (0..100).map(|d| (d % 3 != 0).then_some(-7.25)).collect();
        assert_eq!(mser5(&gappy).unwrap().days, 0);
    }

    #[test]
    fn a_short_or_unsettled_series_is_too_short() {
        // One whole batch: the minimum is at d = 0 = k / 2.
        let w = mser5(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]).unwrap();
        assert_eq!((w.days, w.of_batches, w.too_short), (0, 1, true));
        // A ramp cut short while still climbing.
        let w = mser5(&ramp(40)).unwrap();
        assert!(w.too_short && w.batches == 4, "{w:?}");
        // A ramp that settles by day 55 of 100: more than half, too short.
        let w = mser5(&ramp(100)).unwrap();
        assert!(w.too_short && w.batches == 10, "{w:?}");
        // No whole batch: nothing to say.
        assert_eq!(mser5(&[1.0, 2.0, 3.0, 4.0]), None);
        assert_eq!(mser5::<f64>(&[]), None);
        assert_eq!(mser5(&[None::<f64>; 10]), None);
        assert_eq!(mser(&[1.0; 10], 0), None);
    }

    #[test]
    fn huge_values_neither_overflow_nor_panic() {
        let huge: Vec<f64> = ramp(365).iter().map(|v| 1.7e307 * (v - 5.0)).collect();
        let w = mser5(&huge).unwrap();
        assert_eq!((w.days, w.statistic), (55, Some(0.0)));
        // A noisy tail whose MSER does not fit in an f64: no statistic, same rule.
        let noisy: Vec<f64> = (0..365).map(|d| if d % 2 == 0 { 1.7e308 } else { -1.7e308 }).collect();
        let w = mser5(&noisy).unwrap();
        assert!(w.statistic.is_none() && !w.too_short, "{w:?}");
        let tiny: Vec<f64> = ramp(365).iter().map(|v| 1e-310 * v).collect();
        assert_eq!(mser5(&tiny).unwrap().days, 55);
        // MSER-1 on the plain series.
        assert_eq!(mser(&[f64::MAX; 9], 1).unwrap().statistic, Some(0.0));
    }

    #[test]
    fn several_series_take_the_longest_warmup_and_name_it() {
        let settled = vec![3.0; 365];
        let long = ramp(365);
        let short = ramp(40);
        let empty: Vec<f64> = Vec::new();
        let all: [(&str, &[f64]); 4] = [
            ("settled", &settled),
            ("short", &short),
            ("ramp", &long),
            ("empty", &empty),
        ];
        let l = longest_warmup(&all, BATCH_DAYS).unwrap();
        assert_eq!((l.series, l.warmup.days), ("ramp", 55));
        assert_eq!(l.too_short, ["short"]);
        // A tie goes to the first.
        let twice: [(&str, &[f64]); 2] = [("a", &long), ("b", &long)];
        assert_eq!(longest_warmup(&twice, BATCH_DAYS).unwrap().series, "a");
        assert_eq!(longest_warmup::<&str, f64>(&[("empty", &empty)], BATCH_DAYS), None);
        assert_eq!(longest_warmup::<&str, f64>(&[], BATCH_DAYS), None);
    }
}
