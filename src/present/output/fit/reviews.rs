//! The review log's report: the text for the terminal, `fit.md`,
//! `fit.json` (every figure, machine-readable, no NaN), `groups.csv` (one
//! row per platform or class), the findings in words, and the scenario
//! lines that reproduce the log (review classes to paste, and each
//! platform's class as a `--set` line).

use super::durations::dist_table;
use super::{heading, para, paste, sig, table, to_bytes};
use crate::analysis::reviews::{
    ALPHA, Analysis, By, Class, ClassReview, Estimate, GroupFit, GroupStats, Hazard, RestTest, ReviewLog, TimeScale,
};
use crate::core::metric::Unit;
use crate::core::numbers::{Shown, counted, fixed, p_is, p_value, parameter, percent};
use crate::present::output::csv::{field, line, num};
use serde::Serialize;

/// Rows of the terminal's tables, at most (every row is in fit.md,
/// fit.json and groups.csv).
const MAX_PRINTED_ROWS: usize = 30;

/// Names listed in a sentence, at most.
const MAX_LISTED: usize = 8;

/// `x` hours for people: hours, or days from two days on.
fn dur(x: f64) -> String {
    Shown::for_row(Unit::Hours, [x]).level(x)
}

/// A quantile with its interval, in one unit: `20.1 h (18.0 to 22.3)`,
/// `not reached`.
fn quantile(q: &Estimate) -> String {
    let Some(t) = q.estimate else {
        return "not reached".into();
    };
    let row = Shown::for_row(Unit::Hours, [Some(t), q.lower, q.upper].into_iter().flatten());
    let bound = |b: Option<f64>| b.map_or("not reached".to_string(), |v| row.level(v));
    format!("{} ({} to {})", row.level(t), bound(q.lower), bound(q.upper))
}

/// `a, b and c` (at most [`MAX_LISTED`] names, then "and N more").
fn listed(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        _ if names.len() > MAX_LISTED => format!(
            "{} and {} more",
            names[..MAX_LISTED].join(", "),
            names.len() - MAX_LISTED
        ),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "platform" or "class".
fn what(log: &ReviewLog) -> &'static str {
    log.by.column()
}

/// The plural: "platforms" or "classes".
fn whats(log: &ReviewLog) -> &'static str {
    match log.by {
        By::Platform => "platforms",
        By::Class => "classes",
    }
}

/// The hazard ratio as a cell.
fn hazard_cell(h: &Hazard) -> String {
    match h {
        Hazard::Reference => "reference".into(),
        Hazard::Ratio {
            ratio, lower, upper, ..
        } => {
            format!("{} ({} to {})", parameter(*ratio), parameter(*lower), parameter(*upper))
        }
        Hazard::None {
            diverges: Some("zero"), ..
        } => "→ 0".into(),
        Hazard::None { diverges: Some(_), .. } => "→ ∞".into(),
        Hazard::None { .. } => "none".into(),
        Hazard::NotComputed => "not computed".into(),
    }
}

/// A log-rank test as a cell: `95.3 (< 0.001)`.
fn test_cell(t: &Option<RestTest>) -> String {
    t.map_or("–".into(), |t| {
        format!("{} ({})", fixed(t.statistic, 1), p_value(t.adjusted))
    })
}

/// The order of the rows: the groups set aside, then the others.
fn row_order(a: &Analysis) -> Vec<usize> {
    let mut order: Vec<usize> = a.step_down.set_aside.iter().map(|s| s.0).collect();
    order.extend(a.step_down.alike.iter().map(|s| s.0));
    order
}

/// The step-down's test of group `g`, and whether it was set aside.
fn step_of(a: &Analysis, g: usize) -> (bool, Option<RestTest>) {
    if let Some(s) = a.step_down.set_aside.iter().find(|s| s.0 == g) {
        return (true, Some(s.1));
    }
    (false, a.step_down.alike.iter().find(|s| s.0 == g).and_then(|s| s.1))
}

/// The class each group is in.
fn class_of(a: &Analysis, g: usize) -> Option<&Class> {
    a.classes.iter().find(|c| c.members.contains(&g))
}

