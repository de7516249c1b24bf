//! The catalogue of metrics: every headline and daily metric gatesim
//! reports, each defined once with its machine name (as written in files),
//! its unit, its label in tables and its chart title. Every table, CSV
//! header, JSON name and chart title derives from here, and the matches are
//! exhaustive, so adding a metric is one entry the compiler then asks to be
//! read (in `montecarlo`) and nothing else. [`Unit`] knows how to write its
//! values for a reader. Money metrics carry their [`Currency`] (the
//! scenario's), so that their unit is complete wherever it is written.

use crate::core::money::Currency;
use serde::{Serialize, Serializer};

/// The unit of a metric's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Users (count).
    Users,
    /// Users per day (count).
    UsersPerDay,
    /// Orders (count).
    Orders,
    /// Orders per day (count).
    OrdersPerDay,
    /// A change in percent of a starting value.
    PercentChange,
    /// A share from 0 to 1.
    Share,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// Releases (count).
    Releases,
    /// Rejections (count).
    Rejections,
    /// Submissions (count).
    Submissions,
    /// Open defects (count).
    Defects,
    /// Appeal points.
    AppealPoints,
    /// A multiplier (dimensionless).
    Multiplier,
    /// Reviewers (count).
    Reviewers,
    /// Builds since the start (count).
    BuildsCumulative,
    /// Submissions since the start (count).
    SubmissionsCumulative,
    /// Approvals since the start (count).
    ApprovalsCumulative,
    /// Rejections since the start (count).
    RejectionsCumulative,
    /// Supersessions since the start (count).
    SupersessionsCumulative,
    /// Releases since the start (count).
    ReleasesCumulative,
    /// Submissions per day (count).
    SubmissionsPerDay,
    /// Decisions per day (count).
    DecisionsPerDay,
    /// Rejections per day (count).
    RejectionsPerDay,
    /// Withdrawals per day (count).
    WithdrawalsPerDay,
    /// Releases per day (count).
    ReleasesPerDay,
    /// The Herfindahl-Hirschman index, 0 to 10,000.
    Hhi,
    /// Money, in a currency (named by its ISO 4217 code).
    Money(Currency),
    /// Money per day, in a currency.
    MoneyPerDay(Currency),
}

impl Unit {
    /// Every unit but money's (one per currency; [`Unit::named`] finds
    /// those too).
    pub const ALL: [Unit; 27] = [
        Unit::Users,
        Unit::UsersPerDay,
        Unit::Orders,
        Unit::OrdersPerDay,
        Unit::PercentChange,
        Unit::Share,
        Unit::Days,
        Unit::Hours,
        Unit::Releases,
        Unit::Rejections,
        Unit::Submissions,
        Unit::Defects,
        Unit::AppealPoints,
        Unit::Multiplier,
        Unit::Reviewers,
        Unit::BuildsCumulative,
        Unit::SubmissionsCumulative,
        Unit::ApprovalsCumulative,
        Unit::RejectionsCumulative,
        Unit::SupersessionsCumulative,
        Unit::ReleasesCumulative,
        Unit::SubmissionsPerDay,
        Unit::DecisionsPerDay,
        Unit::RejectionsPerDay,
        Unit::WithdrawalsPerDay,
        Unit::ReleasesPerDay,
        Unit::Hhi,
    ];

