//! `gatesim fit` against published fits and against gatesim's own models:
//! the Fader-Hardie cohorts give their published sBG parameters; cohorts
//! simulated by gatesim's user model (every effect off) fit back to the
//! alpha and beta they were drawn with, as single cohorts, as a triangle and
//! as weekly counts of a daily model; the beta-discrete-Weibull finds
//! duration dependence where there is some and none in sBG data; duration
//! samples drawn by gatesim's samplers fit back to each family's
//! parameters, with and without censoring, and AIC picks the family they
//! came from; the example files fit; and the scenario lines printed for
//! pasting load. Tolerances are 4 standard errors.

use crate::common;

use gatesim::fitting::{
    DurationData, Family, Model, Param, Period, RetentionColumns, RetentionData, RetentionFit, RetentionOptions, Unit,
    fit_durations, fit_retention, parse_durations, parse_retention, parse_retention_with, read_durations,
    read_retention,
};
use gatesim::fitting::{durations_text, retention_text};
use gatesim::sampling;
use gatesim::sampling::Dist;
use gatesim::sampling::stream;
use gatesim::{Scenario, load_scenario_str as load_str};
use std::path::{Path, PathBuf};

fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data").join(name)
}

fn fit(data: &RetentionData, period: Period, model: Model) -> RetentionFit {
    fit_retention(
        data,
        &RetentionOptions {
            period,
            model,
            project: None,
        },
    )
    .expect("the fit converges")
}

fn param<'a>(ps: &'a [Param], name: &str) -> &'a Param {
    ps.iter().find(|p| p.name == name).expect("the parameter exists")
}

/// Asserts that `p` is within 4 standard errors of `truth`.
fn within_4_se(p: &Param, truth: f64, what: &str) {
    let se = p.se.expect("a standard error");
    eprintln!(
        "{what} {}: estimate {:.5}, truth {truth}, se {se:.3e}, z {:+.2}",
        p.name,
        p.estimate,
        (p.estimate - truth) / se
    );
    assert!(
        (p.estimate - truth).abs() <= 4.0 * se,
        "{what} {}: estimate {} (se {se}), truth {truth}",
        p.name,
        p.estimate
    );
}

#[test]
fn the_published_regular_cohort_gives_alpha_0_704_and_beta_1_182() {
    let d = read_retention(&data_file("fader_hardie_regular.csv")).unwrap();
    let f = fit(&d, Period::Year, Model::Sbg);
    let (a, b) = (f.sbg.estimate("alpha"), f.sbg.estimate("beta"));
    assert!((a - 0.704).abs() < 0.0005, "alpha {a}");
    assert!((b - 1.182).abs() < 0.0005, "beta {b}");
    assert!(f.sbg.parameters.iter().all(|p| p.se.is_some_and(|se| se > 0.0)));
    assert_eq!(f.sbg.chi_square.df, 5);
}

#[test]
fn the_published_high_end_cohort_gives_alpha_0_668_and_beta_3_806() {
    let d = read_retention(&data_file("fader_hardie_high_end.csv")).unwrap();
    let f = fit(&d, Period::Year, Model::Sbg);
    let (a, b) = (f.sbg.estimate("alpha"), f.sbg.estimate("beta"));
    assert!((a - 0.668).abs() < 0.0005, "alpha {a}");
    assert!((b - 3.806).abs() < 0.0005, "beta {b}");
}

