//! Turns a raw scenario into validated domain parameters, collecting every
//! problem (with its key path) instead of stopping at the first. After this,
//! nothing downstream needs to check a parameter again.

use super::Scenario;
use super::dates::{ChangeDay, DateText};
use super::dist_spec::DistSpec;
use super::problem::{Problems, did_you_mean};
use super::raw::{RawChange, RawClass, RawPlatform, RawPlatformUsers, RawPopulation, RawScenario, RawUsers};
use crate::core::calendar::Date;
use crate::core::dist::{Dist, Support};
use crate::core::money::Currency;
use crate::model::gatekeeper::{
    ClassId, Discipline, ExpediteParams, GatekeeperParams, InReview, ReviewClass, WithdrawalCaps,
};
use crate::model::platform::{ExpeditePolicy, PlatformParams};
use crate::model::policy::{Change, PolicyChange};
use crate::model::population::{MAX_MEMBERS, MAX_WATCHED, PopulationParams};
use crate::model::users::MarketEvent;
use crate::model::users::params::AGENT_BYTES;
use crate::model::users::{MarketParams, Mode, PlatformUsers, Sensitivities};

/// Most replications accepted in one run.
pub(crate) const MAX_REPLICATIONS: u64 = 10_000_000;

/// Longest horizon accepted (days): a century.
pub(crate) const MAX_HORIZON_DAYS: u32 = 36_500;

