//! From the groups of a log to the review classes of a scenario that
//! reproduce it: one class per set of groups that do not differ.
//!
//! - The groups the step-down found alike ([`super::stepdown`]) make the
//!   class `typical`. When the last two groups differ from each other,
//!   the one with more submissions stays `typical` and the other is
//!   treated as one that differs.
//! - Groups that differ and never had a decision make the class
//!   `never-decided` (a hold that never ends).
//! - The other groups that differ, in order of their restricted mean
//!   time to decision, are pooled while each next group does not differ
//!   from the pool (two-sample log-rank at the tests' level); each pool is
//!   a class, `faster`, `faster-2`, ... (closest to typical first) or
//!   `slower`, `slower-2`, ....
//!
//! Each class has its pooled Kaplan-Meier figures, its rejection
//! probability (rejections among decisions, with Wilson's interval) and
//! its decision-time distribution: the best of the four duration families
//! (censoring included) fitted to its pooled submissions (a class of more
//! than [`MAX_FITTED`] submissions is fitted to that many of them, every
//! m-th in order of time), else, with too few decisions to fit two
//! parameters, the exponential whose mean is the time observed over the
//! decisions (its maximum-likelihood estimate with censoring).

use super::{ALPHA, Figures, GroupStats, ShareCi, StepDown, best_family};
use crate::analysis::fit::FamilyFit;
use crate::analysis::survival::kaplan_meier::{BandScale, from_sorted};
use crate::analysis::survival::logrank::logrank_two_sample;
use crate::analysis::survival::proportions::wilson;
use crate::analysis::survival::{Observation, Packed};
use serde::Serialize;

/// The most submissions a class's families are fitted to.
pub const MAX_FITTED: usize = 100_000;

/// A class's decision-time distribution.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClassReview {
    /// The best of the four families.
    Family(FamilyFit),
    /// Too few decisions to fit two parameters: the exponential with
    /// this mean (hours).
    Exponential {
        /// The mean, hours.
        mean: f64,
    },
    /// No decision at all: the hold never ends.
    Never,
}

/// A review class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Class {
    /// Its name in the scenario.
    pub name: String,
    /// Its groups.
    pub members: Vec<usize>,
    /// Its pooled Kaplan-Meier figures.
    pub figures: Figures,
    /// Approvals.
    pub approved: usize,
    /// Rejections.
    pub rejected: usize,
    /// The share of decisions that were rejections.
    pub rejection: Option<ShareCi>,
    /// Its decision-time distribution.
    pub review: ClassReview,
    /// Submissions the family was fitted to, when fewer than the class's.
    pub fitted_on: Option<usize>,
}

/// Every `m`-th of `p` (in order), `m` making at most [`MAX_FITTED`].
fn thinned(p: &[Packed]) -> Vec<Packed> {
    let m = p.len().div_ceil(MAX_FITTED).max(1);
    p.iter().step_by(m).copied().collect()
}

/// The class of the groups `members` (observations `obs`, time-sorted).
fn class_of(name: String, members: Vec<usize>, groups: &[GroupStats], obs: &[Packed], tau: f64) -> Class {
    let km = from_sorted(obs, BandScale::LogLog);
    let figures = Figures::of(&km, tau);
    drop(km);
    let approved: usize = members.iter().map(|&g| groups[g].approved).sum();
    let rejected: usize = members.iter().map(|&g| groups[g].rejected).sum();
    let decisions = figures.decisions;
    let fitted = if obs.len() > MAX_FITTED {
        thinned(obs)
    } else {
        Vec::new()
    };
    let sample: &[Packed] = if fitted.is_empty() { obs } else { &fitted };
    let review = if decisions == 0 {
        ClassReview::Never
    } else {
        match best_family(sample) {
            Some(f) => ClassReview::Family(f),
            None => ClassReview::Exponential {
                mean: obs.iter().map(|p| p.time()).sum::<f64>() / decisions as f64,
            },
        }
    };
    Class {
        name,
        members,
        figures,
        approved,
        rejected,
        rejection: wilson(rejected as u64, (approved + rejected) as u64).map(|s| ShareCi {
            estimate: s.estimate,
            lower: s.lower,
            upper: s.upper,
        }),
        fitted_on: (!fitted.is_empty() && matches!(review, ClassReview::Family(_))).then_some(fitted.len()),
        review,
    }
}

