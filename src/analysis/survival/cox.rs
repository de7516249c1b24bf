//! The Cox proportional-hazards model for two samples: the log hazard
//! ratio beta of sample B against sample A (the reference) maximising the
//! partial likelihood, with Efron's approximation for tied event times (R's
//! `coxph` default) or Breslow's, by Newton-Raphson with step halving; its
//! standard error from the observed information; the 95% interval of the
//! hazard ratio; and the Wald, score (at beta = 0) and likelihood-ratio
//! tests, as R's `summary(coxph)` prints them.
//!
//! With a 0/1 covariate each distinct event time reduces to four counts
//! (at risk and events in A and in B), so after one sort the fit costs
//! O(events) an iteration. At an event time with d = d_A + d_B events and
//! n_A, n_B at risk, Efron's term is d_B beta - sum over l < d of log(a_l +
//! b_l e^beta), with a_l = n_A - (l / d) d_A and b_l = n_B - (l / d) d_B
//! (Breslow's drops the l / d parts); its score is d_B - sum p_l and its
//! information sum p_l (1 - p_l), with p_l = b_l e^beta / (a_l + b_l
//! e^beta).
//!
//! The estimate is infinite when the likelihood keeps rising (for instance
//! when one sample has no events): exactly when no event time has an event
//! in A while B is at risk (beta -> +infinity) or none has an event in B
//! while A is at risk (beta -> -infinity). Then no estimate is reported,
//! with the reason, but the score test still is.

use super::{ChiSquareTest, InputError, Observation, Packed, Z_975, check_times, sort_packed};

/// How tied event times enter the partial likelihood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ties {
    /// Efron's approximation (R's default).
    Efron,
    /// Breslow's (Stata's default).
    Breslow,
}

/// Why there is no finite estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoEstimate {
    /// No events at all.
    #[error("no events: the partial likelihood is flat")]
    NoEvents,
    /// No event time at which both samples are at risk (for instance an
    /// empty sample): the partial likelihood does not depend on beta.
    #[error("no event time with both samples at risk: the partial likelihood does not depend on the hazard ratio")]
    NoOverlap,
    /// The hazard ratio of B against A diverges to infinity: no event in A
    /// at any time B is at risk (for instance A has no events).
    #[error("the hazard ratio diverges to infinity (no event in the reference sample while the other is at risk)")]
    Infinite,
    /// The hazard ratio diverges to 0: no event in B at any time A is at
    /// risk (for instance B has no events).
    #[error("the hazard ratio diverges to zero (no event in the compared sample while the reference is at risk)")]
    Zero,
    /// Newton-Raphson did not converge (not expected: the likelihood is
    /// concave and its maximum finite here).
    #[error("Newton-Raphson did not converge")]
    NotConverged,
}

/// The finite estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoxEstimate {
    /// beta, the log hazard ratio of B against A.
    pub log_hazard_ratio: f64,
    /// Its standard error, 1 / sqrt(information at beta).
    pub std_error: f64,
    /// exp(beta).
    pub hazard_ratio: f64,
    /// exp(beta - z se), z = 1.96.
    pub lower: f64,
    /// exp(beta + z se).
    pub upper: f64,
    /// The Wald test, beta^2 / se^2 on 1 df.
    pub wald: ChiSquareTest,
    /// The likelihood-ratio test, 2 (log L(beta) - log L(0)) on 1 df.
    pub likelihood_ratio: ChiSquareTest,
    /// The log partial likelihood at beta.
    pub log_likelihood: f64,
    /// Newton-Raphson iterations used.
    pub iterations: usize,
}

/// The two-sample Cox model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoxTwoSample {
    /// The handling of ties.
    pub ties: Ties,
    /// Subjects in A and in B.
    pub subjects: [usize; 2],
    /// Events in A and in B.
    pub events: [usize; 2],
    /// The log partial likelihood at beta = 0.
    pub log_likelihood_null: f64,
    /// The score (log-rank-type) test at beta = 0 on 1 df; `None` when
    /// there is no information at 0 (no event time with both at risk).
    pub score: Option<ChiSquareTest>,
    /// The estimate, or why there is none.
    pub fit: Result<CoxEstimate, NoEstimate>,
}