/// Validates `raw`; `default_name` names the scenario when the file does not.
pub(crate) fn validate(raw: &RawScenario, default_name: &str) -> Result<Scenario, Problems> {
    let mut pr = Problems::default();
    let name = raw.name.clone().unwrap_or_else(|| default_name.to_string());
    if name.is_empty() || name.starts_with('.') || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        pr.add(
            "name",
            format!(
                "\"{name}\" cannot name an output folder: use letters, digits, '-', '_' or '.', not starting with '.'"
            ),
        );
    }
    let sim = &raw.simulation;
    if sim.seed > i64::MAX as u64 {
        pr.add(
            "simulation.seed",
            format!("must be at most {}, got {}", i64::MAX, sim.seed),
        );
    }
    if sim.horizon_days == 0 || sim.horizon_days > MAX_HORIZON_DAYS {
        pr.add(
            "simulation.horizon_days",
            format!("must be from 1 to {MAX_HORIZON_DAYS} days, got {}", sim.horizon_days),
        );
    }
    if sim.warmup_days.days() >= sim.horizon_days {
        pr.add(
            "simulation.warmup_days",
            format!(
                "must be shorter than the horizon ({} days), got {}",
                sim.horizon_days,
                sim.warmup_days.days()
            ),
        );
    }

    let start_date = sim
        .start_date
        .as_ref()
        .and_then(|DateText(text)| Date::parse(text).map_err(|e| pr.add("simulation.start_date", e)).ok());
    if sim.replications == 0 || sim.replications > MAX_REPLICATIONS {
        pr.add(
            "simulation.replications",
            format!("must be from 1 to {MAX_REPLICATIONS}, got {}", sim.replications),
        );
    }
    let g = &raw.gatekeeper;
    if g.reviewers == 0 {
        pr.add("gatekeeper.reviewers", "must be at least 1");
    }
    let discipline = match g.discipline.as_str() {
        "fifo" => Discipline::Fifo,
        "priority" => Discipline::Priority,
        other => {
            pr.add(
                "gatekeeper.discipline",
                format!(
                    "unknown discipline \"{other}\"; allowed: \"fifo\", \"priority\".{}",
                    did_you_mean(other, ["fifo", "priority"])
                ),
            );
            Discipline::Fifo
        }
    };
    let in_review = match g.when_in_review.as_str() {
        "wait" => InReview::Wait,
        "withdraw" => InReview::Withdraw,
        other => {
            pr.add(
                "gatekeeper.when_in_review",
                format!(
                    "unknown rule \"{other}\"; allowed: \"wait\", \"withdraw\".{}",
                    did_you_mean(other, ["wait", "withdraw"])
                ),
            );
            InReview::Wait
        }
    };
    let expedite = g.expedite.as_ref().map(|e| ExpediteParams {
        per_platform_per_year: e.per_platform_per_year,
        review_hours: dist(
            &mut pr,
            "gatekeeper.expedite.review_hours",
            &e.review_hours,
            Support::NonNegative,
            false,
        ),
    });
    if g.classes.is_empty() {
        pr.add("gatekeeper.classes", "at least one review class is needed");
    }
    let classes: Vec<ReviewClass> = g
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| class(&mut pr, &format!("gatekeeper.classes[{i}]"), c))
        .collect();
    let class_names: Vec<&str> = g.classes.iter().map(|c| c.name.as_str()).collect();
    duplicates(&mut pr, "gatekeeper.classes", &class_names);

    if raw.platforms.is_empty() && raw.populations.is_empty() {
        pr.add("platforms", "at least one platform or population is needed");
    }
    if raw.platforms.is_empty() && raw.users.is_some() {
        pr.add(
            "platforms",
            "a scenario with [users] needs at least one platform for them to use",
        );
    }
    let platform_names: Vec<&str> = raw.platforms.iter().map(|p| p.name.as_str()).collect();
    duplicates(&mut pr, "platforms", &platform_names);
    let platforms: Vec<PlatformParams> = raw
        .platforms
        .iter()
        .enumerate()
        .map(|(i, p)| platform(&mut pr, &format!("platforms[{i}]"), p, &class_names))
        .collect();
    populations_together(&mut pr, &raw.populations, &platform_names);
    let populations: Vec<PopulationParams> = raw
        .populations
        .iter()
        .enumerate()
        .map(|(i, p)| population(&mut pr, &format!("populations[{i}]"), p, &class_names))
        .collect();
    let fixes = platforms
        .iter()
        .map(|p| &p.fix_days)
        .enumerate()
        .map(|(i, f)| (format!("platforms[{i}].fix_days"), f))
        .chain(
            populations
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("populations[{i}].fix_days"), &p.fix_days)),
        );
    instant_rejection_loops(&mut pr, &classes, fixes);
    let population_names: Vec<&str> = raw.populations.iter().map(|p| p.name.as_str()).collect();
    let mut changes = Vec::new();
    let mut events = Vec::new();
    for (i, c) in raw.changes.iter().enumerate() {
        match change(
            &mut pr,
            &format!("changes[{i}]"),
            c,
            (&platform_names, &population_names, &class_names),
            (sim.horizon_days, start_date),
            raw.users.is_some(),
        ) {
            Some(Dated::Pipeline(c)) => changes.push(c),
            Some(Dated::Market(e)) => events.push(e),
            None => {}
        }
    }
    // Market events take effect in the order of their days (stable: ties
    // keep the file's order, the last one winning).
    events.sort_by(|a: &MarketEvent, b: &MarketEvent| a.day.total_cmp(&b.day));

    let users = raw.users.as_ref().map(|u| MarketParams {
        events,
        ..users(&mut pr, u, &raw.platforms)
    });

    if !pr.0.is_empty() {
        return Err(pr);
    }
    Ok(Scenario {
        name,
        description: raw.description.clone(),
        seed: sim.seed,
        horizon_days: sim.horizon_days,
        warmup_days: sim.warmup_days.days(),
        auto_warmup: sim.warmup_days == crate::scenario::warmup::WarmupSpec::Auto,
        replications: sim.replications,
        start_date,
        gatekeeper: GatekeeperParams {
            reviewers: g.reviewers,
            discipline,
            one_version: g.one_version_under_review,
            in_review,
            withdrawal_caps: WithdrawalCaps {
                per_day: g.withdrawals_per_day,
                per_month: g.withdrawals_per_month,
            },
            expedite,
            classes,
        },
        platforms,
        populations,
        changes,
        users,
    })
}

/// Relative spread of merged groups' posteriors when `users.merge_tolerance` is left out.
pub(crate) const DEFAULT_MERGE_TOLERANCE: f64 = 0.02;

