//! Review logs, model-free: from a log of submissions (when each was made,
//! when and how it was decided, some still pending) to the evidence that a
//! platform's reviews were treated differently, and to the review classes
//! of a scenario that reproduce the log.
//!
//! - [`time`]: ISO 8601 date-times onto one time line;
//! - [`log`]: the log's reader (a row at a time, through the core's CSV
//!   reader), its checks, and the observations it makes (decisions, and
//!   withdrawals and pending submissions right-censored);
//! - [`stepdown`]: which groups differ, set aside one at a time;
//! - [`classes`]: groups that do not differ pooled into review classes,
//!   each with its decision-time distribution and rejection probability;
//! - this file: [`analyse`], every figure per group (counts, the approval
//!   share with Wilson's interval, the Kaplan-Meier median and 90th
//!   percentile with Brookmeyer-Crowley intervals, the restricted mean, the
//!   best duration family) and the tests of unequal treatment (the
//!   k-sample log-rank test, each group against all the others with Holm's
//!   adjustment, the step-down, Cox hazard ratios against a reference,
//!   Fisher's exact test of each approval share against the others').
//!
//! Everything costs O(n log n) in the number of submissions n, whatever
//! the number of groups k (the k-sample test too, by conjugate gradients
//! beyond 500 groups: O(n) per iteration, as
//! [`crate::analysis::survival::logrank`] documents), except what is
//! capped and said: the step-down (at most [`stepdown::STEP_DOWN_WORK`]
//! observations x steps), the hazard ratios (one two-sample Cox fit per
//! group: O(n_g + n_ref) each, capped at [`COX_WORK`] observations in all;
//! against the others pooled each costs O(n)), and the duration families
//! fitted per group (at most [`MAX_GROUP_FITS`] groups; the classes are
//! always fitted).

pub(crate) mod classes;
pub(crate) mod log;
pub(crate) mod stepdown;
pub(crate) mod time;

pub use classes::{Class, ClassReview};
pub use log::{By, LogOptions, Outcome, ReviewLog, TimeScale, parse_log, read_log};
pub use stepdown::{RestTest, StepDown};

use crate::analysis::fit::duration_data::DurationData;
use crate::analysis::fit::{FamilyFit, Unit, fit_durations};
use crate::analysis::survival::cox::{CoxTwoSample, NoEstimate, Ties, cox_two_sample};
use crate::analysis::survival::kaplan_meier::{BandScale, KaplanMeier, from_sorted, split_by_group};
use crate::analysis::survival::logrank::{each_vs_rest_sorted, k_sample_sorted};
use crate::analysis::survival::multiple::holm;
use crate::analysis::survival::proportions::{chi_square_homogeneity, fisher_exact, wilson};
use crate::analysis::survival::{Observation, Packed, sort_packed};
use rayon::prelude::*;
use serde::Serialize;

/// The level of every test (two-sided), after adjustment.
pub const ALPHA: f64 = 0.05;

/// The most observations the hazard ratios' Cox fits read in all.
pub const COX_WORK: u64 = 1_000_000_000;

/// The most groups whose decision times are fitted by the four duration
/// families each (a fit costs a few milliseconds per thousand submissions).
pub const MAX_GROUP_FITS: usize = 500;

/// Fewest decisions for a family fit (as `fit durations` asks).
const MIN_FIT_DECISIONS: usize = crate::analysis::fit::duration_data::MIN_COMPLETED;
/// Fewest submissions for a family fit.
const MIN_FIT_SUBMISSIONS: usize = crate::analysis::fit::duration_data::MIN_DURATIONS;

/// The most groups drawn on the Kaplan-Meier chart.
pub const MAX_CURVES: usize = 8;

/// The reference of the hazard ratios.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// The group with the most submissions among those that do not differ.
    Largest,
    /// For each group, all the others pooled.
    Pooled,
    /// A group named.
    Named(String),
}

/// How to analyse a log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewOptions {
    /// The hazard ratios' reference.
    pub reference: Reference,
}