/// The observations of `members`, time-sorted (from `sorted`).
fn pooled(sorted: &[Packed], members: &[usize], k: usize) -> Vec<Packed> {
    let mut member = vec![false; k];
    for &g in members {
        member[g] = true;
    }
    sorted.iter().filter(|p| member[p.group as usize]).copied().collect()
}

/// The classes of a log whose groups are `groups`, observations `sorted`
/// (by time), found alike or not by `step_down`; means restricted to
/// `tau` hours.
pub(crate) fn classes(step_down: &StepDown, groups: &[GroupStats], sorted: &[Packed], tau: f64) -> Vec<Class> {
    let k = groups.len();
    let mut typical: Vec<usize> = step_down.alike.iter().map(|a| a.0).collect();
    let mut differ: Vec<usize> = step_down.set_aside.iter().map(|s| s.0).collect();
    if step_down.last_two_differ && typical.len() == 2 {
        let (a, b) = (typical[0], typical[1]);
        let (keep, other) = if groups[b].submissions > groups[a].submissions {
            (b, a)
        } else {
            (a, b)
        };
        typical = vec![keep];
        differ.push(other);
    }
    let mut out = Vec::new();
    let typical_obs = pooled(sorted, &typical, k);
    let base = class_of("typical".into(), typical.clone(), groups, &typical_obs, tau);
    let base_mean = base.figures.restricted_mean.unwrap_or(0.0);
    drop(typical_obs);
    out.push(base);
    let (never, mut timed): (Vec<usize>, Vec<usize>) = differ
        .into_iter()
        .partition(|&g| groups[g].approved + groups[g].rejected == 0);
    let mean = |g: usize| groups[g].figures.restricted_mean.unwrap_or(0.0);
    timed.sort_by(|&a, &b| mean(a).total_cmp(&mean(b)).then(a.cmp(&b)));
    // Pools of groups that do not differ from the pool so far.
    let mut pools: Vec<Vec<usize>> = Vec::new();
    let mut pool_obs: Vec<Observation> = Vec::new();
    for g in timed {
        let obs: Vec<Observation> = pooled(sorted, &[g], k)
            .iter()
            .map(|p| Observation {
                time: p.time(),
                event: p.event,
            })
            .collect();
        let joins = !pool_obs.is_empty()
            && logrank_two_sample(&pool_obs, &obs)
                .ok()
                .and_then(|t| t.test)
                .is_none_or(|t| t.p_value >= ALPHA);
        if joins {
            if let Some(last) = pools.last_mut() {
                last.push(g);
            }
            pool_obs.extend(obs);
        } else {
            pools.push(vec![g]);
            pool_obs = obs;
        }
    }
    let mut faster = Vec::new();
    let mut slower = Vec::new();
    for members in pools {
        let obs = pooled(sorted, &members, k);
        let c = class_of(String::new(), members, groups, &obs, tau);
        if c.figures.restricted_mean.unwrap_or(0.0) < base_mean {
            faster.push(c);
        } else {
            slower.push(c);
        }
    }
    // Faster classes from the closest to typical; slower likewise.
    faster.reverse();
    for (list, word) in [(faster, "faster"), (slower, "slower")] {
        for (i, mut c) in list.into_iter().enumerate() {
            c.name = if i == 0 {
                word.to_string()
            } else {
                format!("{word}-{}", i + 1)
            };
            out.push(c);
        }
    }
    if !never.is_empty() {
        let obs = pooled(sorted, &never, k);
        out.push(class_of("never-decided".into(), never, groups, &obs, tau));
    }
    out
}