/// Largest `users.merge_tolerance` accepted.
pub(crate) const MAX_MERGE_TOLERANCE: f64 = 0.1;

/// Most memory agent mode may take (bytes): 2 GiB.
pub(crate) const MAX_AGENT_MEMORY: u64 = 2 << 30;

/// Largest market accepted (users), far beyond any country.
pub(crate) const MAX_POTENTIAL_USERS: u64 = 100_000_000_000;

fn finite_in(pr: &mut Problems, path: &str, v: f64, lo: f64, hi: f64) {
    if !v.is_finite() || v < lo || v > hi {
        pr.add(path, format!("must be from {lo} to {hi}, got {v}"));
    }
}

fn positive_finite(pr: &mut Problems, path: &str, v: f64) {
    if !v.is_finite() || v <= 0.0 {
        pr.add(path, format!("must be a number greater than 0, got {v}"));
    }
}

fn users(pr: &mut Problems, u: &RawUsers, platforms: &[RawPlatform]) -> MarketParams {
    let mode = match u.mode.as_str() {
        "aggregate" => Mode::Aggregate,
        "merged" => Mode::Merged {
            tolerance: u.merge_tolerance.unwrap_or(DEFAULT_MERGE_TOLERANCE),
        },
        "agents" => Mode::Agents,
        other => {
            pr.add(
                "users.mode",
                format!(
                    "unknown mode \"{other}\"; allowed: \"aggregate\", \"merged\", \"agents\".{}",
                    did_you_mean(other, ["aggregate", "merged", "agents"])
                ),
            );
            Mode::Aggregate
        }
    };
    if let Some(t) = u.merge_tolerance {
        if !matches!(mode, Mode::Merged { .. }) {
            pr.add(
                "users.merge_tolerance",
                format!("only used with mode = \"merged\", but the mode is \"{}\"", u.mode),
            );
        }
        if !t.is_finite() || t <= 0.0 || t > MAX_MERGE_TOLERANCE {
            pr.add(
                "users.merge_tolerance",
                format!("must be greater than 0 and at most {MAX_MERGE_TOLERANCE}, got {t}"),
            );
        }
    }
    if u.potential_users > MAX_POTENTIAL_USERS {
        pr.add(
            "users.potential_users",
            format!("must be at most {MAX_POTENTIAL_USERS}, got {}", u.potential_users),
        );
    }
    if mode == Mode::Agents {
        let need = u.potential_users.saturating_mul(AGENT_BYTES);
        if need > MAX_AGENT_MEMORY {
            pr.add(
                "users.mode",
                format!(
                    "\"agents\" keeps every user in memory ({AGENT_BYTES} bytes each): {} users need {:.1} GiB, \
                     more than the {} GiB allowed. Use mode = \"aggregate\", which is exact and costs the same for any market size",
                    u.potential_users,
                    need as f64 / f64::from(1u32 << 30),
                    MAX_AGENT_MEMORY >> 30
                ),
            );
        }
    }
    finite_in(pr, "users.adoption_per_day", u.adoption_per_day, 0.0, 1.0);
    positive_finite(pr, "users.appeal_half_life_days", u.appeal_half_life_days);
    finite_in(pr, "users.staleness_grace_days", u.staleness_grace_days, 0.0, 36_500.0);
    for (key, v) in [
        ("churn_per_stale_day", u.churn_per_stale_day),
        ("churn_per_open_defect", u.churn_per_open_defect),
        ("churn_per_appeal_gap", u.churn_per_appeal_gap),
        ("engagement_elasticity", u.engagement_elasticity),
        ("choice_per_appeal", u.choice_per_appeal),
        ("choice_per_open_defect", u.choice_per_open_defect),
        ("choice_per_stale_day", u.choice_per_stale_day),
    ] {
        finite_in(pr, &format!("users.{key}"), v, -100.0, 100.0);
    }
    let mut initial = 0u64;
    let mut money = Vec::new();
    let per_platform = platforms
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let path = format!("platforms[{i}].users");
            let Some(pu) = &p.users else {
                pr.add(
                    &path,
                    "missing: a scenario with [users] needs each platform's users (churn_alpha, churn_beta, ...)",
                );
                return PlatformUsers {
                    initial_users: 0,
                    initial_tenure_days: 0.0,
                    churn_alpha: 1.0,
                    churn_beta: 1.0,
                    base_appeal: 0.0,
                    base_utility: 0.0,
                    open_probability: 0.0,
                    orders_per_user_day: 0.0,
                    orders_shape: 1.0,
                    average_order_value: None,
                };
            };
            initial = initial.saturating_add(pu.initial_users);
            finite_in(
                pr,
                &format!("{path}.initial_tenure_days"),
                pu.initial_tenure_days,
                0.0,
                36_500.0,
            );
            positive_finite(pr, &format!("{path}.churn_alpha"), pu.churn_alpha);
            positive_finite(pr, &format!("{path}.churn_beta"), pu.churn_beta);
            finite_in(pr, &format!("{path}.base_appeal"), pu.base_appeal, -1e6, 1e6);
            finite_in(pr, &format!("{path}.base_utility"), pu.base_utility, -100.0, 100.0);
            finite_in(pr, &format!("{path}.open_probability"), pu.open_probability, 0.0, 1.0);
            finite_in(
                pr,
                &format!("{path}.orders_per_user_day"),
                pu.orders_per_user_day,
                0.0,
                1e3,
            );
            positive_finite(pr, &format!("{path}.orders_shape"), pu.orders_shape);
            money.push(order_value(pr, &path, pu));
            PlatformUsers {
                initial_users: pu.initial_users,
                initial_tenure_days: pu.initial_tenure_days,
                churn_alpha: pu.churn_alpha,
                churn_beta: pu.churn_beta,
                base_appeal: pu.base_appeal,
                base_utility: pu.base_utility,
                open_probability: pu.open_probability,
                orders_per_user_day: pu.orders_per_user_day,
                orders_shape: pu.orders_shape,
                average_order_value: pu.average_order_value,
            }
        })
        .collect();
    let currency = one_currency(pr, &money);
    if initial > u.potential_users {
        pr.add(
            "users.potential_users",
            format!(
                "the platforms' initial users add up to {initial}, more than the {} potential users",
                u.potential_users
            ),
        );
    }
    MarketParams {
        mode,
        potential_users: u.potential_users,
        adoption_per_day: u.adoption_per_day,
        cooloff_days: u.cooloff_days,
        sensitivities: Sensitivities {
            staleness_grace_days: u.staleness_grace_days,
            churn_per_stale_day: u.churn_per_stale_day,
            churn_per_open_defect: u.churn_per_open_defect,
            churn_per_appeal_gap: u.churn_per_appeal_gap,
            engagement_elasticity: u.engagement_elasticity,
            choice_per_appeal: u.choice_per_appeal,
            choice_per_open_defect: u.choice_per_open_defect,
            choice_per_stale_day: u.choice_per_stale_day,
            appeal_half_life_days: u.appeal_half_life_days,
        },
        platforms: per_platform,
        currency,
        events: Vec::new(),
    }
}

