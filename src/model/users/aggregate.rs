//! The aggregate representation: users grouped by platform and acquisition
//! day, moved with binomial draws. Its cost depends on the number of
//! platforms and days, never on the number of users.
//!
//! It is exact, not an approximation, thanks to the conjugacy of the
//! shifted-beta-geometric model. Users acquired by a platform on the same day
//! draw independent propensities theta ~ Beta(alpha, beta) and then share
//! every day's churn multiplier m (it depends only on the platform's state).
//! A user who survived days with multipliers m_1..m_k has the posterior
//! Beta(alpha, beta + M), M = m_1 + ... + m_k, independently of the others, so
//! each survivor churns the next day, independently, with probability
//! 1 - E[(1 - theta)^m] = 1 - B(alpha, beta + M + m) / B(alpha, beta + M)
//! ([`super::churn`]). The number churning is therefore exactly binomial: a
//! group needs only its size n and b = beta + M. (Mode "merged" draws a
//! cohort's groups together and shares the loss out, keeping every group's
//! expected loss: [`super::cohort_draw`].)
//!
//! Orders work the same way, per platform: each user's rate is
//! Gamma(shape, mean / shape), independent of theta and of everything that
//! decides who leaves, so the rates of the K users a platform loses on a day
//! (out of N) are a Beta(K shape, (N - K) shape) share of the total rate of
//! its users (the Dirichlet property of gamma variables). One beta draw per
//! platform and day keeps the total rate exact; the platform's orders are
//! Poisson with that total times the engagement.

use super::churn::{ChurnLaw, Step};
use super::cohort_draw;
use super::experience::Conditions;
use super::group::{self, Group};
use super::params::MarketParams;
use super::params::Mode;
use super::record::{Recorder, UserDay};
use super::streams::UserStreams;
use crate::core::sample;

/// The aggregate user model.
pub(crate) struct Aggregate {
    /// Per platform, its groups from the oldest to the youngest.
    classes: Vec<Vec<Group>>,
    /// Tolerance of merged groups (mode "merged"), if any.
    merge: Option<f64>,
    laws: Vec<ChurnLaw>,
    /// Per platform: active users.
    active: Vec<u64>,
    /// Scratch: the day's churn step of each group of a platform.
    steps: Vec<Step>,
    /// Scratch: the day's losses of each group of a platform.
    losses: Vec<u64>,
    /// Per platform: the sum of its active users' order rates (orders per day).
    rates: Vec<f64>,
    /// Available pool by origin: 0 never used, 1 + q former users of q.
    pool: Vec<u64>,
    /// Churned users cooling off: (day they become available, count by origin).
    cooling: std::collections::VecDeque<(u64, Vec<u64>)>,
}

/// A Gamma(shape, scale) draw, 0 for a zero shape.
fn gamma(shape: f64, scale: f64, rng: &mut crate::core::rng::Stream) -> f64 {
    if shape <= 0.0 || scale <= 0.0 {
        return 0.0;
    }
    scale * sample::gamma(rng, shape)
}

impl Aggregate {
    /// The market at day 0: each platform's initial users, the rest in the pool.
    pub(crate) fn new(m: &MarketParams, streams: &mut UserStreams, rec: &mut Recorder) -> Aggregate {
        let mut classes = Vec::new();
        let mut rates = Vec::new();
        let mut used = 0u64;
        for (p, pu) in m.platforms.iter().enumerate() {
            used += pu.initial_users;
            let rate = gamma(
                pu.initial_users as f64 * pu.orders_shape,
                pu.orders_per_user_day / pu.orders_shape,
                &mut streams.platforms[p].acquisition,
            );
            rec.acquired(p, 0, pu.initial_users);
            let mut list = Vec::with_capacity(256);
            let law = ChurnLaw::new(pu.churn_alpha);
            list.push(Group::new(
                &law,
                pu.initial_users,
                0,
                pu.churn_beta + pu.initial_tenure_days,
            ));
            classes.push(list);
            rates.push(rate);
        }
        let mut pool = vec![0; m.platforms.len() + 1];
        pool[0] = m.potential_users.saturating_sub(used);
        Aggregate {
            classes,
            merge: match m.mode {
                Mode::Merged { tolerance } => Some(tolerance),
                _ => None,
            },
            laws: m.platforms.iter().map(|pu| ChurnLaw::new(pu.churn_alpha)).collect(),
            active: m.platforms.iter().map(|pu| pu.initial_users).collect(),
            rates,
            steps: Vec::with_capacity(1024),
            losses: Vec::with_capacity(1024),
            pool,
            cooling: Default::default(),
        }
    }

