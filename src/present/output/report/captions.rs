//! What each chart is called in a report and one line saying how to read
//! it, by the chart's file stem (as [`crate::present::plot`] names them). Stems
//! with a metric in their name (`response_<metric>`, `heatmap_<metric>`)
//! take the metric's label from the catalogue; an unknown stem gets a
//! neutral caption, so a new chart still appears.

use crate::core::metric::Metric;

/// The title and the caption of chart `stem`.
pub(crate) fn caption(stem: &str) -> (String, String) {
    let (title, caption): (&str, &str) = match stem {
        "active_users" => (
            "Active users",
            "Each line is a platform's mean active users per day across replications; the shaded band holds 90% of replications (5th to 95th percentile); vertical lines mark dated changes.",
        ),
        "orders" => (
            "Orders per day",
            "Each line is a platform's mean orders per day; the band holds 90% of replications; a gap between lines is orders won or lost.",
        ),
        "gmv" => (
            "GMV per day",
            "Each line is a platform's mean gross merchandise value per day (its orders times its average order value, in the scenario's currency); the band holds 90% of replications.",
        ),
        "market_share" => (
            "Market shares",
            "Each layer is a platform's share of the market (the bottom one is the platform picked out), the top layer the households using none; a shrinking layer is a platform losing users.",
        ),
        "decision_time" => (
            "Time to a decision",
            "Each solid curve is the share of a platform's submissions decided within the time on the axis (logarithmic); a curve far to the right, or missing, means decisions came late or never; dashed curves show when undecided submissions were withdrawn.",
        ),
        "release_timeline" => (
            "Release timeline (replication 0)",
            "One row per platform: every mark is a submission, decision, withdrawal or release in one replication; tall bars are releases, so a row without bars is a platform that could not ship; the shaded stretch is its longest wait.",
        ),
        "staleness" => (
            "Staleness",
            "Each line is the mean age in days of the version a platform's users run; it climbs by a day every day nothing is released and drops at each release.",
        ),
        "cohort_retention" => (
            "Cohort retention",
            "Each curve is the share of a platform's newly acquired users still active after the number of days on the axis; a lower curve means users leave sooner; dashed lines, when drawn, are the shifted-beta-geometric closed form.",
        ),
        "gatekeeper_queue" => (
            "Gatekeeper load",
            "Lines are the mean number of submissions waiting for a reviewer, in review and held before review each day; a line that keeps rising is a queue that reviewers cannot clear.",
        ),
        "population_submissions" => (
            "Submissions per day by population",
            "Each line is the mean number of submissions a population's members made that day, with the band holding 90% of replications: the load the whole ecosystem puts on the shared reviewers.",
        ),
        "reviewer_utilisation" => (
            "Reviewers' utilisation",
            "The share of the reviewers' time spent reviewing each day; near 100% the queue grows and every platform, named or not, waits longer.",
        ),
        "population_staleness" => (
            "Staleness across members",
            "Solid lines are the mean age of the version a population's members' users run, dashed lines its 95th percentile across members: how far behind a typical and a slow member are.",
        ),
        "active_users_overlay" => (
            "Active users, every scenario",
            "Each platform keeps its colour and each scenario its line style (the baseline solid): where the styles part, the scenarios' policies made the difference.",
        ),
        "users_difference" => (
            "Difference in active users",
            "Each panel is a scenario minus the baseline, replication by replication (common random numbers); the band is the 95% confidence interval of the mean difference: a band clear of the zero line is a real difference.",
        ),
        "orders_difference" => (
            "Difference in orders per day",
            "Scenario minus baseline orders per day with the 95% interval of the paired difference; a band clear of zero is a real gain or loss.",
        ),
        "staleness_difference" => (
            "Difference in staleness",
            "Scenario minus baseline age of the version users run, in days, with its 95% interval; above zero, users of that platform run older versions than under the baseline.",
        ),
        "headline_differences" => (
            "Headline differences",
            "One panel per headline metric: each bar is a platform's mean paired difference (scenario minus baseline) with its 95% confidence interval as an error bar; an error bar that crosses zero is not a significant difference.",
        ),
        "retention_fit" => (
            "Retention fit",
            "Dots are the observed share still active after each period; the solid curve is the fitted model over the data and the dashed one its projection; dots far from the curve are periods the model misses.",
        ),
        "duration_fit" => (
            "Duration fit",
            "The staircase is the observed distribution of durations (Kaplan-Meier when some are censored) on a logarithmic axis; each dashed curve is a fitted family, the thickest the best by AIC: the closer it follows the staircase, the better.",
        ),
        "km_curves" => (
            "Time to a review decision",
            "Each staircase is the Kaplan-Meier share of a platform's submissions still awaiting a decision after the time on the axis (logarithmic), with its 95% band; ticks mark submissions withdrawn or still pending, counted until then; a curve that stays high never got decisions.",
        ),
        "hazard_ratios" => (
            "Hazard ratios",
            "Each dot is the rate at which a platform's submissions were decided, relative to the reference's (Cox model), with its 95% interval on a log scale; left of 1 means slower decisions; an arrow means no finite estimate (no decision at all).",
        ),
        "posteriors" => (
            "Posteriors against priors",
            "One panel per calibrated parameter: the bars are the posterior (the particles, weighted), the dashed curve the prior, the dashed lines the 90% credible interval; a posterior much narrower than its prior is a parameter the data pin down, one like its prior a parameter they say little about.",
        ),
        "pairs" => (
            "Correlated parameters",
            "Each panel is a pair of parameters whose posterior correlation is among the strongest, one point per particle: a tilted cloud means the data fix a combination of the two (one can be traded for the other) better than either alone.",
        ),
        "generations" => (
            "Generations of the calibration",
            "Left, each generation's tolerance (the distance a simulation must come within to be accepted; generation 0 samples the prior); right, the share of its candidates accepted. The tolerance shrinks and the acceptance falls until a stopping rule holds.",
        ),
        _ => return by_prefix(stem),
    };
    (title.to_string(), caption.to_string())
}