/// A platform's average order value and currency, checked: the value
/// positive and finite, the currency a code of ISO 4217, neither without
/// the other. Returns the key path of its users and the currency, if valid.
fn order_value(pr: &mut Problems, path: &str, pu: &RawPlatformUsers) -> (String, Option<f64>, Option<Currency>) {
    if let Some(v) = pu.average_order_value {
        positive_finite(pr, &format!("{path}.average_order_value"), v);
    }
    let currency = pu.currency.as_deref().and_then(|c| {
        Currency::parse(c)
            .map_err(|e| pr.add(format!("{path}.currency"), e))
            .ok()
    });
    match (pu.average_order_value, &pu.currency) {
        (Some(_), None) => pr.add(
            format!("{path}.currency"),
            format!(
                "missing: {path}.average_order_value needs the currency it is in, an ISO 4217 code such as currency = \"CNY\""
            ),
        ),
        (None, Some(c)) => pr.add(
            format!("{path}.average_order_value"),
            format!(
                "missing: {path}.currency = \"{c}\" is the currency of an average order value (money per order), which this platform does not give"
            ),
        ),
        _ => {}
    }
    (path.to_string(), pu.average_order_value, currency)
}

/// The one currency of the platforms' average order values (`money`: each
/// platform's key path, value and currency), if they give them: every
/// platform gives one or none does, all in the same currency, since the
/// market's GMV is their sum.
fn one_currency(pr: &mut Problems, money: &[(String, Option<f64>, Option<Currency>)]) -> Option<Currency> {
    let (first_path, _, first) = money.iter().find(|(_, v, _)| v.is_some())?;
    for (path, v, c) in money {
        // A currency without a value is reported where it is read.
        if v.is_none() && c.is_none() {
            pr.add(
                format!("{path}.average_order_value"),
                format!(
                    "missing: {first_path}.average_order_value is given, so every platform needs one (the market's GMV is their sum), or remove it"
                ),
            );
        } else if let (Some(c), Some(f)) = (c, first)
            && c != f
        {
            pr.add(
                format!("{path}.currency"),
                format!(
                    "is \"{c}\" but {first_path}.currency is \"{f}\": GMV is summed and compared in one currency; give every average order value in the same one"
                ),
            );
        }
    }
    *first
}

