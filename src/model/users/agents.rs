//! The per-user representation: every user an individual with its own churn
//! propensity and order rate. It serves validation and small-to-large
//! markets; the scenario loader refuses markets too big for memory. It
//! follows the same daily sequence as [`super::aggregate`] (churn, adoption,
//! activity) with the same probabilities, so the two must agree in
//! distribution; but it works user by user, not group by group.
//!
//! Users are not stepped day by day: each draws, when it joins, the moment
//! of its next change, and is touched only then.
//!
//! - **Churn by exposure.** A user with propensity theta survives a day of
//!   multiplier m with probability (1 - theta)^m, so it survives days with
//!   multipliers m_1..m_k with probability exp(-lambda (m_1 + ... + m_k)),
//!   lambda = -ln(1 - theta). It therefore churns on the first day its
//!   exposure since acquisition (the sum of its platform's multipliers)
//!   passes a budget E / lambda, E exponential with mean 1, drawn when it
//!   is acquired. Multipliers change daily, but the budget does not: each
//!   platform keeps its cumulative exposure and a queue of its users' churn
//!   levels, bucketed by exposure.
//! - **Adoption by waiting time.** A pool member adopts on each day it is
//!   available with the same probability, so its adoption day is its first
//!   available day plus a geometric number of days, drawn when it enters the
//!   pool; the platform is chosen on that day, by that day's choice shares.
//! - **Activity in total.** Each active user of a platform opens the app
//!   with the same probability and orders Poisson(lambda_i e): the day's DAU
//!   is binomial over the active users and its orders Poisson with the sum
//!   of their rates, exactly the distribution of the per-user draws. The
//!   rates are summed in fixed point (2^-32 orders a day), so the sum is
//!   exact however users come and go.

use super::experience::Conditions;
use super::params::MarketParams;
use super::record::{Recorder, UserDay};
use super::streams::UserStreams;
use crate::core::rng::Stream;
use crate::core::sample;
use rand::RngExt;

/// Platform number of a user in the pool.
const POOL: u32 = u32::MAX;
/// Fixed-point scale of order rates (orders per day).
const RATE_SCALE: f64 = 4_294_967_296.0;
/// Exposure covered by one bucket of a churn queue.
const BUCKET: f64 = 1.0;
/// Buckets kept in a churn queue's array; levels beyond go to its far list.
const MAX_BUCKETS: usize = 1 << 16;

/// One user.
#[derive(Clone, Debug)]
struct Agent {
    /// Platform used, or `POOL`.
    platform: u32,
    /// Origin for flows: 0 never used, 1 + q last used q.
    origin: u32,
    /// Day acquired by its current platform.
    acquired: u32,
    /// Orders rate in fixed point (orders per day times 2^32).
    rate: u64,
}

/// A platform's users by the exposure level at which they churn.
#[derive(Default)]
struct ChurnQueue {
    /// Cumulative exposure of the platform: the sum of its daily multipliers.
    exposure: f64,
    /// `buckets[i]` holds the levels in [i, i + 1) x BUCKET.
    buckets: Vec<Vec<(f64, u32)>>,
    /// First bucket not yet emptied.
    next: usize,
    /// Levels beyond the buckets, and the smallest of them.
    far: Vec<(f64, u32)>,
    far_min: f64,
}

impl ChurnQueue {
    fn new() -> ChurnQueue {
        ChurnQueue {
            far_min: f64::INFINITY,
            ..ChurnQueue::default()
        }
    }

    /// User `user` churns once the exposure passes `level`.
    fn push(&mut self, level: f64, user: u32) {
        let i = (level / BUCKET) as usize;
        if level.is_finite() && i < MAX_BUCKETS {
            if i >= self.buckets.len() {
                self.buckets.resize_with(i + 1, Vec::new);
            }
            self.buckets[i.max(self.next)].push((level, user));
        } else {
            self.far.push((level, user));
            self.far_min = self.far_min.min(level);
        }
    }