fn metric_label(name: &str) -> String {
    Metric::headline_label(name).map_or_else(|| name.replace('_', " "), str::to_string)
}

fn by_prefix(stem: &str) -> (String, String) {
    if let Some(m) = stem.strip_prefix("response_") {
        let label = metric_label(m);
        return (
            format!("{label} against the swept parameter"),
            format!(
                "Each line is a platform's mean {} at each swept value, the band its 95% confidence interval; a steep line is a parameter that matters. Every value runs the same replications (common random numbers), so the change from one value to another is known more precisely than two overlapping bands suggest: sweep --reference gives those paired differences with their own intervals.",
                label.to_lowercase()
            ),
        );
    }
    if let Some(m) = stem.strip_prefix("heatmap_") {
        let label = metric_label(m);
        return (
            format!("{label} over the grid"),
            format!(
                "Each cell is one combination of the two swept parameters, coloured and labelled by the mean of {}: read along a row or a column to see one parameter's effect with the other fixed.",
                label.to_lowercase()
            ),
        );
    }
    for method in ["tornado", "morris", "sobol", "uncertainty"] {
        if let Some(rest) = stem.strip_prefix(&format!("{method}_")) {
            return sensitivity(method, rest);
        }
    }
    if let Some(rest) = stem.strip_prefix("fit_") {
        return (
            format!("Observed against predicted: {}", rest.replace('_', " ")),
            "Dots are the observations (bars: ±1.96 standard errors where the data give them); the line and band are the posterior predictive's median and 90% band, the scenario run at every particle of the posterior: observations inside the band are what the calibrated model expects, a run of them outside it a pattern the model misses.".to_string(),
        );
    }
    let title = stem.replace('_', " ");
    let caption = "A chart of the results; its title, axes and legend say what it shows.".to_string();
    (title, caption)
}

/// The title and caption of a sensitivity chart of `method` for
/// `scope_metric` (`taocaicai_active_users_end`).
fn sensitivity(method: &str, scope_metric: &str) -> (String, String) {
    let (scope, label) = Metric::USER_HEADLINES
        .iter()
        .chain(Metric::PIPELINE_HEADLINES.iter())
        .chain(Metric::GATE_HEADLINES.iter())
        .find_map(|m| {
            let scope = scope_metric.strip_suffix(m.name())?.trim_end_matches('_');
            Some((scope.replace('_', " "), m.label().to_lowercase()))
        })
        .unwrap_or_else(|| (String::new(), scope_metric.replace('_', " ")));
    let whose = if scope.is_empty() {
        label.clone()
    } else {
        format!("{scope}: {label}")
    };
    let (title, caption) = match method {
        "tornado" => (
            format!("{whose}, one assumption at a time"),
            format!(
                "Each bar is the mean paired change in {label} when one assumption is set to its low or its high value, the others at their base, with its 95% interval; the longest bars are the assumptions the answer rests on most, a bar crossing zero one it hardly moves."
            ),
        ),
        "morris" => (
            format!("{whose}: screening the assumptions"),
            format!(
                "Each point is an assumption: further right, a larger mean absolute effect on {label} over its range; higher up, effects that change with the other assumptions (interactions or a curved response). Assumptions near the origin can be fixed without changing the answer."
            ),
        ),
        "sobol" => (
            format!("{whose}: which assumptions drive it"),
            format!(
                "Each assumption's share of the variance of {label}: first order (its effect alone) and total (with its interactions), with 95% bootstrap intervals; a total near zero is an assumption that does not matter over its range, and first-order shares that add up to about 1 mean the effects add up."
            ),
        ),
        _ => (
            format!("{whose} over the plausible assumptions"),
            format!(
                "The histogram is {label} over the sampled assumptions (each the mean of its replications); the guides mark the 5th percentile, the median and the 95th; the note gives the mean with its interval and how much of the spread is Monte Carlo noise rather than the assumptions."
            ),
        ),
    };
    (capitalised(&title), caption)
}

/// `s` with its first letter in capitals.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|a| a.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_charts_are_captioned_with_their_metric_label() {
        let (title, line) = caption("response_active_users_end");
        assert_eq!(title, "Active users at the end against the swept parameter");
        assert!(line.contains("active users at the end"), "{line}");
        assert!(caption("heatmap_orders_total").0.starts_with("Orders over the run"));
    }

    #[test]
    fn an_unknown_chart_still_gets_a_title_and_a_caption() {
        let (title, line) = caption("gauge_market_pool");
        assert_eq!(title, "gauge market pool");
        assert!(!line.is_empty());
    }

    #[test]
    fn sensitivity_charts_say_what_they_show_and_how_to_read_them() {
        let (title, line) = caption("tornado_meituan_select_active_users_end");
        assert_eq!(
            title,
            "Meituan select: active users at the end, one assumption at a time"
        );
        assert!(line.contains("paired change in active users at the end"), "{line}");
        for method in ["morris", "sobol", "uncertainty"] {
            let (_, line) = caption(&format!("{method}_taocaicai_orders_total"));
            assert!(line.contains("orders over the run"), "{method}: {line}");
            assert!(!line.contains("A chart of the results"), "{method}: {line}");
        }
    }
}