/// An estimate with its 95% interval; `None` where undefined or not
/// reached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub estimate: Option<f64>,
    /// The interval's lower limit.
    pub lower: Option<f64>,
    /// The interval's upper limit.
    pub upper: Option<f64>,
}

/// What the Kaplan-Meier curve of a sample says (hours).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Submissions.
    pub submissions: usize,
    /// Decisions (approvals and rejections).
    pub decisions: usize,
    /// The median time to a decision (Brookmeyer-Crowley interval).
    pub median: Estimate,
    /// The 90th percentile.
    pub p90: Estimate,
    /// The mean time to decision restricted to the longest time observed
    /// in the log.
    pub restricted_mean: Option<f64>,
    /// The restricted mean's standard error.
    pub restricted_mean_se: Option<f64>,
    /// The longest time observed (decided or not).
    pub longest: Option<f64>,
}

impl Figures {
    /// The figures of a curve, the mean restricted to `tau` hours.
    fn of(km: &KaplanMeier, tau: f64) -> Figures {
        let q = |p: f64| {
            km.quantile(p).map_or_else(Estimate::default, |q| Estimate {
                estimate: q.time,
                lower: q.lower,
                upper: q.upper,
            })
        };
        let rm = km.restricted_mean(tau);
        Figures {
            submissions: km.subjects,
            decisions: km.events,
            median: q(0.5),
            p90: q(0.9),
            // Adding +0.0 turns a -0.0 (the root of a -0.0 sum) into 0.
            restricted_mean: rm.map(|r| r.mean + 0.0),
            restricted_mean_se: rm.map(|r| r.std_error + 0.0),
            longest: km.last_time,
        }
    }
}

/// A share with its Wilson 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ShareCi {
    /// The share.
    pub estimate: f64,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

/// A p-value and its Holm adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PTest {
    /// The p-value.
    pub p_value: f64,
    /// Adjusted over the groups (Holm).
    pub adjusted: f64,
}

/// A hazard ratio against the reference, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hazard {
    /// The group is the reference.
    Reference,
    /// The Cox estimate: decisions come `ratio` times as fast as the
    /// reference's (Efron's ties), with the Wald and likelihood-ratio
    /// p-values, and the score (log-rank) p-value.
    Ratio {
        /// exp(beta).
        ratio: f64,
        /// Lower 95% limit.
        lower: f64,
        /// Upper 95% limit.
        upper: f64,
        /// The Wald test's p-value.
        wald_p: f64,
        /// The likelihood-ratio test's p-value.
        likelihood_ratio_p: f64,
        /// The score test's p-value.
        score_p: Option<f64>,
    },
    /// No finite estimate: why, and the score test if defined.
    None {
        /// Why.
        why: String,
        /// Which way the ratio runs off: "zero", "infinity" or neither.
        diverges: Option<&'static str>,
        /// The score test's p-value.
        score_p: Option<f64>,
    },
    /// Not computed (the fits' work would pass its limit).
    NotComputed,
}

/// Why a group's decision times were not fitted by the duration families.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GroupFit {
    /// The best family (lowest AIC) of the four.
    Fitted(FamilyFit),
    /// Too few decisions (or no spread) to fit two parameters.
    TooFew,
    /// More groups than [`MAX_GROUP_FITS`]: left to the classes.
    Skipped,
}

/// Everything about one group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupStats {
    /// The group's name.
    pub name: String,
    /// Submissions kept.
    pub submissions: usize,
    /// Approved.
    pub approved: usize,
    /// Rejected.
    pub rejected: usize,
    /// Withdrawn (censored at the withdrawal).
    pub withdrawn: usize,
    /// Pending when the log was taken (censored there).
    pub pending: usize,
    /// The approval share of decisions, with Wilson's interval.
    pub approval: Option<ShareCi>,
    /// Fisher's exact test of its approval share against the others'.
    pub fisher: Option<PTest>,
    /// The Kaplan-Meier figures of its time to decision.
    pub figures: Figures,
    /// The longest a submission of it was seen pending (or withdrawn).
    pub longest_undecided: Option<f64>,
    /// Its decision times by the duration families.
    pub fit: GroupFit,
    /// Log-rank against all the others pooled.
    pub vs_all: Option<RestTest>,
    /// The hazard ratio against the reference.
    pub hazard: Hazard,
}