    /// The unit's name in files.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Users => "users",
            Unit::UsersPerDay => "users per day",
            Unit::Orders => "orders",
            Unit::OrdersPerDay => "orders per day",
            Unit::PercentChange => "percent",
            Unit::Share => "share",
            Unit::Days => "days",
            Unit::Hours => "hours",
            Unit::Releases => "releases",
            Unit::Rejections => "rejections",
            Unit::Submissions => "submissions",
            Unit::Defects => "defects",
            Unit::AppealPoints => "appeal points",
            Unit::Multiplier => "multiplier",
            Unit::Reviewers => "reviewers",
            Unit::BuildsCumulative => "builds, cumulative",
            Unit::SubmissionsCumulative => "submissions, cumulative",
            Unit::ApprovalsCumulative => "approvals, cumulative",
            Unit::RejectionsCumulative => "rejections, cumulative",
            Unit::SupersessionsCumulative => "supersessions, cumulative",
            Unit::ReleasesCumulative => "releases, cumulative",
            Unit::SubmissionsPerDay => "submissions per day",
            Unit::DecisionsPerDay => "decisions per day",
            Unit::RejectionsPerDay => "rejections per day",
            Unit::WithdrawalsPerDay => "withdrawals per day",
            Unit::ReleasesPerDay => "releases per day",
            Unit::Hhi => "HHI (0 to 10,000)",
            Unit::Money(c) => c.code(),
            Unit::MoneyPerDay(c) => c.per_day(),
        }
    }

    /// The unit named `name` (as [`Unit::name`] writes it).
    pub fn named(name: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.name() == name).or_else(|| {
            Currency::of_unit_name(name).map(|(c, per_day)| if per_day { Unit::MoneyPerDay(c) } else { Unit::Money(c) })
        })
    }

    /// The currency of a money unit.
    pub fn currency(self) -> Option<Currency> {
        match self {
            Unit::Money(c) | Unit::MoneyPerDay(c) => Some(c),
            _ => None,
        }
    }

    /// The unit of a difference of two values of this unit: percentage
    /// points for shares and percentages, else the unit itself.
    pub fn difference_name(self) -> &'static str {
        if self.is_percentage() {
            "percentage points"
        } else if self == Unit::Hhi {
            "HHI points"
        } else {
            self.name()
        }
    }

    /// What a difference of two values of this unit is multiplied by to
    /// be in [`Unit::difference_name`]'s unit: 100 for shares (0 to 1),
    /// else 1.
    pub fn difference_scale(self) -> f64 {
        if self == Unit::Share { 100.0 } else { 1.0 }
    }

    /// Whether values are written as percentages.
    pub fn is_percentage(self) -> bool {
        matches!(self, Unit::Share | Unit::PercentChange)
    }

    /// What charts write after a value of this unit in a legend.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Days => " d",
            _ => "",
        }
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Every metric gatesim reports: headline metrics (one value per
/// replication, over the statistics window) and daily series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    // Headline metrics of a platform's users.
    /// Active users at the horizon.
    ActiveUsersEnd,
    /// Change of active users over the window.
    ActiveUsersChangePct,
    /// Orders over the window.
    OrdersTotal,
    /// Gross merchandise value over the window: orders times the average
    /// order value (a platform's, or the market's sum).
    GmvTotal(Currency),
    /// Mean daily active users over the window.
    MeanDau,
    /// Share of acquired users still active 30 days later.
    D30Retention,
    /// Share of the platforms' active users at the horizon.
    MarketShareEnd,
    // Headline metrics of the market.
    /// HHI of the platforms' active users at the horizon.
    HhiActiveUsersEnd,
    /// HHI of the platforms' orders over the window.
    HhiOrders,
    // Headline metrics of a platform's pipeline.
    /// Mean of the daily staleness over the window.
    MeanStalenessDays,
    /// Releases over builds cut.
    ShareOfBuildsReleased,
    /// Releases started in the window.
    Releases,
    /// Rejections in the window.
    Rejections,
    /// Mean time from submission to decision.
    DecisionHoursMean,
    /// 95th percentile of the time from submission to decision.
    DecisionHoursP95,
    /// Share of decisions within 24 hours of their submission.
    DecidedWithin24h,
    /// Share of decisions within 7 days of their submission.
    DecidedWithin7d,
    /// Submissions in the window (resubmissions included).
    Submissions,
    // Headline metrics of the gatekeeper.
    /// Share of reviewer time spent reviewing.
    Utilisation,
    /// Time-average number waiting for a reviewer.
    MeanWaiting,
    /// Mean wait for a reviewer, withdrawn submissions included.
    QueueWaitHoursMean,
    /// 95th percentile of the wait for a reviewer, withdrawn included.
    QueueWaitHoursP95,
    /// Mean wait for a reviewer of the submissions reviewed.
    ReviewedWaitHoursMean,
    // Daily series of a platform's pipeline.
    /// Age of the version users run, averaged over users.
    StalenessDays,
    /// Defects found and not fixed by a release.
    OpenDefects,
    /// Share of users on the newest release.
    ShareOnLatest,
    /// Builds cut since the start.
    BuildsCumulative,
    /// Submissions since the start.
    SubmissionsCumulative,
    /// Approvals since the start.
    ApprovalsCumulative,
    /// Rejections since the start.
    RejectionsCumulative,
    /// Supersessions since the start.
    SupersessionsCumulative,
    /// Releases since the start.
    ReleasesCumulative,
    // Daily series of a population, over its members.
    /// Submissions that day.
    DailySubmissions,
    /// Decisions that day.
    DailyDecisions,
    /// Rejections that day.
    DailyRejections,
    /// Withdrawals that day.
    DailyWithdrawals,
    /// Releases started that day.
    DailyReleases,
    /// Builds at the gatekeeper (held, queued or in review).
    BuildsWaiting,
    /// Mean over members of the age of the version their users run.
    StalenessMean,
    /// Its median over members.
    StalenessP50,
    /// Its 95th percentile over members.
    StalenessP95,
    // Daily series of a platform's users.
    /// Active users.
    ActiveUsers,
    /// Daily active users.
    Dau,
    /// Users acquired that day.
    NewUsers,
    /// Users lost that day.
    ChurnedUsers,
    /// Users won from rivals that day.
    SwitchedIn,
    /// Former users won by rivals that day.
    SwitchedOut,
    /// Orders that day.
    Orders,
    /// Gross merchandise value that day: orders times the average order value.
    Gmv(Currency),
    /// The platform's appeal.
    Appeal,
    /// The churn multiplier applied that day.
    ChurnMultiplier,
    /// Share of that day's adopters choosing the platform.
    ChoiceShare,
    // Daily series of the market.
    /// Users of no platform.
    Pool,
    /// HHI of the platforms' active users that day.
    HhiActiveUsers,
    // Daily series of the gatekeeper.
    /// Submissions waiting for a reviewer.
    Waiting,
    /// Submissions in review.
    InReview,
    /// Submissions held before review.
    Held,
    /// Reviewers employed.
    Reviewers,
    /// Share of the reviewers' time spent reviewing that day.
    UtilisationDaily,
}

