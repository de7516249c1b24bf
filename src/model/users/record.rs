//! Bookkeeping shared by both representations of users: the daily rows per
//! platform, the flows between platforms, and the survival of acquisition
//! cohorts; and the result structs they become. Every field says its unit.

use serde::Serialize;

/// One platform's users on one day (after that day's churn and adoption).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UserDay {
    /// Day number (days since the start).
    pub day: u64,
    /// Active users (count).
    pub active: u64,
    /// Daily active users: active users who opened the app (count).
    pub dau: u64,
    /// Users acquired that day, returning and switching users included (count).
    pub new_users: u64,
    /// Users lost that day (count).
    pub churned: u64,
    /// Users acquired that day who last used a rival (count).
    pub switched_in: u64,
    /// Former users of this platform acquired by a rival that day (count).
    pub switched_out: u64,
    /// Orders placed that day (count).
    pub orders: u64,
    /// Appeal of the platform (appeal points).
    pub appeal: f64,
    /// Churn multiplier m applied that day (dimensionless).
    pub churn_multiplier: f64,
    /// Share of that day's adopters choosing the platform (0 to 1).
    pub choice_share: f64,
}

impl UserDay {
    /// One row per platform for `day`, with the day's conditions and every count at zero.
    pub fn blank_rows(day: u64, cond: &[super::Conditions]) -> Vec<UserDay> {
        cond.iter()
            .map(|c| UserDay {
                day,
                appeal: c.appeal,
                churn_multiplier: c.multiplier,
                choice_share: c.choice_share,
                ..UserDay::default()
            })
            .collect()
    }
}

/// Ages (days since acquisition) recorded every day, up to this one (13
/// weeks); beyond it, cohorts are recorded every 7 days (98, 105, ...) up
/// to [`WEEKLY_AGES`], then every 28 days.
pub(crate) const DAILY_AGES: u64 = 91;
/// The last age recorded weekly (52 weeks).
pub(crate) const WEEKLY_AGES: u64 = 364;
/// Users acquired on days 1 to this one form weekly cohorts (52 weeks);
/// later acquisitions form cohorts of [`LATE_COHORT_DAYS`] days.
pub(crate) const WEEKLY_COHORT_DAYS: u64 = 364;
/// Length of a cohort after the first 52 weeks (4 weeks).
pub(crate) const LATE_COHORT_DAYS: u64 = 28;

/// Slot of the last weekly age.
const WEEKLY_SLOT: u64 = DAILY_AGES + (WEEKLY_AGES - DAILY_AGES) / 7;

/// The slot of a recorded age, `None` for an age not recorded.
pub(crate) fn slot_of_age(age: u64) -> Option<usize> {
    let slot = if age <= DAILY_AGES {
        age
    } else if age <= WEEKLY_AGES {
        if !(age - DAILY_AGES).is_multiple_of(7) {
            return None;
        }
        DAILY_AGES + (age - DAILY_AGES) / 7
    } else {
        if !(age - WEEKLY_AGES).is_multiple_of(28) {
            return None;
        }
        WEEKLY_SLOT + (age - WEEKLY_AGES) / 28
    };
    Some(slot as usize)
}

/// The age recorded in `slot`.
pub(crate) fn age_of_slot(slot: usize) -> u64 {
    let s = slot as u64;
    if s <= DAILY_AGES {
        s
    } else if s <= WEEKLY_SLOT {
        DAILY_AGES + 7 * (s - DAILY_AGES)
    } else {
        WEEKLY_AGES + 28 * (s - WEEKLY_SLOT)
    }
}

/// The first slot whose age is `age` or more: a user lost at `age` is
/// missing from that slot on.
fn loss_slot(age: u64) -> usize {
    let slot = if age <= DAILY_AGES {
        age
    } else if age <= WEEKLY_AGES {
        DAILY_AGES + (age - DAILY_AGES).div_ceil(7)
    } else {
        WEEKLY_SLOT + (age - WEEKLY_AGES).div_ceil(28)
    };
    slot as usize
}