/// The findings, in words: which groups differ, at what adjusted level,
/// and how much longer their median wait is.
pub fn findings(log: &ReviewLog, a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    let (what, whats) = (what(log), whats(log));
    let name = |g: usize| a.groups[g].name.as_str();
    let k = a.groups.len();
    match (a.global.statistic, a.global.df, a.global.p_value) {
        (Some(x), Some(df), Some(p)) => out.push(format!(
            "Are the {k} {whats} reviewed alike? The k-sample log-rank test of equal times to a decision gives \
             chi-square {} on {}, {}: {}.",
            fixed(x, 1),
            degrees(df),
            p_is(p),
            if p < ALPHA {
                "they are not"
            } else {
                "no difference is shown"
            }
        )),
        _ => out.push(format!(
            "The k-sample log-rank test of the {k} {whats} was not computed: {}.",
            a.global.not_computed.as_deref().unwrap_or("undefined")
        )),
    }
    let alike: Vec<usize> = a.step_down.alike.iter().map(|s| s.0).collect();
    let alike_median = a.alike.median.estimate;
    let others = if alike.len() == 1 {
        format!("{} that does not differ", what)
    } else {
        format!("{} {whats} that do not differ", alike.len())
    };
    for (g, t) in &a.step_down.set_aside {
        let s = &a.groups[*g];
        let mut text = format!(
            "{} differs from the others (log-rank against the {} not set aside before it: chi-square {}, \
             adjusted {})",
            s.name,
            counted(t.against, what),
            fixed(t.statistic, 1),
            p_is(t.adjusted)
        );
        let decisions = s.approved + s.rejected;
        let median = s.figures.median.estimate;
        let theirs = alike_median.map_or("not reached either".to_string(), dur);
        match (median, alike_median) {
            _ if decisions == 0 => {
                let longest = s.longest_undecided.unwrap_or(0.0);
                text.push_str(&format!(
                    ": none of its {} was decided (each seen waiting up to {}), so its median wait is not reached, \
                     against {theirs} for the {others}",
                    counted(s.submissions, "submission"),
                    dur(longest)
                ));
                if let Some(m) = alike_median.filter(|&m| longest > m) {
                    text.push_str(&format!(": at least {} longer", dur(longest - m)));
                }
            }
            (Some(mine), Some(m)) => {
                let (word, diff) = if mine >= m {
                    ("longer", mine - m)
                } else {
                    ("shorter", m - mine)
                };
                text.push_str(&format!(
                    ": its median wait is {} (95% interval {}), against {theirs} for the {others}: {} {word}",
                    dur(mine),
                    interval(&s.figures.median),
                    dur(diff)
                ));
                if m > 0.0 && mine > 0.0 {
                    let ratio = mine / m;
                    text.push_str(&format!(" ({} times as long)", parameter(ratio)));
                }
            }
            (None, Some(m)) => {
                let longest = s.figures.longest.unwrap_or(0.0);
                text.push_str(&format!(
                    ": its median wait is not reached (half its submissions were still waiting at the longest time \
                     observed, {}), against {theirs} for the {others}",
                    dur(longest)
                ));
                if longest > m {
                    text.push_str(&format!(": at least {} longer", dur(longest - m)));
                }
            }
            (Some(mine), None) => text.push_str(&format!(
                ": its median wait is {}, while the {others} have no median (fewer than half decided)",
                dur(mine)
            )),
            (None, None) => text.push_str(": neither it nor the others reach a median wait"),
        }
        match &s.hazard {
            Hazard::Ratio {
                ratio, lower, upper, ..
            } => text.push_str(&format!(
                "; its decisions come at {} times the rate of the reference's (hazard ratio, 95% interval {} to {})",
                parameter(*ratio),
                parameter(*lower),
                parameter(*upper)
            )),
            Hazard::None {
                diverges: Some("zero"), ..
            } => text.push_str("; its hazard ratio against the reference runs to zero"),
            _ => {}
        }
        text.push('.');
        out.push(text);
    }
    let names: Vec<&str> = alike.iter().map(|&g| name(g)).collect();
    if a.step_down.last_two_differ {
        let t = a.step_down.alike[0].1;
        let medians: Vec<String> = alike
            .iter()
            .map(|&g| {
                format!(
                    "{}'s median wait is {}",
                    name(g),
                    a.groups[g].figures.median.estimate.map_or("not reached".into(), dur)
                )
            })
            .collect();
        out.push(format!(
            "{} differ from each other (log-rank chi-square {}, adjusted {}): which of the two is treated \
             differently cannot be told from these two alone; {}.",
            listed(&names),
            t.map_or("–".into(), |t| fixed(t.statistic, 1)),
            t.map_or("p –".into(), |t| p_is(t.adjusted)),
            medians.join(", ")
        ));
    } else if !alike.is_empty() {
        let smallest = a
            .step_down
            .alike
            .iter()
            .filter_map(|s| s.1.map(|t| t.adjusted))
            .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.min(p))));
        let subject = if a.step_down.set_aside.is_empty() {
            format!("No {what} differs from the others: ")
        } else {
            String::new()
        };
        let who = if names.len() > MAX_LISTED {
            format!("the other {} {whats}", names.len())
        } else {
            listed(&names)
        };
        let each = if names.len() == 2 {
            "from each other (adjusted".to_string()
        } else {
            "from one another (each against the others, adjusted".to_string()
        };
        let at_smallest = if names.len() == 2 { "" } else { " at the smallest" };
        out.push(format!(
            "{subject}{who} do not differ {each} {}){}.",
            smallest.map_or("p not defined".into(), |p| format!("{}{at_smallest}", p_is(p))),
            alike_median.map_or(String::new(), |m| format!("; their median wait is {}", dur(m)))
        ));
    }
    if let Some(why) = &a.step_down.stopped {
        out.push(format!("The search for {whats} that differ {why}."));
    }
    let fooled: Vec<&str> = alike
        .iter()
        .filter(|&&g| a.groups[g].vs_all.is_some_and(|t| t.adjusted < ALPHA))
        .map(|&g| name(g))
        .collect();
    if !fooled.is_empty() && !a.step_down.set_aside.is_empty() {
        let aside: Vec<&str> = a.step_down.set_aside.iter().map(|s| name(s.0)).collect();
        out.push(format!(
            "Against all the other {whats} pooled, {} also {} to differ, only because the others include {}: \
             once {} set aside, {} not.",
            listed(&fooled),
            if fooled.len() == 1 { "appears" } else { "appear" },
            listed(&aside),
            if aside.len() == 1 { "it is" } else { "they are" },
            if fooled.len() == 1 { "it does" } else { "they do" }
        ));
    }
    match &a.approvals {
        Ok((x, df, p)) => {
            let mut text = format!(
                "Approval shares (approvals among decisions): chi-square {} on {}, {}",
                fixed(*x, 1),
                degrees(*df),
                p_is(*p)
            );
            let differ: Vec<String> = a
                .groups
                .iter()
                .filter(|s| s.fisher.is_some_and(|f| f.adjusted < ALPHA))
                .map(|s| {
                    format!(
                        "{} approves {} (Fisher's exact test against the others, adjusted {})",
                        s.name,
                        s.approval.map_or("–".into(), |v| percent(v.estimate, 1)),
                        p_is(s.fisher.map_or(1.0, |f| f.adjusted))
                    )
                })
                .collect();
            if differ.is_empty() {
                text.push_str(&format!(
                    "; no {what}'s share differs from the others' (Fisher's exact test, adjusted)."
                ));
            } else {
                text.push_str(&format!("; {}.", differ.join("; ")));
            }
            out.push(text);
        }
        Err(why) => out.push(format!("Approval shares were not compared: {why}.")),
    }
    out
}