/// Builds a distribution, recording a problem (and returning a placeholder) if invalid.
fn dist(pr: &mut Problems, path: &str, spec: &DistSpec, support: Support, allow_never: bool) -> Dist {
    match spec.build(support, allow_never) {
        Ok(d) => d,
        Err(e) => {
            // A bare number has no parameter to name: the key itself is wrong.
            let bare = matches!(spec, DistSpec::Value(_));
            let at = if e.param.is_empty() || bare {
                path.to_string()
            } else {
                format!("{path}.{}", e.param)
            };
            pr.add(at, e.message);
            Dist::Never
        }
    }
}

fn duplicates(pr: &mut Problems, path: &str, names: &[&str]) {
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() {
            pr.add(format!("{path}[{i}].name"), "must not be empty");
        } else if names[..i].contains(n) {
            pr.add(
                format!("{path}[{i}].name"),
                format!("\"{n}\" is used twice; names must be unique"),
            );
        }
    }
}

fn probability(pr: &mut Problems, path: &str, p: f64) {
    if !(0.0..=1.0).contains(&p) {
        pr.add(path, format!("must be a probability from 0 to 1, got {p}"));
    }
}

fn class(pr: &mut Problems, path: &str, c: &RawClass) -> ReviewClass {
    probability(pr, &format!("{path}.rejection_probability"), c.rejection_probability);
    ReviewClass {
        name: c.name.clone(),
        priority: c.priority,
        review_hours: dist(
            pr,
            &format!("{path}.review_hours"),
            &c.review_hours,
            Support::NonNegative,
            false,
        ),
        hold_days: dist(
            pr,
            &format!("{path}.hold_days"),
            &c.hold_days,
            Support::NonNegative,
            true,
        ),
        rejection_probability: c.rejection_probability,
    }
}

/// A fix taking no time is allowed (an immediate resubmission), but not
/// together with a class that rejects every submission after a review and a
/// hold taking no time: that build would be rejected and resubmitted forever
/// at one instant.
fn instant_rejection_loops<'a>(
    pr: &mut Problems,
    classes: &[ReviewClass],
    fixes: impl IntoIterator<Item = (String, &'a Dist)>,
) {
    // Below a minute on average counts as taking no time (days, or hours
    // for reviews).
    let instant = |d: &Dist, minute: f64| d.mean().is_some_and(|m| m < minute);
    let (day_minute, hour_minute) = (MIN_MEAN_INTERVAL_DAYS, 1.0 / 60.0);
    for (path, fix) in fixes {
        if !instant(fix, day_minute) {
            continue;
        }
        if let Some(c) = classes.iter().find(|c| {
            c.rejection_probability >= 1.0 && instant(&c.review_hours, hour_minute) && instant(&c.hold_days, day_minute)
        }) {
            pr.add(
                path.clone(),
                format!(
                    "a fix taking no time with class \"{}\" (every review rejects, hold and review take no time) would resubmit forever at one instant; give the fix, the hold or the review some time",
                    c.name
                ),
            );
        }
    }
}