impl Metric {
    /// Headline metrics of each platform's users, in report order.
    pub const USER_HEADLINES: [Metric; 6] = [
        Metric::ActiveUsersEnd,
        Metric::MarketShareEnd,
        Metric::ActiveUsersChangePct,
        Metric::OrdersTotal,
        Metric::MeanDau,
        Metric::D30Retention,
    ];
    /// Headline metrics of each platform's pipeline, in report order.
    pub const PIPELINE_HEADLINES: [Metric; 8] = [
        Metric::MeanStalenessDays,
        Metric::ShareOfBuildsReleased,
        Metric::Releases,
        Metric::Rejections,
        Metric::DecisionHoursMean,
        Metric::DecisionHoursP95,
        Metric::DecidedWithin24h,
        Metric::DecidedWithin7d,
    ];
    /// Headline metrics of each population, over its members, in report order.
    pub const POPULATION_HEADLINES: [Metric; 9] = [
        Metric::Submissions,
        Metric::Releases,
        Metric::Rejections,
        Metric::ShareOfBuildsReleased,
        Metric::MeanStalenessDays,
        Metric::DecisionHoursMean,
        Metric::DecisionHoursP95,
        Metric::DecidedWithin24h,
        Metric::DecidedWithin7d,
    ];
    /// Headline metrics of the gatekeeper, in report order.
    pub const GATE_HEADLINES: [Metric; 7] = [
        Metric::Utilisation,
        Metric::MeanWaiting,
        Metric::QueueWaitHoursMean,
        Metric::QueueWaitHoursP95,
        Metric::ReviewedWaitHoursMean,
        Metric::DecidedWithin24h,
        Metric::DecidedWithin7d,
    ];
    /// Daily series of each platform's pipeline.
    pub const PIPELINE_SERIES: [Metric; 9] = [
        Metric::StalenessDays,
        Metric::OpenDefects,
        Metric::ShareOnLatest,
        Metric::BuildsCumulative,
        Metric::SubmissionsCumulative,
        Metric::ApprovalsCumulative,
        Metric::RejectionsCumulative,
        Metric::SupersessionsCumulative,
        Metric::ReleasesCumulative,
    ];
    /// Daily series of each platform's users.
    pub const USER_SERIES: [Metric; 10] = [
        Metric::ActiveUsers,
        Metric::Dau,
        Metric::NewUsers,
        Metric::ChurnedUsers,
        Metric::SwitchedIn,
        Metric::SwitchedOut,
        Metric::Orders,
        Metric::Appeal,
        Metric::ChurnMultiplier,
        Metric::ChoiceShare,
    ];
    /// Daily series of each population.
    pub const POPULATION_SERIES: [Metric; 9] = [
        Metric::DailySubmissions,
        Metric::DailyDecisions,
        Metric::DailyRejections,
        Metric::DailyWithdrawals,
        Metric::DailyReleases,
        Metric::BuildsWaiting,
        Metric::StalenessMean,
        Metric::StalenessP50,
        Metric::StalenessP95,
    ];
    /// Headline metrics of the market (with users), in report order.
    pub const MARKET_HEADLINES: [Metric; 2] = [Metric::HhiActiveUsersEnd, Metric::HhiOrders];
    /// Daily series of the market.
    pub const MARKET_SERIES: [Metric; 2] = [Metric::Pool, Metric::HhiActiveUsers];
    /// Daily series of the gatekeeper.
    pub const GATE_SERIES: [Metric; 4] = [Metric::Waiting, Metric::InReview, Metric::Held, Metric::Reviewers];
    /// Daily series of the gatekeeper kept when the scenario has populations.
    pub const GATE_POPULATION_SERIES: [Metric; 1] = [Metric::UtilisationDaily];

