//! The per-user representation: every user an individual with its own churn
//! propensity and order rate, stepped one by one each day. Its cost grows
//! with the market, so it serves validation and small markets; the scenario
//! loader refuses markets too big for memory. It follows the same daily
//! sequence as [`super::aggregate`] (churn, adoption, activity) with the same
//! probabilities, so the two must agree in distribution.

use super::experience::Conditions;
use super::params::MarketParams;
use super::record::{Recorder, UserDay};
use super::streams::UserStreams;
use crate::sample;
use rand::RngExt;

const POOL: u32 = u32::MAX;

/// One user.
#[derive(Clone, Debug)]
struct Agent {
    /// Platform used, or `POOL`.
    platform: u32,
    /// Origin for flows: 0 never used, 1 + q last used q.
    origin: u32,
    /// Day acquired by its current platform.
    acquired: u64,
    /// First day it may adopt again (pool members).
    available: u64,
    /// Daily churn propensity theta.
    theta: f64,
    /// Orders rate (orders per day).
    rate: f64,
}

/// The per-user model.
pub struct Agents {
    agents: Vec<Agent>,
}

fn draw_traits(m: &MarketParams, p: usize, tenure: f64, rng: &mut crate::rng::Stream) -> (f64, f64) {
    let pu = &m.platforms[p];
    // A user who survived `tenure` unit-multiplier days has the posterior Beta(alpha, beta + tenure).
    let theta = sample::beta(rng, pu.churn_alpha, pu.churn_beta + tenure);
    let rate = pu.orders_per_user_day / pu.orders_shape * sample::gamma(rng, pu.orders_shape);
    (theta, rate)
}

impl Agents {
    /// The market at day 0: each platform's initial users, the rest in the pool.
    pub fn new(m: &MarketParams, streams: &mut UserStreams, rec: &mut Recorder) -> Agents {
        let mut agents = Vec::with_capacity(m.potential_users as usize);
        for (p, pu) in m.platforms.iter().enumerate() {
            for _ in 0..pu.initial_users {
                let (theta, rate) = draw_traits(m, p, pu.initial_tenure_days, &mut streams.platforms[p].acquisition);
                agents.push(Agent {
                    platform: p as u32,
                    origin: 0,
                    acquired: 0,
                    available: 0,
                    theta,
                    rate,
                });
            }
            rec.acquired(p, 0, pu.initial_users);
        }
        while (agents.len() as u64) < m.potential_users {
            agents.push(Agent {
                platform: POOL,
                origin: 0,
                acquired: 0,
                available: 0,
                theta: 0.0,
                rate: 0.0,
            });
        }
        Agents { agents }
    }

    /// One day: churn (skipped on day 0), adoption (skipped on day 0), activity.
    pub fn step(
        &mut self,
        m: &MarketParams,
        day: u64,
        cond: &[Conditions],
        streams: &mut UserStreams,
        rec: &mut Recorder,
    ) {
        let mut rows = UserDay::blank_rows(day, cond);
        if day > 0 {
            for a in self.agents.iter_mut().filter(|a| a.platform != POOL) {
                let p = a.platform as usize;
                let survive = libm::pow(1.0 - a.theta, cond[p].multiplier);
                if streams.platforms[p].churn.random::<f64>() >= survive {
                    rows[p].churned += 1;
                    a.platform = POOL;
                    a.origin = 1 + p as u32;
                    a.available = day + 1 + u64::from(m.cooloff_days);
                }
            }
            let np = cond.len();
            for a in self
                .agents
                .iter_mut()
                .filter(|a| a.platform == POOL && a.available <= day)
            {
                if streams.adoption.random::<f64>() >= m.adoption_per_day {
                    continue;
                }
                // Choose a platform by choice share.
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
                let from = a.origin as usize;
                rec.flow(from, to, 1);
                if from != 0 && from != to + 1 {
                    rows[to].switched_in += 1;
                    rows[from - 1].switched_out += 1;
                }
                let (theta, rate) = draw_traits(m, to, 0.0, &mut streams.platforms[to].acquisition);
                *a = Agent {
                    platform: to as u32,
                    origin: a.origin,
                    acquired: day,
                    available: 0,
                    theta,
                    rate,
                };
                rows[to].new_users += 1;
                rec.acquired(to, day, 1);
            }
        }
        let mut pool = 0u64;
        for a in &self.agents {
            if a.platform == POOL {
                pool += 1;
                continue;
            }
            let p = a.platform as usize;
            rec.survive(p, a.acquired, day, 1);
            let e = cond[p].engagement;
            let rng = &mut streams.platforms[p].activity;
            rows[p].active += 1;
            if rng.random::<f64>() < (m.platforms[p].open_probability * e).min(1.0) {
                rows[p].dau += 1;
            }
            rows[p].orders += sample::poisson(rng, a.rate * e);
        }
        rec.day(pool, rows);
    }
}