fn lookup(pr: &mut Problems, path: &str, what: &str, name: &str, names: &[&str]) -> usize {
    match names.iter().position(|n| *n == name) {
        Some(i) => i,
        None => {
            pr.add(
                path,
                format!(
                    "no {what} named \"{name}\"; known: {}.{}",
                    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
                    did_you_mean(name, names.iter().copied())
                ),
            );
            0
        }
    }
}

fn non_negative(pr: &mut Problems, path: &str, v: f64, max: f64) {
    if !v.is_finite() || v < 0.0 || v > max {
        pr.add(path, format!("must be from 0 to {max}, got {v}"));
    }
}

/// Shortest mean interval between builds and mean time to fix (days): a
/// minute. Shorter ones would make a replication an endless string of
/// builds at one instant.
pub(crate) const MIN_MEAN_INTERVAL_DAYS: f64 = 1.0 / 1440.0;

/// The pipeline settings a named platform and a population share, as
/// written (`platforms[i]` or `populations[i]` at `path`).
struct RawSettings<'a> {
    class: &'a str,
    cadence_days: &'a DistSpec,
    first_build_days: Option<&'a DistSpec>,
    fix_days: &'a DistSpec,
    release_delay_hours: &'a DistSpec,
    phase_days: f64,
    expedite: &'a str,
    initial_version_age_days: f64,
}

/// Those settings, validated.
struct Settings {
    class: ClassId,
    cadence_days: Dist,
    first_build_days: Dist,
    fix_days: Dist,
    release_delay_hours: Dist,
    expedite: ExpeditePolicy,
}

fn settings(pr: &mut Problems, path: &str, p: &RawSettings<'_>, classes: &[&str]) -> Settings {
    let class = lookup(pr, &format!("{path}.class"), "review class", p.class, classes);
    let cadence = dist(
        pr,
        &format!("{path}.cadence_days"),
        p.cadence_days,
        Support::NonNegative,
        true,
    );
    if let Some(m) = cadence.mean().filter(|&m| m.is_nan() || m < MIN_MEAN_INTERVAL_DAYS) {
        pr.add(
            format!("{path}.cadence_days"),
            format!(
                "the mean interval between builds must be at least a minute ({MIN_MEAN_INTERVAL_DAYS:.6} days), got {m}"
            ),
        );
    }
    let first_build = match p.first_build_days {
        Some(spec) => dist(
            pr,
            &format!("{path}.first_build_days"),
            spec,
            Support::NonNegative,
            true,
        ),
        None => match cadence.mean() {
            Some(m) if m > 0.0 => Dist::uniform(0.0, m, Support::NonNegative).unwrap_or(Dist::Fixed(0.0)),
            _ => Dist::Fixed(0.0),
        },
    };
    let fix = dist(pr, &format!("{path}.fix_days"), p.fix_days, Support::NonNegative, false);
    // A fix may take no time (an immediate resubmission), or at least a
    // minute: a fix of a few picoseconds would let a rejected build loop
    // at one instant.
    if let Some(m) = fix
        .mean()
        .filter(|&m| m.is_nan() || (m > 0.0 && m < MIN_MEAN_INTERVAL_DAYS))
    {
        pr.add(
            format!("{path}.fix_days"),
            format!("the mean time to fix a rejected build must be 0 (at once) or at least a minute ({MIN_MEAN_INTERVAL_DAYS:.6} days), got {m}"),
        );
    }
    non_negative(pr, &format!("{path}.phase_days"), p.phase_days, 365.0);
    non_negative(
        pr,
        &format!("{path}.initial_version_age_days"),
        p.initial_version_age_days,
        36_500.0,
    );
    let expedite = match p.expedite {
        "never" => ExpeditePolicy::Never,
        "resubmissions" => ExpeditePolicy::Resubmissions,
        "all" => ExpeditePolicy::All,
        other => {
            let allowed = ["never", "resubmissions", "all"];
            pr.add(
                format!("{path}.expedite"),
                format!(
                    "unknown policy \"{other}\"; allowed: \"never\", \"resubmissions\", \"all\".{}",
                    did_you_mean(other, allowed)
                ),
            );
            ExpeditePolicy::Never
        }
    };
    Settings {
        class,
        cadence_days: cadence,
        first_build_days: first_build,
        fix_days: fix,
        release_delay_hours: dist(
            pr,
            &format!("{path}.release_delay_hours"),
            p.release_delay_hours,
            Support::NonNegative,
            false,
        ),
        expedite,
    }
}

