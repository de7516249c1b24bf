//! The scenario file format: serde structs mirroring the TOML one to one.
//! Every table refuses unknown keys, every key that carries a quantity names
//! its unit (`_days`, `_hours`, `_per_day`), and everything a user need not
//! care about has a default. These structs are only what was written (with
//! defaults filled in); [`super::validate`] turns them into domain parameters.

use super::dates::{ChangeDay, DateText};
use super::dist_spec::{DistSpec, DistTable};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A whole scenario file.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [
    { "required": ["platforms"], "properties": { "platforms": { "minItems": 1 } } },
    { "required": ["populations"], "properties": { "populations": { "minItems": 1 } } }
]))]
pub struct RawScenario {
    /// Name of the scenario, also the name of its output folder; defaults to
    /// the file name without `.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"))]
    pub name: Option<String>,
    /// One line saying what the scenario is about.
    #[serde(default)]
    pub description: String,
    /// Run settings.
    #[serde(default)]
    pub simulation: RawSimulation,
    /// The host's review.
    pub gatekeeper: RawGatekeeper,
    /// The platforms (tenants) submitting builds, each named (a scenario
    /// has at least one platform or one population).
    #[serde(default)]
    pub platforms: Vec<RawPlatform>,
    /// Populations: many platforms alike, counted as a whole, sharing the
    /// gatekeeper with the named platforms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub populations: Vec<RawPopulation>,
    /// Dated policy changes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<RawChange>,
    /// The market and its users; without it only the pipeline is simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<RawUsers>,
    /// Assumptions declared uncertain, for `gatesim sensitivity`; they
    /// change nothing in a run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<RawUncertain>,
}

/// `[[uncertain]]`: a key whose value is uncertain, and its plausible
/// range (`low` and `high`, uniform) or distribution (`dist`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUncertain {
    /// The key path, as `--set` takes it (e.g. `users.churn_per_stale_day`): any number of
    /// the scenario but the run's `simulation.seed` and `simulation.replications`.
    pub key: String,
    /// Lower end of a uniform range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Upper end of a uniform range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// Its distribution, instead of `low` and `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<UncertainDist>,
    /// Why this range, in one line.
    #[serde(default)]
    pub why: String,
}

/// The distribution of an uncertain key, tagged by `dist`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum UncertainDist {
    /// `{ dist = "uniform", low = 1, high = 3 }`
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// `{ dist = "loguniform", low = 0.001, high = 0.1 }`: uniform in the
    /// logarithm, for values plausible over orders of magnitude.
    Loguniform {
        /// Lower end (above 0).
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// `{ dist = "normal", mean = 14, sd = 3 }`
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// `{ dist = "lognormal", median = 30, sigma = 0.5 }`
    Lognormal {
        /// Median.
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
}

/// `[users]`: the market and how experience moves users.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUsers {
    /// `"aggregate"` (default; exact, cost independent of the market size),
    /// `"merged"` (aggregate with one churn draw per cohort and old groups
    /// merged; every mean as in aggregate, faster, long horizons) or
    /// `"agents"` (one record per user).
    #[serde(default = "default_mode")]
    #[schemars(extend("enum" = ["aggregate", "merged", "agents"]))]
    pub mode: String,
    /// With `mode = "merged"`: the largest relative spread of the merged
    /// groups' posteriors (default 0.02).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = 0.02, "exclusiveMinimum" = 0, "maximum" = 0.1))]
    pub merge_tolerance: Option<f64>,
    /// Potential users (households) in the market.
    #[schemars(range(max = 100_000_000_000u64), extend("x-unit" = "users"))]
    pub potential_users: u64,
    /// Probability a pool member adopts some platform on a given day.
    #[schemars(range(min = 0.0, max = 1.0), extend("x-unit" = "probability per day"))]
    pub adoption_per_day: f64,
    /// Days a churned user stays out before it can adopt again.
    #[serde(default)]
    #[schemars(extend("x-unit" = "days"))]
    pub cooloff_days: u32,
    /// Half-life of a released feature's appeal (days).
    #[serde(default = "default_half_life")]
    #[schemars(extend("exclusiveMinimum" = 0, "x-unit" = "days"))]
    pub appeal_half_life_days: f64,
    /// Staleness below this has no effect (days).
    #[serde(default = "default_grace")]
    #[schemars(range(min = 0.0, max = 36_500.0), extend("x-unit" = "days"))]
    pub staleness_grace_days: f64,
    /// Log churn multiplier per day of staleness beyond the grace.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "log multiplier per day"))]
    pub churn_per_stale_day: f64,
    /// Log churn multiplier per open defect.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "log multiplier per defect"))]
    pub churn_per_open_defect: f64,
    /// Log churn multiplier per appeal point the best rival has over the platform.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "log multiplier per appeal point"))]
    pub churn_per_appeal_gap: f64,
    /// DAU and orders scale by exp(-elasticity x log churn multiplier) when it is positive.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "dimensionless"))]
    pub engagement_elasticity: f64,
    /// Choice utility per appeal point.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "utility per appeal point"))]
    pub choice_per_appeal: f64,
    /// Choice utility lost per open defect.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "utility per defect"))]
    pub choice_per_open_defect: f64,
    /// Choice utility lost per day of staleness beyond the grace.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "utility per day"))]
    pub choice_per_stale_day: f64,
}

