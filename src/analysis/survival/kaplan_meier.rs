//! The Kaplan-Meier estimate of the survival curve (the share of
//! submissions still waiting for a decision at each time) with Greenwood's
//! variance and pointwise 95% bands, its quantiles with
//! Brookmeyer-Crowley intervals, and its restricted mean. Each figure is
//! computed as R's survival package does (survfit, quantile.survfit and
//! print.survfit's restricted mean), so results can be checked against it.

use super::{GroupedSample, InputError, Observation, Packed, Z_975, check_times, sort_packed};

/// The scale on which the pointwise 95% band of S(t) is symmetric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandScale {
    /// log(-log S): R's `conf.type = "log-log"` (Stata's default); the
    /// band always lies inside (0, 1).
    LogLog,
    /// log S: R's default `conf.type = "log"`, with the upper limit cut at 1.
    Log,
}

/// The curve at one distinct event time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// The event time.
    pub time: f64,
    /// Subjects at risk just before it (time >= this time).
    pub at_risk: usize,
    /// Events at this time.
    pub events: usize,
    /// Subjects censored at this time or after it but before the next
    /// event time (they leave the risk set after this step).
    pub censored: usize,
    /// S(t) just after this time.
    pub survival: f64,
    /// Greenwood's variance of S(t), S^2 sum d / (n (n - d)); `None` once
    /// S reaches 0.
    pub variance: Option<f64>,
    /// Lower limit of the pointwise 95% band; `None` once S reaches 0.
    pub lower: Option<f64>,
    /// Upper limit of the pointwise 95% band; `None` once S reaches 0.
    pub upper: Option<f64>,
}

impl Step {
    /// The standard error of S(t), the square root of Greenwood's variance.
    pub fn std_error(&self) -> Option<f64> {
        self.variance.map(f64::sqrt)
    }
}

/// A quantile of the time with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantile {
    /// The share p of subjects with an event by the quantile (0.5: median).
    pub p: f64,
    /// The first time S(t) <= 1 - p (R's midpoint rule when S equals 1 - p
    /// over an interval); `None` when the curve never gets there.
    pub time: Option<f64>,
    /// The first time the band's lower limit is <= 1 - p; `None` if never.
    pub lower: Option<f64>,
    /// The first time the band's upper limit is <= 1 - p; `None` if never
    /// ("not reached").
    pub upper: Option<f64>,
}

/// The restricted mean: the area under S(t) from 0 to `tau`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RestrictedMean {
    /// The horizon.
    pub tau: f64,
    /// The mean time, restricted to `tau`.
    pub mean: f64,
    /// Its standard error (Greenwood-type, as R's print.survfit).
    pub std_error: f64,
}

/// A Kaplan-Meier curve.
#[derive(Clone, Debug, PartialEq)]
pub struct KaplanMeier {
    /// The number of subjects.
    pub subjects: usize,
    /// The number of events.
    pub events: usize,
    /// Subjects censored before the first event time.
    pub censored_before_first: usize,
    /// One step per distinct event time, in time order.
    pub steps: Vec<Step>,
    /// The largest time observed (event or censored); `None` without
    /// subjects.
    pub last_time: Option<f64>,
    /// The scale of the bands.
    pub bands: BandScale,
}

/// R's `quantile.survfit` tolerance, sqrt(machine epsilon): a curve within
/// it of 1 - p counts as equal to it.
const TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// The Kaplan-Meier curve of `observations`.
pub fn kaplan_meier(observations: &[Observation], bands: BandScale) -> Result<KaplanMeier, InputError> {
    check_times(observations)?;
    let mut packed: Vec<Packed> = observations.iter().map(|o| Packed::new(o.time, 0, o.event)).collect();
    sort_packed(&mut packed);
    Ok(from_sorted(&packed, bands))
}

/// One Kaplan-Meier curve per group of `sample` (empty groups give empty
/// curves), in group order. One sort of all the observations, then linear.
pub fn kaplan_meier_by_group(sample: &GroupedSample, bands: BandScale) -> Vec<KaplanMeier> {
    let (by_group, starts) = split_by_group(&sample.sorted(), sample.k());
    (0..sample.k())
        .map(|g| from_sorted(&by_group[starts[g]..starts[g + 1]], bands))
        .collect()
}