fn platform(pr: &mut Problems, path: &str, p: &RawPlatform, classes: &[&str]) -> PlatformParams {
    let s = settings(
        pr,
        path,
        &RawSettings {
            class: &p.class,
            cadence_days: &p.cadence_days,
            first_build_days: p.first_build_days.as_ref(),
            fix_days: &p.fix_days,
            release_delay_hours: &p.release_delay_hours,
            phase_days: p.phase_days,
            expedite: &p.expedite,
            initial_version_age_days: p.initial_version_age_days,
        },
        classes,
    );
    non_negative(pr, &format!("{path}.defects_per_day"), p.defects_per_day, 1e6);
    PlatformParams {
        name: p.name.clone(),
        class: s.class,
        cadence_days: s.cadence_days,
        first_build_days: s.first_build_days,
        fix_days: s.fix_days,
        appeal_per_build: dist(
            pr,
            &format!("{path}.appeal_per_build"),
            &p.appeal_per_build,
            Support::Any,
            false,
        ),
        defects_per_day: p.defects_per_day,
        release_delay_hours: s.release_delay_hours,
        phase_days: p.phase_days,
        expedite: s.expedite,
        initial_version_age_days: p.initial_version_age_days,
    }
}

fn population(pr: &mut Problems, path: &str, p: &RawPopulation, classes: &[&str]) -> PopulationParams {
    let s = settings(
        pr,
        path,
        &RawSettings {
            class: &p.class,
            cadence_days: &p.cadence_days,
            first_build_days: p.first_build_days.as_ref(),
            fix_days: &p.fix_days,
            release_delay_hours: &p.release_delay_hours,
            phase_days: p.phase_days,
            expedite: &p.expedite,
            initial_version_age_days: p.initial_version_age_days,
        },
        classes,
    );
    if p.count == 0 {
        pr.add(format!("{path}.count"), "must be at least 1 (a population has members)");
    }
    let count = u32::try_from(p.count.min(MAX_MEMBERS)).unwrap_or(u32::MAX);
    let mut watch = p.watch.clone();
    watch.sort_unstable();
    watch.dedup();
    if let Some(&i) = watch.iter().find(|&&i| u64::from(i) >= p.count) {
        pr.add(
            format!("{path}.watch"),
            format!(
                "member {i} does not exist: members are numbered from 0 to {}",
                p.count.saturating_sub(1)
            ),
        );
    }
    PopulationParams {
        name: p.name.clone(),
        count,
        class: s.class,
        cadence_days: s.cadence_days,
        first_build_days: s.first_build_days,
        fix_days: s.fix_days,
        release_delay_hours: s.release_delay_hours,
        phase_days: p.phase_days,
        expedite: s.expedite,
        initial_version_age_days: p.initial_version_age_days,
        watch,
    }
}

