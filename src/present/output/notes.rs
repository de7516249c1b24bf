//! Sentences about how a run's statistics were made, shared by the
//! terminal and the report: the warm-up chosen after the run.

use crate::experiments::montecarlo::AutoWarmup;

/// What the automatic warm-up chose, and a warning when the run is too
/// short for it (a truncation at half the run or past it).
pub(crate) fn auto_warmup_sentences(w: &AutoWarmup, horizon_days: u32) -> Vec<String> {
    let mut out = vec![format!(
        "Warm-up chosen by MSER-5: the first {} days, set by {}; the waits, utilisation and builds waiting count from day {}, the other headlines over the whole run.",
        w.day, w.set_by, w.day
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
            ok[0].contains("first 30 days, set by gatekeeper mean_waiting"),
            "{ok:?}"
        );
        let late = auto_warmup_sentences(&warmup(200, &[]), 400);
        assert!(late[1].starts_with("Warning: the run is too short"), "{late:?}");
        let short = auto_warmup_sentences(&warmup(20, &["a decision_hours_mean"]), 400);
        assert!(short[1].contains("a decision_hours_mean still changed"), "{short:?}");
    }
}
