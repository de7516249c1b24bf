//! Sentences about how a run's statistics were made, shared by the
//! terminal and the report: the warm-up chosen after the run, and the
//! headlines whose replication values are too skewed for the t interval
//! at this number of replications.

use crate::core::numbers::{counted, fixed};
use crate::experiments::montecarlo::{AutoWarmup, Headline};

/// Skewed headlines named one by one at most.
const NAMED: usize = 4;

/// A warning naming the headlines whose skewness is large enough for their
/// 95% interval to cover less than 95% at this number of replications,
/// with the number Cochran's rule asks for; `None` when there is none.
pub(crate) fn skew_warning(headlines: &[Headline]) -> Option<String> {
    let skewed: Vec<&Headline> = headlines.iter().filter(|h| h.stat.may_under_cover()).collect();
    let first = skewed.first()?;
    let named: Vec<String> = skewed
        .iter()
        .take(NAMED)
        .map(|h| {
            skewed_one(
                &format!("{} {}", h.scope, h.metric),
                h.stat.skewness,
                h.stat.replications_for_t,
            )
        })
        .collect();
    let more = skewed.len().saturating_sub(NAMED);
    Some(format!(
        "{}{}{}. Run at least the number given (-n) for an interval to trust; summary.json gives every headline's skewness.",
        skew_lead(first.stat.n),
        named.join("; "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

/// The start of a skew warning at `replications` replications, before
/// the names (a run's headlines, a tornado's effects).
pub(crate) fn skew_lead(replications: u64) -> String {
    format!(
        "Warning: skewed across replications, so their 95% intervals may cover less than 95% at {}: ",
        counted(replications, "replication")
    )
}

/// One skewed value named in a warning: `name (skewness G1: N
/// replications)`, N the replications Cochran's rule asks for.
pub(crate) fn skewed_one(name: &str, skewness: Option<f64>, needed: Option<u64>) -> String {
    format!(
        "{name} (skewness {}: {})",
        fixed(skewness.unwrap_or(0.0), 1),
        counted(needed.unwrap_or(0), "replication")
    )
}

/// What the automatic warm-up chose, and a warning when the run is too
/// short for it (a truncation at half the run or past it).
pub(crate) fn auto_warmup_sentences(w: &AutoWarmup, horizon_days: u32) -> Vec<String> {
    let [even, odd] = w.days_by_half;
    let from = if even == odd {
        format!("from day {even}")
    } else {
        format!("from day {even} in the replications of even index and day {odd} in those of odd index")
    };
    let mut out = vec![format!(
        "Warm-up chosen automatically: the waits, utilisation and builds waiting count {from} (at least four times the {:.0} days their values stay correlated, and no earlier than MSER-5 finds the other half of the replications settled; the later set by {}), the waits until day {} (later decisions are not all made by the horizon); their means pool every replication's decisions, and their 95% intervals (bootstrap-t) are shown low to high where their two arms read differently. The other headlines count the whole run.",
        w.inefficiency_days, w.set_by, w.until_day
    )];
    if !w.too_short.is_empty() || 2 * w.day >= u64::from(horizon_days) {
        let which = if w.too_short.is_empty() {
            w.set_by.clone()
        } else {
            w.too_short.join(", ")
        };
        out.push(format!(
            "Warning: the run is too short for its warm-up: {which} still changed at half the horizon, so these means may keep the start's bias. Run longer (raise simulation.horizon_days)."
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warmup(day: u64, too_short: &[&str]) -> AutoWarmup {
        AutoWarmup {
            day,
            days_by_half: [day, day],
            until_day: 390,
            inefficiency_days: 5.0,
            set_by: "gatekeeper mean_waiting".into(),
            too_short: too_short.iter().map(|s| s.to_string()).collect(),
            recomputed: Vec::new(),
        }
    }

    #[test]
    fn a_warmup_past_half_the_run_is_a_plain_warning() {
        let ok = auto_warmup_sentences(&warmup(30, &[]), 400);
        assert_eq!(ok.len(), 1);
        assert!(
            ok[0].contains("count from day 30 (")
                && ok[0].contains("set by gatekeeper mean_waiting), the waits until day 390"),
            "{ok:?}"
        );
        let halves = AutoWarmup {
            days_by_half: [30, 20],
            ..warmup(30, &[])
        };
        let halves = auto_warmup_sentences(&halves, 400);
        assert!(
            halves[0].contains("from day 30 in the replications of even index and day 20 in those of odd index"),
            "{halves:?}"
        );
        let late = auto_warmup_sentences(&warmup(200, &[]), 400);
        assert!(late[1].starts_with("Warning: the run is too short"), "{late:?}");
        let short = auto_warmup_sentences(&warmup(20, &["a decision_hours_mean"]), 400);
        assert!(short[1].contains("a decision_hours_mean still changed"), "{short:?}");
    }

    #[test]
    fn skewed_headlines_are_named_with_the_replications_that_would_trust_their_interval() {
        use crate::core::metric::Metric;
        use crate::experiments::montecarlo::HeadlineStat;
        let headline = |metric, values: &[f64]| Headline {
            scope: "gatekeeper".into(),
            metric,
            unit: Metric::QueueWaitHoursMean.unit(),
            stat: HeadlineStat::of(&values.iter().map(|&v| Some(v)).collect::<Vec<_>>()),
        };
        // Three zeros and a 3: G1 = 2, Cochran's rule wants n > 100.
        let skewed = headline(Metric::QueueWaitHoursMean, &[0.0, 0.0, 0.0, 3.0]);
        let symmetric = headline(Metric::Utilisation, &[1.0, 2.0, 3.0, 4.0]);
        let w = skew_warning(&[symmetric.clone(), skewed]).unwrap();
        assert!(w.contains("at 4 replications"), "{w}");
        assert!(w.contains("gatekeeper queue_wait_hours_mean (skewness 2.0: 10"), "{w}");
        assert!(!w.contains("utilisation"), "{w}");
        assert_eq!(skew_warning(&[symmetric]), None);
    }
}
