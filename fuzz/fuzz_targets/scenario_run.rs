//! Structure-aware fuzzing of the model: arbitrary well-typed scenarios (a
//! few platforms and review classes, random distributions, the one-version
//! rule on or off, rejections, holds, withdrawal caps, expedites, phased
//! releases, dated changes, users on or off, a short horizon) are written
//! as TOML, loaded and validated like a user's file, and one replication is
//! run. Checked: no NaN or infinity anywhere in what it measured; every
//! submission decided, withdrawn or still pending (at most one pending per
//! platform under the one-version rule), releases at most approvals; and
//! users conserved every day (pool + active users = N), every adoption a
//! flow.

#![no_main]

use arbitrary::Arbitrary;
use gatesim::load_scenario_str as load_str;
use gatesim::run_replication;
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::path::Path;

#[derive(Arbitrary, Debug)]
enum DistIn {
    Fixed(u16),
    Uniform(u16, u16),
    Exponential(u16),
    Normal(u16, u16),
    Lognormal(u16, u8),
    Gamma(u8, u16),
    Weibull(u8, u16),
    Empirical(Vec<(u16, u8)>),
}

fn unit(x: u16) -> f64 {
    f64::from(x) / 65535.0
}

impl DistIn {
    /// The distribution as TOML, every draw's mean at least `min`, up to
    /// about `min + scale`.
    fn toml(&self, min: f64, scale: f64) -> String {
        let v = |x: u16| min + scale * unit(x);
        // Means, medians and scales must be positive.
        let pos = |x: u16| v(x).max(1e-3);
        match self {
            DistIn::Fixed(a) => format!("{}", v(*a)),
            DistIn::Uniform(a, b) => format!(
                "{{ dist = \"uniform\", low = {}, high = {} }}",
                v(*a.min(b)),
                v(*a.max(b))
            ),
            DistIn::Exponential(a) => format!("{{ dist = \"exponential\", mean = {} }}", pos(*a)),
            DistIn::Normal(a, b) => format!(
                "{{ dist = \"normal\", mean = {}, sd = {} }}",
                v(*a),
                0.01 + scale * unit(*b)
            ),
            DistIn::Lognormal(a, s) => format!(
                "{{ dist = \"lognormal\", median = {}, sigma = {} }}",
                pos(*a),
                f64::from(*s) / 255.0 * 2.0
            ),
            DistIn::Gamma(k, a) => {
                let shape = 0.2 + f64::from(*k) / 255.0 * 10.0;
                format!("{{ dist = \"gamma\", shape = {shape}, scale = {} }}", pos(*a) / shape)
            }
            DistIn::Weibull(k, a) => format!(
                "{{ dist = \"weibull\", shape = {}, scale = {} }}",
                0.3 + f64::from(*k) / 255.0 * 5.0,
                pos(*a)
            ),
            DistIn::Empirical(pairs) => {
                let pairs: Vec<(u16, u8)> = if pairs.is_empty() {
                    vec![(0, 1)]
                } else {
                    pairs.iter().take(6).copied().collect()
                };
                let values: Vec<String> = pairs.iter().map(|(x, _)| format!("{}", v(*x))).collect();
                let weights: Vec<String> = pairs
                    .iter()
                    .enumerate()
                    .map(|(i, (_, w))| format!("{}", if i == 0 { u32::from(*w) + 1 } else { u32::from(*w) }))
                    .collect();
                format!(
                    "{{ dist = \"empirical\", values = [{}], weights = [{}] }}",
                    values.join(", "),
                    weights.join(", ")
                )
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct ClassIn {
    priority: u8,
    review_hours: DistIn,
    hold_days: Option<DistIn>,
    hold_never: bool,
    rejection: u8,
}

#[derive(Arbitrary, Debug)]
struct PlatformUsersIn {
    initial: u16,
    tenure: u8,
    alpha: u16,
    beta: u16,
    base_appeal: i8,
    base_utility: i8,
    open: u8,
    orders: u8,
    orders_shape: u8,
}

#[derive(Arbitrary, Debug)]
struct PlatformIn {
    class: u8,
    cadence_days: DistIn,
    single_build: bool,
    first_build_days: Option<DistIn>,
    fix_days: DistIn,
    appeal_per_build: DistIn,
    defects_per_day: u8,
    release_delay_hours: DistIn,
    phase_days: u8,
    expedite: u8,
    initial_version_age_days: u8,
    users: PlatformUsersIn,
}

#[derive(Arbitrary, Debug)]
enum ChangeIn {
    Class { day: u16, platform: u8, class: u8 },
    Reviewers { day: u16, reviewers: u8 },
    BaseUtility { day: u16, platform: u8, utility: i8 },
}

#[derive(Arbitrary, Debug)]
struct UsersIn {
    agents: bool,
    potential: u16,
    adoption: u8,
    cooloff: u8,
    half_life: u8,
    grace: u8,
    sensitivities: [i8; 7],
}

#[derive(Arbitrary, Debug)]
struct ScenarioIn {
    seed: u32,
    replication: u8,
    horizon: u8,
    reviewers: u8,
    priority: bool,
    one_version: bool,
    withdraw: bool,
    caps: (Option<u8>, Option<u8>),
    expedite: Option<(u8, DistIn)>,
    classes: Vec<ClassIn>,
    platforms: Vec<PlatformIn>,
    changes: Vec<ChangeIn>,
    users: Option<UsersIn>,
    trace: bool,
}

/// `b` of 255 spread over `lo..=hi`.
fn span(b: u8, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * f64::from(b) / 255.0
}

impl ScenarioIn {
    fn horizon(&self) -> u32 {
        1 + u32::from(self.horizon) % 60
    }

    fn toml(&self) -> Option<String> {
        let classes = &self.classes[..self.classes.len().min(3)];
        let platforms = &self.platforms[..self.platforms.len().min(4)];
        if classes.is_empty() || platforms.is_empty() {
            return None;
        }
        let horizon = self.horizon();
        let mut t = String::new();
        let w = &mut t;
        writeln!(
            w,
            "name = \"fuzz\"\n[simulation]\nseed = {}\nhorizon_days = {horizon}",
            self.seed
        )
        .ok()?;
        writeln!(
            w,
            "[gatekeeper]\nreviewers = {}\ndiscipline = \"{}\"\none_version_under_review = {}\nwhen_in_review = \"{}\"",
            1 + self.reviewers % 4,
            if self.priority { "priority" } else { "fifo" },
            self.one_version,
            if self.withdraw { "withdraw" } else { "wait" }
        )
        .ok()?;
        if let Some(d) = self.caps.0 {
            writeln!(w, "withdrawals_per_day = {}", d % 4).ok()?;
        }
        if let Some(m) = self.caps.1 {
            writeln!(w, "withdrawals_per_month = {}", m % 10).ok()?;
        }
        if let Some((n, d)) = &self.expedite {
            writeln!(
                w,
                "expedite = {{ per_platform_per_year = {}, review_hours = {} }}",
                n % 20,
                d.toml(0.0, 24.0)
            )
            .ok()?;
        }
        for (i, c) in classes.iter().enumerate() {
            writeln!(
                w,
                "[[gatekeeper.classes]]\nname = \"c{i}\"\npriority = {}\nreview_hours = {}\nrejection_probability = {}",
                c.priority % 4,
                c.review_hours.toml(0.0, 72.0),
                f64::from(c.rejection) / 255.0
            )
            .ok()?;
            match (&c.hold_days, c.hold_never) {
                (_, true) => writeln!(w, "hold_days = \"never\"").ok()?,
                (Some(d), false) => writeln!(w, "hold_days = {}", d.toml(0.0, 20.0)).ok()?,
                (None, false) => {}
            }
        }
        for (i, p) in platforms.iter().enumerate() {
            let cadence = if p.single_build {
                "\"never\"".to_string()
            } else {
                p.cadence_days.toml(0.05, 20.0)
            };
            writeln!(
                w,
                "[[platforms]]\nname = \"p{i}\"\nclass = \"c{}\"\ncadence_days = {cadence}\nfix_days = {}\n\
                 appeal_per_build = {}\ndefects_per_day = {}\nrelease_delay_hours = {}\nphase_days = {}\n\
                 expedite = \"{}\"\ninitial_version_age_days = {}",
                usize::from(p.class) % classes.len(),
                p.fix_days.toml(0.01, 5.0),
                p.appeal_per_build.toml(0.0, 3.0),
                span(p.defects_per_day, 0.0, 3.0),
                p.release_delay_hours.toml(0.0, 48.0),
                span(p.phase_days, 0.0, 15.0),
                ["never", "resubmissions", "all"][usize::from(p.expedite % 3)],
                p.initial_version_age_days
            )
            .ok()?;
            if let Some(d) = &p.first_build_days {
                writeln!(w, "first_build_days = {}", d.toml(0.0, 10.0)).ok()?;
            }
            if self.users.is_some() {
                let u = &p.users;
                writeln!(
                    w,
                    "[platforms.users]\ninitial_users = {}\ninitial_tenure_days = {}\nchurn_alpha = {}\nchurn_beta = {}\n\
                     base_appeal = {}\nbase_utility = {}\nopen_probability = {}\norders_per_user_day = {}\norders_shape = {}",
                    u.initial % 500,
                    u.tenure,
                    0.05 + 10.0 * unit(u.alpha),
                    0.05 + 200.0 * unit(u.beta),
                    u.base_appeal,
                    f64::from(u.base_utility) / 10.0,
                    f64::from(u.open) / 255.0,
                    span(u.orders, 0.0, 5.0),
                    0.1 + span(u.orders_shape, 0.0, 10.0)
                )
                .ok()?;
            }
        }
        for c in self.changes.iter().take(4) {
            let day = |d: &u16| f64::from(*d % (4 * horizon as u16 + 1)) / 4.0;
            match c {
                ChangeIn::Class {
                    day: d,
                    platform,
                    class,
                } => writeln!(
                    w,
                    "[[changes]]\nday = {}\nplatform = \"p{}\"\nclass = \"c{}\"",
                    day(d),
                    usize::from(*platform) % platforms.len(),
                    usize::from(*class) % classes.len()
                )
                .ok()?,
                ChangeIn::Reviewers { day: d, reviewers } => {
                    writeln!(w, "[[changes]]\nday = {}\nreviewers = {}", day(d), 1 + reviewers % 4).ok()?
                }
                ChangeIn::BaseUtility {
                    day: d,
                    platform,
                    utility,
                } if self.users.is_some() => writeln!(
                    w,
                    "[[changes]]\nday = {}\nplatform = \"p{}\"\nbase_utility = {}",
                    day(d),
                    usize::from(*platform) % platforms.len(),
                    f64::from(*utility) / 10.0
                )
                .ok()?,
                ChangeIn::BaseUtility { .. } => {}
            }
        }
        if let Some(u) = &self.users {
            let k: Vec<f64> = u.sensitivities.iter().map(|&s| f64::from(s) / 100.0).collect();
            writeln!(
                w,
                "[users]\nmode = \"{}\"\npotential_users = {}\nadoption_per_day = {}\ncooloff_days = {}\n\
                 appeal_half_life_days = {}\nstaleness_grace_days = {}\nchurn_per_stale_day = {}\n\
                 churn_per_open_defect = {}\nchurn_per_appeal_gap = {}\nengagement_elasticity = {}\n\
                 choice_per_appeal = {}\nchoice_per_open_defect = {}\nchoice_per_stale_day = {}",
                if u.agents { "agents" } else { "aggregate" },
                u64::from(u.potential % 3000) + 2000,
                span(u.adoption, 0.0, 0.3),
                u.cooloff % 20,
                0.5 + f64::from(u.half_life),
                f64::from(u.grace) / 4.0,
                k[0],
                k[1],
                k[2],
                k[3].abs(),
                k[4],
                k[5],
                k[6]
            )
            .ok()?;
        }
        Some(t)
    }
}

/// Whether `text` holds `NaN` or an infinity as a word (as `{:?}` prints them).
fn non_finite(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    for word in ["NaN", "inf"] {
        for (i, _) in text.match_indices(word) {
            let before = i.checked_sub(1).map(|j| b[j]);
            let after = b.get(i + word.len()).copied();
            let edge = |c: Option<u8>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && c != b'_');
            if edge(before) && edge(after) {
                return Some(word);
            }
        }
    }
    None
}

fuzz_target!(|input: ScenarioIn| {
    let Some(text) = input.toml() else {
        return;
    };
    let loaded = match load_str(&text, Path::new("fuzz.toml"), "fuzz", &[]) {
        Ok(l) => l,
        // Only shapes the generator cannot rule out cheaply are refused.
        Err(e) => panic!("a well-typed scenario was refused: {e}\n{text}"),
    };
    let s = &loaded.scenario;
    let rep =
        run_replication(s, u64::from(input.replication), input.trace).expect("the run schedules nothing in the past");
    let measured = format!("{:?}\n{:?}\n{:?}", rep.result, rep.users, rep.trace);
    if let Some(w) = non_finite(&measured) {
        panic!("{w} in the results of\n{text}");
    }
    let horizon = s.horizon_days as usize;
    for p in &rep.result.platforms {
        let c = &p.counts;
        let gone = c.approvals + c.rejections + c.withdrawals;
        assert!(gone <= c.submissions, "more decided than submitted: {c:?}\n{text}");
        if s.gatekeeper.one_version {
            assert!(c.submissions - gone <= 1, "two submissions pending: {c:?}\n{text}");
        }
        assert!(c.releases <= c.approvals, "{c:?}\n{text}");
        assert!(c.approvals <= c.builds + c.resubmissions, "{c:?}\n{text}");
        assert_eq!(p.daily.len(), horizon + 1);
        for d in &p.daily {
            assert!(d.staleness_days >= 0.0, "{text}");
            assert!((0.0..=1.0).contains(&d.share_on_latest), "{text}");
        }
    }
    assert_eq!(rep.result.gatekeeper.daily.len(), horizon + 1);
    if let Some(u) = &rep.users {
        let n = u.potential_users;
        for day in 0..=horizon {
            let active: u64 = u.platforms.iter().map(|p| p.daily[day].active).sum();
            assert_eq!(u.pool[day] + active, n, "users not conserved on day {day}\n{text}");
        }
        let flows: u64 = u.flows.iter().flatten().sum();
        let new: u64 = u.platforms.iter().flat_map(|p| &p.daily).map(|d| d.new_users).sum();
        assert_eq!(flows, new, "an adoption is not a flow\n{text}");
    }
});