/// "1 degree of freedom", "2 degrees of freedom".
fn degrees(df: usize) -> String {
    if df == 1 {
        "1 degree of freedom".into()
    } else {
        format!("{df} degrees of freedom")
    }
}

/// `18.0 h to 22.3 h`, or with "not reached".
fn interval(q: &Estimate) -> String {
    let row = Shown::for_row(Unit::Hours, [q.lower, q.upper].into_iter().flatten());
    let bound = |b: Option<f64>| b.map_or("not reached".to_string(), |v| row.level(v));
    format!("{} to {}", bound(q.lower), bound(q.upper))
}

/// `'text'` for a POSIX shell.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A TOML string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The table of a class's decision time for `review_hours`.
fn review_table(c: &Class, fallback: &str) -> String {
    match &c.review {
        ClassReview::Family(f) => dist_table(f, 1.0),
        ClassReview::Exponential { mean } => format!("{{ dist = \"exponential\", mean = {} }}", sig(*mean, 4)),
        ClassReview::Never => fallback.to_string(),
    }
}

/// The scenario lines: the review classes to paste after a scenario's own
/// `[[gatekeeper.classes]]` (which stay, so that the file stays valid and
/// its dated changes keep the classes they name), and the `--set` lines
/// that give each platform its class (and enough reviewers).
pub fn scenario_lines(log: &ReviewLog, a: &Analysis) -> (Vec<String>, Vec<String>) {
    let mut classes = Vec::new();
    let typical = a
        .classes
        .iter()
        .find(|c| !matches!(c.review, ClassReview::Never))
        .map_or_else(
            || "{ dist = \"lognormal\", median = 20, sigma = 0.6 }".to_string(),
            |c| review_table(c, ""),
        );
    for (i, c) in a.classes.iter().enumerate() {
        let members: Vec<&str> = c.members.iter().map(|&g| a.groups[g].name.as_str()).collect();
        if i > 0 {
            classes.push(String::new());
        }
        classes.push("[[gatekeeper.classes]]".into());
        classes.push(format!("name = {}", toml_string(&c.name)));
        classes.push(format!("priority = {}", i + 1));
        classes.push(format!(
            "# {}: {}, {}, median wait {}",
            listed(&members).replace('\n', " "),
            counted(c.figures.submissions, "submission"),
            counted(c.figures.decisions, "decision"),
            c.figures.median.estimate.map_or("not reached".into(), dur)
        ));
        match c.review {
            ClassReview::Never => {
                classes.push("# never decided in the log: the hold never ends (the review time is never used)".into());
                classes.push(format!("review_hours = {typical}"));
                classes.push("hold_days = \"never\"".into());
            }
            _ => {
                classes.push(format!("review_hours = {}", review_table(c, &typical)));
                classes.push("hold_days = 0".into());
            }
        }
        let rejection = c.rejection.map_or(0.0, |r| r.estimate);
        classes.push(format!("rejection_probability = {}", sig(rejection, 4)));
    }
    let mut sets = Vec::new();
    let assign = |platform: &str, class: &str, sets: &mut Vec<String>| {
        if platform.contains(['.', '[', ']', '=']) || platform.trim() != platform {
            sets.push(format!(
                "# {platform}: its name cannot be written in a key path; set class = {} in its [[platforms]] table",
                toml_string(class)
            ));
        } else {
            sets.push(format!(
                "--set {}",
                shell_quoted(&format!("platforms.{platform}.class={class}"))
            ));
        }
    };
    match log.by {
        By::Platform => {
            for (g, s) in a.groups.iter().enumerate() {
                if let Some(c) = class_of(a, g) {
                    assign(&s.name, &c.name, &mut sets);
                }
            }
        }
        By::Class => {
            for p in &log.platforms {
                if let Some(c) = class_of(a, p.first as usize) {
                    assign(&p.name, &c.name, &mut sets);
                    if p.moved {
                        sets.push(format!(
                            "# {} moved between classes in the log: add a [[changes]] entry for each move",
                            p.name
                        ));
                    }
                }
            }
        }
    }
    sets.push(format!(
        "--set gatekeeper.reviewers={}",
        log.most_pending_at_once.max(1)
    ));
    (classes, sets)
}