impl CoxTwoSample {
    /// The estimate, if finite.
    pub fn estimate(&self) -> Option<&CoxEstimate> {
        self.fit.as_ref().ok()
    }
}

/// The counts at one distinct event time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct EventTime {
    /// At risk in A and in B.
    at_risk: [f64; 2],
    /// Events in A and in B.
    events: [f64; 2],
}

/// The log partial likelihood, score and information at beta.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Derivatives {
    /// log L(beta).
    log_likelihood: f64,
    /// d log L / d beta.
    score: f64,
    /// -d^2 log L / d beta^2.
    information: f64,
}

/// The most Newton-Raphson iterations.
const MAX_ITERATIONS: usize = 100;

/// Fits the Cox model of sample `b` against the reference `a`.
pub fn cox_two_sample(a: &[Observation], b: &[Observation], ties: Ties) -> Result<CoxTwoSample, InputError> {
    check_times(a)?;
    check_times(b)?;
    let times = event_times(a, b);
    let count = |s: &[Observation]| s.iter().filter(|o| o.event).count();
    let events = [count(a), count(b)];
    let null = derivatives(&times, 0.0, ties);
    let informative = null.information > 0.0;
    let score = informative
        .then(|| ChiSquareTest::new(null.score * null.score / null.information, 1))
        .flatten();
    let fit = if events[0] + events[1] == 0 {
        Err(NoEstimate::NoEvents)
    } else if !informative {
        Err(NoEstimate::NoOverlap)
    } else if !times.iter().any(|t| t.events[0] > 0.0 && t.at_risk[1] > 0.0) {
        Err(NoEstimate::Infinite)
    } else if !times.iter().any(|t| t.events[1] > 0.0 && t.at_risk[0] > 0.0) {
        Err(NoEstimate::Zero)
    } else {
        maximise(&times, ties, null)
    };
    Ok(CoxTwoSample {
        ties,
        subjects: [a.len(), b.len()],
        events,
        log_likelihood_null: null.log_likelihood,
        score,
        fit,
    })
}

/// The counts at each distinct event time of the pooled samples.
fn event_times(a: &[Observation], b: &[Observation]) -> Vec<EventTime> {
    let mut packed: Vec<Packed> = a
        .iter()
        .map(|o| Packed::new(o.time, 0, o.event))
        .chain(b.iter().map(|o| Packed::new(o.time, 1, o.event)))
        .collect();
    sort_packed(&mut packed);
    let mut at_risk = [a.len() as f64, b.len() as f64];
    let mut times = Vec::new();
    let mut i = 0;
    while i < packed.len() {
        let key = packed[i].key;
        let (mut events, mut leaving) = ([0.0; 2], [0.0; 2]);
        while i < packed.len() && packed[i].key == key {
            let g = packed[i].group as usize;
            events[g] += f64::from(u8::from(packed[i].event));
            leaving[g] += 1.0;
            i += 1;
        }
        if events[0] + events[1] > 0.0 {
            times.push(EventTime { at_risk, events });
        }
        at_risk[0] -= leaving[0];
        at_risk[1] -= leaving[1];
    }
    times
}

/// log(e^x + e^y) without overflow.
fn log_add_exp(x: f64, y: f64) -> f64 {
    let (hi, lo) = if x > y { (x, y) } else { (y, x) };
    hi + libm::log1p(libm::exp(lo - hi))
}