/// The k-sample log-rank test, or why there is none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Global {
    /// The statistic.
    pub statistic: Option<f64>,
    /// Degrees of freedom.
    pub df: Option<usize>,
    /// The p-value.
    pub p_value: Option<f64>,
    /// Why it was not computed.
    pub not_computed: Option<String>,
}

/// A Kaplan-Meier curve to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Its label (a group's name, or the pooled groups').
    pub label: String,
    /// The group, if it is one group's curve.
    pub group: Option<usize>,
    /// The curve.
    pub km: KaplanMeier,
    /// Distinct times at which submissions were censored (at most
    /// [`MAX_TICKS`]).
    pub censored: Vec<f64>,
}

/// The most censoring ticks drawn per curve.
pub const MAX_TICKS: usize = 400;

/// Everything said about a log.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// The restricted means' horizon: the longest time observed in the
    /// log (R's common horizon), hours.
    pub tau: f64,
    /// One per group, in the log's order.
    pub groups: Vec<GroupStats>,
    /// Equal times to decision across the groups.
    pub global: Global,
    /// Which groups differ.
    pub step_down: StepDown,
    /// The alike groups pooled.
    pub alike: Figures,
    /// The hazard ratios' reference: a group, or `None` for the others
    /// pooled.
    pub reference: Option<usize>,
    /// Whether the reference is the default (the largest alike group).
    pub reference_is_default: bool,
    /// Why the hazard ratios were not computed, if they were not.
    pub hazards_not_computed: Option<String>,
    /// Equal approval shares across the groups (chi-square), or why untested.
    pub approvals: Result<(f64, usize, f64), String>,
    /// The review classes that reproduce the log.
    pub classes: Vec<Class>,
    /// Why the groups' own duration fits were left out, if they were.
    pub fits_skipped: Option<String>,
    /// The curves to draw: the groups that differ, then the others.
    pub curves: Vec<Curve>,
}

/// Why a log cannot be analysed as asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// `--reference` names no group.
    #[error("--reference {name}: no {what} of that name in the log; the {what}s are {known}.{hint}")]
    UnknownReference {
        /// The name given.
        name: String,
        /// "platform" or "class".
        what: &'static str,
        /// Some of the names there are.
        known: String,
        /// The closest, if close.
        hint: String,
    },
    /// `--reference pooled` on a log too large for it.
    #[error(
        "--reference pooled fits each of the {groups} {what}s against all the others, {work} observations in all, \
         more than the limit of {limit}: name a reference with --reference NAME"
    )]
    PooledTooLarge {
        /// Groups.
        groups: usize,
        /// "platform" or "class".
        what: &'static str,
        /// Observations the fits would read.
        work: u64,
        /// The limit.
        limit: u64,
    },
}

/// The observations of a log as packed records sorted by time.
fn packed(log: &ReviewLog) -> Vec<Packed> {
    let mut v: Vec<Packed> = log
        .hours
        .iter()
        .zip(&log.group)
        .zip(&log.outcome)
        .map(|((&t, &g), o)| Packed::new(t, g, o.decided()))
        .collect();
    sort_packed(&mut v);
    v
}

/// Observations of packed records.
fn observations(p: &[Packed]) -> Vec<Observation> {
    p.iter()
        .map(|p| Observation {
            time: p.time(),
            event: p.event,
        })
        .collect()
}

/// The decision times of `p` for the duration families: zero times left
/// out (no family has mass at 0); `None` when too few to fit.
fn duration_data(p: &[Packed]) -> Option<DurationData> {
    let kept: Vec<&Packed> = p.iter().filter(|p| p.time() > 0.0).collect();
    let completed = kept.iter().filter(|p| p.event).count();
    if kept.len() < MIN_FIT_SUBMISSIONS || completed < MIN_FIT_DECISIONS {
        return None;
    }
    let first = kept.iter().find(|p| p.event)?.time();
    if kept.iter().filter(|p| p.event).all(|p| p.time() == first) {
        return None;
    }
    Some(DurationData {
        column: "hours".into(),
        censored_column: Some("pending".into()),
        values: kept.iter().map(|p| p.time()).collect(),
        censored: kept.iter().map(|p| !p.event).collect(),
    })
}