/// The terminal text or `fit.md` of the log `log` (file name `file`).
fn doc(log: &ReviewLog, a: &Analysis, file: &str, md: bool) -> String {
    let (what, whats) = (what(log), whats(log));
    let mut out = if md {
        format!("# Review log: {file}\n\n")
    } else {
        format!("fit reviews: {file}\n")
    };
    let n: usize = a.groups.iter().map(|g| g.submissions).sum();
    let sum = |f: fn(&GroupStats) -> usize| -> usize { a.groups.iter().map(f).sum() };
    let times = match log.scale {
        TimeScale::DateTimes { offsets: true } => "ISO 8601 date-times with offsets (read in UTC)".to_string(),
        TimeScale::DateTimes { offsets: false } => "ISO 8601 date-times without offsets (one clock)".to_string(),
        TimeScale::Numbers { unit } => format!("numbers in {}", unit.name()),
    };
    let at = |t: &str| match log.scale {
        TimeScale::Numbers { unit } => format!("{t} {}", unit.name()),
        _ => t.to_string(),
    };
    out.push_str(&format!(
        "{} of {} {}, submitted from {} on; the log taken at {} ({}); times are {times}\n",
        counted(n, "submission"),
        a.groups.len(),
        whats,
        at(&log.first),
        at(&log.until),
        if log.until_given { "--until" } else { "its latest time" },
    ));
    if md {
        out.push('\n');
    }
    out.push_str(&format!(
        "{} decided ({} approved, {} rejected); {} withdrawn and {} pending, censored: their decision never came, or \
         had not come when the log was taken\n",
        sum(|g| g.approved + g.rejected),
        sum(|g| g.approved),
        sum(|g| g.rejected),
        sum(|g| g.withdrawn),
        sum(|g| g.pending)
    ));
    if log.after_until > 0 || log.decided_after_until > 0 {
        out.push_str(&para(
            &format!(
                "{} submitted after {} left out; {} decided after it counted as pending then.",
                counted(log.after_until, "row"),
                log.until,
                log.decided_after_until
            ),
            md,
        ));
    }
    if !log.ignored_columns.is_empty() {
        out.push_str(&para(
            &format!("Columns ignored: {}.", log.ignored_columns.join(", ")),
            md,
        ));
    }
    out.push_str(&heading(&format!("Is one {what} treated differently?"), md));
    for f in findings(log, a) {
        out.push_str(&para(&f, md));
    }
    let order = row_order(a);
    let shown: Vec<usize> = if md {
        order.clone()
    } else {
        order.iter().copied().take(MAX_PRINTED_ROWS).collect()
    };
    let more = |rows: usize| {
        if rows < order.len() {
            para(
                &format!(
                    "({} of {} rows shown: every {what} is in fit.md, fit.json and groups.csv.)",
                    rows,
                    order.len()
                ),
                md,
            )
        } else {
            String::new()
        }
    };
    out.push_str(&heading(
        "Time to a decision (Kaplan-Meier, pending and withdrawn submissions censored)",
        md,
    ));
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|&g| {
            let s = &a.groups[g];
            let f = &s.figures;
            let row = Shown::for_row(
                Unit::Hours,
                [f.median.estimate, f.p90.estimate, f.restricted_mean]
                    .into_iter()
                    .flatten(),
            );
            vec![
                s.name.clone(),
                s.submissions.to_string(),
                (s.approved + s.rejected).to_string(),
                s.withdrawn.to_string(),
                s.pending.to_string(),
                quantile(&f.median),
                f.p90.estimate.map_or("not reached".into(), |v| row.level(v)),
                f.restricted_mean.map_or("–".into(), |v| row.level(v)),
                match &s.fit {
                    GroupFit::Fitted(fit) => fit.family.name().to_string(),
                    GroupFit::TooFew => "too few".into(),
                    GroupFit::Skipped => "–".into(),
                },
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            what,
            "submitted",
            "decided",
            "withdrawn",
            "pending",
            "median (95% interval)",
            "90th percentile",
            "restricted mean",
            "best fit",
        ],
        &rows,
        md,
    ));
    out.push_str(&more(shown.len()));
    out.push_str(&para(
        &format!(
            "Medians and 90th percentiles from the Kaplan-Meier curve with Brookmeyer-Crowley intervals (log-log \
             bands); \"not reached\": the curve never falls that far. Restricted mean: the mean time to a decision \
             up to the longest time observed in the log, {} (R's common horizon; a curve is held at its last value \
             beyond its own last observation). Best fit: \
             the duration family of lowest AIC (fit durations), censoring included.",
            dur(a.tau)
        ),
        md,
    ));
    if let Some(why) = &a.fits_skipped {
        out.push_str(&para(&format!("Note: {why}."), md));
    }
    let reference = match a.reference {
        Some(r) => a.groups[r].name.clone(),
        None => format!("the other {whats} pooled"),
    };
    out.push_str(&heading("Tests of unequal treatment", md));
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|&g| {
            let s = &a.groups[g];
            let (aside, step) = step_of(a, g);
            vec![
                s.name.clone(),
                test_cell(&s.vs_all),
                format!("{}{}", test_cell(&step), if aside { " set aside" } else { "" }),
                hazard_cell(&s.hazard),
                s.approval.map_or("–".into(), |v| {
                    format!(
                        "{} ({} to {})",
                        percent(v.estimate, 1),
                        percent(v.lower, 1),
                        percent(v.upper, 1)
                    )
                }),
                s.fisher.map_or("–".into(), |f| p_value(f.adjusted)),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            what,
            "vs all others: χ² (adj. p)",
            "step-down: χ² (adj. p)",
            "hazard ratio (95% interval)",
            "approved (95% interval)",
            "Fisher adj. p",
        ],
        &rows,
        md,
    ));
    out.push_str(&more(shown.len()));
    out.push_str(&para(
        &format!(
            "Log-rank tests on 1 degree of freedom, p-values adjusted by Holm's method. \"vs all others\": each \
             {what} against all the others pooled. \"step-down\": {whats} that differ are set aside one at a time, \
             most different first, each tested against those not yet set aside; the rest are tested against one \
             another. Hazard ratio: a Cox model (Efron's ties) of each {what} against {reference}{}; below 1, \
             decisions come more slowly; → 0: no decision while the reference's came. Approvals: the share of \
             decisions approved, Wilson's interval; Fisher's exact test of each {what}'s share against the others', \
             adjusted by Holm's method.",
            if a.reference_is_default {
                format!(" (the reference: the {what} with the most submissions of those that do not differ)")
            } else {
                String::new()
            }
        ),
        md,
    ));
    if let Some(why) = &a.hazards_not_computed {
        out.push_str(&para(&format!("Note: the hazard ratios were not computed: {why}."), md));
    }
    let (classes, sets) = scenario_lines(log, a);
    out.push_str(&heading(
        "To a scenario: paste after the scenario's [[gatekeeper.classes]], before its first [[platforms]]",
        md,
    ));
    out.push_str(&paste(&classes, md));
    let intro = format!(
        "and give each platform its class, on the command line (or as class = \"...\" in its [[platforms]] \
         table), with as many reviewers as submissions ever awaited a decision at once in the log ({}), so that \
         no review waits for a reviewer:",
        log.most_pending_at_once.max(1),
    );
    out.push_str(&para(&intro, md));
    if md {
        out.push('\n');
    }
    let printed_sets: Vec<String> = if md || sets.len() <= MAX_PRINTED_ROWS + 1 {
        sets.clone()
    } else {
        let mut v: Vec<String> = sets.iter().take(MAX_PRINTED_ROWS).cloned().collect();
        v.push(format!(
            "# ... {} more lines in fit.md and fit.json",
            sets.len() - MAX_PRINTED_ROWS
        ));
        v
    };
    if md {
        out.push_str(&format!("```sh\n{}\n```\n", printed_sets.join("\n")));
    } else {
        out.push_str(&paste(&printed_sets, md));
    }
    out.push_str(&para(
        "The log shows the time from submission to decision, not how it splits between a hold, the queue and \
         the review: each class puts all of it in review_hours.",
        md,
    ));
    out
}