    /// Adds a day of multiplier `m` and hands every user whose level it
    /// passed to `out`, in a fixed order.
    fn advance(&mut self, m: f64, out: &mut Vec<u32>) {
        self.exposure += m;
        let x = self.exposure;
        let top = ((x / BUCKET) as usize).min(self.buckets.len());
        while self.next < top {
            let b = std::mem::take(&mut self.buckets[self.next]);
            out.extend(b.iter().map(|e| e.1));
            self.next += 1;
        }
        if let Some(b) = self.buckets.get_mut(self.next) {
            b.retain(|&(level, user)| {
                if level <= x {
                    out.push(user);
                    false
                } else {
                    true
                }
            });
        }
        if self.far_min <= x {
            self.far.retain(|&(level, user)| {
                if level <= x {
                    out.push(user);
                    false
                } else {
                    true
                }
            });
            self.far_min = self.far.iter().map(|e| e.0).fold(f64::INFINITY, f64::min);
        }
    }
}

/// The per-user model.
pub(crate) struct Agents {
    agents: Vec<Agent>,
    queues: Vec<ChurnQueue>,
    /// `adopting[d]`: pool members who adopt on day d.
    adopting: Vec<Vec<u32>>,
    /// Active users per platform (count).
    active: Vec<u64>,
    /// Sum of active users' rates per platform (fixed point).
    rates: Vec<u128>,
    /// -1 / ln(1 - adoption probability): days of waiting per unit exponential.
    wait_scale: f64,
    horizon: u64,
    due: Vec<u32>,
}

/// A new user of platform `p` on `day` with tenure `tenure`: its churn
/// level (in its platform's exposure) and its order rate in fixed point.
fn draw_traits(m: &MarketParams, p: usize, tenure: f64, exposure: f64, streams: &mut UserStreams) -> (f64, u64) {
    let pu = &m.platforms[p];
    let s = &mut streams.platforms[p];
    // A user who survived `tenure` unit-multiplier days has the posterior
    // Beta(alpha, beta + tenure); theta = x / (x + y), so
    // lambda = -ln(1 - theta) = ln(1 + x / y).
    let x = sample::gamma(&mut s.acquisition, pu.churn_alpha);
    let y = sample::gamma(&mut s.acquisition, pu.churn_beta + tenure);
    let rate = pu.orders_per_user_day / pu.orders_shape * sample::gamma(&mut s.acquisition, pu.orders_shape);
    let lambda = libm::log1p(x / y);
    let budget = sample::exp1(&mut s.churn);
    let level = if lambda > 0.0 {
        exposure + budget / lambda
    } else {
        f64::INFINITY
    };
    (level, (rate * RATE_SCALE).round() as u64)
}

impl Agents {
    /// The market at day 0: each platform's initial users, the rest in the pool.
    pub(crate) fn new(m: &MarketParams, horizon: u64, streams: &mut UserStreams, rec: &mut Recorder) -> Agents {
        let np = m.platforms.len();
        let mut a = Agents {
            agents: Vec::with_capacity(m.potential_users as usize),
            queues: (0..np).map(|_| ChurnQueue::new()).collect(),
            adopting: vec![Vec::new(); horizon as usize + 1],
            active: vec![0; np],
            rates: vec![0; np],
            wait_scale: if m.adoption_per_day >= 1.0 {
                0.0
            } else {
                -1.0 / libm::log1p(-m.adoption_per_day)
            },
            horizon,
            due: Vec::new(),
        };
        for (p, pu) in m.platforms.iter().enumerate() {
            for _ in 0..pu.initial_users {
                let id = a.agents.len() as u32;
                let (level, rate) = draw_traits(m, p, pu.initial_tenure_days, 0.0, streams);
                a.agents.push(Agent {
                    platform: p as u32,
                    origin: 0,
                    acquired: 0,
                    rate,
                });
                a.queues[p].push(level, id);
                a.active[p] += 1;
                a.rates[p] += u128::from(rate);
            }
            rec.acquired(p, 0, pu.initial_users);
        }
        while (a.agents.len() as u64) < m.potential_users {
            let id = a.agents.len() as u32;
            a.agents.push(Agent {
                platform: POOL,
                origin: 0,
                acquired: 0,
                rate: 0,
            });
            a.schedule_adoption(id, 1, &mut streams.adoption);
        }
        a
    }