/// The best of the four families fitted to `p`, or `None`.
pub(crate) fn best_family(p: &[Packed]) -> Option<FamilyFit> {
    let data = duration_data(p)?;
    fit_durations(&data, Unit::Hours).ok().map(|f| f.families[0].clone())
}

/// A Cox fit's hazard.
fn hazard_of(fit: &CoxTwoSample) -> Hazard {
    let score_p = fit.score.map(|s| s.p_value);
    match &fit.fit {
        Ok(e) => Hazard::Ratio {
            ratio: e.hazard_ratio,
            lower: e.lower,
            upper: e.upper,
            wald_p: e.wald.p_value,
            likelihood_ratio_p: e.likelihood_ratio.p_value,
            score_p,
        },
        Err(why) => Hazard::None {
            why: why.to_string(),
            diverges: match why {
                NoEstimate::Zero => Some("zero"),
                NoEstimate::Infinite => Some("infinity"),
                _ => None,
            },
            score_p,
        },
    }
}

/// Analyses `log` as `options` ask.
pub fn analyse(log: &ReviewLog, options: &ReviewOptions) -> Result<Analysis, ReviewError> {
    let k = log.groups.len();
    let n = log.hours.len();
    let what = log.by.column();
    let named = match &options.reference {
        Reference::Named(name) => Some(log.groups.iter().position(|g| g == name).ok_or_else(|| {
            let shown: Vec<&str> = log.groups.iter().take(10).map(String::as_str).collect();
            ReviewError::UnknownReference {
                name: name.clone(),
                what,
                known: if k > 10 {
                    format!("{}, ... ({k} in all)", shown.join(", "))
                } else {
                    shown.join(", ")
                },
                hint: crate::core::table::did_you_mean(name, log.groups.iter().map(String::as_str)),
            }
        })?),
        _ => None,
    };
    if options.reference == Reference::Pooled {
        let work = (k as u64).saturating_mul(n as u64);
        if work > COX_WORK {
            return Err(ReviewError::PooledTooLarge {
                groups: k,
                what,
                work,
                limit: COX_WORK,
            });
        }
    }
    // R's "common" horizon: the longest time observed, which --until bounds.
    let tau = log.hours.iter().copied().fold(0.0f64, f64::max);
    let sorted = packed(log);
    let (by_group, starts) = split_by_group(&sorted, k);
    let slice = |g: usize| &by_group[starts[g]..starts[g + 1]];

    // Counts per group.
    let mut counts = vec![[0usize; 4]; k];
    for (&g, o) in log.group.iter().zip(&log.outcome) {
        let i = match o {
            Outcome::Approved => 0,
            Outcome::Rejected => 1,
            Outcome::Withdrawn => 2,
            Outcome::Pending => 3,
        };
        counts[g as usize][i] += 1;
    }
    let (total_approved, total_rejected): (usize, usize) = counts.iter().fold((0, 0), |(a, r), c| (a + c[0], r + c[1]));

    // Tests of the time to decision.
    let global = match k_sample_sorted(&sorted, k) {
        Ok(t) => Global {
            statistic: Some(t.test.statistic),
            df: Some(t.test.df),
            p_value: Some(t.test.p_value),
            not_computed: None,
        },
        Err(e) => Global {
            statistic: None,
            df: None,
            p_value: None,
            not_computed: Some(e.to_string()),
        },
    };
    let vs_all: Vec<Option<RestTest>> = each_vs_rest_sorted(&sorted, k)
        .into_iter()
        .map(|t| {
            t.test.zip(t.holm_p_value).map(|(test, adjusted)| RestTest {
                observed: t.counts.observed,
                expected: t.counts.expected,
                statistic: test.statistic,
                p_value: test.p_value,
                adjusted,
                against: k - 1,
            })
        })
        .collect();
    let step_down = stepdown::step_down(&sorted, k, ALPHA);
    let alike_groups: Vec<usize> = step_down.alike.iter().map(|a| a.0).collect();

    // Kaplan-Meier figures per group, in parallel.
    let figures: Vec<(Figures, Option<f64>)> = (0..k)
        .into_par_iter()
        .map(|g| {
            let s = slice(g);
            let km = from_sorted(s, BandScale::LogLog);
            let undecided = s
                .iter()
                .filter(|p| !p.event)
                .map(|p| p.time())
                .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
            (Figures::of(&km, tau), undecided)
        })
        .collect();
    let alike_members: Vec<Packed> = {
        let mut member = vec![false; k];
        for &g in &alike_groups {
            member[g] = true;
        }
        sorted.iter().filter(|p| member[p.group as usize]).copied().collect()
    };
    let alike_km = thin(from_sorted(&alike_members, BandScale::LogLog), |km| {
        Figures::of(km, tau)
    });
    let (alike, alike_km) = alike_km;

    // Hazard ratios.
    let reference = match options.reference {
        Reference::Pooled => None,
        Reference::Named(_) => named,
        Reference::Largest => alike_groups.iter().copied().max_by(|&a, &b| {
            (starts[a + 1] - starts[a])
                .cmp(&(starts[b + 1] - starts[b]))
                .then(b.cmp(&a))
        }),
    };
    let work = match reference {
        Some(r) => n as u64 + (k as u64).saturating_mul((starts[r + 1] - starts[r]) as u64),
        None => (k as u64).saturating_mul(n as u64),
    };
    let (hazards, hazards_not_computed) = if work > COX_WORK {
        (
            vec![Hazard::NotComputed; k],
            Some(format!(
                "the Cox fits against the reference would read {work} observations, more than the limit of \
                 {COX_WORK}: name a smaller reference with --reference NAME"
            )),
        )
    } else {
        let reference_obs = reference.map(|r| observations(slice(r)));
        let h = (0..k)
            .into_par_iter()
            .map(|g| {
                if Some(g) == reference {
                    return Hazard::Reference;
                }
                let mine = observations(slice(g));
                let others = match &reference_obs {
                    Some(r) => std::borrow::Cow::Borrowed(r.as_slice()),
                    None => std::borrow::Cow::Owned(
                        (0..k)
                            .filter(|&h| h != g)
                            .flat_map(|h| observations(slice(h)))
                            .collect::<Vec<_>>(),
                    ),
                };
                cox_two_sample(&others, &mine, Ties::Efron).map_or(Hazard::NotComputed, |fit| hazard_of(&fit))
            })
            .collect();
        (h, None)
    };

    // Approval shares.
    let fisher: Vec<Option<f64>> = counts
        .iter()
        .map(|c| {
            let (a, r) = (c[0] as u64, c[1] as u64);
            if a + r == 0 {
                return None;
            }
            fisher_exact([[a, r], [total_approved as u64 - a, total_rejected as u64 - r]]).ok()
        })
        .collect();
    let defined: Vec<f64> = fisher.iter().flatten().copied().collect();
    let mut adjusted = holm(&defined).unwrap_or_default().into_iter();
    let fisher: Vec<Option<PTest>> = fisher
        .into_iter()
        .map(|p| {
            p.map(|p_value| PTest {
                p_value,
                adjusted: adjusted.next().unwrap_or(1.0),
            })
        })
        .collect();
    let shares: Vec<(u64, u64)> = counts.iter().map(|c| (c[0] as u64, (c[0] + c[1]) as u64)).collect();
    let approvals = chi_square_homogeneity(&shares)
        .map(|t| (t.statistic, t.df, t.p_value))
        .map_err(|e| e.to_string());

    // Duration families per group.
    let fits_skipped = (k > MAX_GROUP_FITS).then(|| {
        format!(
            "{k} {what}s: the duration families are fitted to each {what} only up to {MAX_GROUP_FITS} {what}s \
             (a fit costs milliseconds); the classes below are fitted"
        )
    });
    let fits: Vec<GroupFit> = if fits_skipped.is_some() {
        vec![GroupFit::Skipped; k]
    } else {
        (0..k)
            .into_par_iter()
            .map(|g| best_family(slice(g)).map_or(GroupFit::TooFew, GroupFit::Fitted))
            .collect()
    };

    let groups: Vec<GroupStats> = (0..k)
        .map(|g| {
            let c = counts[g];
            let decided = (c[0] + c[1]) as u64;
            GroupStats {
                name: log.groups[g].clone(),
                submissions: starts[g + 1] - starts[g],
                approved: c[0],
                rejected: c[1],
                withdrawn: c[2],
                pending: c[3],
                approval: wilson(c[0] as u64, decided).map(|s| ShareCi {
                    estimate: s.estimate,
                    lower: s.lower,
                    upper: s.upper,
                }),
                fisher: fisher[g],
                figures: figures[g].0,
                longest_undecided: figures[g].1,
                fit: fits[g].clone(),
                vs_all: vs_all[g],
                hazard: hazards[g].clone(),
            }
        })
        .collect();

    let classes = classes::classes(&step_down, &groups, &sorted, tau);
    let curves = curves(&step_down, &groups, &slice, alike_km, &alike_members, reference);
    Ok(Analysis {
        tau,
        groups,
        global,
        step_down,
        alike,
        reference,
        reference_is_default: options.reference == Reference::Largest,
        hazards_not_computed,
        approvals,
        classes,
        fits_skipped,
        curves,
    })
}