/// The terminal text of a review log `file` (its name).
pub fn reviews_text(log: &ReviewLog, a: &Analysis, file: &str) -> String {
    doc(log, a, file, false)
}

/// `fit.md` of a review log.
pub(crate) fn reviews_md(log: &ReviewLog, a: &Analysis, file: &str) -> Vec<u8> {
    doc(log, a, file, true).into_bytes()
}

/// `groups.csv`: one row per group, every figure in hours, names
/// neutralised as every CSV cell gatesim writes.
pub(crate) fn groups_csv(log: &ReviewLog, a: &Analysis) -> Vec<u8> {
    let mut out = format!(
        "{},class,submissions,approved,rejected,withdrawn,pending,approval,approval_low,approval_high,\
         median_hours,median_low,median_high,p90_hours,p90_low,p90_high,restricted_mean_hours,restricted_mean_se,\
         longest_hours,vs_all_chi2,vs_all_p,vs_all_adjusted,set_aside,step_down_chi2,step_down_p,step_down_adjusted,\
         hazard_ratio,hazard_low,hazard_high,hazard_wald_p,fisher_p,fisher_adjusted,best_family\n",
        log.by.column()
    );
    for g in row_order(a) {
        let s = &a.groups[g];
        let f = &s.figures;
        let (aside, step) = step_of(a, g);
        let (hr, lo, hi, wald) = match s.hazard {
            Hazard::Ratio {
                ratio,
                lower,
                upper,
                wald_p,
                ..
            } => (Some(ratio), Some(lower), Some(upper), Some(wald_p)),
            _ => (None, None, None, None),
        };
        line(
            &mut out,
            &[
                field(&s.name),
                class_of(a, g).map_or(String::new(), |c| field(&c.name)),
                s.submissions.to_string(),
                s.approved.to_string(),
                s.rejected.to_string(),
                s.withdrawn.to_string(),
                s.pending.to_string(),
                num(s.approval.map(|v| v.estimate)),
                num(s.approval.map(|v| v.lower)),
                num(s.approval.map(|v| v.upper)),
                num(f.median.estimate),
                num(f.median.lower),
                num(f.median.upper),
                num(f.p90.estimate),
                num(f.p90.lower),
                num(f.p90.upper),
                num(f.restricted_mean),
                num(f.restricted_mean_se),
                num(f.longest),
                num(s.vs_all.map(|t| t.statistic)),
                num(s.vs_all.map(|t| t.p_value)),
                num(s.vs_all.map(|t| t.adjusted)),
                aside.to_string(),
                num(step.map(|t| t.statistic)),
                num(step.map(|t| t.p_value)),
                num(step.map(|t| t.adjusted)),
                num(hr),
                num(lo),
                num(hi),
                num(wald),
                num(s.fisher.map(|t| t.p_value)),
                num(s.fisher.map(|t| t.adjusted)),
                match &s.fit {
                    GroupFit::Fitted(fit) => fit.family.name().to_string(),
                    _ => String::new(),
                },
            ],
        );
    }
    out.into_bytes()
}

