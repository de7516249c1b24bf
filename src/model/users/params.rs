//! Validated parameters of the user model: the market (its size, how pool
//! members adopt a platform, how experience moves churn, engagement and
//! choice) and each platform's users (churn heterogeneity, activity).

/// How users are represented.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// Users grouped by platform and acquisition day; exact in distribution,
    /// cost independent of the market size.
    Aggregate,
    /// As `Aggregate`, with one churn draw per cohort shared out among its
    /// groups (see the `users::cohort_draw` module) and old groups merged
    /// once their posteriors lie within a factor 1 + `tolerance` (see the
    /// `users::group` module): cost growing with the logarithm of the
    /// horizon per day, not with the horizon.
    Merged {
        /// Largest relative spread of the posteriors' b in a merged group.
        tolerance: f64,
    },
    /// Every user an individual; for validation and small markets.
    Agents,
}

/// How experience moves churn, engagement and choice. Every coefficient is
/// a scenario parameter; 0 switches its effect off.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivities {
    /// Staleness below this many days has no effect (days).
    pub staleness_grace_days: f64,
    /// Log churn multiplier per day of staleness beyond the grace (per day).
    pub churn_per_stale_day: f64,
    /// Log churn multiplier per open defect (per defect).
    pub churn_per_open_defect: f64,
    /// Log churn multiplier per appeal point the best rival has over the
    /// platform (per appeal point; negative gaps lower churn).
    pub churn_per_appeal_gap: f64,
    /// Engagement elasticity: DAU and orders are scaled by exp(-e L) when the
    /// log churn multiplier L is positive (dimensionless).
    pub engagement_elasticity: f64,
    /// Choice utility per appeal point (per appeal point).
    pub choice_per_appeal: f64,
    /// Choice utility lost per open defect (per defect).
    pub choice_per_open_defect: f64,
    /// Choice utility lost per day of staleness beyond the grace (per day).
    pub choice_per_stale_day: f64,
    /// Half-life of a released feature's appeal (days).
    pub appeal_half_life_days: f64,
}

impl Sensitivities {
    /// Whether nothing moves churn: every churn coefficient is zero, so a
    /// cohort's survival is the shifted-beta-geometric closed form.
    pub fn churn_effects_off(&self) -> bool {
        self.churn_per_stale_day == 0.0 && self.churn_per_open_defect == 0.0 && self.churn_per_appeal_gap == 0.0
    }
}

/// One platform's users.
#[derive(Clone, Debug, PartialEq)]
pub struct PlatformUsers {
    /// Users of the platform at the start (count).
    pub initial_users: u64,
    /// Days the initial users have already been users, with unit churn
    /// multiplier: their churn propensities are those of survivors of that
    /// tenure (days).
    pub initial_tenure_days: f64,
    /// Shape alpha of the Beta distribution of daily churn propensity.
    pub churn_alpha: f64,
    /// Shape beta of the Beta distribution of daily churn propensity.
    pub churn_beta: f64,
    /// Appeal of the platform before any release (appeal points).
    pub base_appeal: f64,
    /// Choice utility of the platform before experience (brand, prices).
    pub base_utility: f64,
    /// Probability an active user opens the app on a given day.
    pub open_probability: f64,
    /// Mean orders per active user per day (orders per user per day).
    pub orders_per_user_day: f64,
    /// Gamma shape of the orders rate across users (smaller: more dispersed).
    pub orders_shape: f64,
    /// Mean value of an order, in the market's currency (money per order),
    /// if the scenario gives it.
    pub average_order_value: Option<f64>,
}

/// The market and its users.
#[derive(Clone, Debug, PartialEq)]
pub struct MarketParams {
    /// Representation.
    pub mode: Mode,
    /// Potential users (households) in the market (count).
    pub potential_users: u64,
    /// Probability a pool member adopts some platform on a given day.
    pub adoption_per_day: f64,
    /// Days a churned user stays out of the market before it can adopt again.
    pub cooloff_days: u32,
    /// How experience moves behaviour.
    pub sensitivities: Sensitivities,
    /// Per platform, in scenario order.
    pub platforms: Vec<PlatformUsers>,
    /// The currency of the platforms' average order values, when they give
    /// them (then every platform does).
    pub currency: Option<crate::core::money::Currency>,
    /// Dated market events, in the order they take effect.
    pub events: Vec<MarketEvent>,
}

/// A market event: from day `day` on (the first whole day at or after it,
/// applied before that day is lived), platform `platform`'s choice utility
/// is `base_utility` (e.g. a rival's subsidy war).
#[derive(Clone, Debug, PartialEq)]
pub struct MarketEvent {
    /// When it takes effect, in days since the start (fractions allowed).
    pub day: f64,
    /// Index of the platform.
    pub platform: usize,
    /// Its new base utility.
    pub base_utility: f64,
}

/// Bytes of memory one user takes in agent mode.
pub(crate) const AGENT_BYTES: u64 = 48;
