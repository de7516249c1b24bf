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
//! 1 - E[(1 - theta)^m] = 1 - B(alpha, beta + M + m) / B(alpha, beta + M).
//! The number churning is therefore exactly binomial: a class needs only its
//! size n and its exposure M. Orders work the same way: each user's rate is
//! Gamma(shape, mean / shape), independent of theta, so the rates of the k
//! users who leave are a Beta(k shape, (n - k) shape) share of the class's
//! total rate (the Dirichlet property of gamma variables).

use super::experience::Conditions;
use super::params::MarketParams;
use super::record::{Recorder, UserDay};
use super::streams::UserStreams;
use crate::sample;
use crate::theory::ln_gamma;

/// Users of one platform acquired on one day.
#[derive(Clone, Debug)]
struct Class {
    /// Acquisition day.
    day: u64,
    /// Users still active.
    n: u64,
    /// Sum of the churn multipliers survived, M (the posterior is Beta(alpha, beta + M)).
    exposure: f64,
    /// ln Gamma(beta + M) - ln Gamma(alpha + beta + M), kept so that each day
    /// needs one new evaluation, not two.
    ln_ratio: f64,
    /// Sum of the active users' order rates (orders per day).
    rate: f64,
}

/// The aggregate user model.
pub struct Aggregate {
    classes: Vec<Vec<Class>>,
    /// Available pool by origin: 0 never used, 1 + q former users of q.
    pool: Vec<u64>,
    /// Churned users cooling off: (day they become available, count by origin).
    cooling: std::collections::VecDeque<(u64, Vec<u64>)>,
}

/// ln Gamma(b) - ln Gamma(alpha + b): the part of ln B(alpha, b) that moves with b.
fn ln_ratio(alpha: f64, b: f64) -> f64 {
    ln_gamma(b) - ln_gamma(alpha + b)
}

/// The churn probability 1 - B(alpha, b + m) / B(alpha, b) of a survivor
/// whose posterior is Beta(alpha, b), under multiplier `m`, given
/// `ln_ratio(alpha, b)`; also returns `ln_ratio(alpha, b + m)`.
fn churn_step(alpha: f64, b: f64, m: f64, ln_now: f64) -> (f64, f64) {
    if m == 1.0 {
        // Exact rational form for the common case: B(a, b + 1) / B(a, b) = b / (a + b).
        let keep = b / (alpha + b);
        return (alpha / (alpha + b), ln_now + libm::log(keep));
    }
    let ln_next = ln_ratio(alpha, b + m);
    ((1.0 - libm::exp(ln_next - ln_now)).clamp(0.0, 1.0), ln_next)
}

/// Probability that a user who survived exposure `m_sum` churns under
/// multiplier `m`: 1 - B(alpha, beta + M + m) / B(alpha, beta + M).
pub fn churn_probability(alpha: f64, beta: f64, m_sum: f64, m: f64) -> f64 {
    let b = beta + m_sum;
    churn_step(alpha, b, m, ln_ratio(alpha, b)).0
}

fn binomial(n: u64, p: f64, rng: &mut crate::rng::Stream) -> u64 {
    sample::binomial(rng, n, p)
}

/// A Gamma(shape, scale) draw, 0 for a zero shape.
fn gamma(shape: f64, scale: f64, rng: &mut crate::rng::Stream) -> f64 {
    if shape <= 0.0 || scale <= 0.0 {
        return 0.0;
    }
    scale * sample::gamma(rng, shape)
}

impl Aggregate {
    /// The market at day 0: each platform's initial users, the rest in the pool.
    pub fn new(m: &MarketParams, streams: &mut UserStreams, rec: &mut Recorder) -> Aggregate {
        let mut classes = Vec::new();
        let mut used = 0u64;
        for (p, pu) in m.platforms.iter().enumerate() {
            used += pu.initial_users;
            let rate = gamma(
                pu.initial_users as f64 * pu.orders_shape,
                pu.orders_per_user_day / pu.orders_shape,
                &mut streams.platforms[p].acquisition,
            );
            rec.acquired(p, 0, pu.initial_users);
            classes.push(vec![Class {
                day: 0,
                n: pu.initial_users,
                exposure: pu.initial_tenure_days,
                ln_ratio: ln_ratio(pu.churn_alpha, pu.churn_beta + pu.initial_tenure_days),
                rate,
            }]);
        }
        let mut pool = vec![0; m.platforms.len() + 1];
        pool[0] = m.potential_users.saturating_sub(used);
        Aggregate {
            classes,
            pool,
            cooling: Default::default(),
        }
    }