#[derive(Serialize)]
struct StepJson {
    set_aside: bool,
    step: Option<usize>,
    #[serde(flatten)]
    test: Option<RestTest>,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    name: &'a str,
    class: Option<&'a str>,
    submissions: usize,
    approved: usize,
    rejected: usize,
    withdrawn: usize,
    pending: usize,
    approval: Option<crate::analysis::reviews::ShareCi>,
    fisher: Option<crate::analysis::reviews::PTest>,
    #[serde(flatten)]
    figures: &'a crate::analysis::reviews::Figures,
    longest_undecided: Option<f64>,
    fit: &'a GroupFit,
    vs_all: Option<RestTest>,
    step_down: StepJson,
    hazard: &'a Hazard,
}

#[derive(Serialize)]
struct StepPoint {
    time: f64,
    at_risk: usize,
    events: usize,
    censored: usize,
    survival: f64,
    lower: Option<f64>,
    upper: Option<f64>,
}

#[derive(Serialize)]
struct CurveJson<'a> {
    label: &'a str,
    steps: Vec<StepPoint>,
    censored: &'a [f64],
}

#[derive(Serialize)]
struct ClassJson<'a> {
    #[serde(flatten)]
    class: &'a Class,
    member_names: Vec<&'a str>,
}

#[derive(Serialize)]
struct TomlJson {
    classes: Vec<String>,
    sets: Vec<String>,
}