fn default_mode() -> String {
    "aggregate".into()
}

fn default_half_life() -> f64 {
    30.0
}

fn default_grace() -> f64 {
    14.0
}

/// `[platforms.users]`: one platform's users.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlatformUsers {
    /// Users at the start.
    #[serde(default)]
    #[schemars(extend("x-unit" = "users"))]
    pub initial_users: u64,
    /// Days the initial users have already been users.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 36_500.0), extend("x-unit" = "days"))]
    pub initial_tenure_days: f64,
    /// Shape alpha of the Beta distribution of daily churn propensity.
    #[schemars(extend("exclusiveMinimum" = 0, "x-unit" = "Beta shape"))]
    pub churn_alpha: f64,
    /// Shape beta of the Beta distribution of daily churn propensity.
    #[schemars(extend("exclusiveMinimum" = 0, "x-unit" = "Beta shape"))]
    pub churn_beta: f64,
    /// Appeal before any release (appeal points).
    #[serde(default)]
    #[schemars(range(min = -1e6, max = 1e6), extend("x-unit" = "appeal points"))]
    pub base_appeal: f64,
    /// Choice utility before experience.
    #[serde(default)]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "utility"))]
    pub base_utility: f64,
    /// Probability an active user opens the app on a day.
    #[serde(default = "default_open")]
    #[schemars(range(min = 0.0, max = 1.0), extend("x-unit" = "probability per day"))]
    pub open_probability: f64,
    /// Mean orders per active user per day.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1e3), extend("x-unit" = "orders per user per day"))]
    pub orders_per_user_day: f64,
    /// Gamma shape of order rates across users.
    #[serde(default = "default_orders_shape")]
    #[schemars(extend("exclusiveMinimum" = 0, "x-unit" = "Gamma shape"))]
    pub orders_shape: f64,
    /// Mean value of an order, in `currency`: with it, the platform's
    /// orders give its gross merchandise value (GMV). Given for every
    /// platform or for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0, "x-unit" = "money per order"))]
    pub average_order_value: Option<f64>,
    /// The currency of `average_order_value`: an ISO 4217 code such as
    /// "CNY", the same for every platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]{3}$"))]
    pub currency: Option<String>,
}

fn default_open() -> f64 {
    0.5
}

fn default_orders_shape() -> f64 {
    1.0
}

/// `[simulation]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    /// Seed of every random stream (0 to 2^63 - 1).
    #[serde(default = "default_seed")]
    #[schemars(range(max = 9_223_372_036_854_775_807u64))]
    pub seed: u64,
    /// Length of the run in days.
    #[serde(default = "default_horizon")]
    #[schemars(range(min = 1, max = 36_500), extend("x-unit" = "days"))]
    pub horizon_days: u32,
    /// Days at the start left out of the statistics, or "auto": chosen
    /// after the run from the waits, utilisation and builds waiting (at
    /// least four times how long they stay correlated, and no earlier than
    /// MSER-5 finds the other half of the replications settled); their
    /// means are then pooled over the replications, with a bootstrap-t
    /// interval.
    #[serde(default)]
    #[schemars(extend("x-unit" = "days"))]
    pub warmup_days: crate::scenario::warmup::WarmupSpec,
    /// Replications run by default (`--replications` overrides).
    #[serde(default = "default_replications")]
    #[schemars(range(min = 1, max = 10_000_000))]
    pub replications: u64,
    /// The calendar date of day 0 (YYYY-MM-DD): daily files gain a `date`
    /// column, charts over days show dates, and changes may be dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<DateText>,
}

