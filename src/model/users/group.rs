//! A group of the aggregate representation: users of one platform and one
//! cohort who share a posterior for their churn propensity, with their mean
//! acquisition day (for the cohort records); and, for `users.mode =
//! "merged"`, how old groups are merged.
//!
//! **Merging and its error.** Users acquired by a platform on different
//! days differ only in the exposure they survived: a survivor's propensity
//! has the posterior Beta(alpha, b), b = beta + M, and every group's b grows
//! by the same multiplier each day. As groups age, the relative differences
//! of their b shrink, and with them the differences of their churn. Mode
//! "merged" merges neighbouring groups (in acquisition order) of the same
//! cohort whose b lie within a factor 1 + tolerance of each other, into one
//! group with the
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
//! Groups merge only within a cohort, so a cohort's records see its own
//! members only; a merged group's losses are recorded at the age counted
//! from its members' mean acquisition day (rounded, when it falls between
//! days, to one of the two around it at random in proportion, once when
//! the group forms), which is exact in expectation to first order in the
//! spread of their acquisition days (at most 6 days in the first year's
//! weekly cohorts, 27 in the 4-week cohorts after).

use super::churn::{ChurnLaw, Posterior};
use super::record::{Recorder, cohort_of};
use crate::core::rng::Stream;
use rand::RngExt;

/// Users of one platform with a common posterior, all of one cohort.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    /// Users still active.
    pub(crate) n: u64,
    /// The posterior Beta(alpha, b) of a survivor's propensity.
    pub(crate) post: Posterior,
    /// Lowest and highest b of the groups merged into this one.
    b_lo: f64,
    b_hi: f64,
    /// The cohort of its members.
    cohort: u32,
    /// Their mean acquisition day (a whole day unless merged).
    day: f64,
    /// The day its members' ages count from in the records: `day`, or
    /// when that falls between days, one of the two around it, the later
    /// with probability the fraction (drawn when the group is formed).
    origin: u64,
}

impl Group {
    /// `n` users acquired on `day` with the posterior Beta(alpha, `b`).
    pub(crate) fn new(law: &ChurnLaw, n: u64, day: u64, b: f64) -> Group {
        Group {
            n,
            post: law.posterior(b),
            b_lo: b,
            b_hi: b,
            cohort: cohort_of(day) as u32,
            day: day as f64,
            origin: day,
        }
    }

    /// The cohort of its members.
    #[inline]
    pub(crate) fn cohort(&self) -> u32 {
        self.cohort
    }

    /// A day of multiplier `m` passed (after its churn step).
    #[inline]
    pub(crate) fn aged(&mut self, m: f64) {
        self.b_lo += m;
        self.b_hi += m;
    }

    /// `k` members of platform `p` leave on `today`, recorded by cohort and
    /// age (counted from the group's origin).
    #[inline]
    pub(crate) fn lose(&mut self, p: usize, k: u64, today: u64, rec: &mut Recorder) {
        if k > 0 {
            self.n -= k;
            rec.lost_in(p, self.cohort as usize, today.saturating_sub(self.origin), k);
        }
    }

    /// Whether `self` and its younger neighbour `other` may merge.
    fn fits(&self, other: &Group, tolerance: f64) -> bool {
        self.cohort == other.cohort && self.b_hi.max(other.b_hi) <= (1.0 + tolerance) * self.b_lo.min(other.b_lo)
    }

    /// Absorbs the younger neighbour `other` (see the module documentation).
    fn absorb(&mut self, law: &ChurnLaw, other: Group, rng: &mut Stream) {
        let n = self.n + other.n;
        let inv = (self.n as f64 / self.post.b + other.n as f64 / other.post.b) / n as f64;
        self.post = law.posterior(1.0 / inv);
        self.day = (self.day * self.n as f64 + other.day * other.n as f64) / n as f64;
        let whole = self.day as u64;
        let frac = self.day - whole as f64;
        self.origin = whole + u64::from(frac > 0.0 && rng.random::<f64>() < frac);
        self.n = n;
        self.b_lo = self.b_lo.min(other.b_lo);
        self.b_hi = self.b_hi.max(other.b_hi);
    }
}