/// Observations sorted by time, regrouped: every group's observations
/// together, in time order within the group (a stable counting sort by
/// group), with each group's start (group g is `starts[g]..starts[g +
/// 1]`).
pub(crate) fn split_by_group(sorted: &[Packed], k: usize) -> (Vec<Packed>, Vec<usize>) {
    let mut starts = vec![0usize; k + 1];
    for p in sorted {
        starts[p.group as usize + 1] += 1;
    }
    for g in 0..k {
        starts[g + 1] += starts[g];
    }
    let mut next = starts.clone();
    let mut by_group = sorted.to_vec();
    for p in sorted {
        let slot = &mut next[p.group as usize];
        by_group[*slot] = *p;
        *slot += 1;
    }
    (by_group, starts)
}

/// The curve of observations sorted by time (their groups ignored).
pub(crate) fn from_sorted(sorted: &[Packed], bands: BandScale) -> KaplanMeier {
    let mut curve = KaplanMeier {
        subjects: sorted.len(),
        events: 0,
        censored_before_first: 0,
        steps: Vec::new(),
        last_time: sorted.last().map(|p| p.time()),
        bands,
    };
    let mut at_risk = sorted.len();
    let mut survival = 1.0;
    // sum d / (n (n - d)), the variance of log S; None once S is 0.
    let mut greenwood = Some(0.0);
    let mut i = 0;
    while i < sorted.len() {
        let key = sorted[i].key;
        let (mut events, mut censored) = (0, 0);
        while i < sorted.len() && sorted[i].key == key {
            if sorted[i].event {
                events += 1;
            } else {
                censored += 1;
            }
            i += 1;
        }
        if events > 0 {
            survival *= 1.0 - events as f64 / at_risk as f64;
            greenwood = match greenwood {
                Some(sum) if events < at_risk => {
                    Some(sum + events as f64 / (at_risk as f64 * (at_risk - events) as f64))
                }
                _ => None,
            };
            let (lower, upper) = band(survival, greenwood, bands);
            curve.events += events;
            curve.steps.push(Step {
                time: f64::from_bits(key),
                at_risk,
                events,
                censored,
                survival,
                variance: greenwood.map(|g| survival * survival * g),
                lower,
                upper,
            });
        } else if let Some(last) = curve.steps.last_mut() {
            last.censored += censored;
        } else {
            curve.censored_before_first += censored;
        }
        at_risk -= events + censored;
    }
    curve
}

/// The pointwise 95% band at survival `s` with `greenwood` = sum d / (n (n -
/// d)) (the variance of log S), as R's `survfit_confint`; `None` where S is
/// 0 or 1.
fn band(s: f64, greenwood: Option<f64>, bands: BandScale) -> (Option<f64>, Option<f64>) {
    let Some(g) = greenwood else { return (None, None) };
    if !(s > 0.0 && s < 1.0) {
        return (None, None);
    }
    let se = g.sqrt();
    match bands {
        BandScale::Log => {
            let lower = s * libm::exp(-Z_975 * se);
            let upper = (s * libm::exp(Z_975 * se)).min(1.0);
            (Some(lower), Some(upper))
        }
        BandScale::LogLog => {
            // log(-log S) +- z se / |log S|, back-transformed.
            let ln_s = libm::log(s);
            let w = Z_975 * se / ln_s.abs();
            let lower = libm::exp(ln_s * libm::exp(w));
            let upper = libm::exp(ln_s * libm::exp(-w));
            let finite = |x: f64| if x.is_finite() { Some(x) } else { None };
            (finite(lower), finite(upper))
        }
    }
}

impl KaplanMeier {
    /// S(t): the share still waiting at time `t` (the curve is
    /// right-continuous: an event at `t` counts). `None` without subjects
    /// or for a time that is not a number.
    pub fn survival_at(&self, t: f64) -> Option<f64> {
        if self.subjects == 0 || t.is_nan() {
            return None;
        }
        let after = self.steps.partition_point(|s| s.time <= t);
        Some(if after == 0 {
            1.0
        } else {
            self.steps[after - 1].survival
        })
    }