/// The log partial likelihood and its first two derivatives at `beta`.
fn derivatives(times: &[EventTime], beta: f64, ties: Ties) -> Derivatives {
    let mut out = Derivatives {
        log_likelihood: 0.0,
        score: 0.0,
        information: 0.0,
    };
    // e^beta once: where it is neither huge nor tiny, log(a + b e^beta)
    // and b e^beta / (a + b e^beta) are computed directly (one logarithm
    // an event, exact to rounding: both terms are positive); elsewhere on
    // the log scale, which cannot overflow.
    let weight = libm::exp(beta);
    let direct = (1e-250..=1e250).contains(&weight);
    for t in times {
        let [n_a, n_b] = t.at_risk;
        let [d_a, d_b] = t.events;
        let d = d_a + d_b;
        out.log_likelihood += d_b * beta;
        out.score += d_b;
        for l in 0..d as usize {
            let share = match ties {
                Ties::Efron => l as f64 / d,
                Ties::Breslow => 0.0,
            };
            // a_l and b_l are >= 0 and not both 0 (a_l + b_l = n - l d/d).
            let a_l = n_a - share * d_a;
            let b_l = n_b - share * d_b;
            let (log_sum, p) = if b_l <= 0.0 {
                (libm::log(a_l), 0.0)
            } else if a_l <= 0.0 {
                (libm::log(b_l) + beta, 1.0)
            } else if direct {
                let b = b_l * weight;
                let sum = a_l + b;
                (libm::log(sum), b / sum)
            } else {
                let (la, lb) = (libm::log(a_l), libm::log(b_l) + beta);
                (log_add_exp(la, lb), 1.0 / (1.0 + libm::exp(la - lb)))
            };
            out.log_likelihood -= log_sum;
            out.score -= p;
            out.information += p * (1.0 - p);
        }
    }
    out
}

/// Newton-Raphson from beta = 0, halving any step that lowers the
/// likelihood, until the step is below 1e-10 (relative).
fn maximise(times: &[EventTime], ties: Ties, null: Derivatives) -> Result<CoxEstimate, NoEstimate> {
    let mut beta = 0.0;
    let mut at = null;
    for iteration in 1..=MAX_ITERATIONS {
        let mut step = at.score / at.information;
        let mut next = derivatives(times, beta + step, ties);
        let mut halvings = 0;
        let floor = at.log_likelihood - 1e-12 * at.log_likelihood.abs();
        while (next.log_likelihood.is_nan() || next.log_likelihood < floor) && halvings < 60 {
            step /= 2.0;
            next = derivatives(times, beta + step, ties);
            halvings += 1;
        }
        if !(next.information > 0.0 && next.log_likelihood.is_finite()) {
            return Err(NoEstimate::NotConverged);
        }
        beta += step;
        at = next;
        if step.abs() <= 1e-10 * beta.abs().max(1.0) {
            return estimate(beta, at, null, iteration);
        }
    }
    Err(NoEstimate::NotConverged)
}

/// The estimate and its tests at the maximum `beta`.
fn estimate(beta: f64, at: Derivatives, null: Derivatives, iterations: usize) -> Result<CoxEstimate, NoEstimate> {
    let se = 1.0 / at.information.sqrt();
    let wald = ChiSquareTest::new(beta * beta * at.information, 1);
    let lr = ChiSquareTest::new((2.0 * (at.log_likelihood - null.log_likelihood)).max(0.0), 1);
    let (hazard_ratio, lower, upper) = (
        libm::exp(beta),
        libm::exp(beta - Z_975 * se),
        libm::exp(beta + Z_975 * se),
    );
    match (wald, lr) {
        (Some(wald), Some(likelihood_ratio)) if [se, hazard_ratio, lower, upper].iter().all(|v| v.is_finite()) => {
            Ok(CoxEstimate {
                log_hazard_ratio: beta,
                std_error: se,
                hazard_ratio,
                lower,
                upper,
                wald,
                likelihood_ratio,
                log_likelihood: at.log_likelihood,
                iterations,
            })
        }
        _ => Err(NoEstimate::NotConverged),
    }
}

#[cfg(test)]
mod tests {
    use super::super::logrank::logrank_two_sample;
    use super::super::testdata::{placebo, six_mp};
    use super::*;
    use crate::core::rng::Stream;
    use rand::{RngExt, SeedableRng};

    fn printed(got: f64, value: f64, decimals: i32) {
        let half = 0.5 * 10f64.powi(-decimals) + 1e-12;
        assert!(
            (got - value).abs() <= half,
            "{got} is not {value} to {decimals} decimals"
        );
    }