/// One platform whose users nothing affects: every effect off, no
/// adoption, `users` initial users with churn (alpha, beta) per day.
fn closed_market(users: u64, alpha: f64, beta: f64, horizon: u32) -> Scenario {
    common::scenario(&format!(
        r#"
[simulation]
horizon_days = {horizon}

[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
review_hours = 24

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7

[platforms.users]
initial_users = {users}
churn_alpha = {alpha}
churn_beta = {beta}

[users]
potential_users = {users}
adoption_per_day = 0
"#
    ))
}

/// The initial cohort's survivors at every day of replication `rep`: in a
/// closed market (no adoption) the platform's active users day by day
/// (cohort records keep every day only to 91 days).
fn simulated_cohort(s: &Scenario, rep: u64) -> Vec<u64> {
    let users = common::run(s, rep, false).users.expect("the scenario has users");
    let p = &users.platforms[0];
    let daily: Vec<u64> = p.daily.iter().map(|d| d.active).collect();
    for (age, &n) in daily.iter().enumerate() {
        if let Some(s) = p.cohorts[0].survivors_at(age as u64) {
            assert_eq!(s, n, "the initial cohort is all the users at age {age}");
        }
    }
    daily
}

fn table(cohorts: &[(String, Vec<u64>)]) -> RetentionData {
    let mut csv = String::from("cohort,period,active\n");
    for (name, counts) in cohorts {
        for (t, n) in counts.iter().enumerate() {
            csv.push_str(&format!("{name},{t},{n}\n"));
        }
    }
    parse_retention(&csv, Path::new("simulated.csv")).unwrap()
}

#[test]
fn cohorts_simulated_by_the_user_model_fit_back_to_their_alpha_and_beta() {
    for (alpha, beta) in [(0.704, 17.9), (0.668, 3.806), (2.5, 40.0), (0.3, 8.0)] {
        let s = closed_market(200_000, alpha, beta, 90);
        let d = table(&[("c".into(), simulated_cohort(&s, 0))]);
        let f = fit(&d, Period::Day, Model::Sbg);
        within_4_se(param(&f.sbg.parameters, "alpha"), alpha, &format!("({alpha}, {beta})"));
        within_4_se(param(&f.sbg.parameters, "beta"), beta, &format!("({alpha}, {beta})"));
        assert!(f.per_day.is_none(), "a day needs no rescaling");
        assert_eq!(f.daily(), (f.sbg.estimate("alpha"), f.sbg.estimate("beta")));
    }
}

#[test]
fn standard_errors_match_the_spread_of_estimates_over_replications() {
    // Over independent replications, (estimate - truth) / se should have
    // mean 0 and standard deviation 1. With 200 replications the sample
    // mean has standard error 1 / sqrt(200) and the sample standard
    // deviation about 1 / sqrt(2 x 199): 4 of each.
    let (alpha, beta) = (0.704, 17.9);
    let s = closed_market(50_000, alpha, beta, 60);
    let reps = 200;
    let mut z = [Vec::new(), Vec::new()];
    for rep in 0..reps {
        let f = fit(
            &table(&[("c".into(), simulated_cohort(&s, rep))]),
            Period::Day,
            Model::Sbg,
        );
        for (i, truth) in [alpha, beta].into_iter().enumerate() {
            let p = &f.sbg.parameters[i];
            z[i].push((p.estimate - truth) / p.se.unwrap());
        }
    }
    let n = reps as f64;
    for (i, zs) in z.iter().enumerate() {
        let mean = zs.iter().sum::<f64>() / n;
        let sd = (zs.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt();
        eprintln!("{}: z mean {mean:.3}, sd {sd:.3}", ["alpha", "beta"][i]);
        assert!(mean.abs() < 4.0 / n.sqrt(), "z mean {mean}");
        assert!((sd - 1.0).abs() < 4.0 / (2.0 * (n - 1.0)).sqrt(), "z sd {sd}");
    }
}

#[test]
fn a_cohort_triangle_simulated_by_the_user_model_fits_back() {
    let (alpha, beta) = (0.9, 12.0);
    let s = closed_market(20_000, alpha, beta, 120);
    // Eight cohorts, each observed two weeks less than the one before.
    let cohorts: Vec<(String, Vec<u64>)> = (0..8)
        .map(|k| {
            let mut c = simulated_cohort(&s, k);
            c.truncate(121 - 14 * k as usize);
            (format!("week {k}"), c)
        })
        .collect();
    let d = table(&cohorts);
    assert_eq!(d.cohorts.len(), 8);
    let f = fit(&d, Period::Day, Model::Sbg);
    within_4_se(param(&f.sbg.parameters, "alpha"), alpha, "triangle");
    within_4_se(param(&f.sbg.parameters, "beta"), beta, "triangle");
    // 8 cohorts observed 120, 106, ..., 22 days: cells minus parameters.
    let cells: usize = (0..8).map(|k| 120 - 14 * k).sum();
    assert_eq!(f.sbg.chi_square.df as usize, cells - 2);
}

#[test]
fn weekly_counts_of_the_daily_model_give_back_its_daily_parameters() {
    let (alpha, beta) = (0.704, 17.9);
    let s = closed_market(200_000, alpha, beta, 182);
    let daily = simulated_cohort(&s, 3);
    let weekly: Vec<u64> = daily.iter().step_by(7).copied().collect();
    assert_eq!(weekly.len(), 27);
    let f = fit(&table(&[("c".into(), weekly)]), Period::Week, Model::Sbg);
    let d = f.per_day.as_ref().expect("weeks are rescaled to days");
    assert_eq!(d.days_per_period, 7);
    within_4_se(&d.parameters[0], alpha, "per day from weeks");
    within_4_se(&d.parameters[1], beta, "per day from weeks");
    assert_eq!(f.daily(), (d.parameters[0].estimate, d.parameters[1].estimate));
}

#[test]
fn the_published_yearly_fit_rescaled_to_days_stays_within_a_tenth_of_a_point_of_it() {
    let d = read_retention(&data_file("fader_hardie_regular.csv")).unwrap();
    let f = fit(&d, Period::Year, Model::Sbg);
    let day = f.per_day.as_ref().unwrap();
    assert_eq!(day.compared_periods, 14);
    assert!(day.max_gap < 0.001, "largest gap {}", day.max_gap);
    // The shortcut (alpha kept, beta times 365) is off by more than a point.
    let (a, b) = (f.sbg.estimate("alpha"), f.sbg.estimate("beta"));
    let shortcut = gatesim::fitting::survival(a, b * 365.0, 365 * 14);
    let gap = (0..=14)
        .map(|k| (shortcut[365 * k] - f.sbg.fitted[k]).abs())
        .fold(0.0, f64::max);
    assert!(gap > 0.01, "shortcut gap {gap}");
}

/// Survivors per period of `users` users whose propensity is Beta(alpha,
/// beta) and who survive t periods with probability (1 - theta)^(t^c).
fn bdw_cohort(users: u64, alpha: f64, beta: f64, c: f64, periods: usize, seed: u64) -> Vec<u64> {
    let mut rng = stream(seed, 0, "test/bdw");
    let mut alive = vec![0u64; periods + 1];
    for _ in 0..users {
        let theta = sampling::beta(&mut rng, alpha, beta);
        let rate = -libm::log1p(-theta);
        // P(T > t) = exp(-rate t^c): T = floor((E / rate)^(1/c)) + 1.
        let x = libm::pow(sampling::exp1(&mut rng) / rate, 1.0 / c);
        let last_alive = if x.is_finite() {
            (x.floor() as usize).min(periods)
        } else {
            periods
        };
        for a in alive.iter_mut().take(last_alive + 1) {
            *a += 1;
        }
    }
    alive
}

#[test]
fn the_bdw_finds_no_duration_dependence_in_sbg_data() {
    let s = closed_market(100_000, 0.8, 10.0, 60);
    let d = table(&[("c".into(), simulated_cohort(&s, 1))]);
    let f = fit(&d, Period::Day, Model::Bdw);
    let b = f.bdw.as_ref().unwrap();
    assert!(
        b.log_likelihood >= f.sbg.log_likelihood - 1e-6,
        "the BdW contains the sBG"
    );
    within_4_se(param(&b.parameters, "c"), 1.0, "BdW on sBG data");
    let t = f.lr_test.as_ref().unwrap();
    // 4 standard errors of c: the statistic is z^2 under the sBG.
    assert!(t.statistic < 16.0, "{t:?}");
    assert_eq!(f.chosen().model, Model::Bdw);
}

#[test]
fn bdw_data_fit_back_to_their_parameters_and_reject_the_sbg() {
    let (alpha, beta, c) = (1.2, 5.0, 0.6);
    let d = table(&[("c".into(), bdw_cohort(20_000, alpha, beta, c, 24, 5))]);
    let f = fit(&d, Period::Month, Model::Bdw);
    let b = f.bdw.as_ref().unwrap();
    within_4_se(param(&b.parameters, "alpha"), alpha, "BdW");
    within_4_se(param(&b.parameters, "beta"), beta, "BdW");
    within_4_se(param(&b.parameters, "c"), c, "BdW");
    assert!(f.lr_test.as_ref().unwrap().p_value < 1e-6);
}

/// `n` draws of `dist`, each right-censored at an independent exponential
/// observation time of mean `observe_mean` when that is given.
fn draws(dist: &Dist, n: usize, seed: u64, observe_mean: Option<f64>) -> DurationData {
    let mut rng = stream(seed, 0, "test/durations");
    let mut values = Vec::with_capacity(n);
    let mut censored = Vec::with_capacity(n);
    for _ in 0..n {
        let t = dist.sample(&mut rng).expect("the distribution ends").max(1e-9);
        match observe_mean {
            Some(m) => {
                let seen = m * sampling::exp1(&mut rng);
                values.push(t.min(seen).max(1e-9));
                censored.push(seen < t);
            }
            None => {
                values.push(t);
                censored.push(false);
            }
        }
    }
    DurationData {
        column: "hours".into(),
        censored_column: observe_mean.map(|_| "pending".into()),
        values,
        censored,
    }
}

/// Each family with parameters in a scenario's terms.
fn truths() -> Vec<(Family, Vec<f64>, Dist)> {
    vec![
        (Family::Exponential, vec![20.0], Dist::exponential(20.0).unwrap()),
        (Family::Gamma, vec![2.5, 8.0], Dist::gamma(2.5, 8.0).unwrap()),
        (Family::Lognormal, vec![20.0, 0.6], Dist::lognormal(20.0, 0.6).unwrap()),
        (Family::Weibull, vec![1.6, 25.0], Dist::weibull(1.6, 25.0).unwrap()),
    ]
}

fn check_round_trip(observe_mean: Option<f64>, seed: u64) {
    for (family, truth, dist) in truths() {
        let data = draws(&dist, 3000, seed, observe_mean);
        if observe_mean.is_some() {
            assert!(data.censored_count() > 300, "{family:?}: censoring bites");
        }
        let f = fit_durations(&data, Unit::Hours).unwrap();
        let ff = f.families.iter().find(|x| x.family == family).unwrap();
        for (p, t) in ff.parameters.iter().zip(&truth) {
            within_4_se(p, *t, family.name());
        }
    }
}

#[test]
fn samples_from_each_family_fit_back_to_their_parameters() {
    check_round_trip(None, 11);
}

#[test]
fn censored_samples_from_each_family_fit_back_to_their_parameters() {
    check_round_trip(Some(40.0), 12);
}

#[test]
fn aic_picks_the_family_a_large_sample_came_from() {
    for (family, _, dist) in truths() {
        let f = fit_durations(&draws(&dist, 20_000, 13, None), Unit::Hours).unwrap();
        let ranked: Vec<Family> = f.families.iter().map(|x| x.family).collect();
        if family == Family::Exponential {
            // The gamma and the Weibull contain it (shape 1): they can only
            // gain likelihood, by chi-square(1) / 2 under the exponential.
            // AIC charges 2 for it; allow the 4-standard-error gain
            // (statistic 16), i.e. delta AIC below 14.
            let exp = f.families.iter().find(|x| x.family == family).unwrap();
            assert!(exp.delta_aic < 14.0, "{ranked:?}: delta AIC {}", exp.delta_aic);
        } else {
            assert_eq!(ranked[0], family, "{ranked:?}");
        }
        assert!(f.families[0].ks_distance < 0.02);
    }
}

#[test]
fn the_example_files_fit_back_to_the_parameters_they_were_drawn_with() {
    let d = read_retention(&data_file("cohort_triangle.csv")).unwrap();
    assert_eq!(d.cohorts.len(), 9);
    let f = fit(&d, Period::Month, Model::Sbg);
    within_4_se(param(&f.sbg.parameters, "alpha"), 0.9, "triangle example");
    within_4_se(param(&f.sbg.parameters, "beta"), 4.5, "triangle example");
    let d = read_durations(&data_file("review_durations.csv"), None, None).unwrap();
    assert_eq!(
        (d.column.as_str(), d.censored_column.as_deref()),
        ("hours", Some("pending"))
    );
    let f = fit_durations(&d, Unit::Hours).unwrap();
    let ln = f.families.iter().find(|x| x.family == Family::Lognormal).unwrap();
    // Drawn with median 20 h and sigma 0.6; the file rounds to 0.1 h.
    within_4_se(&ln.parameters[0], 20.0, "review log");
    within_4_se(&ln.parameters[1], 0.6, "review log");
}

/// The lines of `text` that start with one of `keys` followed by ` = `.
fn lines_for(text: &str, keys: &[&str]) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| keys.iter().any(|k| l.starts_with(&format!("{k} = "))))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_printed_scenario_lines_load_and_carry_the_estimates() {
    let d = read_retention(&data_file("fader_hardie_regular.csv")).unwrap();
    let f = fit(&d, Period::Year, Model::Sbg);
    let text = retention_text(&f, "fader_hardie_regular.csv");
    let churn = lines_for(&text, &["churn_alpha", "churn_beta"]);
    assert_eq!(churn.len(), 2, "{text}");
    let durations = fit_durations(
        &read_durations(&data_file("review_durations.csv"), None, None).unwrap(),
        Unit::Hours,
    )
    .unwrap();
    let dtext = durations_text(&durations, "review_durations.csv");
    let review = lines_for(&dtext, &["review_hours"]);
    let days = lines_for(&dtext, &["hold_days", "fix_days"]);
    assert_eq!((review.len(), days.len()), (1, 2), "{dtext}");
    let scenario = format!(
        r#"
[gatekeeper]
[[gatekeeper.classes]]
name = "standard"
{review}
{hold}

[[platforms]]
name = "P"
class = "standard"
cadence_days = 7
{fix}

[platforms.users]
initial_users = 1000
{alpha}
{beta}

[users]
potential_users = 1000
adoption_per_day = 0
"#,
        review = review[0],
        hold = days[0],
        fix = days[1],
        alpha = churn[0],
        beta = churn[1],
    );
    let loaded =
        load_str(&scenario, Path::new("pasted.toml"), "pasted", &[]).unwrap_or_else(|e| panic!("{e}\n{scenario}"));
    let users = loaded.scenario.users.as_ref().unwrap();
    let (a, b) = f.daily();
    let pasted = &users.platforms[0];
    assert!(
        (pasted.churn_alpha / a - 1.0).abs() < 1e-3,
        "{} vs {a}",
        pasted.churn_alpha
    );
    assert!(
        (pasted.churn_beta / b - 1.0).abs() < 1e-3,
        "{} vs {b}",
        pasted.churn_beta
    );
    // The review time's median is the best fit's, hours in review_hours, days in hold_days.
    let best = &durations.families[0];
    let mean_hours = loaded.scenario.gatekeeper.classes[0].review_hours.mean().unwrap();
    let mean_days = loaded.scenario.gatekeeper.classes[0].hold_days.mean().unwrap();
    assert!(
        (mean_hours / (24.0 * mean_days) - 1.0).abs() < 2e-3,
        "{mean_hours} h vs {mean_days} d"
    );
    assert!(best.cdf(1e9) > 0.999);
}

/// `text` with every line that is not a comment changed by `f`.
fn each_line(text: &str, f: impl Fn(&str) -> String) -> String {
    text.lines()
        .map(|l| if l.starts_with('#') { l.to_string() } else { f(l) })
        .map(|l| l + "\n")
        .collect()
}

#[test]
fn the_example_files_read_the_same_in_every_dialect_a_spreadsheet_writes() {
    let file = Path::new("data.csv");
    let log = std::fs::read_to_string(data_file("review_durations.csv")).unwrap();
    let triangle = std::fs::read_to_string(data_file("cohort_triangle.csv")).unwrap();
    let variants = |text: &str| {
        [
            each_line(text, |l| l.replace(',', ";").replace('.', ",")),
            each_line(text, |l| l.replace(',', "\t")),
            each_line(text, |l| l.replace(',', "\t").replace('.', ",")),
            format!("\u{feff}{}", text.replace('\n', "\r\n")),
            format!("sep=;\n{}", each_line(text, |l| l.replace(',', ";"))),
        ]
    };
    let durations = parse_durations(&log, file, None, None).unwrap();
    let retention = parse_retention(&triangle, file).unwrap();
    for v in variants(&log) {
        assert_eq!(
            parse_durations(&v, file, None, None).unwrap(),
            durations,
            "{}",
            v.chars().take(300).collect::<String>()
        );
    }
    for v in variants(&triangle) {
        assert_eq!(
            parse_retention(&v, file).unwrap(),
            retention,
            "{}",
            v.chars().take(300).collect::<String>()
        );
    }
}

#[test]
fn retention_columns_may_have_other_names_in_any_case() {
    let file = Path::new("data.csv");
    let usual = parse_retention("period,active\n0,1000\n1,631\n2,468\n", file).unwrap();
    let cols = RetentionColumns {
        period: Some("Monat".into()),
        active: Some("aktive nutzer".into()),
        cohort: None,
    };
    let named = parse_retention_with("MONAT;Aktive Nutzer\n0;1000\n1;631\n2;468\n", file, &cols).unwrap();
    assert_eq!(named, usual);
    let e = parse_retention_with("monat,aktiv\n0,1000\n", file, &cols).unwrap_err();
    assert_eq!(e.line, Some(1));
    assert!(e.message.contains("no column `aktive nutzer` (--active-column)"), "{e}");
    let cohorts = RetentionColumns {
        cohort: Some("group".into()),
        ..RetentionColumns::default()
    };
    let d = parse_retention_with(
        "group,period,active\na,0,10\na,1,5\nb,0,4\nb,1,3\nb,2,2\n",
        file,
        &cohorts,
    )
    .unwrap();
    assert_eq!(d.cohorts.len(), 2);
    let e = parse_retention_with("period,active\n0,10\n1,5\n2,2\n", file, &cohorts).unwrap_err();
    assert!(e.message.contains("no column `group` (--cohort-column)"), "{e}");
}
