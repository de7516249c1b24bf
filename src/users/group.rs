//! A group of the aggregate representation: users of one platform who share
//! a posterior for their churn propensity, with where they were acquired
//! (for the cohort records); and, for `users.mode = "merged"`, how old groups
//! are merged.
//!
//! **Merging and its error.** Users acquired by a platform on different
//! days differ only in the exposure they survived: a survivor's propensity
//! has the posterior Beta(alpha, b), b = beta + M, and every group's b grows
//! by the same multiplier each day. As groups age, the relative differences
//! of their b shrink, and with them the differences of their churn. Mode
//! "merged" merges neighbouring groups (in acquisition order) whose b lie
//! within a factor 1 + tolerance of each other, into one group with the
//! posterior Beta(alpha, b*), 1 / b* the size-weighted mean of 1 / b (so the
//! merged group churns at the mean rate of its members). A group's range of
//! b is kept as groups merge, so no merged group ever spans more than that
//! factor. For large b a member's survival after further exposure x is
//! (1 + x/b)^-alpha, a convex function of 1/b; by Jensen's inequality and
//! its second derivative, the expected survivors of a merged group are below
//! those of its members by at most alpha (alpha + 1) (1 + tol)^alpha tol^2 / 8
//! of them, at every later time (6e-5 for alpha = 0.704 and the default
//! tolerance 0.02); their order rates are unaffected (the beta split of the
//! platform's total is exact whatever the groups).
//!
//! Cohort records stay by cohort: a group keeps, per cohort of its members,
//! their number and mean acquisition day. A merged group's losses are split
//! among its cohorts as a uniform draw of its members (hypergeometric) and
//! recorded at the age counted from each cohort part's mean day, which is
//! exact to first order in the spread of acquisition days.

use super::churn::{ChurnLaw, Posterior};
use super::record::Recorder;
use crate::rng::Stream;
use crate::sample;

/// Members of a group acquired in one cohort.
#[derive(Clone, Copy, Debug)]
struct Part {
    /// Cohort index (see [`super::record::cohort_of`]).
    cohort: u32,
    /// Members still active.
    n: u64,
    /// Their mean acquisition day (a whole day unless merged).
    day: f64,
}

/// Users of one platform with a common posterior.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    /// Users still active.
    pub(crate) n: u64,
    /// The posterior Beta(alpha, b) of a survivor's propensity.
    pub(crate) post: Posterior,
    /// Lowest and highest b of the groups merged into this one.
    b_lo: f64,
    b_hi: f64,
    /// The cohort part of its members; more when merged across cohorts.
    first: Part,
    more: Vec<Part>,
}

impl Group {
    /// `n` users acquired on `day` with the posterior Beta(alpha, `b`).
    pub(crate) fn new(law: &ChurnLaw, n: u64, day: u64, b: f64) -> Group {
        Group {
            n,
            post: law.posterior(b),
            b_lo: b,
            b_hi: b,
            first: Part {
                cohort: super::record::cohort_of(day) as u32,
                n,
                day: day as f64,
            },
            more: Vec::new(),
        }
    }

    /// A day of multiplier `m` passed (after its churn step).
    #[inline]
    pub(crate) fn aged(&mut self, m: f64) {
        self.b_lo += m;
        self.b_hi += m;
    }

    /// `k` members of platform `p` leave on `today`: recorded by cohort
    /// and age. With members from several cohorts, which ones leave is a
    /// uniform draw from `rng`.
    #[inline]
    pub(crate) fn lose(&mut self, p: usize, k: u64, today: u64, rec: &mut Recorder, rng: &mut Stream) {
        if k == 0 {
            return;
        }
        if self.more.is_empty() {
            self.first.n -= k;
            self.n -= k;
            rec.lost_in(p, self.first.cohort as usize, age(today, self.first.day), k);
            return;
        }
        let mut left_total = self.n;
        let mut left_k = k;
        let count = 1 + self.more.len();
        for i in 0..count {
            let part = if i == 0 { &mut self.first } else { &mut self.more[i - 1] };
            let x = if i + 1 == count {
                left_k
            } else if left_k <= EXACT_SPLIT {
                sample::hypergeometric(rng, left_total, part.n, left_k)
            } else {
                // Conditional binomials: the multinomial split, which differs
                // from the hypergeometric by about losses / members.
                let share = part.n as f64 / left_total as f64;
                sample::binomial(rng, left_k, share).clamp(left_k.saturating_sub(left_total - part.n), part.n)
            };
            left_total -= part.n;
            left_k -= x;
            part.n -= x;
            if x > 0 {
                rec.lost_in(p, part.cohort as usize, age(today, part.day), x);
            }
        }
        self.n -= k;
        self.more.retain(|part| part.n > 0);
        if self.first.n == 0
            && let Some(next) = self.more.pop()
        {
            self.first = next;
        }
    }