    /// R's coxph (Efron) of placebo against 6-MP, as summary(coxph)
    /// prints it: coef 1.5721 (6-MP against placebo: -1.5721, exp 0.2076,
    /// 95% interval 0.09251 to 0.4659), se 0.4124, z 3.812, p 0.000138;
    /// likelihood ratio 16.35 (p 5.261e-05), Wald 14.53 (p 0.0001378),
    /// score (logrank) 17.25 (p 3.283e-05). Printed in G. Rodriguez, "Cox
    /// Proportional Hazards with Two Groups", Princeton WWS 509
    /// (grodri.github.io/survival/cox), with Stata's log likelihoods,
    /// -93.18427 at 0 and logLik -85.00842 at the estimate; the Wald and
    /// score lines in public copies of R's summary(coxph) output for the
    /// same data.
    #[test]
    fn efron_cox_matches_r_coxph_on_the_6mp_data() {
        let fit = cox_two_sample(&six_mp(), &placebo(), Ties::Efron).unwrap();
        assert_eq!((fit.subjects, fit.events), ([21, 21], [9, 21]));
        let e = fit.estimate().unwrap();
        printed(e.log_hazard_ratio, 1.5721, 4);
        printed(e.std_error, 0.4124, 4);
        printed(e.hazard_ratio, 4.817, 3);
        printed(e.log_hazard_ratio / e.std_error, 3.812, 3);
        // The interval of 6-MP against placebo is the reciprocal.
        printed(1.0 / e.upper, 0.09251, 5);
        printed(1.0 / e.lower, 0.4659, 4);
        printed(e.lower, 2.147, 3);
        printed(e.upper, 10.81, 2);
        printed(e.likelihood_ratio.statistic, 16.35, 2);
        assert!((e.likelihood_ratio.p_value / 5.261e-5 - 1.0).abs() < 1e-3);
        printed(e.wald.statistic, 14.53, 2);
        assert!((e.wald.p_value / 1.378e-4 - 1.0).abs() < 1e-3);
        let score = fit.score.unwrap();
        printed(score.statistic, 17.25, 2);
        assert!((score.p_value / 3.283e-5 - 1.0).abs() < 1e-3);
        printed(fit.log_likelihood_null, -93.18427, 5);
        printed(e.log_likelihood, -85.00842, 5);
        // 6-MP against placebo: the opposite sign, to Stata's 7 decimals.
        let back = cox_two_sample(&placebo(), &six_mp(), Ties::Efron).unwrap();
        printed(back.estimate().unwrap().log_hazard_ratio, -1.5721251, 7);
    }

    /// Breslow's handling of ties, against Stata's stcox (its default) in
    /// the same notes: coefficient -1.5091914 for 6-MP, log likelihoods
    /// -93.98505 at 0 and -86.379622 at the estimate, LR chi2 15.21,
    /// hazard ratio .2210887 with interval .0990706 to .4933877.
    #[test]
    fn breslow_cox_matches_stata_stcox_on_the_6mp_data() {
        let fit = cox_two_sample(&placebo(), &six_mp(), Ties::Breslow).unwrap();
        let e = fit.estimate().unwrap();
        printed(e.log_hazard_ratio, -1.5091914, 7);
        printed(fit.log_likelihood_null, -93.98505, 5);
        printed(e.log_likelihood, -86.379622, 6);
        printed(e.likelihood_ratio.statistic, 15.21, 2);
        printed(e.hazard_ratio, 0.2210887, 7);
        printed(e.lower, 0.0990706, 7);
        printed(e.upper, 0.4933877, 7);
    }

    /// Without tied event times Efron's and Breslow's likelihoods coincide
    /// and the score test at 0 is exactly the log-rank test (random
    /// continuous times, fixed seed).
    #[test]
    fn without_ties_the_score_test_is_the_log_rank_test() {
        let mut rng = Stream::seed_from_u64(3);
        let mut draw = |n: usize, scale: f64| -> Vec<Observation> {
            (0..n)
                .map(|_| Observation {
                    time: -scale * libm::log(1.0 - rng.random::<f64>()),
                    event: rng.random::<f64>() < 0.7,
                })
                .collect()
        };
        let (a, b) = (draw(150, 1.0), draw(120, 0.6));
        let efron = cox_two_sample(&a, &b, Ties::Efron).unwrap();
        let breslow = cox_two_sample(&a, &b, Ties::Breslow).unwrap();
        let logrank = logrank_two_sample(&a, &b).unwrap().test.unwrap();
        let score = efron.score.unwrap().statistic;
        assert!(
            (score - logrank.statistic).abs() < 1e-9 * score,
            "{score} vs {}",
            logrank.statistic
        );
        let (e, b) = (efron.estimate().unwrap(), breslow.estimate().unwrap());
        assert!((e.log_hazard_ratio - b.log_hazard_ratio).abs() < 1e-9);
        // The true log hazard ratio is ln(1 / 0.6) = 0.51; the estimate
        // lies within three standard errors of it.
        assert!((e.log_hazard_ratio - libm::log(1.0 / 0.6)).abs() < 3.0 * e.std_error);
    }