#[derive(Serialize)]
struct ReviewsJson<'a> {
    gatesim_version: &'static str,
    kind: &'static str,
    file: &'a str,
    by: By,
    times: TimeScale,
    first: &'a str,
    until: &'a str,
    until_given: bool,
    span_hours: f64,
    restricted_mean_horizon_hours: f64,
    rows: usize,
    after_until: usize,
    decided_after_until: usize,
    ignored_columns: &'a [String],
    most_pending_at_once: usize,
    alpha: f64,
    findings: Vec<String>,
    global: &'a crate::analysis::reviews::Global,
    approvals: Option<(f64, usize, f64)>,
    approvals_not_compared: Option<&'a str>,
    set_aside: Vec<&'a str>,
    alike: Vec<&'a str>,
    last_two_differ: bool,
    step_down_stopped: Option<&'a str>,
    alike_pooled: &'a crate::analysis::reviews::Figures,
    reference: String,
    hazards_not_computed: Option<&'a str>,
    fits_skipped: Option<&'a str>,
    groups: Vec<GroupJson<'a>>,
    classes: Vec<ClassJson<'a>>,
    toml: TomlJson,
    curves: Vec<CurveJson<'a>>,
}

/// `fit.json` of a review log `file` (its name).
pub(crate) fn reviews_json(log: &ReviewLog, a: &Analysis, file: &str) -> Vec<u8> {
    let name = |g: usize| a.groups[g].name.as_str();
    let (classes, sets) = scenario_lines(log, a);
    let j = ReviewsJson {
        gatesim_version: env!("CARGO_PKG_VERSION"),
        kind: "reviews",
        file,
        by: log.by,
        times: log.scale,
        first: &log.first,
        until: &log.until,
        until_given: log.until_given,
        span_hours: log.span_hours,
        restricted_mean_horizon_hours: a.tau,
        rows: log.rows,
        after_until: log.after_until,
        decided_after_until: log.decided_after_until,
        ignored_columns: &log.ignored_columns,
        most_pending_at_once: log.most_pending_at_once,
        alpha: ALPHA,
        findings: findings(log, a),
        global: &a.global,
        approvals: a.approvals.as_ref().ok().copied(),
        approvals_not_compared: a.approvals.as_ref().err().map(String::as_str),
        set_aside: a.step_down.set_aside.iter().map(|s| name(s.0)).collect(),
        alike: a.step_down.alike.iter().map(|s| name(s.0)).collect(),
        last_two_differ: a.step_down.last_two_differ,
        step_down_stopped: a.step_down.stopped.as_deref(),
        alike_pooled: &a.alike,
        reference: a
            .reference
            .map_or_else(|| "pooled".to_string(), |r| name(r).to_string()),
        hazards_not_computed: a.hazards_not_computed.as_deref(),
        fits_skipped: a.fits_skipped.as_deref(),
        groups: a
            .groups
            .iter()
            .enumerate()
            .map(|(g, s)| {
                let (aside, test) = step_of(a, g);
                GroupJson {
                    name: &s.name,
                    class: class_of(a, g).map(|c| c.name.as_str()),
                    submissions: s.submissions,
                    approved: s.approved,
                    rejected: s.rejected,
                    withdrawn: s.withdrawn,
                    pending: s.pending,
                    approval: s.approval,
                    fisher: s.fisher,
                    figures: &s.figures,
                    longest_undecided: s.longest_undecided,
                    fit: &s.fit,
                    vs_all: s.vs_all,
                    step_down: StepJson {
                        set_aside: aside,
                        step: a.step_down.set_aside.iter().position(|x| x.0 == g).map(|i| i + 1),
                        test,
                    },
                    hazard: &s.hazard,
                }
            })
            .collect(),
        classes: a
            .classes
            .iter()
            .map(|c| ClassJson {
                class: c,
                member_names: c.members.iter().map(|&g| name(g)).collect(),
            })
            .collect(),
        toml: TomlJson { classes, sets },
        curves: a
            .curves
            .iter()
            .map(|c| CurveJson {
                label: &c.label,
                steps: c
                    .km
                    .steps
                    .iter()
                    .map(|s| StepPoint {
                        time: s.time,
                        at_risk: s.at_risk,
                        events: s.events,
                        censored: s.censored,
                        survival: s.survival,
                        lower: s.lower,
                        upper: s.upper,
                    })
                    .collect(),
                censored: &c.censored,
            })
            .collect(),
    };
    to_bytes(&j)
}