    /// Users of no platform, cooling ones included.
    fn pool_total(&self) -> u64 {
        self.pool.iter().sum::<u64>() + self.cooling.iter().map(|(_, v)| v.iter().sum::<u64>()).sum::<u64>()
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
        let np = m.platforms.len();
        let mut rows = UserDay::blank_rows(day, cond);
        if day > 0 {
            // Churn.
            let mut churned = vec![0u64; np + 1];
            for (p, classes) in self.classes.iter_mut().enumerate() {
                let pu = &m.platforms[p];
                let mult = cond[p].multiplier;
                let rng = &mut streams.platforms[p].churn;
                for c in classes.iter_mut() {
                    let (prob, ln_next) = churn_step(pu.churn_alpha, pu.churn_beta + c.exposure, mult, c.ln_ratio);
                    c.ln_ratio = ln_next;
                    let k = binomial(c.n, prob, rng);
                    if k == c.n {
                        c.rate = 0.0;
                    } else if k > 0 {
                        let a = k as f64 * pu.orders_shape;
                        let b = (c.n - k) as f64 * pu.orders_shape;
                        let share = sample::beta(rng, a, b);
                        c.rate *= 1.0 - share;
                    }
                    c.n -= k;
                    c.exposure += mult;
                    churned[1 + p] += k;
                    rows[p].churned += k;
                    rec.survive(p, c.day, day, c.n);
                }
                classes.retain(|c| c.n > 0);
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
                let k = binomial(self.pool[from], m.adoption_per_day, &mut streams.adoption);
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
                        binomial(left, (c.choice_share / mass).min(1.0), &mut streams.adoption)
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
                self.classes[p].push(Class {
                    day,
                    n,
                    exposure: 0.0,
                    ln_ratio: ln_ratio(pu.churn_alpha, pu.churn_beta),
                    rate,
                });
                rec.acquired(p, day, n);
                rec.survive(p, day, day, n);
                rows[p].new_users = n;
            }
        } else {
            for (p, classes) in self.classes.iter().enumerate() {
                for c in classes {
                    rec.survive(p, c.day, day, c.n);
                }
            }
        }
        // Activity.
        for (p, classes) in self.classes.iter().enumerate() {
            let pu = &m.platforms[p];
            let active: u64 = classes.iter().map(|c| c.n).sum();
            let rate: f64 = classes.iter().map(|c| c.rate).sum();
            let e = cond[p].engagement;
            let rng = &mut streams.platforms[p].activity;
            rows[p].active = active;
            rows[p].dau = binomial(active, (pu.open_probability * e).min(1.0), rng);
            rows[p].orders = sample::poisson(rng, rate * e);
        }
        rec.day(self.pool_total(), rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn churn_probability_with_unit_multiplier_is_the_sbg_hazard() {
        // r(t) = (beta + t - 1) / (alpha + beta + t - 1): churn after t - 1 days survived.
        let (a, b) = (0.704, 1.182);
        for t in 1..50 {
            let m_sum = (t - 1) as f64;
            let want = 1.0 - (b + m_sum) / (a + b + m_sum);
            assert!((churn_probability(a, b, m_sum, 1.0) - want).abs() < 1e-15);
        }
    }

    #[test]
    fn churn_probability_for_other_multipliers_matches_the_beta_integral() {
        // For integer m, 1 - B(a, b + m) / B(a, b) = 1 - prod_{j<m} (b + j) / (a + b + j).
        let (a, b) = (0.9, 12.0);
        let prod: f64 = (0..3).map(|j| (b + j as f64) / (a + b + j as f64)).product();
        assert!((churn_probability(a, b, 0.0, 3.0) - (1.0 - prod)).abs() < 1e-12);
        assert!(churn_probability(a, b, 5.0, 0.0).abs() < 1e-12);
    }
}