    /// When one sample has no events the estimate diverges: no estimate,
    /// with the reason, but the score test is kept. Other degenerate cases
    /// are refused without NaN.
    #[test]
    fn divergent_and_degenerate_fits_report_no_estimate() {
        let censored: Vec<Observation> = six_mp().iter().map(|o| Observation::censored(o.time)).collect();
        let fit = cox_two_sample(&censored, &placebo(), Ties::Efron).unwrap();
        assert_eq!(fit.fit, Err(NoEstimate::Infinite));
        let score = fit.score.unwrap();
        assert!(score.statistic > 0.0 && score.statistic.is_finite());
        let fit = cox_two_sample(&placebo(), &censored, Ties::Efron).unwrap();
        assert_eq!(fit.fit, Err(NoEstimate::Zero));
        assert!(fit.score.is_some());
        // B's events all before A's subjects enter... here: all of A's
        // events happen after B has left (monotone likelihood, beta -> -inf).
        let a = [Observation::event(5.0), Observation::event(6.0)];
        let b = [Observation::event(1.0), Observation::censored(2.0)];
        let fit = cox_two_sample(&a, &b, Ties::Efron).unwrap();
        assert_eq!(fit.fit, Err(NoEstimate::Infinite));
        // No events; an empty sample; nothing at all.
        let fit = cox_two_sample(&censored, &censored, Ties::Efron).unwrap();
        assert_eq!((fit.fit, fit.score), (Err(NoEstimate::NoEvents), None));
        let fit = cox_two_sample(&six_mp(), &[], Ties::Efron).unwrap();
        assert_eq!((fit.fit, fit.score), (Err(NoEstimate::NoOverlap), None));
        let fit = cox_two_sample(&[], &[], Ties::Breslow).unwrap();
        assert_eq!(fit.fit, Err(NoEstimate::NoEvents));
        assert!(fit.log_likelihood_null == 0.0);
        // Everyone at time 0.
        let zero = vec![Observation::event(0.0); 4];
        let fit = cox_two_sample(&zero, &zero, Ties::Efron).unwrap();
        let e = fit.estimate().unwrap();
        assert!(e.log_hazard_ratio.abs() < 1e-9 && e.std_error.is_finite());
        assert!(cox_two_sample(&[Observation::event(-1.0)], &zero, Ties::Efron).is_err());
    }

    /// Samples whose events barely overlap in time still converge, to the
    /// maximum of the likelihood (the likelihood is concave; steps that
    /// would lower it are halved).
    #[test]
    fn barely_overlapping_samples_converge_to_the_maximum() {
        let a: Vec<Observation> = (1..=30).map(|i| Observation::event(100.0 + f64::from(i))).collect();
        let mut b: Vec<Observation> = (1..=30).map(|i| Observation::event(f64::from(i))).collect();
        b.push(Observation::censored(200.0));
        let fit = cox_two_sample(&a, &b, Ties::Efron).unwrap();
        let e = fit.estimate().unwrap();
        assert!(e.log_hazard_ratio > 1.0 && e.upper.is_finite(), "{e:?}");
        // At the estimate the score is 0: the likelihood is lower on
        // either side.
        let times = event_times(&a, &b);
        let at = |beta: f64| derivatives(&times, beta, Ties::Efron).log_likelihood;
        let beta = e.log_hazard_ratio;
        assert!(at(beta) >= at(beta + 1e-4) && at(beta) >= at(beta - 1e-4));
        assert!(derivatives(&times, beta, Ties::Efron).score.abs() < 1e-8);
    }
}