/// The populations' checks as a whole: their members together within
/// [`MAX_MEMBERS`], their watched members within [`MAX_WATCHED`], and no
/// population sharing a name with a platform or another population.
fn populations_together(pr: &mut Problems, raw: &[RawPopulation], platforms: &[&str]) {
    let names: Vec<&str> = raw.iter().map(|p| p.name.as_str()).collect();
    duplicates(pr, "populations", &names);
    for (i, n) in names.iter().enumerate() {
        if platforms.contains(n) {
            pr.add(
                format!("populations[{i}].name"),
                format!("\"{n}\" names a platform too; platforms and populations need distinct names"),
            );
        }
    }
    let total: u64 = raw.iter().map(|p| p.count).fold(0, u64::saturating_add);
    if total > MAX_MEMBERS {
        pr.add(
            "populations",
            format!("the populations hold {total} members together, more than the {MAX_MEMBERS} allowed"),
        );
    }
    let watched: usize = raw.iter().map(|p| p.watch.len()).sum();
    if watched > MAX_WATCHED {
        pr.add(
            "populations",
            format!("{watched} members are watched, more than the {MAX_WATCHED} allowed (each adds its daily series)"),
        );
    }
}

/// A validated `[[changes]]` entry: the pipeline's or the market's.
enum Dated {
    Pipeline(PolicyChange),
    Market(MarketEvent),
}

fn change(
    pr: &mut Problems,
    path: &str,
    c: &RawChange,
    (platforms, populations, classes): (&[&str], &[&str], &[&str]),
    (horizon, start): (u32, Option<Date>),
    has_users: bool,
) -> Option<Dated> {
    let day = match &c.day {
        ChangeDay::Day(d) => *d,
        ChangeDay::Date(DateText(text)) => match (Date::parse(text), start) {
            (Err(e), _) => {
                pr.add(format!("{path}.day"), e);
                0.0
            }
            (Ok(_), None) => {
                pr.add(
                    format!("{path}.day"),
                    format!("the date {text} needs simulation.start_date (the date of day 0), or give a day number"),
                );
                0.0
            }
            (Ok(date), Some(start)) => {
                let d = start.days_until(date);
                if d < 0 || d > i64::from(horizon) {
                    pr.add(
                        format!("{path}.day"),
                        format!(
                            "{date} is outside the run, from {start} (day 0) to {} (day {horizon})",
                            start.plus_days(i64::from(horizon))
                        ),
                    );
                }
                d as f64
            }
        },
    };
    if !day.is_finite() || day < 0.0 || day > f64::from(horizon) {
        if matches!(c.day, ChangeDay::Day(_)) {
            pr.add(
                format!("{path}.day"),
                format!("must be from 0 to the horizon ({horizon} days), got {day}"),
            );
        }
    } else if day.fract() != 0.0 {
        pr.add(
            format!("{path}.day"),
            format!("must be a whole number of days: a change takes effect at the start of its day, got {day}"),
        );
    }
    let what = match (&c.platform, &c.population, &c.class, c.reviewers, c.base_utility) {
        (Some(p), None, Some(k), None, None) => Change::PlatformClass {
            platform: lookup(pr, &format!("{path}.platform"), "platform", p, platforms),
            class: lookup(pr, &format!("{path}.class"), "review class", k, classes),
        },
        (None, Some(p), Some(k), None, None) => Change::PopulationClass {
            population: lookup(pr, &format!("{path}.population"), "population", p, populations),
            class: lookup(pr, &format!("{path}.class"), "review class", k, classes),
        },
        (None, None, None, Some(n), None) => {
            if n == 0 {
                pr.add(format!("{path}.reviewers"), "must be at least 1");
            }
            Change::Reviewers(n)
        }
        (Some(p), None, None, None, Some(u)) => {
            finite_in(pr, &format!("{path}.base_utility"), u, -100.0, 100.0);
            if !has_users {
                pr.add(
                    format!("{path}.base_utility"),
                    "a market event needs the scenario's [users] table",
                );
            }
            return Some(Dated::Market(MarketEvent {
                day,
                platform: lookup(pr, &format!("{path}.platform"), "platform", p, platforms),
                base_utility: u,
            }));
        }
        _ => {
            pr.add(
                path,
                "a change sets `platform` and `class` (a platform moves to a review class), \
                 `population` and `class` (every member of a population moves), \
                 `reviewers` (the gatekeeper's number of reviewers), or `platform` and `base_utility` \
                 (a market event), and nothing else",
            );
            return None;
        }
    };
    Some(Dated::Pipeline(PolicyChange { day, change: what }))
}