fn default_replications() -> u64 {
    100
}

fn default_seed() -> u64 {
    1
}

fn default_horizon() -> u32 {
    365
}

impl Default for RawSimulation {
    fn default() -> Self {
        RawSimulation {
            seed: default_seed(),
            horizon_days: default_horizon(),
            warmup_days: crate::scenario::warmup::WarmupSpec::Days(0),
            replications: default_replications(),
            start_date: None,
        }
    }
}

/// `[gatekeeper]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGatekeeper {
    /// Reviewers working in parallel.
    #[serde(default = "one")]
    #[schemars(range(min = 1), extend("x-unit" = "reviewers"))]
    pub reviewers: u32,
    /// `"fifo"` or `"priority"` (by class priority, smaller first).
    /// Expedited reviews go first under either, and among themselves in the
    /// order they joined the queue, whatever their class's priority.
    #[serde(default = "default_discipline")]
    #[schemars(extend("enum" = ["fifo", "priority"]))]
    pub discipline: String,
    /// The host's rule: one version per platform under review at a time.
    #[serde(default = "yes")]
    pub one_version_under_review: bool,
    /// When the pending build is in review, a newer build `"wait"`s for the
    /// decision or `"withdraw"`s it.
    #[serde(default = "default_in_review")]
    #[schemars(extend("enum" = ["wait", "withdraw"]))]
    pub when_in_review: String,
    /// Most withdrawals per platform per day (no cap when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-unit" = "withdrawals per platform per day"))]
    pub withdrawals_per_day: Option<u32>,
    /// Most withdrawals per platform per 30-day month (no cap when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-unit" = "withdrawals per platform per 30 days"))]
    pub withdrawals_per_month: Option<u32>,
    /// Expedited reviews (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expedite: Option<RawExpedite>,
    /// Review classes.
    #[schemars(length(min = 1))]
    pub classes: Vec<RawClass>,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

fn default_discipline() -> String {
    "fifo".into()
}

fn default_in_review() -> String {
    "wait".into()
}

/// `[gatekeeper.expedite]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpedite {
    /// Expedited reviews per platform per year.
    #[schemars(extend("x-unit" = "reviews per platform per year"))]
    pub per_platform_per_year: u32,
    /// Duration of an expedited review (hours).
    #[schemars(extend("x-unit" = "hours"))]
    pub review_hours: DistSpec,
}

/// `[[gatekeeper.classes]]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    /// Class name.
    pub name: String,
    /// Priority under the priority discipline (smaller first).
    #[serde(default)]
    pub priority: u32,
    /// Duration of a review (hours).
    #[schemars(extend("x-unit" = "hours"))]
    pub review_hours: DistSpec,
    /// Hold before review (days); `"never"` blocks.
    #[serde(default = "zero_spec")]
    #[schemars(extend("x-unit" = "days"))]
    pub hold_days: DistSpec,
    /// Probability a review ends in rejection (0 to 1).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1.0), extend("x-unit" = "probability"))]
    pub rejection_probability: f64,
}

fn zero_spec() -> DistSpec {
    DistSpec::Value(0.0)
}