/// Number of recorded ages up to `max_age` included.
pub(crate) fn slots_upto(max_age: u64) -> usize {
    let last = if max_age <= DAILY_AGES {
        max_age
    } else if max_age <= WEEKLY_AGES {
        DAILY_AGES + (max_age - DAILY_AGES) / 7
    } else {
        WEEKLY_SLOT + (max_age - WEEKLY_AGES) / 28
    };
    last as usize + 1
}

/// The cohort of users acquired on `day` (0: the initial users).
pub(crate) fn cohort_of(day: u64) -> usize {
    if day == 0 {
        0
    } else if day <= WEEKLY_COHORT_DAYS {
        1 + ((day - 1) / 7) as usize
    } else {
        1 + (WEEKLY_COHORT_DAYS / 7 + (day - WEEKLY_COHORT_DAYS - 1) / LATE_COHORT_DAYS) as usize
    }
}

/// First and last acquisition day of cohort `c` (before any horizon).
pub(crate) fn cohort_days(c: usize) -> (u64, u64) {
    let c = c as u64;
    let weeks = WEEKLY_COHORT_DAYS / 7;
    if c == 0 {
        (0, 0)
    } else if c <= weeks {
        (7 * c - 6, 7 * c)
    } else {
        let first = WEEKLY_COHORT_DAYS + 1 + (c - 1 - weeks) * LATE_COHORT_DAYS;
        (first, first + LATE_COHORT_DAYS - 1)
    }
}

/// The label of cohort `c`: `initial`, `week N` (acquired on days 7N+1 to
/// 7N+7, N from 0 to 51), then `weeks N-M` (4 weeks).
pub(crate) fn cohort_label(c: usize) -> String {
    let weeks = (WEEKLY_COHORT_DAYS / 7) as usize;
    if c == 0 {
        "initial".into()
    } else if c <= weeks {
        format!("week {}", c - 1)
    } else {
        let per = (LATE_COHORT_DAYS / 7) as usize;
        let first = weeks + (c - 1 - weeks) * per;
        format!("weeks {}-{}", first, first + per - 1)
    }
}

/// Survival of one acquisition cohort of one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cohort {
    /// `initial` for the users at the start, `week N` for those acquired on
    /// days 7N+1 to 7N+7 (the first 52 weeks), then `weeks N-M` (4 weeks each).
    pub label: String,
    /// First acquisition day (days since the start).
    pub first_day: u64,
    /// Last acquisition day (days since the start).
    pub last_day: u64,
    /// Users acquired (count).
    pub size: u64,
    /// Users still active at each recorded age every member has reached by
    /// the horizon (count; index: the slot of the age, see [`age_of_slot`]:
    /// every day to 91 days, every 7 days to 364, then every 28 days).
    pub survivors: Vec<u64>,
}

impl Cohort {
    /// Users still active `age` days after acquisition, if that age is
    /// recorded and every member reached it.
    pub fn survivors_at(&self, age: u64) -> Option<u64> {
        self.survivors.get(slot_of_age(age)?).copied()
    }

    /// Share still active `age` days after acquisition, if that age is
    /// recorded and every member reached it.
    pub fn retention(&self, age: usize) -> Option<f64> {
        let s = self.survivors_at(age as u64)?;
        (self.size > 0).then(|| s as f64 / self.size as f64)
    }
}

/// Everything the user model measured for one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlatformUsersResult {
    /// Daily rows from day 0.
    pub daily: Vec<UserDay>,
    /// Cohorts: the initial users, then the acquisition cohorts that have members.
    pub cohorts: Vec<Cohort>,
    /// The platform's average order value (money per order), if the
    /// scenario gives one: orders times it are the gross merchandise value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_order_value: Option<f64>,
}

impl PlatformUsersResult {
    /// Active users at the horizon (count).
    pub fn active_end(&self) -> u64 {
        self.daily.last().map_or(0, |d| d.active)
    }

