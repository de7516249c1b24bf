//! Which groups differ: each group against all the others pooled says
//! whether a group differs from the rest, but the rest may itself hold the
//! groups that differ. When one platform's submissions are never decided,
//! every other platform is decided faster than "the rest" (which includes
//! it), and all of them appear to differ. So the groups that differ are
//! set aside one at a time, most different first, as in Rosner's
//! generalised extreme-studentised-deviate procedure for outliers:
//!
//! 1. among the groups not yet set aside, each is tested against the
//!    others (log-rank, 1 degree of freedom), over the observations of
//!    those groups only;
//! 2. the group with the largest statistic is set aside when its p-value,
//!    multiplied by the number of groups tested at that step and never
//!    below the adjusted p-value of the step before (Holm's step-down
//!    adjustment), is below the level, and at least three groups are left
//!    to test; then back to 1;
//! 3. otherwise the groups left are "alike": their adjusted p-values are
//!    Holm's over their last tests, never below the last one set aside.
//!
//! With two groups left the test of one against the other is the same for
//! both: if they differ the procedure cannot say which is the odd one out,
//! and says so ([`StepDown::last_two_differ`]).
//!
//! Each step costs two passes over the observations of the groups left, so
//! the steps are capped by [`STEP_DOWN_WORK`] observations x steps in all
//! (100 steps for a log of ten million submissions); a log where more
//! groups differ stops there, and says so.

use crate::analysis::survival::logrank::{counts_sorted, vs_rest_test};
use crate::analysis::survival::multiple::holm;
use crate::analysis::survival::{ChiSquareTest, Packed};
use serde::Serialize;

/// The most observations x steps the procedure works through.
pub const STEP_DOWN_WORK: u64 = 1_000_000_000;

/// A group's log-rank test against a set of others.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RestTest {
    /// Decisions observed, O.
    pub observed: usize,
    /// Decisions expected were the group treated as the others, E.
    pub expected: f64,
    /// (O - E)^2 / V.
    pub statistic: f64,
    /// Its p-value on 1 degree of freedom.
    pub p_value: f64,
    /// Adjusted for the multiple tests (Holm).
    pub adjusted: f64,
    /// How many other groups it was tested against.
    pub against: usize,
}

/// The outcome of the procedure.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDown {
    /// The groups set aside, in order, with the test that set each aside.
    pub set_aside: Vec<(usize, RestTest)>,
    /// The groups left, with their last test (`None` when undefined: no
    /// decision with another group at risk).
    pub alike: Vec<(usize, Option<RestTest>)>,
    /// Whether the procedure ended with two groups that differ from each
    /// other (which one is the odd one out cannot be said).
    pub last_two_differ: bool,
    /// Why it stopped early, if it did.
    pub stopped: Option<String>,
}

/// The test of group `g` from counts, with `adjusted` and `against` set by
/// the caller.
fn test_of(c: &crate::analysis::survival::logrank::GroupCounts) -> Option<(f64, f64)> {
    vs_rest_test(c).map(|t: ChiSquareTest| (t.statistic, t.p_value))
}

/// Runs the procedure on observations sorted by time in groups 0..`k`
/// (groups without observations take no part) at level `alpha`.
pub(crate) fn step_down(sorted: &[Packed], k: usize, alpha: f64) -> StepDown {
    let mut active: Vec<bool> = vec![false; k];
    for p in sorted {
        active[p.group as usize] = true;
    }
    let mut current: Option<Vec<Packed>> = None;
    let mut set_aside = Vec::new();
    let mut running = 0.0f64;
    let mut stopped = None;
    let mut work = 0u64;
    loop {
        let obs: &[Packed] = current.as_deref().unwrap_or(sorted);
        work += obs.len() as u64;
        let counts = counts_sorted(obs, k);
        let left: Vec<usize> = (0..k).filter(|&g| active[g]).collect();
        let tests: Vec<(usize, (f64, f64))> = left
            .iter()
            .filter_map(|&g| test_of(&counts[g]).map(|t| (g, t)))
            .collect();
        let m = tests.len();
        let worst = tests
            .iter()
            .copied()
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then(b.0.cmp(&a.0)));
        let next = match worst {
            Some((g, (statistic, p))) if left.len() >= 3 => {
                let adjusted = (m as f64 * p).max(running).min(1.0);
                (adjusted < alpha).then_some((g, statistic, p, adjusted))
            }
            _ => None,
        };
        let Some((g, statistic, p_value, adjusted)) = next else {
            return finish(&counts, &left, &tests, running, alpha, set_aside, stopped);
        };
        if work + obs.len() as u64 > STEP_DOWN_WORK {
            stopped = Some(format!(
                "stopped after setting {} aside: the next step would pass the limit of {} observations x steps; \
                 the groups left may still hold some that differ",
                set_aside.len(),
                STEP_DOWN_WORK
            ));
            return finish(&counts, &left, &tests, running, alpha, set_aside, stopped);
        }
        running = adjusted;
        set_aside.push((
            g,
            RestTest {
                observed: counts[g].observed,
                expected: counts[g].expected,
                statistic,
                p_value,
                adjusted,
                against: left.len() - 1,
            },
        ));
        active[g] = false;
        let g = g as u32;
        current = Some(obs.iter().copied().filter(|p| p.group != g).collect());
    }
}

