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

/// Survival of one acquisition cohort of one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cohort {
    /// `initial` for the users at the start, else `week N` (acquired on days 7N+1 to 7N+7).
    pub label: String,
    /// First acquisition day (days since the start).
    pub first_day: u64,
    /// Last acquisition day (days since the start).
    pub last_day: u64,
    /// Users acquired (count).
    pub size: u64,
    /// Users still active k days after acquisition, for every k every
    /// member has reached by the horizon (count, index k).
    pub survivors: Vec<u64>,
}

impl Cohort {
    /// Share still active `age` days after acquisition, if every member reached that age.
    pub fn retention(&self, age: usize) -> Option<f64> {
        let s = *self.survivors.get(age)?;
        (self.size > 0).then(|| s as f64 / self.size as f64)
    }
}

/// Everything the user model measured for one platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlatformUsersResult {
    /// Daily rows from day 0.
    pub daily: Vec<UserDay>,
    /// Cohorts: the initial users, then one per week of acquisitions.
    pub cohorts: Vec<Cohort>,
}

impl PlatformUsersResult {
    /// Pooled retention of the acquired (non-initial) cohorts `age` days
    /// after acquisition, over the cohorts whose members all reached it.
    pub fn retention(&self, age: usize) -> Option<f64> {
        let (mut kept, mut size) = (0u64, 0u64);
        for c in self.cohorts.iter().skip(1) {
            if let Some(&s) = c.survivors.get(age) {
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

/// Collects the results during a run.
pub struct Recorder {
    horizon: u64,
    result: UsersResult,
}

impl Recorder {
    /// A recorder for `platforms` platforms in a market of `potential` users.
    pub fn new(platforms: usize, potential: u64, horizon: u64) -> Recorder {
        let cohort_count = 1 + horizon.div_ceil(7) as usize;
        let cohorts = (0..cohort_count)
            .map(|c| {
                let (first, last) = if c == 0 {
                    (0, 0)
                } else {
                    (7 * c as u64 - 6, (7 * c as u64).min(horizon))
                };
                Cohort {
                    label: if c == 0 {
                        "initial".into()
                    } else {
                        format!("week {}", c - 1)
                    },
                    first_day: first,
                    last_day: last,
                    size: 0,
                    survivors: vec![0; (horizon - last + 1) as usize],
                }
            })
            .collect::<Vec<_>>();
        Recorder {
            horizon,
            result: UsersResult {
                potential_users: potential,
                pool: Vec::new(),
                platforms: (0..platforms)
                    .map(|_| PlatformUsersResult {
                        daily: Vec::new(),
                        cohorts: cohorts.clone(),
                    })
                    .collect(),
                flows: vec![vec![0; platforms]; platforms + 1],
            },
        }
    }

    /// The cohort of users acquired on `day` (0: the initial users).
    pub fn cohort_of(day: u64) -> usize {
        if day == 0 { 0 } else { (day as usize - 1) / 7 + 1 }
    }

    /// `n` users join platform `p` on `day`.
    pub fn acquired(&mut self, p: usize, day: u64, n: u64) {
        self.result.platforms[p].cohorts[Self::cohort_of(day)].size += n;
    }

    /// `n` users of platform `p` acquired on `acquired` are active on `day`.
    pub fn survive(&mut self, p: usize, acquired: u64, day: u64, n: u64) {
        let c = &mut self.result.platforms[p].cohorts[Self::cohort_of(acquired)];
        if let Some(slot) = c.survivors.get_mut((day - acquired) as usize) {
            *slot += n;
        }
    }

    /// `n` former users of origin `from` (0: none, 1 + q: platform q) adopt `to`.
    pub fn flow(&mut self, from: usize, to: usize, n: u64) {
        self.result.flows[from][to] += n;
    }

    /// Records the day's rows and the pool.
    pub fn day(&mut self, pool: u64, rows: Vec<UserDay>) {
        self.result.pool.push(pool);
        for (p, row) in rows.into_iter().enumerate() {
            self.result.platforms[p].daily.push(row);
        }
    }

    /// The results.
    pub fn finish(self) -> UsersResult {
        let _ = self.horizon;
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
        let end = self.daily.last().map_or(0, |d| d.active);
        let flows: Vec<&UserDay> = self.daily.iter().filter(|d| d.day > warmup).collect();
        let dau: Vec<f64> = flows.iter().map(|d| d.dau as f64).collect();
        UsersHeadline {
            active_start: start,
            active_end: end,
            active_change_pct: (start > 0).then(|| 100.0 * (end as f64 - start as f64) / start as f64),
            orders_total: flows.iter().map(|d| d.orders).sum(),
            mean_dau: crate::stats::mean(&dau),
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