    /// Users of no platform, cooling ones included.
    fn pool_total(&self) -> u64 {
        self.pool.iter().sum::<u64>() + self.cooling.iter().map(|(_, v)| v.iter().sum::<u64>()).sum::<u64>()
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
        let np = m.platforms.len();
        let mut rows = UserDay::blank_rows(day, cond);
        if day > 0 {
            // Churn.
            let mut churned = vec![0u64; np + 1];
            for (p, classes) in self.classes.iter_mut().enumerate() {
                let law = &self.laws[p];
                let mult = cond[p].multiplier;
                let rng = &mut streams.platforms[p].churn;
                let mut lost = 0u64;
                // Every group's probability first: independent computations
                // the processor overlaps, then the draws (one per cohort
                // in mode "merged", [`cohort_draw`]).
                let steps = &mut self.steps;
                steps.clear();
                steps.extend(classes.iter_mut().map(|c| law.advance(&mut c.post, mult)));
                cohort_draw::draw(classes, steps, self.merge.is_some(), rng, &mut self.losses);
                for (c, &k) in classes.iter_mut().zip(&self.losses) {
                    lost += k;
                    c.lose(p, k, day, rec);
                    c.aged(mult);
                }
                // The leavers' share of the platform's total order rate.
                let shape = m.platforms[p].orders_shape;
                let before = self.active[p];
                if lost == before {
                    self.rates[p] = 0.0;
                } else if lost > 0 {
                    let share = sample::beta(rng, lost as f64 * shape, (before - lost) as f64 * shape);
                    self.rates[p] *= 1.0 - share;
                }
                self.active[p] -= lost;
                churned[1 + p] += lost;
                rows[p].churned += lost;
                classes.retain(|c| c.n > 0);
                if let Some(tolerance) = self.merge {
                    group::merge(classes, law, tolerance, rng);
                }
            }
            self.cooling.push_back((day + 1 + u64::from(m.cooloff_days), churned));
            while let Some((ready, _)) = self.cooling.front() {
                if *ready > day {
                    break;
                }
                if let Some((_, v)) = self.cooling.pop_front() {
                    for (slot, n) in self.pool.iter_mut().zip(v) {
                        *slot += n;
                    }
                }
            }
            // Adoption: each origin's adopters split over platforms by choice share.
            let mut new = vec![0u64; np];
            for from in 0..=np {
                let k = sample::binomial(&mut streams.adoption, self.pool[from], m.adoption_per_day);
                self.pool[from] -= k;
                let mut left = k;
                let mut mass = 1.0;
                for (to, c) in cond.iter().enumerate() {
                    if left == 0 {
                        break;
                    }
                    let x = if to + 1 == np {
                        left
                    } else {
                        sample::binomial(&mut streams.adoption, left, (c.choice_share / mass).min(1.0))
                    };
                    mass -= c.choice_share;
                    left -= x;
                    new[to] += x;
                    rec.flow(from, to, x);
                    if from != 0 && from != to + 1 {
                        rows[to].switched_in += x;
                        rows[from - 1].switched_out += x;
                    }
                }
            }
            for (p, &n) in new.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let pu = &m.platforms[p];
                let rate = gamma(
                    n as f64 * pu.orders_shape,
                    pu.orders_per_user_day / pu.orders_shape,
                    &mut streams.platforms[p].acquisition,
                );
                self.classes[p].push(Group::new(&self.laws[p], n, day, pu.churn_beta));
                self.active[p] += n;
                self.rates[p] += rate;
                rec.acquired(p, day, n);
                rows[p].new_users = n;
            }
        }
        // Activity.
        for (p, pu) in m.platforms.iter().enumerate() {
            let e = cond[p].engagement;
            let rng = &mut streams.platforms[p].activity;
            rows[p].active = self.active[p];
            rows[p].dau = sample::binomial(rng, self.active[p], (pu.open_probability * e).min(1.0));
            rows[p].orders = sample::poisson(rng, self.rates[p] * e);
        }
        rec.day(self.pool_total(), rows);
    }
}