/// The groups `left` with their last tests, Holm-adjusted and never below
/// `running`.
fn finish(
    counts: &[crate::analysis::survival::logrank::GroupCounts],
    left: &[usize],
    tests: &[(usize, (f64, f64))],
    running: f64,
    alpha: f64,
    set_aside: Vec<(usize, RestTest)>,
    stopped: Option<String>,
) -> StepDown {
    let p: Vec<f64> = tests.iter().map(|t| t.1.1).collect();
    let adjusted = holm(&p).unwrap_or_else(|_| vec![1.0; p.len()]);
    let alike: Vec<(usize, Option<RestTest>)> = left
        .iter()
        .map(|&g| {
            let test = tests.iter().position(|t| t.0 == g).map(|i| RestTest {
                observed: counts[g].observed,
                expected: counts[g].expected,
                statistic: tests[i].1.0,
                p_value: tests[i].1.1,
                adjusted: adjusted[i].max(running).min(1.0),
                against: left.len() - 1,
            });
            (g, test)
        })
        .collect();
    let last_two_differ = left.len() == 2 && alike.iter().any(|(_, t)| t.is_some_and(|t| t.adjusted < alpha));
    StepDown {
        set_aside,
        alike,
        last_two_differ,
        stopped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::survival::sort_packed;

    fn sorted(groups: &[(u32, Vec<(f64, bool)>)]) -> Vec<Packed> {
        let mut v: Vec<Packed> = groups
            .iter()
            .flat_map(|(g, obs)| obs.iter().map(move |&(t, e)| Packed::new(t, *g, e)))
            .collect();
        sort_packed(&mut v);
        v
    }

    /// Three platforms: two decided in about a day, one never decided
    /// (its submissions withdrawn after a week). Against all the others
    /// every one of them differs; set aside one at a time, only the one
    /// never decided does.
    #[test]
    fn a_platform_never_decided_is_set_aside_and_its_rivals_stay_alike() {
        let day = |i: usize| 10.0 + (i * 37 % 29) as f64;
        let a: Vec<(f64, bool)> = (0..40).map(|i| (day(i), true)).collect();
        let b: Vec<(f64, bool)> = (0..40).map(|i| (day(i + 3) + 0.5, true)).collect();
        let c: Vec<(f64, bool)> = (0..40).map(|_| (168.0, false)).collect();
        let obs = sorted(&[(0, a), (1, b), (2, c)]);
        // Each against all the others: all three differ.
        let all = crate::analysis::survival::logrank::each_vs_rest_sorted(&obs, 3);
        assert!(all.iter().all(|t| t.holm_p_value.unwrap() < 0.001), "{all:?}");
        let s = step_down(&obs, 3, 0.05);
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!(s.set_aside[0].0, 2);
        assert!(s.set_aside[0].1.adjusted < 1e-6);
        assert_eq!(s.set_aside[0].1.against, 2);
        assert_eq!(s.alike.iter().map(|a| a.0).collect::<Vec<_>>(), [0, 1]);
        for (_, t) in &s.alike {
            let t = t.unwrap();
            assert!(t.adjusted > 0.05 && t.adjusted >= s.set_aside[0].1.adjusted, "{t:?}");
            assert_eq!(t.against, 1);
        }
        assert!(!s.last_two_differ && s.stopped.is_none());
    }

    #[test]
    fn two_groups_that_differ_are_said_to_differ_from_each_other() {
        let a: Vec<(f64, bool)> = (1..=30).map(|i| (f64::from(i), true)).collect();
        let b: Vec<(f64, bool)> = (1..=30).map(|i| (f64::from(i) * 10.0, true)).collect();
        let s = step_down(&sorted(&[(0, a), (1, b)]), 2, 0.05);
        assert!(s.set_aside.is_empty());
        assert!(s.last_two_differ);
        // Empty groups take no part.
        let a: Vec<(f64, bool)> = (1..=30).map(|i| (f64::from(i), true)).collect();
        let b: Vec<(f64, bool)> = (1..=30).map(|i| (f64::from(i) + 0.5, true)).collect();
        let s = step_down(&sorted(&[(0, a), (2, b)]), 4, 0.05);
        assert_eq!(s.alike.iter().map(|a| a.0).collect::<Vec<_>>(), [0, 2]);
        assert!(!s.last_two_differ);
    }
}