    /// Headline metrics of each platform's users, in report order, with
    /// the gross merchandise value beside the orders when the scenario
    /// gives average order values in `money`.
    pub fn user_headlines(money: Option<Currency>) -> Vec<Metric> {
        with_money(
            &Metric::USER_HEADLINES,
            Metric::OrdersTotal,
            money.map(Metric::GmvTotal),
        )
    }

    /// Daily series of each platform's users, with the gross merchandise
    /// value beside the orders when the scenario gives average order
    /// values in `money`.
    pub fn user_series(money: Option<Currency>) -> Vec<Metric> {
        with_money(&Metric::USER_SERIES, Metric::Orders, money.map(Metric::Gmv))
    }

    /// Headline metrics of the market, with its gross merchandise value
    /// when the scenario gives average order values in `money`.
    pub fn market_headlines(money: Option<Currency>) -> Vec<Metric> {
        Metric::MARKET_HEADLINES
            .into_iter()
            .chain(money.map(Metric::GmvTotal))
            .collect()
    }

    /// `list` with the GMV over the run right after the orders over the
    /// run, when there is money in `money` (the tables that pick a few
    /// headlines).
    pub fn with_gmv(list: &[Metric], money: Option<Currency>) -> Vec<Metric> {
        with_money(list, Metric::OrdersTotal, money.map(Metric::GmvTotal))
    }

    /// Every headline metric but money's, in report order.
    pub fn headlines() -> impl Iterator<Item = Metric> {
        let mut all: Vec<Metric> = Metric::USER_HEADLINES
            .into_iter()
            .chain(Metric::PIPELINE_HEADLINES)
            .chain([Metric::Submissions])
            .chain(Metric::MARKET_HEADLINES)
            .collect();
        // The gatekeeper's shares within a day and a week are also a platform's.
        for m in Metric::GATE_HEADLINES {
            if !all.contains(&m) {
                all.push(m);
            }
        }
        all.into_iter()
    }

    /// The headline metric named `name` in files, if there is one.
    pub fn headline_named(name: &str) -> Option<Metric> {
        Metric::headlines().find(|m| m.name() == name)
    }