    /// Absorbs the younger neighbour `other` (see the module documentation).
    fn absorb(&mut self, law: &ChurnLaw, other: Group) {
        let n = self.n + other.n;
        let inv = (self.n as f64 / self.post.b + other.n as f64 / other.post.b) / n as f64;
        self.post = law.posterior(1.0 / inv);
        self.n = n;
        self.b_lo = self.b_lo.min(other.b_lo);
        self.b_hi = self.b_hi.max(other.b_hi);
        for part in std::iter::once(other.first).chain(other.more) {
            if part.n == 0 {
                continue;
            }
            let same = std::iter::once(&mut self.first)
                .chain(self.more.iter_mut())
                .find(|q| q.cohort == part.cohort);
            match same {
                Some(q) => {
                    let total = q.n + part.n;
                    q.day = (q.day * q.n as f64 + part.day * part.n as f64) / total as f64;
                    q.n = total;
                }
                None => self.more.push(part),
            }
        }
    }
}

/// Losses of a group split among its cohort parts one by one
/// (hypergeometric) up to this many; beyond, by conditional binomials.
const EXACT_SPLIT: u64 = 32;

/// The age of a member acquired on (mean) day `day` on `today`, in whole
/// days: the smallest recorded-age threshold its loss falls under.
#[inline]
fn age(today: u64, day: f64) -> u64 {
    let a = today as f64 - day - 1e-9;
    if a <= 0.0 {
        return 0;
    }
    let whole = a as u64;
    whole + u64::from((whole as f64) < a)
}

/// Merges neighbouring groups (ordered from oldest to youngest) whose b
/// lie within a factor 1 + `tolerance`.
pub(crate) fn merge(groups: &mut Vec<Group>, law: &ChurnLaw, tolerance: f64) {
    let fits = |a: &Group, b: &Group| a.b_hi.max(b.b_hi) <= (1.0 + tolerance) * a.b_lo.min(b.b_lo);
    if !groups.windows(2).any(|w| fits(&w[0], &w[1])) {
        return;
    }
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    for g in groups.drain(..) {
        match out.last_mut() {
            Some(last) if fits(last, &g) => last.absorb(law, g),
            _ => out.push(g),
        }
    }
    *groups = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn groups_merge_only_within_the_tolerance_and_keep_their_members() {
        let law = ChurnLaw::new(0.704);
        let mut gs: Vec<Group> = (0..40u64)
            .map(|d| Group::new(&law, 100 + d, d, 1000.0 - d as f64))
            .collect();
        let total: u64 = gs.iter().map(|g| g.n).sum();
        merge(&mut gs, &law, 0.01);
        assert_eq!(gs.iter().map(|g| g.n).sum::<u64>(), total);
        for g in &gs {
            assert!(g.b_hi <= 1.01 * g.b_lo);
            let parts: u64 = std::iter::once(&g.first).chain(&g.more).map(|p| p.n).sum();
            assert_eq!(parts, g.n);
        }
        // 1000 / 990 is within 1%: groups of about ten days each.
        assert!(gs.len() < 8 && gs.len() > 2, "{} groups", gs.len());
        let mut apart: Vec<Group> = (0..3u64)
            .map(|d| Group::new(&law, 10, d, 20.0 + 5.0 * d as f64))
            .collect();
        merge(&mut apart, &law, 0.02);
        assert_eq!(apart.len(), 3);
    }

    #[test]
    fn a_merged_group_churns_at_the_mean_rate_of_its_members() {
        let law = ChurnLaw::new(0.704);
        let (a, b) = (Group::new(&law, 300, 10, 900.0), Group::new(&law, 100, 11, 890.0));
        let want = (300.0 * law.step(900.0, 1.0).p + 100.0 * law.step(890.0, 1.0).p) / 400.0;
        let mut gs = vec![a, b];
        merge(&mut gs, &law, 0.02);
        let got = law.step(gs[0].post.b, 1.0).p;
        assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
    }

    #[test]
    fn losses_of_a_group_across_cohorts_are_shared_out_and_all_recorded() {
        let law = ChurnLaw::new(0.704);
        let mut gs: Vec<Group> = (1..=20u64)
            .map(|d| Group::new(&law, 50, d, 5000.0 - d as f64))
            .collect();
        merge(&mut gs, &law, 0.02);
        assert_eq!(gs.len(), 1);
        assert_eq!(1 + gs[0].more.len(), 3, "days 1 to 20 span three weekly cohorts");
        let mut rec = Recorder::new(1, 10_000, 400);
        for d in 1..=20 {
            rec.acquired(0, d, 50);
        }
        let mut rng = stream(1, 0, "group-test");
        gs[0].lose(0, 400, 300, &mut rec, &mut rng);
        assert_eq!(gs[0].n, 600);
        let r = rec.finish();
        let lost: u64 = r.platforms[0]
            .cohorts
            .iter()
            .skip(1)
            .map(|c| c.size - c.survivors.last().copied().unwrap_or(c.size))
            .sum();
        assert_eq!(lost, 400);
    }
}