    /// The quantile of the time where a share `p` (in (0, 1]) of subjects
    /// have had their event, with its 95% interval, as R's
    /// `quantile.survfit`: the first time the curve is <= 1 - p (within
    /// sqrt(machine epsilon); when the curve is flat at exactly 1 - p, the
    /// midpoint of that flat, and at the end of the curve the midpoint
    /// between its start and the last observed time), and likewise for
    /// the band's limits (Brookmeyer and Crowley's interval when the band
    /// is log-log). R finds the crossing with `approx()`, which is the
    /// first crossing whenever the band is monotone, as it is in practice.
    /// `None` for a p outside (0, 1].
    pub fn quantile(&self, p: f64) -> Option<Quantile> {
        if !(p > 0.0 && p <= 1.0) {
            return None;
        }
        let xmax = self.last_time?;
        // R's curve also has rows at censoring times; those before the
        // first event have S = 1, where a log-log band is undefined. Such
        // an undefined point changes which undefined points R drops (see
        // `find_quantile`), so it is kept here.
        let undefined_first = self.censored_before_first > 0 && self.bands == BandScale::LogLog;
        let lead = undefined_first.then_some((0.0, None));
        let curve = self.steps.iter().map(|s| (s.time, Some(1.0 - s.survival)));
        let lower = lead
            .into_iter()
            .chain(self.steps.iter().map(|s| (s.time, s.lower.map(|l| 1.0 - l))));
        let upper = lead
            .into_iter()
            .chain(self.steps.iter().map(|s| (s.time, s.upper.map(|u| 1.0 - u))));
        Some(Quantile {
            p,
            time: find_quantile(curve, xmax, p),
            lower: find_quantile(lower, xmax, p),
            upper: find_quantile(upper, xmax, p),
        })
    }

    /// The median time ([`Self::quantile`] at p = 0.5).
    pub fn median(&self) -> Option<Quantile> {
        self.quantile(0.5)
    }

    /// The restricted mean up to `tau` (>= 0): the area under S(t) from 0
    /// to `tau`, with the standard error of R's `print(fit, rmean = tau)`,
    /// sqrt(sum over event times t_j <= tau of A_j^2 d_j / (n_j (n_j -
    /// d_j))), where A_j is the area under the curve from t_j to tau (a
    /// term with n_j = d_j counts 0). `None` without subjects or for a tau
    /// that is not a finite number >= 0.
    pub fn restricted_mean(&self, tau: f64) -> Option<RestrictedMean> {
        if self.subjects == 0 || !(tau.is_finite() && tau >= 0.0) {
            return None;
        }
        let upto = self.steps.partition_point(|s| s.time <= tau);
        // Area under the curve from each event time to tau, built from the
        // right: tail[j] = A_j.
        let mut tail = vec![0.0; upto];
        let mut area = 0.0;
        let mut right = tau;
        for j in (0..upto).rev() {
            area += (right - self.steps[j].time) * self.steps[j].survival;
            right = self.steps[j].time;
            tail[j] = area;
        }
        let mean = area + right; // S = 1 from 0 to the first event time
        let variance: f64 = self.steps[..upto]
            .iter()
            .zip(&tail)
            .filter(|(s, _)| s.events < s.at_risk)
            .map(|(s, a)| a * a * s.events as f64 / (s.at_risk as f64 * (s.at_risk - s.events) as f64))
            .sum();
        Some(RestrictedMean {
            tau,
            mean,
            std_error: variance.sqrt(),
        })
    }
}