    /// Orders placed after day `warmup` (count).
    pub fn orders_after(&self, warmup: u64) -> u64 {
        self.daily.iter().filter(|d| d.day > warmup).map(|d| d.orders).sum()
    }

    /// Gross merchandise value of the orders placed after day `warmup`
    /// (money), if the platform has an average order value.
    pub fn gmv_after(&self, warmup: u64) -> Option<f64> {
        self.average_order_value.map(|v| self.orders_after(warmup) as f64 * v)
    }

    /// Pooled retention of the acquired (non-initial) cohorts `age` days
    /// after acquisition, over the cohorts whose members all reached it.
    pub fn retention(&self, age: usize) -> Option<f64> {
        let (mut kept, mut size) = (0u64, 0u64);
        for c in self.cohorts.iter().skip(1) {
            if let Some(s) = c.survivors_at(age as u64) {
                kept += s;
                size += c.size;
            }
        }
        (size > 0).then(|| kept as f64 / size as f64)
    }
}

/// Everything the user model measured.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UsersResult {
    /// Potential users in the market (count).
    pub potential_users: u64,
    /// Users of no platform, per day from day 0 (count).
    pub pool: Vec<u64>,
    /// Per platform, in scenario order.
    pub platforms: Vec<PlatformUsersResult>,
    /// Adoptions over the run by origin and destination: row 0 is users who
    /// had used no platform, row 1 + q former users of platform q; column p
    /// the platform adopted (count).
    pub flows: Vec<Vec<u64>>,
}

/// One cohort while the run goes on: its size and its losses by the slot
/// of the age at which they left.
#[derive(Clone, Debug, Default)]
struct CohortTally {
    size: u64,
    lost: Vec<u64>,
}

/// Collects the results during a run. Cohorts are tallied by losses (a
/// user lost at age a is missing from every recorded age from a on), so
/// recording costs one addition per group that loses users, whatever the
/// number of ages recorded.
pub(crate) struct Recorder {
    horizon: u64,
    tallies: Vec<Vec<CohortTally>>,
    result: UsersResult,
}

impl Recorder {
    /// A recorder for `platforms` platforms in a market of `potential` users.
    pub(crate) fn new(platforms: usize, potential: u64, horizon: u64) -> Recorder {
        let count = cohort_of(horizon) + 1;
        let tallies = (0..platforms)
            .map(|_| {
                (0..count)
                    .map(|c| CohortTally {
                        size: 0,
                        lost: vec![0; slots_upto(horizon - cohort_days(c).0.min(horizon))],
                    })
                    .collect()
            })
            .collect();
        Recorder {
            horizon,
            tallies,
            result: UsersResult {
                potential_users: potential,
                pool: Vec::with_capacity(horizon as usize + 1),
                platforms: (0..platforms)
                    .map(|_| PlatformUsersResult {
                        daily: Vec::with_capacity(horizon as usize + 1),
                        cohorts: Vec::new(),
                        average_order_value: None,
                    })
                    .collect(),
                flows: vec![vec![0; platforms]; platforms + 1],
            },
        }
    }

    /// `n` users join platform `p` on `day`.
    #[inline]
    pub(crate) fn acquired(&mut self, p: usize, day: u64, n: u64) {
        self.tallies[p][cohort_of(day)].size += n;
    }

    /// `n` users of platform `p` acquired on `acquired` leave it on `day`.
    #[inline]
    pub(crate) fn lost(&mut self, p: usize, acquired: u64, day: u64, n: u64) {
        let t = &mut self.tallies[p][cohort_of(acquired)];
        if let Some(slot) = t.lost.get_mut(loss_slot(day - acquired)) {
            *slot += n;
        }
    }

    /// `n` users of platform `p` from cohort `cohort` leave it at age `age` (days).
    #[inline]
    pub(crate) fn lost_in(&mut self, p: usize, cohort: usize, age: u64, n: u64) {
        if let Some(slot) = self.tallies[p]
            .get_mut(cohort)
            .and_then(|t| t.lost.get_mut(loss_slot(age)))
        {
            *slot += n;
        }
    }