/// Merges neighbouring groups (ordered from oldest to youngest) of one
/// cohort whose b lie within a factor 1 + `tolerance`.
pub(crate) fn merge(groups: &mut Vec<Group>, law: &ChurnLaw, tolerance: f64, rng: &mut Stream) {
    // In place: `kept` groups are final; each next group is absorbed by
    // the last of them or becomes the next one.
    let Some(first) = groups.windows(2).position(|w| w[0].fits(&w[1], tolerance)) else {
        return;
    };
    let mut kept = first + 1;
    for i in first + 1..groups.len() {
        if groups[kept - 1].fits(&groups[i], tolerance) {
            let g = groups[i].clone();
            groups[kept - 1].absorb(law, g, rng);
        } else {
            groups.swap(kept, i);
            kept += 1;
        }
    }
    groups.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::stream;

    #[test]
    fn groups_merge_only_within_the_tolerance_and_their_cohort() {
        let law = ChurnLaw::new(0.704);
        // Days 1 to 28: four weekly cohorts, b within 3% of each other.
        let mut gs: Vec<Group> = (1..=28u64)
            .map(|d| Group::new(&law, 100 + d, d, 1000.0 - d as f64))
            .collect();
        let total: u64 = gs.iter().map(|g| g.n).sum();
        let mut rng = stream(1, 0, "group-test");
        merge(&mut gs, &law, 0.01, &mut rng);
        assert_eq!(gs.iter().map(|g| g.n).sum::<u64>(), total);
        assert_eq!(gs.len(), 4, "one group per weekly cohort");
        for g in &gs {
            assert!(g.b_hi <= 1.01 * g.b_lo);
        }
        let mut apart: Vec<Group> = (1..=3u64)
            .map(|d| Group::new(&law, 10, d, 20.0 + 5.0 * d as f64))
            .collect();
        merge(&mut apart, &law, 0.02, &mut rng);
        assert_eq!(apart.len(), 3);
    }

    #[test]
    fn a_merged_group_churns_at_the_mean_rate_of_its_members() {
        let law = ChurnLaw::new(0.704);
        let (a, b) = (Group::new(&law, 300, 10, 900.0), Group::new(&law, 100, 11, 890.0));
        let want = (300.0 * law.step(900.0, 1.0).p + 100.0 * law.step(890.0, 1.0).p) / 400.0;
        let mut gs = vec![a, b];
        merge(&mut gs, &law, 0.02, &mut stream(1, 0, "group-test"));
        assert_eq!(gs.len(), 1);
        assert_eq!(gs[0].day, 10.25);
        let got = law.step(gs[0].post.b, 1.0).p;
        assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
    }

    #[test]
    fn a_merged_group_counts_ages_from_a_day_around_its_mean_day() {
        let law = ChurnLaw::new(0.704);
        let mut later = 0;
        for seed in 0..400 {
            let mut gs = vec![Group::new(&law, 100, 1, 900.0), Group::new(&law, 300, 2, 899.0)];
            merge(&mut gs, &law, 0.02, &mut stream(seed, 0, "group-test"));
            assert_eq!(gs[0].day, 1.75);
            assert!(gs[0].origin == 1 || gs[0].origin == 2);
            later += u64::from(gs[0].origin == 2);
        }
        // Day 2 with probability 0.75: 300 of 400 within 4 standard deviations (8.7).
        assert!(
            (later as f64 - 300.0).abs() <= 4.0 * (400.0f64 * 0.75 * 0.25).sqrt(),
            "{later}"
        );
        let mut rec = Recorder::new(1, 10_000, 400);
        rec.acquired(0, 1, 400);
        let mut g = Group::new(&law, 400, 1, 900.0);
        g.lose(0, 50, 31, &mut rec);
        let c = &rec.finish().platforms[0].cohorts[1];
        assert_eq!((c.survivors_at(29), c.survivors_at(30)), (Some(400), Some(350)));
    }
}