/// R's `findq`: the quantile p of a curve given as points (time, y = 1 -
/// S or 1 - a band limit, `None` where undefined) in time order. The curve
/// starts at (0, 0); a y equal to the one kept before it is dropped (R
/// drops any repeated value, the same thing for a monotone curve; of the
/// undefined points R keeps only the first), then undefined points are
/// ignored. The quantile is the first time where y >= p - tol, averaged
/// with the first time where y >= p + tol (they differ only when y is
/// within tol of p over a stretch) or, when that stretch ends the curve,
/// with the last observed time `xmax`, unless the last kept point is the
/// undefined one.
fn find_quantile(points: impl Iterator<Item = (f64, Option<f64>)>, xmax: f64, p: f64) -> Option<f64> {
    let mut xs = vec![0.0];
    let mut kept = vec![0.0];
    let mut last_is_defined = true;
    let mut seen_undefined = false;
    for (x, y) in points {
        match y {
            Some(y) => {
                if kept.last() == Some(&y) {
                    continue;
                }
                xs.push(x);
                kept.push(y);
                last_is_defined = true;
            }
            None if !seen_undefined => {
                seen_undefined = true;
                last_is_defined = false;
            }
            None => {}
        }
    }
    let first = kept.iter().position(|&y| y >= p - TOLERANCE)?;
    match kept.iter().position(|&y| y >= p + TOLERANCE) {
        Some(second) => Some((xs[first] + xs[second]) / 2.0),
        None => {
            let last = *kept.last()?;
            if last_is_defined && (p - last).abs() < TOLERANCE {
                Some((xs[first] + xmax) / 2.0)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testdata::{placebo, six_mp};
    use super::*;

    /// |got - printed| within half a unit of the printed value's last digit.
    fn printed(got: f64, value: f64, decimals: i32) {
        let half = 0.5 * 10f64.powi(-decimals) + 1e-12;
        assert!(
            (got - value).abs() <= half,
            "{got} is not {value} to {decimals} decimals"
        );
    }

    fn curve(times: &[f64], events: &[bool], bands: BandScale) -> KaplanMeier {
        let obs: Vec<Observation> = times
            .iter()
            .zip(events)
            .map(|(&time, &event)| Observation { time, event })
            .collect();
        kaplan_meier(&obs, bands).unwrap()
    }

    /// Freireich et al.'s 6-MP arm against Stata's `sts list` (log-log
    /// bands, R's conf.type = "log-log") and R's `summary(survfit)` (log
    /// bands), both printed in G. Rodriguez, "Kaplan-Meier and
    /// Mantel-Haenszel", Princeton WWS 509 (grodri.github.io/survival/gehan),
    /// which also lists the censored counts after each event time: 1, 1, 2,
    /// 0, 3, 0 and 5. Klein and Moeschberger (Table 4.1A) print the same
    /// curve and standard errors.
    #[test]
    fn kaplan_meier_matches_the_published_6mp_curve() {
        let km = kaplan_meier(&six_mp(), BandScale::LogLog).unwrap();
        assert_eq!((km.subjects, km.events, km.censored_before_first), (21, 9, 0));
        let times: Vec<f64> = km.steps.iter().map(|s| s.time).collect();
        assert_eq!(times, [6.0, 7.0, 10.0, 13.0, 16.0, 22.0, 23.0]);
        let at_risk: Vec<usize> = km.steps.iter().map(|s| s.at_risk).collect();
        assert_eq!(at_risk, [21, 17, 15, 12, 11, 7, 6]);
        let events: Vec<usize> = km.steps.iter().map(|s| s.events).collect();
        assert_eq!(events, [3, 1, 1, 1, 1, 1, 1]);
        let censored: Vec<usize> = km.steps.iter().map(|s| s.censored).collect();
        assert_eq!(censored, [1, 1, 2, 0, 3, 0, 5]);
        let stata = [
            (0.8571, 0.0764, 0.6197, 0.9516),
            (0.8067, 0.0869, 0.5631, 0.9228),
            (0.7529, 0.0963, 0.5032, 0.8894),
            (0.6902, 0.1068, 0.4316, 0.8491),
            (0.6275, 0.1141, 0.3675, 0.8049),
            (0.5378, 0.1282, 0.2678, 0.7468),
            (0.4482, 0.1346, 0.1881, 0.6801),
        ];
        for (step, (s, se, lo, hi)) in km.steps.iter().zip(stata) {
            printed(step.survival, s, 4);
            printed(step.std_error().unwrap(), se, 4);
            printed(step.lower.unwrap(), lo, 4);
            printed(step.upper.unwrap(), hi, 4);
        }
        let km = kaplan_meier(&six_mp(), BandScale::Log).unwrap();
        let r = [
            (0.720, 1.000),
            (0.653, 0.996),
            (0.586, 0.968),
            (0.510, 0.935),
            (0.439, 0.896),
            (0.337, 0.858),
            (0.249, 0.807),
        ];
        for (step, (lo, hi)) in km.steps.iter().zip(r) {
            printed(step.lower.unwrap(), lo, 3);
            printed(step.upper.unwrap(), hi, 3);
        }
        assert_eq!(km.survival_at(5.9), Some(1.0));
        assert_eq!(km.survival_at(6.0), Some(km.steps[0].survival));
        assert_eq!(km.survival_at(100.0), Some(km.steps[6].survival));
    }

    /// The placebo arm (no censoring, so S is the share still in remission
    /// and its standard error the binomial one), from the same Stata and R
    /// listings; the curve reaches 0 at 23 weeks, where R prints NaN for
    /// the standard error and NA for the band.
    #[test]
    fn kaplan_meier_matches_the_published_placebo_curve() {
        let km = kaplan_meier(&placebo(), BandScale::LogLog).unwrap();
        let stata = [
            (1.0, 21, 2, 0.9048, 0.0641, 0.6700, 0.9753),
            (2.0, 19, 2, 0.8095, 0.0857, 0.5689, 0.9239),
            (3.0, 17, 1, 0.7619, 0.0929, 0.5194, 0.8933),
            (4.0, 16, 2, 0.6667, 0.1029, 0.4254, 0.8250),
            (5.0, 14, 2, 0.5714, 0.1080, 0.3380, 0.7492),
            (8.0, 12, 4, 0.3810, 0.1060, 0.1831, 0.5778),
            (11.0, 8, 2, 0.2857, 0.0986, 0.1166, 0.4818),
            (12.0, 6, 2, 0.1905, 0.0857, 0.0595, 0.3774),
            (15.0, 4, 1, 0.1429, 0.0764, 0.0357, 0.3212),
            (17.0, 3, 1, 0.0952, 0.0641, 0.0163, 0.2612),
            (22.0, 2, 1, 0.0476, 0.0465, 0.0033, 0.1970),
        ];
        assert_eq!(km.steps.len(), 12);
        for (step, (t, n, d, s, se, lo, hi)) in km.steps.iter().zip(stata) {
            assert_eq!((step.time, step.at_risk, step.events), (t, n, d));
            printed(step.survival, s, 4);
            printed(step.std_error().unwrap(), se, 4);
            printed(step.lower.unwrap(), lo, 4);
            printed(step.upper.unwrap(), hi, 4);
        }
        let last = km.steps[11];
        assert_eq!((last.time, last.survival), (23.0, 0.0));
        assert_eq!((last.variance, last.lower, last.upper), (None, None, None));
        let km = kaplan_meier(&placebo(), BandScale::Log).unwrap();
        let r_lower = [
            0.78754, 0.65785, 0.59988, 0.49268, 0.39455, 0.22085, 0.14529, 0.07887, 0.05011, 0.02549, 0.00703,
        ];
        for (step, lo) in km.steps.iter().zip(r_lower) {
            printed(step.lower.unwrap(), lo, 5);
        }
    }

    /// Medians: 23 weeks for 6-MP and 8 for placebo (Gehan 1965; R's
    /// print(survfit) of these data). The intervals are those the published
    /// bands give by Brookmeyer and Crowley's rule: the log-log bands
    /// listed by Stata above first fall to 0.5 at 13 weeks (lower; 0.5032
    /// at 10) and never (upper) for 6-MP, and at 4 and 11 weeks for
    /// placebo; R's log bands at 16 and never, and 4 and 12.
    #[test]
    fn medians_and_their_intervals_follow_the_published_bands() {
        let q = |obs: &[Observation], bands| {
            let m = kaplan_meier(obs, bands).unwrap().median().unwrap();
            (m.time, m.lower, m.upper)
        };
        assert_eq!(q(&six_mp(), BandScale::LogLog), (Some(23.0), Some(13.0), None));
        assert_eq!(q(&six_mp(), BandScale::Log), (Some(23.0), Some(16.0), None));
        assert_eq!(q(&placebo(), BandScale::LogLog), (Some(8.0), Some(4.0), Some(11.0)));
        assert_eq!(q(&placebo(), BandScale::Log), (Some(8.0), Some(4.0), Some(12.0)));
        // The 90th percentile of the time: S <= 0.1 first at 17 weeks for
        // placebo (0.0952), never for 6-MP.
        let km = kaplan_meier(&placebo(), BandScale::LogLog).unwrap();
        let p90 = km.quantile(0.9).unwrap();
        assert_eq!((p90.time, p90.lower), (Some(17.0), Some(12.0)));
        let km = kaplan_meier(&six_mp(), BandScale::LogLog).unwrap();
        assert_eq!(km.quantile(0.9).unwrap().time, None);
    }

    /// R's `aml` data (Miller 1981): print(survfit(Surv(time, status) ~ x,
    /// data = aml)) gives medians 31 (18, NA) for the maintained group and
    /// 23 (8, NA) for the others, with R's default log bands (printed in
    /// several public R tutorials).
    #[test]
    fn medians_match_r_on_the_aml_data() {
        let maintained = curve(
            &[9.0, 13.0, 13.0, 18.0, 23.0, 28.0, 31.0, 34.0, 45.0, 48.0, 161.0],
            &[true, true, false, true, true, false, true, true, false, true, false],
            BandScale::Log,
        );
        let m = maintained.median().unwrap();
        assert_eq!((m.time, m.lower, m.upper), (Some(31.0), Some(18.0), None));
        let other = curve(
            &[5.0, 5.0, 8.0, 8.0, 12.0, 16.0, 23.0, 27.0, 30.0, 33.0, 43.0, 45.0],
            &[true, true, true, true, true, false, true, true, true, true, true, true],
            BandScale::Log,
        );
        let m = other.median().unwrap();
        assert_eq!((m.time, m.lower, m.upper), (Some(23.0), Some(8.0), None));
    }

    /// An R session published with its output (W. Dai, "Regression HW2",
    /// 2024): survfit(conf.type = "log-log") of 1.5, 3.5*, 4.5, 4.5*, 5.5,
    /// 6.5*, 8.5, 8.5*, 8.5, 11.5 prints the bands 0.4730-0.985, 0.3809-0.943,
    /// 0.2604-0.876, 0.0509-0.659; quantile(fit, c(.25, .5, .75)) gives 5.5
    /// (1.5, 8.5), 8.5 (1.5, NA), 11.5 (8.5, NA); print(fit, rmean =
    /// "common") gives 7.94 (se 1.12) up to 11.5. With every time an event,
    /// S is exactly 0.5 from 5.5 to 6.5, and R prints the median 6 (the
    /// midpoint), interval (1.5, 8.5), and the restricted mean 6.3 (se 0.892).
    #[test]
    fn quantiles_and_restricted_means_match_a_published_r_session() {
        let times = [1.5, 3.5, 4.5, 4.5, 5.5, 6.5, 8.5, 8.5, 8.5, 11.5];
        let km = curve(
            &times,
            &[true, false, true, false, true, false, true, false, true, true],
            BandScale::LogLog,
        );
        let bands = [(0.4730, 0.985), (0.3809, 0.943), (0.2604, 0.876), (0.0509, 0.659)];
        for (step, (lo, hi)) in km.steps.iter().zip(bands) {
            printed(step.lower.unwrap(), lo, 4);
            printed(step.upper.unwrap(), hi, 3);
        }
        let got = |p: f64| {
            let q = km.quantile(p).unwrap();
            (q.time, q.lower, q.upper)
        };
        assert_eq!(got(0.25), (Some(5.5), Some(1.5), Some(8.5)));
        assert_eq!(got(0.5), (Some(8.5), Some(1.5), None));
        assert_eq!(got(0.75), (Some(11.5), Some(8.5), None));
        let rm = km.restricted_mean(11.5).unwrap();
        printed(rm.mean, 7.94, 2);
        printed(rm.std_error, 1.12, 2);

        let all = curve(&times, &[true; 10], BandScale::LogLog);
        let m = all.median().unwrap();
        assert_eq!((m.time, m.lower, m.upper), (Some(6.0), Some(1.5), Some(8.5)));
        let rm = all.restricted_mean(11.5).unwrap();
        printed(rm.mean, 6.3, 1);
        printed(rm.std_error, 0.892, 3);
    }

    /// A published R session (an Italian biostatistics class, "Leukemia -
    /// Kidney transplant - Kaplan Meier"): for 2, 5*, 8, 12*, 15, 21*, 25,
    /// 29, 30*, 34, print(survfit, rmean = 20) gives 16.2 (se 1.99), the
    /// default horizon 34 gives 23.1 (se 3.78), and the median is 25 (15,
    /// NA) with R's log bands.
    #[test]
    fn restricted_means_match_r_at_a_chosen_horizon() {
        let km = curve(
            &[2.0, 5.0, 8.0, 12.0, 15.0, 21.0, 25.0, 29.0, 30.0, 34.0],
            &[true, false, true, false, true, false, true, true, false, true],
            BandScale::Log,
        );
        let rm = km.restricted_mean(20.0).unwrap();
        printed(rm.mean, 16.2, 1);
        printed(rm.std_error, 1.99, 2);
        let rm = km.restricted_mean(34.0).unwrap();
        printed(rm.mean, 23.1, 1);
        printed(rm.std_error, 3.78, 2);
        let m = km.median().unwrap();
        assert_eq!((m.time, m.lower, m.upper), (Some(25.0), Some(15.0), None));
        // Before the first event the mean is the horizon itself.
        let rm = km.restricted_mean(1.5).unwrap();
        assert_eq!((rm.mean, rm.std_error), (1.5, 0.0));
    }

    /// Without censoring the curve is the empirical survival function, so
    /// its median is the ordinary sample median (R's midpoint rule).
    #[test]
    fn without_censoring_the_median_is_the_sample_median() {
        let km = curve(&[1.0, 2.0, 3.0, 4.0], &[true; 4], BandScale::LogLog);
        assert_eq!(km.median().unwrap().time, Some(2.5));
        let km = curve(&[1.0, 2.0, 3.0, 4.0, 5.0], &[true; 5], BandScale::LogLog);
        assert_eq!(km.median().unwrap().time, Some(3.0));
    }

    #[test]
    fn degenerate_inputs_give_none_never_nan() {
        // No subjects.
        let km = kaplan_meier(&[], BandScale::LogLog).unwrap();
        assert_eq!(
            (km.survival_at(1.0), km.median(), km.restricted_mean(1.0)),
            (None, None, None)
        );
        // All censored: S stays 1, the median is not reached.
        let km = curve(&[1.0, 2.0, 2.0], &[false; 3], BandScale::LogLog);
        assert!(km.steps.is_empty());
        assert_eq!(km.censored_before_first, 3);
        let m = km.median().unwrap();
        assert_eq!((m.time, m.lower, m.upper), (None, None, None));
        assert_eq!(km.restricted_mean(5.0).unwrap().mean, 5.0);
        // Everything at time zero.
        let km = curve(&[0.0, 0.0, 0.0], &[true, true, false], BandScale::LogLog);
        assert_eq!(km.steps.len(), 1);
        assert!((km.steps[0].survival - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(km.median().unwrap().time, Some(0.0));
        let rm = km.restricted_mean(0.0).unwrap();
        assert_eq!((rm.mean, rm.std_error), (0.0, 0.0));
        // One subject with an event: S drops to 0, no band, no NaN.
        let km = curve(&[3.0], &[true], BandScale::Log);
        assert_eq!((km.steps[0].survival, km.steps[0].lower), (0.0, None));
        assert_eq!(km.median().unwrap().time, Some(3.0));
        let rm = km.restricted_mean(10.0).unwrap();
        assert_eq!((rm.mean, rm.std_error), (3.0, 0.0));
        // Bad arguments.
        assert!(km.quantile(0.0).is_none() && km.quantile(1.5).is_none() && km.quantile(f64::NAN).is_none());
        assert!(km.restricted_mean(-1.0).is_none() && km.restricted_mean(f64::INFINITY).is_none());
        assert!(kaplan_meier(&[Observation::event(f64::NAN)], BandScale::Log).is_err());
        // Every figure finite.
        for km in [
            kaplan_meier(&six_mp(), BandScale::LogLog).unwrap(),
            kaplan_meier(&placebo(), BandScale::Log).unwrap(),
        ] {
            for s in &km.steps {
                for v in [Some(s.survival), s.variance, s.lower, s.upper].into_iter().flatten() {
                    assert!(v.is_finite() && (0.0..=1.0).contains(&v));
                }
            }
        }
    }

    #[test]
    fn curves_by_group_equal_curves_of_each_group_alone() {
        let a = six_mp();
        let b = placebo();
        let mut obs = a.clone();
        obs.extend(&b);
        let mut groups = vec![2; a.len()];
        groups.extend(vec![0; b.len()]);
        let sample = GroupedSample::new(&obs, &groups, 3).unwrap();
        let curves = kaplan_meier_by_group(&sample, BandScale::LogLog);
        assert_eq!(curves.len(), 3);
        assert_eq!(curves[0], kaplan_meier(&b, BandScale::LogLog).unwrap());
        assert_eq!(curves[1].subjects, 0);
        assert_eq!(curves[2], kaplan_meier(&a, BandScale::LogLog).unwrap());
    }
}