    /// `n` former users of origin `from` (0: none, 1 + q: platform q) adopt `to`.
    #[inline]
    pub(crate) fn flow(&mut self, from: usize, to: usize, n: u64) {
        self.result.flows[from][to] += n;
    }

    /// Records the day's rows and the pool.
    pub(crate) fn day(&mut self, pool: u64, rows: Vec<UserDay>) {
        self.result.pool.push(pool);
        for (p, row) in rows.into_iter().enumerate() {
            self.result.platforms[p].daily.push(row);
        }
    }

    /// The results: each cohort's survivors at the recorded ages all its
    /// members reached (the initial cohort always; acquisition cohorts when
    /// they have members).
    pub(crate) fn finish(mut self) -> UsersResult {
        for (p, tallies) in self.tallies.into_iter().enumerate() {
            for (c, t) in tallies.into_iter().enumerate() {
                if c > 0 && t.size == 0 {
                    continue;
                }
                let (first, last) = cohort_days(c);
                let last = last.min(self.horizon);
                let reached = slots_upto(self.horizon - last);
                let mut left = t.size;
                let survivors = t
                    .lost
                    .iter()
                    .take(reached)
                    .map(|&l| {
                        left -= l;
                        left
                    })
                    .collect();
                self.result.platforms[p].cohorts.push(Cohort {
                    label: cohort_label(c),
                    first_day: first,
                    last_day: last,
                    size: t.size,
                    survivors,
                });
            }
        }
        self.result
    }
}

/// Headline outcomes of one platform's users over the statistics window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UsersHeadline {
    /// Active users at the start of the window (count).
    pub active_start: u64,
    /// Active users at the horizon (count).
    pub active_end: u64,
    /// Change of active users over the window (percent of the start); `None` from zero.
    pub active_change_pct: Option<f64>,
    /// Orders placed over the window (count).
    pub orders_total: u64,
    /// Mean daily active users over the window (count).
    pub mean_dau: Option<f64>,
    /// Users acquired over the window (count).
    pub new_users: u64,
    /// Users lost over the window (count).
    pub churned: u64,
    /// Users won from rivals over the window (count).
    pub switched_in: u64,
    /// Former users won by rivals over the window (count).
    pub switched_out: u64,
    /// Share of acquired users still active 1 day later (0 to 1).
    pub d1_retention: Option<f64>,
    /// Share of acquired users still active 7 days later (0 to 1).
    pub d7_retention: Option<f64>,
    /// Share of acquired users still active 30 days later (0 to 1).
    pub d30_retention: Option<f64>,
}

impl PlatformUsersResult {
    /// Headline outcomes over the window after `warmup`: users at its start
    /// (day `warmup`'s record) and end (the horizon's), and every daily
    /// quantity, flow or average, over the days lived in it, `warmup + 1`
    /// to the horizon. Day 0's activity is therefore never counted.
    pub fn headline(&self, warmup: u64) -> UsersHeadline {
        let start = self.daily.iter().find(|d| d.day == warmup).map_or(0, |d| d.active);
        let end = self.active_end();
        let flows: Vec<&UserDay> = self.daily.iter().filter(|d| d.day > warmup).collect();
        let dau: Vec<f64> = flows.iter().map(|d| d.dau as f64).collect();
        UsersHeadline {
            active_start: start,
            active_end: end,
            active_change_pct: (start > 0).then(|| 100.0 * (end as f64 - start as f64) / start as f64),
            orders_total: self.orders_after(warmup),
            mean_dau: crate::core::stats::mean(&dau),
            new_users: flows.iter().map(|d| d.new_users).sum(),
            churned: flows.iter().map(|d| d.churned).sum(),
            switched_in: flows.iter().map(|d| d.switched_in).sum(),
            switched_out: flows.iter().map(|d| d.switched_out).sum(),
            d1_retention: self.retention(1),
            d7_retention: self.retention(7),
            d30_retention: self.retention(30),
        }
    }
}