/// `[[platforms]]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlatform {
    /// Platform name (unique).
    pub name: String,
    /// Review class at the start.
    pub class: String,
    /// Interval between builds (days); `"never"`: a single build.
    #[schemars(extend("x-unit" = "days"))]
    pub cadence_days: DistSpec,
    /// Time of the first build (days); defaults to a uniform draw over the
    /// first interval's mean, so platforms do not all build at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-unit" = "days"))]
    pub first_build_days: Option<DistSpec>,
    /// Time to fix and resubmit a rejected build (days).
    #[serde(default = "default_fix")]
    #[schemars(extend("x-unit" = "days"))]
    pub fix_days: DistSpec,
    /// Appeal value each build carries (appeal points).
    #[serde(default = "default_appeal")]
    #[schemars(extend("x-unit" = "appeal points"))]
    pub appeal_per_build: DistSpec,
    /// Defects found per day (Poisson rate).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 1e6), extend("x-unit" = "defects per day"))]
    pub defects_per_day: f64,
    /// Delay from approval to release (hours).
    #[serde(default = "zero_spec")]
    #[schemars(extend("x-unit" = "hours"))]
    pub release_delay_hours: DistSpec,
    /// Length of a phased release (days); 0 releases to everyone at once.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 365.0), extend("x-unit" = "days"))]
    pub phase_days: f64,
    /// Use of expedited reviews: `"never"`, `"resubmissions"` or `"all"`.
    #[serde(default = "default_expedite")]
    #[schemars(extend("enum" = ["never", "resubmissions", "all"]))]
    pub expedite: String,
    /// Age of the version users have at the start (days).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 36_500.0), extend("x-unit" = "days"))]
    pub initial_version_age_days: f64,
    /// The platform's users (needed when the scenario has `[users]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<RawPlatformUsers>,
}

fn default_fix() -> DistSpec {
    DistSpec::Table(DistTable::Exponential { mean: 1.0 })
}

fn default_appeal() -> DistSpec {
    DistSpec::Value(1.0)
}

fn default_expedite() -> String {
    "never".into()
}

/// `[[populations]]`
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    /// Population name (unique among platforms and populations); member i
    /// is written `name#i`.
    pub name: String,
    /// Members: independent platforms with these settings (all
    /// populations together at most 10,000,000).
    #[schemars(range(min = 1, max = 10_000_000), extend("x-unit" = "platforms"))]
    pub count: u64,
    /// Every member's review class at the start.
    pub class: String,
    /// Interval between a member's builds (days); `"never"`: a single build.
    #[schemars(extend("x-unit" = "days"))]
    pub cadence_days: DistSpec,
    /// Time of a member's first build (days); defaults to a uniform draw
    /// over the first interval's mean, so members do not all build at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-unit" = "days"))]
    pub first_build_days: Option<DistSpec>,
    /// Time to fix and resubmit a rejected build (days).
    #[serde(default = "default_fix")]
    #[schemars(extend("x-unit" = "days"))]
    pub fix_days: DistSpec,
    /// Delay from approval to release (hours).
    #[serde(default = "zero_spec")]
    #[schemars(extend("x-unit" = "hours"))]
    pub release_delay_hours: DistSpec,
    /// Length of a phased release (days); 0 releases to everyone at once.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 365.0), extend("x-unit" = "days"))]
    pub phase_days: f64,
    /// Use of expedited reviews: `"never"`, `"resubmissions"` or `"all"`.
    #[serde(default = "default_expedite")]
    #[schemars(extend("enum" = ["never", "resubmissions", "all"]))]
    pub expedite: String,
    /// Age of the version each member's users have at the start (days).
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 36_500.0), extend("x-unit" = "days"))]
    pub initial_version_age_days: f64,
    /// Members (0-based indices) whose daily series are written as a named
    /// platform's are, named `name#i` (at most 100 in a scenario; `gatesim
    /// run --member name#i` adds one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<u32>,
}

/// `[[changes]]`: `platform` and `class`, `population` and `class`,
/// `reviewers`, or `platform` and `base_utility` (a market event). A
/// change takes effect at the start of its day (whole days only), before
/// anything else happening at that instant, a first build cut then
/// included; the day's record in `timeseries.csv` is the state just before
/// it.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    /// The day at whose start it takes effect (a whole number of days
    /// since the start, or a date when `simulation.start_date` is given),
    /// before anything else happening at that instant.
    #[schemars(extend("x-unit" = "days since the start", "minimum" = 0, "multipleOf" = 1))]
    pub day: ChangeDay,
    /// The platform that changes class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The population whose members all change class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// Its new class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The gatekeeper's new number of reviewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1), extend("x-unit" = "reviewers"))]
    pub reviewers: Option<u32>,
    /// The platform's new choice utility (a market event, e.g. a subsidy war).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = -100.0, max = 100.0), extend("x-unit" = "utility"))]
    pub base_utility: Option<f64>,
}