/// The most steps of a curve kept to draw it.
pub const MAX_STEPS: usize = 4000;

/// What `read` says of a curve, and the curve thinned to at most
/// [`MAX_STEPS`] steps (every m-th, and the last) to draw it.
fn thin<T>(mut km: KaplanMeier, read: impl FnOnce(&KaplanMeier) -> T) -> (T, KaplanMeier) {
    let said = read(&km);
    let n = km.steps.len();
    if n > MAX_STEPS {
        let m = n.div_ceil(MAX_STEPS);
        let last = km.steps[n - 1];
        let mut kept: Vec<_> = km.steps.iter().copied().step_by(m).collect();
        if kept.last() != Some(&last) {
            kept.push(last);
        }
        km.steps = kept;
    }
    (said, km)
}

/// Distinct censoring times of `p`, at most [`MAX_TICKS`] spread over them.
fn censored_ticks(p: &[Packed]) -> Vec<f64> {
    let mut t: Vec<f64> = p.iter().filter(|p| !p.event).map(|p| p.time()).collect();
    t.dedup();
    if t.len() > MAX_TICKS {
        let n = t.len();
        t = (0..MAX_TICKS).map(|i| t[i * (n - 1) / (MAX_TICKS - 1)]).collect();
    }
    t
}

/// The curves to draw: every group when there are at most [`MAX_CURVES`];
/// else the groups set aside (up to the limit less one) and the alike
/// groups pooled.
fn curves<'a>(
    step_down: &StepDown,
    groups: &[GroupStats],
    slice: &dyn Fn(usize) -> &'a [Packed],
    alike_km: KaplanMeier,
    alike_members: &[Packed],
    reference: Option<usize>,
) -> Vec<Curve> {
    let one = |g: usize| Curve {
        label: groups[g].name.clone(),
        group: Some(g),
        km: thin(from_sorted(slice(g), BandScale::LogLog), |_| ()).1,
        censored: censored_ticks(slice(g)),
    };
    if groups.len() <= MAX_CURVES {
        let mut order: Vec<usize> = step_down.set_aside.iter().map(|s| s.0).collect();
        order.extend(step_down.alike.iter().map(|a| a.0));
        return order.into_iter().map(one).collect();
    }
    let mut out: Vec<Curve> = step_down
        .set_aside
        .iter()
        .take(MAX_CURVES - 2)
        .map(|s| one(s.0))
        .collect();
    if let Some(r) = reference {
        out.push(one(r));
    }
    out.push(Curve {
        label: format!("the {} alike, pooled", step_down.alike.len()),
        group: None,
        km: alike_km,
        censored: censored_ticks(alike_members),
    });
    out
}