    /// The label of the headline metric named `name` in files, money's
    /// included (whose label does not depend on the currency).
    pub fn headline_label(name: &str) -> Option<&'static str> {
        let money = Currency::parse("XXX").ok().map(Metric::GmvTotal);
        Metric::headline_named(name)
            .or_else(|| money.filter(|m| m.name() == name))
            .map(Metric::label)
    }

    /// The metric's name in files (a headline and a daily series may share one).
    pub fn name(self) -> &'static str {
        match self {
            Metric::ActiveUsersEnd => "active_users_end",
            Metric::ActiveUsersChangePct => "active_users_change_pct",
            Metric::OrdersTotal => "orders_total",
            Metric::GmvTotal(_) => "gmv_total",
            Metric::MeanDau => "mean_dau",
            Metric::D30Retention => "d30_retention",
            Metric::MarketShareEnd => "market_share_end",
            Metric::HhiActiveUsersEnd => "hhi_active_users_end",
            Metric::HhiOrders => "hhi_orders",
            Metric::HhiActiveUsers => "hhi_active_users",
            Metric::MeanStalenessDays => "mean_staleness_days",
            Metric::ShareOfBuildsReleased => "share_of_builds_released",
            Metric::Releases | Metric::ReleasesCumulative => "releases",
            Metric::Rejections | Metric::RejectionsCumulative => "rejections",
            Metric::DecisionHoursMean => "decision_hours_mean",
            Metric::DecisionHoursP95 => "decision_hours_p95",
            Metric::DecidedWithin24h => "decided_within_24h",
            Metric::DecidedWithin7d => "decided_within_7d",
            Metric::Submissions => "submissions",
            Metric::Utilisation => "utilisation",
            Metric::MeanWaiting => "mean_waiting",
            Metric::QueueWaitHoursMean => "queue_wait_hours_mean",
            Metric::QueueWaitHoursP95 => "queue_wait_hours_p95",
            Metric::ReviewedWaitHoursMean => "reviewed_wait_hours_mean",
            Metric::StalenessDays => "staleness_days",
            Metric::OpenDefects => "open_defects",
            Metric::ShareOnLatest => "share_on_latest",
            Metric::BuildsCumulative => "builds",
            Metric::SubmissionsCumulative => "submissions",
            Metric::ApprovalsCumulative => "approvals",
            Metric::SupersessionsCumulative => "supersessions",
            Metric::ActiveUsers => "active_users",
            Metric::Dau => "dau",
            Metric::NewUsers => "new_users",
            Metric::ChurnedUsers => "churned_users",
            Metric::SwitchedIn => "switched_in",
            Metric::SwitchedOut => "switched_out",
            Metric::Orders => "orders",
            Metric::Gmv(_) => "gmv",
            Metric::Appeal => "appeal",
            Metric::ChurnMultiplier => "churn_multiplier",
            Metric::ChoiceShare => "choice_share",
            Metric::Pool => "pool",
            Metric::Waiting => "waiting",
            Metric::InReview => "in_review",
            Metric::Held => "held",
            Metric::Reviewers => "reviewers",
            Metric::UtilisationDaily => "utilisation",
            Metric::DailySubmissions => "daily_submissions",
            Metric::DailyDecisions => "daily_decisions",
            Metric::DailyRejections => "daily_rejections",
            Metric::DailyWithdrawals => "daily_withdrawals",
            Metric::DailyReleases => "daily_releases",
            Metric::BuildsWaiting => "builds_waiting",
            Metric::StalenessMean => "staleness_mean_days",
            Metric::StalenessP50 => "staleness_p50_days",
            Metric::StalenessP95 => "staleness_p95_days",
        }
    }

    /// The unit of its values.
    pub fn unit(self) -> Unit {
        match self {
            Metric::ActiveUsersEnd | Metric::MeanDau | Metric::ActiveUsers | Metric::Dau | Metric::Pool => Unit::Users,
            Metric::NewUsers | Metric::ChurnedUsers | Metric::SwitchedIn | Metric::SwitchedOut => Unit::UsersPerDay,
            Metric::OrdersTotal => Unit::Orders,
            Metric::Orders => Unit::OrdersPerDay,
            Metric::GmvTotal(c) => Unit::Money(c),
            Metric::Gmv(c) => Unit::MoneyPerDay(c),
            Metric::ActiveUsersChangePct => Unit::PercentChange,
            Metric::HhiActiveUsersEnd | Metric::HhiOrders | Metric::HhiActiveUsers => Unit::Hhi,
            Metric::D30Retention
            | Metric::MarketShareEnd
            | Metric::ShareOfBuildsReleased
            | Metric::Utilisation
            | Metric::UtilisationDaily
            | Metric::DecidedWithin24h
            | Metric::DecidedWithin7d
            | Metric::ShareOnLatest
            | Metric::ChoiceShare => Unit::Share,
            Metric::MeanStalenessDays
            | Metric::StalenessDays
            | Metric::StalenessMean
            | Metric::StalenessP50
            | Metric::StalenessP95 => Unit::Days,
            Metric::Submissions => Unit::Submissions,
            Metric::DailySubmissions => Unit::SubmissionsPerDay,
            Metric::DailyDecisions => Unit::DecisionsPerDay,
            Metric::DailyRejections => Unit::RejectionsPerDay,
            Metric::DailyWithdrawals => Unit::WithdrawalsPerDay,
            Metric::DailyReleases => Unit::ReleasesPerDay,
            Metric::DecisionHoursMean
            | Metric::DecisionHoursP95
            | Metric::QueueWaitHoursMean
            | Metric::QueueWaitHoursP95
            | Metric::ReviewedWaitHoursMean => Unit::Hours,
            Metric::Releases => Unit::Releases,
            Metric::Rejections => Unit::Rejections,
            Metric::MeanWaiting | Metric::Waiting | Metric::InReview | Metric::Held | Metric::BuildsWaiting => {
                Unit::Submissions
            }
            Metric::OpenDefects => Unit::Defects,
            Metric::Appeal => Unit::AppealPoints,
            Metric::ChurnMultiplier => Unit::Multiplier,
            Metric::Reviewers => Unit::Reviewers,
            Metric::BuildsCumulative => Unit::BuildsCumulative,
            Metric::SubmissionsCumulative => Unit::SubmissionsCumulative,
            Metric::ApprovalsCumulative => Unit::ApprovalsCumulative,
            Metric::RejectionsCumulative => Unit::RejectionsCumulative,
            Metric::SupersessionsCumulative => Unit::SupersessionsCumulative,
            Metric::ReleasesCumulative => Unit::ReleasesCumulative,
        }
    }

    /// The label in tables, legends and panel titles.
    pub fn label(self) -> &'static str {
        match self {
            Metric::ActiveUsersEnd => "Active users at the end",
            Metric::ActiveUsersChangePct => "Change in active users",
            Metric::OrdersTotal => "Orders over the run",
            Metric::GmvTotal(_) => "GMV over the run",
            Metric::MeanDau => "Mean daily active users",
            Metric::D30Retention => "D30 retention of new users",
            Metric::MarketShareEnd => "Market share at the end",
            Metric::HhiActiveUsersEnd => "HHI of active users at the end",
            Metric::HhiOrders => "HHI of orders over the run",
            Metric::HhiActiveUsers => "Concentration of active users (HHI)",
            Metric::MeanStalenessDays => "Mean staleness",
            Metric::ShareOfBuildsReleased => "Builds released",
            Metric::Releases => "Releases",
            Metric::Rejections => "Rejections",
            Metric::DecisionHoursMean => "Submission to decision, mean",
            Metric::DecisionHoursP95 => "Submission to decision, 95th percentile",
            Metric::DecidedWithin24h => "Decided within 24 hours",
            Metric::DecidedWithin7d => "Decided within 7 days",
            Metric::Submissions => "Submissions",
            Metric::Utilisation => "Reviewer utilisation",
            Metric::MeanWaiting => "Mean submissions waiting",
            Metric::QueueWaitHoursMean => "Wait for a reviewer, mean (withdrawn included)",
            Metric::QueueWaitHoursP95 => "Wait for a reviewer, 95th percentile",
            Metric::ReviewedWaitHoursMean => "Wait for a reviewer, reviewed submissions, mean",
            Metric::StalenessDays => "Age of the version users run",
            Metric::OpenDefects => "Open defects",
            Metric::ShareOnLatest => "Users on the newest release",
            Metric::BuildsCumulative => "Builds cut",
            Metric::SubmissionsCumulative => "Submissions",
            Metric::ApprovalsCumulative => "Approvals",
            Metric::RejectionsCumulative => "Rejections",
            Metric::SupersessionsCumulative => "Supersessions",
            Metric::ReleasesCumulative => "Releases",
            Metric::ActiveUsers => "Active users",
            Metric::Dau => "Daily active users",
            Metric::NewUsers => "New users",
            Metric::ChurnedUsers => "Users lost",
            Metric::SwitchedIn => "Users won from rivals",
            Metric::SwitchedOut => "Users lost to rivals",
            Metric::Orders => "Orders per day",
            Metric::Gmv(_) => "GMV per day",
            Metric::Appeal => "Appeal",
            Metric::ChurnMultiplier => "Churn multiplier",
            Metric::ChoiceShare => "Share of adopters",
            Metric::Pool => "Households using no platform",
            Metric::Waiting => "Waiting for a reviewer",
            Metric::InReview => "In review",
            Metric::Held => "Held before review",
            Metric::Reviewers => "Reviewers",
            Metric::UtilisationDaily => "Reviewer utilisation",
            Metric::DailySubmissions => "Submissions per day",
            Metric::DailyDecisions => "Decisions per day",
            Metric::DailyRejections => "Rejections per day",
            Metric::DailyWithdrawals => "Withdrawals per day",
            Metric::DailyReleases => "Releases per day",
            Metric::BuildsWaiting => "Builds at the gatekeeper",
            Metric::StalenessMean => "Age of the version users run, mean over members",
            Metric::StalenessP50 => "Age of the version users run, median over members",
            Metric::StalenessP95 => "Age of the version users run, 95th percentile over members",
        }
    }

    /// The title of a chart of the metric alone.
    pub fn title(self) -> &'static str {
        match self {
            Metric::ActiveUsersEnd => "Active users at the end of the run",
            Metric::MeanStalenessDays => "Mean staleness of the version users run",
            m => m.label(),
        }
    }

    /// The title of an axis carrying the metric: its label, with the unit
    /// where the label does not say it.
    pub fn axis_title(self) -> String {
        match self.unit() {
            Unit::Days | Unit::Hours => format!("{} ({})", self.label(), self.unit().name()),
            Unit::Money(c) | Unit::MoneyPerDay(c) => format!("{} ({c})", self.label()),
            _ => self.label().to_string(),
        }
    }

    /// Whether `--precision` must reach its target on this headline metric.
    pub fn precision_target(self) -> bool {
        matches!(
            self,
            Metric::ActiveUsersEnd | Metric::OrdersTotal | Metric::MeanDau | Metric::MeanStalenessDays
        )
    }

    /// Whether its daily values are whole counts (else real numbers).
    pub fn is_count(self) -> bool {
        !matches!(
            self,
            Metric::StalenessDays
                | Metric::StalenessMean
                | Metric::StalenessP50
                | Metric::StalenessP95
                | Metric::UtilisationDaily
                | Metric::ShareOnLatest
                | Metric::Appeal
                | Metric::ChurnMultiplier
                | Metric::ChoiceShare
                | Metric::HhiActiveUsers
                | Metric::Gmv(_)
        )
    }
}