    /// Pool member `id`, available from `day`, adopts after a geometric wait.
    fn schedule_adoption(&mut self, id: u32, day: u64, rng: &mut Stream) {
        if self.wait_scale.is_nan() || self.wait_scale < 0.0 || self.wait_scale == f64::INFINITY {
            return;
        }
        // floor(E / -ln(1 - a)) is geometric: P(wait >= j) = (1 - a)^j.
        let wait = sample::exp1(rng) * self.wait_scale;
        if day <= self.horizon && wait < (self.horizon - day + 1) as f64 {
            self.adopting[(day + wait as u64) as usize].push(id);
        }
    }

    /// One day: churn (skipped on day 0), adoption (skipped on day 0), activity.
    pub(crate) fn step(
        &mut self,
        m: &MarketParams,
        day: u64,
        cond: &[Conditions],
        streams: &mut UserStreams,
        rec: &mut Recorder,
    ) {
        let mut rows = UserDay::blank_rows(day, cond);
        let np = cond.len();
        if day > 0 {
            // Churn: every user whose level the day's exposure passed.
            for p in 0..np {
                let mut due = std::mem::take(&mut self.due);
                due.clear();
                self.queues[p].advance(cond[p].multiplier, &mut due);
                for &id in &due {
                    let a = &mut self.agents[id as usize];
                    rows[p].churned += 1;
                    rec.lost(p, u64::from(a.acquired), day, 1);
                    self.active[p] -= 1;
                    self.rates[p] -= u128::from(a.rate);
                    a.platform = POOL;
                    a.origin = 1 + p as u32;
                    a.rate = 0;
                    self.schedule_adoption(id, day + 1 + u64::from(m.cooloff_days), &mut streams.adoption);
                }
                self.due = due;
            }
            // Adoption: the pool members whose waiting ends today.
            let adopting = std::mem::take(&mut self.adopting[day as usize]);
            for &id in &adopting {
                let u = streams.adoption.random::<f64>();
                let mut acc = 0.0;
                let mut to = np - 1;
                for (i, c) in cond.iter().enumerate() {
                    acc += c.choice_share;
                    if u < acc {
                        to = i;
                        break;
                    }
                }
                let from = self.agents[id as usize].origin as usize;
                rec.flow(from, to, 1);
                if from != 0 && from != to + 1 {
                    rows[to].switched_in += 1;
                    rows[from - 1].switched_out += 1;
                }
                let (level, rate) = draw_traits(m, to, 0.0, self.queues[to].exposure, streams);
                self.agents[id as usize] = Agent {
                    platform: to as u32,
                    origin: from as u32,
                    acquired: day as u32,
                    rate,
                };
                self.queues[to].push(level, id);
                self.active[to] += 1;
                self.rates[to] += u128::from(rate);
                rows[to].new_users += 1;
                rec.acquired(to, day, 1);
            }
        }
        // Activity, in total per platform.
        let mut in_use = 0u64;
        for p in 0..np {
            let e = cond[p].engagement;
            let rng = &mut streams.platforms[p].activity;
            let active = self.active[p];
            in_use += active;
            rows[p].active = active;
            rows[p].dau = sample::binomial(rng, active, (m.platforms[p].open_probability * e).min(1.0));
            rows[p].orders = sample::poisson(rng, self.rates[p] as f64 / RATE_SCALE * e);
        }
        rec.day(m.potential_users - in_use, rows);
    }
}