/// `list` with `extra` (if any) right after `after`.
fn with_money(list: &[Metric], after: Metric, extra: Option<Metric>) -> Vec<Metric> {
    let mut out = Vec::with_capacity(list.len() + 1);
    for &m in list {
        out.push(m);
        if m == after {
            out.extend(extra);
        }
    }
    out
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_names_are_unique_and_so_are_series_names() {
        let all_headlines = [
            &Metric::USER_HEADLINES[..],
            &Metric::PIPELINE_HEADLINES[..],
            &[Metric::Submissions][..],
        ]
        .concat();
        let all_series = [
            &Metric::PIPELINE_SERIES[..],
            &Metric::USER_SERIES[..],
            &Metric::MARKET_SERIES[..],
            &Metric::GATE_SERIES[..],
            &Metric::GATE_POPULATION_SERIES[..],
        ]
        .concat();
        let population = [&Metric::POPULATION_HEADLINES[..], &Metric::POPULATION_SERIES[..]].concat();
        for list in [
            &all_headlines,
            &all_series,
            &population,
            &Metric::GATE_HEADLINES.to_vec(),
        ] {
            let mut names: Vec<&str> = list.iter().map(|m| m.name()).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            assert_eq!(names.len(), n, "duplicate names in {list:?}");
        }
    }

    #[test]
    fn every_metric_s_unit_is_found_again_by_its_name() {
        let every = [
            &Metric::USER_HEADLINES[..],
            &Metric::PIPELINE_HEADLINES[..],
            &Metric::POPULATION_HEADLINES[..],
            &Metric::GATE_HEADLINES[..],
            &Metric::MARKET_HEADLINES[..],
            &Metric::PIPELINE_SERIES[..],
            &Metric::USER_SERIES[..],
            &Metric::POPULATION_SERIES[..],
            &Metric::MARKET_SERIES[..],
            &Metric::GATE_SERIES[..],
            &Metric::GATE_POPULATION_SERIES[..],
        ]
        .concat();
        for m in every {
            assert_eq!(Unit::named(m.unit().name()), Some(m.unit()), "{}", m.name());
        }
        let mut names: Vec<&str> = Unit::ALL.iter().map(|u| u.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Unit::ALL.len());
    }

    #[test]
    fn money_metrics_carry_their_currency_into_their_unit_and_sit_beside_orders() {
        let cny = Currency::parse("CNY").unwrap();
        let gmv = Metric::GmvTotal(cny);
        assert_eq!(gmv.name(), "gmv_total");
        assert_eq!(gmv.unit().name(), "CNY");
        assert_eq!(gmv.unit().difference_name(), "CNY");
        assert!(!gmv.unit().is_percentage());
        assert_eq!(Unit::named("CNY"), Some(Unit::Money(cny)));
        assert_eq!(Metric::Gmv(cny).unit().name(), "CNY per day");
        assert_eq!(Unit::named("CNY per day"), Some(Unit::MoneyPerDay(cny)));
        assert_eq!(Metric::Gmv(cny).axis_title(), "GMV per day (CNY)");
        assert!(!Metric::Gmv(cny).is_count());
        assert_eq!(Metric::headline_label("gmv_total"), Some("GMV over the run"));
        assert_eq!(Metric::headline_label("orders_total"), Some("Orders over the run"));
        let names = |v: Vec<Metric>| v.iter().map(|m| m.name()).collect::<Vec<_>>().join(" ");
        assert_eq!(
            names(Metric::user_headlines(Some(cny))),
            "active_users_end market_share_end active_users_change_pct orders_total gmv_total mean_dau d30_retention"
        );
        assert_eq!(Metric::user_headlines(None), Metric::USER_HEADLINES.to_vec());
        assert_eq!(Metric::user_series(None), Metric::USER_SERIES.to_vec());
        assert!(names(Metric::user_series(Some(cny))).contains("orders gmv appeal"));
        assert_eq!(
            names(Metric::market_headlines(Some(cny))),
            "hhi_active_users_end hhi_orders gmv_total"
        );
    }

    #[test]
    fn only_shares_and_changes_are_percentages() {
        assert!(Metric::D30Retention.unit().is_percentage());
        assert!(Metric::ActiveUsersChangePct.unit().is_percentage());
        assert!(!Metric::MeanDau.unit().is_percentage());
        assert_eq!(Metric::MeanStalenessDays.axis_title(), "Mean staleness (days)");
        assert_eq!(Metric::ActiveUsersEnd.axis_title(), "Active users at the end");
    }
}
